"""Pretrained musicnn embeddings of the ladder's windows: the input of its transfer-learning baseline.

Each window of :class:`~genre_trainer.data.feature_store.Features` (same song, same start) gets the 1506-value
embedding of the MSD musicnn network, computed exactly as `genre-trainer train --model musicnn` and the
worker compute it: the song decoded at 16 kHz, genre_core's `musicnn-16k` log-mel, its window cut by
:func:`genre_core.features.slice_windows_at`, and :func:`genre_trainer.models.transfer.embed` (the served model's
embedder). So the ladder's row is the default model's recipe on the ladder's windows, not a look-alike.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from genre_core.audio import load_audio
from genre_core.features import log_mel, slice_windows_at
from genre_trainer.data.dataset import SongFile
from genre_trainer.data.feature_store import Features, cache_key
from genre_trainer.data.windows import WindowOptions
from genre_trainer.models import musicnn, transfer

logger = logging.getLogger(__name__)

INPUT_KIND = "musicnn"
CACHE_VERSION = 3
"""3: the served embedder on genre_core's windows (2: musicnn's own 187-frame patches; 1: librosa's log-mel)."""


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
    embedder = transfer.build_embedder()
    params = transfer.PARAMS
    path_of = {file.song_id: file.path for file in files}
    windows_per_song = np.bincount(features.window_song, minlength=len(features.song_ids))
    rows = []
    started = time.monotonic()
    # The ladder's windows of a song start every hop from its first sample (genre_core.features.hopped_window_starts).
    hop_seconds = options.hop_samples / options.params.sample_rate
    for index, (song_id, windows) in enumerate(zip(features.song_ids, windows_per_song, strict=True)):
        audio = load_audio(path_of[str(song_id)], params.sample_rate)
        starts = np.round(np.arange(windows) * hop_seconds * params.sample_rate).astype(np.int64)
        # The ladder cut its windows at another sample rate: the last one can end a frame past this spectrogram.
        spectrogram = _padded_to(log_mel(audio, params), starts[-1] // params.hop_length + params.frames_per_window)
        rows.append(transfer.embed(embedder, slice_windows_at(spectrogram, starts, params)[..., np.newaxis]))
        if (index + 1) % 50 == 0:
            logger.info(
                "musicnn embeddings: %d/%d songs (%.0f s)",
                index + 1,
                len(features.song_ids),
                time.monotonic() - started,
            )
    return np.concatenate(rows).astype(np.float32) if rows else np.empty((0, musicnn.EMBEDDING_SIZE), np.float32)


def _padded_to(spectrogram: np.ndarray, frames: int) -> np.ndarray:
    # Repeats the last frame, as musicnn's own batching did.
    missing = frames - spectrogram.shape[1]
    return np.pad(spectrogram, ((0, 0), (0, missing)), mode="edge") if missing > 0 else spectrogram
