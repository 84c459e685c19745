"""Job records in Redis: created by the API, advanced by the worker, read by clients.

The API keeps its own record of every job id it hands out, so an unknown id is a 404 and not
an eternal "pending" (which is what Celery's result backend answers for any id it never saw).
"""

from __future__ import annotations

import json
import logging
import math
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Literal

import redis
from pydantic import BaseModel, Field, ValidationError

from genre_core.errors import DownloadCause, PipelineError
from genre_core.results import ClassificationResult

log = logging.getLogger(__name__)

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
    cause: DownloadCause | None = Field(
        default=None, description="For `download_failed`: the kind of failure (e.g. `private_video`, `no_network`)."
    )
    detail: str | None = Field(
        default=None,
        description="The failing tool's own words (e.g. yt-dlp's error), for operators; the message says it plainly.",
    )

    @classmethod
    def of(cls, error: PipelineError) -> JobError:
        return cls(code=error.code, message=error.message, cause=error.cause, detail=error.detail)


YOUTUBE_KEY_PREFIX = "youtube:"


class JobSource(BaseModel):
    kind: Literal["url", "upload"]
    url: str | None = None
    key: str | None = Field(
        default=None,
        description="What the duplicate check took the link for: `youtube:<video id>`, or the URL; internal.",
    )
    filename: str | None = Field(default=None, description="The uploaded file's name, as the client sent it.")
    upload_path: str | None = Field(default=None, description="Where the worker finds the upload; internal.")

    @property
    def youtube_video_id(self) -> str | None:
        """The video id the link was keyed by, if it was keyed as a YouTube video: the worker refuses media
        with another id, so that the result filed under this key is this video's."""
        if self.key and self.key.startswith(YOUTUBE_KEY_PREFIX):
            return self.key.removeprefix(YOUTUBE_KEY_PREFIX)
        return None


class JobRecord(BaseModel):
    id: str
    state: JobState
    source: JobSource
    created_at: datetime
    updated_at: datetime
    error: JobError | None = None
    result: ClassificationResult | None = None


class UnusableResult(PipelineError):
    """A result that is not a set of distributions over the labels: it is never stored."""

    code = "internal_error"


# Window probabilities are stored rounded to 6 decimals; a sum further than this from 1 is not a distribution.
_SUM_TOLERANCE = 1e-3


def check_result(result: ClassificationResult) -> None:
    """Raise :class:`UnusableResult` unless every number in it is finite, the song's probabilities are a
    distribution over the labels, and so is each window's (or all zeros: a window the model was not run on).

    NaN would be stored as JSON null, which no reader can parse back; an unnormalised distribution would
    be shown as a wrong answer.
    """
    if not all(math.isfinite(value) for value in _numbers(result.model_dump())):
        raise UnusableResult("The analysis gave an unusable result (not a number); please try another file.")
    labels = len(result.labels)
    song = list(result.song_probabilities.values())
    windows = [window.probabilities for window in result.windows]
    if len(song) != labels or any(len(probabilities) != labels for probabilities in windows):
        raise UnusableResult("The analysis gave an unusable result (probabilities that do not match the genres).")
    if not _is_distribution(song) or not all(_is_distribution(p) or not any(p) for p in windows):
        raise UnusableResult("The analysis gave an unusable result (probabilities that do not sum to 1).")


def _numbers(value: object) -> Iterator[float]:
    if isinstance(value, float):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _numbers(item)
    elif isinstance(value, list):
        for item in value:
            yield from _numbers(item)


def _is_distribution(probabilities: list[float]) -> bool:
    return all(0.0 <= p <= 1.0 for p in probabilities) and abs(math.fsum(probabilities) - 1.0) <= _SUM_TOLERANCE


def new_job_id() -> str:
    return uuid.uuid4().hex


def now() -> datetime:
    return datetime.now(UTC)


