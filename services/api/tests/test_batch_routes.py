"""POST /classify with a playlist and GET /batches/{id}, with real Redis and no worker (batches stay expanding)."""

from __future__ import annotations

import json
import time

import redis
from fastapi.testclient import TestClient

from genre_api.batch_queue import EXPAND_TASK
from genre_api.core.config import ApiSettings
from genre_api.main import create_app
from genre_core.batches import KEY_PREFIX, BatchEntry, BatchState, BatchStore
from genre_core.jobs import JobError, JobSource, JobState, JobStore

PLAYLIST = "https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf"


def test_a_youtube_playlist_link_is_accepted_as_a_batch(client: TestClient, settings: ApiSettings) -> None:
    response = client.post("/classify", json={"url": PLAYLIST})
    assert response.status_code == 202, response.text
    body = response.json()
    assert set(body) == {"batch_id", "status_url", "state"} and body["state"] == "expanding"
    assert body["status_url"] == f"/batches/{body['batch_id']}" == response.headers["location"]
    batch = client.get(body["status_url"]).json()
    assert (batch["state"], batch["url"], batch["entries"], batch["counts"]["total"]) == ("expanding", PLAYLIST, [], 0)
    assert "policy" not in batch  # internal
    messages = redis.Redis.from_url(settings.redis_url).lrange("celery", 0, -1)
    assert len(messages) == 1 and EXPAND_TASK.encode() in messages[0]
    stored = json.loads(redis.Redis.from_url(settings.redis_url).get(KEY_PREFIX + body["batch_id"]))
    assert stored["policy"]["client"] == "testclient"
    assert stored["policy"]["allowed_hosts"] == ["youtube.com", "www.youtube.com", "youtu.be"]


def test_any_allowed_link_can_be_sent_as_a_playlist(client: TestClient) -> None:
    response = client.post("/classify", json={"url": "https://youtu.be/dQw4w9WgXcQ", "playlist": True})
    assert response.status_code == 202 and "batch_id" in response.json()
    single = client.post("/classify", json={"url": PLAYLIST, "playlist": False})
    assert single.status_code == 202 and "job_id" in single.json()


def test_a_playlist_link_goes_through_the_single_link_checks(client: TestClient) -> None:
    for url in ("https://example.com/feed.xml", "https://user:pw@www.youtube.com/playlist?list=PL1"):
        response = client.post("/classify", json={"url": url, "playlist": True})
        assert response.status_code == 400 and response.json()["error"]["code"] == "url_not_allowed"
    response = client.post("/classify", json={"url": PLAYLIST, "playlist": "yes please"})
    assert response.status_code == 422


def test_unknown_batch_is_404_and_head_answers_like_get(client: TestClient) -> None:
    response = client.get("/batches/0123456789abcdef")
    assert response.status_code == 404 and response.json()["error"]["code"] == "batch_not_found"
    batch_id = client.post("/classify", json={"url": PLAYLIST}).json()["batch_id"]
    head = client.head(f"/batches/{batch_id}")
    assert head.status_code == 200 and head.content == b""
    assert "/batches/{batch_id}" in client.get("/openapi.json").json()["paths"]


def test_an_expanded_batch_reads_its_entries_jobs(client: TestClient, settings: ApiSettings) -> None:
    batch_id = client.post("/classify", json={"url": PLAYLIST}).json()["batch_id"]
    # What the worker does: a job per entry, then the entries on the batch.
    connection = redis.Redis.from_url(settings.redis_url)
    jobs = JobStore(connection, 600)
    first = jobs.create(JobSource(kind="url", url="https://youtu.be/dQw4w9WgXcQ"))
    second = jobs.create(JobSource(kind="url", url="https://youtu.be/9bZkp7q19f0"))
    jobs.update(second.id, state=JobState.failed, error=JobError(code="download_failed", message="gone"))
    entries = [
        BatchEntry(index=1, url=first.source.url, title="One", job_id=first.id),
        BatchEntry(index=2, url=second.source.url, title="Two", job_id=second.id),
    ]
    BatchStore(connection, 600).update(batch_id, state=BatchState.running, entries=entries, title="Mix")
    batch = client.get(f"/batches/{batch_id}").json()
    assert (batch["state"], batch["title"], batch["counts"]) == (
        "running", "Mix", {"total": 2, "queued": 1, "running": 0, "done": 0, "failed": 1}
    )  # fmt: skip
    assert [entry["state"] for entry in batch["entries"]] == ["queued", "failed"]
    assert batch["entries"][0]["status_url"] == f"/jobs/{first.id}"
    assert batch["entries"][1]["error"]["code"] == "download_failed"


def test_a_batch_whose_playlist_is_never_listed_ends_failed(settings: ApiSettings) -> None:
    client = TestClient(create_app(settings.model_copy(update={"job_stale_seconds": 0})))
    batch_id = client.post("/classify", json={"url": PLAYLIST}).json()["batch_id"]
    time.sleep(0.05)
    batch = client.get(f"/batches/{batch_id}").json()
    assert (batch["state"], batch["error"]["code"]) == ("failed", "timeout")


def test_an_expired_batch_says_so(client: TestClient, settings: ApiSettings) -> None:
    batch_id = client.post("/classify", json={"url": PLAYLIST}).json()["batch_id"]
    redis.Redis.from_url(settings.redis_url).delete(KEY_PREFIX + batch_id)  # what its TTL does
    batch = client.get(f"/batches/{batch_id}").json()
    assert (batch["state"], batch["error"]["code"]) == ("expired", "expired")


def test_redis_down_is_503(settings: ApiSettings) -> None:
    from testkit.waiting import free_port

    client = TestClient(create_app(settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})))
    for response in (client.post("/classify", json={"url": PLAYLIST}), client.get("/batches/abc")):
        assert response.status_code == 503 and response.json()["error"]["code"] == "queue_unavailable"
