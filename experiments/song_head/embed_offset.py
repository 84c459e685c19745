"""Embeddings of the windows halfway between the served ones (starts at 1.5 s + k x 3 s): with embed.py's,
a 1.5-s hop, i.e. overlapping windows at inference."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from genre_core.features import slice_windows_at
from genre_trainer.models import transfer
from genre_trainer.training.pipeline import prepare_data

out = Path(sys.argv[1] if len(sys.argv) > 1 else "var/song_head/embeddings-offset.npz")
params = transfer.PARAMS
data = prepare_data(Path("../shared/gtzan"), 1234, "train", None, params, keep_spectrograms=True)
embedder = transfer.build_embedder()
labels = {label: index for index, label in enumerate(data.labels)}
arrays: dict[str, np.ndarray] = {}
for part in ("train", "valid"):
    windows, window_labels, window_songs = [], [], []
    for song in data.songs_by_part[part]:
        n_samples = (song.spectrogram.shape[1] - 1) * params.hop_length
        half = params.window_samples // 2
        starts = np.arange(half, n_samples - params.window_samples + 1, params.window_samples)
        if not len(starts):
            continue
        windows.append(slice_windows_at(song.spectrogram, starts, params))
        window_labels += [labels[song.genre]] * len(starts)
        window_songs += [song.song_id] * len(starts)
    x = np.concatenate(windows)[..., np.newaxis]
    arrays[f"{part}_embeddings"] = transfer.embed(embedder, x)
    arrays[f"{part}_labels"] = np.array(window_labels)
    arrays[f"{part}_songs"] = np.array(window_songs)
np.savez(out, **arrays)
print({key: value.shape for key, value in arrays.items()})
