"""Links whose host resolves to loopback, private, link-local or other non-public addresses are refused."""

from __future__ import annotations

import socket

import pytest

from genre_core.url_safety import (
    ForbiddenAddress,
    UrlNotAllowed,
    ensure_public_host,
    parse_networks,
    public_addresses_only,
)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/song.ogg",
        "http://localhost:8000/x",
        "http://10.1.2.3/x",
        "http://192.168.0.1/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
        "http://0.0.0.0/x",
        "http://2130706433/x",  # 127.0.0.1 as one decimal number
        "http://0177.0.0.1/x",  # 127.0.0.1 with an octal first byte
        "http://224.0.0.1/x",
    ],
)
def test_non_public_addresses_are_refused(url: str) -> None:
    with pytest.raises(UrlNotAllowed) as caught:
        ensure_public_host(url)
    assert caught.value.code == "url_not_allowed"


def test_configured_networks_are_allowed() -> None:
    ensure_public_host("http://127.0.0.1:9000/song.ogg", parse_networks(["127.0.0.0/8"]))
    with pytest.raises(UrlNotAllowed):
        ensure_public_host("http://10.0.0.1/x", parse_networks(["127.0.0.0/8"]))


def test_public_address_and_unresolvable_names_pass() -> None:
    ensure_public_host("https://8.8.8.8/x")
    ensure_public_host("https://no-such-host.invalid/x")  # the download will fail with the reason


def test_inside_the_guard_no_name_resolves_to_a_non_public_address() -> None:
    with public_addresses_only(), pytest.raises(ForbiddenAddress):
        socket.getaddrinfo("localhost", 80)
    with public_addresses_only(parse_networks(["127.0.0.0/8", "::1/128"])):
        assert socket.getaddrinfo("127.0.0.1", 80)
    assert socket.getaddrinfo("localhost", 80)  # restored after the block
