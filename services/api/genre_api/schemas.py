"""Request and response bodies of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, HttpUrl

from genre_core.batches import BatchState
from genre_core.jobs import JobError, JobRecord, JobState
from genre_core.results import ClassificationResult


class ClassifyUrlRequest(BaseModel):
    url: HttpUrl = Field(
        description="A YouTube link (or another allowed host) to the song, or to a playlist.", max_length=2048
    )
    playlist: bool | None = Field(
        default=None,
        description="`true`: the link is a playlist (a YouTube playlist, a podcast feed, a page of links): "
        "classify each of its songs, as a batch. `false`: one song. Unset: a batch for a YouTube link with "
        "`list=` and no video, one song otherwise.",
    )


class JobAccepted(BaseModel):
    job_id: str
    status_url: str = Field(description="Poll this for progress and the result.")
    state: JobState


class BatchAccepted(BaseModel):
    batch_id: str
    status_url: str = Field(description="Poll this for the playlist's songs, their jobs and results.")
    state: BatchState


class JobSourceView(BaseModel):
    kind: Literal["url", "upload"]
    url: str | None = None
    filename: str | None = None


class JobView(BaseModel):
    id: str
    state: JobState
    source: JobSourceView
    created_at: datetime
    updated_at: datetime
    error: JobError | None = None
    result: ClassificationResult | None = None

    @classmethod
    def from_record(cls, record: JobRecord) -> JobView:
        # One validation pass over the record's attributes; `source.upload_path` has no field here and is dropped.
        return cls.model_validate(record, from_attributes=True)


class HealthView(BaseModel):
    status: str = Field(description="'ok' when Redis answers and at least one worker is alive, else 'degraded'.")
    redis: bool
    workers: int = Field(description="1 when a worker replied to the ping (the check ends at the first reply), else 0.")


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorBody(BaseModel):
    error: ErrorDetail


class EntryResult(BaseModel):
    """The song-level part of a finished entry's result; its job (`status_url`) has the whole of it."""

    top_genre: str
    top_probability: float
    song_probabilities: dict[str, float]
    duration_seconds: float
    model_version: str


class BatchEntryView(BaseModel):
    index: int = Field(description="Position in the playlist, from 1.")
    url: str | None
    title: str | None
    job_id: str | None = Field(description="None for an entry refused before it got a job (see `error`).")
    status_url: str | None = Field(description="The entry's job: its full result, timeline included.")
    state: JobState
    error: JobError | None = None
    result: EntryResult | None = None


class BatchCounts(BaseModel):
    total: int
    queued: int
    running: int = Field(description="Downloading or analysing.")
    done: int
    failed: int = Field(description="Failed, refused before a job, or expired.")


class BatchView(BaseModel):
    id: str
    state: BatchState = Field(
        description="`expanding` (the playlist is being listed), `running`, `done` (every entry final, some "
        "may have failed), `failed` (the playlist could not be used: see `error`), `expired`."
    )
    url: str
    title: str | None
    created_at: datetime
    updated_at: datetime
    error: JobError | None = None
    counts: BatchCounts
    genres: dict[str, int] = Field(description="How many finished entries have each top genre, most first.")
    entries: list[BatchEntryView]
