"""Refusing links whose host resolves to an address the service must never fetch from.

A service that downloads URLs for strangers can be turned against its own network (SSRF): a name
that resolves to 127.0.0.1, 10.x or the cloud metadata address 169.254.169.254 would make the worker
fetch from inside. Every address a host resolves to is checked, so one public address among private
ones does not get a name through.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from collections.abc import Callable, Iterator, Sequence
from urllib.parse import urlsplit

from genre_core.errors import PipelineError

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str], set[IpAddress]]
"""Host name -> every address it resolves to (empty when it does not resolve)."""


class UrlNotAllowed(PipelineError):
    code = "url_not_allowed"


def parse_networks(networks: Sequence[str]) -> list[IpNetwork]:
    return [ipaddress.ip_network(network, strict=False) for network in networks]


def ensure_public_host(url: str, allowed_networks: Sequence[IpNetwork] = (), resolve: Resolver | None = None) -> None:
    """Raise :class:`UrlNotAllowed` if the URL's host resolves to a non-public address.

    Loopback, private, link-local (169.254.0.0/16, fe80::/10), multicast, reserved and unspecified
    addresses are refused unless they fall in `allowed_networks` (configuration, e.g. tests that
    serve audio on 127.0.0.1). A name that does not resolve is let through: the download then fails
    with the resolver's reason. `resolve` defaults to :func:`resolve_host` (the system resolver).
    """
    host = urlsplit(url).hostname or ""
    for address in (resolve or resolve_host)(host):
        if _is_forbidden(address) and not any(address in network for network in allowed_networks):
            raise UrlNotAllowed(f"Links to {host} are not accepted: it points to a non-public address ({address}).")


class ForbiddenAddress(socket.gaierror):
    """Raised from name resolution inside :func:`public_addresses_only`; an OSError, as libraries expect."""

    MARKER = "resolves to a non-public address"


@contextlib.contextmanager
def public_addresses_only(allowed_networks: Sequence[IpNetwork] = ()) -> Iterator[None]:
    """Within this block, no connection of this process can reach a non-public address.

    Every name resolution is checked, so every hop is: the first request, each redirect the HTTP
    library follows on its own, and each media host. Checking the URL before the request covers
    the first hop only. Meant for the worker's download (one job per process at a time); the
    patch is process-wide while the block runs.
    """
    resolve = socket.getaddrinfo

    def checked(host: str | bytes | None, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        infos = resolve(host, *args, **kwargs)  # type: ignore[arg-type]
        for info in infos:
            address = _as_ipv4_if_mapped(ipaddress.ip_address(str(info[4][0]).split("%")[0]))
            if _is_forbidden(address) and not any(address in network for network in allowed_networks):
                raise ForbiddenAddress(socket.EAI_FAIL, f"{host!r} {ForbiddenAddress.MARKER} ({address})")
        return infos

    socket.getaddrinfo = checked  # type: ignore[assignment]
    try:
        yield
    finally:
        socket.getaddrinfo = resolve


def resolve_host(host: str) -> set[IpAddress]:
    """Every address `host` resolves to with the system resolver (an IP literal: itself); empty if none."""
    try:
        infos = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return set()
    return {_as_ipv4_if_mapped(ipaddress.ip_address(str(info[4][0]).split("%")[0])) for info in infos}


def _as_ipv4_if_mapped(address: IpAddress) -> IpAddress:
    # An IPv4 address mapped into IPv6 (::ffff:127.0.0.1) is judged as the IPv4 address it carries.
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_forbidden(address: IpAddress) -> bool:
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )
