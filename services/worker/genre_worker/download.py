"""Fetching a song's audio from a URL with yt-dlp, converted by ffmpeg to 22050 Hz mono WAV."""

from __future__ import annotations

import logging
import re
import shutil
import sys
from pathlib import Path
from typing import Any

from yt_dlp import YoutubeDL
from yt_dlp.utils import DownloadError

from genre_core.errors import PipelineError

log = logging.getLogger(__name__)

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")
# yt-dlp appends the underlying exception, which repeats the message in Python's words.
_CAUSED_BY = re.compile(r"\s*\(caused by .*\)\s*$", re.DOTALL)


class DownloadFailed(PipelineError):
    code = "download_failed"


def download(
    url: str,
    dest_dir: Path,
    *,
    sample_rate: int,
    socket_timeout_seconds: float = 30.0,
    max_bytes: int | None = None,
) -> Path:
    """Download the audio of `url` into `dest_dir` as a mono WAV at `sample_rate` Hz.

    Works for YouTube (and the other sites yt-dlp supports) and for direct links to audio files.
    The caller owns `dest_dir` and removes it.

    Raises:
        DownloadFailed: yt-dlp or ffmpeg could not fetch or convert the audio; the message says why.
    """
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
        options["max_filesize"] = max_bytes
    try:
        with YoutubeDL(options) as downloader:
            downloader.extract_info(url, download=True)
    except DownloadError as error:
        raise DownloadFailed(f"The audio could not be downloaded: {_reason(error)}") from error
    wav_files = sorted(dest_dir.glob("*.wav"))
    if not wav_files:
        raise DownloadFailed("The audio could not be downloaded: the link gave no audio file")
    return wav_files[0]


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
