"""The FastAPI application: `uvicorn genre_api.main:app`."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from genre_api.batch_queue import BatchQueue
from genre_api.core.access_log import quiet_polls
from genre_api.core.body_limit import BodySizeLimit, json_cap, upload_cap
from genre_api.core.config import ApiSettings
from genre_api.core.errors import install_error_handlers
from genre_api.core.gc_tuning import tune_for_serving
from genre_api.core.host_cache import CachedResolver
from genre_api.deps import Services
from genre_api.health_probe import HealthProbe, check_health
from genre_api.job_queue import JobQueue, create_celery_client
from genre_api.job_reader import JobReader
from genre_api.model_card import ModelCard
from genre_api.routes import batches, classify, health, jobs, models
from genre_api.routes.docs import mount_docs
from genre_core.batches import BatchStore
from genre_core.jobs import JobStore

log = logging.getLogger(__name__)


def create_app(settings: ApiSettings | None = None) -> FastAPI:
    settings = settings or ApiSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        tune_for_serving()  # in each server process, once its start-up is over
        yield
        await app.state.services.reader.close()
        app.state.services.health.close()

    app = FastAPI(
        lifespan=lifespan,
        title="Music Genre Classifier",
        version="0.1.0",
        description="Send a link or an audio file; poll the job; get the song's genre distribution and timeline.",
        # Served by routes/docs.py from local files instead: FastAPI's pages load their scripts from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    redis_client = redis.Redis.from_url(settings.redis_url, socket_timeout=2, socket_connect_timeout=2)
    celery = create_celery_client(settings.redis_url)
    store = JobStore(redis_client, ttl_seconds=settings.job_ttl_seconds)
    queue = JobQueue(store, redis_client, celery, stale_after_seconds=settings.job_stale_seconds)
    batch_store = BatchStore(redis_client, ttl_seconds=settings.job_ttl_seconds)
    batch_queue = BatchQueue(batch_store, queue, redis_client, celery, stale_after_seconds=settings.job_stale_seconds)
    reader = JobReader(settings.redis_url, queue, settings.job_ttl_seconds, settings.job_stale_seconds)
    # Its own Celery client, so its own broker connections: a health check never waits for, nor holds, one
    # that submissions need.
    ping = functools.partial(
        check_health, redis_client, create_celery_client(settings.redis_url), settings.worker_ping_timeout_seconds
    )
    app.state.services = Services(
        settings=settings,
        redis=redis_client,
        celery=celery,
        queue=queue,
        batches=batch_queue,
        reader=reader,
        model_card=ModelCard(settings.model_dir),
        resolver=CachedResolver(),
        health=HealthProbe(ping, wait_seconds=settings.worker_ping_timeout_seconds + 3),
    )
    settings.upload_dir.mkdir(parents=True, exist_ok=True)
    quiet_polls(enabled=not settings.log_polls)

    uploads = {path: upload_cap(settings.max_upload_bytes) for path in classify.UPLOAD_PATHS}
    app.add_middleware(BodySizeLimit, default=json_cap(settings.max_json_bytes), by_path=uploads)
    if settings.trusted_proxies:
        # Trusted here (a typed GENRE_ setting) and not by uvicorn, which runs with --no-proxy-headers in every
        # path: by default it believes any X-Forwarded-For from 127.0.0.1, so a client on the same host could
        # pick the address its submissions are counted against. Added last: the outermost, seen first.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.trusted_proxies)
    install_error_handlers(app)
    # Polls first: a request is matched against the routes in order, and polls are most requests.
    for module in (jobs, classify, batches, models, health):
        app.include_router(module.router)
    mount_docs(app)
    _serve_frontend(app, settings)
    return app


def _serve_frontend(app: FastAPI, settings: ApiSettings) -> None:
    # Mounted last so the API routes above take precedence over the static files.
    if (settings.frontend_dir / "index.html").is_file():
        app.mount("/", StaticFiles(directory=settings.frontend_dir, html=True), name="frontend")
    else:
        log.warning(
            "no built frontend at %s (run `npm run build` in frontend/); serving the API only", settings.frontend_dir
        )


app = create_app()
