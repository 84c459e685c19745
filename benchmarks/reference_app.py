"""The machine's ceiling for a status poll: a bare FastAPI route doing one async Redis GET, nothing else.

`benchmarks/api_load.py` runs it under the same uvicorn options and load as `GET /jobs/{id}`, and with the
same garbage-collector settings (`genre_api.core.gc_tuning`), so the gap between the two is what the
service's own work costs, and the reference itself is what one small machine with FastAPI and Redis can
give at best.

    GENRE_REDIS_URL=redis://127.0.0.1:6379/6 uvicorn benchmarks.reference_app:app
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import redis.asyncio as aredis
from fastapi import FastAPI, Response

from genre_api.core.gc_tuning import tune_for_serving

REFERENCE_KEY = "genre:bench:reference"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    tune_for_serving()
    yield


app = FastAPI(lifespan=lifespan)
_redis = aredis.Redis(
    connection_pool=aredis.BlockingConnectionPool.from_url(
        os.environ.get("GENRE_REDIS_URL", "redis://127.0.0.1:6379/6"), max_connections=64, timeout=2
    )
)


@app.get("/reference")
async def reference() -> Response:
    return Response(await _redis.get(REFERENCE_KEY) or b"{}", media_type="application/json")
