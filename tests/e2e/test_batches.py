"""A playlist through the real API, Redis and two Celery worker processes: a podcast feed served from 127.0.0.1
whose entries are real GTZAN clips, and one entry that is not there."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from testkit.audio_server import CountingAudioServer, podcast_feed
from testkit.stack import Stack, start_stack

pytestmark = pytest.mark.e2e

CLIPS = ("jazz.00001", "metal.00002", "classical.00003")


@pytest.fixture(scope="module")
def two_workers(
    redis_db: Callable[[int], str], model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    work = tmp_path_factory.mktemp("batch-stack")
    env = {
        "GENRE_REDIS_URL": redis_db(5),
        "GENRE_MODEL_DIR": str(model_dir),
        "GENRE_UPLOAD_DIR": str(work / "uploads"),
        # The feed and its songs are served on 127.0.0.1, allowed here only.
        "GENRE_ALLOWED_HOSTS": "127.0.0.1",
        "GENRE_ALLOWED_NETWORKS": "127.0.0.0/8",
        "GENRE_RATE_LIMIT_PER_MINUTE": "100",  # on, so that the entries are counted, but out of the way
        "GENRE_DOWNLOAD_ATTEMPTS": "1",
    }
    running = start_stack(env, log_dir=work, workers=2)
    running.wait_workers_ready()
    yield running
    running.stop()


@pytest.fixture
def feed(tmp_path: Path, gtzan_dir: Path) -> Iterator[tuple[CountingAudioServer, str]]:
    folder = tmp_path / "served"
    folder.mkdir()
    server = CountingAudioServer(folder)
    links = []
    for name in CLIPS:
        (folder / f"{name}.ogg").symlink_to(gtzan_dir / "genres" / name.split(".")[0] / f"{name}.ogg")
        links.append(f"{server.base_url}/{name}.ogg")
    links.insert(2, f"{server.base_url}/not-there.ogg")
    (folder / "feed.xml").write_text(podcast_feed("Three songs and a gap", links))
    yield server, f"{server.base_url}/feed.xml"
    server.stop()


def _final_batch(stack: Stack, status_url: str, timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while (batch := httpx.get(stack.base_url + status_url, timeout=5).json())["state"] not in {"done", "failed"}:
        assert time.monotonic() < deadline, f"still {batch['state']}: {batch['counts']}"
        time.sleep(0.2)
    return batch


def test_feed_becomes_a_batch_that_two_workers_finish(
    two_workers: Stack, feed: tuple[CountingAudioServer, str]
) -> None:
    server, url = feed
    response = httpx.post(f"{two_workers.base_url}/classify", json={"url": url, "playlist": True})
    assert response.status_code == 202, response.text
    batch = _final_batch(two_workers, response.json()["status_url"])

    assert batch["state"] == "done", batch
    assert batch["title"] == "Three songs and a gap"
    assert batch["counts"] == {"total": 4, "queued": 0, "running": 0, "done": 3, "failed": 1}
    missing = batch["entries"][2]
    assert missing["url"].endswith("/not-there.ogg") and missing["state"] == "failed"
    assert (missing["error"]["code"], missing["error"]["cause"]) == ("download_failed", "http_error")
    songs = [entry for entry in batch["entries"] if entry["state"] == "done"]
    assert [entry["title"] for entry in songs] == ["Episode 1", "Episode 2", "Episode 4"]
    assert [entry["result"]["top_genre"] for entry in songs] == ["jazz", "metal", "classical"]
    assert sum(batch["genres"].values()) == 3
    job = httpx.get(two_workers.base_url + songs[0]["status_url"]).json()
    assert job["state"] == "done" and len(job["result"]["windows"]) == 10
    # Both worker processes took songs.
    logs = [path.read_text() for path in two_workers.log_dir.glob("worker*.log")]
    assert len(logs) == 2 and all("genre_worker.classify" in log and "succeeded" in log for log in logs), logs

    # The same playlist again costs nothing: every song is shared with the finished jobs, none fetched again.
    fetched = sum(count for path, count in server.requests.items() if path != "/feed.xml")
    again = httpx.post(f"{two_workers.base_url}/classify", json={"url": url, "playlist": True}).json()
    repeat = _final_batch(two_workers, again["status_url"], timeout=30)
    assert [entry["job_id"] for entry in repeat["entries"][:2]] == [entry["job_id"] for entry in batch["entries"][:2]]
    assert repeat["counts"]["done"] == 3
    assert sum(count for path, count in server.requests.items() if path != "/feed.xml") == fetched + 1  # the 404 again


def test_a_feed_sent_as_one_song_says_to_send_it_as_a_playlist(
    two_workers: Stack, feed: tuple[CountingAudioServer, str]
) -> None:
    _, url = feed
    status_url = httpx.post(f"{two_workers.base_url}/classify", json={"url": url}).json()["status_url"]
    deadline = time.monotonic() + 60
    while (job := httpx.get(two_workers.base_url + status_url).json())["state"] not in {"done", "failed"}:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["error"]["code"] == "playlist_not_supported" and '"playlist": true' in job["error"]["message"]


def test_a_missing_feed_fails_the_batch_with_a_code(two_workers: Stack, feed: tuple[CountingAudioServer, str]) -> None:
    server, _ = feed
    url = f"{server.base_url}/no-feed.xml"
    status_url = httpx.post(f"{two_workers.base_url}/classify", json={"url": url, "playlist": True}).json()[
        "status_url"
    ]
    batch = _final_batch(two_workers, status_url, timeout=60)
    assert (batch["state"], batch["error"]["code"], batch["entries"]) == ("failed", "download_failed", [])
