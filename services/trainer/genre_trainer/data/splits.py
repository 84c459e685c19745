"""Song-level splits: which songs train the model, which select it, which are kept for testing.

Splitting is by song, never by window: the windows of one song are near-duplicates, and a song on
both sides would make validation measure memory instead of generalisation. GTZAN additionally holds
several songs per artist and some replicated clips, so a random split of GTZAN still leaks; where the
songs are GTZAN's, the published fault-filtered, artist-disjoint split is used instead.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources

import numpy as np
from sklearn.model_selection import StratifiedGroupKFold, StratifiedKFold, train_test_split

from genre_trainer.errors import TrainerError

logger = logging.getLogger(__name__)

PARTS = ("train", "valid", "test")
SPLIT_CHOICES = ("auto", "gtzan-filtered", "stratified", "kfold", "leaky-windows")
"""`auto`: gtzan-filtered for GTZAN clip ids, else stratified. `leaky-windows` splits windows, not songs."""
GTZAN_FILTERED = "gtzan-filtered"
GTZAN_GENRES = ("blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock")
_GTZAN_ID = re.compile(rf"^({'|'.join(GTZAN_GENRES)})\.000\d\d$")


@dataclass(frozen=True)
class Split:
    """Song ids per part; a song is in at most one part."""

    name: str
    parts: dict[str, list[str]]

    def __post_init__(self) -> None:
        seen: dict[str, str] = {}
        for part, song_ids in self.parts.items():
            for song_id in song_ids:
                if song_id in seen:
                    raise ValueError(f"Song {song_id} is in both {seen[song_id]} and {part}")
                seen[song_id] = part

    def limited(self, per_genre: int, genre_of: dict[str, str]) -> Split:
        """The first `per_genre` songs of each genre in each part: a small run that keeps every part populated."""
        parts: dict[str, list[str]] = {}
        for part, song_ids in self.parts.items():
            taken: dict[str, int] = {}
            parts[part] = []
            for song_id in song_ids:
                genre = genre_of[song_id]
                if taken.get(genre, 0) < per_genre:
                    taken[genre] = taken.get(genre, 0) + 1
                    parts[part].append(song_id)
        return Split(name=f"{self.name} (at most {per_genre} per genre and part)", parts=parts)


def split_songs(song_ids: Sequence[str], genres: Sequence[str], seed: int, valid_fraction: float = 0.2) -> Split:
    """The GTZAN filtered split if these are GTZAN songs, else a stratified random split by song."""
    if is_gtzan(song_ids, genres):
        return gtzan_filtered_split(song_ids)
    return stratified_split(song_ids, genres, seed=seed, valid_fraction=valid_fraction)


def choose_split(
    method: str, song_ids: Sequence[str], genres: Sequence[str], seed: int, folds: int = 5, fold: int = 0
) -> Split:
    """The song-level split named by `--split`; `leaky-windows` starts from the `auto` split's song list.

    Raises:
        TrainerError: `gtzan-filtered` for songs that are not GTZAN clips, or a split that cannot be made.
    """
    if method in ("auto", "leaky-windows"):
        return split_songs(song_ids, genres, seed=seed)
    if method == "gtzan-filtered":
        if not is_gtzan(song_ids, genres):
            raise TrainerError("--split gtzan-filtered needs GTZAN clip ids (blues.00042) in their genre folders")
        return gtzan_filtered_split(song_ids)
    if method == "stratified":
        return stratified_split(song_ids, genres, seed=seed)
    if method == "kfold":
        return kfold_split(song_ids, genres, folds=folds, fold=fold, seed=seed)
    raise TrainerError(f"Unknown split {method!r}; choose one of {', '.join(SPLIT_CHOICES)}")


def is_gtzan(song_ids: Sequence[str], genres: Sequence[str]) -> bool:
    """Whether every song is named like a GTZAN clip (`blues.00042`) and sits in its genre's folder."""
    return bool(song_ids) and all(
        _GTZAN_ID.match(song_id) and song_id.split(".")[0] == genre
        for song_id, genre in zip(song_ids, genres, strict=True)
    )


