"""Creating batches (a record, then the worker's task that lists the playlist) and reading them back with
their entries' jobs."""

from __future__ import annotations

import contextlib
import logging

import redis
from celery import Celery
from kombu.exceptions import OperationalError

from genre_api.batch_view import batch_view
from genre_api.job_queue import QUEUE_UNAVAILABLE, JobQueue, queue_unavailable
from genre_api.schemas import BatchView
from genre_core.batches import BatchPolicy, BatchRecord, BatchState, BatchStore
from genre_core.jobs import JobError, JobRecord, is_stale, record_from_stored, stored_keys

log = logging.getLogger(__name__)

# The worker registers its task under this name; the API sends by name so it never imports the worker.
EXPAND_TASK = "genre_worker.expand_batch"


class BatchQueue:
    def __init__(
        self, store: BatchStore, jobs: JobQueue, redis_client: redis.Redis, celery: Celery, stale_after_seconds: float
    ) -> None:
        self.store = store
        self._jobs = jobs
        self._redis = redis_client
        self._celery = celery
        self._stale_after_seconds = stale_after_seconds

    def submit(self, url: str, policy: BatchPolicy) -> BatchRecord:
        """Record a batch and queue the listing of its playlist; if that cannot be sent the batch is failed.

        Raises:
            ApiError: 503 `queue_unavailable` when Redis cannot be reached.
        """
        try:
            record = self.store.create(url, policy)
        except redis.RedisError as error:
            raise queue_unavailable() from error
        try:
            self._celery.send_task(EXPAND_TASK, args=[record.id], task_id=record.id)
        except (OperationalError, redis.RedisError) as error:
            log.warning("could not queue batch %s: %s", record.id, error)
            failure = JobError(code="queue_unavailable", message=QUEUE_UNAVAILABLE)
            with contextlib.suppress(redis.RedisError):
                self.store.update(record.id, state=BatchState.failed, error=failure)
            raise queue_unavailable() from error
        return record

    def get(self, batch_id: str) -> BatchView | None:
        """The batch with its entries' states and results, or None for an unknown id.

        A batch left `expanding` too long reads failed (`timeout`), and so does an entry's job left unfinished
        too long (as `GET /jobs/{id}` would say): a batch always ends.

        Raises:
            ApiError: 503 `queue_unavailable` when Redis cannot be reached.
        """
        try:
            record = self.store.get(batch_id)
            if record is None:
                return None
            record = self.store.fail_if_stale(record, self._stale_after_seconds)
            return batch_view(record, self._jobs_of(record))
        except redis.RedisError as error:
            raise queue_unavailable() from error

    def _jobs_of(self, record: BatchRecord) -> dict[str, JobRecord | None]:
        job_ids = [entry.job_id for entry in record.entries if entry.job_id]
        if not job_ids:
            return {}
        values = self._redis.mget([key for job_id in job_ids for key in stored_keys(job_id)])
        jobs: dict[str, JobRecord | None] = {}
        for position, job_id in enumerate(job_ids):
            job = record_from_stored(values[2 * position], values[2 * position + 1], self._jobs.store.ttl_seconds)
            if job is not None and is_stale(job, self._stale_after_seconds):
                job = self._jobs.get(job_id)
            jobs[job_id] = job
        return jobs
