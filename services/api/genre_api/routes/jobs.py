"""GET /jobs/{id}: a job's state, its error or its result."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from genre_api.core.errors import ApiError
from genre_api.core.lean_route import LeanRoute
from genre_api.deps import services_of
from genre_api.schemas import ErrorBody, JobView
from genre_core.results import SONG_DETAIL_EXCLUDE

# The busiest endpoint (every waiting client polls it): FastAPI documents it, but calls it without its
# per-request parameter machinery, which cost more than the poll itself (see LeanRoute).
router = APIRouter(tags=["jobs"], route_class=LeanRoute)

DETAILS = ("song", "windows")
SONG_DETAIL_EXCLUDES = {"result": SONG_DETAIL_EXCLUDE}
DETAIL_PARAMETER = {
    "name": "detail",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": list(DETAILS), "default": "song"},
    "description": "`song` (default): the song's tags, not each window's; `windows`: each window's tag scores "
    "too (`result.windows[].tags`, in the order of `result.tag_names`).",
}


# Two routes, one endpoint. The lower one is registered first (decorators apply from the bottom up) and serves
# every request: GET, and HEAD (the same answer; uvicorn drops the body); a poll matches it at once, and a 405
# for another method lists both in `Allow`. The upper one only documents the GET in OpenAPI.
@router.get(
    "/jobs/{job_id}",
    response_model=JobView,
    responses={404: {"model": ErrorBody}, 422: {"model": ErrorBody}, 503: {"model": ErrorBody}},
    openapi_extra={"parameters": [DETAIL_PARAMETER]},
)
@router.api_route("/jobs/{job_id}", methods=["GET", "HEAD"], include_in_schema=False)
async def get_job(request: Request, job_id: str) -> Response:
    """Poll this until `state` is `done` (see `result`) or `failed` (see `error`)."""
    # Read by hand: a LeanRoute takes no query parameters (the parameter is documented by `openapi_extra`).
    detail = request.query_params.get("detail", "song")
    if detail not in DETAILS:
        raise ApiError(422, "invalid_detail", f"detail must be one of {', '.join(DETAILS)}, not {detail!r}.")
    record = await services_of(request).reader.get(job_id)
    if record is None:
        raise ApiError(404, "job_not_found", f"No job {job_id!r}: it never existed or its record expired.")
    # Serialised here, once: a LeanRoute hands back what the endpoint returns, so it must be a Response.
    exclude = None if detail == "windows" else SONG_DETAIL_EXCLUDES
    return Response(JobView.from_record(record).model_dump_json(exclude=exclude), media_type="application/json")
