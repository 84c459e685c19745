"""A folder-per-genre dataset: finding its songs, and decoding them into log-mel windows.

Finding (:func:`scan_dataset`) only lists files, so that the split can be chosen, and a run limited,
before any audio is decoded. Decoding (:func:`decode_songs`) reads each file once through
:mod:`genre_core`, the same code the worker runs, so training and serving see identical features.
A file that cannot be decoded, or is shorter than one window, is skipped with a warning and
recorded; one bad file in a thousand must not cost a training run.
"""

from __future__ import annotations

import csv
import json
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from genre_core.audio import load_audio
from genre_core.errors import PipelineError
from genre_core.params import FeatureParams
from genre_core.preprocessing import NO_PREPROCESSING, Preprocessing, song_features

logger = logging.getLogger(__name__)

AUDIO_EXTENSIONS = frozenset({".wav", ".au", ".ogg", ".flac", ".mp3", ".m4a"})


@dataclass(frozen=True)
class SongFile:
    """One audio file of the dataset, labelled by the folder it is in."""

    song_id: str
    genre: str
    path: Path

    @property
    def name(self) -> str:
        """`genre/file.ext`: how reports refer to the file, independently of where the dataset is."""
        return f"{self.genre}/{self.path.name}"


@dataclass(frozen=True)
class Song:
    """A decoded song: its windows, shape (n_windows, n_mels, frames), in dB."""

    song_id: str
    genre: str
    windows: np.ndarray
    spectrogram: np.ndarray | None = None
    """The whole song's log-mel spectrogram (n_mels, frames), kept when random crops will be cut from it."""


@dataclass(frozen=True)
class DecodedSongs:
    songs: list[Song]
    skipped: list[str]
    """`genre/file.ext` of every file that could not be used."""


@dataclass(frozen=True)
class WindowSet:
    """Windows of some songs, stacked as the model consumes them, with the song each window came from."""

    x: np.ndarray
    """(n_windows, n_mels, frames, 1) float32."""
    y: np.ndarray
    """(n_windows,) label indices."""
    song_ids: np.ndarray
    """(n_windows,) the song id of each window."""

    def __len__(self) -> int:
        return len(self.y)

    @property
    def songs(self) -> int:
        return len(np.unique(self.song_ids))


def genre_folder_root(root: Path) -> Path:
    """The folder whose subfolders are genres: `ROOT/genres` when it exists (GTZAN's layout), else `ROOT`."""
    nested = root / "genres"
    return nested if nested.is_dir() else root


def scan_dataset(root: str | Path) -> list[SongFile]:
    """Every audio file under `root/<genre>/` (or `root/genres/<genre>/`), sorted by genre then id.

    The song id is the file stem when it already names the genre (GTZAN's `blues.00000`), else
    `genre/stem`, so that ids are unique across genres. Two files with the same id (e.g. the same
    song as .wav and .mp3) would be one song on both sides of a split: only the first is kept.

    Raises:
        FileNotFoundError: `root` is not a folder or holds no audio in genre folders.
    """
    root = Path(root)
    if not root.is_dir():
        raise FileNotFoundError(f"Dataset folder {root} does not exist")
    songs: dict[str, SongFile] = {}
    for genre_dir in sorted(path for path in genre_folder_root(root).iterdir() if _is_genre_dir(path)):
        genre = genre_dir.name
        for path in sorted(genre_dir.iterdir()):
            if path.suffix.lower() not in AUDIO_EXTENSIONS or path.name.startswith(".") or not path.is_file():
                continue
            song = SongFile(song_id=_song_id(genre, path), genre=genre, path=path)
            if song.song_id in songs:
                logger.warning("Ignoring %s: song %s is already %s", song.name, song.song_id, songs[song.song_id].name)
                continue
            songs[song.song_id] = song
    if not songs:
        extensions = ", ".join(sorted(AUDIO_EXTENSIONS))
        raise FileNotFoundError(f"No audio files ({extensions}) in genre folders under {root}")
    return list(songs.values())


def scan_source(source: str | Path) -> list[SongFile]:
    """A dataset folder (:func:`scan_dataset`) or a `.csv`/`.json` list of `path,label` (:func:`read_file_list`)."""
    source = Path(source)
    if source.is_file() and source.suffix.lower() in {".csv", ".json"}:
        return read_file_list(source)
    return scan_dataset(source)


ARTIST_FILES = ("manifest.csv", "metadata.csv")
"""A dataset folder may name each file's artist in one of these: a CSV with `file` (relative to the folder) and
`artist` columns. Splits then keep each artist on one side."""


