"""Which links the service agrees to fetch."""

from __future__ import annotations

from urllib.parse import urlsplit

from genre_api.core.errors import ApiError
from genre_api.source_key import AmbiguousLink, source_key
from genre_core.url_safety import (
    IpAddress,
    IpNetwork,
    Resolver,
    UrlNotAllowed,
    ensure_public_host,
    parse_networks,
    resolve_host,
)

DEFAULT_PORTS = {"http": 80, "https": 443}


def ensure_url_allowed(
    url: str, allowed_hosts: list[str], allowed_networks: list[str], resolve: Resolver | None = None
) -> None:
    """Refuse a link (400 `url_not_allowed`) whose host is not on the allowlist, that carries credentials,
    names a port other than its scheme's default, is a YouTube link that could name two videos, or whose
    host resolves (with `resolve`, by default the system resolver) to a non-public address.

    Any port is accepted for a host that resolves inside `allowed_networks` only (networks an operator opened
    on purpose, e.g. 127.0.0.0/8 for the tests' audio server). The scheme (http/https) and well-formedness
    are checked earlier by the request model (422).
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().rstrip(".")
    if host not in allowed_hosts:
        allowed = ", ".join(allowed_hosts)
        message = f"Links to {host or 'this address'} are not accepted; allowed hosts: {allowed}."
        raise ApiError(400, "url_not_allowed", message)
    if parts.username or parts.password:
        raise ApiError(400, "url_not_allowed", "Links with a user name or password are not accepted.")
    networks = parse_networks(allowed_networks)
    resolve = resolve or resolve_host
    try:
        ensure_public_host(url, networks, resolve)
    except UrlNotAllowed as error:
        raise ApiError(400, error.code, error.message) from error
    default_port = DEFAULT_PORTS[parts.scheme]
    if parts.port not in (None, default_port) and not _inside(resolve(host), networks):
        message = f"Links to port {parts.port} are not accepted; use the {parts.scheme} port ({default_port}) or none."
        raise ApiError(400, "url_not_allowed", message)
    try:
        source_key(url)
    except AmbiguousLink as error:
        raise ApiError(400, "url_not_allowed", str(error)) from error


def _inside(addresses: set[IpAddress], networks: list[IpNetwork]) -> bool:
    """Every address in one of the networks (and at least one address)."""
    return bool(addresses) and all(any(address in network for network in networks) for address in addresses)
