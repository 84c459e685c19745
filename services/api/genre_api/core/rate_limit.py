"""Job submissions per client address, counted in Redis so every API process shares the count."""

from __future__ import annotations

import time

import redis
from fastapi import Request

from genre_api.core.errors import ApiError

WINDOW_SECONDS = 60


def client_address(request: Request) -> str:
    # Behind a proxy, uvicorn's --proxy-headers (trusted proxies only) puts the real client here.
    return request.client.host if request.client else "unknown"


def enforce_rate_limit(client: redis.Redis, address: str, limit_per_minute: int) -> None:
    """Count one submission; past `limit_per_minute` in the current minute, answer 429 with `Retry-After`.

    A fixed one-minute window: simple, one round trip, and at worst twice the limit across a boundary.
    """
    if limit_per_minute <= 0:
        return
    window = int(time.time() // WINDOW_SECONDS)
    key = f"genre:rate:{address}:{window}"
    try:
        pipeline = client.pipeline()
        pipeline.incr(key)
        pipeline.expire(key, WINDOW_SECONDS + 5)
        count = pipeline.execute()[0]
    except redis.RedisError:
        return  # The submission itself reports Redis being down (503); do not fail here first.
    if count > limit_per_minute:
        retry_after = WINDOW_SECONDS * (window + 1) - int(time.time())
        raise ApiError(
            429,
            "rate_limited",
            f"Too many jobs from your address: at most {limit_per_minute} a minute. Try again in {retry_after} s.",
            headers={"Retry-After": str(max(retry_after, 1))},
        )
