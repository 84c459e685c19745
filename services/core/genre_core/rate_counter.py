"""Submissions per client address and minute, counted in Redis: the API counts each request, the worker a
playlist's entries, so a playlist cannot get more songs through than the same links sent one by one.

A fixed one-minute window per address (`genre:rate:<address>:<minute>`). A playlist's entries are charged
when the worker has listed them; more than are left in this minute are carried into the next minutes, so a
client that sent a playlist of 50 with a limit of 30 waits as long as if it had sent the 50 links itself.
"""

from __future__ import annotations

import time

import redis

WINDOW_SECONDS = 60
_KEY_MARGIN_SECONDS = 5


def window_key(address: str, window: int) -> str:
    return f"genre:rate:{address}:{window}"


def current_window(at: float | None = None) -> int:
    return int((time.time() if at is None else at) // WINDOW_SECONDS)


def seconds_to_next_window(at: float | None = None) -> int:
    at = time.time() if at is None else at
    return max(WINDOW_SECONDS * (current_window(at) + 1) - int(at), 1)


def charge(client: redis.Redis, address: str, units: int, limit_per_minute: int, at: float | None = None) -> int:
    """Count `units` submissions for `address` in the current minute; returns the count there before them.

    What goes past `limit_per_minute` is carried into the following minutes (at most the limit each), so
    the address stays refused until it has waited for all of them.
    """
    window = current_window(at)
    key = window_key(address, window)
    pipeline = client.pipeline()
    pipeline.incrby(key, units)
    pipeline.expire(key, WINDOW_SECONDS + _KEY_MARGIN_SECONDS)
    count = int(pipeline.execute()[0])
    overflow = count - max(limit_per_minute, 0)
    later = window
    while limit_per_minute > 0 and overflow > 0:
        later += 1
        carried = min(overflow, limit_per_minute)
        lifetime = WINDOW_SECONDS * (later - window + 1) + _KEY_MARGIN_SECONDS
        pipeline = client.pipeline()
        pipeline.incrby(window_key(address, later), carried)
        pipeline.expire(window_key(address, later), lifetime)
        pipeline.execute()
        overflow -= carried
    return count - units
