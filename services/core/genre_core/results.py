"""The classification of one song: what the worker stores and the API returns."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, Field

from genre_core.params import FeatureParams


class WindowPrediction(BaseModel):
    start_seconds: float
    end_seconds: float
    probabilities: list[float] = Field(description="One probability per label, in the order of `labels`.")


class ClassificationResult(BaseModel):
    labels: list[str]
    song_probabilities: dict[str, float] = Field(description="Mean of the window probabilities, per genre.")
    top_genre: str
    top_probability: float
    duration_seconds: float
    window_seconds: float
    windows: list[WindowPrediction]
    model_version: str


def song_probabilities(window_probabilities: np.ndarray) -> np.ndarray:
    """Song-level distribution: the mean of its windows' distributions (what training evaluates too)."""
    return np.asarray(window_probabilities, dtype=np.float64).mean(axis=0)


def build_result(
    window_probabilities: np.ndarray,
    labels: list[str],
    params: FeatureParams,
    duration_seconds: float,
    model_version: str,
) -> ClassificationResult:
    song = song_probabilities(window_probabilities)
    song = song / song.sum()
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
        top_genre=labels[top],
        top_probability=float(song[top]),
        duration_seconds=round(duration_seconds, 3),
        window_seconds=params.window_seconds,
        windows=windows,
        model_version=model_version,
    )
