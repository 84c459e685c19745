"""Decoding: any common audio file to mono float32 at the pipeline's sample rate."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import soundfile
import soxr

from genre_core.errors import TooLong, UnsupportedAudio


def load_audio(path: str | Path, sample_rate: int, max_seconds: float | None = None) -> np.ndarray:
    """Decode `path` to a mono float32 signal at `sample_rate` Hz.

    WAV, FLAC and Ogg Vorbis are read by libsndfile (fast, in-process); everything else
    (mp3, m4a/AAC, Opus, video containers) goes through ffmpeg. Both paths downmix by averaging
    the channels and resample with the SoX resampler, so the source format does not change
    the features.

    Audio longer than `max_seconds` is refused before it is decoded in full, so an hour-long
    file cannot fill the memory.

    Raises:
        UnsupportedAudio: the file holds no decodable audio.
        TooLong: the audio lasts longer than `max_seconds`.
    """
    path = Path(path)
    try:
        info = soundfile.info(path)
    except (soundfile.LibsndfileError, RuntimeError, TypeError):
        audio = _load_with_ffmpeg(path, sample_rate, max_seconds)
    else:
        _ensure_not_too_long(info.frames / info.samplerate, max_seconds)
        signal, native_rate = soundfile.read(path, dtype="float32", always_2d=True)
        audio = resample(signal.mean(axis=1, dtype=np.float32), native_rate, sample_rate)
    _ensure_not_too_long(len(audio) / sample_rate, max_seconds)
    return audio


def _ensure_not_too_long(seconds: float, max_seconds: float | None) -> None:
    if max_seconds is not None and seconds > max_seconds:
        raise TooLong(f"The audio lasts more than {max_seconds / 60:g} min; the limit is {max_seconds / 60:g} min.")


def resample(signal: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample a mono float32 signal with soxr's high-quality filter."""
    if from_rate == to_rate:
        return np.ascontiguousarray(signal, dtype=np.float32)
    return soxr.resample(signal, from_rate, to_rate, quality="HQ").astype(np.float32, copy=False)


def _load_with_ffmpeg(path: Path, sample_rate: int, max_seconds: float | None) -> np.ndarray:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise UnsupportedAudio(f"{path.name}: not WAV/FLAC/Ogg and ffmpeg is not installed to decode it")
    command = [
        ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error",
        "-i", str(path),
        "-map", "0:a:0",  # the first audio stream; a video's picture is ignored
        "-ac", "1",
        "-af", f"aresample={sample_rate}:resampler=soxr:precision=28",
        # Decode at most a little past the limit: enough to tell that the file is too long.
        *(["-t", f"{max_seconds + 1:g}"] if max_seconds is not None else []),
        "-f", "f32le", "pipe:1",
    ]  # fmt: skip
    completed = subprocess.run(command, capture_output=True, check=False)
    if completed.returncode != 0 or not completed.stdout:
        reason = completed.stderr.decode(errors="replace").strip().splitlines()
        detail = reason[-1] if reason else "no audio stream"
        raise UnsupportedAudio(f"{path.name} is not a readable audio file ({_without_path(detail, path)})")
    return np.frombuffer(completed.stdout, dtype="<f4").copy()


def _without_path(message: str, path: Path) -> str:
    # ffmpeg names the input file; users should not see our temporary paths.
    return message.replace(str(path), path.name)
