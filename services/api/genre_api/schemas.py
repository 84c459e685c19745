"""Request and response bodies of the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, HttpUrl

from genre_core.jobs import JobError, JobRecord, JobState
from genre_core.results import ClassificationResult


class ClassifyUrlRequest(BaseModel):
    url: HttpUrl = Field(description="A YouTube link (or another allowed host) to the song.", max_length=2048)


class JobAccepted(BaseModel):
    job_id: str
    status_url: str = Field(description="Poll this for progress and the result.")
    state: JobState


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
