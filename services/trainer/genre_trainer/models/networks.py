"""The two other networks of the ladder; the 2D CNN that is served lives in :mod:`genre_trainer.models.model`.

Each starts with a `Normalization` layer named "normalization", adapted to the training inputs by
:func:`genre_trainer.models.model.adapt_normalization`, so the models take raw features as they are stored.
"""

from __future__ import annotations

import keras
from keras import layers


def build_mlp(input_shape: tuple[int, ...], n_labels: int, dropout: float = 0.3) -> keras.Model:
    """The study's "traditional" neural network: two hidden layers on a window's summary features."""
    inputs = keras.Input(shape=input_shape, name="summary")
    x = layers.Normalization(axis=-1, name="normalization")(inputs)
    for units in (256, 128):
        x = layers.Dense(units, activation="relu")(x)
        x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(n_labels, activation="softmax", name="genre")(x)
    return keras.Model(inputs, outputs, name="genre_mlp")


def build_cnn1d(input_shape: tuple[int, ...], n_labels: int, dropout: float = 0.3) -> keras.Model:
    """A 1D CNN on a window of low-passed waveform: strided convolutions, then global pooling over time."""
    inputs = keras.Input(shape=input_shape, name="waveform")
    x = layers.Normalization(axis=None, name="normalization")(inputs)
    x = layers.Reshape((*input_shape, 1))(x)
    x = layers.Conv1D(32, 32, strides=4, padding="same", use_bias=False)(x)
    for filters in (32, 64, 64, 128):
        x = layers.BatchNormalization()(x)
        x = layers.ReLU()(x)
        x = layers.Conv1D(filters, 9, padding="same", use_bias=False)(x)
        x = layers.MaxPooling1D(4)(x)
    x = layers.BatchNormalization()(x)
    x = layers.ReLU()(x)
    x = layers.GlobalAveragePooling1D()(x)
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(n_labels, activation="softmax", name="genre")(x)
    return keras.Model(inputs, outputs, name="genre_cnn1d")
