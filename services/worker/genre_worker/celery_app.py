"""The Celery application: Redis as broker, configured so jobs survive crashes.

No result backend: a job's state and result live in the JobStore record that the API reads; a Celery
result would be a second copy nobody reads (one more Redis write per job).
"""

from __future__ import annotations

from celery import Celery

from genre_worker.settings import WorkerSettings

TASK_NAME = "genre_worker.classify"
EXPAND_TASK_NAME = "genre_worker.expand_batch"


def create_celery(settings: WorkerSettings) -> Celery:
    app = Celery("genre_worker", broker=settings.redis_url)
    app.conf.update(
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,
        # Acknowledge after the task ran, and give a task back if its process dies, so a killed
        # worker's job is redelivered rather than lost; `run_job` is safe to run twice.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        # Redis redelivers unacknowledged tasks after this; it must outlast the longest job.
        broker_transport_options={"visibility_timeout": settings.job_time_limit_seconds * 2},
        task_soft_time_limit=settings.job_time_limit_seconds,
        task_time_limit=settings.job_time_limit_seconds + 30,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    return app
