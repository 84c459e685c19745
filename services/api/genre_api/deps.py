"""What route handlers receive: the settings and services created once by `create_app`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import redis
from celery import Celery
from fastapi import Depends, Request

from genre_api.batch_queue import BatchQueue
from genre_api.core.config import ApiSettings
from genre_api.core.host_cache import CachedResolver
from genre_api.health_probe import HealthProbe
from genre_api.job_queue import JobQueue
from genre_api.job_reader import JobReader
from genre_api.model_card import ModelCard


@dataclass(frozen=True)
class Services:
    settings: ApiSettings
    redis: redis.Redis
    celery: Celery
    queue: JobQueue
    batches: BatchQueue
    reader: JobReader
    model_card: ModelCard
    resolver: CachedResolver
    health: HealthProbe


def services_of(request: Request) -> Services:
    """The services of the app serving `request` (for routes that take the request rather than `ServicesDep`)."""
    return request.app.state.services


async def get_services(request: Request) -> Services:
    # `async` on purpose: FastAPI runs a plain `def` dependency in the thread pool, a hop per request
    # that cost 10-20 % of poll throughput when polls still used it (benchmarks/RESULTS.md, section 3).
    return services_of(request)


ServicesDep = Annotated[Services, Depends(get_services)]
