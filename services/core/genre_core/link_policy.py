"""Which links the service agrees to fetch: the API's check of a submitted link, and the worker's of each
entry of a playlist (the same rules, so a playlist cannot carry a link that would be refused on its own)."""

from __future__ import annotations

from urllib.parse import urlsplit

from genre_core.source_key import AmbiguousLink, source_key
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


def check_link(
    url: str, allowed_hosts: list[str], allowed_networks: list[str], resolve: Resolver | None = None
) -> None:
    """Raise :class:`UrlNotAllowed` for a link that is not http(s), whose host is not on the allowlist, that
    carries credentials, names a port other than its scheme's default, is a YouTube link that could name two
    videos, or whose host resolves (with `resolve`, by default the system resolver) to a non-public address.

    Any port is accepted for a host that resolves inside `allowed_networks` only (networks an operator opened
    on purpose, e.g. 127.0.0.0/8 for the tests' audio server).
    """
    parts = urlsplit(url)
    if parts.scheme not in DEFAULT_PORTS:
        raise UrlNotAllowed("Only http:// and https:// links are fetched.")
    host = (parts.hostname or "").lower().rstrip(".")
    if host not in allowed_hosts:
        allowed = ", ".join(allowed_hosts)
        raise UrlNotAllowed(f"Links to {host or 'this address'} are not accepted; allowed hosts: {allowed}.")
    if parts.username or parts.password:
        raise UrlNotAllowed("Links with a user name or password are not accepted.")
    networks = parse_networks(allowed_networks)
    resolve = resolve or resolve_host
    ensure_public_host(url, networks, resolve)
    default_port = DEFAULT_PORTS[parts.scheme]
    if parts.port not in (None, default_port) and not _inside(resolve(host), networks):
        raise UrlNotAllowed(
            f"Links to port {parts.port} are not accepted; use the {parts.scheme} port ({default_port}) or none."
        )
    try:
        source_key(url)
    except AmbiguousLink as error:
        raise UrlNotAllowed(str(error)) from error


def _inside(addresses: set[IpAddress], networks: list[IpNetwork]) -> bool:
    """Every address in one of the networks (and at least one address)."""
    return bool(addresses) and all(any(address in network for network in networks) for address in addresses)
