"""Whether a submitted link is taken for a playlist (a batch of songs) or for one song.

The API cannot know what is behind most links before yt-dlp reads them; it does not guess. A client says
so (`"playlist": true`), or the link says so unambiguously: a YouTube link with a `list=` parameter and no
video (`youtube.com/playlist?list=…`). A YouTube link with both a video and `list=` is that video, as it
always was. Any other playlist sent as one song fails `playlist_not_supported`, whose message says to send
it again as a playlist.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from genre_core.source_key import AmbiguousLink, source_key

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}


def is_playlist_request(url: str, playlist: bool | None) -> bool:
    """`playlist` when the client said; otherwise whether `url` is a YouTube playlist link without a video."""
    if playlist is not None:
        return playlist
    return is_youtube_playlist(url)


def is_youtube_playlist(url: str) -> bool:
    parts = urlsplit(url)
    if (parts.hostname or "").lower() not in _YOUTUBE_HOSTS or not parse_qs(parts.query).get("list"):
        return False
    try:
        return not source_key(url).startswith("youtube:")
    except AmbiguousLink:
        return False  # refused as a single link, with the reason, by the link policy
