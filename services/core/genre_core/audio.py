"""Decoding: any common audio file to mono float32 at the pipeline's sample rate."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import soxr

from genre_core.decode_ffmpeg import decode_with_ffmpeg
from genre_core.decode_sndfile import LibsndfileCannotDecode, decode_with_libsndfile
from genre_core.errors import TooLong, UnsupportedAudio

logger = logging.getLogger(__name__)


def load_audio(path: str | Path, sample_rate: int, max_seconds: float | None = None) -> np.ndarray:
    """Decode `path` to a mono float32 signal at `sample_rate` Hz.

    WAV, FLAC and Ogg (and the other formats libsndfile reads, but MP3) are decoded in-process by
    libsndfile; MP3, m4a/AAC, Opus, video containers and any file libsndfile fails on, at opening or
    half-way through, go through ffmpeg, which is given media containers only (no playlists, no
    other files, no protocols but the file itself). Both paths average the channels and resample
    with the SoX resampler as they decode, so the source format does not change the features and
    memory holds the output signal only, whatever the file's channel count and rate.

    Audio longer than `max_seconds` is refused, from the header when it tells the length, else once
    the decoded signal passes the limit: an hour-long file is never decoded in full.

    Parameters:
        path: the audio file.
        sample_rate: the rate of the returned signal, in Hz.
        max_seconds: the longest audio accepted; None accepts any length.

    Returns:
        The signal, shape (samples,), float32.

    Raises:
        UnsupportedAudio: the file holds no decodable audio, or samples that are not finite numbers.
        TooLong: the audio lasts longer than `max_seconds`.
    """
    path = Path(path)
    try:
        audio = decode_with_libsndfile(path, sample_rate, max_seconds)
    except LibsndfileCannotDecode as reason:
        logger.debug("%s goes to ffmpeg: %s", path.name, reason)
        audio = decode_with_ffmpeg(path, sample_rate, max_seconds)
    else:
        if not len(audio):
            audio = _second_opinion(path, sample_rate, max_seconds, audio)
    if max_seconds is not None and len(audio) > max_seconds * sample_rate:
        raise TooLong(f"The audio lasts more than {max_seconds / 60:g} min; the limit is {max_seconds / 60:g} min.")
    if not np.isfinite(audio).all():
        # A float file can hold NaN or infinity; no spectrogram or probability computed from them means anything.
        raise UnsupportedAudio(f"{path.name} holds samples that are not finite numbers (NaN or infinity)")
    return audio


def _second_opinion(path: Path, sample_rate: int, max_seconds: float | None, empty: np.ndarray) -> np.ndarray:
    # libsndfile believes a WAV header that says "no data" (streaming writers leave the sizes at 0);
    # ffmpeg reads such a file to its end. A file that neither finds samples in is audio of length
    # zero, which the caller refuses as too short, not as undecodable.
    try:
        return decode_with_ffmpeg(path, sample_rate, max_seconds)
    except UnsupportedAudio:
        return empty


def resample(signal: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample a mono float32 signal with soxr's high-quality filter."""
    if from_rate == to_rate:
        return np.ascontiguousarray(signal, dtype=np.float32)
    return soxr.resample(signal, from_rate, to_rate, quality="HQ").astype(np.float32, copy=False)
