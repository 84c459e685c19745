"""GET /batches/{id}: a playlist's songs, each with its job's state and song-level result."""

from __future__ import annotations

from fastapi import APIRouter

from genre_api.core.errors import ApiError
from genre_api.deps import ServicesDep
from genre_api.schemas import BatchView, ErrorBody

router = APIRouter(tags=["batches"])


# Served by the lower route (GET and HEAD, registered first); the upper one documents the GET (see jobs.py).
@router.get(
    "/batches/{batch_id}", response_model=BatchView, responses={404: {"model": ErrorBody}, 503: {"model": ErrorBody}}
)
@router.api_route("/batches/{batch_id}", methods=["GET", "HEAD"], include_in_schema=False)
def get_batch(batch_id: str, services: ServicesDep) -> BatchView:
    """Poll this until `state` is `done` (every entry finished or failed) or `failed` (see `error`)."""
    view = services.batches.get(batch_id)
    if view is None:
        raise ApiError(404, "batch_not_found", f"No batch {batch_id!r}: it never existed or its record expired.")
    return view
