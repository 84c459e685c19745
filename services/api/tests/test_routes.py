"""The API's answers, with real Redis behind it and no worker running (jobs stay queued)."""

from __future__ import annotations

import gc
import json
import socket
import time
from collections.abc import Callable
from pathlib import Path

import anyio.to_thread
import pytest
import redis
from fastapi.testclient import TestClient

from genre_api.core import gc_tuning
from genre_api.core.config import ApiSettings
from genre_api.core.lean_route import LeanRoute
from genre_api.main import create_app
from genre_api.routes import jobs
from genre_core.manifest import read_manifest
from testkit.rate_window import wait_for_window_with


def _error(response) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]


def test_allowed_link_is_accepted_and_queued(client: TestClient) -> None:
    response = client.post("/classify", json={"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"})
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "queued"
    assert body["status_url"] == f"/jobs/{body['job_id']}" == response.headers["location"]
    job = client.get(body["status_url"]).json()
    assert job["state"] == "queued"
    assert job["source"] == {"kind": "url", "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ", "filename": None}


@pytest.mark.parametrize(
    "payload",
    [{"url": "not a url"}, {"url": "ftp://youtube.com/x"}, {"url": "file:///etc/passwd"}, {}, {"url": 42}],
)
def test_malformed_link_or_wrong_scheme_is_422(client: TestClient, payload: dict[str, object]) -> None:
    response = client.post("/classify", json=payload)
    assert response.status_code == 422
    assert _error(response)["code"] == "invalid_request"


def test_malformed_json_is_422(client: TestClient) -> None:
    response = client.post("/classify", content=b"{not json", headers={"content-type": "application/json"})
    assert response.status_code == 422
    assert _error(response)["code"] == "invalid_request"


@pytest.mark.parametrize(
    "url", ["https://example.com/song.mp3", "http://127.0.0.1/x.ogg", "https://youtube.com.evil.org/"]
)
def test_host_not_allowed_is_400(client: TestClient, url: str) -> None:
    response = client.post("/classify", json={"url": url})
    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == "url_not_allowed"
    assert "not accepted" in error["message"]


def test_upload_is_accepted_and_stored_for_the_worker(
    client: TestClient, settings: ApiSettings, clip_path: Path
) -> None:
    response = client.post("/classify/upload", files={"file": ("my song.ogg", clip_path.read_bytes(), "audio/ogg")})
    assert response.status_code == 202
    job = client.get(response.json()["status_url"]).json()
    assert job["source"] == {"kind": "upload", "url": None, "filename": "my song.ogg"}
    stored = list(settings.upload_dir.rglob("*.ogg"))
    assert len(stored) == 1 and stored[0].read_bytes() == clip_path.read_bytes()


def test_empty_upload_is_422(client: TestClient, settings: ApiSettings) -> None:
    response = client.post("/classify/upload", files={"file": ("empty.mp3", b"", "audio/mpeg")})
    assert response.status_code == 422
    assert _error(response)["code"] == "empty_upload"
    assert not any(settings.upload_dir.rglob("*.mp3"))  # nothing left behind


def test_missing_file_field_is_422(client: TestClient) -> None:
    response = client.post("/classify/upload", data={"other": "x"})
    assert response.status_code == 422
    assert _error(response)["code"] == "invalid_request"


def test_oversized_upload_is_413(client: TestClient, settings: ApiSettings) -> None:
    response = client.post("/classify/upload", files={"file": ("big.wav", b"\0" * 1_000_001, "audio/wav")})
    assert response.status_code == 413
    assert _error(response)["code"] == "upload_too_large"
    assert not any(settings.upload_dir.rglob("*.wav"))


def test_unknown_job_is_404(client: TestClient) -> None:
    response = client.get("/jobs/0123456789abcdef")
    assert response.status_code == 404
    assert _error(response)["code"] == "job_not_found"


