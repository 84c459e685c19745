"""GET /healthz: is Redis reachable, is a worker alive? Answered from a check shared by all callers (HealthProbe)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from genre_api.deps import ServicesDep
from genre_api.schemas import HealthView

router = APIRouter(tags=["health"])


# Served by the lower route (GET and HEAD, registered first); the upper one documents the GET (see jobs.py).
@router.get("/healthz", response_model=HealthView, responses={503: {"model": HealthView}})
@router.api_route("/healthz", methods=["GET", "HEAD"], include_in_schema=False)
async def health(services: ServicesDep, response: Response) -> HealthView:
    """200 when Redis answers and at least one Celery worker replies to a ping; 503 otherwise.

    The answer may be up to a second old: one check per server process serves every caller meanwhile.
    """
    state = await services.health.get()
    response.status_code = 200 if state.healthy else 503
    return HealthView(status="ok" if state.healthy else "degraded", redis=state.redis, workers=state.workers)
