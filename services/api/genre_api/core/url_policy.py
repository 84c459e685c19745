"""Which links the service agrees to fetch."""

from __future__ import annotations

from urllib.parse import urlsplit

from genre_api.core.errors import ApiError
from genre_core.url_safety import Resolver, UrlNotAllowed, ensure_public_host, parse_networks


def ensure_url_allowed(
    url: str, allowed_hosts: list[str], allowed_networks: list[str], resolve: Resolver | None = None
) -> None:
    """Refuse a link (400 `url_not_allowed`) whose host is not on the allowlist, that carries credentials,
    or whose host resolves (with `resolve`, by default the system resolver) to a non-public address.

    The scheme (http/https) and well-formedness are checked earlier by the request model (422).
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if host not in allowed_hosts:
        allowed = ", ".join(allowed_hosts)
        message = f"Links to {host or 'this address'} are not accepted; allowed hosts: {allowed}."
        raise ApiError(400, "url_not_allowed", message)
    if parts.username or parts.password:
        raise ApiError(400, "url_not_allowed", "Links with a user name or password are not accepted.")
    try:
        ensure_public_host(url, parse_networks(allowed_networks), resolve)
    except UrlNotAllowed as error:
        raise ApiError(400, error.code, error.message) from error
