"""Cutting songs into windows of every input kind: counts follow the real length; the waveform is low-passed."""

from __future__ import annotations

import numpy as np
import pytest

from genre_core.errors import TooShort
from genre_core.params import DEFAULT_FEATURE_PARAMS
from genre_trainer.data.summary import summary_names
from genre_trainer.data.windows import WindowOptions, song_inputs, waveform_windows, window_starts

RATE = DEFAULT_FEATURE_PARAMS.sample_rate


@pytest.mark.parametrize(
    ("seconds", "hop_seconds", "expected"),
    [(30.0, None, 10), (29.9, None, 9), (3.0, None, 1), (30.0, 1.5, 19), (29.9, 1.5, 18), (7.0, 2.0, 3)],
)
def test_window_count_follows_each_songs_real_length(seconds: float, hop_seconds: float | None, expected: int) -> None:
    assert len(window_starts(round(seconds * RATE), WindowOptions(hop_seconds=hop_seconds))) == expected


def test_every_input_kind_has_one_row_per_window() -> None:
    audio = np.random.default_rng(0).standard_normal(round(7.5 * RATE)).astype(np.float32) * 0.1
    inputs = song_inputs(audio, WindowOptions(hop_seconds=1.5))
    assert inputs["mel"].shape == (4, 128, 130)
    assert inputs["wave"].shape == (4, 6615)
    assert inputs["summary"].shape == (4, len(summary_names()))
    assert all(np.isfinite(array).all() for array in inputs.values())


def test_a_song_shorter_than_a_window_is_refused() -> None:
    with pytest.raises(TooShort):
        song_inputs(np.zeros(RATE * 2, dtype=np.float32), WindowOptions())


def test_waveform_is_low_passed_before_decimation() -> None:
    """A 3 kHz tone is above the 1.1 kHz Nyquist frequency of 2205 Hz: filtered out, not folded into the band."""
    options = WindowOptions()
    tone = np.sin(2 * np.pi * 3000 * np.arange(3 * RATE) / RATE).astype(np.float32)
    decimated = waveform_windows(tone, np.array([0]), options)[0]
    every_tenth = tone[::10]  # the original study's way (every 50th sample there): the tone aliases to 795 Hz
    middle = slice(500, -500)  # away from the resampler's edges
    assert np.sqrt(np.mean(every_tenth[middle] ** 2)) > 0.5
    assert np.sqrt(np.mean(decimated[middle] ** 2)) < 0.01
    # ...while a tone inside the band goes through.
    low = np.sin(2 * np.pi * 440 * np.arange(3 * RATE) / RATE).astype(np.float32)
    assert np.sqrt(np.mean(waveform_windows(low, np.array([0]), options)[0][middle] ** 2)) > 0.6
