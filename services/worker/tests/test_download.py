"""Downloading real audio with yt-dlp + ffmpeg from an HTTP server on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest
import soundfile

from genre_worker.download import DownloadFailed, download


def test_direct_audio_link_becomes_mono_wav_at_pipeline_rate(audio_server: str, tmp_path: Path) -> None:
    path = download(f"{audio_server}/rock.ogg", tmp_path, sample_rate=22050)
    info = soundfile.info(path)
    assert path.parent == tmp_path
    assert (info.samplerate, info.channels) == (22050, 1)
    assert info.duration == pytest.approx(30.0, abs=0.1)


def test_missing_file_fails_with_the_reason(audio_server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed, match="404") as caught:
        download(f"{audio_server}/no-such-song.ogg", tmp_path, sample_rate=22050)
    assert caught.value.code == "download_failed"


def test_unreachable_host_fails(tmp_path: Path) -> None:
    from testkit.waiting import free_port

    with pytest.raises(DownloadFailed, match="could not be downloaded"):
        download(f"http://127.0.0.1:{free_port()}/song.ogg", tmp_path, sample_rate=22050, socket_timeout_seconds=3)
