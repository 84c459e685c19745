"""The command line: entry points, and flag defaults from GENRE_* variables."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from genre_trainer.cli import build_parser
from genre_trainer.settings import TrainerSettings


def test_module_entry_point_prints_help() -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "genre_trainer", "train", "--help"], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0
    assert "--limit-per-genre" in completed.stdout and "--train-on" in completed.stdout


def test_the_cli_lists_every_model_of_the_ladder() -> None:
    # The CLI repeats the ladder's names to keep --help free of TensorFlow; a model added to one list only
    # was once left out of every `run-all` (the musicnn row).
    from genre_trainer import cli, ladder

    assert cli.MODEL_NAMES == ladder.MODEL_NAMES
    assert set(cli.DEFAULT_LEAKY_MODELS) == {*ladder.CLASSICAL_MODELS, "mlp"}


def test_flags_default_to_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GENRE_DATA_DIR", "/data/gtzan")
    monkeypatch.setenv("GENRE_ARTIFACT_DIR", "/artifacts/default")
    monkeypatch.setenv("GENRE_EPOCHS", "7")

    args = build_parser(TrainerSettings()).parse_args(["train"])

    assert (args.data, args.out, args.epochs, args.train_on) == (
        Path("/data/gtzan"),
        Path("/artifacts/default"),
        7,
        "train",
    )


def test_data_is_required_without_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GENRE_DATA_DIR", raising=False)
    with pytest.raises(SystemExit):
        build_parser(TrainerSettings()).parse_args(["train", "--out", "x"])


def test_publish_if_missing_keeps_a_model_already_there(model_dir: Path, tmp_path: Path) -> None:
    from genre_trainer.cli import main

    destination = tmp_path / "current"
    assert main(["publish", "--from", str(model_dir), "--to", str(destination), "--if-missing"]) == 0
    published = (destination / "manifest.json").read_text()
    assert published == (model_dir / "manifest.json").read_text()
    # A model trained into the destination later is not overwritten by the next start-up publish.
    (destination / "manifest.json").write_text(published.replace('"version": "', '"version": "retrained-'))
    assert main(["publish", "--from", str(model_dir), "--to", str(destination), "--if-missing"]) == 0
    assert '"version": "retrained-' in (destination / "manifest.json").read_text()
