"""The model artifact: a model file plus `manifest.json`, and the check that it fits this code."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from genre_core.errors import IncompatibleModel
from genre_core.params import FEATURE_PARAM_SETS, FeatureParams, feature_param_set_name
from genre_core.preprocessing import NO_PREPROCESSING, PREPROCESSING_SETS, Preprocessing, preprocessing_set_name
from genre_core.results import SongAggregation
from genre_core.tags import TagReference

MANIFEST_FILE = "manifest.json"
SCHEMA_VERSION = 1


class GenreScores(BaseModel):
    precision: float
    recall: float
    f1: float
    support: int = Field(description="Songs of this genre behind the figures.")


class EvaluationMetrics(BaseModel):
    """Figures of one model on one split; song-level figures aggregate a song's windows by mean probability."""

    split: str = Field(description="Which part of the data these figures come from, e.g. 'valid'.")
    songs: int
    windows: int
    song_accuracy: float
    window_accuracy: float
    song_balanced_accuracy: float
    song_macro_f1: float
    window_macro_f1: float
    per_genre: dict[str, GenreScores] = Field(description="Song-level scores per genre.")
    confusion_matrix: list[list[int]] = Field(description="Song-level; rows are true labels, columns predictions.")
    measured_on: Literal["these weights", "train-only fit"] = Field(
        default="these weights",
        description="'train-only fit': the figures are those of the same recipe fit without this split's songs; "
        "the shipped weights were then refit on them too.",
    )


class DatasetSummary(BaseModel):
    """One dataset a model learnt from, how its songs were split, and how many of each genre each part holds."""

    name: str = Field(description="The dataset folder's name.")
    split: str = Field(description="How its songs were split, e.g. 'gtzan-filtered' or '5 folds by artist'.")
    songs_per_genre: dict[str, dict[str, int]] = Field(description="Part -> genre -> songs.")
    artists: int | None = Field(default=None, description="Distinct artists, where the dataset names them.")


class TrainingData(BaseModel):
    dataset: str = Field(description="Name of the dataset folder the model was trained on (several: joined by +).")
    split: str = Field(description="How songs were split, e.g. 'gtzan-filtered'.")
    songs_per_split: dict[str, int]
    windows_per_split: dict[str, int]
    trained_on: list[str] = Field(description="The parts of the split whose songs the weights saw.")
    skipped_files: list[str] = Field(default_factory=list)
    epochs: int
    seed: int
    training_seconds: float = Field(description="Fitting the shipped weights.")
    measurement_seconds: float | None = Field(
        default=None, description="With a refit: the train-only fit that produced the metrics."
    )
    songs_per_genre: dict[str, dict[str, int]] = Field(
        default_factory=dict, description="Part of the split -> genre -> songs: how much each figure rests on."
    )
    recipe: dict[str, str | int | float | bool | None] = Field(
        default_factory=dict, description="How the weights were trained (inputs, augmentation, selection)."
    )
    datasets: list[DatasetSummary] = Field(
        default_factory=list,
        description="Every dataset behind the weights: the first is the one `split` and `metrics` refer to; the "
        "others' songs are all in `train`. Empty in manifests written before the field existed (one dataset).",
    )


