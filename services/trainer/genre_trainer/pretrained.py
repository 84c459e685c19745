"""Pretrained musicnn embeddings of the ladder's windows: the input of its transfer-learning baseline.

Each window of :class:`~genre_trainer.feature_store.Features` (same song, same start) gets the 1506-value
embedding of the MSD musicnn network, computed from the song decoded at musicnn's own 16 kHz with musicnn's
own log-mel (see :mod:`genre_trainer.musicnn`): what pretrained weights give on this data, beside the models
trained from scratch. `genre-trainer train --model musicnn` ships the same idea as a served model.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from genre_core.audio import load_audio
from genre_trainer import musicnn
from genre_trainer.dataset import SongFile
from genre_trainer.feature_store import Features, cache_key
from genre_trainer.windows import WindowOptions

logger = logging.getLogger(__name__)

INPUT_KIND = "musicnn"
CACHE_VERSION = 2
"""2: the input is genre_core's musicnn-16k log-mel (1: librosa's, with the power rounded to float16)."""


def add_musicnn_embeddings(
    features: Features, files: Sequence[SongFile], options: WindowOptions, cache_dir: Path | None
) -> None:
    """Put each window's musicnn embedding into `features.inputs["musicnn"]` (from `cache_dir` if computed before)."""
    cache_file = None
    if cache_dir is not None:
        cache_file = cache_dir / f"{cache_key(files, options)}-musicnn-v{CACHE_VERSION}.npy"
        if cache_file.is_file():
            logger.info("musicnn embeddings from cache %s", cache_file)
            features.inputs[INPUT_KIND] = np.load(cache_file)
            return
    features.inputs[INPUT_KIND] = window_embeddings(features, files, options)
    if cache_file is not None:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        partial = cache_file.with_suffix(".partial.npy")
        np.save(partial, features.inputs[INPUT_KIND])
        partial.replace(cache_file)


def window_embeddings(features: Features, files: Sequence[SongFile], options: WindowOptions) -> np.ndarray:
    """(windows, 1506) embeddings, row for row the windows of `features`."""
    network = musicnn.load_msd_musicnn()
    path_of = {file.song_id: file.path for file in files}
    hop_seconds = options.hop_samples / options.params.sample_rate
    windows_per_song = np.bincount(features.window_song, minlength=len(features.song_ids))
    rows = []
    started = time.monotonic()
    # The ladder's windows of a song start every hop from its first sample (genre_core.features.hopped_window_starts).
    for index, (song_id, windows) in enumerate(zip(features.song_ids, windows_per_song, strict=True)):
        spectrogram = musicnn.musicnn_input(load_audio(path_of[str(song_id)], musicnn.SAMPLE_RATE))
        patches = np.stack([_patch(spectrogram, window * hop_seconds) for window in range(windows)])
        rows.append(network.predict(patches, batch_size=64, verbose=0)["embedding"])
        if (index + 1) % 50 == 0:
            logger.info(
                "musicnn embeddings: %d/%d songs (%.0f s)",
                index + 1,
                len(features.song_ids),
                time.monotonic() - started,
            )
    return np.concatenate(rows).astype(np.float32) if rows else np.empty((0, musicnn.EMBEDDING_SIZE), np.float32)


def _patch(spectrogram: np.ndarray, start_seconds: float) -> np.ndarray:
    # The last window of a song can end a frame or two past musicnn's spectrogram: pad with its last frame.
    start = musicnn.patch_start(start_seconds)
    patch = spectrogram[start : start + musicnn.PATCH_FRAMES]
    if len(patch) < musicnn.PATCH_FRAMES:
        patch = np.pad(patch, ((0, musicnn.PATCH_FRAMES - len(patch)), (0, 0)), mode="edge")
    return patch
