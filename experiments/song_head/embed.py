"""Embed every train and valid window of ../shared/gtzan with the served musicnn embedder, once (~1-6 min)."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from genre_trainer.models import transfer
from genre_trainer.training.pipeline import prepare_data


def embed_all(out: Path) -> None:
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


if __name__ == "__main__":
    embed_all(Path(sys.argv[1] if len(sys.argv) > 1 else "var/song_head/embeddings.npz"))
