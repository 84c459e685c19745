"""Job submissions per client address, counted in Redis so every API process shares the count.

Counted before the request body is read (`RateLimitedRoute`): FastAPI reads and parses a route's body before
its dependencies and endpoint run, so a limit checked there let a refused client's 40 MB upload be received
and spooled to disk before the 429. Every attempt counts, a malformed or refused one too.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

import redis
from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool

from genre_api.core.errors import ApiError
from genre_api.deps import services_of
from genre_core.rate_counter import WINDOW_SECONDS, current_window, seconds_to_next_window, window_key


def client_address(request: Request) -> str:
    # Behind a proxy listed in GENRE_TRUSTED_PROXIES, the app's ProxyHeadersMiddleware has put the client here.
    return request.client.host if request.client else "unknown"


class RateLimitedRoute(APIRoute):
    """An APIRoute whose requests are counted (and past the limit refused, 429) before its body is read."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            services = services_of(request)
            limit = services.settings.rate_limit_per_minute
            if limit > 0:
                await run_in_threadpool(enforce_rate_limit, services.redis, client_address(request), limit)
            return await handler(request)

        return limited


def enforce_rate_limit(client: redis.Redis, address: str, limit_per_minute: int) -> None:
    """Count one submission; past `limit_per_minute` in the current minute, answer 429 with `Retry-After`.

    A fixed one-minute window: simple, one round trip, and at worst twice the limit across a boundary.
    """
    if limit_per_minute <= 0:
        return
    key = window_key(address, current_window())
    try:
        pipeline = client.pipeline()
        pipeline.incr(key)
        pipeline.expire(key, WINDOW_SECONDS + 5)
        count = pipeline.execute()[0]
    except redis.RedisError:
        return  # The submission itself reports Redis being down (503); do not fail here first.
    if count > limit_per_minute:
        retry_after = seconds_to_next_window()
        raise ApiError(
            429,
            "rate_limited",
            f"Too many jobs from your address: at most {limit_per_minute} a minute. Try again in {retry_after} s.",
            headers={"Retry-After": str(retry_after)},
        )
