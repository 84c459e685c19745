"""Time the served musicnn model and its parts in LiteRT (one window, one thread)."""

from __future__ import annotations

import sys

import keras

from genre_trainer.models import musicnn, transfer

sys.path.insert(0, "experiments/musicnn_speed")
from layers import litert_ms

network = musicnn.load_msd_musicnn(188)
embedder = keras.Model(network.inputs, network.get_layer("embedding").output)
print(f"{'embedder (frames-first input)':50s} {litert_ms(embedder):7.2f} ms", flush=True)
print(f"{'served embedder (permute inside)':50s} {litert_ms(transfer.build_embedder()):7.2f} ms", flush=True)
print([layer.name for layer in network.layers])
