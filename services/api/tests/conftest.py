"""The API's usual test settings and in-process client: real Redis (database 14), the shipped test model, no
worker (jobs stay queued, batches expanding) and no built page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from genre_api.core.config import ApiSettings
from genre_api.main import create_app


@pytest.fixture
def settings(redis_db: Callable[[int], str], model_dir: Path, tmp_path: Path) -> ApiSettings:
    return ApiSettings(
        redis_url=redis_db(14),
        model_dir=model_dir,
        upload_dir=tmp_path / "uploads",
        frontend_dir=tmp_path / "no-frontend",
        allowed_hosts="youtube.com,www.youtube.com,youtu.be",
        max_upload_bytes=1_000_000,
        worker_ping_timeout_seconds=0.3,
    )


@pytest.fixture
def client(settings: ApiSettings) -> TestClient:
    return TestClient(create_app(settings))
