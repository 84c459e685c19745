"""A directory is replaced whole or not at all."""

from __future__ import annotations

from pathlib import Path

import pytest

from genre_trainer.artifacts.atomic_dir import staged_directory


def test_staged_directory_replaces_the_destination(tmp_path: Path) -> None:
    destination = tmp_path / "model"
    destination.mkdir()
    (destination / "old.txt").write_text("old")

    with staged_directory(destination) as staging:
        (staging / "new.txt").write_text("new")
        assert (destination / "old.txt").exists()  # untouched until the block succeeds

    assert [path.name for path in destination.iterdir()] == ["new.txt"]
    assert [path.name for path in tmp_path.iterdir()] == ["model"]
    assert destination.stat().st_mode & 0o777 == 0o755


def test_failure_leaves_the_destination_alone(tmp_path: Path) -> None:
    destination = tmp_path / "model"
    destination.mkdir()
    (destination / "old.txt").write_text("old")

    with pytest.raises(RuntimeError), staged_directory(destination) as staging:
        (staging / "half.txt").write_text("half")
        raise RuntimeError("export failed")

    assert [path.name for path in destination.iterdir()] == ["old.txt"]
    assert [path.name for path in tmp_path.iterdir()] == ["model"]
