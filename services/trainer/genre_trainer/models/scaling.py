"""Standardising pretrained embeddings without amplifying float32 rounding."""

from __future__ import annotations

import numpy as np
from sklearn.preprocessing import StandardScaler

MIN_SCALE = 1e-3
"""Embedding values are O(0.1-10); a feature that varies by less than this over the training windows carries
rounding, not music (musicnn has units whose pooled output varies by 1e-12), and dividing by its spread would
turn a 1e-7 difference between two runtimes into a different genre."""


class FlooredStandardScaler(StandardScaler):
    """A :class:`~sklearn.preprocessing.StandardScaler` whose scale never drops below `min_scale`."""

    def __init__(self, min_scale: float = MIN_SCALE) -> None:
        super().__init__()
        self.min_scale = min_scale

    def fit(self, X: np.ndarray, y: object = None, sample_weight: np.ndarray | None = None) -> FlooredStandardScaler:  # noqa: N803 (scikit-learn's name)
        super().fit(X, y, sample_weight)
        self.scale_ = np.maximum(self.scale_, self.min_scale)
        return self
