"""`genre-trainer evaluate`: a shipped artifact scored on anyone's folder-per-genre music, as the worker runs it.

Every file of the dataset is a test file. Each is decoded and cut by genre_core (`load_audio`, `song_windows`:
back-to-back windows, exactly what the worker classifies) and run through the artifact's `.tflite` file with
LiteRT, so the figures are those of the served model, not of a Keras model it was converted from. Files whose
genre the model does not know, or that cannot be decoded, are skipped and counted.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from pydantic import BaseModel
from tqdm import tqdm

from genre_core.audio import load_audio
from genre_core.errors import PipelineError
from genre_core.features import song_windows
from genre_trainer.dataset import scan_source
from genre_trainer.errors import TrainerError
from genre_trainer.evaluate import Evaluation, evaluate_all, song_level
from genre_trainer.figures import confusion_figure, f1_figure, roc_figure
from genre_trainer.litert import litert_predict
from genre_trainer.publish import validate_artifact

logger = logging.getLogger(__name__)

BATCH_WINDOWS = 64


class ArtifactEvaluation(BaseModel):
    model: str
    version: str
    dataset: str
    files_total: int
    skipped: dict[str, str]
    """`genre/file` -> why it was not scored."""
    evaluation: Evaluation


def evaluate_artifact(
    artifact_dir: Path, data: Path, figures_dir: Path | None = None, progress: bool = True
) -> ArtifactEvaluation:
    """Score the artifact on every file of `data`; optionally draw the confusion matrix, F1 bars and ROC curves."""
    manifest = validate_artifact(artifact_dir)
    model_path = artifact_dir / manifest.model_file
    params = manifest.feature_params
    files = scan_source(data)
    skipped: dict[str, str] = {}
    probabilities, labels, song_ids = [], [], []
    for file in tqdm(files, desc="Evaluating", unit="file", disable=not progress):
        if file.genre not in manifest.labels:
            skipped[file.name] = f"genre {file.genre!r} is not one of the model's labels"
            continue
        try:
            windows = song_windows(load_audio(file.path, params.sample_rate), params)
        except (PipelineError, OSError) as error:
            skipped[file.name] = str(error)
            continue
        probabilities.append(_predict(model_path, windows))
        labels += [manifest.labels.index(file.genre)] * len(windows)
        song_ids += [file.song_id] * len(windows)
    for name, reason in skipped.items():
        logger.warning("Skipped %s: %s", name, reason)
    if not probabilities:
        raise TrainerError(f"No file of {data} could be scored by {manifest.name} {manifest.version}")
    window_probabilities = np.concatenate(probabilities)
    window_labels, window_songs = np.array(labels), np.array(song_ids)
    dataset = Path(data).resolve().name
    aggregation = manifest.song_aggregation
    evaluation = evaluate_all(
        window_probabilities, window_labels, window_songs, manifest.labels, split=dataset, aggregation=aggregation
    )
    if figures_dir is not None:
        song_probabilities, song_labels = song_level(window_probabilities, window_labels, window_songs, aggregation)
        _draw(evaluation, song_probabilities, song_labels, manifest.labels, figures_dir)
    return ArtifactEvaluation(
        model=manifest.name,
        version=manifest.version,
        dataset=dataset,
        files_total=len(files),
        skipped=skipped,
        evaluation=evaluation,
    )


def _predict(model_path: Path, windows: np.ndarray) -> np.ndarray:
    """Window probabilities in batches, as the worker runs them (one channel axis added)."""
    starts = range(0, len(windows), BATCH_WINDOWS)
    return np.concatenate([litert_predict(model_path, windows[i : i + BATCH_WINDOWS, ..., np.newaxis]) for i in starts])


def _draw(
    evaluation: Evaluation, song_probabilities: np.ndarray, song_labels: np.ndarray, labels: list[str], folder: Path
) -> None:
    metrics = evaluation.metrics
    confusion_figure(metrics.confusion_matrix, labels, f"Songs of {metrics.split}", folder / "confusion.png")
    f1_figure(
        {genre: scores.f1 for genre, scores in metrics.per_genre.items()},
        {genre: scores.support for genre, scores in metrics.per_genre.items()},
        f"Per-genre F1 on {metrics.split}",
        folder / "f1.png",
    )
    roc_figure(song_probabilities, song_labels, labels, f"ROC on {metrics.split} (songs)", folder / "roc.png")
