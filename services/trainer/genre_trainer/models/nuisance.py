"""Nuisance attribute projection: the directions in which mastering moves a song's embedding, taken out before the
genre head sees it.

A limiter, a compressor, an EQ tilt, hiss or an audience move a song's mean musicnn embedding by much the same
few directions whatever the song (speaker verification removes channel directions the same way). Training the
head on mastered copies teaches it that these moves do not change the genre only as far as a linear fit on a
few hundred songs can; removing them outright makes the genre independent of them by construction.

The directions are the top principal directions (uncentred: the common shift counts) of the differences between
each training copy's standardised mean embedding and its song's. On GTZAN's validation songs, 16 of 1506
directions cut the largest drop from clean of the robustness conditions from 4.8 points (+6 dB through a
limiter) to 0.8-1.6 and lowered the log-loss on clean songs and on the extra songs' artist-disjoint folds
(docs/robustness.md, experiments/robustness/nuisance_heads.py). The projection is linear, so the served model
folds it into the genre layer's weights: it costs nothing at serving time.
"""

from __future__ import annotations

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin

NUISANCE_DIRECTIONS = 16
"""Chosen on the validation songs and their robustness conditions (8-24 tried; 12-20 all helped)."""


class NuisanceProjection(TransformerMixin, BaseEstimator):
    """x -> x with its components along :attr:`basis_` removed (an orthogonal projection).

    Args:
        directions: how many nuisance directions to remove; fewer when fewer differences are given.
    """

    def __init__(self, directions: int = NUISANCE_DIRECTIONS) -> None:
        self.directions = directions

    def fit(self, differences: np.ndarray, y: object = None) -> NuisanceProjection:
        """`differences`: (n, d) copy-minus-original rows in the space the head reads; none: remove nothing."""
        differences = np.asarray(differences, dtype=np.float64)
        dimension = differences.shape[1]
        if len(differences) == 0 or self.directions == 0:
            self.basis_ = np.zeros((dimension, 0))
            return self
        _, _, right = np.linalg.svd(differences, full_matrices=False)
        self.basis_ = right[: self.directions].T
        return self

    def transform(self, x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        return x - (x @ self.basis_) @ self.basis_.T

    def fold(self, coefficients: np.ndarray) -> np.ndarray:
        """A linear layer's (n_outputs, d) `coefficients` that compute on x what the given ones compute on the
        projected x (the projection is symmetric: w·Px = (Pw)·x)."""
        return coefficients - (coefficients @ self.basis_) @ self.basis_.T
