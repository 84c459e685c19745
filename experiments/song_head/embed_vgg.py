"""Embed every train and valid window with the *MSD_vgg* network that the `musicnn` package also ships.

The vgg is five 3x3 convolutions of 128 filters with batch norm and max pooling (musicnn/models.py `vgg`), rebuilt
here in Keras 3 and loaded from the package's checkpoint. Saved per window: pool5 flattened (256, what its tag
layer sees) and the global max and mean of pool3 and pool4 (256 each). Same windows as embed.py (~3-10 min).
"""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import keras
import numpy as np
from keras import layers, ops

from genre_trainer.models import transfer
from genre_trainer.training.pipeline import prepare_data

FILTERS = 128


def build_vgg(frames: int) -> keras.Model:
    patches = keras.Input((frames, 96), name="vgg_input")
    x = layers.Reshape((frames, 96, 1))(patches)
    x = layers.BatchNormalization(epsilon=1e-3, name="batch_normalization")(x)
    pools = []
    for index, pool in enumerate(((4, 1), (2, 2), (2, 2), (2, 2), (4, 4)), start=1):
        x = layers.Conv2D(FILTERS, 3, padding="same", activation="relu", name=f"{index}CNN")(x)
        x = layers.BatchNormalization(epsilon=1e-3, name=f"batch_normalization_{index}")(x)
        strides = (2, 2) if index == 1 else pool
        x = layers.MaxPooling2D(pool, strides=strides)(x)
        pools.append(x)
    pool5 = layers.Flatten()(pools[4])
    outputs = {
        "tags": layers.Dense(50, activation="sigmoid", name="dense")(pool5),
        "pool5": pool5,
        "pool4": layers.Concatenate()([ops.max(pools[3], axis=(1, 2)), ops.mean(pools[3], axis=(1, 2))]),
        "pool3": layers.Concatenate()([ops.max(pools[2], axis=(1, 2)), ops.mean(pools[2], axis=(1, 2))]),
    }
    return keras.Model(patches, outputs)


def load_vgg(frames: int, checkpoint: str) -> keras.Model:
    from tensorflow.python.training import py_checkpoint_reader

    reader = py_checkpoint_reader.NewCheckpointReader(checkpoint)
    model = build_vgg(frames)
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            names = ("gamma", "beta", "moving_mean", "moving_variance")
            layer.set_weights([reader.get_tensor(f"{layer.name}/{name}") for name in names])
        elif isinstance(layer, layers.Conv2D | layers.Dense):
            layer.set_weights([reader.get_tensor(f"{layer.name}/{name}") for name in ("kernel", "bias")])
    return model


def embed_all(out: Path, weights: str) -> None:
    data = prepare_data(Path("../shared/gtzan"), 1234, "train", None, transfer.PARAMS)
    n_mels, frames = transfer.PARAMS.input_shape
    vgg = load_vgg(frames, f"{resources.files('musicnn') / weights}/")
    windows_in = keras.Input((n_mels, frames, 1))
    model = keras.Model(windows_in, vgg(layers.Permute((2, 1))(layers.Reshape((n_mels, frames))(windows_in))))
    arrays: dict[str, np.ndarray] = {}
    for part in ("train", "valid"):
        windows = data.windows([part])
        outputs = model.predict(windows.x, batch_size=64, verbose=0)
        for name, value in outputs.items():
            arrays[f"{part}_{name}"] = value.astype(np.float32)
        arrays[f"{part}_labels"] = windows.y
        arrays[f"{part}_songs"] = windows.song_ids
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, labels=np.array(data.labels), **arrays)
    print({key: value.shape for key, value in arrays.items()})


if __name__ == "__main__":
    weights = sys.argv[1] if len(sys.argv) > 1 else "MSD_vgg"
    embed_all(Path(f"var/song_head/embeddings-{weights}.npz"), weights)
