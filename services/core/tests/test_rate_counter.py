"""Counting submissions per address and minute, a playlist's entries carried past the limit."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import redis

from genre_core.rate_counter import WINDOW_SECONDS, charge, window_key

AT = 1_000_000 * WINDOW_SECONDS + 10.0  # 10 s into a minute
WINDOW = int(AT // WINDOW_SECONDS)


@pytest.fixture
def client(redis_db: Callable[[int], str]) -> redis.Redis:
    return redis.Redis.from_url(redis_db(4))


def _counts(client: redis.Redis, address: str, windows: int) -> list[int]:
    return [int(client.get(window_key(address, WINDOW + n)) or 0) for n in range(windows)]


def test_a_charge_returns_the_count_before_it(client: redis.Redis) -> None:
    assert charge(client, "a", 1, 30, at=AT) == 0
    assert charge(client, "a", 5, 30, at=AT) == 1
    assert _counts(client, "a", 2) == [6, 0]


def test_what_goes_past_the_limit_is_carried_into_the_next_minutes(client: redis.Redis) -> None:
    charge(client, "b", 3, 10, at=AT)
    charge(client, "b", 30, 10, at=AT)  # 33 in all: 23 past the limit
    assert _counts(client, "b", 5) == [33, 10, 10, 3, 0]
    assert client.ttl(window_key("b", WINDOW + 3)) > 3 * WINDOW_SECONDS


def test_no_limit_counts_without_carrying(client: redis.Redis) -> None:
    charge(client, "c", 50, 0, at=AT)
    assert _counts(client, "c", 2) == [50, 0]
