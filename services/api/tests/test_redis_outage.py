"""Redis going away and coming back: 503 with Retry-After meanwhile, and recovery without a restart."""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient

from genre_api.core.config import ApiSettings
from genre_api.main import create_app
from testkit.waiting import free_port, wait_until


class PrivateRedis:
    def __init__(self, port: int, data_dir: Path) -> None:
        self.port = port
        self.data_dir = data_dir
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        command = [shutil.which("redis-server") or "redis-server", "--port", str(self.port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "no", "--dir", str(self.data_dir)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL)
        wait_until(self._answers, timeout=10, what="redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            return bool(redis.Redis(port=self.port, socket_connect_timeout=0.5).ping())
        except redis.RedisError:
            return False


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed: run scripts/install.sh --for-tests")
    server = PrivateRedis(free_port(), tmp_path)
    server.start()
    yield server
    server.stop()


def test_503_while_redis_is_down_then_recovery(private_redis: PrivateRedis, model_dir: Path, tmp_path: Path) -> None:
    settings = ApiSettings(
        redis_url=f"redis://127.0.0.1:{private_redis.port}/0",
        model_dir=model_dir,
        upload_dir=tmp_path / "uploads",
        allowed_hosts="youtu.be",
    )
    client = TestClient(create_app(settings))
    link = {"url": "https://youtu.be/dQw4w9WgXcQ"}
    job_id = client.post("/classify", json=link).json()["job_id"]

    private_redis.stop()
    started = time.monotonic()
    for response in (client.post("/classify", json=link), client.get(f"/jobs/{job_id}")):
        assert response.status_code == 503
        assert response.json()["error"]["code"] == "queue_unavailable"
        assert int(response.headers["retry-after"]) > 0
    assert time.monotonic() - started < 10  # answered, not hung
    health = client.get("/healthz")
    assert health.status_code == 503 and health.json()["redis"] is False

    private_redis.start()
    wait_until(lambda: client.post("/classify", json=link).status_code == 202, timeout=15, what="recovery")
    assert client.get(f"/jobs/{job_id}").status_code == 404  # this Redis kept no data: the id is unknown now
