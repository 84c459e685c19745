"""The mastering directions taken out of the genre head: what they remove, and that the served layer computes it."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from genre_trainer.data.mastering import copy_id
from genre_trainer.models import transfer
from genre_trainer.models.nuisance import NuisanceProjection


def test_the_projection_folds_into_a_linear_layer() -> None:
    rng = np.random.default_rng(0)
    projection = NuisanceProjection(3).fit(rng.normal(size=(40, 12)))
    coefficients, x = rng.normal(size=(5, 12)), rng.normal(size=(7, 12))
    np.testing.assert_allclose(x @ projection.fold(coefficients).T, projection.transform(x) @ coefficients.T)
    # It removes exactly its directions: projecting twice changes nothing more.
    np.testing.assert_allclose(projection.transform(projection.transform(x)), projection.transform(x), atol=1e-12)
    assert np.allclose(projection.transform(x) @ projection.basis_, 0)


def test_without_copies_nothing_is_removed() -> None:
    x = np.random.default_rng(1).normal(size=(4, 6))
    np.testing.assert_array_equal(NuisanceProjection(16).fit(np.zeros((0, 6))).transform(x), x)


DIMENSION = 40
"""More than the directions removed, as the real embedding (1506) is."""


def _songs_with_copies(rng: np.random.Generator, nuisance: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """30 songs of 3 genres, 4 windows each, and each song again through two 'masterings' that move every window
    along `nuisance`, the later genres' songs further (as some genres are mastered louder than others)."""
    rows, labels, ids = [], [], []
    for song in range(30):
        genre = song % 3
        centre = rng.normal(0, 1, DIMENSION) + 3 * np.eye(DIMENSION)[genre]
        for name, shift in (("", 0.0), ("loud", rng.uniform(2, 4) * genre), ("louder", rng.uniform(4, 8) * genre)):
            windows = centre + shift * nuisance + rng.normal(0, 0.3, (4, DIMENSION))
            rows.append(windows)
            labels += [genre] * 4
            ids += [copy_id(str(song), name) if name else str(song)] * 4
    return np.concatenate(rows).astype(np.float32), np.array(labels), np.array(ids, dtype=object)


def test_the_head_does_not_move_along_the_mastering_direction(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(2)
    nuisance = np.zeros(DIMENSION)
    nuisance[10] = 1.0
    embeddings, labels, song_ids = _songs_with_copies(rng, nuisance)
    head = transfer.fit_head(embeddings, labels, song_ids)
    means, song_labels = transfer.song_means(embeddings, labels, song_ids)
    assert np.mean(head.predict(means) == song_labels) == 1.0  # the genres are still told apart
    monkeypatch.setattr(transfer, "NUISANCE_DIRECTIONS", 0)
    plain = transfer.fit_head(embeddings, labels, song_ids)

    def drift(fitted) -> float:
        # A mastering far louder than any training copy's.
        song = means[:1]
        return float(np.abs(fitted.predict_proba(song + 40 * nuisance) - fitted.predict_proba(song)).max())

    assert drift(plain) > 0.3
    assert drift(head) < drift(plain) / 10


def test_the_served_layer_computes_the_projected_head() -> None:
    rng = np.random.default_rng(3)
    embeddings, labels, song_ids = _songs_with_copies(rng, rng.normal(size=DIMENSION))
    head = transfer.fit_head(embeddings, labels, song_ids)
    assert head[1].basis_.shape == (DIMENSION, transfer.NUISANCE_DIRECTIONS)
    identity = keras.Input((DIMENSION,))
    model = transfer.serving_model(keras.Model(identity, {"embedding": identity}), head, n_labels=3)
    assert transfer.check_head(model, head, embeddings, embeddings) <= transfer.HEAD_TOLERANCE
