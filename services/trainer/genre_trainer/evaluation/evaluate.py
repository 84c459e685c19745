"""Figures of a model on one part of the data, from its window probabilities.

The product classifies songs by combining the probabilities of their windows
(:func:`genre_core.results.song_probabilities`, which the worker uses too, with the aggregation the model's
manifest names), so the song-level figures are the ones that matter; window-level ones are kept to show
what combining windows adds.
Everything here is plain numpy and scikit-learn, so it can be checked without a model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from pydantic import BaseModel, Field
from sklearn.metrics import (
    accuracy_score,
    balanced_accuracy_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
    roc_auc_score,
)

from genre_core.manifest import EvaluationMetrics, GenreScores
from genre_core.results import SongAggregation, song_probabilities


def song_level(
    window_probabilities: np.ndarray,
    window_labels: np.ndarray,
    song_ids: np.ndarray,
    aggregation: SongAggregation = "mean_probability",
) -> tuple[np.ndarray, np.ndarray]:
    """Per song (in order of first appearance): its probabilities (its windows' combined by `aggregation`) and
    its label.

    Raises:
        ValueError: the windows of one song carry different labels.
    """
    song_ids = np.asarray(song_ids)
    unique_ids, first_index = np.unique(song_ids, return_index=True)
    ordered_ids = unique_ids[np.argsort(first_index)]
    probabilities, labels = [], []
    for song_id in ordered_ids:
        mask = song_ids == song_id
        song_labels = np.unique(window_labels[mask])
        if len(song_labels) != 1:
            raise ValueError(f"Windows of song {song_id} have several labels: {song_labels.tolist()}")
        probabilities.append(song_probabilities(window_probabilities[mask], aggregation))
        labels.append(song_labels[0])
    return np.array(probabilities), np.array(labels)


def song_accuracy(window_probabilities: np.ndarray, window_labels: np.ndarray, song_ids: np.ndarray) -> float:
    """Share of songs whose mean window probabilities peak at the right genre."""
    probabilities, labels = song_level(window_probabilities, window_labels, song_ids)
    return float(np.mean(probabilities.argmax(axis=1) == labels))


def evaluate(
    window_probabilities: np.ndarray,
    window_labels: np.ndarray,
    song_ids: np.ndarray,
    labels: Sequence[str],
    split: str,
    aggregation: SongAggregation = "mean_probability",
) -> EvaluationMetrics:
    """All figures of the manifest; per-genre scores and the confusion matrix are over songs and all labels."""
    window_probabilities = np.asarray(window_probabilities)
    window_labels = np.asarray(window_labels)
    window_predictions = window_probabilities.argmax(axis=1)
    probabilities, song_true = song_level(window_probabilities, window_labels, song_ids, aggregation)
    song_predicted = probabilities.argmax(axis=1)
    all_labels = list(range(len(labels)))
    precision, recall, f1, support = precision_recall_fscore_support(
        song_true, song_predicted, labels=all_labels, zero_division=0
    )
    return EvaluationMetrics(
        split=split,
        songs=len(song_true),
        windows=len(window_labels),
        song_accuracy=float(accuracy_score(song_true, song_predicted)),
        window_accuracy=float(accuracy_score(window_labels, window_predictions)),
        song_balanced_accuracy=float(balanced_accuracy_score(song_true, song_predicted)),
        song_macro_f1=float(f1_score(song_true, song_predicted, average="macro", zero_division=0)),
        window_macro_f1=float(f1_score(window_labels, window_predictions, average="macro", zero_division=0)),
        per_genre={
            label: GenreScores(
                precision=float(precision[index]),
                recall=float(recall[index]),
                f1=float(f1[index]),
                support=int(support[index]),
            )
            for index, label in enumerate(labels)
        },
        confusion_matrix=confusion_matrix(song_true, song_predicted, labels=all_labels).tolist(),
    )


class RocAuc(BaseModel):
    """One-vs-rest ROC-AUC; a genre with no positive (or no negative) example has none."""

    macro: float | None = Field(description="Mean over the genres that have one.")
    per_genre: dict[str, float | None]


class Evaluation(BaseModel):
    """Everything the ladder reports for one model on one part: the manifest's figures plus ROC-AUC."""

    metrics: EvaluationMetrics
    song_roc_auc: RocAuc
    window_roc_auc: RocAuc


def roc_auc_ovr(probabilities: np.ndarray, true: np.ndarray, labels: Sequence[str]) -> RocAuc:
    """Per-genre one-vs-rest ROC-AUC and their mean; equals scikit-learn's `multi_class="ovr"` macro
    average when every genre occurs, and still answers when some do not (small validation parts)."""
    per_genre: dict[str, float | None] = {}
    for index, label in enumerate(labels):
        positives = np.asarray(true) == index
        if positives.all() or not positives.any():
            per_genre[label] = None
        else:
            per_genre[label] = float(roc_auc_score(positives, probabilities[:, index]))
    defined = [value for value in per_genre.values() if value is not None]
    return RocAuc(macro=float(np.mean(defined)) if defined else None, per_genre=per_genre)


def evaluate_all(
    window_probabilities: np.ndarray,
    window_labels: np.ndarray,
    song_ids: np.ndarray,
    labels: Sequence[str],
    split: str,
    aggregation: SongAggregation = "mean_probability",
) -> Evaluation:
    """:func:`evaluate` plus song- and window-level ROC-AUC."""
    song_probabilities_, song_true = song_level(window_probabilities, window_labels, song_ids, aggregation)
    return Evaluation(
        metrics=evaluate(window_probabilities, window_labels, song_ids, labels, split, aggregation),
        song_roc_auc=roc_auc_ovr(song_probabilities_, song_true, labels),
        window_roc_auc=roc_auc_ovr(np.asarray(window_probabilities), np.asarray(window_labels), labels),
    )
