"""A catalogue of bad inputs against the running stack: each gets its exact status and error code, and
the service still answers a valid request afterwards."""

from __future__ import annotations

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
import redis
import soundfile

from genre_core.jobs import KEY_PREFIX
from testkit.audio_server import CountingAudioServer, RedirectServer, hls_stream, podcast_feed
from testkit.stack import Stack

pytestmark = pytest.mark.e2e

# (name, JSON body or raw bytes, expected status, expected error code)
LINK_CASES: list[tuple[str, object, int, str]] = [
    ("malformed JSON", b'{"url": ', 422, "invalid_request"),
    ("JSON array", [], 422, "invalid_request"),
    ("missing url", {}, 422, "invalid_request"),
    ("url is a number", {"url": 42}, 422, "invalid_request"),
    ("url is null", {"url": None}, 422, "invalid_request"),
    ("empty url", {"url": ""}, 422, "invalid_request"),
    ("huge url", {"url": "https://www.youtube.com/watch?v=" + "a" * 100_000}, 413, "request_too_large"),
    ("not a url", {"url": "rock music please"}, 422, "invalid_request"),
    ("ftp scheme", {"url": "ftp://127.0.0.1/rock.ogg"}, 422, "invalid_request"),
    ("file scheme", {"url": "file:///etc/passwd"}, 422, "invalid_request"),
    ("javascript scheme", {"url": "javascript:alert(1)"}, 422, "invalid_request"),
    ("gopher scheme", {"url": "gopher://127.0.0.1:6379/_FLUSHALL"}, 422, "invalid_request"),
    ("host not allowed", {"url": "https://example.com/song.mp3"}, 400, "url_not_allowed"),
    ("credentials in url", {"url": "http://user:secret@127.0.0.1/rock.ogg"}, 400, "url_not_allowed"),
    ("userinfo trick", {"url": "http://127.0.0.1@example.com/rock.ogg"}, 400, "url_not_allowed"),
    # 10.0.0.1 and 169.254.169.254 spelled as one number, in octal and in hex.
    ("decimal IP literal", {"url": "http://167772161/rock.ogg"}, 400, "url_not_allowed"),
    ("octal IP literal", {"url": "http://012.0.0.1/rock.ogg"}, 400, "url_not_allowed"),
    ("hex IP literal", {"url": "http://0xa9.0xfe.0xa9.0xfe/latest/meta-data/"}, 400, "url_not_allowed"),
    ("decimal metadata address", {"url": "http://2852039166/latest/meta-data/"}, 400, "url_not_allowed"),
    ("IPv6 loopback", {"url": "http://[::1]/rock.ogg"}, 400, "url_not_allowed"),
    ("IPv4-mapped IPv6", {"url": "http://[::ffff:127.0.0.1]/rock.ogg"}, 400, "url_not_allowed"),
    ("cloud metadata address", {"url": "http://169.254.169.254/latest/meta-data/"}, 400, "url_not_allowed"),
    ("unicode look-alike host", {"url": "https://www.yоutube.com/watch?v=x"}, 400, "url_not_allowed"),  # noqa: RUF001
    ("private network host", {"url": "http://10.0.0.1/rock.ogg"}, 400, "url_not_allowed"),
]


@pytest.mark.parametrize(("name", "body", "status", "code"), LINK_CASES, ids=[case[0] for case in LINK_CASES])
def test_bad_link_requests(stack: Stack, name: str, body: object, status: int, code: str) -> None:
    if isinstance(body, bytes):
        response = httpx.post(f"{stack.base_url}/classify", content=body, headers={"content-type": "application/json"})
    else:
        response = httpx.post(f"{stack.base_url}/classify", json=body)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code), response.text
    assert "Traceback" not in response.text and "/work/" not in response.text and "site-packages" not in response.text


def test_wrong_content_type_is_422(stack: Stack) -> None:
    response = httpx.post(f"{stack.base_url}/classify", content=b"url=x", headers={"content-type": "text/plain"})
    assert (response.status_code, response.json()["error"]["code"]) == (422, "invalid_request")


@pytest.mark.parametrize(
    ("files", "status", "code"),
    [
        ({"file": ("empty.mp3", b"", "audio/mpeg")}, 422, "empty_upload"),
        ({"other": ("song.ogg", b"OggS", "audio/ogg")}, 422, "invalid_request"),
    ],
    ids=["zero-byte upload", "no file field"],
)
def test_bad_upload_requests(stack: Stack, files: dict, status: int, code: str) -> None:
    response = httpx.post(f"{stack.base_url}/classify/upload", files=files)
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)


