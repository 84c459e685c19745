"""Every song's windows, computed once and cached on disk, with a per-file record of what was usable.

Decoding and feature extraction are the slow part of a ladder run that trains ten models, and they do not
change between runs; the cache is keyed by a hash of the window options and of the file list (names, sizes,
modification times), so changing either recomputes, and nothing else does. A file that cannot be decoded or is
shorter than one window is recorded as unusable with its reason and skipped, never fatal.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import soundfile
from tqdm import tqdm

from genre_core.audio import load_audio
from genre_core.errors import PipelineError
from genre_trainer.data.dataset import SongFile, WindowSet
from genre_trainer.data.windows import KINDS, WindowOptions, song_inputs

logger = logging.getLogger(__name__)

CACHE_FORMAT = 1


@dataclass(frozen=True)
class FileRecord:
    """What `prepare` learnt about one file."""

    name: str
    song_id: str
    genre: str
    duration_seconds: float | None
    sample_rate: int | None
    """The file's own rate where libsndfile can tell it; None for formats only ffmpeg reads."""
    windows: int
    usable: bool
    reason: str = ""


@dataclass
class Features:
    """All windows of the usable songs; `window_song[i]` is the index of window i's song in `song_ids`."""

    song_ids: np.ndarray
    genres: np.ndarray
    window_song: np.ndarray
    inputs: dict[str, np.ndarray]
    files: list[FileRecord]

    @property
    def skipped(self) -> list[str]:
        return [record.name for record in self.files if not record.usable]

    @property
    def window_song_ids(self) -> np.ndarray:
        return self.song_ids[self.window_song]

    @property
    def window_genres(self) -> np.ndarray:
        return self.genres[self.window_song]

    def windows_of(self, song_ids: Sequence[str]) -> np.ndarray:
        """Indices of every window of `song_ids`."""
        return np.flatnonzero(np.isin(self.window_song_ids, list(song_ids)))

    def window_set(self, kind: str, indices: np.ndarray, labels: Sequence[str]) -> WindowSet:
        """The windows at `indices` as one model input kind; `mel` gets the channel axis the 2D CNN expects."""
        index_of = {label: index for index, label in enumerate(labels)}
        x = self.inputs[kind][indices]
        if kind == "mel":
            x = x[..., np.newaxis]
        y = np.array([index_of[genre] for genre in self.window_genres[indices]], dtype=np.int64)
        return WindowSet(x=x, y=y, song_ids=self.window_song_ids[indices].astype(object))


def cache_key(files: Sequence[SongFile], options: WindowOptions) -> str:
    """Hash of the options and the file list; any change to either gives another cache file."""
    listing = []
    for file in files:
        try:
            stat = file.path.stat()
            listing.append([file.name, file.song_id, file.genre, stat.st_size, stat.st_mtime_ns])
        except OSError:
            listing.append([file.name, file.song_id, file.genre, None, None])
    text = json.dumps({"format": CACHE_FORMAT, "options": options.key(), "files": listing}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def load_features(
    files: Sequence[SongFile], options: WindowOptions, cache_dir: Path | None, progress: bool = True
) -> Features:
    """The features of `files`, from `cache_dir` when computed before with the same options, else computed now."""
    key = cache_key(files, options)
    if cache_dir is not None and (cache_dir / f"{key}.npz").is_file():
        logger.info("Features from cache %s", cache_dir / f"{key}.npz")
        return _read(cache_dir, key)
    features = compute_features(files, options, progress=progress)
    if cache_dir is not None:
        _write(features, cache_dir, key)
    return features


def compute_features(files: Sequence[SongFile], options: WindowOptions, progress: bool = True) -> Features:
    """Decode every file once through genre_core and cut it into windows of every input kind."""
    records: list[FileRecord] = []
    per_song: list[dict[str, np.ndarray]] = []
    song_ids, genres = [], []
    for file in tqdm(files, desc="Features", unit="file", disable=not progress):
        record, inputs = _file_inputs(file, options)
        records.append(record)
        if inputs is not None:
            per_song.append(inputs)
            song_ids.append(file.song_id)
            genres.append(file.genre)
    skipped = [record for record in records if not record.usable]
    if skipped:
        logger.warning("Skipped %d of %d files: %s", len(skipped), len(records), ", ".join(r.name for r in skipped))
    counts = [len(inputs["mel"]) for inputs in per_song]
    return Features(
        song_ids=np.array(song_ids, dtype=str),
        genres=np.array(genres, dtype=str),
        window_song=np.repeat(np.arange(len(counts)), counts).astype(np.int64),
        inputs={kind: _stack([inputs[kind] for inputs in per_song]) for kind in KINDS},
        files=records,
    )


def _file_inputs(file: SongFile, options: WindowOptions) -> tuple[FileRecord, dict[str, np.ndarray] | None]:
    sample_rate = _native_rate(file.path)
    duration = None
    try:
        audio = load_audio(file.path, options.params.sample_rate)
        duration = len(audio) / options.params.sample_rate
        inputs = song_inputs(audio, options)
    except (PipelineError, OSError) as error:
        logger.warning("Skipping %s: %s", file.name, error)
        duration = None if duration is None else round(duration, 3)
        return FileRecord(file.name, file.song_id, file.genre, duration, sample_rate, 0, False, str(error)), None
    windows = len(inputs["mel"])
    return FileRecord(file.name, file.song_id, file.genre, round(duration, 3), sample_rate, windows, True), inputs


def _native_rate(path: Path) -> int | None:
    try:
        return int(soundfile.info(path).samplerate)
    except (soundfile.LibsndfileError, RuntimeError, TypeError, OSError):
        return None


def _stack(arrays: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(arrays) if arrays else np.empty((0,), dtype=np.float32)


def _write(features: Features, cache_dir: Path, key: str) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cache_dir / f".{key}.{os.getpid()}.npz"
    np.savez(
        partial,
        song_ids=features.song_ids,
        genres=features.genres,
        window_song=features.window_song,
        **{f"input_{kind}": array for kind, array in features.inputs.items()},
    )
    (cache_dir / f"{key}.json").write_text(json.dumps([asdict(record) for record in features.files], indent=1))
    partial.replace(cache_dir / f"{key}.npz")  # last: a cache file that exists is complete
    logger.info("Cached features in %s", cache_dir / f"{key}.npz")


def _read(cache_dir: Path, key: str) -> Features:
    with np.load(cache_dir / f"{key}.npz", allow_pickle=False) as stored:
        arrays = {name: stored[name] for name in stored.files}
    records = [FileRecord(**record) for record in json.loads((cache_dir / f"{key}.json").read_text())]
    return Features(
        song_ids=arrays["song_ids"],
        genres=arrays["genres"],
        window_song=arrays["window_song"],
        inputs={kind: arrays[f"input_{kind}"] for kind in KINDS},
        files=records,
    )
