"""Like embed.py, with the MagnaTagATune musicnn weights (same architecture, also in the musicnn package)."""

from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path

import numpy as np

from genre_trainer import musicnn, transfer
from genre_trainer.pipeline import prepare_data

musicnn._packaged_checkpoint = lambda: f"{resources.files('musicnn') / 'MTT_musicnn'}/"
out = Path(sys.argv[1] if len(sys.argv) > 1 else "var/song_head/embeddings-mtt.npz")
data = prepare_data(Path("../shared/gtzan"), 1234, "train", None, transfer.PARAMS)
embedder = transfer.build_embedder()
arrays: dict[str, np.ndarray] = {}
for part in ("train", "valid"):
    windows = data.windows([part])
    arrays[f"{part}_embeddings"] = transfer.embed(embedder, windows.x)
    arrays[f"{part}_labels"] = windows.y
    arrays[f"{part}_songs"] = windows.song_ids
out.parent.mkdir(parents=True, exist_ok=True)
np.savez(out, labels=np.array(data.labels), **arrays)
print({key: value.shape for key, value in arrays.items()})
