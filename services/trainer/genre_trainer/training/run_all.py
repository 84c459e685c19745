"""`genre-trainer run-all` (and `train --model NAME`): the whole ladder, from a dataset to a report folder.

Order: list files and split by song first, then compute (or load from cache) the features of the songs
that are used, then fit and score each model on the same windows, then retrain some models on the leaky
window split to show what it inflates, and finally write the report folder in one rename. The 2D CNN can
also be exported as the worker's artifact (`--artifact`), checked against Keras like `train` does.
"""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import keras
import numpy as np
import sklearn
import tensorflow as tf

from genre_core.manifest import TrainingData
from genre_trainer.artifacts.atomic_dir import staged_directory
from genre_trainer.artifacts.export import export_artifact
from genre_trainer.data.dataset import genres_of, scan_source
from genre_trainer.data.feature_store import Features, load_features
from genre_trainer.data.splits import Split, choose_split, leaky_window_parts
from genre_trainer.data.windows import WindowOptions
from genre_trainer.errors import TrainerError
from genre_trainer.evaluation.ladder_report import (
    LadderReport,
    SkippedFile,
    leaky_entry,
    model_entry,
    write_figures,
    write_texts,
)
from genre_trainer.evaluation.report import machine_description
from genre_trainer.models.classical import CLASSICAL_MODELS
from genre_trainer.models.pretrained import INPUT_KIND as PRETRAINED_INPUT
from genre_trainer.models.pretrained import add_musicnn_embeddings
from genre_trainer.training.ladder import MODEL_NAMES, LadderSettings, ModelResult, input_kind, run_model

logger = logging.getLogger(__name__)

LEAKY = "leaky-windows"
DEFAULT_LEAKY_MODELS = (*CLASSICAL_MODELS, "mlp")
"""Cheap to train twice; the 2D CNN can be added with `--leaky-models`, at twice its training time."""


@dataclass
class LadderRequest:
    data: Path
    report_dir: Path
    models: Sequence[str] = MODEL_NAMES
    split: str = "auto"
    folds: int = 5
    fold: int = 0
    options: WindowOptions = field(default_factory=WindowOptions)
    settings: LadderSettings = field(default_factory=LadderSettings)
    cache_dir: Path | None = None
    leaky_models: Sequence[str] = DEFAULT_LEAKY_MODELS
    limit_per_genre: int | None = None
    artifact_dir: Path | None = None
    command: str = "genre-trainer run-all"
    progress: bool = True


def run_ladder(request: LadderRequest) -> LadderReport:
    """Train and score every requested model and write the report folder; returns what report.json holds."""
    started = time.monotonic()
    unknown = [name for name in [*request.models, *request.leaky_models] if name not in MODEL_NAMES]
    if unknown:
        raise TrainerError(f"Unknown model(s) {', '.join(unknown)}; choose from {', '.join(MODEL_NAMES)}")
    files = scan_source(request.data)
    labels = genres_of(files)
    genre_of = {file.song_id: file.genre for file in files}
    seed = request.settings.seed
    split = choose_split(request.split, list(genre_of), list(genre_of.values()), seed, request.folds, request.fold)
    if request.limit_per_genre is not None:
        split = split.limited(request.limit_per_genre, genre_of)
    used = set(split.parts.get("train", [])) | set(split.parts.get("valid", []))  # never the test part
    features = load_features(
        [file for file in files if file.song_id in used], request.options, request.cache_dir, request.progress
    )
    if any(input_kind(name) == PRETRAINED_INPUT for name in [*request.models, *request.leaky_models]):
        add_musicnn_embeddings(
            features, [file for file in files if file.song_id in used], request.options, request.cache_dir
        )
    honest = honest_parts(features, split)
    leaky = leaky_window_parts(features.window_genres, seed=seed)
    leaky_run = request.split == LEAKY
    parts = leaky if leaky_run else honest
    if not len(parts["train"]) or not len(parts["valid"]):
        raise TrainerError(f"The split {split.name} leaves no usable training or validation windows")
    split_name = f"{LEAKY} (random 20% of the windows of {split.name})" if leaky_run else split.name

    results = [run_model(name, features, parts, labels, request.settings) for name in request.models]
    leaky_entries = []
    if not leaky_run:
        for result in results:
            if result.name in request.leaky_models:
                leaky_result = run_model(result.name, features, leaky, labels, request.settings, split_name=LEAKY)
                leaky_entries.append(leaky_entry(result, leaky_result))

    report = LadderReport(
        created_at=datetime.now(UTC).replace(microsecond=0),
        command=request.command,
        machine=machine_description(),
        software=_software(),
        wall_seconds=0.0,
        dataset=Path(request.data).resolve().name,
        split=split_name,
        seed=seed,
        labels=labels,
        window_options={
            "window_seconds": request.options.params.window_seconds,
            "hop_seconds": request.options.hop_samples / request.options.params.sample_rate,
            "wave_rate_hz": request.options.wave_rate,
        },
        counts=part_counts(features, parts, labels),
        files_total=len(features.files),
        skipped=[SkippedFile(name=r.name, reason=r.reason) for r in features.files if not r.usable],
        models=[model_entry(result) for result in results],
        leaky=leaky_entries,
    )
    with staged_directory(request.report_dir) as staging:
        figures = write_figures(report, results, staging)
        report.wall_seconds = round(time.monotonic() - started, 1)
        write_texts(report, figures, staging)
    logger.info("Wrote the report to %s (%.1f min)", request.report_dir, report.wall_seconds / 60)
    if request.artifact_dir is not None:
        export_cnn2d(results, features, parts, split_name, request)
    return report


