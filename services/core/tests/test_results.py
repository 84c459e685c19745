"""How a song's distribution is made from its windows', as the worker serves it and the trainer scores it."""

from __future__ import annotations

import numpy as np
import pytest

from genre_core.params import DEFAULT_FEATURE_PARAMS
from genre_core.results import build_result, song_probabilities


def _softmax(logits: np.ndarray) -> np.ndarray:
    shifted = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def test_mean_probability_is_the_plain_mean() -> None:
    windows = np.array([[0.9, 0.1, 0.0], [0.02, 0.48, 0.5]])
    np.testing.assert_allclose(song_probabilities(windows), [0.46, 0.29, 0.25])


def test_mean_log_probability_is_the_softmax_of_the_mean_logits() -> None:
    # What makes a head fit on songs' mean embeddings servable window by window: for a linear layer then
    # softmax, softmax(mean of the windows' logits) is that layer applied to the mean embedding.
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 4, (12, 10))
    song = song_probabilities(_softmax(logits).astype(np.float32), "mean_log_probability")
    np.testing.assert_allclose(song, _softmax(logits.mean(axis=0)), atol=1e-6)
    assert song.sum() == pytest.approx(1.0)


def test_a_window_certain_it_is_not_a_genre_vetoes_it_under_log_averaging() -> None:
    windows = np.array([[0.9, 0.1, 0.0], [0.02, 0.48, 0.5]])
    by_mean = song_probabilities(windows, "mean_probability")
    by_log = song_probabilities(windows, "mean_log_probability")
    assert by_mean.argmax() == 0 and by_log.argmax() == 1
    assert np.all(np.isfinite(by_log)) and by_log[2] < 1e-15  # a probability of exactly 0 does not give NaN


def test_the_result_says_how_its_song_distribution_was_made() -> None:
    windows = np.array([[0.9, 0.1, 0.0], [0.02, 0.48, 0.5]], dtype=np.float32)
    result = build_result(
        windows, ["blues", "jazz", "rock"], DEFAULT_FEATURE_PARAMS, 6.0, "v", aggregation="mean_log_probability"
    )
    assert result.song_aggregation == "mean_log_probability" and result.top_genre == "jazz"
    assert sum(result.song_probabilities.values()) == pytest.approx(1.0)
    # Each window keeps its own distribution for the timeline.
    np.testing.assert_allclose([window.probabilities for window in result.windows], windows, atol=1e-6)
