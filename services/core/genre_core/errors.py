"""Errors of the pipeline, each with the machine-readable code that jobs and the API report."""

from __future__ import annotations


class PipelineError(Exception):
    """An error a user can act on; `code` is stable, the message is for people."""

    code = "pipeline_error"

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
