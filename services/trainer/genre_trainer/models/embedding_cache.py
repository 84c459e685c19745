"""musicnn's outputs for a song's windows, kept on disk by what went in: a retrain with another head, detector or
export costs seconds, not the hour the embeddings of every song and mastered copy take on a laptop's CPU.

The key is a hash of the windows themselves (their shape, dtype and bytes) and of the network
(:data:`EMBEDDER_ID` and its weights file), so anything that changes the input (other audio, another augmentation,
other preprocessing or feature parameters) or the network misses the cache, and nothing else does. Entries are
written atomically (a temporary file renamed), so an interrupted run leaves only whole entries behind.
"""

from __future__ import annotations

import hashlib
import itertools
import logging
import os
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np

logger = logging.getLogger(__name__)

EMBEDDER_ID = "musicnn-msd-keras-1"
"""Bump when the Keras rebuild changes what it computes for the same weights."""

Embed = Callable[[np.ndarray], tuple[np.ndarray, np.ndarray]]
"""Windows (n, n_mels, frames, 1) -> embeddings (n, d) and tag scores (n, t)."""


class EmbeddingCache:
    """Embeddings and tag scores of groups of windows (one group per song), computed once per distinct input.

    Args:
        embed: the network, windows -> (embeddings, tags); called once per :meth:`embed_groups` with every miss.
        folder: where entries live; None keeps nothing (every call computes).
    """

    def __init__(self, embed: Embed, folder: Path | None) -> None:
        self._embed = embed
        self._folder = None if folder is None else folder / _network_key()
        self.hits = 0
        self.misses = 0

    def embed_groups(self, groups: Sequence[np.ndarray]) -> list[tuple[np.ndarray, np.ndarray]]:
        """(embeddings, tags) for each group of windows, in order; the misses go through the network together."""
        results: list[tuple[np.ndarray, np.ndarray] | None] = [self._read(group) for group in groups]
        missing = [index for index, result in enumerate(results) if result is None]
        self.hits += len(groups) - len(missing)
        self.misses += len(missing)
        if missing:
            embeddings, tags = self._embed(np.concatenate([groups[index] for index in missing]))
            start = 0
            for index in missing:
                end = start + len(groups[index])
                results[index] = (embeddings[start:end], tags[start:end])
                self._write(groups[index], embeddings[start:end], tags[start:end])
                start = end
        return [result for result in results if result is not None]

    def embed_windows(self, windows: np.ndarray, song_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(embeddings, tags) of windows laid out song after song (as a WindowSet is), cached per song."""
        song_ids = np.asarray(song_ids)
        if not len(windows):
            return self._embed(windows)
        starts = np.flatnonzero(np.r_[True, song_ids[1:] != song_ids[:-1]])
        bounds = [*starts.tolist(), len(windows)]
        groups = [windows[start:end] for start, end in itertools.pairwise(bounds)]
        pairs = self.embed_groups(groups)
        return np.concatenate([pair[0] for pair in pairs]), np.concatenate([pair[1] for pair in pairs])

    def _path(self, windows: np.ndarray) -> Path | None:
        if self._folder is None:
            return None
        digest = hashlib.sha256(f"{windows.shape}|{windows.dtype}|".encode())
        digest.update(np.ascontiguousarray(windows).tobytes())
        key = digest.hexdigest()
        return self._folder / key[:2] / f"{key}.npz"

    def _read(self, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
        path = self._path(windows)
        if path is None or not path.is_file():
            return None
        try:
            with np.load(path) as entry:
                return entry["embeddings"], entry["tags"]
        except (OSError, ValueError, KeyError) as error:
            logger.warning("Ignoring a damaged embedding cache entry %s: %s", path, error)
            return None

    def _write(self, windows: np.ndarray, embeddings: np.ndarray, tags: np.ndarray) -> None:
        path = self._path(windows)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                np.savez(out, embeddings=embeddings, tags=tags)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


@cache
def _network_key() -> str:
    """:data:`EMBEDDER_ID` and a hash of the installed musicnn package's MSD weights."""
    digest = hashlib.sha256(EMBEDDER_ID.encode())
    weights = resources.files("musicnn") / "MSD_musicnn"
    for entry in sorted(weights.iterdir(), key=lambda item: item.name):
        if entry.is_file():
            digest.update(entry.name.encode())
            digest.update(entry.read_bytes())
    return f"{EMBEDDER_ID}-{digest.hexdigest()[:16]}"
