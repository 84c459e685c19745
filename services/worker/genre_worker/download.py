"""Fetching a song's audio from a URL with yt-dlp, converted by ffmpeg to 22050 Hz mono WAV."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from yt_dlp import YoutubeDL
from yt_dlp.dependencies import requests as requests_library
from yt_dlp.networking.exceptions import RequestError, TransportError, UnsupportedRequest
from yt_dlp.utils import DownloadError

from genre_core.errors import DownloadCause, PipelineError, TooLong
from genre_core.url_safety import (
    ForbiddenAddress,
    IpNetwork,
    UrlNotAllowed,
    ensure_public_host,
    public_addresses_only,
)
from genre_worker.deadline import deadline
from genre_worker.download_errors import explain
from genre_worker.downloader_info import find_deno

log = logging.getLogger(__name__)

_ANSI_ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


# The downloader's words kept as an error's detail: enough for an operator, not a page of them.
_MAX_DETAIL_CHARS = 2000


class DownloadFailed(PipelineError):
    code = "download_failed"

    def __init__(
        self,
        message: str,
        transient: bool = False,
        cause: DownloadCause | None = DownloadCause.other,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        # A failure that may pass (timeout, 5xx, dropped connection) is worth a retry; a 404, a private
        # or removed video, an unsupported site is not.
        self.transient = transient
        self.cause = cause
        self.detail = detail[:_MAX_DETAIL_CHARS] if detail else None


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


# What an ffmpeg that yt-dlp runs as a downloader may open: local files and decryption, no network. It
# would resolve names itself, outside `public_addresses_only`; yt-dlp's own downloaders do not.
_FFMPEG_DOWNLOADER_PROTOCOLS = "file,crypto,data"


def download(
    url: str,
    dest_dir: Path,
    *,
    sample_rate: int,
    socket_timeout_seconds: float = 30.0,
    max_bytes: int | None = None,
    max_seconds: float | None = None,
    allowed_networks: Sequence[IpNetwork] = (),
    deadline_seconds: float | None = None,
    min_bytes_per_second: float | None = None,
    min_rate_after_seconds: float = 15.0,
    expected_video_id: str | None = None,
) -> Path:
    """Download the audio of `url` into `dest_dir` as a mono WAV at `sample_rate` Hz.

    Works for YouTube (and the other sites yt-dlp supports) and for direct links to audio files.
    What the site says about the media is checked before anything is downloaded: playlists (from the
    first page of metadata, their entries never resolved), live streams, videos longer than
    `max_seconds`, and, when `expected_video_id` is given, media whose id is another. The whole
    download, conversion included, is stopped after `deadline_seconds`, and once it has run
    `min_rate_after_seconds`, if it averages under `min_bytes_per_second`. The caller owns `dest_dir`
    and removes it.

    Raises:
        UrlNotAllowed: the host resolves to a non-public address (checked again here, where the fetch happens,
            at every connection), a redirect leaves http/https, the media id is not `expected_video_id`, or the
            stream could only be fetched by ffmpeg (outside those checks).
        PlaylistNotSupported, LiveNotSupported, TooLong: refused from the site's metadata.
        DownloadTooLarge: past `max_bytes`.
        DownloadFailed: yt-dlp or ffmpeg could not fetch or convert the audio, or the server was too slow;
            the message says why.
    """
    ensure_public_host(url, allowed_networks)
    logger = QuietLogger()
    options: dict[str, Any] = {
        "format": "bestaudio/best",
        "outtmpl": {"default": str(dest_dir / "source.%(ext)s")},
        "noplaylist": True,
        # A playlist is refused from its first page of metadata: its entries are listed, never resolved.
        "extract_flat": "in_playlist",
        "playlistend": 1,
        # yt-dlp's own HLS and DASH downloaders, never an external program: their connections go through
        # this process's resolver, which `public_addresses_only` checks (segments and key URIs included).
        "hls_prefer_native": True,
        "external_downloader": {"default": "native"},
        # A segment that cannot be fetched (refused address included) fails the download: a song with a
        # hole in it is not the song.
        "skip_unavailable_fragments": False,
        # Where yt-dlp still hands a stream to ffmpeg (AES-128 HLS without pycryptodomex, HLS features its
        # native downloader lacks), that ffmpeg may open no network address at all.
        "external_downloader_args": {"ffmpeg_i": ["-protocol_whitelist", _FFMPEG_DOWNLOADER_PROTOCOLS]},
        "quiet": True,
        "no_warnings": True,
        "noprogress": True,
        "cachedir": False,
        "socket_timeout": socket_timeout_seconds,
        "retries": 2,
        "logger": logger,
        "postprocessors": [{"key": "FFmpegExtractAudio", "preferredcodec": "wav"}],
        # 32-bit float WAV: 16-bit would add quantisation noise above the log-mel floor, a skew vs. training.
        "postprocessor_args": {"extractaudio": ["-ac", "1", "-ar", str(sample_rate), "-c:a", "pcm_f32le"]},
        "js_runtimes": javascript_runtimes(),
    }
    hooks = []
    if max_bytes is not None:
        # A progress hook, not yt-dlp's max_filesize: that one trusts the announced size and lets a
        # download of unknown size run unbounded; this one stops at the cap whatever was announced.
        hooks.append(functools.partial(_stop_past, max_bytes))
    if min_bytes_per_second:
        # Not yt-dlp's throttledratelimit: that one re-extracts and tries again, here slow means failed.
        hooks.append(functools.partial(_stop_below, min_bytes_per_second, min_rate_after_seconds))
    options["progress_hooks"] = hooks
    requested_host = urlsplit(url).hostname
    try:
        with (
            deadline(deadline_seconds, functools.partial(took_too_long, deadline_seconds)),
            public_addresses_only(allowed_networks),
            YoutubeDL(options) as downloader,
        ):
            listing = downloader.extract_info(url, download=False, process=False)
            vet_media_info(listing, max_seconds, allowed_networks, requested_host, expected_video_id)
            info = downloader.process_ie_result(listing, download=False)
            vet_media_info(info, max_seconds, allowed_networks, requested_host, expected_video_id)
            downloader.process_ie_result(info, download=True)
    except PipelineError:
        raise
    except (DownloadError, RequestError) as error:
        raise pipeline_error(error, logger.handed_to_ffmpeg, requested_host) from error
    wav_files = sorted(dest_dir.glob("*.wav"))
    if not wav_files:
        raise DownloadFailed("The audio could not be downloaded: the link gave no audio file")
    return wav_files[0]


def took_too_long(seconds: float | None) -> DownloadFailed:
    return DownloadFailed(
        f"The download took longer than the {seconds:g} s limit: the server sends too slowly. Try another link.",
        cause=DownloadCause.too_slow,
    )


def _stop_past(max_bytes: int, progress: dict[str, Any]) -> None:
    announced = progress.get("total_bytes") or 0
    if max(progress.get("downloaded_bytes") or 0, announced) > max_bytes:
        raise DownloadTooLarge(f"The file is larger than the {max_bytes / 1e6:g} MB download limit.")


def _stop_below(min_bytes_per_second: float, after_seconds: float, progress: dict[str, Any]) -> None:
    elapsed = progress.get("elapsed") or 0.0
    if progress.get("status") != "downloading" or elapsed < after_seconds:
        return
    rate = (progress.get("downloaded_bytes") or 0) / elapsed
    if rate < min_bytes_per_second:
        raise DownloadFailed(
            f"The server sends too slowly ({rate / 1000:.1f} kB/s; the minimum is "
            f"{min_bytes_per_second / 1000:g} kB/s). Try another link.",
            cause=DownloadCause.too_slow,
        )


def pipeline_error(
    error: DownloadError | RequestError, handed_to_ffmpeg: bool, host: str | None = None
) -> PipelineError:
    """What a yt-dlp failure means for the job: our own refusal raised inside yt-dlp, a refused address or
    scheme, or a download failure (transient or not), in plain words with yt-dlp's own kept as its detail."""
    causes = list(_causes(error))
    for cause in causes:
        if isinstance(cause, PipelineError):
            return cause
    if any(isinstance(cause, ForbiddenAddress) for cause in causes) or ForbiddenAddress.MARKER in str(error):
        return UrlNotAllowed("The link leads (through a redirect) to a non-public address.")
    if any(_is_refused_scheme(cause) for cause in causes):
        return UrlNotAllowed("The link redirects to an address that is not http or https; only web links are fetched.")
    if handed_to_ffmpeg:
        return UrlNotAllowed(
            "This stream (encrypted or unusual HLS) could only be fetched by ffmpeg, outside the address checks "
            "every download goes through; it is not accepted."
        )
    transient = any(isinstance(cause, TransportError) for cause in causes) or bool(_TRANSIENT.search(str(error)))
    raw = _reason(error)
    explained = explain(raw, causes, host)
    return DownloadFailed(explained.message, transient=transient, cause=explained.cause, detail=raw)


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The error, what yt-dlp wrapped in it, and what caused those."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        wrapped = current.exc_info[1] if isinstance(current, DownloadError) and current.exc_info else None
        current = wrapped or current.__cause__ or current.__context__


