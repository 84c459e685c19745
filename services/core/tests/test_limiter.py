"""The pipeline's brick-wall limiter: no sample over its ceiling, nothing changed under it, and a song made loud
through another limiter (ffmpeg's, as the robustness benchmark makes one) comes out close to the same song
limited from its dynamic master."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from genre_core.audio import load_audio
from genre_core.features import mel_power
from genre_core.limiter import limit_peaks
from genre_core.loudness import integrated_loudness
from genre_core.params import MUSICNN_FEATURE_PARAMS
from genre_core.preprocessing import LOUDNESS_LIMITED, LOUDNESS_SCREENED, limited, song_features

PARAMS = MUSICNN_FEATURE_PARAMS


@pytest.mark.parametrize("rate", [16000, 22050, 44100])  # blocks of 16, 22 and 44 samples
def test_no_sample_exceeds_the_ceiling_and_the_quiet_parts_are_untouched(clip_path: Path, rate: int) -> None:
    audio = load_audio(clip_path, rate)
    ceiling = 0.5 * float(np.abs(audio).max())
    limited = limit_peaks(audio[:-7], ceiling, rate)  # not a whole number of blocks
    audio = audio[:-7]
    assert limited.shape == audio.shape and limited.dtype == np.float32
    assert float(np.abs(limited).max()) <= ceiling * (1 + 1e-6)
    # Only around the peaks does the gain fall: most of the song passes through as it was.
    assert np.mean(limited == audio) > 0.2
    assert np.all(np.abs(limited) <= np.abs(audio))


def test_a_song_under_the_ceiling_passes_unchanged(clip_path: Path) -> None:
    audio = load_audio(clip_path, PARAMS.sample_rate)
    np.testing.assert_array_equal(limit_peaks(audio, float(np.abs(audio).max()) * 1.01, PARAMS.sample_rate), audio)
    assert len(limit_peaks(np.zeros(0, np.float32), 0.5, PARAMS.sample_rate)) == 0


def test_the_limited_songs_loudness_is_the_target_at_any_level(clip_path: Path) -> None:
    audio = load_audio(clip_path, PARAMS.sample_rate)
    reference = song_features(audio, PARAMS, LOUDNESS_LIMITED)
    quieter = song_features(audio * np.float32(10 ** (-12 / 20)), PARAMS, LOUDNESS_LIMITED)
    np.testing.assert_allclose(quieter.windows, reference.windows, atol=2e-3)
    assert quieter.gain_db == pytest.approx(reference.gain_db + 12.0, abs=0.01)
    through_limiter = limited(audio, reference.loudness_lufs, LOUDNESS_LIMITED, PARAMS)
    target = LOUDNESS_SCREENED.loudness_target_lufs
    loudness = integrated_loudness(mel_power(through_limiter, PARAMS).weighted_power, PARAMS) + reference.gain_db
    assert abs(loudness - target) < 0.01


def test_a_loud_master_is_heard_closer_to_its_dynamic_one(clip_path: Path, tmp_path: Path) -> None:
    """ffmpeg's limiter at +12 dB (the benchmark's `gain +12 dB`) moves the features far less when the pipeline
    limits every song itself: both versions end up limited to the same peak-to-loudness ratio."""
    audio = load_audio(clip_path, PARAMS.sample_rate)
    source, loud = tmp_path / "clean.wav", tmp_path / "loud.wav"
    soundfile.write(source, audio, PARAMS.sample_rate, subtype="FLOAT")
    chain = "volume=12dB,alimiter=limit=0.966:level=false"
    subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(source), "-af", chain, str(loud)], check=True)
    mastered = load_audio(loud, PARAMS.sample_rate)[: len(audio)]

    def distance(preprocessing) -> float:
        clean, louder = song_features(audio, PARAMS, preprocessing), song_features(mastered, PARAMS, preprocessing)
        return float(np.mean(np.abs(clean.windows - louder.windows)))

    assert distance(LOUDNESS_LIMITED) < 0.75 * distance(LOUDNESS_SCREENED)
