"""Decoding real audio in every common format and rate to the pipeline's mono 22050 Hz signal."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from genre_core.audio import load_audio
from genre_core.errors import TooLong, UnsupportedAudio
from genre_core.features import log_mel
from genre_core.params import DEFAULT_FEATURE_PARAMS

RATE = DEFAULT_FEATURE_PARAMS.sample_rate


def _ffmpeg(source: Path, target: Path, *args: str) -> Path:
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(source), *args, str(target)], check=True)
    return target


@pytest.fixture(scope="module")
def reference(clip_path: Path) -> np.ndarray:
    return load_audio(clip_path, RATE)


def test_ogg_clip_decodes_to_mono_float32_at_pipeline_rate(reference: np.ndarray, clip_path: Path) -> None:
    info = soundfile.info(clip_path)
    assert reference.dtype == np.float32
    assert reference.ndim == 1
    assert len(reference) == info.frames  # already 22050 Hz: no resampling, no sample lost
    assert 0.01 < np.abs(reference).max() < 1.5  # lossy codecs overshoot full scale a little


@pytest.mark.parametrize(("rate", "extension"), [(44100, "wav"), (16000, "flac")])
def test_other_sample_rates_are_resampled(
    reference: np.ndarray, clip_path: Path, tmp_path: Path, rate: int, extension: str
) -> None:
    converted = _ffmpeg(clip_path, tmp_path / f"clip.{extension}", "-ar", str(rate))
    audio = load_audio(converted, RATE)
    assert abs(len(audio) - len(reference)) <= RATE * 0.01  # same duration within 10 ms
    # Below the 16 kHz copy's 8 kHz ceiling, the log-mel spectrogram matches the original's.
    n = min(len(audio), len(reference))
    ours, theirs = log_mel(audio[:n], DEFAULT_FEATURE_PARAMS), log_mel(reference[:n], DEFAULT_FEATURE_PARAMS)
    bands_below_7k = 100
    difference = np.abs(ours[:bands_below_7k] - theirs[:bands_below_7k])
    assert np.median(difference) < 1.0


def test_stereo_is_averaged_to_mono(reference: np.ndarray, clip_path: Path, tmp_path: Path) -> None:
    stereo = tmp_path / "stereo.wav"
    soundfile.write(stereo, np.stack([reference, np.zeros_like(reference)], axis=1), RATE, subtype="FLOAT")
    np.testing.assert_allclose(load_audio(stereo, RATE), reference / 2, atol=1e-6)


@pytest.mark.parametrize(("extension", "args"), [("mp3", ()), ("m4a", ("-c:a", "aac")), ("opus", ("-c:a", "libopus"))])
def test_compressed_formats_decode_through_ffmpeg(
    reference: np.ndarray, clip_path: Path, tmp_path: Path, extension: str, args: tuple[str, ...]
) -> None:
    audio = load_audio(_ffmpeg(clip_path, tmp_path / f"clip.{extension}", *args), RATE)
    # Encoders add a little priming silence; the duration stays within 0.1 s.
    assert abs(len(audio) - len(reference)) < RATE * 0.1
    assert audio.dtype == np.float32


def test_text_file_named_mp3_is_unsupported(tmp_path: Path) -> None:
    fake = tmp_path / "song.mp3"
    fake.write_text("not audio at all\n" * 100)
    with pytest.raises(UnsupportedAudio) as caught:
        load_audio(fake, RATE)
    assert str(tmp_path) not in caught.value.message  # no internal paths in messages users see


def test_empty_file_is_unsupported(tmp_path: Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    with pytest.raises(UnsupportedAudio):
        load_audio(empty, RATE)


@pytest.mark.parametrize("extension", ["ogg", "mp3"])
def test_audio_longer_than_the_limit_is_refused(clip_path: Path, tmp_path: Path, extension: str) -> None:
    clip = clip_path if extension == "ogg" else _ffmpeg(clip_path, tmp_path / "clip.mp3")
    with pytest.raises(TooLong, match="limit"):
        load_audio(clip, RATE, max_seconds=20)
    assert len(load_audio(clip, RATE, max_seconds=60)) > 29 * RATE
