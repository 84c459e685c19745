"""Redis away while a job ends: the worker does not acknowledge the task until the job's state is stored,
and the job runs again once Redis is back, rather than staying `downloading` until the stale rule."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from testkit.audio_server import GatedAudioServer
from testkit.redis_server import PrivateRedis
from testkit.stack import Stack, start_stack
from testkit.waiting import wait_until

pytestmark = pytest.mark.e2e

TIME_LIMIT_SECONDS = 5  # the broker redelivers an unacknowledged task after twice this


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    data = tmp_path / "redis"
    data.mkdir()
    server = PrivateRedis(data)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def gated_server(tmp_path: Path, clip_path: Path) -> Iterator[GatedAudioServer]:
    folder = tmp_path / "served"
    folder.mkdir()
    shutil.copy(clip_path, folder / "rock.ogg")
    server = GatedAudioServer(folder)
    yield server
    server.gate.set()
    server.stop()


@pytest.fixture
def outage_stack(private_redis: PrivateRedis, model_dir: Path, tmp_path: Path) -> Iterator[Stack]:
    env = {
        "GENRE_REDIS_URL": private_redis.url,
        "GENRE_MODEL_DIR": str(model_dir),
        "GENRE_UPLOAD_DIR": str(tmp_path / "uploads"),
        "GENRE_ALLOWED_HOSTS": "127.0.0.1",
        "GENRE_ALLOWED_NETWORKS": "127.0.0.0/8",
        "GENRE_JOB_TIME_LIMIT_SECONDS": str(TIME_LIMIT_SECONDS),
        # Give up on the store quickly, so that the task goes back to the queue while Redis is still away.
        "GENRE_STORE_RETRY_SECONDS": "0.5",
    }
    running = start_stack(env, log_dir=tmp_path, api_workers=1)
    yield running
    running.stop()


def test_job_whose_state_cannot_be_stored_runs_again_once_redis_is_back(
    outage_stack: Stack, private_redis: PrivateRedis, gated_server: GatedAudioServer
) -> None:
    stack = outage_stack
    response = httpx.post(f"{stack.base_url}/classify", json={"url": f"{gated_server.base_url}/rock.ogg"})
    assert response.status_code == 202, response.text
    status_url = stack.base_url + response.json()["status_url"]
    wait_until(lambda: httpx.get(status_url).json()["state"] == "downloading", timeout=30, what="the download")

    private_redis.stop()
    gated_server.gate.set()  # the download finishes while Redis is away: `analyzing` cannot be written
    time.sleep(3)
    private_redis.start()

    def finished() -> bool:
        response = httpx.get(status_url, timeout=5)
        return response.status_code == 200 and response.json()["state"] in {"done", "failed"}

    wait_until(finished, timeout=60, what="the job to end after Redis came back", interval=0.5)
    job = httpx.get(status_url).json()
    assert job["state"] == "done", (job, stack.logs())
    assert gated_server.requests["/rock.ogg"] >= 2, stack.logs()  # it ran again: redelivered, not acknowledged
