"""Loudness from the STFT frames agrees with a time-domain BS.1770 meter (pyloudnorm) on real music."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyloudnorm
import pytest

from genre_core.audio import load_audio
from genre_core.features import mel_power
from genre_core.loudness import integrated_loudness
from genre_core.params import DEFAULT_FEATURE_PARAMS, MUSICNN_FEATURE_PARAMS, FeatureParams

CLIPS = ["classical/classical.00005", "metal/metal.00003", "jazz/jazz.00001", "hiphop/hiphop.00002", "rock/rock.00001"]


@pytest.mark.parametrize("params", [MUSICNN_FEATURE_PARAMS, DEFAULT_FEATURE_PARAMS], ids=["16k", "22k"])
@pytest.mark.parametrize("clip", CLIPS)
def test_integrated_loudness_matches_pyloudnorm_on_real_clips(
    gtzan_dir: Path, clip: str, params: FeatureParams
) -> None:
    (path,) = (gtzan_dir / "genres").glob(f"{clip}.*")
    audio = load_audio(path, params.sample_rate)
    ours = integrated_loudness(mel_power(audio, params).weighted_power, params)
    reference = pyloudnorm.Meter(params.sample_rate).integrated_loudness(audio.astype(np.float64))
    assert ours == pytest.approx(reference, abs=0.5)


def test_a_full_scale_sine_reads_as_bs1770_says() -> None:
    # BS.1770-4: a 0 dBFS 997 Hz sine in one channel reads -3.01 LKFS.
    params = MUSICNN_FEATURE_PARAMS
    time = np.arange(10 * params.sample_rate) / params.sample_rate
    sine = np.sin(2 * np.pi * 997 * time).astype(np.float32)
    assert integrated_loudness(mel_power(sine, params).weighted_power, params) == pytest.approx(-3.01, abs=0.1)


def test_the_gates_leave_out_silence_and_quiet_passages() -> None:
    params = MUSICNN_FEATURE_PARAMS
    rng = np.random.default_rng(0)
    loud = rng.standard_normal(10 * params.sample_rate).astype(np.float32) * 0.1
    padded = np.concatenate([np.zeros_like(loud), loud, loud * 0.01, np.zeros_like(loud)])

    def lufs(audio: np.ndarray) -> float:
        return integrated_loudness(mel_power(audio, params).weighted_power, params)

    # Digital silence is under the absolute gate; the passage 40 dB down is under the relative one.
    assert lufs(padded) == pytest.approx(lufs(loud), abs=0.2)
    assert lufs(np.zeros(params.sample_rate * 5, dtype=np.float32)) == float("-inf")
