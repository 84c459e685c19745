"""Decoding: any common audio file to mono float32 at the pipeline's sample rate."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import soundfile
import soxr

from genre_core.errors import UnsupportedAudio


def load_audio(path: str | Path, sample_rate: int) -> np.ndarray:
    """Decode `path` to a mono float32 signal at `sample_rate` Hz.

    WAV, FLAC and Ogg Vorbis are read by libsndfile (fast, in-process); everything else
    (mp3, m4a/AAC, Opus, video containers) goes through ffmpeg. Both paths downmix by averaging
    the channels and resample with the SoX resampler, so the source format does not change
    the features.

    Raises:
        UnsupportedAudio: the file holds no decodable audio.
    """
    path = Path(path)
    try:
        signal, native_rate = soundfile.read(path, dtype="float32", always_2d=True)
    except (soundfile.LibsndfileError, RuntimeError, TypeError):
        return _load_with_ffmpeg(path, sample_rate)
    mono = signal.mean(axis=1, dtype=np.float32)
    return resample(mono, native_rate, sample_rate)


def resample(signal: np.ndarray, from_rate: int, to_rate: int) -> np.ndarray:
    """Resample a mono float32 signal with soxr's high-quality filter."""
    if from_rate == to_rate:
        return np.ascontiguousarray(signal, dtype=np.float32)
    return soxr.resample(signal, from_rate, to_rate, quality="HQ").astype(np.float32, copy=False)


def _load_with_ffmpeg(path: Path, sample_rate: int) -> np.ndarray:
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        raise UnsupportedAudio(f"{path.name}: not WAV/FLAC/Ogg and ffmpeg is not installed to decode it")
    command = [
        ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error",
        "-i", str(path),
        "-map", "0:a:0",  # the first audio stream; a video's picture is ignored
        "-ac", "1",
        "-af", f"aresample={sample_rate}:resampler=soxr:precision=28",
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
