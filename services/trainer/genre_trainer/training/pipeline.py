"""One training run, from a dataset folder to an installed artifact: what `genre-trainer train` does.

Order matters for cost: files are listed and split first, and only the songs that the run uses
are decoded. The artifact is assembled in a staging folder and moved into place only once
export, parity check, manifest and report all succeeded.
"""

from __future__ import annotations

import functools
import logging
import platform
import time
import zlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import keras
import numpy as np
import tensorflow as tf
from sklearn.pipeline import Pipeline

from genre_core.audio import load_audio
from genre_core.errors import PipelineError
from genre_core.manifest import DatasetSummary, EvaluationMetrics, ModelManifest, ModelOutputs, TrainingData
from genre_core.params import DEFAULT_FEATURE_PARAMS, FeatureParams
from genre_core.preprocessing import NO_PREPROCESSING, Preprocessing, preprocessing_set_name, song_features
from genre_core.results import SongAggregation
from genre_core.tags import TagReference, reference_from_scores
from genre_trainer.artifacts.atomic_dir import staged_directory
from genre_trainer.artifacts.export import MODEL_NAME, export_artifact
from genre_trainer.artifacts.litert import GENRE_OUTPUT
from genre_trainer.data.batches import SongSpectrogram
from genre_trainer.data.dataset import (
    Song,
    SongFile,
    WindowSet,
    decode_songs,
    genres_of,
    read_artists,
    scan_dataset,
    stack_windows,
)
from genre_trainer.data.mastering import AUGMENTATIONS, augmented, copy_id
from genre_trainer.data.splits import group_folds, split_songs
from genre_trainer.errors import TrainerError
from genre_trainer.evaluation.evaluate import evaluate
from genre_trainer.evaluation.report import REPORT_FILE, render_report, write_confusion_figure
from genre_trainer.models import music_detector as music_detectors
from genre_trainer.models import musicnn, transfer
from genre_trainer.models.embedding_cache import EmbeddingCache
from genre_trainer.models.nuisance import NUISANCE_STRENGTH
from genre_trainer.training.cross_validation import cross_validate, cross_validate_network, held_out_probabilities
from genre_trainer.training.recipe import Recipe
from genre_trainer.training.train import TrainedModel, train

logger = logging.getLogger(__name__)

TrainOn = Literal["train", "train+valid", "refit"]
"""`refit`: fit on train and score on valid, then fit the same recipe on train + valid and ship that."""
PARITY_WINDOWS = 256
MUSICNN_MODEL_NAME = "genre-musicnn"


@dataclass
class TrainingRun:
    manifest: ModelManifest
    model: keras.Model
    valid: WindowSet
    artifact_dir: Path


@dataclass
class PreparedData:
    """A dataset listed, split by song and decoded with one set of feature parameters."""

    data_dir: Path
    labels: list[str]
    split_name: str
    songs_by_part: dict[str, list[Song]]
    skipped: list[str]
    trained_on: list[str]
    params: FeatureParams
    preprocessing: Preprocessing = NO_PREPROCESSING
    paths: dict[str, Path] = field(default_factory=dict)
    """Song id -> its file, for the songs decoded."""
    folds: dict[str, int] = field(default_factory=dict)
    """Song id -> cross-validation fold, for the extra datasets' songs (all of which are in `train`)."""
    datasets: list[DatasetSummary] = field(default_factory=list)

    def windows(self, parts: Sequence[str]) -> WindowSet:
        return stack_windows(
            [song for part in parts for song in self.songs_by_part.get(part, [])], self.labels, self.params
        )

    def training_data(self, seed: int, epochs: int, recipe: dict[str, str | int | float | bool | None]) -> TrainingData:
        """The manifest's account of the data; the timings are filled in by the run."""
        parts = self.songs_by_part
        return TrainingData(
            dataset="+".join(dataset.name for dataset in self.datasets) or self.data_dir.resolve().name,
            split=self.split_name,
            songs_per_split={part: len(songs) for part, songs in parts.items()},
            windows_per_split={part: sum(len(song.windows) for song in songs) for part, songs in parts.items()},
            trained_on=self.trained_on,
            skipped_files=self.skipped,
            epochs=epochs,
            seed=seed,
            training_seconds=0.0,
            songs_per_genre={part: _genre_counts(songs) for part, songs in parts.items()},
            recipe=recipe,
            datasets=self.datasets,
        )


