"""Celery entry point: `celery --app genre_worker.tasks worker`.

The tasks translate between Celery and `run_job` / `expand_batch`; the model is loaded once per worker process.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

import redis
from celery import Task
from celery.exceptions import Reject, SoftTimeLimitExceeded
from celery.signals import worker_process_init, worker_ready

from genre_core.batches import BatchStore
from genre_core.jobs import JobStore
from genre_worker.batch_runner import expand_batch as run_expansion
from genre_worker.celery_app import EXPAND_TASK_NAME, TASK_NAME, create_celery
from genre_worker.classifier import Classifier
from genre_worker.downloader_info import downloader_info
from genre_worker.job_runner import JobNotStored, RetryLater, remove_stale_work_dirs, run_job
from genre_worker.settings import WorkerSettings
from genre_worker.store import connect_redis

log = logging.getLogger(__name__)

settings = WorkerSettings()
app = create_celery(settings)


@dataclass(frozen=True)
class WorkerRuntime:
    redis: redis.Redis
    store: JobStore
    batches: BatchStore
    classifier: Classifier


@cache
def runtime() -> WorkerRuntime:
    client = connect_redis(settings)
    classifier = Classifier(settings.model_dir, threads=settings.inference_threads)
    log.info("loaded model %s %s from %s", classifier.manifest.name, classifier.manifest.version, settings.model_dir)
    return WorkerRuntime(
        redis=client,
        store=JobStore(client, ttl_seconds=settings.job_ttl_seconds),
        batches=BatchStore(client, ttl_seconds=settings.job_ttl_seconds),
        classifier=classifier,
    )


@worker_process_init.connect
def _load_model_at_start(**_: object) -> None:
    # Load (and check) the model when the process starts, not on the first job: an incompatible
    # artifact then stops the worker at once instead of failing every job.
    runtime()
    removed = remove_stale_work_dirs(max_age_seconds=2 * settings.job_time_limit_seconds + 60)
    if removed:
        log.info("removed %d job folders left by killed workers", removed)


@worker_ready.connect
def _say_which_downloader(**_: object) -> None:
    # Once per worker, from its main process: what a failing YouTube download is first checked against.
    log.info("downloader: %s", downloader_info().describe())


@app.task(name=TASK_NAME, bind=True)
def classify(self: Task, job_id: str) -> str | None:
    """Run job `job_id`; returns its final state (the record in Redis holds the result)."""
    worker = runtime()
    try:
        record = run_job(
            job_id,
            worker.store,
            worker.classifier,
            settings,
            time_limit_errors=(SoftTimeLimitExceeded,),
            attempt=self.request.retries + 1,
        )
    except RetryLater as retry:
        raise self.retry(countdown=retry.delay_seconds, max_retries=settings.download_attempts) from retry
    except JobNotStored as not_stored:
        # Not acknowledged: back to the queue, to run again once Redis answers. If Redis is still away the
        # message stays unacknowledged in it and is redelivered after the visibility timeout.
        raise Reject(requeue=True) from not_stored
    return None if record is None else record.state.value


@app.task(name=EXPAND_TASK_NAME)
def expand_batch(batch_id: str) -> str | None:
    """List batch `batch_id`'s playlist and queue a job per entry; returns the batch's state."""
    worker = runtime()

    def queue_job(job_id: str) -> None:
        app.send_task(TASK_NAME, args=[job_id], task_id=job_id)

    try:
        record = run_expansion(
            batch_id,
            worker.batches,
            worker.store,
            worker.redis,
            queue_job,
            settings,
            time_limit_errors=(SoftTimeLimitExceeded,),
        )
    except redis.RedisError as error:
        # As for jobs: back to the queue, to run again once Redis answers (expanding twice is harmless).
        log.warning("batch %s: Redis unreachable (%s); the task goes back to the queue", batch_id, error)
        raise Reject(requeue=True) from error
    return None if record is None else record.state.value
