"""Fitting the CNN: a :class:`Recipe` (inputs, augmentation, weight averaging, epoch selection) and Adam.

Validation windows are scored once per epoch and averaged per song, exactly as the product classifies
songs. With `selection="best-epoch"` the epoch with the best validation song accuracy is kept and training
stops when it has not improved for `patience` epochs; with `"last-epoch"` the run goes to its end and keeps
the last weights (averaged, with `ema_momentum`), so the validation songs only report, never choose.
Without validation songs (training on train+valid) the last epoch is always kept.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np

from genre_trainer.data.batches import FixedWindows, RandomCrops, SongSpectrogram
from genre_trainer.data.dataset import WindowSet
from genre_trainer.evaluation.evaluate import song_accuracy
from genre_trainer.models.model import adapt_normalization, build_model
from genre_trainer.training.recipe import Recipe

logger = logging.getLogger(__name__)

SELECTION_METRIC = "val_song_accuracy"


@dataclass
class TrainedModel:
    model: keras.Model
    epochs_run: int
    best_epoch: int | None
    """1-based epoch whose weights were kept; None when nothing was validated and the last epoch is kept."""
    seconds: float
    history: dict[str, list[float]] = field(default_factory=dict)


class SongAccuracy(keras.callbacks.Callback):
    """Adds `val_window_accuracy` and `val_song_accuracy` to each epoch's logs, for selection and logging."""

    def __init__(self, valid: WindowSet, batch_size: int = 256) -> None:
        super().__init__()
        self.valid = valid
        self.batch_size = batch_size

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        if logs is None:
            return
        probabilities = self.model.predict(self.valid.x, batch_size=self.batch_size, verbose=0)
        logs["val_window_accuracy"] = float(np.mean(probabilities.argmax(axis=1) == self.valid.y))
        logs[SELECTION_METRIC] = song_accuracy(probabilities, self.valid.y, self.valid.song_ids)


class EpochLog(keras.callbacks.Callback):
    """One log line per epoch (Keras's progress bar is unreadable in container logs)."""

    def __init__(self, epochs: int) -> None:
        super().__init__()
        self.epochs = epochs
        self.started = 0.0

    def on_epoch_begin(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        self.started = time.monotonic()

    def on_epoch_end(self, epoch: int, logs: dict[str, Any] | None = None) -> None:
        figures = " ".join(f"{name} {value:.4f}" for name, value in (logs or {}).items())
        logger.info("Epoch %d/%d (%.1f s): %s", epoch + 1, self.epochs, time.monotonic() - self.started, figures)


def train(
    train_set: WindowSet,
    valid_set: WindowSet | None,
    n_labels: int,
    epochs: int,
    seed: int,
    batch_size: int = 32,
    learning_rate: float = 1e-3,
    patience: int = 15,
    build: Callable[[tuple[int, ...], int], keras.Model] = build_model,
    recipe: Recipe | None = None,
    train_songs: Sequence[SongSpectrogram] = (),
) -> TrainedModel:
    """Build, fit and select the model; the returned model holds the weights the recipe keeps.

    The learning rate follows a cosine from `learning_rate` down to 1% of it at the last of `epochs`:
    with a constant rate, validation accuracy swings by tens of points from one epoch to the next,
    which makes "the best epoch" a matter of luck. `build(input_shape, n_labels)` makes the network
    (the 2D CNN by default); it must have a `Normalization` layer named "normalization", adapted to
    `train_set`. With `recipe.crops_per_epoch`, batches are cut from `train_songs` instead.
    """
    recipe = recipe or Recipe()
    keras.utils.set_random_seed(seed)
    model = build(train_set.x.shape[1:], n_labels)
    adapt_normalization(model, train_set.x)
    batches: keras.utils.PyDataset
    if recipe.crops_per_epoch:
        frames = train_set.x.shape[2]
        batches = RandomCrops(
            train_songs, n_labels, frames, recipe.crops_per_epoch, batch_size, seed, recipe.augmentation
        )
    else:
        batches = FixedWindows(train_set.x, train_set.y, n_labels, batch_size, seed)
    steps_per_epoch = len(batches)
    schedule = keras.optimizers.schedules.CosineDecay(learning_rate, epochs * steps_per_epoch, alpha=0.01)
    model.compile(
        optimizer=keras.optimizers.Adam(
            schedule, use_ema=recipe.ema_momentum is not None, ema_momentum=recipe.ema_momentum or 0.99
        ),
        loss="categorical_crossentropy",  # both kinds of batches carry one-hot (maybe mixed, smoothed) labels
        metrics=["accuracy"],
    )
    callbacks: list[keras.callbacks.Callback] = []
    early_stopping = None
    if valid_set is not None and len(valid_set):
        # SongAccuracy must come first: it writes the figure that EarlyStopping reads.
        callbacks.append(SongAccuracy(valid_set))
        if recipe.selection == "best-epoch":
            early_stopping = keras.callbacks.EarlyStopping(
                monitor=SELECTION_METRIC, mode="max", patience=patience, restore_best_weights=True
            )
            callbacks.append(early_stopping)
    callbacks.append(EpochLog(epochs))

    started = time.monotonic()
    # With use_ema, fit ends by writing the averaged weights into the model.
    history = model.fit(batches, epochs=epochs, callbacks=callbacks, verbose=0)
    seconds = time.monotonic() - started
    epochs_run = len(history.history.get("loss", []))
    best_epoch = None if early_stopping is None else early_stopping.best_epoch + 1
    if best_epoch is not None:
        logger.info("Kept epoch %d of %d (%s %.4f)", best_epoch, epochs_run, SELECTION_METRIC, early_stopping.best)
    return TrainedModel(
        model=model, epochs_run=epochs_run, best_epoch=best_epoch, seconds=seconds, history=history.history
    )
