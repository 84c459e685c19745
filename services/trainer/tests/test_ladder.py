"""The whole ladder on a handful of real clips: every model scored the same way, an honest split, a report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from genre_trainer.cli import main
from genre_trainer.data.dataset import genres_of, scan_dataset
from genre_trainer.data.feature_store import load_features
from genre_trainer.data.splits import leaky_window_parts, split_songs
from genre_trainer.data.windows import WindowOptions
from genre_trainer.evaluation.ladder_report import REPORT_JSON, REPORT_MD, LadderReport
from genre_trainer.training.ladder import MODEL_NAMES, LadderSettings, run_model
from genre_trainer.training.run_all import LadderRequest, honest_parts, run_ladder

QUICK = LadderSettings(seed=0, epochs={"mlp": 2, "cnn1d": 1, "cnn2d": 1, "cnn2d-shipped": 1}, patience=2)


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("feature-cache")


@pytest.fixture(scope="module")
def ladder(tiny_dataset: Path, cache: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[LadderReport, Path]:
    report_dir = tmp_path_factory.mktemp("ladder") / "report"
    request = LadderRequest(
        data=tiny_dataset,
        report_dir=report_dir,
        settings=QUICK,
        cache_dir=cache,
        leaky_models=["nearest-centroid", "knn"],
        progress=False,
        command="genre-trainer run-all (test)",
    )
    return run_ladder(request), report_dir


def test_every_model_is_scored_on_the_validation_songs(ladder: tuple[LadderReport, Path]) -> None:
    report, _ = ladder
    assert [entry.name for entry in report.models] == list(MODEL_NAMES)
    assert report.split == "gtzan-filtered"
    for entry in report.models:
        metrics = entry.evaluation.metrics
        assert (metrics.split, metrics.songs, metrics.windows) == ("valid", 6, 60)
        assert sum(map(sum, metrics.confusion_matrix)) == 6
        assert 0 <= metrics.song_accuracy <= 1 and entry.evaluation.song_roc_auc.per_genre.keys() == {
            "blues",
            "classical",
            "metal",
        }
    pretrained = [entry.name for entry in report.models if entry.family == "pretrained embeddings"]
    assert pretrained == ["musicnn-logreg"]  # musicnn's packaged weights, on the same windows as the rest
    networks = {entry.name: entry for entry in report.models if entry.family == "neural network"}
    assert set(networks) == {"mlp", "cnn1d", "cnn2d", "cnn2d-shipped"} and all(
        entry.parameters for entry in networks.values()
    )


def test_report_counts_data_and_the_skipped_file(ladder: tuple[LadderReport, Path], corrupt_file: str) -> None:
    report, _ = ladder
    assert report.files_total == 13 and [item.name for item in report.skipped] == [corrupt_file]
    assert report.counts["train"]["blues"] == {"songs": 2, "windows": 20}
    assert report.counts["valid"]["metal"] == {"songs": 2, "windows": 20}
    assert [entry.name for entry in report.leaky] == ["nearest-centroid", "knn"]


def test_report_files_exist_and_parse(ladder: tuple[LadderReport, Path]) -> None:
    report, folder = ladder
    assert LadderReport.model_validate_json((folder / REPORT_JSON).read_text()) == report
    json.loads((folder / REPORT_JSON).read_text())
    markdown = (folder / REPORT_MD).read_text()
    for entry in report.models:
        assert f"| {entry.name} | " in markdown
    expected = {"comparison.png", "leaky-vs-honest.png"}
    expected |= {f"{kind}-{name}.png" for name in MODEL_NAMES for kind in ("confusion", "f1", "roc")}
    expected |= {f"training-{name}.png" for name in ("mlp", "cnn1d", "cnn2d", "cnn2d-shipped")}
    pictures = {path.name for path in folder.glob("*.png")}
    assert pictures == expected
    assert all((folder / name).read_bytes().startswith(b"\x89PNG") for name in pictures)
    assert all(f"({name})" in markdown for name in expected)


def test_honest_parts_never_share_a_song_and_leaky_ones_do(tiny_dataset: Path, cache: Path) -> None:
    files = scan_dataset(tiny_dataset)
    features = load_features(files, WindowOptions(), cache, progress=False)
    split = split_songs(features.song_ids.tolist(), features.genres.tolist(), seed=0)

    honest = honest_parts(features, split)
    train_songs, valid_songs = (set(features.window_song_ids[honest[part]]) for part in ("train", "valid"))
    assert train_songs.isdisjoint(valid_songs)
    assert len(honest["train"]) + len(honest["valid"]) == len(features.window_song)

    leaky = leaky_window_parts(features.window_genres, seed=0)
    assert set(features.window_song_ids[leaky["train"]]) & set(features.window_song_ids[leaky["valid"]])


def test_classical_figures_are_reproducible(tiny_dataset: Path, cache: Path) -> None:
    files = scan_dataset(tiny_dataset)
    features = load_features(files, WindowOptions(), cache, progress=False)
    parts = honest_parts(features, split_songs(features.song_ids.tolist(), features.genres.tolist(), seed=0))
    labels = genres_of(files)
    first, second = (run_model("random-forest", features, parts, labels, QUICK) for _ in range(2))
    assert first.evaluation == second.evaluation
    np.testing.assert_array_equal(first.song_probabilities, second.song_probabilities)


def test_train_one_ladder_model_from_the_command_line(tiny_dataset: Path, cache: Path, tmp_path: Path) -> None:
    out = tmp_path / "knn"
    command = ["train", "--model", "knn", "--data", str(tiny_dataset), "--out", str(out), "--cache", str(cache)]
    assert main(command) == 0
    report = LadderReport.model_validate_json((out / REPORT_JSON).read_text())
    assert [entry.name for entry in report.models] == ["knn"] and not report.leaky
