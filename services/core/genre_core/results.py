"""The classification of one song: what the worker stores and the API returns."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from genre_core.params import FeatureParams

SongAggregation = Literal["mean_probability", "mean_log_probability"]
"""How a song's distribution comes from its windows' distributions; the model manifest says which its figures
were measured with, and the worker serves it the same way.

- ``mean_probability``: the mean of the window distributions.
- ``mean_log_probability``: the normalised geometric mean, softmax(mean over windows of log p). For a model
  whose last layer is linear then softmax, this is that layer applied to the song's mean input (the mean of
  logits; each window's log-sum-exp is the same for every genre and cancels), i.e. a head fit on whole songs'
  mean embeddings classifies a song exactly as it was fit.
"""

# float32 softmax outputs below this are rounded to 0 (or denormal); flooring there keeps log(p) finite.
_PROBABILITY_FLOOR = float(np.finfo(np.float32).tiny)


class WindowPrediction(BaseModel):
    start_seconds: float
    end_seconds: float
    probabilities: list[float] = Field(description="One probability per label, in the order of `labels`.")


class ClassificationResult(BaseModel):
    labels: list[str]
    song_probabilities: dict[str, float] = Field(
        description="The song's distribution over genres: its windows' probabilities combined as "
        "`song_aggregation` says."
    )
    song_aggregation: SongAggregation = "mean_probability"
    top_genre: str
    top_probability: float
    duration_seconds: float
    window_seconds: float
    windows: list[WindowPrediction]
    model_version: str


def song_probabilities(
    window_probabilities: np.ndarray, aggregation: SongAggregation = "mean_probability"
) -> np.ndarray:
    """Song-level distribution (sums to 1) from its windows' distributions, shape (n_windows, n_labels).

    Training evaluates songs with this function too, so a model's figures are those of what the worker serves.
    """
    windows = np.asarray(window_probabilities, dtype=np.float64)
    if aggregation == "mean_probability":
        song = windows.mean(axis=0)
    else:
        mean_log = np.log(np.maximum(windows, _PROBABILITY_FLOOR)).mean(axis=0)
        song = np.exp(mean_log - mean_log.max())
    return song / song.sum()


def build_result(
    window_probabilities: np.ndarray,
    labels: list[str],
    params: FeatureParams,
    duration_seconds: float,
    model_version: str,
    aggregation: SongAggregation = "mean_probability",
) -> ClassificationResult:
    song = song_probabilities(window_probabilities, aggregation)
    top = int(np.argmax(song))
    windows = [
        WindowPrediction(
            start_seconds=index * params.window_seconds,
            end_seconds=(index + 1) * params.window_seconds,
            probabilities=[round(float(p), 6) for p in row],
        )
        for index, row in enumerate(window_probabilities)
    ]
    return ClassificationResult(
        labels=list(labels),
        song_probabilities={label: float(p) for label, p in zip(labels, song, strict=True)},
        song_aggregation=aggregation,
        top_genre=labels[top],
        top_probability=float(song[top]),
        duration_seconds=round(duration_seconds, 3),
        window_seconds=params.window_seconds,
        windows=windows,
        model_version=model_version,
    )
