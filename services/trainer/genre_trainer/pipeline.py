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
from genre_trainer.batches import SongSpectrogram
from genre_trainer.dataset import Song, WindowSet, decode_songs, genres_of, scan_dataset, stack_windows
from genre_trainer.errors import TrainerError
from genre_trainer.evaluate import evaluate
from genre_trainer.export import export_artifact
from genre_trainer.recipe import Recipe
from genre_trainer.report import REPORT_FILE, render_report, write_confusion_figure
from genre_trainer.splits import split_songs
from genre_trainer.train import TrainedModel, train

logger = logging.getLogger(__name__)

TrainOn = Literal["train", "train+valid", "refit"]
"""`refit`: fit on train and score on valid, then fit the same recipe on train + valid and ship that."""
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
    recipe: Recipe | None = None,
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
    recipe = recipe or Recipe()
    crops = bool(recipe.crops_per_epoch)
    decoded = decode_songs([file for file in files if file.song_id in used], params, keep_spectrograms=crops)
    songs_by_part = {part: _songs_in(decoded.songs, ids) for part, ids in split.parts.items()}
    index_of = {label: index for index, label in enumerate(labels)}

    def fit(parts: Sequence[str], held_out: WindowSet | None, fit_epochs: int) -> TrainedModel:
        songs = [song for part in parts for song in songs_by_part.get(part, [])]
        windows = stack_windows(songs, labels, params)
        if not len(windows):
            raise TrainerError(f"No decodable training songs in {data_dir} (split {split.name})")
        spectrograms = [
            SongSpectrogram(song.song_id, index_of[song.genre], song.spectrogram)
            for song in songs
            if song.spectrogram is not None
        ]
        return train(
            windows,
            held_out,
            len(labels),
            epochs=fit_epochs,
            seed=seed,
            patience=patience,
            recipe=recipe,
            train_songs=spectrograms,
        )

    valid_set = stack_windows(songs_by_part.get("valid", []), labels, params)
    held_out = valid_set if train_on != "train+valid" and len(valid_set) else None
    trained = fit(["train"] if held_out is not None else trained_on, held_out, epochs)
    metrics = None
    if held_out is not None:
        probabilities = trained.model.predict(held_out.x, batch_size=256, verbose=0)
        metrics = evaluate(probabilities, held_out.y, held_out.song_ids, labels, split="valid")
    measured = trained
    if train_on == "refit" and held_out is not None:  # without validation songs the fit above used them all
        # Same recipe, seed and epoch count on every labelled song; the validation figures stay those of the
        # train-only fit above, the only honest ones there are for this recipe.
        logger.info("Refitting on train + valid for %d epochs", trained.best_epoch or trained.epochs_run)
        trained = fit(trained_on, None, trained.best_epoch or trained.epochs_run)
        if metrics is not None:
            metrics = metrics.model_copy(update={"measured_on": "train-only fit"})

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
        measurement_seconds=round(measured.seconds, 1) if measured is not trained else None,
        songs_per_genre={part: _genre_counts(songs) for part, songs in songs_by_part.items()},
        recipe=recipe.describe(),
    )
    check_set = valid_set if len(valid_set) else stack_windows(decoded.songs[:PARITY_WINDOWS], labels, params)
    check_windows = check_set.x[:PARITY_WINDOWS]
    with staged_directory(artifact_dir) as staging:
        manifest = export_artifact(trained.model, staging, labels, params, training, metrics, check_windows)
        report = render_report(
            manifest,
            command=command,
            wall_seconds=time.monotonic() - started,
            epochs_run=trained.epochs_run,
            max_epochs=epochs,
            software=f"Python {platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}",
            history=measured.history,
            measurement_epochs=measured.epochs_run,
        )
        (staging / REPORT_FILE).write_text(report)
        write_confusion_figure(manifest, staging)
    logger.info("Wrote %s %s to %s", manifest.name, manifest.version, artifact_dir)
    return TrainingRun(manifest=manifest, model=trained.model, valid=valid_set, artifact_dir=Path(artifact_dir))


def _songs_in(songs: Sequence[Song], song_ids: Sequence[str]) -> list[Song]:
    wanted = set(song_ids)
    return [song for song in songs if song.song_id in wanted]


def _genre_counts(songs: Sequence[Song]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for song in songs:
        counts[song.genre] = counts.get(song.genre, 0) + 1
    return dict(sorted(counts.items()))


def _sizes(parts: dict[str, list[str]]) -> str:
    return ", ".join(f"{part} {len(ids)}" for part, ids in parts.items())