class ModelOutputs(BaseModel):
    """The named outputs of a model with more than one (the names of its LiteRT signature)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    genre: str = Field(description="The output of genre probabilities, one per label.")
    music: str | None = Field(
        default=None,
        description="The output of each window's probability of being music (speech, applause, "
        "noise score low); null when the model has no music detector.",
    )
    music_threshold: float = Field(default=0.5, description="Windows scored under this are `not_music`.")
    tags: str | None = Field(
        default=None, description="The output of each window's tag scores; null when the model has no tags."
    )
    tag_names: list[str] | None = Field(default=None, description="The tags of the `tags` output, in its order.")
    tag_reference: TagReference | None = Field(
        default=None, description="Each tag's song scores on the training songs: what a song's tag is measured by."
    )


class ModelManifest(BaseModel):
    # A field this code does not know (written by a newer trainer) may change how the model must be served:
    # refuse the artifact rather than serve it half-read.
    model_config = ConfigDict(extra="forbid")

    schema_version: int = SCHEMA_VERSION
    name: str
    version: str
    created_at: datetime
    runtime: Literal["litert"] = "litert"
    model_file: str
    model_bytes: int
    parameters: int
    labels: list[str]
    feature_params: FeatureParams
    input_shape: list[int] = Field(description="One input window, without the batch axis.")
    training: TrainingData
    metrics: EvaluationMetrics | None = None
    cross_validation: EvaluationMetrics | None = Field(
        default=None,
        description="The extra datasets' songs, each scored by the same recipe fit without its fold (folds keep "
        "an artist on one side); null without extra datasets or for recipes too costly to refit per fold.",
    )
    song_aggregation: SongAggregation = Field(
        default="mean_probability",
        description="How the model's window probabilities make a song's: its metrics were measured this way, "
        "and the worker serves it this way. Manifests written before the field existed averaged probabilities.",
    )
    preprocessing: Preprocessing = Field(
        default=NO_PREPROCESSING,
        description="Loudness normalisation and silence screening the model was trained with; the worker applies "
        "the same. Manifests written before the field existed used none.",
    )
    outputs: ModelOutputs | None = Field(
        default=None, description="Named outputs; null for a model whose one output is the genre probabilities."
    )


def read_manifest(artifact_dir: str | Path) -> ModelManifest:
    path = Path(artifact_dir) / MANIFEST_FILE
    try:
        return ModelManifest.model_validate_json(path.read_bytes())
    except FileNotFoundError as error:
        raise IncompatibleModel(f"No {MANIFEST_FILE} in {artifact_dir}: not a model artifact") from error
    except ValidationError as error:
        # E.g. a feature parameter this code does not know: serving it would silently ignore it.
        raise IncompatibleModel(f"{path} is not a manifest this code can serve: {error}") from error


def write_manifest(manifest: ModelManifest, artifact_dir: str | Path) -> Path:
    path = Path(artifact_dir) / MANIFEST_FILE
    path.write_text(manifest.model_dump_json(indent=2) + "\n")
    return path


def ensure_compatible(manifest: ModelManifest, params: FeatureParams) -> None:
    """Refuse an artifact trained on features other than the ones this code computes.

    Raises:
        IncompatibleModel: the schema version or any feature parameter differs, or the model was trained with
            preprocessing this code does not apply.
    """
    if manifest.schema_version != SCHEMA_VERSION:
        raise IncompatibleModel(
            f"Model manifest schema {manifest.schema_version} is not the supported schema {SCHEMA_VERSION}"
        )
    differences = _differences(manifest.feature_params, params)
    if differences:
        raise IncompatibleModel(
            f"Model {manifest.name} {manifest.version} was trained with other feature parameters ("
            + "; ".join(differences)
            + "); retrain it or run the code version it was made with"
        )
    if preprocessing_set_name(manifest.preprocessing) is None:
        raise IncompatibleModel(
            f"Model {manifest.name} {manifest.version} was trained with preprocessing this code does not apply "
            f"({manifest.preprocessing.model_dump()}; known: {', '.join(PREPROCESSING_SETS)}); retrain it or run "
            "the code version it was made with"
        )
    expected_shape = [*params.input_shape, 1]
    if manifest.input_shape != expected_shape:
        raise IncompatibleModel(f"Model input shape {manifest.input_shape} is not {expected_shape}")


def serving_params(manifest: ModelManifest) -> FeatureParams:
    """The feature parameters to serve `manifest`'s model with: the set of :data:`FEATURE_PARAM_SETS` it was
    trained on.

    Raises:
        IncompatibleModel: it was trained on features this code does not compute (the differences from the
            nearest set are listed), or its schema or input shape does not fit.
    """
    if feature_param_set_name(manifest.feature_params) is None:
        name, nearest = min(
            FEATURE_PARAM_SETS.items(), key=lambda item: len(_differences(manifest.feature_params, item[1]))
        )
        raise IncompatibleModel(
            f"Model {manifest.name} {manifest.version} was trained with feature parameters this code does not "
            f"compute (nearest set {name}: "
            + "; ".join(_differences(manifest.feature_params, nearest))
            + "); retrain it or run the code version it was made with"
        )
    ensure_compatible(manifest, manifest.feature_params)
    return manifest.feature_params


def _differences(trained: FeatureParams, served: FeatureParams) -> list[str]:
    model, code = trained.model_dump(), served.model_dump()
    return [f"{name}: model {model.get(name)!r}, code {code[name]!r}" for name in code if model.get(name) != code[name]]
