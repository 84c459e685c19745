"""The API's answers, with real Redis behind it and no worker running (jobs stay queued)."""

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


def test_model_card_is_the_manifest(client: TestClient, model_dir: Path) -> None:
    response = client.get("/models/current")
    assert response.status_code == 200
    card = response.json()
    assert card["labels"] and card["feature_params"]["n_mels"] == 128


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
