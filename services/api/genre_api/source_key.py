"""What makes two links the same song: for YouTube the video id, otherwise the URL itself."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}


def source_key(url: str) -> str:
    """`youtube:<id>` for any spelling of a YouTube video link (watch, youtu.be, shorts, embed, extra
    parameters such as `t=` or `list=`); the URL without its fragment for anything else."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    video_id = None
    if host == "youtu.be":
        video_id = parts.path.strip("/").split("/")[0]
    elif host in _YOUTUBE_HOSTS:
        if parts.path == "/watch":
            video_id = parse_qs(parts.query).get("v", [""])[0]
        elif parts.path.startswith(("/shorts/", "/embed/", "/live/", "/v/")):
            video_id = parts.path.split("/")[2]
    if video_id and _VIDEO_ID.match(video_id):
        return f"youtube:{video_id}"
    return parts._replace(fragment="").geturl()
