"""Batch records in Redis: a playlist's songs, one ordinary job each. Created by the API (`expanding`),
filled in by the worker once it has listed the playlist (`running`, each entry with its job id), read by
clients together with their entries' jobs.

A batch stores its own state only until it is expanded; from then on its progress is its jobs' states,
read when asked (`done` once every entry is final), so no worker ever has to come back to a batch.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

import redis
from pydantic import BaseModel, Field, ValidationError

from genre_core.jobs import JobError, new_job_id, now

KEY_PREFIX = "genre:batch:"
# As for jobs: a small marker outlives each record, so an expired batch reads `expired`, not unknown.
TOMBSTONE_PREFIX = "genre:batch-expired:"
TOMBSTONE_SECONDS = 30 * 24 * 3600


class BatchState(StrEnum):
    expanding = "expanding"
    running = "running"
    done = "done"
    failed = "failed"
    expired = "expired"


class BatchPolicy(BaseModel):
    """What the API applied to the playlist's link, applied by the worker to each of its entries; internal.

    Carried in the record rather than configured twice, so the API and the worker cannot disagree on it.
    """

    client: str = Field(description="The submitting client's address: its rate limit counts the entries.")
    allowed_hosts: list[str]
    allowed_networks: list[str]
    rate_limit_per_minute: int
    model_version: str = Field(description="Entries share results with single links analysed by this model.")
    stale_after_seconds: float = Field(description="An entry's existing job unchanged this long is not reused.")


class BatchEntry(BaseModel):
    index: int = Field(description="Position in the playlist, from 1.")
    url: str | None = Field(default=None, description="The entry's link, as the playlist gives it.")
    title: str | None = Field(default=None, description="The entry's title, as the playlist gives it.")
    job_id: str | None = Field(default=None, description="Its job; none when the entry was refused (see `error`).")
    error: JobError | None = Field(default=None, description="Why the entry got no job (e.g. `url_not_allowed`).")


class BatchRecord(BaseModel):
    id: str
    state: BatchState = Field(description="Stored: `expanding`, `running` or `failed`; `done` is read from jobs.")
    url: str
    title: str | None = None
    created_at: datetime
    updated_at: datetime
    error: JobError | None = None
    entries: list[BatchEntry] = Field(default_factory=list)
    policy: BatchPolicy


UNREADABLE_BATCH = JobError(
    code="internal_error", message="This batch's stored record could not be read; please submit the playlist again."
)


class BatchStore:
    """Batch records as JSON under `genre:batch:<id>`, each expiring `ttl_seconds` after its last update."""

    def __init__(self, client: redis.Redis, ttl_seconds: int) -> None:
        self._redis = client
        self._ttl_seconds = ttl_seconds

    def create(self, url: str, policy: BatchPolicy) -> BatchRecord:
        created = now()
        record = BatchRecord(
            id=new_job_id(), state=BatchState.expanding, url=url, created_at=created, updated_at=created, policy=policy
        )
        pipeline = self._redis.pipeline(transaction=False)
        pipeline.set(TOMBSTONE_PREFIX + record.id, record.model_dump_json(), ex=self._ttl_seconds + TOMBSTONE_SECONDS)
        pipeline.set(KEY_PREFIX + record.id, record.model_dump_json(), ex=self._ttl_seconds)
        pipeline.execute()
        return record

    def get(self, batch_id: str) -> BatchRecord | None:
        """The batch's record; `expired` once its TTL passed; None for ids never given out."""
        raw, tombstone = self._redis.mget([KEY_PREFIX + batch_id, TOMBSTONE_PREFIX + batch_id])
        return batch_from_stored(raw, tombstone, self._ttl_seconds)

    def update(self, batch_id: str, **changes: Any) -> BatchRecord:
        """Change a live record (an expired one is not brought back).

        Raises:
            KeyError: there is no live record.
        """
        raw = self._redis.get(KEY_PREFIX + batch_id)
        record = _parsed(raw)
        if record is None:
            raise KeyError(batch_id)
        updated = record.model_copy(update={**changes, "updated_at": now()})
        self._redis.set(KEY_PREFIX + batch_id, updated.model_dump_json(), ex=self._ttl_seconds)
        return updated

    def fail_if_stale(self, record: BatchRecord, stale_after_seconds: float) -> BatchRecord:
        """Fail a batch still `expanding` after `stale_after_seconds`: none waits for its playlist forever
        (a queue message lost with a Redis that kept no data). Its entries' jobs have their own check."""
        if not is_stale(record, stale_after_seconds):
            return record
        error = JobError(
            code="timeout", message="The playlist was not read in time (no worker listed it); please submit it again."
        )
        return self.update(record.id, state=BatchState.failed, error=error)


def batch_from_stored(raw: bytes | None, tombstone: bytes | None, ttl_seconds: int) -> BatchRecord | None:
    """The record from its two stored values: the live one, else `expired` from the tombstone, else None.

    A live record that does not parse reads as `failed` / `internal_error` (from its tombstone), never as
    an error of the reader.
    """
    tombstoned = _parsed(tombstone)
    if raw is not None:
        record = _parsed(raw)
        if record is not None:
            return record
        if tombstoned is None:
            return None
        return tombstoned.model_copy(update={"state": BatchState.failed, "error": UNREADABLE_BATCH})
    if tombstoned is None:
        return None
    hours = ttl_seconds / 3600
    error = JobError(code="expired", message=f"Results are kept for {hours:g} h; submit the playlist again.")
    return tombstoned.model_copy(update={"state": BatchState.expired, "error": error})


def _parsed(raw: bytes | None) -> BatchRecord | None:
    if raw is None:
        return None
    try:
        return BatchRecord.model_validate_json(raw)
    except ValidationError:
        return None


def is_stale(record: BatchRecord, stale_after_seconds: float) -> bool:
    """Still `expanding` and unchanged for longer than `stale_after_seconds`."""
    return record.state == BatchState.expanding and (now() - record.updated_at).total_seconds() > stale_after_seconds
