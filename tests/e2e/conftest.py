"""One running stack for all e2e tests: uvicorn API (serving the built page) + Celery worker, own Redis db."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from testkit.stack import Stack, start_stack


@pytest.fixture(scope="session")
def stack(redis_db: Callable[[int], str], model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("stack")
    env = {
        "GENRE_REDIS_URL": redis_db(13),
        "GENRE_MODEL_DIR": str(model_dir),
        "GENRE_UPLOAD_DIR": str(work / "uploads"),
        # The audio server of these tests runs on 127.0.0.1; by default only YouTube hosts are allowed.
        "GENRE_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "GENRE_ALLOWED_NETWORKS": "127.0.0.0/8,::1/128",
        "GENRE_DOWNLOAD_RETRY_SECONDS": "0.2",
        # Every test here submits from 127.0.0.1, refused requests included: the limit would answer 429 to
        # most of the catalogue. tests/e2e/test_hostile_api.py runs a stack with the limit on and tests it.
        "GENRE_RATE_LIMIT_PER_MINUTE": "0",
    }
    running = start_stack(env, log_dir=work)
    yield running
    running.stop()
