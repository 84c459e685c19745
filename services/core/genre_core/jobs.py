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


class JobState(StrEnum):
    queued = "queued"
    downloading = "downloading"
    analyzing = "analyzing"
    done = "done"
    failed = "failed"


FINAL_STATES = frozenset({JobState.done, JobState.failed})


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

    def create(self, source: JobSource) -> JobRecord:
        created = now()
        record = JobRecord(
            id=new_job_id(), state=JobState.queued, source=source, created_at=created, updated_at=created
        )
        self._save(record)
        return record

    def get(self, job_id: str) -> JobRecord | None:
        raw = self._redis.get(KEY_PREFIX + job_id)
        return None if raw is None else JobRecord.model_validate_json(raw)

    def update(self, job_id: str, **changes: Any) -> JobRecord:
        record = self.get(job_id)
        if record is None:
            raise KeyError(job_id)
        updated = record.model_copy(update={**changes, "updated_at": now()})
        self._save(updated)
        return updated

    def _save(self, record: JobRecord) -> None:
        self._redis.set(KEY_PREFIX + record.id, record.model_dump_json(), ex=self._ttl_seconds)
