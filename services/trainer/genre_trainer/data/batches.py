"""Training batches: random crops of whole songs (with the recipe's augmentations), or the fixed windows.

Both are Keras `PyDataset`s that hand out one batch at a time: given a whole-dataset numpy array,
`fit` copies it into a tf.data pipeline every epoch, which took half of each epoch on a 2-core CPU.

Fixed back-to-back windows show the network the same ten crops of a song every epoch; a crop that may
start at any STFT frame shows it a new one each time, which is the cheapest augmentation there is and
exactly what the worker could be given (it slices windows from a whole-song spectrogram the same way).
Batches sample a genre uniformly first, then a song of that genre, so rare genres are seen as often as
common ones (balanced sampling, instead of class weights).

Every batch is drawn from a generator seeded with (seed, epoch, batch index): a run is repeatable, and
batches do not depend on the order in which Keras's workers ask for them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import keras
import numpy as np

from genre_trainer.training.recipe import Augmentation


@dataclass(frozen=True)
class SongSpectrogram:
    """A whole song's log-mel spectrogram (n_mels, frames) in dB and its label index."""

    song_id: str
    label: int
    spectrogram: np.ndarray


class RandomCrops(keras.utils.PyDataset):
    """`crops_per_epoch` random windows per epoch, genre-balanced, augmented, with one-hot (soft) labels."""

    def __init__(
        self,
        songs: Sequence[SongSpectrogram],
        n_labels: int,
        frames: int,
        crops_per_epoch: int,
        batch_size: int,
        seed: int,
        augmentation: Augmentation | None = None,
    ) -> None:
        super().__init__()
        usable = [song for song in songs if song.spectrogram.shape[1] >= frames]
        if not usable:
            raise ValueError(f"No song has {frames} frames")
        self.songs = usable
        self.n_labels = n_labels
        self.frames = frames
        self.batch_size = batch_size
        self.batches = math.ceil(crops_per_epoch / batch_size)
        self.seed = seed
        self.augmentation = augmentation or Augmentation()
        self.epoch = 0
        by_label: dict[int, list[int]] = {}
        for index, song in enumerate(usable):
            by_label.setdefault(song.label, []).append(index)
        self.labels_present = np.array(sorted(by_label))
        self.songs_of_label = {label: np.array(indices) for label, indices in by_label.items()}

    def __len__(self) -> int:
        return self.batches

    def on_epoch_end(self) -> None:
        self.epoch += 1

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray]:
        rng = np.random.default_rng([self.seed, self.epoch, index])
        labels = rng.choice(self.labels_present, size=self.batch_size)
        x = np.empty((self.batch_size, self.songs[0].spectrogram.shape[0], self.frames, 1), dtype=np.float32)
        for row, label in enumerate(labels):
            song = self.songs[rng.choice(self.songs_of_label[int(label)])]
            start = int(rng.integers(0, song.spectrogram.shape[1] - self.frames + 1))
            x[row, :, :, 0] = song.spectrogram[:, start : start + self.frames]
        y = keras.utils.to_categorical(labels, self.n_labels).astype(np.float32)
        augment_batch(x, rng, self.augmentation)
        if self.augmentation.mixup_alpha > 0:
            x, y = mixup(x, y, rng, self.augmentation.mixup_alpha)
        if self.augmentation.label_smoothing > 0:
            y = y * (1 - self.augmentation.label_smoothing) + self.augmentation.label_smoothing / self.n_labels
        return x, y


def augment_batch(x: np.ndarray, rng: np.random.Generator, augmentation: Augmentation) -> None:
    """Random gain and SpecAugment masks, in place, on a batch shaped (batch, n_mels, frames, 1)."""
    n_mels, frames = x.shape[1], x.shape[2]
    if augmentation.gain_db > 0:
        x += rng.uniform(-augmentation.gain_db, augmentation.gain_db, size=(len(x), 1, 1, 1)).astype(np.float32)
    if not (augmentation.frequency_masks or augmentation.time_masks):
        return
    means = x.mean(axis=(1, 2, 3))
    for row in range(len(x)):
        for _ in range(augmentation.frequency_masks):
            width = int(rng.integers(0, min(augmentation.frequency_mask_bands, n_mels) + 1))
            start = int(rng.integers(0, n_mels - width + 1))
            x[row, start : start + width] = means[row]
        for _ in range(augmentation.time_masks):
            width = int(rng.integers(0, min(augmentation.time_mask_frames, frames) + 1))
            start = int(rng.integers(0, frames - width + 1))
            x[row, :, start : start + width] = means[row]


def mixup(x: np.ndarray, y: np.ndarray, rng: np.random.Generator, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Each crop mixed with another of the batch, inputs and labels alike, with weights from Beta(alpha, alpha)."""
    weights = rng.beta(alpha, alpha, size=len(x)).astype(np.float32)
    # max(w, 1 - w): the crop keeps the larger share, so a batch never degenerates into its own permutation.
    weights = np.maximum(weights, 1 - weights)
    partner = rng.permutation(len(x))
    mixed_x = weights[:, None, None, None] * x + (1 - weights[:, None, None, None]) * x[partner]
    mixed_y = weights[:, None] * y + (1 - weights[:, None]) * y[partner]
    return mixed_x.astype(np.float32), mixed_y.astype(np.float32)


class FixedWindows(keras.utils.PyDataset):
    """The fixed windows, reshuffled each epoch, with one-hot labels and balanced class weights per window."""

    def __init__(self, x: np.ndarray, y: np.ndarray, n_labels: int, batch_size: int, seed: int) -> None:
        super().__init__()
        self.x, self.y = x, y
        self.n_labels = n_labels
        self.batch_size = batch_size
        self.seed = seed
        self.epoch = 0
        counts = np.bincount(y, minlength=n_labels).astype(np.float64)
        # scikit-learn's "balanced" weights: n_samples / (n_classes_present * count).
        weights = np.divide(len(y), np.count_nonzero(counts) * counts, out=np.zeros_like(counts), where=counts > 0)
        self.window_weights = weights[y].astype(np.float32)
        self.order = self._order()

    def _order(self) -> np.ndarray:
        return np.random.default_rng([self.seed, self.epoch]).permutation(len(self.y))

    def __len__(self) -> int:
        return math.ceil(len(self.y) / self.batch_size)

    def on_epoch_end(self) -> None:
        self.epoch += 1
        self.order = self._order()

    def __getitem__(self, index: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        rows = np.sort(self.order[index * self.batch_size : (index + 1) * self.batch_size])
        labels = keras.utils.to_categorical(self.y[rows], self.n_labels).astype(np.float32)
        return self.x[rows], labels, self.window_weights[rows]
