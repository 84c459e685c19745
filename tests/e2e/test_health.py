"""The running worker: /healthz answers as soon as it replies (not after the ping's timeout); its start-up log."""

from __future__ import annotations

import time

import httpx
import pytest
import redis

from genre_api.health_probe import Health, check_health
from genre_api.job_queue import create_celery_client
from testkit.stack import Stack

pytestmark = pytest.mark.e2e


def test_the_check_ends_at_the_first_worker_reply(stack: Stack) -> None:
    url = stack.env["GENRE_REDIS_URL"]
    client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
    celery = create_celery_client(url)
    check_health(client, celery, ping_timeout_seconds=5)  # connections made: the timings below are the pings'
    timings = []
    for _ in range(3):
        started = time.monotonic()
        assert check_health(client, celery, ping_timeout_seconds=5) == Health(redis=True, workers=1)
        timings.append(time.monotonic() - started)
    # It used to take the whole timeout (5 s here, 1 s by default) every time, waiting for more replies.
    assert min(timings) < 0.5, timings


def test_healthz_answers_well_within_the_ping_timeout(stack: Stack) -> None:
    time.sleep(1.1)  # past the probe's 1-s reuse of its last answer: this request runs a check of its own
    started = time.monotonic()
    response = httpx.get(f"{stack.base_url}/healthz", timeout=10)
    elapsed = time.monotonic() - started
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "redis": True, "workers": 1}
    assert elapsed < 0.8, elapsed  # the default ping timeout is 1 s


def test_the_worker_says_at_start_which_downloader_it_runs(stack: Stack) -> None:
    from yt_dlp.version import __version__ as yt_dlp_version

    logs = "\n".join(path.read_text() for path in stack.log_dir.glob("worker-*.log"))
    assert f"downloader: yt-dlp {yt_dlp_version} with yt-dlp-ejs " in logs
    assert "; JavaScript runtime deno " in logs
