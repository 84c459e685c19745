"""The command line: entry points, and flag defaults from GENRE_* variables."""

from __future__ import annotations

import json
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
    from genre_trainer import cli
    from genre_trainer.training import ladder

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


def test_publish_shipped_upgrades_its_own_model_and_keeps_one_put_there_by_hand(
    model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # docker compose runs `publish --shipped` at every start: a new image's model must reach a volume that
    # holds the previous image's, but a model trained or published there by hand must survive.
    import shutil

    from genre_trainer.artifacts.publish import SHIPPED_MARKER
    from genre_trainer.cli import main

    def version(folder: Path) -> str:
        return json.loads((folder / "manifest.json").read_text())["version"]

    def with_version(name: str, new_version: str) -> Path:
        folder = tmp_path / name
        shutil.copytree(model_dir, folder)
        manifest = json.loads((folder / "manifest.json").read_text())
        (folder / "manifest.json").write_text(json.dumps({**manifest, "version": new_version}))
        return folder

    old_image, new_image = with_version("old-image", "shipped-1"), with_version("new-image", "shipped-2")
    volume = tmp_path / "volume" / "current"

    def start(image: Path) -> str:
        assert main(["publish", "--from", str(image), "--to", str(volume), "--shipped"]) == 0
        return capsys.readouterr().out

    assert start(old_image).startswith("Published") and version(volume) == "shipped-1"
    assert (volume / SHIPPED_MARKER).is_file()
    assert "already there" in start(old_image) and version(volume) == "shipped-1"
    assert start(new_image).startswith("Upgraded") and version(volume) == "shipped-2"

    # An earlier image's model whose manifest this code can no longer read is still replaced.
    (volume / "manifest.json").write_text(json.dumps({"version": "shipped-2", "from_the_future": True}))
    assert start(old_image).startswith("Upgraded") and version(volume) == "shipped-1"
    assert start(new_image).startswith("Upgraded") and version(volume) == "shipped-2"
    # The same shipped model, damaged: replaced too.
    (volume / "manifest.json").write_text(json.dumps({"version": "shipped-2"}))
    assert start(new_image).startswith("Upgraded") and "already there" in start(new_image)

    # Published by hand (e.g. the other shipped model, chosen on purpose): kept at the next start.
    assert main(["publish", "--from", str(old_image), "--to", str(volume)]) == 0
    assert not (volume / SHIPPED_MARKER).exists()
    assert "by hand" in start(new_image) and version(volume) == "shipped-1"

    # Trained into the folder over a shipped model (the trainer replaces the folder; here, its manifest).
    shutil.rmtree(volume)
    assert start(new_image).startswith("Published")
    (volume / "manifest.json").write_text((volume / "manifest.json").read_text().replace("shipped-2", "trained-here"))
    assert "by hand" in start(new_image) and version(volume) == "trained-here"


@pytest.mark.parametrize(
    ("model", "pipeline", "own_flags"),
    [
        ("musicnn", "run_musicnn_training", {"music_detector", "mastering", "tags", "embedding_cache"}),
        ("cnn2d", "run_training", {"epochs", "patience", "recipe", "cross_validate_extra"}),
    ],
)
def test_train_hands_its_flags_to_the_models_pipeline(
    model: str, pipeline: str, own_flags: set[str], model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from genre_core.manifest import read_manifest
    from genre_core.preprocessing import PREPROCESSING_SETS
    from genre_trainer.cli import main
    from genre_trainer.training import pipeline as pipelines

    received: dict[str, object] = {}

    def fake_run(**kwargs: object) -> SimpleNamespace:
        received.update(kwargs)
        return SimpleNamespace(manifest=read_manifest(model_dir), artifact_dir=model_dir)

    monkeypatch.setattr(pipelines, pipeline, fake_run)
    arguments = ["train", "--model", model, "--data", "/data/x", "--out", "/out/y", "--seed", "7"]
    extra = ["--extra-data", "/data/more", "--extra-data", "/data/mine"]
    assert main([*arguments, "--train-on", "refit", "--limit-per-genre", "2", *extra]) == 0
    assert received["data_dir"] == Path("/data/x") and received["artifact_dir"] == Path("/out/y")
    assert (received["seed"], received["train_on"], received["limit_per_genre"]) == (7, "refit", 2)
    assert str(received["command"]).startswith(f"genre-trainer train --model {model}")
    common = {"data_dir", "artifact_dir", "seed", "train_on", "limit_per_genre", "command", "preprocessing"}
    common |= {"measurement_dir", "extra_dirs"}
    assert set(received) == {*common, *own_flags}
    assert received["extra_dirs"] == [Path("/data/more"), Path("/data/mine")]
    assert received["preprocessing"] == PREPROCESSING_SETS["bs1770-screened"]  # the default, for both models
