"""A worker killed with SIGKILL mid-job loses nothing: its jobs are redelivered and finish, once each."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from testkit.stack import Stack, start_stack
from testkit.waiting import wait_until

pytestmark = pytest.mark.e2e

JOBS = 30
TIME_LIMIT_SECONDS = 8  # the broker's visibility timeout is twice this: redelivery comes after it


@pytest.fixture
def crash_stack(redis_db: Callable[[int], str], model_dir: Path, tmp_path: Path) -> Iterator[Stack]:
    env = {
        "GENRE_REDIS_URL": redis_db(9),
        "GENRE_MODEL_DIR": str(model_dir),
        "GENRE_UPLOAD_DIR": str(tmp_path / "uploads"),
        "GENRE_ALLOWED_HOSTS": "127.0.0.1",
        "GENRE_ALLOWED_NETWORKS": "127.0.0.0/8",
        "GENRE_JOB_TIME_LIMIT_SECONDS": str(TIME_LIMIT_SECONDS),
        "GENRE_RATE_LIMIT_PER_MINUTE": "0",
    }
    running = start_stack(env, log_dir=tmp_path)
    yield running
    running.stop()


def _states(stack: Stack, job_ids: list[str]) -> list[dict]:
    return [httpx.get(f"{stack.base_url}/jobs/{job_id}", timeout=5).json() for job_id in job_ids]


def test_jobs_survive_sigkill_of_the_worker(crash_stack: Stack, audio_server: str) -> None:
    submit = f"{crash_stack.base_url}/classify"
    # Distinct links (the server ignores the query): the same link twice would share one job.
    links = [f"{audio_server}/rock.ogg?copy={index}" for index in range(JOBS)]
    job_ids = [httpx.post(submit, json={"url": link}).json()["job_id"] for link in links]
    assert len(set(job_ids)) == JOBS

    for _ in range(2):
        # Kill while a job is being worked on, then start a fresh worker.
        wait_until(
            lambda: any(job["state"] in {"downloading", "analyzing"} for job in _states(crash_stack, job_ids)),
            timeout=30,
            what="a job in progress",
            interval=0.02,
        )
        crash_stack.kill("worker")
        crash_stack.start("worker")
        crash_stack.wait_healthy()

    deadline = time.monotonic() + 6 * TIME_LIMIT_SECONDS + 60
    while time.monotonic() < deadline:
        jobs = _states(crash_stack, job_ids)
        if all(job["state"] in {"done", "failed"} for job in jobs):
            break
        time.sleep(0.5)
    states = [job["state"] for job in jobs]
    assert states == ["done"] * JOBS, f"{states}\n{crash_stack.logs()}"
    # Each job has one result, the same for all (the same clip): redelivery did not mix them up.
    assert len({job["result"]["top_genre"] for job in jobs}) == 1
    assert all(len(job["result"]["windows"]) == 10 for job in jobs)
