"""GET /jobs/{id}: a job's state, its error or its result."""

from __future__ import annotations

from fastapi import APIRouter

from genre_api.core.errors import ApiError
from genre_api.deps import ServicesDep
from genre_api.schemas import ErrorBody, JobView

router = APIRouter(tags=["jobs"])


@router.get("/jobs/{job_id}", response_model=JobView, responses={404: {"model": ErrorBody}, 503: {"model": ErrorBody}})
def get_job(job_id: str, services: ServicesDep) -> JobView:
    """Poll this until `state` is `done` (see `result`) or `failed` (see `error`)."""
    record = services.queue.get(job_id)
    if record is None:
        raise ApiError(404, "job_not_found", f"No job {job_id!r}: it never existed or its record expired.")
    return JobView.from_record(record)