def test_upload_declared_larger_than_the_limit_is_413_before_the_body_is_sent(stack: Stack) -> None:
    # A raw request that announces 60 MB and sends none of it: the answer must come anyway.
    host, port = stack.base_url.removeprefix("http://").split(":")
    request = (
        "POST /classify/upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {60 * 1024 * 1024}\r\nConnection: close\r\n\r\n"
    )
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request.encode())
        answer = b""
        while chunk := connection.recv(65536):  # until the server closes the connection
            answer += chunk
    answer = answer.decode()
    assert answer.startswith("HTTP/1.1 413")
    assert '"upload_too_large"' in answer


@pytest.mark.parametrize("job_id", ["../../etc/passwd", "x" * 5000, "%00", "0" * 32])
def test_unknown_or_odd_job_ids_are_404(stack: Stack, job_id: str) -> None:
    response = httpx.get(f"{stack.base_url}/jobs/{job_id}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] in {"job_not_found", "not_found"}


def _bad_files(folder: Path, clip: Path) -> dict[str, tuple[Path, str]]:
    """name -> (file, the job's expected error code)."""
    rate = 22050
    files: dict[str, tuple[Path, str]] = {}
    text = folder / "notes.mp3"
    text.write_text("not audio\n" * 100)
    files["text file named .mp3"] = (text, "unsupported_audio")
    noise = folder / "noise.wav"
    noise.write_bytes(np.random.default_rng(0).bytes(200_000))
    files["random bytes named .wav"] = (noise, "unsupported_audio")
    truncated = folder / "truncated.ogg"
    truncated.write_bytes(clip.read_bytes()[:6000])
    files["truncated ogg"] = (truncated, "too_short")
    short = folder / "short.wav"
    soundfile.write(short, soundfile.read(clip, frames=2 * rate, dtype="float32")[0], rate)
    files["2-second clip"] = (short, "too_short")
    silence = folder / "silence.flac"
    soundfile.write(silence, np.zeros(20 * rate, dtype=np.float32), rate)
    files["20 s of silence"] = (silence, "silent_audio")
    # A few kilobytes that decode to three hours: refused from the header, never decoded in full.
    three_hours = folder / "three-hours.flac"
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i", "anullsrc=r=8000:cl=mono", "-t", "10800",
         "-c:a", "flac", str(three_hours)],
        check=True,
    )  # fmt: skip
    files["3-hour file (tiny, compresses to nothing)"] = (three_hours, "too_long")
    return files


def test_bad_audio_uploads_end_failed_with_their_code(stack: Stack, tmp_path: Path, clip_path: Path) -> None:
    outcomes = {}
    for name, (path, expected) in _bad_files(tmp_path, clip_path).items():
        response = httpx.post(f"{stack.base_url}/classify/upload", files={"file": (path.name, path.read_bytes())})
        assert response.status_code == 202, (name, response.text)
        outcomes[name] = (response.json()["status_url"], expected)
    for name, (status_url, expected) in outcomes.items():
        deadline = time.monotonic() + 60
        while (job := httpx.get(stack.base_url + status_url).json())["state"] not in {"done", "failed"}:
            assert time.monotonic() < deadline, f"{name}: still {job['state']}"
            time.sleep(0.1)
        assert (job["state"], job["error"]["code"]) == ("failed", expected), (name, job)
        assert "/tmp" not in job["error"]["message"]


def test_broken_link_ends_failed_with_download_failed(stack: Stack, audio_server: str) -> None:
    status_url = httpx.post(f"{stack.base_url}/classify", json={"url": f"{audio_server}/gone.ogg"}).json()["status_url"]
    deadline = time.monotonic() + 60
    while (job := httpx.get(stack.base_url + status_url).json())["state"] not in {"done", "failed"}:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["error"]["code"] == "download_failed"


