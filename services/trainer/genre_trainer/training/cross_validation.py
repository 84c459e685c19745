"""Artist-disjoint cross-validation of the genre head over the extra datasets' songs.

The extra datasets' songs all train the shipped head, so GTZAN's validation split cannot say how well the model
knows music like theirs. Each fold of them (an artist is in one fold only) is scored by a head fit on everything
else the run trains on (GTZAN's train songs, the other folds, and the mastered copies of both), never on its own
songs or their copies. A linear head refits in seconds from cached embeddings, so this costs nothing beside
embedding the songs once; the small CNN, which would train once per fold, is not cross-validated.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from sklearn.pipeline import Pipeline

from genre_core.manifest import EvaluationMetrics
from genre_core.results import SongAggregation
from genre_trainer.data.dataset import WindowSet
from genre_trainer.evaluation.evaluate import evaluate

COPY_SEPARATOR = "#"
"""A mastered copy's song id is `<song id>#<augmentation>`."""


def original_song(song_ids: np.ndarray) -> np.ndarray:
    """The song each window (of a song or of one of its mastered copies) comes from."""
    return np.array([str(song_id).split(COPY_SEPARATOR, 1)[0] for song_id in song_ids], dtype=object)


def cross_validate(
    train: WindowSet,
    train_embeddings: np.ndarray,
    copies: WindowSet | None,
    folds: dict[str, int],
    fit_head: Callable[[np.ndarray, np.ndarray, np.ndarray], Pipeline],
    labels: list[str],
    split: str,
    aggregation: SongAggregation,
) -> EvaluationMetrics | None:
    """Figures of the songs in `folds`, each scored by `fit_head` fit without its fold; None without folds.

    `train`/`train_embeddings` are every training window (songs outside `folds` are never held out), `copies` the
    mastered copies' windows with their embeddings in `x`."""
    if not folds:
        return None
    fold_of = np.array([folds.get(song_id, -1) for song_id in train.song_ids])
    copy_fold_of = (
        np.array([folds.get(song_id, -1) for song_id in original_song(copies.song_ids)]) if copies else np.empty(0)
    )
    probabilities, window_labels, song_ids = [], [], []
    for fold in sorted(set(folds.values())):
        kept, held_out = fold_of != fold, fold_of == fold
        embeddings, targets, songs = [train_embeddings[kept]], [train.y[kept]], [train.song_ids[kept]]
        if copies is not None:
            kept_copies = copy_fold_of != fold
            embeddings.append(copies.x[kept_copies])
            targets.append(copies.y[kept_copies])
            songs.append(copies.song_ids[kept_copies])
        head = fit_head(np.concatenate(embeddings), np.concatenate(targets), np.concatenate(songs))
        probabilities.append(_all_labels(head, train_embeddings[held_out], len(labels)))
        window_labels.append(train.y[held_out])
        song_ids.append(train.song_ids[held_out])
    return evaluate(
        np.concatenate(probabilities),
        np.concatenate(window_labels),
        np.concatenate(song_ids),
        labels,
        split=split,
        aggregation=aggregation,
    )


def _all_labels(head: Pipeline, embeddings: np.ndarray, n_labels: int) -> np.ndarray:
    """The head's probabilities in the columns of all labels (a fold's head may not have seen every genre)."""
    out = np.zeros((len(embeddings), n_labels))
    out[:, head.classes_] = head.predict_proba(embeddings.astype(np.float64))
    return out
