"""`genre-trainer evaluate`: a shipped artifact scored, through LiteRT, on a folder where every file is a test file."""

from __future__ import annotations

import json
from pathlib import Path

from genre_trainer.cli import main
from genre_trainer.evaluation.evaluate_artifact import ArtifactEvaluation


def test_evaluate_scores_every_decodable_file(
    model_dir: Path, tiny_dataset: Path, corrupt_file: str, tmp_path: Path
) -> None:
    out = tmp_path / "figures.json"
    figures = tmp_path / "figures"

    assert main(["evaluate", "--model", str(model_dir), "--data", str(tiny_dataset), "--json", str(out),
                 "--figures", str(figures)]) == 0  # fmt: skip

    result = ArtifactEvaluation.model_validate(json.loads(out.read_text()))
    metrics = result.evaluation.metrics
    assert (result.files_total, list(result.skipped)) == (13, [corrupt_file])
    assert (metrics.songs, metrics.windows) == (12, 120)  # train and valid clips alike: all are test files here
    assert sum(map(sum, metrics.confusion_matrix)) == 12
    assert metrics.per_genre["classical"].support == 4 and metrics.per_genre["jazz"].support == 0
    assert sorted(path.name for path in figures.iterdir()) == ["confusion.png", "f1.png", "roc.png"]
