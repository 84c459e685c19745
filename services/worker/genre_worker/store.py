"""The worker's job store: a Redis client that rides out a restart or a dropped connection.

A job's final state is written once, at its end; if Redis is away at that moment the result would be
lost. Every command is retried with exponential backoff (redis-py's own Retry) for about
`store_retry_seconds`; past that, `run_job` hands the task back to the queue.
"""

from __future__ import annotations

import redis
from redis.backoff import ExponentialBackoff
from redis.retry import Retry

from genre_core.jobs import JobStore
from genre_worker.settings import WorkerSettings

_FIRST_WAIT_SECONDS = 0.1
_LONGEST_WAIT_SECONDS = 2.0
# A Redis that accepts connections but does not answer is as good as away.
_SOCKET_TIMEOUT_SECONDS = 5.0


def connect_redis(settings: WorkerSettings) -> redis.Redis:
    """A client whose every command is retried for about `settings.store_retry_seconds`."""
    backoff = ExponentialBackoff(cap=_LONGEST_WAIT_SECONDS, base=_FIRST_WAIT_SECONDS / 2)
    return redis.Redis.from_url(
        settings.redis_url,
        retry=Retry(backoff, retries_within(settings.store_retry_seconds, backoff)),
        socket_timeout=_SOCKET_TIMEOUT_SECONDS,
        socket_connect_timeout=_SOCKET_TIMEOUT_SECONDS,
    )


def connect_store(settings: WorkerSettings) -> JobStore:
    return JobStore(connect_redis(settings), ttl_seconds=settings.job_ttl_seconds)


def retries_within(seconds: float, backoff: ExponentialBackoff) -> int:
    """How many retries `backoff`'s waits take to add up to `seconds` (at least one)."""
    retries, waited = 0, 0.0
    while waited < seconds:
        retries += 1
        waited += backoff.compute(retries)
    return max(retries, 1)