def prepare_data(
    data_dir: Path,
    seed: int,
    train_on: TrainOn,
    limit_per_genre: int | None,
    params: FeatureParams,
    keep_spectrograms: bool = False,
    preprocessing: Preprocessing = NO_PREPROCESSING,
    extra_dirs: Sequence[Path] = (),
) -> PreparedData:
    """List and split the songs, then decode only those the run uses (train, valid, and what it trains on).

    `data_dir` is split as its songs say (GTZAN's filtered split, else by song). Every song of each of
    `extra_dirs` is a training song too, with a cross-validation fold that keeps its artist on one side
    (:func:`extra_dataset`)."""
    files = scan_dataset(data_dir)
    genre_of = {file.song_id: file.genre for file in files}
    split = split_songs(list(genre_of), list(genre_of.values()), seed=seed)
    if limit_per_genre is not None:
        split = split.limited(limit_per_genre, genre_of)
    logger.info(
        "%d songs in %d genres; split %s: %s", len(files), len(set(genre_of.values())), split.name, _sizes(split.parts)
    )
    trained_on = ["train"] if train_on == "train" else ["train", "valid"]
    used = {song_id for part in {*trained_on, "valid"} for song_id in split.parts.get(part, [])}
    extras = [extra_dataset(extra_dir, seed, limit_per_genre) for extra_dir in extra_dirs]
    for extra in extras:
        files += extra.files
        used |= set(extra.folds)
    decoded = decode_songs([file for file in files if file.song_id in used], params, keep_spectrograms, preprocessing)
    songs_by_part = {part: _songs_in(decoded.songs, ids) for part, ids in split.parts.items()}
    extra_songs = [_songs_in(decoded.songs, list(extra.folds)) for extra in extras]
    songs_by_part["train"] = songs_by_part.get("train", []) + [song for songs in extra_songs for song in songs]
    summaries = [
        DatasetSummary(
            name=Path(data_dir).resolve().name,
            split=split.name,
            songs_per_genre={part: _genre_counts(songs) for part, songs in songs_by_part.items() if part != "train"}
            | {"train": _genre_counts(_songs_in(songs_by_part["train"], split.parts.get("train", [])))},
        )
    ]
    summaries += [
        DatasetSummary(
            name=extra.name, split=extra.rule, songs_per_genre={"train": _genre_counts(songs)}, artists=extra.artists
        )
        for extra, songs in zip(extras, extra_songs, strict=True)
    ]
    decoded_ids = {song.song_id for song in decoded.songs}
    return PreparedData(
        data_dir=Path(data_dir),
        labels=genres_of(files),
        split_name=split.name,
        songs_by_part=songs_by_part,
        skipped=decoded.skipped,
        trained_on=trained_on,
        params=params,
        preprocessing=preprocessing,
        paths={file.song_id: file.path for file in files if file.song_id in used},
        folds={song_id: fold for extra in extras for song_id, fold in extra.folds.items() if song_id in decoded_ids},
        datasets=summaries,
    )


EXTRA_FOLDS = 5


@dataclass(frozen=True)
class ExtraDataset:
    """A dataset whose songs all train the model, each in one cross-validation fold."""

    name: str
    files: list[SongFile]
    folds: dict[str, int]
    """Song id -> fold."""
    rule: str
    artists: int | None


