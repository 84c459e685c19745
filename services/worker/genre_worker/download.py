"""Fetching a song's audio from a URL with yt-dlp, converted by ffmpeg to 22050 Hz mono WAV."""

from __future__ import annotations

import functools
import logging
import re
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from yt_dlp import YoutubeDL
from yt_dlp.utils import DownloadError

from genre_core.errors import PipelineError, TooLong
from genre_core.url_safety import (
    ForbiddenAddress,
    IpNetwork,
    UrlNotAllowed,
    ensure_public_host,
    public_addresses_only,
)

log = logging.getLogger(__name__)

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# yt-dlp appends the underlying exception, which repeats the message in Python's words.
_CAUSED_BY = re.compile(r"\s*\(caused by .*\)\s*$", re.DOTALL)


class DownloadFailed(PipelineError):
    code = "download_failed"

    def __init__(self, message: str, transient: bool = False) -> None:
        super().__init__(message)
        # A failure that may pass (timeout, 5xx, dropped connection) is worth a retry; a 404, a private
        # or removed video, an unsupported site is not.
        self.transient = transient


# What a failure that may pass looks like in yt-dlp's words.
_TRANSIENT = re.compile(
    r"timed out|timeout|HTTP Error 5\d\d|Connection (reset|refused|aborted)|Remote end closed|"
    r"Temporary failure in name resolution|IncompleteRead|TransportError",
    re.IGNORECASE,
)


class DownloadTooLarge(PipelineError):
    code = "too_large"


class PlaylistNotSupported(PipelineError):
    code = "playlist_not_supported"


class LiveNotSupported(PipelineError):
    code = "live_not_supported"


def download(
    url: str,
    dest_dir: Path,
    *,
    sample_rate: int,
    socket_timeout_seconds: float = 30.0,
    max_bytes: int | None = None,
    max_seconds: float | None = None,
    allowed_networks: Sequence[IpNetwork] = (),
) -> Path:
    """Download the audio of `url` into `dest_dir` as a mono WAV at `sample_rate` Hz.

    Works for YouTube (and the other sites yt-dlp supports) and for direct links to audio files.
    What the site says about the media is checked before anything is downloaded: playlists, live
    streams and videos longer than `max_seconds` are refused. The caller owns `dest_dir` and removes it.

    Raises:
        UrlNotAllowed: the host resolves to a non-public address (checked again here, where the fetch happens).
        PlaylistNotSupported, LiveNotSupported, TooLong: refused from the site's metadata.
        DownloadFailed: yt-dlp or ffmpeg could not fetch or convert the audio; the message says why.
    """
    ensure_public_host(url, allowed_networks)
    options: dict[str, Any] = {
        "format": "bestaudio/best",
        "outtmpl": {"default": str(dest_dir / "source.%(ext)s")},
        "noplaylist": True,
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "cachedir": False,
        "socket_timeout": socket_timeout_seconds,
        "retries": 2,
        "logger": _QuietLogger(),
        "postprocessors": [{"key": "FFmpegExtractAudio", "preferredcodec": "wav"}],
        # 32-bit float WAV: 16-bit would add quantisation noise above the log-mel floor, a skew vs. training.
        "postprocessor_args": {"extractaudio": ["-ac", "1", "-ar", str(sample_rate), "-c:a", "pcm_f32le"]},
        "js_runtimes": _javascript_runtimes(),
    }
    if max_bytes is not None:
        # A progress hook, not yt-dlp's max_filesize: that one trusts the announced size and lets a
        # download of unknown size run unbounded; this one stops at the cap whatever was announced.
        options["progress_hooks"] = [functools.partial(_stop_past, max_bytes)]
    try:
        with public_addresses_only(allowed_networks), YoutubeDL(options) as downloader:
            info = downloader.extract_info(url, download=False)
            vet_media_info(info, max_seconds, allowed_networks, requested_host=urlsplit(url).hostname)
            downloader.process_ie_result(info, download=True)
    except DownloadTooLarge:
        raise
    except DownloadError as error:
        if isinstance(error.exc_info[1] if error.exc_info else None, DownloadTooLarge):
            raise error.exc_info[1] from error
        if ForbiddenAddress.MARKER in str(error):
            raise UrlNotAllowed("The link leads (through a redirect) to a non-public address.") from error

        reason = _reason(error)
        transient = bool(_TRANSIENT.search(str(error)))
        raise DownloadFailed(f"The audio could not be downloaded: {reason}", transient=transient) from error
    wav_files = sorted(dest_dir.glob("*.wav"))
    if not wav_files:
        raise DownloadFailed("The audio could not be downloaded: the link gave no audio file")
    return wav_files[0]


def _stop_past(max_bytes: int, progress: dict[str, Any]) -> None:
    announced = progress.get("total_bytes") or 0
    if max(progress.get("downloaded_bytes") or 0, announced) > max_bytes:
        raise DownloadTooLarge(f"The file is larger than the {max_bytes / 1e6:g} MB download limit.")


def vet_media_info(
    info: dict[str, Any] | None,
    max_seconds: float | None,
    allowed_networks: Sequence[IpNetwork] = (),
    requested_host: str | None = None,
) -> None:
    """Refuse, from what the site says before any media is fetched: playlists, live streams, songs over
    `max_seconds`, media URLs (after the site's redirects) on non-public addresses, and, for a direct
    link (yt-dlp's generic extractor), media on another host than the one asked for (a redirect away).

    Raises:
        PlaylistNotSupported, LiveNotSupported, TooLong, UrlNotAllowed, DownloadFailed.
    """
    if info is None:
        raise DownloadFailed("The audio could not be downloaded: the link gave no media")
    if info.get("_type") in {"playlist", "multi_video"}:
        raise PlaylistNotSupported("This link is a playlist; send the link of one song.")
    if info.get("is_live") or info.get("live_status") in {"is_live", "is_upcoming", "post_live"}:
        raise LiveNotSupported("Live streams cannot be classified; send the link of a recorded song.")
    duration = info.get("duration")
    if max_seconds is not None and duration is not None and duration > max_seconds:
        raise TooLong(f"The video lasts {duration / 60:.0f} min; the limit is {max_seconds / 60:g} min.")
    for media in info.get("requested_formats") or [info]:
        if not media.get("url"):
            continue
        ensure_public_host(media["url"], allowed_networks)
        media_host = urlsplit(media["url"]).hostname
        if info.get("extractor_key") == "Generic" and requested_host and media_host != requested_host:
            raise UrlNotAllowed(f"The link redirects to another host ({media_host}); send a direct link.")


def _javascript_runtimes() -> dict[str, dict[str, str]]:
    # YouTube's player needs a JavaScript runtime; the `deno` package installs one beside our
    # interpreter, which is not on PATH when the worker is started without activating the venv.
    beside_python = Path(sys.executable).parent / "deno"
    deno = str(beside_python) if beside_python.exists() else shutil.which("deno")
    return {"deno": {"path": deno}} if deno else {}


def _reason(error: DownloadError) -> str:
    text = _CAUSED_BY.sub("", _ANSI_ESCAPE.sub("", str(error))).strip()
    return text.removeprefix("ERROR:").strip() or "unknown error"


class _QuietLogger:
    """Routes yt-dlp's messages to logging instead of stdout/stderr."""

    def debug(self, message: str) -> None:
        log.debug(message)

    def info(self, message: str) -> None:
        log.debug(message)

    def warning(self, message: str) -> None:
        log.info("yt-dlp: %s", message)

    def error(self, message: str) -> None:
        log.info("yt-dlp: %s", _ANSI_ESCAPE.sub("", message))
