"""Which links the service agrees to fetch."""

from __future__ import annotations

from urllib.parse import urlsplit

from genre_api.core.errors import ApiError


def ensure_url_allowed(url: str, allowed_hosts: list[str]) -> None:
    """Refuse a link whose host is not on the allowlist (400 `url_not_allowed`).

    The scheme (http/https) and well-formedness are checked earlier by the request model (422).
    """
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if host not in allowed_hosts:
        allowed = ", ".join(allowed_hosts)
        raise ApiError(
            400, "url_not_allowed", f"Links to {host or 'this address'} are not accepted; allowed: {allowed}."
        )
