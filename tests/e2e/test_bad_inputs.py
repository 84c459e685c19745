"""A catalogue of bad inputs against the running stack: each gets its exact status and error code, and
the service still answers a valid request afterwards."""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import httpx
import numpy as np
import pytest
import soundfile

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
    ("huge url", {"url": "https://www.youtube.com/watch?v=" + "a" * 100_000}, 422, "invalid_request"),
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


def test_service_still_answers_a_valid_request_afterwards(stack: Stack, audio_server: str) -> None:
    response = httpx.post(f"{stack.base_url}/classify", json={"url": f"{audio_server}/rock.ogg"})
    assert response.status_code == 202
    deadline = time.monotonic() + 60
    while (job := httpx.get(stack.base_url + response.json()["status_url"]).json())["state"] not in {"done", "failed"}:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert job["state"] == "done"
    assert httpx.get(f"{stack.base_url}/healthz").json()["status"] == "ok"
