"""Uploads that attack or trip the decoder, through the running stack: each job ends with its code, never
`internal_error`, and a playlist tells nothing about the files it names."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from testkit.awkward_audio import (
    clean_source,
    ffmpeg,
    flac_header_then_garbage,
    float_wav_with,
    hls_playlist,
    lame,
    with_junk,
)
from testkit.stack import Stack

pytestmark = pytest.mark.e2e


def _job(stack: Stack, path: Path, name: str) -> dict:
    response = httpx.post(f"{stack.base_url}/classify/upload", files={"file": (name, path.read_bytes())})
    assert response.status_code == 202, response.text
    status_url = response.json()["status_url"]
    deadline = time.monotonic() + 60
    while (job := httpx.get(stack.base_url + status_url).json())["state"] not in {"done", "failed"}:
        assert time.monotonic() < deadline, f"{name}: still {job['state']}"
        time.sleep(0.1)
    return job


def test_hostile_and_damaged_uploads_end_with_their_code(
    stack: Stack, tmp_path: Path, clip_path: Path, gtzan_dir: Path
) -> None:
    local_clip = gtzan_dir / "genres" / "jazz" / "jazz.00000.ogg"
    source = clean_source(clip_path, tmp_path)
    flac = tmp_path / "clip.flac"
    ffmpeg("-i", source, flac)
    uploads = {
        # An HLS playlist naming a clip on the worker's disk: it came back `done` (jazz) before.
        "playlist naming a local clip": (hls_playlist(tmp_path / "a.m3u8", local_clip), "failed", "unsupported_audio"),
        "playlist naming a missing file": (
            hls_playlist(tmp_path / "b.m3u8", local_clip.with_name("jazz.99999.ogg")),
            "failed",
            "unsupported_audio",
        ),
        # libsndfile opens it and fails on its first read: it ended `internal_error` before.
        "FLAC header, no frames": (flac_header_then_garbage(flac, tmp_path / "c.flac"), "failed", "unsupported_audio"),
        "float WAV full of NaN": (
            float_wav_with(source, tmp_path / "d.wav", float("nan")),
            "failed",
            "unsupported_audio",
        ),
        "MP3 with junk in mid-stream": (
            with_junk(lame(source, tmp_path / "e.mp3", "-b", "128"), tmp_path / "f.mp3", at=0.5, size=4000),
            "done",
            None,
        ),
    }
    jobs = {}
    for name, (path, state, code) in uploads.items():
        # Every upload under one name, so that messages can be compared.
        jobs[name] = job = _job(stack, path, "upload.mp3" if "playlist" in name else path.name)
        assert (job["state"], (job.get("error") or {}).get("code")) == (state, code), (name, job)
    messages = {
        jobs[name]["error"]["message"] for name in ("playlist naming a local clip", "playlist naming a missing file")
    }
    assert len(messages) == 1 and "/" not in messages.pop()
