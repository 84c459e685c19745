"""Job records in a real Redis."""

from __future__ import annotations

from collections.abc import Callable

import redis

from genre_core.jobs import JobError, JobSource, JobState, JobStore


def test_create_get_update_and_expiry(redis_db: Callable[[int], str]) -> None:
    client = redis.Redis.from_url(redis_db(12))
    store = JobStore(client, ttl_seconds=60)
    record = store.create(JobSource(kind="url", url="https://youtu.be/x"))
    assert store.get(record.id) == record
    assert record.state is JobState.queued
    failed = store.update(record.id, state=JobState.failed, error=JobError(code="c", message="m"))
    assert store.get(record.id) == failed
    assert failed.updated_at >= record.updated_at
    assert 0 < client.ttl(f"genre:job:{record.id}") <= 60


def test_unknown_job_is_none(redis_db: Callable[[int], str]) -> None:
    assert JobStore(redis.Redis.from_url(redis_db(12)), ttl_seconds=60).get("nope") is None
