"""musicnn's other layers as features: the penultimate dense layer (200) and the 50 MSD tag outputs, per window."""

from __future__ import annotations

import sys
from pathlib import Path

import keras
import numpy as np
from keras import layers

from genre_trainer.models import musicnn, transfer
from genre_trainer.training.pipeline import prepare_data

out = Path(sys.argv[1] if len(sys.argv) > 1 else "var/song_head/embeddings-layers.npz")
n_mels, frames = transfer.PARAMS.input_shape
network = musicnn.load_msd_musicnn(frames)
windows_in = keras.Input((n_mels, frames, 1))
patches = layers.Permute((2, 1))(layers.Reshape((n_mels, frames))(windows_in))
inner = keras.Model(network.inputs, [network.get_layer("dense").output, network.output["tags"]])
model = keras.Model(windows_in, inner(patches))
data = prepare_data(Path("../shared/gtzan"), 1234, "train", None, transfer.PARAMS)
arrays: dict[str, np.ndarray] = {}
for part in ("train", "valid"):
    windows = data.windows([part])
    dense, tags = model.predict(windows.x, batch_size=64, verbose=0)
    arrays[f"{part}_dense"], arrays[f"{part}_tags"] = dense, tags
    arrays[f"{part}_labels"], arrays[f"{part}_songs"] = windows.y, windows.song_ids
np.savez(out, **arrays)
print({key: value.shape for key, value in arrays.items()})