def gtzan_filtered_split(song_ids: Sequence[str]) -> Split:
    """The published split restricted to the songs present; songs outside it (GTZAN's faulty clips) are left out."""
    present = set(song_ids)
    parts = {part: [song_id for song_id in load_gtzan_list(part) if song_id in present] for part in PARTS}
    assigned = sum(len(ids) for ids in parts.values())
    if assigned < len(present):
        logger.info("%d songs are outside the GTZAN filtered split and are not used", len(present) - assigned)
    return Split(name=GTZAN_FILTERED, parts=parts)


def load_gtzan_list(part: str) -> list[str]:
    """One part of the published split, as shipped in `genre_trainer/data/gtzan_filtered/` (see PROVENANCE.md)."""
    text = resources.files("genre_trainer.data").joinpath("gtzan_filtered", f"{part}.txt").read_text()
    return [line.strip() for line in text.splitlines() if line.strip()]


def stratified_split(song_ids: Sequence[str], genres: Sequence[str], seed: int, valid_fraction: float = 0.2) -> Split:
    """`valid_fraction` of each genre's songs for validation, the rest for training; reproducible by `seed`.

    There is no test part: a dataset without a published split gets all its songs used, and its
    validation figures are optimistic by the model selection done on them.
    """
    try:
        train, valid = train_test_split(
            list(song_ids), test_size=valid_fraction, random_state=seed, shuffle=True, stratify=list(genres)
        )
    except ValueError as error:  # e.g. a genre with a single song cannot be on both sides
        raise TrainerError(f"Cannot split {len(song_ids)} songs by genre: {error}") from error
    return Split(
        name=f"stratified (valid {valid_fraction:g}, seed {seed})",
        parts={"train": sorted(train), "valid": sorted(valid)},
    )


def kfold_split(song_ids: Sequence[str], genres: Sequence[str], folds: int, fold: int, seed: int) -> Split:
    """Fold `fold` (0-based) of a stratified k-fold over songs as valid, the other folds as train.

    Every song is in exactly one fold's validation part, so running all folds scores each song once.
    """
    if not 0 <= fold < folds:
        raise TrainerError(f"Fold {fold} does not exist in {folds} folds (0 to {folds - 1})")
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    ids = np.array(song_ids)
    try:
        train_index, valid_index = list(splitter.split(ids, list(genres)))[fold]
    except ValueError as error:
        raise TrainerError(f"Cannot cut {len(ids)} songs into {folds} stratified folds: {error}") from error
    return Split(
        name=f"{folds}-fold by song (fold {fold}, seed {seed})",
        parts={"train": sorted(ids[train_index].tolist()), "valid": sorted(ids[valid_index].tolist())},
    )


def group_folds(
    song_ids: Sequence[str], genres: Sequence[str], groups: dict[str, str], folds: int, seed: int
) -> dict[str, int]:
    """Song id -> fold (0-based) of a stratified k-fold that keeps each group (an artist) in one fold; a song
    without a group is a group of its own. Fewer folds are cut when there are fewer groups than `folds`.

    Raises:
        TrainerError: fewer than two groups, so no fold can be held out.
    """
    ids = list(song_ids)
    song_groups = [groups.get(song_id, f"song:{song_id}") for song_id in ids]
    n_folds = min(folds, len(set(song_groups)))
    if n_folds < 2:
        raise TrainerError(f"Cannot cut {len(ids)} songs of {len(set(song_groups))} artist(s) into folds")
    splitter = StratifiedGroupKFold(n_splits=n_folds, shuffle=True, random_state=seed)
    fold_of: dict[str, int] = {}
    for fold, (_, held_out) in enumerate(splitter.split(ids, list(genres), song_groups)):
        fold_of.update({ids[index]: fold for index in held_out})
    return fold_of


def leaky_window_parts(window_genres: np.ndarray, seed: int, valid_fraction: float = 0.2) -> dict[str, np.ndarray]:
    """The study's mistake, kept to be measured: windows split at random, so a song's windows land on both sides.

    Windows of one song are near-duplicates (same recording, mix, instruments), so validation then
    rewards remembering songs rather than recognising genres. Only `--split leaky-windows` uses this.
    """
    indices = np.arange(len(window_genres))
    train, valid = train_test_split(
        indices, test_size=valid_fraction, random_state=seed, shuffle=True, stratify=window_genres
    )
    return {"train": np.sort(train), "valid": np.sort(valid)}
