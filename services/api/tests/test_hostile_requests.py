"""Requests meant to hurt: oversized JSON, odd ports, ambiguous links, spoofed client addresses, methods the
routes do not take, a rate-limited client's upload. In-process (real app, real Redis); the same against a
running server is in tests/e2e/test_hostile_api.py."""

from __future__ import annotations

import asyncio
import json

import pytest
import redis
from fastapi.testclient import TestClient
from starlette.types import Message

from genre_api.core.config import ApiSettings
from genre_api.main import create_app
from testkit.rate_window import wait_for_window_with

VIDEO = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"


def _error(response) -> dict[str, str]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    return body["error"]


def test_a_json_body_over_a_few_kb_is_413(client: TestClient) -> None:
    padded = json.dumps({"url": VIDEO, "padding": "x" * 10_000})
    response = client.post("/classify", content=padded, headers={"content-type": "application/json"})
    assert (response.status_code, _error(response)["code"]) == (413, "request_too_large")
    assert client.post("/classify", json={"url": VIDEO}).status_code == 202


def test_a_json_body_declared_huge_is_413_unread(client: TestClient) -> None:
    response = client.post(
        "/classify",
        content=b"{}",
        headers={"content-type": "application/json", "content-length": str(48 * 1024 * 1024)},
    )
    assert (response.status_code, _error(response)["code"]) == (413, "request_too_large")


def test_a_streamed_json_body_is_cut_off_at_the_limit(client: TestClient) -> None:
    sent = 0

    def chunks():
        nonlocal sent
        yield b'{"url": "' + VIDEO.encode() + b'", "padding": "'
        for _ in range(500):  # 50 MB if it were all read
            sent += 1
            yield b"x" * 100_000
        yield b'"}'

    response = client.post("/classify", content=chunks(), headers={"content-type": "application/json"})
    assert (response.status_code, _error(response)["code"]) == (413, "request_too_large")


@pytest.mark.parametrize(
    "url",
    [
        "https://youtube.com:6379/watch?v=dQw4w9WgXcQ",
        "http://www.youtube.com:443/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com:8443/watch?v=dQw4w9WgXcQ",
        "https://youtu.be:22/dQw4w9WgXcQ",
    ],
)
def test_a_port_other_than_the_schemes_default_is_400(client: TestClient, url: str) -> None:
    response = client.post("/classify", json={"url": url})
    assert (response.status_code, _error(response)["code"]) == (400, "url_not_allowed")
    assert "port" in _error(response)["message"]


@pytest.mark.parametrize("url", ["https://www.youtube.com:443/watch?v=dQw4w9WgXcQ", "http://youtu.be:80/dQw4w9WgXcQ"])
def test_the_default_port_spelled_out_is_accepted(client: TestClient, url: str) -> None:
    assert client.post("/classify", json={"url": url}).status_code == 202


def test_any_port_is_accepted_inside_the_allowed_networks(settings: ApiSettings) -> None:
    opened = settings.model_copy(update={"allowed_hosts": ["127.0.0.1"], "allowed_networks": ["127.0.0.0/8"]})
    response = TestClient(create_app(opened)).post("/classify", json={"url": "http://127.0.0.1:6379/a.ogg"})
    assert response.status_code == 202


def test_an_ambiguous_youtube_link_is_400_and_poisons_nothing(client: TestClient) -> None:
    poisoned = "https://www.youtube.com/watch?%76=dQw4w9WgXcQ&v=aaaaaaaaaaa"
    response = client.post("/classify", json={"url": poisoned})
    assert (response.status_code, _error(response)["code"]) == (400, "url_not_allowed")
    assert "ambiguous" in _error(response)["message"]
    assert not redis.Redis.from_url(client.app.state.services.settings.redis_url).keys("genre:link:*")


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    job_id = client.post("/classify", json={"url": VIDEO}).json()["job_id"]
    for path in (f"/jobs/{job_id}", "/jobs/0123456789abcdef", "/models/current", "/healthz"):
        get, head = client.get(path), client.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b""
        assert head.headers["content-type"] == get.headers["content-type"]


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("POST", "/jobs/0123456789abcdef", {"GET", "HEAD"}),
        ("DELETE", "/models/current", {"GET", "HEAD"}),
        ("PUT", "/healthz", {"GET", "HEAD"}),
        ("GET", "/classify", {"POST"}),
    ],
)
def test_405_says_which_methods_are_allowed(client: TestClient, method: str, path: str, allowed: set[str]) -> None:
    response = client.request(method, path)
    assert (response.status_code, _error(response)["code"]) == (405, "method_not_allowed")
    assert {item.strip() for item in response.headers["allow"].split(",")} == allowed


def _submit_as(client: TestClient, forwarded_for: str) -> int:
    return client.post("/classify", json={"url": VIDEO}, headers={"x-forwarded-for": forwarded_for}).status_code


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_trusted_proxy(settings: ApiSettings) -> None:
    wait_for_window_with(5)
    limited = settings.model_copy(update={"rate_limit_per_minute": 2})
    spoofing = TestClient(create_app(limited))
    statuses = [_submit_as(spoofing, f"203.0.113.{n}") for n in range(4)]
    assert statuses == [202, 202, 429, 429]  # one client, however it names itself

    redis.Redis.from_url(settings.redis_url).flushdb()
    # The test client's peer is "testclient": trusted, as nginx is in the compose file.
    behind_proxy = TestClient(create_app(limited.model_copy(update={"trusted_proxies": ["testclient"]})))
    assert [_submit_as(behind_proxy, f"203.0.113.{n}") for n in range(4)] == [202] * 4  # four clients
    assert [_submit_as(behind_proxy, "203.0.113.9") for _ in range(3)] == [202, 202, 429]


def test_a_rate_limited_upload_is_refused_before_its_body_is_read(settings: ApiSettings) -> None:
    wait_for_window_with(5)
    app = create_app(settings.model_copy(update={"rate_limit_per_minute": 1}))
    assert TestClient(app).post("/classify", json={"url": VIDEO}).status_code == 202  # the minute's one job
    reads: list[int] = []
    sent: list[Message] = []

    async def receive() -> Message:
        reads.append(1)
        return {"type": "http.request", "body": b"\0" * 65536, "more_body": True}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/classify/upload",
        "raw_path": b"/classify/upload",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"x"),
            (b"content-type", b"multipart/form-data; boundary=x"),
            (b"content-length", b"900000"),
        ],
        "client": ("testclient", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == 429
    assert reads == []  # not one chunk of the body was asked for


def test_a_link_job_carries_the_key_it_is_filed_under(client: TestClient, settings: ApiSettings) -> None:
    # The worker compares the video it resolved with this key, and refuses another (JobSource.key).
    job_id = client.post("/classify", json={"url": "https://youtu.be/dQw4w9WgXcQ?t=3"}).json()["job_id"]
    record = json.loads(redis.Redis.from_url(settings.redis_url).get(f"genre:job:{job_id}"))
    assert record["source"]["key"] == "youtube:dQw4w9WgXcQ"
    assert "key" not in client.get(f"/jobs/{job_id}").json()["source"]  # internal, not shown
