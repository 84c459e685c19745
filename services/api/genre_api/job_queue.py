"""Creating jobs: a record in Redis first, then a Celery message naming it."""

from __future__ import annotations

import contextlib
import logging

import redis
from celery import Celery
from kombu.exceptions import OperationalError

from genre_api.core.errors import ApiError
from genre_core.jobs import JobError, JobRecord, JobSource, JobState, JobStore
from genre_core.link_jobs import file_link_job

log = logging.getLogger(__name__)

# The worker registers its task under this name; the API sends by name so it never imports the worker.
CLASSIFY_TASK = "genre_worker.classify"

QUEUE_UNAVAILABLE = "The job queue is unavailable right now; please try again in a moment."


class JobQueue:
    def __init__(self, store: JobStore, redis_client: redis.Redis, celery: Celery, stale_after_seconds: float) -> None:
        self.store = store
        self._redis = redis_client
        self._celery = celery
        self._stale_after_seconds = stale_after_seconds

    def submit(self, source: JobSource, job_id: str | None = None) -> JobRecord:
        """Record a job and queue it. If the message cannot be sent the job is marked failed, never left queued.

        Raises:
            ApiError: 503 `queue_unavailable` when Redis cannot be reached.
        """
        try:
            record = self.store.create(source, job_id)
        except redis.RedisError as error:
            raise queue_unavailable() from error
        self._send(record)
        return record

    def submit_link(self, url: str, model_version: str, ttl_seconds: int) -> JobRecord:
        """Queue a link, or return the job that already has (or is getting) its result with this model
        (see :func:`genre_core.link_jobs.file_link_job`).

        Raises:
            ApiError: 503 `queue_unavailable` when Redis cannot be reached.
        """
        try:
            record, new = file_link_job(
                self._redis, self.store, url, model_version, ttl_seconds, self._stale_after_seconds
            )
        except redis.RedisError as error:
            raise queue_unavailable() from error
        if new:
            self._send(record)
        return record

    def _send(self, record: JobRecord) -> None:
        try:
            self._celery.send_task(CLASSIFY_TASK, args=[record.id], task_id=record.id)
        except (OperationalError, redis.RedisError) as error:
            log.warning("could not queue job %s: %s", record.id, error)
            failure = JobError(code="queue_unavailable", message=QUEUE_UNAVAILABLE)
            # If Redis is gone altogether the record cannot be updated; it expires with it.
            with contextlib.suppress(redis.RedisError):
                self.store.update(record.id, state=JobState.failed, error=failure)
            raise queue_unavailable() from error

    def get(self, job_id: str) -> JobRecord | None:
        try:
            record = self.store.get(job_id)
            return None if record is None else self.store.fail_if_stale(record, self._stale_after_seconds)
        except redis.RedisError as error:
            raise queue_unavailable() from error


def queue_unavailable() -> ApiError:
    """503 with Retry-After: what every route answers while Redis cannot be reached."""
    return ApiError(503, "queue_unavailable", QUEUE_UNAVAILABLE, headers={"Retry-After": "5"})


def create_celery_client(redis_url: str) -> Celery:
    # No result backend: job state lives in the JobStore. With Celery's Redis backend every send_task
    # also subscribed the API to a pub/sub channel for the task's result (and unsubscribed when the
    # unused AsyncResult was collected): Redis work on every submission for a result nothing reads.
    celery = Celery("genre_api", broker=redis_url)
    # Fail fast when Redis is down instead of retrying while the client waits.
    celery.conf.broker_transport_options = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
    celery.conf.broker_connection_retry = False
    return celery
