"""GET /healthz: is Redis reachable, is a worker alive?"""

from __future__ import annotations

import redis
from fastapi import APIRouter, Response

from genre_api.deps import ServicesDep
from genre_api.schemas import HealthView

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthView, responses={503: {"model": HealthView}})
def health(services: ServicesDep, response: Response) -> HealthView:
    """200 when Redis answers and at least one Celery worker replies to a ping; 503 otherwise."""
    try:
        redis_ok = bool(services.redis.ping())
    except redis.RedisError:
        redis_ok = False
    workers = 0
    if redis_ok:
        replies = services.celery.control.ping(timeout=services.settings.worker_ping_timeout_seconds)
        workers = len(replies or [])
    healthy = redis_ok and workers > 0
    response.status_code = 200 if healthy else 503
    return HealthView(status="ok" if healthy else "degraded", redis=redis_ok, workers=workers)
