"""Batch records on real Redis: created expanding, filled in, expired, stale, unreadable."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
import redis

from genre_core.batches import KEY_PREFIX, BatchEntry, BatchPolicy, BatchState, BatchStore
from genre_core.jobs import now

POLICY = BatchPolicy(client="198.51.100.7", allowed_hosts=["youtube.com"], allowed_networks=[],
                     rate_limit_per_minute=30, model_version="m1", stale_after_seconds=1800)  # fmt: skip


@pytest.fixture
def client(redis_db: Callable[[int], str]) -> redis.Redis:
    return redis.Redis.from_url(redis_db(4))


def test_a_batch_is_created_expanding_and_filled_in(client: redis.Redis) -> None:
    store = BatchStore(client, ttl_seconds=60)
    record = store.create("https://www.youtube.com/playlist?list=PL1", POLICY)
    assert store.get(record.id) == record and record.state is BatchState.expanding
    entries = [BatchEntry(index=1, url="https://youtu.be/dQw4w9WgXcQ", title="A", job_id="j" * 32)]
    updated = store.update(record.id, state=BatchState.running, entries=entries, title="Mix")
    assert store.get(record.id) == updated and updated.updated_at >= record.updated_at
    assert 0 < client.ttl(KEY_PREFIX + record.id) <= 60


def test_an_unknown_id_is_none_and_an_expired_batch_reads_expired(client: redis.Redis) -> None:
    store = BatchStore(client, ttl_seconds=60)
    assert store.get("nope") is None
    record = store.create("https://www.youtube.com/playlist?list=PL1", POLICY)
    client.delete(KEY_PREFIX + record.id)  # what its TTL does
    expired = store.get(record.id)
    assert expired is not None and expired.state is BatchState.expired and expired.error.code == "expired"
    with pytest.raises(KeyError):
        store.update(record.id, state=BatchState.running)


def test_a_batch_expanding_too_long_is_failed_with_timeout(client: redis.Redis) -> None:
    store = BatchStore(client, ttl_seconds=60)
    record = store.create("https://www.youtube.com/playlist?list=PL1", POLICY)
    assert store.fail_if_stale(record, 30) == record
    old = record.model_copy(update={"updated_at": now() - timedelta(seconds=31)})
    failed = store.fail_if_stale(old, 30)
    assert failed.state is BatchState.failed and failed.error is not None and failed.error.code == "timeout"
    # Once running, progress is its jobs': they have their own check.
    running = store.update(record.id, state=BatchState.running)
    assert (
        store.fail_if_stale(running.model_copy(update={"updated_at": old.updated_at}), 30).state is BatchState.running
    )


def test_a_record_that_does_not_parse_reads_failed(client: redis.Redis) -> None:
    store = BatchStore(client, ttl_seconds=60)
    record = store.create("https://www.youtube.com/playlist?list=PL1", POLICY)
    client.set(KEY_PREFIX + record.id, b'{"id": "broken"')
    read = store.get(record.id)
    assert read is not None and read.state is BatchState.failed and read.error.code == "internal_error"