def test_a_status_poll_never_waits_for_the_thread_pool(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    # Polls are most of the traffic; a sync dependency or helper in their path sends each one through
    # the thread pool and back, which cost 10-20 % of poll throughput (benchmarks/RESULTS.md §3).
    job_id = client.post("/classify", json={"url": "https://youtu.be/dQw4w9WgXcQ"}).json()["job_id"]
    hops: list[object] = []
    real_run_sync = anyio.to_thread.run_sync

    async def counting_run_sync(func: Callable[..., object], *args: object, **kwargs: object) -> object:
        hops.append(func)
        return await real_run_sync(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting_run_sync)
    assert client.get(f"/jobs/{job_id}").json()["state"] == "queued"
    assert client.get("/jobs/0123456789abcdef").status_code == 404
    assert hops == []


def test_the_status_poll_skips_fastapis_parameter_machinery_but_stays_documented(client: TestClient) -> None:
    # Half a poll's CPU went to solving parameters it does not need (benchmarks/RESULTS.md §3).
    serving, documented = jobs.router.routes  # a poll matches the first; the second is OpenAPI's
    assert (serving.methods, documented.methods) == ({"GET", "HEAD"}, {"GET"})
    for route in (serving, documented):
        assert isinstance(route, LeanRoute) and route.path == "/jobs/{job_id}"
    operation = client.get("/openapi.json").json()["paths"]["/jobs/{job_id}"]["get"]
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok == {"$ref": "#/components/schemas/JobView"}
    assert {"404", "503"} <= set(operation["responses"])
    assert [parameter["name"] for parameter in operation["parameters"]] == ["job_id", "detail"]


def test_each_server_process_tunes_its_garbage_collector_at_start_up(settings: ApiSettings) -> None:
    thresholds = gc.get_threshold()
    try:
        with TestClient(create_app(settings)):  # runs the lifespan, as uvicorn does in each process
            assert gc.get_threshold() == gc_tuning.THRESHOLDS
            assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def test_model_card_is_the_manifest(client: TestClient, model_dir: Path) -> None:
    response = client.get("/models/current")
    assert response.status_code == 200
    card = response.json()
    assert card["labels"] == read_manifest(model_dir).labels
    assert card["feature_params"] == read_manifest(model_dir).feature_params.model_dump()


def test_missing_model_is_503(settings: ApiSettings, tmp_path: Path) -> None:
    client = TestClient(create_app(settings.model_copy(update={"model_dir": tmp_path / "none"})))
    response = client.get("/models/current")
    assert response.status_code == 503
    assert _error(response)["code"] == "model_unavailable"


def test_health_without_a_worker_is_503_degraded(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "redis": True, "workers": 0}


def test_redis_down_is_503_with_retry_after(settings: ApiSettings) -> None:
    from testkit.waiting import free_port

    dead = settings.model_copy(update={"redis_url": f"redis://127.0.0.1:{free_port()}/0"})
    client = TestClient(create_app(dead))
    response = client.post("/classify", json={"url": "https://youtu.be/dQw4w9WgXcQ"})
    assert response.status_code == 503
    assert _error(response)["code"] == "queue_unavailable"
    assert response.headers["retry-after"]
    assert client.get("/healthz").json()["redis"] is False


def test_openapi_docs_are_served(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/classify", "/classify/upload", "/jobs/{job_id}", "/models/current", "/healthz"} <= set(paths)


def test_allowed_host_that_resolves_to_a_private_address_is_400(settings: ApiSettings) -> None:
    client = TestClient(create_app(settings.model_copy(update={"allowed_hosts": ["localhost", "127.0.0.1"]})))
    for url in ("http://localhost:9/song.ogg", "http://127.0.0.1:9/song.ogg"):
        response = client.post("/classify", json={"url": url})
        assert response.status_code == 400
        assert _error(response)["code"] == "url_not_allowed"
        assert "non-public address" in _error(response)["message"]
    # Explicitly allowed networks (as tests do for their local audio server) pass.
    allowed = settings.model_copy(update={"allowed_hosts": ["127.0.0.1"], "allowed_networks": ["127.0.0.0/8"]})
    assert (
        TestClient(create_app(allowed)).post("/classify", json={"url": "http://127.0.0.1:9/a.ogg"}).status_code == 202
    )


def test_link_checks_ask_dns_once_per_host_not_per_submission(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A slow resolver held every submission for its timeout (5-10 s when lookups ran concurrently here).
    real_getaddrinfo = socket.getaddrinfo
    lookups: list[str] = []

    def counting_getaddrinfo(host: str, *args: object, **kwargs: object) -> list:  # type: ignore[type-arg]
        if host != "www.youtube.com":
            return real_getaddrinfo(host, *args, **kwargs)  # Redis's own connections
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", ("142.250.74.46", 0))]

    monkeypatch.setattr(socket, "getaddrinfo", counting_getaddrinfo)
    for video in ("dQw4w9WgXc1", "dQw4w9WgXc2", "dQw4w9WgXc3"):
        url = f"https://www.youtube.com/watch?v={video}"
        assert client.post("/classify", json={"url": url}).status_code == 202
    assert lookups == ["www.youtube.com"]


def test_link_with_credentials_is_400(client: TestClient) -> None:
    response = client.post("/classify", json={"url": "https://user:secret@www.youtube.com/watch?v=x"})
    assert response.status_code == 400
    assert _error(response)["code"] == "url_not_allowed"


def test_submissions_past_the_rate_limit_are_429(settings: ApiSettings) -> None:
    wait_for_window_with(5)
    client = TestClient(create_app(settings.model_copy(update={"rate_limit_per_minute": 3})))
    statuses = [client.post("/classify", json={"url": "https://youtu.be/abc"}).status_code for _ in range(4)]
    assert statuses[:3] == [202, 202, 202]
    response = client.post("/classify", json={"url": "https://youtu.be/abc"})
    assert response.status_code == 429
    assert _error(response)["code"] == "rate_limited"
    assert 1 <= int(response.headers["retry-after"]) <= 60


def test_a_job_that_never_moves_ends_failed_with_timeout(settings: ApiSettings) -> None:
    client = TestClient(create_app(settings.model_copy(update={"job_stale_seconds": 0})))
    job_id = client.post("/classify", json={"url": "https://youtu.be/abc"}).json()["job_id"]
    time.sleep(0.05)
    job = client.get(f"/jobs/{job_id}").json()
    assert job["state"] == "failed"
    assert job["error"]["code"] == "timeout"


def test_an_expired_job_says_so(client: TestClient, settings: ApiSettings) -> None:
    job_id = client.post("/classify", json={"url": "https://youtu.be/abc"}).json()["job_id"]
    redis.Redis.from_url(settings.redis_url).delete(f"genre:job:{job_id}")  # what its TTL does
    response = client.get(f"/jobs/{job_id}")
    assert response.status_code == 200
    job = response.json()
    assert job["state"] == "expired"
    assert job["error"]["code"] == "expired"
    assert job["source"]["url"] == "https://youtu.be/abc"


def test_oversized_body_is_refused_while_streaming(client: TestClient, settings: ApiSettings) -> None:
    sent = 0

    def chunks():
        nonlocal sent
        boundary_start = b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n\r\n'
        yield boundary_start
        for _ in range(50):
            yield b"\0" * 100_000
        yield b"\r\n--x--\r\n"

    response = client.post(
        "/classify/upload", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"}
    )
    assert response.status_code == 413
    assert _error(response)["code"] == "upload_too_large"
    assert not any(settings.upload_dir.rglob("*.wav"))


def test_declared_oversized_body_is_refused_unread(client: TestClient) -> None:
    response = client.post(
        "/classify/upload",
        content=b"x",
        headers={"content-type": "multipart/form-data; boundary=x", "content-length": str(10**10)},
    )
    assert response.status_code == 413
    assert _error(response)["code"] == "upload_too_large"


def test_the_same_video_is_one_job_until_it_fails(client: TestClient, settings: ApiSettings) -> None:
    first = client.post("/classify", json={"url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ"}).json()
    again = client.post("/classify", json={"url": "https://youtu.be/dQw4w9WgXcQ?t=3"}).json()
    assert again["job_id"] == first["job_id"]
    other = client.post("/classify", json={"url": "https://youtu.be/aaaaaaaaaaa"}).json()
    assert other["job_id"] != first["job_id"]
    # A failed job is not reused: the next submission gets a fresh one.
    store_key = f"genre:job:{first['job_id']}"
    client_redis = redis.Redis.from_url(settings.redis_url)
    record = json.loads(client_redis.get(store_key))
    client_redis.set(store_key, json.dumps({**record, "state": "failed", "error": {"code": "x", "message": "y"}}))
    retried = client.post("/classify", json={"url": "https://youtu.be/dQw4w9WgXcQ"}).json()
    assert retried["job_id"] != first["job_id"]


def test_a_model_swapped_into_the_folder_shows_at_once(settings: ApiSettings, model_dir: Path, tmp_path: Path) -> None:
    swapped = tmp_path / "model"
    swapped.mkdir()
    (swapped / "manifest.json").write_text((model_dir / "manifest.json").read_text())
    client = TestClient(create_app(settings.model_copy(update={"model_dir": swapped})))
    version = client.get("/models/current").json()["version"]
    manifest = json.loads((swapped / "manifest.json").read_text())
    (swapped / "manifest.json").write_text(json.dumps({**manifest, "version": "swapped-1"}))
    assert client.get("/models/current").json()["version"] == "swapped-1" != version
    (swapped / "manifest.json").unlink()
    assert client.get("/models/current").status_code == 503


def test_window_tag_scores_only_come_with_detail_windows(client: TestClient, settings: ApiSettings) -> None:
    import numpy as np

    from genre_core.params import FeatureParams
    from genre_core.results import build_result
    from genre_core.tags import reference_from_scores

    names = ["rock", "electronic", "House"]
    result = build_result(
        np.array([[0.8, 0.2], [0.7, 0.3]]),
        ["rock", "jazz"],
        FeatureParams(),
        6.0,
        "v1",
        tag_scores=np.array([[0.5, 0.1, 0.0], [0.6, 0.2, 0.0]]),
        tag_names=names,
        tag_reference=reference_from_scores(np.random.default_rng(0).uniform(size=(50, 3)), names, "test"),
    )
    job_id = client.post("/classify", json={"url": "https://youtu.be/dQw4w9WgXcQ"}).json()["job_id"]
    store_key = f"genre:job:{job_id}"
    client_redis = redis.Redis.from_url(settings.redis_url)
    record = json.loads(client_redis.get(store_key))
    client_redis.set(store_key, json.dumps({**record, "state": "done", "result": result.model_dump(mode="json")}))

    song = client.get(f"/jobs/{job_id}").json()["result"]
    assert "tags" not in song["windows"][0] and "tag_names" not in song
    assert song["tags"]["outside_known_genres"]["outside"] in (True, False) and song["windows"][0]["probabilities"]
    windows = client.get(f"/jobs/{job_id}", params={"detail": "windows"}).json()["result"]
    assert windows["tag_names"] == names and windows["windows"][1]["tags"] == [0.6, 0.2, 0.0]
    wrong = client.get(f"/jobs/{job_id}", params={"detail": "everything"})
    assert wrong.status_code == 422 and _error(wrong)["code"] == "invalid_detail"
    parameters = client.get("/openapi.json").json()["paths"]["/jobs/{job_id}"]["get"]["parameters"]
    assert "detail" in [parameter["name"] for parameter in parameters]
