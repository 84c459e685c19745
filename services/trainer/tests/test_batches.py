"""Training batches: random crops are real slices of the songs, balanced by genre and repeatable."""

from __future__ import annotations

import numpy as np
import pytest

from genre_trainer.data.batches import Augmentation, FixedWindows, RandomCrops, SongSpectrogram, mixup

FRAMES = 20


def _songs() -> list[SongSpectrogram]:
    rng = np.random.default_rng(0)
    # Label 0 has five songs, label 1 one: balanced sampling must still give each about half the crops.
    return [
        SongSpectrogram(f"song{index}", 0 if index < 5 else 1, rng.normal(size=(8, 50 + index)).astype(np.float32))
        for index in range(6)
    ]


def test_crops_are_slices_of_their_songs_with_their_labels() -> None:
    songs = _songs()
    crops = RandomCrops(songs, n_labels=2, frames=FRAMES, crops_per_epoch=64, batch_size=16, seed=1)
    x, y = crops[0]
    assert x.shape == (16, 8, FRAMES, 1) and y.shape == (16, 2)
    for crop, label in zip(x[..., 0], y.argmax(axis=1), strict=True):
        matches = [
            song
            for song in songs
            for start in range(song.spectrogram.shape[1] - FRAMES + 1)
            if np.array_equal(song.spectrogram[:, start : start + FRAMES], crop)
        ]
        assert matches and all(song.label == label for song in matches)


def test_crops_balance_genres_and_repeat_per_seed_and_epoch() -> None:
    crops = RandomCrops(_songs(), n_labels=2, frames=FRAMES, crops_per_epoch=2000, batch_size=100, seed=1)
    labels = np.concatenate([crops[index][1].argmax(axis=1) for index in range(len(crops))])
    assert 0.45 < labels.mean() < 0.55
    first = crops[3][0]
    assert np.array_equal(crops[3][0], first)  # same batch asked twice: same crops
    crops.on_epoch_end()
    assert not np.array_equal(crops[3][0], first)  # a new epoch: new crops


def test_songs_shorter_than_a_crop_are_left_out() -> None:
    short = SongSpectrogram("short", 1, np.zeros((8, FRAMES - 1), dtype=np.float32))
    with pytest.raises(ValueError, match="No song"):
        RandomCrops([short], n_labels=2, frames=FRAMES, crops_per_epoch=10, batch_size=5, seed=0)


def test_augmented_labels_are_distributions() -> None:
    augmentation = Augmentation(mixup_alpha=0.4, frequency_masks=2, time_masks=2, gain_db=6, label_smoothing=0.1)
    crops = RandomCrops(_songs(), 2, FRAMES, 64, 32, seed=2, augmentation=augmentation)
    x, y = crops[0]
    assert np.isfinite(x).all()
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-6)
    assert (y > 0).all()  # smoothed: no exact zero


def test_mixup_keeps_the_larger_share_for_each_crop() -> None:
    rng = np.random.default_rng(0)
    x = np.stack([np.full((2, 3, 1), value, dtype=np.float32) for value in (0.0, 1.0, 2.0, 3.0)])
    y = np.eye(4, dtype=np.float32)
    mixed_x, mixed_y = mixup(x, y, rng, alpha=0.4)
    assert (mixed_y.max(axis=1) >= 0.5).all()
    np.testing.assert_array_equal(mixed_y.argmax(axis=1), np.arange(4))
    np.testing.assert_allclose(mixed_x[:, 0, 0, 0], mixed_y @ np.arange(4, dtype=np.float32), rtol=1e-5)


def test_fixed_windows_visit_every_window_once_per_epoch_with_balanced_weights() -> None:
    x = np.arange(10, dtype=np.float32).reshape(10, 1, 1, 1)
    y = np.array([0] * 8 + [1] * 2)
    batches = FixedWindows(x, y, n_labels=2, batch_size=4, seed=0)
    seen = np.concatenate([batches[index][0].ravel() for index in range(len(batches))])
    assert sorted(seen.tolist()) == list(range(10))
    weights = np.concatenate([batches[index][2] for index in range(len(batches))])
    labels = np.concatenate([batches[index][1].argmax(axis=1) for index in range(len(batches))])
    # Each genre's windows weigh the same in total (scikit-learn's "balanced" weights).
    assert weights[labels == 0].sum() == pytest.approx(weights[labels == 1].sum())