def honest_parts(features: Features, split: Split) -> dict[str, np.ndarray]:
    """Window indices of each part's songs: every window of a song is on the side of its song."""
    return {part: features.windows_of(split.parts.get(part, [])) for part in ("train", "valid")}


def part_counts(features: Features, parts: dict[str, np.ndarray], labels: Sequence[str]) -> dict:
    """Songs and windows per genre in each part (a leaky split counts a song in every part it has windows in)."""
    counts: dict[str, dict[str, dict[str, int]]] = {}
    for part, indices in parts.items():
        genres = features.window_genres[indices]
        songs = features.window_song[indices]
        counts[part] = {
            label: {
                "songs": len(np.unique(songs[genres == label])),
                "windows": int(np.sum(genres == label)),
            }
            for label in labels
        }
    return counts


def export_cnn2d(
    results: Sequence[ModelResult],
    features: Features,
    parts: dict[str, np.ndarray],
    split_name: str,
    request: LadderRequest,
) -> None:
    """Write the 2D CNN of this run as a worker artifact (model.tflite + manifest.json), parity-checked."""
    cnn2d = next((result for result in results if result.name == "cnn2d"), None)
    if cnn2d is None or cnn2d.keras_model is None:
        raise TrainerError("--artifact needs the cnn2d model in --models")
    if request.options.hop_samples != request.options.params.window_samples:
        logger.warning("The artifact was trained on overlapping windows; the worker cuts songs back to back")
    labels = list(cnn2d.evaluation.metrics.per_genre)
    valid = features.window_set("mel", parts["valid"], labels)
    training = TrainingData(
        dataset=Path(request.data).resolve().name,
        split=split_name,
        songs_per_split={part: len(np.unique(features.window_song[idx])) for part, idx in parts.items()},
        windows_per_split={part: len(idx) for part, idx in parts.items()},
        trained_on=["train"],
        skipped_files=[record.name for record in features.files if not record.usable],
        epochs=cnn2d.best_epoch or cnn2d.epochs_run or 0,
        seed=request.settings.seed,
        training_seconds=round(cnn2d.training_seconds, 1),
    )
    with staged_directory(request.artifact_dir) as staging:
        manifest = export_artifact(
            cnn2d.keras_model,
            staging,
            labels,
            request.options.params,
            training,
            cnn2d.evaluation.metrics,
            valid.x[:256],
        )
    logger.info("Wrote %s %s to %s", manifest.name, manifest.version, request.artifact_dir)


def _software() -> str:
    return (
        f"Python {platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}, "
        f"scikit-learn {sklearn.__version__}"
    )
