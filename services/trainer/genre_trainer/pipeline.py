"""One training run, from a dataset folder to an installed artifact: what `genre-trainer train` does.

Order matters for cost: files are listed and split first, and only the songs that the run uses
are decoded. The artifact is assembled in a staging folder and moved into place only once
export, parity check, manifest and report all succeeded.
"""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import keras
import tensorflow as tf

from genre_core.manifest import ModelManifest, TrainingData
from genre_core.params import DEFAULT_FEATURE_PARAMS, FeatureParams
from genre_trainer.atomic_dir import staged_directory
from genre_trainer.dataset import Song, WindowSet, decode_songs, genres_of, scan_dataset, stack_windows
from genre_trainer.errors import TrainerError
from genre_trainer.evaluate import evaluate
from genre_trainer.export import export_artifact
from genre_trainer.report import REPORT_FILE, render_report
from genre_trainer.splits import split_songs
from genre_trainer.train import train

logger = logging.getLogger(__name__)

TrainOn = Literal["train", "train+valid"]
PARITY_WINDOWS = 256


@dataclass
class TrainingRun:
    manifest: ModelManifest
    model: keras.Model
    valid: WindowSet
    artifact_dir: Path


def run_training(
    data_dir: Path,
    artifact_dir: Path,
    epochs: int,
    seed: int,
    train_on: TrainOn = "train",
    limit_per_genre: int | None = None,
    patience: int = 15,
    params: FeatureParams = DEFAULT_FEATURE_PARAMS,
    command: str = "genre-trainer train",
) -> TrainingRun:
    """Train on `train_on`, select the epoch on valid (when held out), export to `artifact_dir`."""
    started = time.monotonic()
    files = scan_dataset(data_dir)
    labels = genres_of(files)
    genre_of = {file.song_id: file.genre for file in files}
    split = split_songs(list(genre_of), list(genre_of.values()), seed=seed)
    if limit_per_genre is not None:
        split = split.limited(limit_per_genre, genre_of)
    logger.info("%d songs in %d genres; split %s: %s", len(files), len(labels), split.name, _sizes(split.parts))

    trained_on = ["train"] if train_on == "train" else ["train", "valid"]
    used = {song_id for part in {*trained_on, "valid"} for song_id in split.parts.get(part, [])}
    decoded = decode_songs([file for file in files if file.song_id in used], params)
    songs_by_part = {part: _songs_in(decoded.songs, ids) for part, ids in split.parts.items()}
    train_set = stack_windows([song for part in trained_on for song in songs_by_part.get(part, [])], labels, params)
    valid_set = stack_windows(songs_by_part.get("valid", []), labels, params)
    if not len(train_set):
        raise TrainerError(f"No decodable training songs in {data_dir} (split {split.name})")

    held_out = valid_set if train_on == "train" and len(valid_set) else None
    trained = train(train_set, held_out, len(labels), epochs=epochs, seed=seed, patience=patience)
    metrics = None
    if held_out is not None:
        probabilities = trained.model.predict(held_out.x, batch_size=256, verbose=0)
        metrics = evaluate(probabilities, held_out.y, held_out.song_ids, labels, split="valid")

    training = TrainingData(
        dataset=Path(data_dir).resolve().name,
        split=split.name,
        songs_per_split={part: len(songs) for part, songs in songs_by_part.items()},
        windows_per_split={part: sum(len(song.windows) for song in songs) for part, songs in songs_by_part.items()},
        trained_on=trained_on,
        skipped_files=decoded.skipped,
        epochs=trained.best_epoch or trained.epochs_run,
        seed=seed,
        training_seconds=round(trained.seconds, 1),
    )
    check_windows = (valid_set if len(valid_set) else train_set).x[:PARITY_WINDOWS]
    with staged_directory(artifact_dir) as staging:
        manifest = export_artifact(trained.model, staging, labels, params, training, metrics, check_windows)
        report = render_report(
            manifest,
            command=command,
            wall_seconds=time.monotonic() - started,
            epochs_run=trained.epochs_run,
            max_epochs=epochs,
            software=f"Python {platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}",
            history=trained.history,
        )
        (staging / REPORT_FILE).write_text(report)
    logger.info("Wrote %s %s to %s", manifest.name, manifest.version, artifact_dir)
    return TrainingRun(manifest=manifest, model=trained.model, valid=valid_set, artifact_dir=Path(artifact_dir))


def _songs_in(songs: Sequence[Song], song_ids: Sequence[str]) -> list[Song]:
    wanted = set(song_ids)
    return [song for song in songs if song.song_id in wanted]


def _sizes(parts: dict[str, list[str]]) -> str:
    return ", ".join(f"{part} {len(ids)}" for part, ids in parts.items())
