"""What makes two links the same song: for YouTube the video id, otherwise the URL itself.

A result keyed by video id is served to every other spelling of that video for a day, so the id read here
must be the one the worker's yt-dlp fetches. yt-dlp finds it with its own pattern on the raw link
(`YoutubeIE._VALID_URL` in yt_dlp/extractor/youtube/_video.py): the first `v=` right after `?`, `#`, `&` or
`;`, never percent-decoded; or the segment after `youtu.be/`, `/shorts/`, `/embed/`, `/live/`, `/v/`; and a
`#/` anywhere starts the search again after it. For a link with `list=`, its playlist extractor reads `v`
percent-decoded instead (`parse_qs`, first value). So here:

- the id is the raw value of the parameter named `v`;
- a YouTube link on which those readings could differ is refused (:class:`AmbiguousLink`): a `;` among
  its parameters (a separator to yt-dlp's pattern, not to `parse_qs`), a parameter name that is encoded
  (`%76=` is `v=` to `parse_qs` only), a name that appears twice, a fragment other than a time (`#t=42`),
  or a `v=` beside an id in the path (`youtu.be/A?v=B`).

Any other link (and a YouTube link without a video id) is keyed by the whole URL, fragment included: yt-dlp
reads fragments too, so links that differ in any way never share a result.
"""

from __future__ import annotations

import re
from urllib.parse import SplitResult, unquote_plus, urlsplit

_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_TIME_FRAGMENT = re.compile(r"^t=[0-9hms]+$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com"}
_SHORT_HOST = "youtu.be"
_ID_PATHS = ("shorts", "embed", "live", "v")  # /<kind>/<id>


class AmbiguousLink(ValueError):
    """A YouTube link that could name one video here and another to yt-dlp."""


def source_key(url: str) -> str:
    """`youtube:<id>` for any unambiguous spelling of a YouTube video link (watch, youtu.be, shorts, embed,
    extra parameters such as `t=` or `list=`); the URL itself for anything else.

    Raises:
        AmbiguousLink: for a YouTube link whose video could be read two ways (see the module's docstring).
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host != _SHORT_HOST and host not in _YOUTUBE_HOSTS:
        return url
    reason = _ambiguity(parts)
    if reason:
        raise AmbiguousLink(f"This YouTube link is ambiguous: {reason}. Send the video's plain link instead.")
    video_id = _video_id(host, parts)
    return f"youtube:{video_id}" if video_id and _VIDEO_ID.match(video_id) else url


def _parameters(query: str) -> list[tuple[str, str]]:
    """(raw name, raw value) of each query parameter."""
    pairs = (part.partition("=") for part in query.split("&") if part)
    return [(name, value) for name, _, value in pairs]


def _ambiguity(parts: SplitResult) -> str | None:
    if ";" in parts.query:
        return "it separates parameters with ';'"
    seen: set[str] = set()
    for name, _ in _parameters(parts.query):
        decoded = unquote_plus(name)
        if decoded != name:
            return f"the parameter name {name!r} is encoded"
        if decoded in seen:
            return f"the parameter {decoded!r} appears twice"
        seen.add(decoded)
    if parts.fragment and not _TIME_FRAGMENT.match(parts.fragment):
        return "it has a fragment (#...) other than a time"
    if "v" in seen and parts.path != "/watch":
        return "it names a video in its path and another with v="
    return None


def _video_id(host: str, parts: SplitResult) -> str | None:
    segments = parts.path.split("/")  # the path starts with "/": segments[0] is ""
    if host == _SHORT_HOST:
        return segments[1] if len(segments) > 1 else None
    if parts.path == "/watch":
        return next((value for name, value in _parameters(parts.query) if name == "v"), None)
    if len(segments) > 2 and segments[1] in _ID_PATHS:
        return segments[2]
    return None
