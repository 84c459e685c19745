"""`genre-trainer evaluate`: a shipped artifact scored on anyone's folder-per-genre music, as the worker runs it.

Every file of the dataset is a test file. Each is decoded, prepared and cut by genre_core (`load_audio`,
`song_features` with the artifact's preprocessing: exactly what the worker classifies) and run through the
artifact's `.tflite` file with LiteRT, so the figures are those of the served model, not of a Keras model it was
converted from. As in the worker, only the windows that vote count: silence, and with a music detector the
windows it scores as not music, are left out. Files whose genre the model does not know, that cannot be decoded,
or in which no window is music (the worker would answer `not_music`), are skipped and counted.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from pydantic import BaseModel
from tqdm import tqdm

from genre_core.audio import load_audio
from genre_core.errors import PipelineError
from genre_core.manifest import ModelManifest
from genre_core.preprocessing import song_features
from genre_core.results import window_kinds
from genre_trainer.artifacts.litert import litert_outputs
from genre_trainer.artifacts.publish import validate_artifact
from genre_trainer.data.dataset import scan_source
from genre_trainer.errors import TrainerError
from genre_trainer.evaluation.evaluate import Evaluation, evaluate_all, song_level
from genre_trainer.evaluation.figures import confusion_figure, f1_figure, roc_figure

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
            features = song_features(load_audio(file.path, params.sample_rate), params, manifest.preprocessing)
        except (PipelineError, OSError) as error:
            skipped[file.name] = str(error)
            continue
        voting = _voting_windows(model_path, manifest, features.windows[~features.silent])
        if not len(voting):
            skipped[file.name] = "no window is music (the worker answers not_music)"
            continue
        probabilities.append(voting)
        labels += [manifest.labels.index(file.genre)] * len(voting)
        song_ids += [file.song_id] * len(voting)
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


def _voting_windows(model_path: Path, manifest: ModelManifest, windows: np.ndarray) -> np.ndarray:
    """Genre probabilities of the windows that vote: all of them, or with a music detector those it scores as
    music (:func:`genre_core.results.window_kinds`, the worker's rule). Run in batches, one channel axis added."""
    starts = range(0, len(windows), BATCH_WINDOWS)
    batches = [litert_outputs(model_path, windows[i : i + BATCH_WINDOWS, ..., np.newaxis]) for i in starts]
    outputs = manifest.outputs
    if outputs is None:
        return np.concatenate([next(iter(batch.values())) for batch in batches])
    genre = np.concatenate([batch[outputs.genre] for batch in batches])
    if outputs.music is None:
        return genre
    music = np.concatenate([batch[outputs.music][:, 0] for batch in batches])
    kinds = window_kinds(np.zeros(len(music), dtype=bool), music, outputs.music_threshold)
    return genre[[kind == "music" for kind in kinds]]


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