def _final_job(stack: Stack, status_url: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while (job := httpx.get(stack.base_url + status_url).json())["state"] not in {"done", "failed"}:
        assert time.monotonic() < deadline, f"still {job['state']}"
        time.sleep(0.1)
    return job


def _submit_link(stack: Stack, url: str) -> dict:
    response = httpx.post(f"{stack.base_url}/classify", json={"url": url})
    assert response.status_code == 202, response.text
    return _final_job(stack, response.json()["status_url"])


@pytest.fixture
def served(tmp_path: Path) -> Iterator[CountingAudioServer]:
    """An HTTP server on 127.0.0.1 of an empty folder the test fills, counting the requests of each path."""
    folder = tmp_path / "served"
    folder.mkdir()
    server = CountingAudioServer(folder)
    yield server
    server.stop()


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/rock.ogg", "file:///etc/passwd"], ids=["to ftp", "to file"])
def test_direct_link_redirecting_to_another_scheme_is_url_not_allowed(stack: Stack, target: str) -> None:
    server = RedirectServer(lambda _: target)
    try:
        job = _submit_link(stack, f"{server.base_url}/rock.ogg")
    finally:
        server.stop()
    assert (job["state"], job["error"]["code"]) == ("failed", "url_not_allowed"), job


def test_feed_of_300_songs_is_refused_before_any_song_is_fetched(
    stack: Stack, served: CountingAudioServer, clip_path: Path
) -> None:
    entries = []
    for index in range(300):
        (served.folder / f"episode-{index}.ogg").symlink_to(clip_path)
        entries.append(f"{served.base_url}/episode-{index}.ogg")
    (served.folder / "feed.xml").write_text(podcast_feed("300 songs", entries))
    job = _submit_link(stack, f"{served.base_url}/feed.xml")
    assert job["error"]["code"] == "playlist_not_supported", job
    assert served.requests["/feed.xml"] >= 1
    assert sum(count for path, count in served.requests.items() if path.startswith("/episode-")) == 0


def test_encrypted_hls_whose_key_is_on_a_refused_address_never_fetches_it(
    stack: Stack, served: CountingAudioServer, clip_path: Path
) -> None:
    # 0.0.0.0 reaches this machine but is never an allowed address; ffmpeg, given the stream, fetched the key there.
    refused = served.base_url.replace("127.0.0.1", "0.0.0.0")
    hls_stream(clip_path, served.folder, seconds=8, key_uri=f"{refused}/stream.key")
    job = _submit_link(stack, f"{served.base_url}/stream.m3u8")
    assert job["error"]["code"] == "url_not_allowed", job
    assert served.requests["/stream.key"] == 0 and served.requests["/stream0.ts"] == 0


def test_stored_record_that_does_not_parse_is_answered_failed_not_500(stack: Stack) -> None:
    # What NaN probabilities were stored as: null where a number must be.
    client = redis.Redis.from_url(stack.env["GENRE_REDIS_URL"])
    job_id = "f" * 32
    stored = {"id": job_id, "state": "done", "source": {"kind": "url", "url": "http://127.0.0.1/a.ogg"},
              "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
              "result": {"labels": ["rock"], "song_probabilities": {"rock": None}}}  # fmt: skip
    client.set(KEY_PREFIX + job_id, json.dumps(stored), ex=60)
    try:
        for _ in range(2):
            response = httpx.get(f"{stack.base_url}/jobs/{job_id}")
            assert response.status_code == 200, response.text
            assert (response.json()["state"], response.json()["error"]["code"]) == ("failed", "internal_error")
    finally:
        client.delete(KEY_PREFIX + job_id)


def test_upload_with_nan_samples_fails_and_stays_readable(stack: Stack, clip_path: Path, tmp_path: Path) -> None:
    audio, rate = soundfile.read(clip_path, dtype="float32")
    audio[::1000] = np.nan
    upload = tmp_path / "nan.wav"
    soundfile.write(upload, audio, rate, subtype="FLOAT")
    response = httpx.post(f"{stack.base_url}/classify/upload", files={"file": (upload.name, upload.read_bytes())})
    assert response.status_code == 202, response.text
    job = _final_job(stack, response.json()["status_url"])
    assert job["error"]["code"] in {"unsupported_audio", "internal_error"}, job
    assert httpx.get(stack.base_url + response.json()["status_url"]).status_code == 200


def test_service_still_answers_a_valid_request_afterwards(stack: Stack, audio_server: str) -> None:
    response = httpx.post(f"{stack.base_url}/classify", json={"url": f"{audio_server}/rock.ogg"})
    assert response.status_code == 202
    deadline = time.monotonic() + 60
    while (job := httpx.get(stack.base_url + response.json()["status_url"]).json())["state"] not in {"done", "failed"}:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["state"] == "done"
    assert httpx.get(f"{stack.base_url}/healthz").json()["status"] == "ok"
