"""End to end on real parts: uvicorn API + Celery worker + Redis + yt-dlp/ffmpeg + LiteRT model.

Audio comes from a real GTZAN clip served over HTTP on 127.0.0.1, which the API is configured
to allow (by default it accepts YouTube hosts only).
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest
import redis

from testkit.audio_server import FlakyAudioServer
from testkit.stack import Stack

pytestmark = pytest.mark.e2e

STAGES = ["queued", "downloading", "analyzing", "done"]


def _poll(stack: Stack, status_url: str, timeout: float = 60) -> tuple[dict, list[str]]:
    """Poll a job until it ends; return its last view and the distinct states seen, in order."""
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = httpx.get(stack.base_url + status_url, timeout=5).json()
        if not seen or seen[-1] != job["state"]:
            seen.append(job["state"])
        if job["state"] in {"done", "failed"}:
            return job, seen
        time.sleep(0.02)
    raise AssertionError(f"job {status_url} did not end in {timeout} s; states {seen}\n{stack.logs()}")


def _check_result(job: dict, labels: list[str]) -> None:
    result = job["result"]
    assert job["error"] is None
    assert result["labels"] == labels
    assert list(result["song_probabilities"]) == labels
    assert sum(result["song_probabilities"].values()) == pytest.approx(1.0, abs=1e-5)
    assert result["top_genre"] in labels
    windows = result["windows"]
    assert len(windows) == 10  # a 30.01 s clip holds ten whole 3-s windows
    assert [w["start_seconds"] for w in windows] == [3.0 * i for i in range(10)]
    assert windows[-1]["end_seconds"] <= result["duration_seconds"] == pytest.approx(30.0, abs=0.1)


@pytest.fixture(scope="module")
def labels(stack: Stack) -> list[str]:
    return httpx.get(f"{stack.base_url}/models/current").json()["labels"]


def test_health_sees_redis_and_a_worker(stack: Stack) -> None:
    health = httpx.get(f"{stack.base_url}/healthz").json()
    assert health == {"status": "ok", "redis": True, "workers": 1}


def test_link_to_a_song_is_classified(stack: Stack, audio_server: str, labels: list[str]) -> None:
    response = httpx.post(f"{stack.base_url}/classify", json={"url": f"{audio_server}/rock.ogg"})
    assert response.status_code == 202, response.text
    job, seen = _poll(stack, response.json()["status_url"])
    assert job["state"] == "done", job
    assert seen == [stage for stage in STAGES if stage in seen]  # never backwards
    _check_result(job, labels)
    # The job record is the one copy of the result: Celery stores none (no result backend, no pub/sub).
    assert redis.Redis.from_url(stack.env["GENRE_REDIS_URL"]).keys("celery-task-meta-*") == []


def test_uploaded_song_is_classified(stack: Stack, audio_files: Path, labels: list[str]) -> None:
    with (audio_files / "rock.ogg").open("rb") as song:
        response = httpx.post(f"{stack.base_url}/classify/upload", files={"file": ("rock.ogg", song, "audio/ogg")})
    assert response.status_code == 202, response.text
    job, seen = _poll(stack, response.json()["status_url"])
    assert job["state"] == "done", job
    assert "downloading" not in seen
    _check_result(job, labels)


def test_failed_download_ends_failed_with_the_reason(stack: Stack, audio_server: str) -> None:
    response = httpx.post(f"{stack.base_url}/classify", json={"url": f"{audio_server}/no-such-song.ogg"})
    job, _ = _poll(stack, response.json()["status_url"])
    assert job["state"] == "failed"
    assert job["error"]["code"] == "download_failed"
    assert "404" in job["error"]["message"]
    # The cause for programs, the downloader's own words for operators, the message for people.
    assert job["error"]["cause"] == "http_error"
    assert "HTTP Error 404" in job["error"]["detail"]
    assert "HTTP Error" not in job["error"]["message"]


@pytest.mark.parametrize(("name", "code"), [("notes.mp3", "unsupported_audio"), ("short.wav", "too_short")])
def test_bad_upload_ends_failed_with_its_code(stack: Stack, audio_files: Path, name: str, code: str) -> None:
    response = httpx.post(
        f"{stack.base_url}/classify/upload", files={"file": (name, (audio_files / name).read_bytes())}
    )
    job, _ = _poll(stack, response.json()["status_url"])
    assert job["state"] == "failed"
    assert job["error"]["code"] == code


def test_host_outside_the_allowlist_is_refused(stack: Stack) -> None:
    response = httpx.post(f"{stack.base_url}/classify", json={"url": "https://example.com/song.mp3"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "url_not_allowed"


def test_a_link_already_analysed_is_answered_from_the_result_at_once(stack: Stack, audio_server: str) -> None:
    link = {"url": f"{audio_server}/rock.ogg?cache-test"}
    first = httpx.post(f"{stack.base_url}/classify", json=link).json()
    again_while_running = httpx.post(f"{stack.base_url}/classify", json=link).json()
    assert again_while_running["job_id"] == first["job_id"]  # concurrent duplicates share one job
    job, _ = _poll(stack, first["status_url"])
    assert job["state"] == "done"
    repeat = httpx.post(f"{stack.base_url}/classify", json=link)
    assert repeat.status_code == 202
    assert repeat.json() == {**first, "state": "done"}  # the finished job, nothing downloaded again


def test_a_download_that_fails_twice_with_503_is_retried_and_done(
    stack: Stack, flaky_audio_server: FlakyAudioServer
) -> None:
    response = httpx.post(f"{stack.base_url}/classify", json={"url": f"{flaky_audio_server.base_url}/rock.ogg"})
    job, _ = _poll(stack, response.json()["status_url"])
    assert job["state"] == "done", job
    assert flaky_audio_server.requests["/rock.ogg"] >= 3  # two refusals, then the download
