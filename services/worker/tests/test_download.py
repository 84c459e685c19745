"""Downloading real audio with yt-dlp + ffmpeg from an HTTP server on 127.0.0.1."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import soundfile

from genre_core.audio import load_audio
from genre_core.errors import PipelineError
from genre_core.features import log_mel
from genre_core.params import DEFAULT_FEATURE_PARAMS
from genre_core.url_safety import UrlNotAllowed, parse_networks
from genre_worker.download import (
    DownloadFailed,
    DownloadTooLarge,
    PlaylistNotSupported,
    download,
    vet_media_info,
)
from testkit.audio_server import CountingAudioServer, RedirectServer, TricklingServer, hls_stream, podcast_feed

# The test audio server runs on loopback, which the worker refuses unless configured.
LOCAL = parse_networks(["127.0.0.0/8"])


def test_direct_audio_link_becomes_mono_wav_at_pipeline_rate(audio_server: str, tmp_path: Path) -> None:
    path = download(f"{audio_server}/rock.ogg", tmp_path, sample_rate=22050, allowed_networks=LOCAL)
    info = soundfile.info(path)
    assert path.parent == tmp_path
    assert (info.samplerate, info.channels) == (22050, 1)
    assert info.duration == pytest.approx(30.0, abs=0.1)


def test_missing_file_fails_with_the_reason(audio_server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed, match="404") as caught:
        download(f"{audio_server}/no-such-song.ogg", tmp_path, sample_rate=22050, allowed_networks=LOCAL)
    assert caught.value.code == "download_failed"
    assert "caused by" not in caught.value.message  # the reason once, in the downloader's words


def test_unreachable_host_fails(tmp_path: Path) -> None:
    from testkit.waiting import free_port

    with pytest.raises(DownloadFailed, match=r"could not reach 127\.0\.0\.1"):
        download(
            f"http://127.0.0.1:{free_port()}/song.ogg",
            tmp_path,
            sample_rate=22050,
            socket_timeout_seconds=3,
            allowed_networks=LOCAL,
        )


def test_downloaded_audio_gives_the_features_of_the_original_file(
    audio_server: str, audio_files: Path, tmp_path: Path
) -> None:
    # Regression: a 16-bit WAV in the download path shifted quiet log-mel bins by up to 17 dB.
    params = DEFAULT_FEATURE_PARAMS
    downloaded = load_audio(
        download(f"{audio_server}/rock.ogg", tmp_path, sample_rate=params.sample_rate, allowed_networks=LOCAL), 22050
    )
    original = load_audio(audio_files / "rock.ogg", params.sample_rate)
    n = min(len(downloaded), len(original))
    difference = np.abs(log_mel(downloaded[:n], params) - log_mel(original[:n], params))
    assert np.percentile(difference, 99) < 0.5


def test_loopback_is_refused_unless_configured(audio_server: str, tmp_path: Path) -> None:
    with pytest.raises(UrlNotAllowed):
        download(f"{audio_server}/rock.ogg", tmp_path, sample_rate=22050)
    assert not any(tmp_path.iterdir())  # refused before anything was fetched


@pytest.mark.parametrize(
    ("info", "code"),
    [
        ({"_type": "playlist", "entries": []}, "playlist_not_supported"),
        ({"is_live": True, "duration": None}, "live_not_supported"),
        ({"live_status": "is_upcoming"}, "live_not_supported"),
        ({"duration": 3 * 3600}, "too_long"),
        ({"duration": 200, "url": "http://169.254.169.254/latest/meta-data"}, "url_not_allowed"),
        ({"requested_formats": [{"url": "http://10.0.0.7/audio.m4a"}]}, "url_not_allowed"),
        (None, "download_failed"),
    ],
)
def test_media_refused_from_its_metadata(info: dict | None, code: str) -> None:
    with pytest.raises(PipelineError) as caught:
        vet_media_info(info, max_seconds=900)
    assert caught.value.code == code


def test_an_ordinary_song_passes_the_metadata_checks() -> None:
    vet_media_info({"duration": 215, "url": "https://8.8.8.8/videoplayback"}, max_seconds=900)


def test_download_past_the_size_cap_is_stopped(audio_server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadTooLarge) as caught:
        download(f"{audio_server}/rock.ogg", tmp_path, sample_rate=22050, max_bytes=100_000, allowed_networks=LOCAL)
    assert caught.value.code == "too_large"


@pytest.fixture
def redirect_to() -> Iterator[Callable[[str], str]]:
    """Starts servers on 127.0.0.1 that redirect every path to `target` + path; gives their base URL."""
    servers: list[RedirectServer] = []

    def start(target: str) -> str:
        servers.append(RedirectServer(lambda path: target + path))
        return servers[-1].base_url

    yield start
    for server in servers:
        server.stop()


def test_direct_link_redirecting_to_another_host_is_refused(
    redirect_to: Callable[[str], str], audio_server: str, tmp_path: Path
) -> None:
    redirecting = redirect_to(audio_server.replace("127.0.0.1", "localhost"))  # same machine, another name
    with pytest.raises(UrlNotAllowed, match="another host"):
        download(f"{redirecting}/rock.ogg", tmp_path, sample_rate=22050, allowed_networks=LOCAL)
    assert not list(tmp_path.glob("*.wav"))


def test_redirect_to_a_private_address_is_refused_before_connecting(
    redirect_to: Callable[[str], str], tmp_path: Path
) -> None:
    # 10.255.255.1 is not allowed here; a connection attempt would hang until the timeout instead.
    redirecting = redirect_to("http://10.255.255.1:9")
    with pytest.raises(UrlNotAllowed, match="non-public address"):
        download(
            f"{redirecting}/latest/meta-data", tmp_path, sample_rate=22050, allowed_networks=LOCAL,
            socket_timeout_seconds=30,
        )  # fmt: skip


@pytest.mark.parametrize("target", ["ftp://127.0.0.1/rock.ogg", "file:///etc/passwd"])
def test_redirect_to_another_scheme_is_refused(target: str, tmp_path: Path) -> None:
    server = RedirectServer(lambda _: target)
    try:
        with pytest.raises(UrlNotAllowed, match="not http or https"):
            download(f"{server.base_url}/song.ogg", tmp_path, sample_rate=22050, allowed_networks=LOCAL)
    finally:
        server.stop()
    assert not any(tmp_path.iterdir())


@pytest.fixture
def served(tmp_path: Path) -> Iterator[CountingAudioServer]:
    """A server of the (initially empty) folder `tmp_path/served` that counts requests per path."""
    folder = tmp_path / "served"
    folder.mkdir()
    server = CountingAudioServer(folder)
    yield server
    server.stop()


def test_trickling_server_is_cut_off_at_the_deadline(clip_path: Path, tmp_path: Path) -> None:
    # One byte a second: never silent long enough for the socket timeout, and a block read never completes.
    server = TricklingServer(clip_path.read_bytes(), chunk_bytes=1, interval_seconds=1.0)
    started = time.monotonic()
    try:
        with pytest.raises(DownloadFailed, match="longer than the 3 s limit") as caught:
            download(
                f"{server.base_url}/rock.ogg", tmp_path, sample_rate=22050, allowed_networks=LOCAL,
                socket_timeout_seconds=30, deadline_seconds=3,
            )  # fmt: skip
    finally:
        server.stop()
    assert not caught.value.transient  # a slow server is not retried
    assert time.monotonic() - started < 25  # stopped by the deadline, well before the socket timeout


def test_download_under_the_minimum_rate_fails(clip_path: Path, tmp_path: Path) -> None:
    # About 8 kB/s in 2 kB writes: every read completes, far under a 200 kB/s minimum.
    server = TricklingServer(clip_path.read_bytes(), chunk_bytes=2048, interval_seconds=0.25)
    try:
        with pytest.raises(DownloadFailed, match="too slowly"):
            download(
                f"{server.base_url}/rock.ogg", tmp_path, sample_rate=22050, allowed_networks=LOCAL,
                min_bytes_per_second=200_000, min_rate_after_seconds=1, deadline_seconds=60,
            )  # fmt: skip
    finally:
        server.stop()
    assert server.sent < len(clip_path.read_bytes())


def test_feed_is_refused_as_a_playlist_without_fetching_its_entries(
    served: CountingAudioServer, clip_path: Path, tmp_path: Path
) -> None:
    entries = []
    for index in range(300):
        shutil.copy(clip_path, served.folder / f"episode-{index}.ogg")
        entries.append(f"{served.base_url}/episode-{index}.ogg")
    (served.folder / "feed.xml").write_text(podcast_feed("300 songs", entries))
    with pytest.raises(PlaylistNotSupported):
        download(f"{served.base_url}/feed.xml", tmp_path, sample_rate=22050, allowed_networks=LOCAL)
    assert served.requests["/feed.xml"] >= 1
    assert sum(count for path, count in served.requests.items() if path.startswith("/episode-")) == 0


def test_hls_stream_is_downloaded_by_the_native_downloader(
    served: CountingAudioServer, clip_path: Path, tmp_path: Path
) -> None:
    hls_stream(clip_path, served.folder, seconds=12)
    path = download(f"{served.base_url}/stream.m3u8", tmp_path, sample_rate=22050, allowed_networks=LOCAL)
    assert soundfile.info(path).duration == pytest.approx(12, abs=0.5)
    assert served.requests["/stream0.ts"] == 1


def test_hls_segments_on_a_refused_address_are_not_fetched(
    served: CountingAudioServer, clip_path: Path, tmp_path: Path
) -> None:
    # The playlist on an allowed address, its segments on 0.0.0.0 (this machine, but never allowed).
    hls_stream(clip_path, served.folder, seconds=8)
    playlist = served.folder / "stream.m3u8"
    refused = served.base_url.replace("127.0.0.1", "0.0.0.0")
    playlist.write_text(playlist.read_text().replace("stream0.ts", f"{refused}/stream0.ts"))
    with pytest.raises(UrlNotAllowed):
        download(f"{served.base_url}/stream.m3u8", tmp_path, sample_rate=22050, allowed_networks=LOCAL)
    assert served.requests["/stream0.ts"] == 0


def test_encrypted_hls_with_its_key_on_a_refused_address_is_refused(
    served: CountingAudioServer, clip_path: Path, tmp_path: Path
) -> None:
    # yt-dlp hands AES-128 HLS to ffmpeg (without pycryptodomex), which would fetch the key itself.
    refused = served.base_url.replace("127.0.0.1", "0.0.0.0")
    hls_stream(clip_path, served.folder, seconds=8, key_uri=f"{refused}/stream.key")
    with pytest.raises(UrlNotAllowed):
        download(f"{served.base_url}/stream.m3u8", tmp_path, sample_rate=22050, allowed_networks=LOCAL)
    assert served.requests["/stream.key"] == 0
    assert served.requests["/stream0.ts"] == 0


def test_media_with_another_id_than_the_jobs_key_is_refused(
    served: CountingAudioServer, clip_path: Path, tmp_path: Path
) -> None:
    # yt-dlp's generic extractor names a direct link's media by its file name: the id here is BBBBBBBBBBB.
    shutil.copy(clip_path, served.folder / "BBBBBBBBBBB.ogg")
    url = f"{served.base_url}/BBBBBBBBBBB.ogg"
    dest = tmp_path / "dest"
    dest.mkdir()
    with pytest.raises(UrlNotAllowed, match="AAAAAAAAAAA"):
        download(url, dest, sample_rate=22050, allowed_networks=LOCAL, expected_video_id="AAAAAAAAAAA")
    assert not any(dest.iterdir())  # nothing downloaded
    assert download(url, dest, sample_rate=22050, allowed_networks=LOCAL, expected_video_id="BBBBBBBBBBB").exists()
