"""The results of earlier `classify DIR` runs, so a stopped run goes on where it was and a second run is free.

One SQLite file (GENRE_CLASSIFY_CACHE, `--cache`): a row per file and model version, kept only while the file
has the size and modification time it had when classified. SQLite rather than a JSON-lines file because two
runs at once (two terminals, two folders) may write to it, and a lookup should not read every line.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from genre_worker.cli.rows import Classification

SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    path TEXT NOT NULL,
    model_version TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    classification TEXT NOT NULL,
    PRIMARY KEY (path, model_version)
)
"""


@dataclass(frozen=True)
class FileKey:
    """A file as it is now: its real path, size and modification time (nanoseconds)."""

    path: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> FileKey:
        """Raises: OSError when the file cannot be read."""
        status = path.stat()
        return cls(str(path.resolve()), status.st_size, status.st_mtime_ns)


class ResultCache:
    def __init__(self, database: Path) -> None:
        database.parent.mkdir(parents=True, exist_ok=True)
        # Committed row by row (autocommit): a run killed at any moment keeps every file it finished.
        self._connection = sqlite3.connect(database, timeout=30, isolation_level=None)
        # WAL: other runs read while one writes; NORMAL sync is safe in WAL mode and skips an fsync per row.
        self._connection.execute("PRAGMA journal_mode=WAL")
        self._connection.execute("PRAGMA synchronous=NORMAL")
        self._connection.execute(SCHEMA)

    def get(self, key: FileKey, model_version: str) -> Classification | None:
        """The classification of this file by this model, if the file has not changed since."""
        row = self._connection.execute(
            "SELECT classification FROM results WHERE path = ? AND model_version = ? AND size = ? AND mtime_ns = ?",
            (key.path, model_version, key.size, key.mtime_ns),
        ).fetchone()
        if row is None:
            return None
        try:
            return Classification.model_validate_json(row[0])
        except ValidationError:
            return None  # written by a version of this program that recorded something else: classify again

    def put(self, key: FileKey, classification: Classification) -> None:
        """Remember `classification` for the file as it is now, replacing what its older contents had."""
        self._connection.execute(
            "INSERT OR REPLACE INTO results (path, model_version, size, mtime_ns, classification) "
            "VALUES (?, ?, ?, ?, ?)",
            (key.path, classification.model_version, key.size, key.mtime_ns, classification.model_dump_json()),
        )

    def close(self) -> None:
        self._connection.close()
