"""The asynchronous reader behind GET /jobs/{id}, against a real Redis: it reads records as JobStore does."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import redis

from genre_api.job_queue import JobQueue, create_celery_client
from genre_api.job_reader import JobReader
from genre_core.jobs import KEY_PREFIX, JobSource, JobState, JobStore


def test_reader_sees_queued_expired_unknown_and_stale_jobs(redis_db: Callable[[int], str]) -> None:
    url = redis_db(12)
    client = redis.Redis.from_url(url)
    queue = JobQueue(JobStore(client, ttl_seconds=600), client, create_celery_client(url), stale_after_seconds=1800)
    queued = queue.submit(JobSource(kind="url", url="https://youtu.be/a"))
    expired = queue.submit(JobSource(kind="url", url="https://youtu.be/b"))
    client.delete(KEY_PREFIX + expired.id)  # as if its TTL had passed: only the tombstone is left

    async def read(reader: JobReader, *job_ids: str) -> list[JobState | None]:
        try:
            records = [await reader.get(job_id) for job_id in job_ids]
            return [None if record is None else record.state for record in records]
        finally:
            await reader.close()

    reader = JobReader(url, queue, ttl_seconds=600, stale_after_seconds=1800)
    states = asyncio.run(read(reader, queued.id, expired.id, "0" * 32))
    assert states == [JobState.queued, JobState.expired, None]

    stale_queue = JobQueue(JobStore(client, ttl_seconds=600), client, create_celery_client(url), stale_after_seconds=0)
    stale_reader = JobReader(url, stale_queue, ttl_seconds=600, stale_after_seconds=0)
    assert asyncio.run(read(stale_reader, queued.id)) == [JobState.failed]
    assert queue.get(queued.id).error.code == "timeout"  # the failure was written, not only reported


def test_a_new_event_loop_gets_its_own_connections(redis_db: Callable[[int], str]) -> None:
    # asyncio connections belong to the loop that opened them; a test client may run each request on a new loop.
    url = redis_db(12)
    client = redis.Redis.from_url(url)
    reader = JobReader(url, JobQueue(JobStore(client, 600), client, create_celery_client(url), 1800), 600, 1800)
    for _ in range(3):
        assert asyncio.run(reader.get("0" * 32)) is None
