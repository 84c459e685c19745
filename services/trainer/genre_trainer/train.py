"""Fitting the CNN: balanced class weights, Adam, and model selection on song-level validation accuracy.

Validation windows are scored once per epoch and averaged per song, exactly as the product
classifies songs; the epoch with the best song accuracy is the one kept, and training stops when
it has not improved for `patience` epochs. Without validation songs (training on train+valid)
the model of the last epoch is kept, so the epoch count must then come from an earlier run.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import keras
import numpy as np
from sklearn.utils.class_weight import compute_class_weight

from genre_trainer.dataset import WindowSet
from genre_trainer.evaluate import song_accuracy
from genre_trainer.model import adapt_normalization, build_model

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
) -> TrainedModel:
    """Build, fit and select the model; the returned model holds the weights of the selected epoch.

    The learning rate follows a cosine from `learning_rate` down to 1% of it at the last of `epochs`:
    with a constant rate, validation accuracy swings by tens of points from one epoch to the next,
    which makes "the best epoch" a matter of luck. `build(input_shape, n_labels)` makes the network
    (the 2D CNN by default); it must have a `Normalization` layer named "normalization".
    """
    keras.utils.set_random_seed(seed)
    model = build(train_set.x.shape[1:], n_labels)
    adapt_normalization(model, train_set.x)
    steps = epochs * math.ceil(len(train_set) / batch_size)
    model.compile(
        optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(learning_rate, steps, alpha=0.01)),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    callbacks: list[keras.callbacks.Callback] = []
    early_stopping = None
    if valid_set is not None and len(valid_set):
        early_stopping = keras.callbacks.EarlyStopping(
            monitor=SELECTION_METRIC, mode="max", patience=patience, restore_best_weights=True
        )
        # SongAccuracy must come first: it writes the figure that EarlyStopping reads.
        callbacks += [SongAccuracy(valid_set), early_stopping]
    callbacks.append(EpochLog(epochs))

    started = time.monotonic()
    history = model.fit(
        train_set.x,
        train_set.y,
        batch_size=batch_size,
        epochs=epochs,
        shuffle=True,
        class_weight=balanced_class_weights(train_set.y),
        callbacks=callbacks,
        verbose=0,
    )
    seconds = time.monotonic() - started
    epochs_run = len(history.history.get("loss", []))
    best_epoch = None if early_stopping is None else early_stopping.best_epoch + 1
    if best_epoch is not None:
        logger.info("Kept epoch %d of %d (%s %.4f)", best_epoch, epochs_run, SELECTION_METRIC, early_stopping.best)
    return TrainedModel(
        model=model, epochs_run=epochs_run, best_epoch=best_epoch, seconds=seconds, history=history.history
    )


def balanced_class_weights(y: np.ndarray) -> dict[int, float]:
    """Weights inversely proportional to each class's share of the windows, so rare genres count as much."""
    classes = np.unique(y)
    weights = compute_class_weight("balanced", classes=classes, y=y)
    return {int(label): float(weight) for label, weight in zip(classes, weights, strict=True)}
