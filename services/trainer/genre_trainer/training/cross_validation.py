"""Artist-disjoint cross-validation of the genre head over the extra datasets' songs.

The extra datasets' songs all train the shipped head, so GTZAN's validation split cannot say how well the model
knows music like theirs. Each fold of them (an artist is in one fold only) is scored by a head fit on everything
else the run trains on (GTZAN's train songs, the other folds, and the mastered copies of both), never on its own
songs or their copies. A linear head refits in seconds from cached embeddings, so this costs nothing beside
embedding the songs once. A network trained from scratch (the small CNN) is trained once more per fold
(:func:`cross_validate_network`), on request.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
from sklearn.pipeline import Pipeline

from genre_core.manifest import EvaluationMetrics
from genre_core.params import FeatureParams
from genre_core.results import SongAggregation
from genre_trainer.data.dataset import Song, WindowSet, stack_windows
from genre_trainer.data.mastering import original_song
from genre_trainer.evaluation.evaluate import evaluate

if TYPE_CHECKING:
    import keras

logger = logging.getLogger(__name__)


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

    def score_fold(fold_songs: set[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        probabilities, held_out = held_out_probabilities(
            train, train_embeddings, copies, fold_songs, fit_head, len(labels)
        )
        return probabilities, train.y[held_out], train.song_ids[held_out]

    return _scored_by_fold(folds, score_fold, labels, split, aggregation)


def held_out_probabilities(
    train: WindowSet,
    train_embeddings: np.ndarray,
    copies: WindowSet | None,
    held_out_songs: set[str],
    fit_head: Callable[[np.ndarray, np.ndarray, np.ndarray], Pipeline],
    n_labels: int,
) -> tuple[np.ndarray, np.ndarray]:
    """The windows of `held_out_songs` scored by `fit_head` fit on every other window and copy (never on those
    songs' own copies): their probabilities in the columns of all labels, and the mask of those windows in
    `train`."""
    held_out = np.isin(train.song_ids, list(held_out_songs))
    rows, targets, songs = [train_embeddings[~held_out]], [train.y[~held_out]], [train.song_ids[~held_out]]
    if copies is not None:
        kept_copies = ~np.isin(original_song(copies.song_ids), list(held_out_songs))
        rows.append(copies.x[kept_copies])
        targets.append(copies.y[kept_copies])
        songs.append(copies.song_ids[kept_copies])
    head = fit_head(np.concatenate(rows), np.concatenate(targets), np.concatenate(songs))
    # A head fit without some songs may not have seen every genre: its columns go where its classes are.
    probabilities = np.zeros((int(held_out.sum()), n_labels))
    probabilities[:, head.classes_] = head.predict_proba(train_embeddings[held_out].astype(np.float64))
    return probabilities, held_out


def cross_validate_network(
    train_songs: Sequence[Song],
    folds: dict[str, int],
    fit_without: Callable[[set[str]], keras.Model],
    labels: list[str],
    params: FeatureParams,
    split: str,
) -> EvaluationMetrics | None:
    """Figures of the songs in `folds`, each fold's windows scored by the network `fit_without` its songs (trained
    on every other song of `train_songs`); None without folds."""

    def score_fold(fold_songs: set[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        logger.info("Cross-validation: training without a fold of %d songs", len(fold_songs))
        model = fit_without(fold_songs)
        windows = stack_windows([song for song in train_songs if song.song_id in fold_songs], labels, params)
        return model.predict(windows.x, batch_size=256, verbose=0), windows.y, windows.song_ids

    return _scored_by_fold(folds, score_fold, labels, split, "mean_probability")


def _scored_by_fold(
    folds: dict[str, int],
    score_fold: Callable[[set[str]], tuple[np.ndarray, np.ndarray, np.ndarray]],
    labels: list[str],
    split: str,
    aggregation: SongAggregation,
) -> EvaluationMetrics | None:
    """The figures of every fold's songs, each fold scored by `score_fold` (its windows' probabilities, labels and
    song ids) by a model that never saw it; None without folds."""
    if not folds:
        return None
    parts = [
        score_fold({song for song, song_fold in folds.items() if song_fold == fold})
        for fold in sorted(set(folds.values()))
    ]
    probabilities, targets, song_ids = (np.concatenate(column) for column in zip(*parts, strict=True))
    return evaluate(probabilities, targets, song_ids, labels, split=split, aggregation=aggregation)
