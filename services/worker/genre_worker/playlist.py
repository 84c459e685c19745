"""Listing a playlist's songs with yt-dlp's metadata alone: no entry is resolved, no media fetched.

yt-dlp reads YouTube playlists with its own extractor, and a podcast feed (RSS/Atom) or a page of media links
with its generic one; in every case the entries come back "flat" (`extract_flat`): a link and a title each,
and for YouTube a duration. The same safeguards as a download apply: the address checks on every connection,
a deadline, and never more than one entry past the limit is read.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from yt_dlp import YoutubeDL
from yt_dlp.networking.exceptions import RequestError
from yt_dlp.utils import DownloadError, unsmuggle_url

from genre_core.errors import PipelineError
from genre_core.url_safety import IpNetwork, ensure_public_host, public_addresses_only
from genre_worker.deadline import deadline
from genre_worker.download import QuietLogger, javascript_runtimes, pipeline_error, took_too_long


class NotAPlaylist(PipelineError):
    code = "not_a_playlist"


class PlaylistTooLong(PipelineError):
    code = "playlist_too_long"


class EmptyPlaylist(PipelineError):
    code = "empty_playlist"


@dataclass(frozen=True)
class PlaylistEntry:
    url: str | None
    title: str | None
    duration_seconds: float | None


@dataclass(frozen=True)
class Playlist:
    title: str | None
    entries: list[PlaylistEntry]


_PLAYLIST_TYPES = {"playlist", "multi_video"}
_REFERENCE_TYPES = {"url", "url_transparent"}


def list_playlist(
    url: str,
    *,
    max_items: int,
    socket_timeout_seconds: float = 30.0,
    allowed_networks: Sequence[IpNetwork] = (),
    deadline_seconds: float | None = None,
) -> Playlist:
    """The title and entries of the playlist at `url`, at most `max_items` of them.

    Raises:
        UrlNotAllowed: the host (or a host it redirects to) resolves to a non-public address.
        NotAPlaylist: the link is one song.
        PlaylistTooLong: more than `max_items` entries.
        EmptyPlaylist: no entries.
        DownloadFailed: yt-dlp could not read the playlist (the message says why), or the deadline passed.
    """
    ensure_public_host(url, allowed_networks)
    logger = QuietLogger()
    options: dict[str, Any] = {
        "extract_flat": "in_playlist",
        # One past the limit: enough to know that a playlist is too long without listing all of it.
        "playlistend": max_items + 1,
        "noplaylist": False,
        "quiet": True,
        "no_warnings": True,
        "cachedir": False,
        "socket_timeout": socket_timeout_seconds,
        "retries": 2,
        "logger": logger,
        "js_runtimes": javascript_runtimes(),
    }
    try:
        with (
            deadline(deadline_seconds, functools.partial(took_too_long, deadline_seconds)),
            public_addresses_only(allowed_networks),
            YoutubeDL(options) as reader,
        ):
            info = reader.extract_info(url, download=False, process=False)
            if info is not None and info.get("_type") not in _PLAYLIST_TYPES | _REFERENCE_TYPES:
                raise NotAPlaylist(_ONE_SONG)
            info = reader.process_ie_result(info, download=False)
    except PipelineError:
        raise
    except (DownloadError, RequestError) as error:
        raise pipeline_error(error, logger.handed_to_ffmpeg) from error
    return playlist_of(info, max_items)


_ONE_SONG = 'This link is one song, not a playlist; send it without "playlist": true.'


def playlist_of(info: dict[str, Any] | None, max_items: int) -> Playlist:
    """The playlist in yt-dlp's (processed, flat) metadata `info` (pure).

    Raises:
        NotAPlaylist, PlaylistTooLong, EmptyPlaylist.
    """
    if info is None or info.get("_type") not in _PLAYLIST_TYPES:
        raise NotAPlaylist(_ONE_SONG)
    entries = [entry for entry in info.get("entries") or [] if entry is not None]
    if len(entries) > max_items:
        total = info.get("playlist_count")
        size = f"{total} songs" if isinstance(total, int) and total > max_items else f"more than {max_items} songs"
        raise PlaylistTooLong(f"This playlist has {size}; at most {max_items} are classified at once.")
    if not entries:
        raise EmptyPlaylist("This playlist has no songs.")
    return Playlist(title=_text(info.get("title")), entries=[_entry(entry) for entry in entries])


def _entry(entry: dict[str, Any]) -> PlaylistEntry:
    url = entry.get("url") or entry.get("webpage_url")
    if isinstance(url, str):
        # yt-dlp passes data between its extractors in the fragment ("smuggled"); it is not part of the link.
        url, _ = unsmuggle_url(url)
    duration = entry.get("duration")
    return PlaylistEntry(
        url=url if isinstance(url, str) else None,
        title=_text(entry.get("title")),
        duration_seconds=float(duration) if isinstance(duration, int | float) else None,
    )


def _text(value: object) -> str | None:
    return value[:500] if isinstance(value, str) and value else None
