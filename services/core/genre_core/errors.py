"""Errors of the pipeline, each with the machine-readable code that jobs and the API report."""

from __future__ import annotations

from enum import StrEnum


class DownloadCause(StrEnum):
    """Why a download failed, as far as the downloader's words tell: each has its own message for people."""

    no_network = "no_network"
    video_unavailable = "video_unavailable"
    private_video = "private_video"
    age_restricted = "age_restricted"
    region_blocked = "region_blocked"
    bot_check = "bot_check"
    site_changed = "site_changed"
    unsupported_link = "unsupported_link"
    http_error = "http_error"
    too_slow = "too_slow"
    other = "other"


class PipelineError(Exception):
    """An error a user can act on; `code` is stable, the message is for people.

    `cause` and `detail` are set where there is more to say: the kind of failure within the code, and the
    words of the tool that failed (for operators; never shown as the message).
    """

    code = "pipeline_error"
    cause: DownloadCause | None = None
    detail: str | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnsupportedAudio(PipelineError):
    code = "unsupported_audio"


class TooShort(PipelineError):
    code = "too_short"


class IncompatibleModel(PipelineError):
    code = "incompatible_model"


class TooLong(PipelineError):
    code = "too_long"


class SilentAudio(PipelineError):
    code = "silent_audio"


class NotMusic(PipelineError):
    """Sound, but no music in it: speech, applause or noise throughout."""

    code = "not_music"
