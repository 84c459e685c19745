"""Link checks remember a host's addresses for a minute instead of asking DNS on every submission."""

from __future__ import annotations

import ipaddress

import pytest

from genre_api.core.errors import ApiError
from genre_api.core.host_cache import CachedResolver
from genre_api.core.url_policy import ensure_url_allowed
from genre_core.url_safety import IpAddress

PUBLIC = {ipaddress.ip_address("142.250.74.46")}


class FakeDns:
    def __init__(self, answers: dict[str, set[IpAddress]]) -> None:
        self.answers = answers
        self.lookups: list[str] = []

    def __call__(self, host: str) -> set[IpAddress]:
        self.lookups.append(host)
        return self.answers.get(host, set())


class Clock:
    now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_host_is_looked_up_once_per_minute() -> None:
    dns, clock = FakeDns({"youtu.be": PUBLIC}), Clock()
    resolver = CachedResolver(ttl_seconds=60, resolve=dns, clock=clock)
    assert resolver("youtu.be") == PUBLIC
    clock.now += 59
    assert resolver("youtu.be") == PUBLIC
    assert dns.lookups == ["youtu.be"]
    clock.now += 2
    assert resolver("youtu.be") == PUBLIC
    assert dns.lookups == ["youtu.be", "youtu.be"]


def test_a_name_that_does_not_resolve_is_asked_again() -> None:
    dns = FakeDns({})
    resolver = CachedResolver(resolve=dns, clock=Clock())
    assert resolver("youtu.be") == set() and resolver("youtu.be") == set()
    assert dns.lookups == ["youtu.be", "youtu.be"]


def test_the_link_check_uses_the_resolver_it_is_given() -> None:
    dns = FakeDns({"youtu.be": {ipaddress.ip_address("10.1.2.3")}})
    with pytest.raises(ApiError) as refused:
        ensure_url_allowed("https://youtu.be/abc", ["youtu.be"], [], CachedResolver(resolve=dns))
    assert refused.value.code == "url_not_allowed" and "10.1.2.3" in refused.value.message
    ensure_url_allowed("https://youtu.be/abc", ["youtu.be"], ["10.0.0.0/8"], CachedResolver(resolve=dns))