def extra_dataset(root: Path, seed: int, limit_per_genre: int | None = None) -> ExtraDataset:
    """An extra dataset's songs, ids prefixed by the folder's name (two datasets never share a song id), cut into
    :data:`EXTRA_FOLDS` folds that keep each artist on one side (by file where the folder names no artists)."""
    scanned = scan_dataset(root)
    if limit_per_genre is not None:
        scanned = _first_per_genre(scanned, limit_per_genre)
    artists = read_artists(root, scanned)
    name = Path(root).resolve().name
    files = [SongFile(song_id=f"{name}:{file.song_id}", genre=file.genre, path=file.path) for file in scanned]
    folds = group_folds(
        [file.song_id for file in files],
        [file.genre for file in files],
        {f"{name}:{song_id}": artist for song_id, artist in artists.items()},
        folds=EXTRA_FOLDS,
        seed=seed,
    )
    n_folds = len(set(folds.values()))
    rule = f"all in train; {n_folds} folds by {'artist' if artists else 'file'}"
    logger.info("%s: %d songs, %d artists (%s)", root, len(files), len(set(artists.values())), rule)
    return ExtraDataset(name, files, folds, rule, len(set(artists.values())) or None)


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
    preprocessing: Preprocessing = NO_PREPROCESSING,
    measurement_dir: Path | None = None,
    extra_dirs: Sequence[Path] = (),
    cross_validate_extra: bool = False,
) -> TrainingRun:
    """Train on `train_on`, select the epoch on valid (when held out), export to `artifact_dir`; with `refit` and
    a `measurement_dir`, also export the train-only fit there (the model the validation figures are of). The songs
    of `extra_dirs` train it too; with `cross_validate_extra` they are also scored by an artist-disjoint
    cross-validation, which trains the network once more per fold (on GTZAN's train part and the other folds)."""
    started = time.monotonic()
    recipe = recipe or Recipe()
    data = prepare_data(
        data_dir,
        seed,
        train_on,
        limit_per_genre,
        params,
        keep_spectrograms=bool(recipe.crops_per_epoch),
        preprocessing=preprocessing,
        extra_dirs=extra_dirs,
    )
    labels = data.labels
    index_of = {label: index for index, label in enumerate(labels)}

    def fit(
        parts: Sequence[str], held_out: WindowSet | None, fit_epochs: int, leave_out: Collection[str] = ()
    ) -> TrainedModel:
        songs = [song for part in parts for song in data.songs_by_part.get(part, []) if song.song_id not in leave_out]
        windows = stack_windows(songs, labels, params)
        if not len(windows):
            raise TrainerError(f"No decodable training songs in {data_dir} (split {data.split_name})")
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

    valid_set = data.windows(["valid"])
    held_out = valid_set if train_on != "train+valid" and len(valid_set) else None
    trained = fit(["train"] if held_out is not None else data.trained_on, held_out, epochs)
    metrics = None
    if held_out is not None:
        probabilities = trained.model.predict(held_out.x, batch_size=256, verbose=0)
        metrics = evaluate(probabilities, held_out.y, held_out.song_ids, labels, split="valid")
    cross_validation = None
    if cross_validate_extra and data.folds:
        cross_validation = cross_validate_network(
            data.songs_by_part["train"],
            data.folds,
            lambda fold_songs: fit(["train"], None, epochs, leave_out=fold_songs).model,
            labels,
            params,
            split=_cross_validation_split(data),
        )
        _log_extra_figures("cross-validated", cross_validation)
    measured = trained
    if train_on == "refit" and held_out is not None:  # without validation songs the fit above used them all
        # Same recipe, seed and epoch count on every labelled song; the validation figures stay those of the
        # train-only fit above, the only honest ones there are for this recipe.
        logger.info("Refitting on train + valid for %d epochs", trained.best_epoch or trained.epochs_run)
        trained = fit(data.trained_on, None, trained.best_epoch or trained.epochs_run)
        if metrics is not None:
            metrics = metrics.model_copy(update={"measured_on": "train-only fit"})

    training = data.training_data(seed, trained.best_epoch or trained.epochs_run, recipe.describe()).model_copy(
        update={
            "training_seconds": round(trained.seconds, 1),
            "measurement_seconds": round(measured.seconds, 1) if measured is not trained else None,
        }
    )

    def card(manifest: ModelManifest) -> str:
        return render_report(
            manifest,
            command=command,
            wall_seconds=time.monotonic() - started,
            epochs_run=trained.epochs_run,
            max_epochs=epochs,
            software=_software(),
            history=measured.history,
            measurement_epochs=measured.epochs_run,
        )

    check_set = valid_set if len(valid_set) else data.windows(data.trained_on)
    artifact = {"cross_validation": cross_validation}
    if measurement_dir is not None and measured is not trained:
        write_measurement_artifact(
            measurement_dir, measured.model, data, check_set.x, training, metrics, card, **artifact
        )
    manifest = write_artifact(artifact_dir, trained.model, data, check_set.x, training, metrics, card, **artifact)
    return TrainingRun(manifest=manifest, model=trained.model, valid=valid_set, artifact_dir=Path(artifact_dir))


