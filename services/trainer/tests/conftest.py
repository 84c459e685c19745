"""Shared fixtures: a tiny dataset made of a few real GTZAN clips plus a corrupt file, and a tiny extra dataset of
real recordings by other artists."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

TINY_GENRES = ("blues", "classical", "metal")
CORRUPT_FILE = "blues/blues.00031.ogg"
"""A train-part id of the GTZAN split, so the split assigns it and decoding must skip it."""


@pytest.fixture(scope="session")
def corrupt_file() -> str:
    """`genre/file` of the garbage file in :func:`tiny_dataset`, as the trainer reports skipped files."""
    return CORRUPT_FILE


@pytest.fixture(scope="session")
def tiny_dataset(gtzan_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ROOT/<genre>/` with 2 train and 2 valid real clips of 3 genres (symlinks), and one garbage `.ogg`."""
    root = tmp_path_factory.mktemp("tiny-gtzan")
    with (gtzan_dir / "manifest.csv").open() as handle:
        clips = list(csv.DictReader(handle))
    for genre in TINY_GENRES:
        (root / genre).mkdir()
        for part in ("train", "valid"):
            chosen = [clip for clip in clips if clip["genre"] == genre and clip["split"] == part][:2]
            for clip in chosen:
                source = gtzan_dir / clip["file"]
                (root / genre / source.name).symlink_to(source)
    corrupt = root / CORRUPT_FILE
    assert not corrupt.exists(), "the corrupt file must not shadow a chosen clip"
    corrupt.write_bytes(b"OggS" + bytes(range(256)) * 8)
    return root


EXTRA_CLIPS = ("MT0000044741", "MT0001521543", "MT0007147603", "MT0026795261")
"""Four 4Q-MER blues recordings by three artists (Buddy Guy twice)."""


@pytest.fixture(scope="session")
def tiny_extra_dataset(gtzan_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`ROOT/blues/` with four real recordings that are not GTZAN, and a manifest.csv naming their artists."""
    source_dir = gtzan_dir.parent / "extra" / "4q-mer"
    if not (source_dir / "manifest.csv").is_file():
        pytest.skip(f"4Q-MER clips not found at {source_dir}")
    root = tmp_path_factory.mktemp("tiny-extra")
    with (source_dir / "manifest.csv").open() as handle:
        rows = [row for row in csv.DictReader(handle) if row["clip"] in EXTRA_CLIPS]
    (root / "blues").mkdir()
    for row in rows:
        (root / row["file"]).symlink_to(source_dir / row["file"])
    with (root / "manifest.csv").open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["file", "artist"])
        writer.writeheader()
        writer.writerows({"file": row["file"], "artist": row["artist"]} for row in rows)
    return root
