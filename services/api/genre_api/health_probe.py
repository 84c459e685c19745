"""Is Redis reachable, is a worker alive? One check at a time per process, its answer shared for a second.

A Celery worker ping publishes through a producer of the broker connection pool, which blocks without a
timeout once every connection is taken; `/healthz` pinged on every request, from the thread pool, so a flood
of health checks held every thread and every pooled connection, and submissions, uploads and the model card
hung behind them. Here:

- the check has a Celery client (and so a connection pool) of its own: it never takes a connection that
  submissions use;
- at most one check runs per process, in a thread of its own;
- the worker ping ends at the first reply, so a healthy answer takes a round trip, not the ping's whole
  timeout (which only an unhealthy one waits out);
- its answer is reused for `max_age_seconds`, so a flood costs one ping per process per second; an older
  answer (up to `stale_seconds`) is still given at once while a new check runs (so no caller waits out
  the timeout of a check that finds no worker);
- a caller with no answer to be given waits at most `wait_seconds` for the running check; one that has not
  answered by then counts as unhealthy.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import redis
from celery import Celery

log = logging.getLogger(__name__)

MAX_AGE_SECONDS = 1.0
STALE_SECONDS = 10.0


@dataclass(frozen=True)
class Health:
    redis: bool
    # Workers that replied before the check ended: it ends at the first, so 1 means "at least one".
    workers: int

    @property
    def healthy(self) -> bool:
        return self.redis and self.workers > 0


UNREACHABLE = Health(redis=False, workers=0)


def check_health(redis_client: redis.Redis, celery: Celery, ping_timeout_seconds: float) -> Health:
    """Ping Redis, then the Celery workers, until the first reply or `ping_timeout_seconds`. Any failure on
    the way (a connection that breaks mid-check included) is an unhealthy answer, never an exception."""
    try:
        redis_client.ping()
    except redis.RedisError:
        return UNREACHABLE
    try:
        # limit=1: without it the ping collects replies for its whole timeout, however soon a worker answers.
        replies = celery.control.ping(timeout=ping_timeout_seconds, limit=1)
    except Exception as error:  # kombu, redis-py and socket errors alike: Redis went away during the check
        log.warning("worker ping failed: %s", error)
        return UNREACHABLE
    return Health(redis=True, workers=len(replies or []))


class HealthProbe:
    """Shares one running `check` among concurrent callers and reuses its answer for `max_age_seconds`."""

    def __init__(
        self,
        check: Callable[[], Health],
        wait_seconds: float,
        max_age_seconds: float = MAX_AGE_SECONDS,
        stale_seconds: float = STALE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._check = check
        self._wait_seconds = wait_seconds
        self._max_age_seconds = max_age_seconds
        self._stale_seconds = stale_seconds
        self._clock = clock
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="health")
        self._answer: tuple[float, Health] | None = None
        self._running: asyncio.Future[Health] | None = None

    async def get(self) -> Health:
        answer = self._answer
        age = math.inf if answer is None else self._clock() - answer[0]
        if answer is not None and age < self._max_age_seconds:
            return answer[1]
        loop = asyncio.get_running_loop()
        # A check still running (even one past its wait, stuck in a socket) is joined, never doubled. A test
        # client may run each request on a new loop: a future of another loop cannot be awaited here.
        if self._running is None or self._running.get_loop() is not loop:
            self._running = asyncio.wrap_future(self._executor.submit(self._timed_check), loop=loop)
            self._running.add_done_callback(self._forget)
        if answer is not None and age < self._stale_seconds:
            return answer[1]
        try:
            return await asyncio.wait_for(asyncio.shield(self._running), self._wait_seconds)
        except TimeoutError:
            log.warning("health check did not answer within %g s", self._wait_seconds)
            return UNREACHABLE
        except Exception:
            log.exception("health check failed")
            return UNREACHABLE

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _timed_check(self) -> Health:
        health = self._check()
        self._answer = (self._clock(), health)
        return health

    def _forget(self, future: asyncio.Future[Health]) -> None:
        if self._running is future:
            self._running = None
        if not future.cancelled():
            future.exception()  # retrieved: a check nobody awaited (stale answer given) may have raised
