"""GET /jobs/{id}: a job's state, its error or its result."""

from __future__ import annotations

from fastapi import APIRouter, Response

from genre_api.core.errors import ApiError
from genre_api.deps import ServicesDep
from genre_api.schemas import ErrorBody, JobView

router = APIRouter(tags=["jobs"])


@router.get("/jobs/{job_id}", response_model=JobView, responses={404: {"model": ErrorBody}, 503: {"model": ErrorBody}})
async def get_job(job_id: str, services: ServicesDep) -> Response:
    """Poll this until `state` is `done` (see `result`) or `failed` (see `error`)."""
    record = await services.reader.get(job_id)
    if record is None:
        raise ApiError(404, "job_not_found", f"No job {job_id!r}: it never existed or its record expired.")
    # Serialised here: returned as a model, FastAPI would validate the view once more before dumping it,
    # which is a good part of a poll's CPU time (this is the busiest endpoint: every client polls it).
    return Response(JobView.from_record(record).model_dump_json(), media_type="application/json")
