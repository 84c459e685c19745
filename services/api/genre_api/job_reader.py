"""Reading job records for `GET /jobs/{id}` on the event loop, with redis.asyncio.

Status polls are most of the API's traffic: every client polls until its job is done. Served by a
plain `def` route they each took a hop to the thread pool and back, which cost more than the Redis
read itself; here a poll is one awaited MGET. The rare poll that finds a stale job hands it to the
synchronous :class:`JobQueue`, which fails it, so that logic stays in one place.
"""

from __future__ import annotations

import asyncio

import redis
import redis.asyncio as aredis
from starlette.concurrency import run_in_threadpool

from genre_api.job_queue import JobQueue, queue_unavailable
from genre_core.jobs import JobRecord, is_stale, record_from_stored, stored_keys

# Enough connections for one process's concurrent polls; more wait for a free one, up to the timeout, then
# answer 503. With 64, 200 wrk clients made polls wait up to the full 2 s for a connection (traced) and 27 of
# 19,981 polls failed in one run; with 256, no waits and none failed. Redis accepts 10,000 clients by default.
MAX_CONNECTIONS = 256
TIMEOUT_SECONDS = 2


class JobReader:
    def __init__(self, redis_url: str, queue: JobQueue, ttl_seconds: int, stale_after_seconds: float) -> None:
        self._redis_url = redis_url
        self._queue = queue
        self._ttl_seconds = ttl_seconds
        self._stale_after_seconds = stale_after_seconds
        self._client: aredis.Redis | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    async def get(self, job_id: str) -> JobRecord | None:
        """The job's record (failed `timeout` if it was stale), or None for an unknown id.

        Raises:
            ApiError: 503 `queue_unavailable` when Redis cannot be reached.
        """
        try:
            raw, tombstone = await self._redis().mget(stored_keys(job_id))
        except redis.RedisError as error:
            raise queue_unavailable() from error
        record = record_from_stored(raw, tombstone, self._ttl_seconds)
        if record is not None and is_stale(record, self._stale_after_seconds):
            return await run_in_threadpool(self._queue.get, job_id)
        return record

    async def close(self) -> None:
        """Close the connections of the current loop's client (at server shutdown)."""
        if self._client is not None:
            await self._client.aclose()
            self._client = self._loop = None

    def _redis(self) -> aredis.Redis:
        # An asyncio connection belongs to the event loop that opened it. A server process has one loop;
        # a test client may start a new one per request, which then gets its own client.
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            pool = aredis.BlockingConnectionPool.from_url(
                self._redis_url,
                max_connections=MAX_CONNECTIONS,
                timeout=TIMEOUT_SECONDS,
                socket_timeout=TIMEOUT_SECONDS,
                socket_connect_timeout=TIMEOUT_SECONDS,
            )
            self._client, self._loop = aredis.Redis(connection_pool=pool), loop
        return self._client
