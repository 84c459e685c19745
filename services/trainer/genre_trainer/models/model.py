"""The classifier: a small 2D CNN over one log-mel window.

Four Conv-BatchNorm-ReLU-MaxPool blocks treat the spectrogram as an image; global average pooling
then makes the prediction independent of where in the window a pattern occurs, and keeps the model
small (about 100k parameters, 0.4 MB as LiteRT), which is what a few hundred training songs support
and a 2-core CPU can train in minutes.

The first layer normalises each mel band with statistics of the training windows. Being part of the
model, it is exported with it: the worker feeds raw dB windows and needs no separate scaler file
that could drift from the weights.
"""

from __future__ import annotations

import keras
import numpy as np
from keras import layers

FILTERS = (16, 32, 64, 128)


def build_model(input_shape: tuple[int, int, int], n_labels: int, dropout: float = 0.3) -> keras.Model:
    """The CNN with an un-adapted normalisation layer; call :func:`adapt_normalization` before training."""
    inputs = keras.Input(shape=input_shape, name="log_mel_db")
    # axis=1: one mean and variance per mel band (the spectrogram's rows).
    x = layers.Normalization(axis=1, name="normalization")(inputs)
    for index, filters in enumerate(FILTERS, start=1):
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{index}")(x)
        x = layers.BatchNormalization(name=f"bn{index}")(x)
        x = layers.ReLU(name=f"relu{index}")(x)
        x = layers.MaxPooling2D(2, name=f"pool{index}")(x)
    x = layers.GlobalAveragePooling2D(name="pool")(x)
    x = layers.Dropout(dropout, name="dropout")(x)
    outputs = layers.Dense(n_labels, activation="softmax", name="genre")(x)
    return keras.Model(inputs, outputs, name="genre_cnn")


def adapt_normalization(model: keras.Model, windows: np.ndarray) -> None:
    """Fit the normalisation layer's per-band mean and variance to the training windows."""
    model.get_layer("normalization").adapt(windows)
