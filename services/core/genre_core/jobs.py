"""Job records in Redis: created by the API, advanced by the worker, read by clients.

The API keeps its own record of every job id it hands out, so an unknown id is a 404 and not
an eternal "pending" (which is what Celery's result backend answers for any id it never saw).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

import redis
from pydantic import BaseModel, Field

from genre_core.results import ClassificationResult

KEY_PREFIX = "genre:job:"
# A small marker outlives each record, so an expired job reads as `expired`, not as never created.
TOMBSTONE_PREFIX = "genre:job-expired:"
TOMBSTONE_SECONDS = 30 * 24 * 3600


class JobState(StrEnum):
    queued = "queued"
    downloading = "downloading"
    analyzing = "analyzing"
    done = "done"
    failed = "failed"
    expired = "expired"


FINAL_STATES = frozenset({JobState.done, JobState.failed, JobState.expired})


class JobError(BaseModel):
    code: str = Field(description="Machine-readable, e.g. 'download_failed', 'unsupported_audio', 'too_short'.")
    message: str = Field(description="What went wrong, in words.")


class JobSource(BaseModel):
    kind: Literal["url", "upload"]
    url: str | None = None
    filename: str | None = Field(default=None, description="The uploaded file's name, as the client sent it.")
    upload_path: str | None = Field(default=None, description="Where the worker finds the upload; internal.")


class JobRecord(BaseModel):
    id: str
    state: JobState
    source: JobSource
    created_at: datetime
    updated_at: datetime
    error: JobError | None = None
    result: ClassificationResult | None = None


def new_job_id() -> str:
    return uuid.uuid4().hex


def now() -> datetime:
    return datetime.now(UTC)


class JobStore:
    """Job records as JSON strings under `genre:job:<id>`, each expiring `ttl_seconds` after its last update."""

    def __init__(self, client: redis.Redis, ttl_seconds: int) -> None:
        self._redis = client
        self._ttl_seconds = ttl_seconds

    def create(self, source: JobSource, job_id: str | None = None) -> JobRecord:
        created = now()
        record = JobRecord(
            id=job_id or new_job_id(), state=JobState.queued, source=source, created_at=created, updated_at=created
        )
        tombstone = record.model_copy(update={"source": source.model_copy(update={"upload_path": None})})
        # One round trip for both keys: job creation is on the API's busiest path.
        pipeline = self._redis.pipeline(transaction=False)
        pipeline.set(
            TOMBSTONE_PREFIX + record.id, tombstone.model_dump_json(), ex=self._ttl_seconds + TOMBSTONE_SECONDS
        )
        pipeline.set(KEY_PREFIX + record.id, record.model_dump_json(), ex=self._ttl_seconds)
        pipeline.execute()
        return record

    def get(self, job_id: str) -> JobRecord | None:
        """The job's record; an `expired` record once its TTL passed; None for ids never given out."""
        raw, tombstone = self._redis.mget(stored_keys(job_id))
        return record_from_stored(raw, tombstone, self._ttl_seconds)

    def update(self, job_id: str, **changes: Any) -> JobRecord:
        """Change a live record (an expired one is not brought back). Raises KeyError if there is none."""
        raw = self._redis.get(KEY_PREFIX + job_id)
        if raw is None:
            raise KeyError(job_id)
        record = JobRecord.model_validate_json(raw)
        updated = record.model_copy(update={**changes, "updated_at": now()})
        self._save(updated)
        return updated

    def fail_if_stale(self, record: JobRecord, stale_after_seconds: float) -> JobRecord:
        """Fail a job that has not moved for `stale_after_seconds`: no job stays queued or running forever.

        Celery redelivers the task of a worker that died, and a job past its time limit is failed by
        the worker itself; this catches the rest (a queue message lost with a Redis that kept no data).
        """
        if not is_stale(record, stale_after_seconds):
            return record
        error = JobError(
            code="timeout", message="The job did not finish in time (no worker completed it); please submit it again."
        )
        return self.update(record.id, state=JobState.failed, error=error)

    def _save(self, record: JobRecord) -> None:
        self._redis.set(KEY_PREFIX + record.id, record.model_dump_json(), ex=self._ttl_seconds)


def stored_keys(job_id: str) -> list[str]:
    """The two keys a job lives under, in the order :func:`record_from_stored` takes their values."""
    return [KEY_PREFIX + job_id, TOMBSTONE_PREFIX + job_id]


def record_from_stored(raw: bytes | None, tombstone: bytes | None, ttl_seconds: int) -> JobRecord | None:
    """The record from the values of :func:`stored_keys`: the live one, else `expired` from the tombstone, else None.

    Pure, so that the API's asynchronous reader and :class:`JobStore` read records the same way.
    """
    if raw is not None:
        return JobRecord.model_validate_json(raw)
    if tombstone is None:
        return None
    hours = ttl_seconds / 3600
    error = JobError(code="expired", message=f"Results are kept for {hours:g} h; submit the song again.")
    return JobRecord.model_validate_json(tombstone).model_copy(update={"state": JobState.expired, "error": error})


def is_stale(record: JobRecord, stale_after_seconds: float) -> bool:
    """Unfinished and unchanged for longer than `stale_after_seconds`."""
    return record.state not in FINAL_STATES and (now() - record.updated_at).total_seconds() > stale_after_seconds
