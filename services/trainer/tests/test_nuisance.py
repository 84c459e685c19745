"""The mastering directions damped in the genre head: what they damp, and that the served layer computes it."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from genre_trainer.data.mastering import copy_id
from genre_trainer.models import transfer
from genre_trainer.models.nuisance import NuisanceShrinkage


@pytest.mark.parametrize(("strength", "removed"), [(10.0, 0), (0.0, 3), (2.0, 2)])
def test_the_shrinkage_folds_into_a_linear_layer(strength: float, removed: int) -> None:
    rng = np.random.default_rng(0)
    shrinkage = NuisanceShrinkage(strength, removed).fit(rng.normal(size=(40, 12)))
    coefficients, x = rng.normal(size=(5, 12)), rng.normal(size=(7, 12))
    np.testing.assert_allclose(x @ shrinkage.fold(coefficients).T, shrinkage.transform(x) @ coefficients.T)


def test_removing_directions_is_the_orthogonal_projection() -> None:
    rng = np.random.default_rng(4)
    projection = NuisanceShrinkage(0.0, removed=3).fit(rng.normal(size=(40, 12)))
    x = rng.normal(size=(7, 12))
    assert projection.basis_.shape == (12, 3)
    # It removes exactly its directions: projecting twice changes nothing more.
    np.testing.assert_allclose(projection.transform(projection.transform(x)), projection.transform(x), atol=1e-12)
    assert np.allclose(projection.transform(x) @ projection.basis_, 0)


def test_a_direction_is_damped_by_how_far_mastering_moves_songs_along_it() -> None:
    rng = np.random.default_rng(5)
    # Copies move songs 3 units along axis 0 and 1 unit along axis 1, never along axis 2.
    differences = rng.normal(size=(200, 3)) * [3.0, 1.0, 0.0]
    shrinkage = NuisanceShrinkage(10.0).fit(differences)
    lengths = np.linalg.norm(shrinkage.transform(np.eye(3)), axis=1)
    assert lengths[0] < lengths[1] < lengths[2]
    np.testing.assert_allclose(lengths[:2], (1 + 10 * np.array([9.0, 1.0])) ** -0.5, rtol=0.15)
    assert lengths[2] == pytest.approx(1.0)


def test_without_copies_nothing_is_changed() -> None:
    x = np.random.default_rng(1).normal(size=(4, 6))
    np.testing.assert_array_equal(NuisanceShrinkage(10.0, removed=16).fit(np.zeros((0, 6))).transform(x), x)


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
    monkeypatch.setattr(transfer, "NUISANCE_STRENGTH", 0.0)
    plain = transfer.fit_head(embeddings, labels, song_ids)

    def drift(fitted) -> float:
        # A mastering far louder than any training copy's.
        song = means[:1]
        return float(np.abs(fitted.predict_proba(song + 40 * nuisance) - fitted.predict_proba(song)).max())

    assert drift(plain) > 0.3
    assert drift(head) < drift(plain) / 10


def test_the_served_layer_computes_the_damped_head() -> None:
    rng = np.random.default_rng(3)
    embeddings, labels, song_ids = _songs_with_copies(rng, rng.normal(size=DIMENSION))
    head = transfer.fit_head(embeddings, labels, song_ids)
    assert head[1].basis_.shape[0] == DIMENSION and np.all((head[1].scale_ > 0) & (head[1].scale_ < 1))
    identity = keras.Input((DIMENSION,))
    model = transfer.serving_model(keras.Model(identity, {"embedding": identity}), head, n_labels=3)
    assert transfer.check_head(model, head, embeddings, embeddings) <= transfer.HEAD_TOLERANCE