def run_musicnn_training(
    data_dir: Path,
    artifact_dir: Path,
    seed: int,
    train_on: TrainOn = "train",
    limit_per_genre: int | None = None,
    command: str = "genre-trainer train --model musicnn",
    preprocessing: Preprocessing = NO_PREPROCESSING,
    music_detector: bool = False,
    measurement_dir: Path | None = None,
    mastering: bool = False,
    extra_dirs: Sequence[Path] = (),
    tags: bool = True,
    embedding_cache: Path | None = None,
) -> TrainingRun:
    """Pretrained musicnn with a genre head fit on the training songs' windows (:mod:`genre_trainer.models.transfer`),
    and with `music_detector` a second output that tells music from speech, applause and noise
    (:mod:`genre_trainer.models.music_detector`), fit on the same songs' windows against made-up non-music.

    With `mastering`, the head also sees every training song through :data:`mastering.AUGMENTATIONS`. With
    `refit` and a `measurement_dir`, the train-only fit (the model the validation figures are of) is written
    there too, detector included. The songs of `extra_dirs` train the head too, and are scored by an
    artist-disjoint cross-validation (:mod:`genre_trainer.training.cross_validation`). With `tags`, the model
    also serves musicnn's own MSD tag scores, with their song scores on the training songs as the reference
    they are ranked against (:mod:`genre_core.tags`). Embeddings are kept in
    `embedding_cache` (:mod:`genre_trainer.models.embedding_cache`; None: nothing kept)."""
    started = time.monotonic()
    data = prepare_data(
        data_dir, seed, train_on, limit_per_genre, transfer.PARAMS, preprocessing=preprocessing, extra_dirs=extra_dirs
    )
    embedder = transfer.build_embedder()
    cache = EmbeddingCache(lambda windows: transfer.embed_with_tags(embedder, windows), embedding_cache)
    embedded: dict[str, tuple[WindowSet, np.ndarray]] = {}
    tag_scores: dict[str, np.ndarray] = {}
    for part in ("train", "valid"):
        windows = data.windows([part])
        embedding_started = time.monotonic()
        embeddings, window_tags = cache.embed_windows(windows.x, windows.song_ids)
        embedded[part] = (windows, embeddings)
        tag_scores[part] = window_tags
        logger.info(
            "musicnn embeddings of %d %s windows in %.0f s", len(windows), part, time.monotonic() - embedding_started
        )

    copies = _mastered_copies(data, cache) if mastering else {}
    fit_head = functools.partial(transfer.fit_head, extra_songs=frozenset(data.folds))

    def fit(parts: Sequence[str]) -> tuple[Pipeline, float]:
        labels = np.concatenate([embedded[part][0].y for part in parts] + [copies[p].y for p in parts if p in copies])
        if not len(labels):
            raise TrainerError(f"No decodable training songs in {data_dir} (split {data.split_name})")
        fit_started = time.monotonic()
        embeddings = np.concatenate([embedded[part][1] for part in parts] + [copies[p].x for p in parts if p in copies])
        song_ids = np.concatenate(
            [embedded[part][0].song_ids for part in parts] + [copies[p].song_ids for p in parts if p in copies]
        )
        head = fit_head(embeddings, labels, song_ids)
        return head, time.monotonic() - fit_started

    valid_set, valid_embeddings = embedded["valid"]
    aggregation = transfer.SONG_AGGREGATION
    held_out = train_on != "train+valid" and len(valid_set) > 0
    head, seconds = fit(["train"] if held_out else data.trained_on)
    measurement_seconds = None
    metrics = None
    if held_out:
        probabilities = head.predict_proba(valid_embeddings)
        metrics = evaluate(
            probabilities, valid_set.y, valid_set.song_ids, data.labels, split="valid", aggregation=aggregation
        )
    train_set, train_embeddings = embedded["train"]
    cross_validation = cross_validate(
        train_set,
        train_embeddings,
        copies.get("train"),
        data.folds,
        fit_head,
        data.labels,
        split=_cross_validation_split(data),
        aggregation=aggregation,
    )
    gtzan_only = _primary_only_on_extra(data, train_set, train_embeddings, copies.get("train"), aggregation)
    _log_extra_figures("cross-validated", cross_validation)
    _log_extra_figures("head fit without them", gtzan_only)
    train_only_head = head
    if train_on == "refit" and held_out:
        logger.info("Refitting the head on train + valid")
        measurement_seconds = seconds
        head, seconds = fit(data.trained_on)
        if metrics is not None:
            metrics = metrics.model_copy(update={"measured_on": "train-only fit"})
    non_music = None
    if music_detector:
        non_music = music_detectors.embed_non_music(
            lambda windows: cache.embed_groups([windows])[0][0], transfer.PARAMS, preprocessing, seed
        )
    outputs = ModelOutputs(
        genre=GENRE_OUTPUT,
        music=transfer.MUSIC_OUTPUT if music_detector else None,
        music_threshold=music_detectors.THRESHOLD if music_detector else 0.5,
        tags=transfer.TAGS_OUTPUT if tags else None,
        tag_names=list(musicnn.TAGS) if tags else None,
        tag_reference=_tag_reference(data, embedded, tag_scores) if tags else None,
    )

    def detector_on(parts: Sequence[str]) -> Pipeline | None:
        # The mastered copies are music too: without them a hard-limited or noisy song read as non-music.
        if non_music is None:
            return None
        music = [embedded[part][1] for part in parts] + [copies[part].x for part in parts if part in copies]
        return music_detectors.fit_detector(np.concatenate(music), non_music)

    model = transfer.serving_model(embedder, head, len(data.labels), detector_on(data.trained_on), tags=tags)
    check_set, check_embeddings = embedded["valid"] if len(valid_set) else embedded["train"]
    difference = transfer.check_head(model, head, check_set.x[:64], check_embeddings[:64])
    logger.info("The genre layer matches the fitted head: max abs difference %.2g", difference)

    recipe: dict[str, str | int | float | bool | None] = {
        "network": "musicnn MSD (pip musicnn 0.1.0), frozen",
        "head": "standardised logistic regression on each song's mean max+mean pooled embedding, "
        f"C {transfer.HEAD_C}, balanced"
        + (f"; mastering directions damped by their variance (strength {NUISANCE_STRENGTH:g})" if mastering else "")
        + (f"; extra songs weigh {transfer.EXTRA_SONG_WEIGHT:g}x" if data.folds else ""),
        "windows": "fixed back-to-back windows",
        "song": "window log-probabilities averaged (= the head on the song's mean embedding)",
        "preprocessing": preprocessing_set_name(preprocessing),
        "mastering_augmentation": ", ".join(AUGMENTATIONS) if mastering else None,
        "music_detector": "standardised logistic regression on the embedding, training windows"
        f"{' and their mastered copies' if mastering else ''} against synthetic speech, babble, applause, "
        f"noise and hum, C {music_detectors.DETECTOR_C}, balanced"
        if music_detector
        else None,
    }
    training = data.training_data(seed, 0, recipe).model_copy(
        update={
            "training_seconds": round(seconds, 1),
            "measurement_seconds": None if measurement_seconds is None else round(measurement_seconds, 1),
        }
    )
    fit_lines = [
        "- Training: no epochs: the network keeps its pretrained weights; the head was fit on the embeddings of "
        f"{' + '.join(training.trained_on)} songs (each song's mean window embedding) in {seconds:.0f} s; "
        "computing the embeddings takes most of the wall time.",
        "- A song's genre is the head applied to its mean embedding: the worker averages its windows' "
        "log-probabilities, which is the same thing for a linear head.",
        "- Settings chosen on validation songs: fitting on song means rather than single windows, the "
        "aggregation, and the head's regularisation (experiments/song_head); the damping of the mastering "
        "directions and the extra songs' weight, also on the validation songs' robustness conditions "
        "(experiments/robustness/nuisance_heads.py, docs/robustness.md).",
    ]
    if gtzan_only is not None:
        fit_lines.append(
            f"- For comparison, the same recipe without the extra songs (head fit on `{data.datasets[0].name}` alone) "
            f"scores them: song accuracy {gtzan_only.song_accuracy:.3f}, balanced "
            f"{gtzan_only.song_balanced_accuracy:.3f} ({gtzan_only.songs} songs)."
        )

    def card(manifest: ModelManifest) -> str:
        return render_report(
            manifest,
            command=command,
            wall_seconds=time.monotonic() - started,
            epochs_run=0,
            max_epochs=0,
            software=_software(),
            model_description="musicnn (Pons and Serra 2019), pretrained on the Million Song Dataset and frozen, "
            "with a genre layer fit here",
            fit_description=fit_lines,
        )

    artifact = {
        "name": MUSICNN_MODEL_NAME,
        "kind": "musicnn",
        "aggregation": aggregation,
        "outputs": outputs,
        "cross_validation": cross_validation,
    }
    if measurement_dir is not None and train_only_head is not head:
        train_only = transfer.serving_model(
            embedder, train_only_head, len(data.labels), detector_on(["train"]), tags=tags
        )
        write_measurement_artifact(measurement_dir, train_only, data, check_set.x, training, metrics, card, **artifact)
    manifest = write_artifact(artifact_dir, model, data, check_set.x, training, metrics, card, **artifact)
    return TrainingRun(manifest=manifest, model=model, valid=valid_set, artifact_dir=Path(artifact_dir))