def read_artists(root: str | Path, songs: Iterable[SongFile]) -> dict[str, str]:
    """Song id -> artist, from the first of :data:`ARTIST_FILES` in `root` that has `file` and `artist`
    columns; empty when there is none. Songs the file does not name are left out of the mapping."""
    root = Path(root)
    by_path = {song.path.resolve(): song.song_id for song in songs}
    for name in ARTIST_FILES:
        table = root / name
        if not table.is_file():
            continue
        with table.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        if not rows or not {"file", "artist"} <= set(rows[0]):
            continue
        artists = {}
        for row in rows:
            song_id = by_path.get((root / row["file"]).resolve())
            if song_id is not None and row["artist"].strip():
                artists[song_id] = row["artist"].strip()
        return artists
    return {}


def read_file_list(list_file: str | Path) -> list[SongFile]:
    """Songs from a CSV (header `path,label`) or JSON (`[{"path": ..., "label": ...}]`) file list.

    Lets a dataset that is not laid out folder-per-genre be used as is. Relative paths are relative to
    the list's folder, so the list travels with the audio. Duplicate ids keep the first file, as in a folder.

    Raises:
        FileNotFoundError: the list names no file.
    """
    list_file = Path(list_file)
    if list_file.suffix.lower() == ".json":
        rows = json.loads(list_file.read_text())
    else:
        with list_file.open(newline="") as handle:
            rows = list(csv.DictReader(handle))
    songs: dict[str, SongFile] = {}
    for row in rows:
        path = Path(row["path"])
        path = path if path.is_absolute() else list_file.parent / path
        genre = str(row["label"]).strip()
        song = SongFile(song_id=_song_id(genre, path), genre=genre, path=path)
        songs.setdefault(song.song_id, song)
    if not songs:
        raise FileNotFoundError(f"{list_file} lists no files")
    return sorted(songs.values(), key=lambda song: (song.genre, song.song_id))


def genres_of(songs: Iterable[SongFile]) -> list[str]:
    """The labels, in the order of the model's outputs: the genre folder names, sorted."""
    return sorted({song.genre for song in songs})


def decode_songs(
    files: Sequence[SongFile],
    params: FeatureParams,
    keep_spectrograms: bool = False,
    preprocessing: Preprocessing = NO_PREPROCESSING,
) -> DecodedSongs:
    """Decode each file once, prepare it as `preprocessing` says and cut it into windows; unusable files are
    logged and listed, not raised.

    The windows are those the worker classifies (:func:`genre_core.preprocessing.song_features`): windows of
    silence are left out, as they do not vote in the worker either. With `keep_spectrograms` each song's whole
    spectrogram is kept too, for random crops.
    """
    songs: list[Song] = []
    skipped: list[str] = []
    started = time.monotonic()
    report_every = max(1, len(files) // 10)
    for index, file in enumerate(files, start=1):
        try:
            features = song_features(load_audio(file.path, params.sample_rate), params, preprocessing)
        except (PipelineError, OSError) as error:
            logger.warning("Skipping %s: %s", file.name, error)
            skipped.append(file.name)
        else:
            kept = features.spectrogram if keep_spectrograms else None
            windows = features.windows[~features.silent]
            songs.append(Song(song_id=file.song_id, genre=file.genre, windows=windows, spectrogram=kept))
        if index % report_every == 0 or index == len(files):
            logger.info("Decoded %d/%d files (%.0f s)", index, len(files), time.monotonic() - started)
    return DecodedSongs(songs=songs, skipped=skipped)


def stack_windows(songs: Sequence[Song], labels: Sequence[str], params: FeatureParams) -> WindowSet:
    """All windows of `songs` in one array with a channel axis, labelled by index into `labels`."""
    index_of = {label: index for index, label in enumerate(labels)}
    n_mels, frames = params.input_shape
    if not songs:
        return WindowSet(
            x=np.empty((0, n_mels, frames, 1), dtype=np.float32),
            y=np.empty(0, dtype=np.int64),
            song_ids=np.empty(0, dtype=object),
        )
    x = np.concatenate([song.windows for song in songs])[..., np.newaxis]
    y = np.concatenate([np.full(len(song.windows), index_of[song.genre], dtype=np.int64) for song in songs])
    song_ids = np.concatenate([np.full(len(song.windows), song.song_id, dtype=object) for song in songs])
    return WindowSet(x=x.astype(np.float32, copy=False), y=y, song_ids=song_ids)


def _is_genre_dir(path: Path) -> bool:
    return path.is_dir() and not path.name.startswith((".", "_"))


def _song_id(genre: str, path: Path) -> str:
    return path.stem if path.stem.startswith(f"{genre}.") else f"{genre}/{path.stem}"
