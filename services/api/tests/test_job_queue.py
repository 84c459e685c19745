"""Creating jobs against a real Redis: what one submission leaves there."""

from __future__ import annotations

from collections.abc import Callable

import redis

from genre_api.job_queue import CLASSIFY_TASK, JobQueue, create_celery_client
from genre_core.jobs import JobSource, JobState, JobStore


def _queue(url: str) -> tuple[JobQueue, redis.Redis]:
    client = redis.Redis.from_url(url)
    return JobQueue(JobStore(client, ttl_seconds=600), client, create_celery_client(url), 1800), client


def test_submission_records_the_job_and_queues_one_message(redis_db: Callable[[int], str]) -> None:
    queue, client = _queue(redis_db(12))
    record = queue.submit(JobSource(kind="url", url="https://youtu.be/dQw4w9WgXcQ"))
    assert queue.get(record.id).state == JobState.queued
    messages = client.lrange("celery", 0, -1)
    assert len(messages) == 1 and CLASSIFY_TASK.encode() in messages[0] and record.id.encode() in messages[0]


def test_submission_subscribes_to_nothing(redis_db: Callable[[int], str]) -> None:
    # Regression: with Celery's Redis result backend configured, every send_task subscribed the API to
    # `celery-task-meta-<id>` and unsubscribed again later: Redis work per job for a result nothing reads.
    queue, client = _queue(redis_db(12))

    def subscribes() -> int:
        return int(client.info("commandstats").get("cmdstat_subscribe", {}).get("calls", 0))

    before = subscribes()
    for n in range(3):
        queue.submit_link(f"https://youtu.be/video{n:06d}x", "model-1", 600)
    assert subscribes() == before
    assert client.llen("celery") == 3