def _log_extra_figures(name: str, figures: EvaluationMetrics | None) -> None:
    if figures is not None:
        logger.info(
            "extra songs, %s: %d songs, song accuracy %.3f, balanced %.3f",
            name,
            figures.songs,
            figures.song_accuracy,
            figures.song_balanced_accuracy,
        )


def _cross_validation_split(data: PreparedData) -> str:
    """What the cross-validation figures are of, e.g. `4q-mer, 5 folds by artist`."""
    by = "artist" if all(dataset.artists for dataset in data.datasets[1:]) else "artist where known, else by file"
    return f"{' + '.join(dataset.name for dataset in data.datasets[1:])}, {len(set(data.folds.values()))} folds by {by}"


def _tag_reference(
    data: PreparedData, embedded: dict[str, tuple[WindowSet, np.ndarray]], tag_scores: dict[str, np.ndarray]
) -> TagReference:
    """Each tag's song scores over the songs the model is trained on (as recorded, no mastering copies): a song's
    score is the mean over its windows, as the worker takes it over a song's music windows."""
    scores = [
        transfer.song_means(tag_scores[part], embedded[part][0].y, embedded[part][0].song_ids)[0]
        for part in data.trained_on
    ]
    names = " + ".join(dataset.name for dataset in data.datasets)
    return reference_from_scores(
        np.concatenate(scores), list(musicnn.TAGS), f"the training songs ({names}), each its mean over its windows"
    )


