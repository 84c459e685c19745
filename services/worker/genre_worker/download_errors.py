"""What a failed download means, in plain words: yt-dlp's error text sorted into causes, each with its message.

yt-dlp's errors are written for people who run yt-dlp (`HTTPSConnection(host=...) [Errno -2]`, advice about
cookies and command-line flags), and YouTube's own reasons arrive inside them ("Private video. Sign in if
you've been granted access to this video"). The page shows the plain message; the raw text is kept beside
it as the error's `detail`, for operators.

The patterns follow the words of yt-dlp's source (extractor/youtube/_video.py, utils/_utils.py,
networking/) and of YouTube's playability reasons as yt-dlp passes them on; the tests hold real examples.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus

from yt_dlp.utils import GeoRestrictedError
from yt_dlp.version import __version__ as yt_dlp_version

from genre_core.errors import DownloadCause

# Checked in this order: YouTube's "Video unavailable. This video is private" is private, not unavailable;
# "Sign in to confirm your age" is age, "Sign in to confirm you're not a bot" the bot check.
_PATTERNS: tuple[tuple[DownloadCause, re.Pattern[str]], ...] = tuple(
    (cause, re.compile(pattern, re.IGNORECASE))
    for cause, pattern in (
        (
            DownloadCause.region_blocked,
            r"not (made this video )?available in your country|from your location|geo.?restrict",
        ),
        (
            DownloadCause.private_video,
            r"private video|this video is private|members.only|join this channel to get access",
        ),
        (
            DownloadCause.age_restricted,
            r"confirm your age|age.restricted|inappropriate for some users|age.verification",
        ),
        (DownloadCause.bot_check, r"confirm you.re not a bot|captcha"),
        (
            DownloadCause.video_unavailable,
            r"video unavailable|this video (has been|was) removed|no longer available|video is not available|"
            r"account associated with this video has been terminated|this video does not exist|"
            r"incomplete youtube id",
        ),
        (
            DownloadCause.no_network,
            r"failed to resolve|name or service not known|temporary failure in name resolution|getaddrinfo failed|"
            r"nodename nor servname|network is unreachable|no route to host|connection refused|timed out|"
            r"connection reset|remote end closed|unable to connect",
        ),
        (DownloadCause.http_error, r"HTTP Error \d{3}"),
        (
            DownloadCause.site_changed,
            r"unable to extract|failed to extract|requested format is not available|no video formats found|"
            r"only images are available|nsig extraction failed|signature extraction failed|"
            r"challenge solving failed|failed to parse json",
        ),
        (DownloadCause.unsupported_link, r"unsupported url"),
    )
)
_HTTP_STATUS = re.compile(r"HTTP Error (\d{3})")


@dataclass(frozen=True)
class Explained:
    cause: DownloadCause
    message: str


def explain(raw: str, errors: Sequence[BaseException] = (), host: str | None = None) -> Explained:
    """The cause of a download failure from yt-dlp's text `raw` (and the exceptions it wrapped), with its
    message for people; `host` is the link's host, named where the message is about reaching it."""
    if any(isinstance(error, GeoRestrictedError) for error in errors):
        return Explained(DownloadCause.region_blocked, _MESSAGES[DownloadCause.region_blocked])
    for cause, pattern in _PATTERNS:
        if pattern.search(raw):
            if cause is DownloadCause.http_error:
                return Explained(cause, _http_message(raw))
            return Explained(cause, _MESSAGES[cause].format(host=host or "the site", version=yt_dlp_version))
    return Explained(DownloadCause.other, _MESSAGES[DownloadCause.other])


_MESSAGES = {
    DownloadCause.no_network: (
        "This server could not reach {host}: it has no network connection, {host} could not be found, or it did "
        "not answer in time. Try again later."
    ),
    DownloadCause.video_unavailable: (
        "This video is unavailable: it was removed or made unavailable by its uploader, or the link is wrong. "
        "Check that it plays in a browser."
    ),
    DownloadCause.private_video: (
        "This video is private (or for the channel's members only), so it cannot be fetched. "
        "Send the link of a public video."
    ),
    DownloadCause.age_restricted: (
        "This video is age-restricted: YouTube plays it only to signed-in adults, so this server cannot fetch "
        "it. Upload the song's audio file instead."
    ),
    DownloadCause.region_blocked: (
        "This video is not available in the country this server is in. Upload the song's audio file instead."
    ),
    DownloadCause.bot_check: (
        "YouTube is asking this server to prove it is not a bot and will not send the video for now. "
        "Try again later, or upload the song's audio file."
    ),
    DownloadCause.site_changed: (
        "The site has changed how it serves its videos, and this server's downloader (yt-dlp {version}) no "
        "longer understands it. The service's operator needs to upgrade yt-dlp."
    ),
    DownloadCause.unsupported_link: "This link is neither a video page the downloader knows nor an audio file.",
    DownloadCause.other: "The audio could not be downloaded from this link. If it plays in a browser, try again later.",
}


def _http_message(raw: str) -> str:
    match = _HTTP_STATUS.search(raw)
    status = int(match.group(1)) if match else 0
    try:
        answered = f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        answered = str(status)
    if status in {404, 410}:
        return f"There is nothing at this link (the server answered {answered})."
    if status in {401, 403}:
        return f"The server refused to send the audio (it answered {answered})."
    if status == 429:
        return f"The site is refusing this server's requests for now (it answered {answered}). Try again later."
    if status >= 500:
        return f"The site failed to send the audio (it answered {answered}). Try again later."
    return f"The audio could not be downloaded (the server answered {answered})."
