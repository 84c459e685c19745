"""One tiny real training run (3 genres, 4 songs each, one corrupt file, 2 epochs) and checks on its artifact."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from genre_core.errors import IncompatibleModel
from genre_core.manifest import MANIFEST_FILE, ensure_compatible, read_manifest
from genre_core.params import DEFAULT_FEATURE_PARAMS
from genre_trainer.artifacts.export import MODEL_FILE, check_parity
from genre_trainer.artifacts.litert import litert_predict
from genre_trainer.cli import main
from genre_trainer.data.batches import Augmentation
from genre_trainer.evaluation.report import CONFUSION_FIGURE, REPORT_FILE
from genre_trainer.training.pipeline import TrainingRun, run_training
from genre_trainer.training.train import Recipe

# The shipped recipe's kind of run (random crops, augmentation, weight averaging), kept tiny.
RECIPE = Recipe(
    crops_per_epoch=48,
    augmentation=Augmentation(mixup_alpha=0.2, frequency_masks=1, time_masks=1, gain_db=6, label_smoothing=0.1),
    ema_momentum=0.9,
    selection="last-epoch",
)


@pytest.fixture(scope="module")
def run(tiny_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> TrainingRun:
    artifact_dir = tmp_path_factory.mktemp("artifacts") / "tiny"
    return run_training(
        tiny_dataset, artifact_dir, epochs=2, seed=0, command="genre-trainer train (test)", recipe=RECIPE
    )


def test_artifact_holds_model_manifest_and_report(run: TrainingRun) -> None:
    files = sorted(path.name for path in run.artifact_dir.iterdir())
    assert files == sorted([MODEL_FILE, MANIFEST_FILE, REPORT_FILE, CONFUSION_FIGURE])
    model_bytes = (run.artifact_dir / MODEL_FILE).stat().st_size
    assert model_bytes == run.manifest.model_bytes <= 5_000_000
    card = (run.artifact_dir / REPORT_FILE).read_text()
    assert "genre-trainer train (test)" in card
    assert f"![Confusion matrix]({CONFUSION_FIGURE})" in card
    assert "| blues |" in card and "Known limits" in card and "Weights kept: the last epoch" in card
    assert (run.artifact_dir / CONFUSION_FIGURE).read_bytes().startswith(b"\x89PNG")


def test_litert_file_matches_keras(run: TrainingRun) -> None:
    windows = run.valid.x[:7]
    expected = run.model.predict(windows, verbose=0)
    for batch in (windows, windows[:1]):
        actual = litert_predict(run.artifact_dir / MODEL_FILE, batch)
        assert actual.shape == (len(batch), len(run.manifest.labels))
        assert np.max(np.abs(actual - expected[: len(batch)])) <= 1e-4
    assert check_parity(run.artifact_dir / MODEL_FILE, run.model, run.valid.x) <= 1e-4


def test_manifest_is_readable_and_compatible(run: TrainingRun) -> None:
    manifest = read_manifest(run.artifact_dir)
    assert manifest == run.manifest
    ensure_compatible(manifest, DEFAULT_FEATURE_PARAMS)
    assert manifest.input_shape == [128, 130, 1]
    assert manifest.parameters == run.model.count_params()


@pytest.mark.parametrize("change", [{"n_mels": 96}, {"hop_length": 256}, {"sample_rate": 16000}])
def test_manifest_refuses_other_feature_parameters(run: TrainingRun, change: dict[str, int]) -> None:
    with pytest.raises(IncompatibleModel):
        ensure_compatible(run.manifest, DEFAULT_FEATURE_PARAMS.model_copy(update=change))


def test_manifest_describes_the_data_and_skips_the_corrupt_file(run: TrainingRun, corrupt_file: str) -> None:
    manifest = run.manifest
    assert manifest.labels == ["blues", "classical", "metal"]
    assert manifest.training.split == "gtzan-filtered"
    assert manifest.training.skipped_files == [corrupt_file]
    assert manifest.training.songs_per_split == {"train": 6, "valid": 6, "test": 0}
    assert manifest.training.trained_on == ["train"]
    assert manifest.training.epochs == 2  # last-epoch selection: the run goes to its end
    assert manifest.training.songs_per_genre["valid"] == {"blues": 2, "classical": 2, "metal": 2}
    assert manifest.training.recipe["selection"] == "last-epoch"
    assert manifest.training.recipe["mixup_alpha"] == 0.2
    assert "random crops" in str(manifest.training.recipe["inputs"])
    assert manifest.metrics is not None
    assert (manifest.metrics.split, manifest.metrics.songs) == ("valid", 6)
    assert sum(map(sum, manifest.metrics.confusion_matrix)) == 6
    assert sum(scores.support for scores in manifest.metrics.per_genre.values()) == 6


def test_publish_installs_a_copy(run: TrainingRun, tmp_path: Path) -> None:
    destination = tmp_path / "volume" / "default"
    assert main(["publish", "--from", str(run.artifact_dir), "--to", str(destination)]) == 0
    assert read_manifest(destination) == run.manifest
    assert (destination / REPORT_FILE).is_file() and (destination / CONFUSION_FIGURE).is_file()
    assert (destination / MODEL_FILE).read_bytes() == (run.artifact_dir / MODEL_FILE).read_bytes()

    assert main(["publish", "--from", str(run.artifact_dir), "--to", str(destination)]) == 0  # replaces
    assert sorted(path.name for path in destination.parent.iterdir()) == ["default"]  # no staging left behind


def test_publish_refuses_an_incompatible_artifact(run: TrainingRun, tmp_path: Path) -> None:
    incompatible = tmp_path / "incompatible"
    shutil.copytree(run.artifact_dir, incompatible)
    manifest = json.loads((incompatible / MANIFEST_FILE).read_text())
    manifest["feature_params"]["n_mels"] = 64
    (incompatible / MANIFEST_FILE).write_text(json.dumps(manifest))
    destination = tmp_path / "served"

    assert main(["publish", "--from", str(incompatible), "--to", str(destination)]) == 1
    assert not destination.exists()


def test_refit_ships_weights_fit_on_train_and_valid_with_the_train_only_figures(
    tiny_dataset: Path, tmp_path: Path
) -> None:
    run = run_training(tiny_dataset, tmp_path / "refit", epochs=1, seed=0, train_on="refit", recipe=RECIPE)
    training, metrics = run.manifest.training, run.manifest.metrics
    assert training.trained_on == ["train", "valid"]
    assert metrics is not None and (metrics.split, metrics.songs) == ("valid", 6)
    assert metrics.measured_on == "train-only fit"
    assert "refit on train + valid" in (run.artifact_dir / REPORT_FILE).read_text()


def test_the_extra_songs_are_cross_validated_by_one_more_network_per_fold(
    tiny_dataset: Path, tiny_extra_dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from genre_trainer.data.dataset import WindowSet
    from genre_trainer.training import pipeline
    from genre_trainer.training.train import TrainedModel

    trained_on: list[set[str]] = []

    def recording_train(windows: WindowSet, *args: Any, **kwargs: Any) -> TrainedModel:
        trained_on.append({str(song) for song in windows.song_ids})
        return train(windows, *args, **kwargs)

    train = pipeline.train
    monkeypatch.setattr(pipeline, "train", recording_train)
    run = run_training(
        tiny_dataset,
        tmp_path / "cv",
        epochs=1,
        seed=0,
        recipe=RECIPE,
        extra_dirs=[tiny_extra_dataset],
        cross_validate_extra=True,
    )
    cross = run.manifest.cross_validation
    assert cross is not None and cross.songs == 4 and cross.split.endswith(", 3 folds by artist")
    extra_songs = {song for song in trained_on[0] if song.startswith("tiny-extra")}
    assert len(extra_songs) == 4 and len(trained_on) == 1 + 3
    # Each fold's network trained on every other song, never on the fold's own (one artist's songs).
    held_out = [extra_songs - songs for songs in trained_on[1:]]
    assert all(held and songs == trained_on[0] - held for held, songs in zip(held_out, trained_on[1:], strict=True))
    assert set().union(*held_out) == extra_songs
    assert f"## Figures on `{cross.split}` (4 songs" in (run.artifact_dir / REPORT_FILE).read_text()