def _primary_only_on_extra(
    data: PreparedData,
    train: WindowSet,
    embeddings: np.ndarray,
    copies: WindowSet | None,
    aggregation: SongAggregation,
) -> EvaluationMetrics | None:
    """The extra songs scored by the head fit on the first dataset's training songs alone (and their copies): what
    the model knew of such music before it heard any; None without extra songs."""
    if not data.folds:
        return None
    probabilities, extra = held_out_probabilities(
        train, embeddings, copies, set(data.folds), transfer.fit_head, len(data.labels)
    )
    return evaluate(
        probabilities, train.y[extra], train.song_ids[extra], data.labels, split="extra songs", aggregation=aggregation
    )


def write_measurement_artifact(
    measurement_dir: Path,
    model: keras.Model,
    data: PreparedData,
    windows: np.ndarray,
    training: TrainingData,
    metrics: EvaluationMetrics | None,
    card: Callable[[ModelManifest], str],
    **artifact: object,
) -> ModelManifest:
    """The train-only fit of a refit run as an artifact of its own: its manifest says it saw the train songs only
    and that its validation figures are its own, so validation songs can be used to test it (e.g. by
    benchmarks/robustness.py) without testing on songs it learnt."""
    own_training = training.model_copy(update={"trained_on": ["train"], "measurement_seconds": None})
    own_metrics = None if metrics is None else metrics.model_copy(update={"measured_on": "these weights"})
    logger.info("Writing the train-only fit to %s", measurement_dir)
    return write_artifact(measurement_dir, model, data, windows, own_training, own_metrics, card, **artifact)