def _is_refused_scheme(error: BaseException) -> bool:
    # yt-dlp refuses a scheme none of its handlers serves (UnsupportedRequest); the requests library,
    # while following redirects, one it has no adapter for (InvalidSchema: ftp://, file://...).
    if isinstance(error, UnsupportedRequest):
        return True
    return requests_library is not None and isinstance(error, requests_library.exceptions.InvalidSchema)


def vet_media_info(
    info: dict[str, Any] | None,
    max_seconds: float | None,
    allowed_networks: Sequence[IpNetwork] = (),
    requested_host: str | None = None,
    expected_video_id: str | None = None,
) -> None:
    """Refuse, from what the site says before any media is fetched: playlists, live streams, songs over
    `max_seconds`, media URLs (after the site's redirects) on non-public addresses, for a direct link
    (yt-dlp's generic extractor) media on another host than the one asked for (a redirect away), and
    media whose id is not `expected_video_id` (the id the job was keyed by, so a link that names one
    video to the duplicate check and another to yt-dlp cannot file one song's result under another).

    Called on the first metadata yt-dlp reads (`process=False`) and again once it has resolved it; a
    reference to another URL (`_type` url) carries no id yet and is checked when resolved.

    Raises:
        PlaylistNotSupported, LiveNotSupported, TooLong, UrlNotAllowed, DownloadFailed.
    """
    if info is None:
        raise DownloadFailed("The audio could not be downloaded: the link gave no media")
    if info.get("_type") in {"playlist", "multi_video"}:
        raise PlaylistNotSupported(
            'This link is a playlist; send it as one ("playlist": true) to classify each of its songs.'
        )
    is_reference = info.get("_type") in {"url", "url_transparent"}
    if expected_video_id is not None and not is_reference and info.get("id") != expected_video_id:
        raise UrlNotAllowed(
            f"The link was taken for video {expected_video_id}, but it leads to {info.get('id')}; "
            "send a plain link to one video."
        )
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


def javascript_runtimes() -> dict[str, dict[str, str]]:
    # YouTube's player needs a JavaScript runtime: the `deno` package's.
    deno = find_deno()
    return {"deno": {"path": deno}} if deno else {}


def _reason(error: DownloadError | RequestError) -> str:
    text = _ANSI_ESCAPE.sub("", str(error)).strip()
    return text.removeprefix("ERROR:").strip() or "unknown error"


class QuietLogger:
    """Routes yt-dlp's messages to logging instead of stdout/stderr, and notes whether yt-dlp handed the
    download to ffmpeg (which then fails, being allowed no network): that failure is a refusal."""

    def __init__(self) -> None:
        self.handed_to_ffmpeg = False

    def debug(self, message: str) -> None:
        log.debug(message)

    def info(self, message: str) -> None:
        log.debug(message)

    def warning(self, message: str) -> None:
        # yt-dlp's words when its native HLS downloader gives a stream to ffmpeg (downloader/hls.py).
        if "delegated to ffmpeg" in message:
            self.handed_to_ffmpeg = True
        log.info("yt-dlp: %s", message)

    def error(self, message: str) -> None:
        log.info("yt-dlp: %s", _ANSI_ESCAPE.sub("", message))
