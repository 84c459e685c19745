"""A failed download in plain words: yt-dlp's real errors, each sorted into its cause, its text kept as detail.

YouTube's reasons cannot be fetched in a test, so they are raised inside a real yt-dlp run by a stand-in
extractor named `youtube`, in the words yt-dlp's YouTube extractor composes from YouTube's playability
status (extractor/youtube/_video.py: reason, subreason, the cookies hint); yt-dlp then wraps them as it
wraps every extractor's error. The network and HTTP failures are real ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from yt_dlp import YoutubeDL
from yt_dlp.extractor.common import InfoExtractor
from yt_dlp.extractor.youtube import YoutubeIE
from yt_dlp.utils import DownloadError, ExtractorError, GeoRestrictedError, UnsupportedError

from genre_core.errors import DownloadCause
from genre_core.jobs import JobError
from genre_core.url_safety import parse_networks
from genre_worker.download import DownloadFailed, download, pipeline_error
from testkit.waiting import free_port

VIDEO_ID = "dQw4w9WgXcQ"
LOGIN_HINT = YoutubeIE(YoutubeDL({"quiet": True}))._youtube_login_hint
LOCAL = parse_networks(["127.0.0.0/8"])


class _Silent:
    def debug(self, message: str) -> None: ...
    def info(self, message: str) -> None: ...
    def warning(self, message: str) -> None: ...
    def error(self, message: str) -> None: ...


def failure_from_youtube(error: ExtractorError) -> DownloadError:
    """The DownloadError yt-dlp raises when its YouTube extractor raises `error`."""

    class StandInIE(InfoExtractor):
        IE_NAME = "youtube"
        _VALID_URL = r"stand-in:(?P<id>.+)"

        def _real_extract(self, url: str) -> dict:
            raise error

    with YoutubeDL({"quiet": True, "logger": _Silent()}) as downloader:
        downloader.add_info_extractor(StandInIE())
        with pytest.raises(DownloadError) as caught:
            downloader.extract_info(f"stand-in:{VIDEO_ID}", download=False, ie_key="StandIn")
    return caught.value


def expected(reason: str) -> ExtractorError:
    return ExtractorError(reason, expected=True, video_id=VIDEO_ID)


YOUTUBE_FAILURES = [
    (expected(f"Private video. Sign in if you've been granted access to this video. {LOGIN_HINT}"), "private_video"),
    (expected("Video unavailable. This video is private"), "private_video"),
    (expected("Join this channel to get access to members-only content like this video, and other exclusive perks."),
     "private_video"),
    (expected(f"Sign in to confirm your age. This video may be inappropriate for some users. {LOGIN_HINT}"),
     "age_restricted"),
    (GeoRestrictedError("The uploader has not made this video available in your country", countries=["DE"]),
     "region_blocked"),
    (expected("Video unavailable. The uploader has not made this video available in your country"), "region_blocked"),
    (expected("Video unavailable. This video has been removed by the uploader"), "video_unavailable"),
    (expected("Video unavailable. This video is no longer available because the YouTube account associated with "
              "this video has been terminated."), "video_unavailable"),
    (expected("Video unavailable"), "video_unavailable"),
    (expected(f"Sign in to confirm you\u2019re not a bot. {LOGIN_HINT}"), "bot_check"),
    (ExtractorError("Requested format is not available. Use --list-formats for a list of available formats",
                    expected=True), "site_changed"),
    (ExtractorError("Failed to extract any player response", video_id=VIDEO_ID), "site_changed"),
    (UnsupportedError("https://www.youtube.com/feed/you"), "unsupported_link"),
]  # fmt: skip


@pytest.mark.parametrize(("error", "cause"), YOUTUBE_FAILURES, ids=[cause for _, cause in YOUTUBE_FAILURES])
def test_youtube_failures_get_a_plain_message_per_cause(error: ExtractorError, cause: str) -> None:
    raw = failure_from_youtube(error)
    failed = pipeline_error(raw, handed_to_ffmpeg=False, host="www.youtube.com")
    assert isinstance(failed, DownloadFailed)
    assert failed.cause == cause
    assert failed.detail and error.orig_msg in failed.detail  # yt-dlp's own words, for operators
    # The message is for people: none of yt-dlp's advice about flags and cookies, no wiki links.
    for jargon in ("--cookies", "http", "yt-dlp -U", "[youtube]", "Sign in if"):
        assert jargon not in failed.message


def test_a_site_change_names_the_upgrade_and_the_running_version() -> None:
    from yt_dlp.version import __version__

    failed = pipeline_error(failure_from_youtube(expected("Failed to extract any player response")), False)
    assert failed.cause == DownloadCause.site_changed
    assert "upgrade yt-dlp" in failed.message and __version__ in failed.message


def test_a_failure_not_recognised_still_reads_plainly_with_its_words_kept() -> None:
    failed = pipeline_error(failure_from_youtube(expected("Something YouTube has never said before")), False)
    assert failed.cause == DownloadCause.other
    assert failed.message.startswith("The audio could not be downloaded from this link.")
    assert "never said before" in (failed.detail or "")


def test_no_network_a_name_that_does_not_resolve(tmp_path: Path) -> None:
    # Real: what yt-dlp says without a network, `HTTPSConnection(host=...) ... [Errno -2]`.
    with pytest.raises(DownloadFailed) as caught:
        download("http://no-such-host.invalid/song.ogg", tmp_path, sample_rate=22050)
    assert caught.value.cause == DownloadCause.no_network
    assert caught.value.message.startswith("This server could not reach no-such-host.invalid")
    assert "Failed to resolve" in (caught.value.detail or "")
    assert "Errno" not in caught.value.message


def test_no_network_a_connection_refused(tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed) as caught:
        download(f"http://127.0.0.1:{free_port()}/song.ogg", tmp_path, sample_rate=22050, allowed_networks=LOCAL)
    assert caught.value.cause == DownloadCause.no_network
    assert caught.value.transient  # worth another try


def test_an_http_error_says_what_the_server_answered(audio_server: str, tmp_path: Path) -> None:
    with pytest.raises(DownloadFailed) as caught:
        download(f"{audio_server}/no-such-song.ogg", tmp_path, sample_rate=22050, allowed_networks=LOCAL)
    assert caught.value.cause == DownloadCause.http_error
    assert caught.value.message == "There is nothing at this link (the server answered 404 Not Found)."
    assert "HTTP Error 404" in (caught.value.detail or "")


def test_the_job_error_carries_cause_and_detail_beside_the_message() -> None:
    failed = pipeline_error(failure_from_youtube(expected("Video unavailable")), False)
    error = JobError.of(failed)
    assert error.model_dump() == {
        "code": "download_failed",
        "message": failed.message,
        "cause": "video_unavailable",
        "detail": failed.detail,
    }
    assert JobError.model_validate_json('{"code": "too_short", "message": "x"}').cause is None  # older records