def _mastered_copies(
    data: PreparedData, cache: EmbeddingCache, augmentations: Sequence[str] = AUGMENTATIONS
) -> dict[str, WindowSet]:
    """Embeddings of every train and valid song's windows through each of `augmentations`, per part; each copy
    is a song of its own (`<song id>#<augmentation>`) of the same genre."""
    index_of = {label: index for index, label in enumerate(data.labels)}
    copies: dict[str, WindowSet] = {}
    started = time.monotonic()
    for part in ("train", "valid"):
        rows, labels, song_ids = [], [], []
        for song in data.songs_by_part.get(part, []):
            audio = load_audio(data.paths[song.song_id], data.params.sample_rate)
            song_copies: list[tuple[str, np.ndarray]] = []
            for offset, name in enumerate(augmentations):
                seed = zlib.crc32(copy_id(song.song_id, name).encode()) + offset
                try:
                    features = song_features(augmented(audio, name, data.params, seed), data.params, data.preprocessing)
                except PipelineError as error:
                    logger.warning("No %s copy of %s: %s", name, song.song_id, error)
                    continue
                song_copies.append((name, features.windows[~features.silent][..., np.newaxis]))
            # One network call per song for the copies the cache does not hold yet.
            for (name, windows), (embeddings, _) in zip(
                song_copies, cache.embed_groups([windows for _, windows in song_copies]), strict=True
            ):
                rows.append(embeddings)
                labels += [index_of[song.genre]] * len(windows)
                song_ids += [copy_id(song.song_id, name)] * len(windows)
        if rows:
            copies[part] = WindowSet(
                x=np.concatenate(rows), y=np.array(labels), song_ids=np.array(song_ids, dtype=object)
            )
        logger.info(
            "mastering copies of the %s songs in %.0f s (embedding cache: %d hits, %d misses so far)",
            part,
            time.monotonic() - started,
            cache.hits,
            cache.misses,
        )
    return copies


def write_artifact(
    artifact_dir: Path,
    model: keras.Model,
    data: PreparedData,
    windows: np.ndarray,
    training: TrainingData,
    metrics: EvaluationMetrics | None,
    card: Callable[[ModelManifest], str],
    name: str = MODEL_NAME,
    kind: str = "2d-cnn",
    aggregation: SongAggregation = "mean_probability",
    outputs: ModelOutputs | None = None,
    cross_validation: EvaluationMetrics | None = None,
) -> ModelManifest:
    """Export, check parity on (the first PARITY_WINDOWS of) `windows`, write manifest, card and confusion figure
    in a staging folder, then move it into place."""
    check_windows = windows[:PARITY_WINDOWS]
    with staged_directory(artifact_dir) as staging:
        manifest = export_artifact(
            model,
            staging,
            data.labels,
            data.params,
            training,
            metrics,
            check_windows,
            name=name,
            kind=kind,
            aggregation=aggregation,
            preprocessing=data.preprocessing,
            outputs=outputs,
            cross_validation=cross_validation,
        )
        (staging / REPORT_FILE).write_text(card(manifest))
        write_confusion_figure(manifest, staging)
    logger.info("Wrote %s %s to %s", manifest.name, manifest.version, artifact_dir)
    return manifest


def _software() -> str:
    return f"Python {platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}"


def _first_per_genre(files: Sequence[SongFile], limit: int) -> list[SongFile]:
    taken: dict[str, int] = {}
    kept = []
    for file in files:
        taken[file.genre] = taken.get(file.genre, 0) + 1
        if taken[file.genre] <= limit:
            kept.append(file)
    return kept


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
