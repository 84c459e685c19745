"""Downloading real audio with yt-dlp + ffmpeg from an HTTP server on 127.0.0.1."""

from __future__ import annotations

import http.server
import threading
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
from genre_worker.download import DownloadFailed, DownloadTooLarge, download, vet_media_info

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

    with pytest.raises(DownloadFailed, match="could not be downloaded"):
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
    servers: list[http.server.ThreadingHTTPServer] = []

    def start(target: str) -> str:
        class Redirect(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(302)
                self.send_header("Location", target + self.path)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()


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