class JobStore:
    """Job records as JSON strings under `genre:job:<id>`, each expiring `ttl_seconds` after its last update."""

    def __init__(self, client: redis.Redis, ttl_seconds: int) -> None:
        self._redis = client
        self._ttl_seconds = ttl_seconds

    @property
    def ttl_seconds(self) -> int:
        """How long a record is kept after its last update."""
        return self._ttl_seconds

    def create(self, source: JobSource, job_id: str | None = None) -> JobRecord:
        created = now()
        record = JobRecord(
            id=job_id or new_job_id(), state=JobState.queued, source=source, created_at=created, updated_at=created
        )
        # The tombstone keeps the upload's path: a worker that reaches the job after it expired still removes it.
        # One round trip for both keys: job creation is on the API's busiest path.
        pipeline = self._redis.pipeline(transaction=False)
        pipeline.set(TOMBSTONE_PREFIX + record.id, record.model_dump_json(), ex=self._ttl_seconds + TOMBSTONE_SECONDS)
        pipeline.set(KEY_PREFIX + record.id, record.model_dump_json(), ex=self._ttl_seconds)
        pipeline.execute()
        return record

    def get(self, job_id: str) -> JobRecord | None:
        """The job's record; an `expired` record once its TTL passed; None for ids never given out."""
        raw, tombstone = self._redis.mget(stored_keys(job_id))
        return record_from_stored(raw, tombstone, self._ttl_seconds)

    def update(self, job_id: str, **changes: Any) -> JobRecord:
        """Change a live record (an expired one is not brought back).

        Raises:
            KeyError: there is no live record.
            UnusableResult: the changes hold a result that fails :func:`check_result`; nothing is written.
        """
        raw = self._redis.get(KEY_PREFIX + job_id)
        if raw is None:
            raise KeyError(job_id)
        record = _live_record(raw, None) or JobRecord.model_validate_json(raw)
        updated = record.model_copy(update={**changes, "updated_at": now()})
        if updated.result is not None:
            check_result(updated.result)
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

    Pure, so that the API's asynchronous reader and :class:`JobStore` read records the same way. Never
    raises on what it finds stored: a live record it cannot parse reads as `failed` / `internal_error`
    (see :func:`_live_record`), an unreadable tombstone as never created.
    """
    if raw is not None:
        return _live_record(raw, tombstone)
    base = _parsed(tombstone)
    if base is None:
        return None
    hours = ttl_seconds / 3600
    error = JobError(code="expired", message=f"Results are kept for {hours:g} h; submit the song again.")
    return base.model_copy(update={"state": JobState.expired, "error": error})


UNREADABLE_RECORD = JobError(
    code="internal_error", message="This job's stored record could not be read; please submit the song again."
)


def _live_record(raw: bytes, tombstone: bytes | None) -> JobRecord | None:
    """The live record; one that does not parse (written by an older or broken writer) as `failed` with
    its result dropped, or, if even that fails, its tombstone's record failed; None if neither is usable."""
    record = _parsed(raw)
    if record is not None:
        return record
    salvaged: JobRecord | None = None
    try:
        fields = json.loads(raw)
        if isinstance(fields, dict):
            fields = {key: value for key, value in fields.items() if key not in {"result", "error"}}
            salvaged = JobRecord.model_validate({**fields, "state": JobState.failed})
    except ValueError:  # not JSON, or not a record even without its result (pydantic's error is a ValueError)
        pass
    salvaged = salvaged or _parsed(tombstone)
    # A warning, not a traceback: each poll of the job reads it again.
    log.warning("job record %s cannot be read; it reads as failed", salvaged.id if salvaged else "(no id)")
    if salvaged is None:
        return None
    return salvaged.model_copy(update={"state": JobState.failed, "error": UNREADABLE_RECORD, "result": None})


def _parsed(raw: bytes | None) -> JobRecord | None:
    if raw is None:
        return None
    try:
        return JobRecord.model_validate_json(raw)
    except ValidationError:
        return None


def is_stale(record: JobRecord, stale_after_seconds: float) -> bool:
    """Unfinished and unchanged for longer than `stale_after_seconds`."""
    return record.state not in FINAL_STATES and (now() - record.updated_at).total_seconds() > stale_after_seconds
