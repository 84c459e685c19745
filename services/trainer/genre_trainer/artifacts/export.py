"""The model artifact: the LiteRT file the worker runs, checked against Keras, plus its manifest.

The worker serves the `.tflite` file, not the Keras model, so the file is run once here through the
same LiteRT interpreter and its outputs compared with Keras's on real windows: a conversion that
changed the numbers fails the training run instead of shipping.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import keras
import numpy as np

from genre_core.manifest import EvaluationMetrics, ModelManifest, ModelOutputs, TrainingData, write_manifest
from genre_core.params import FeatureParams
from genre_core.preprocessing import NO_PREPROCESSING, Preprocessing
from genre_core.results import SongAggregation
from genre_trainer.artifacts.litert import litert_outputs, litert_predict

logger = logging.getLogger(__name__)

MODEL_FILE = "model.tflite"
MODEL_NAME = "genre-2d-cnn"
PARITY_TOLERANCE = 1e-4


class ParityError(RuntimeError):
    """The exported file's outputs differ from the Keras model's."""


def export_litert(model: keras.Model, path: Path) -> Path:
    """Write `model` as a LiteRT flatbuffer (float32, dynamic batch axis)."""
    model.export(str(path), format="litert")
    return path


def check_parity(
    model_path: Path, model: keras.Model, windows: np.ndarray, tolerance: float = PARITY_TOLERANCE
) -> float:
    """Largest absolute difference between LiteRT's and Keras's probabilities on `windows`.

    Raises:
        ParityError: the difference exceeds `tolerance`.
    """
    expected = model.predict(windows, batch_size=256, verbose=0)
    if isinstance(expected, dict):
        served = litert_outputs(model_path, windows)
        if set(served) != set(expected):
            raise ParityError(f"{model_path.name} has outputs {sorted(served)}, the Keras model {sorted(expected)}")
        difference = max(float(np.max(np.abs(served[name] - expected[name]))) for name in expected)
    else:
        difference = float(np.max(np.abs(litert_predict(model_path, windows) - expected)))
    if not difference <= tolerance:  # also catches NaN
        raise ParityError(f"{model_path.name} differs from the Keras model by {difference:.3g} (> {tolerance:g})")
    return difference


def model_version(model_path: Path, created_at: datetime, kind: str = "2d-cnn") -> str:
    """`<kind>-YYYYMMDD-<first 8 hex of the file's SHA-256>`: readable, and different whenever the weights are."""
    digest = hashlib.sha256(model_path.read_bytes()).hexdigest()
    return f"{kind}-{created_at:%Y%m%d}-{digest[:8]}"


def export_artifact(
    model: keras.Model,
    directory: Path,
    labels: Sequence[str],
    params: FeatureParams,
    training: TrainingData,
    metrics: EvaluationMetrics | None,
    check_windows: np.ndarray,
    name: str = MODEL_NAME,
    kind: str = "2d-cnn",
    aggregation: SongAggregation = "mean_probability",
    preprocessing: Preprocessing = NO_PREPROCESSING,
    outputs: ModelOutputs | None = None,
    cross_validation: EvaluationMetrics | None = None,
) -> ModelManifest:
    """Write `model.tflite` and `manifest.json` into `directory` after checking parity on `check_windows`.

    `name` is the model's name in the manifest, `kind` the first part of its version, `aggregation` how its
    window probabilities make a song's (as its metrics were measured).
    """
    model_path = export_litert(model, directory / MODEL_FILE)
    difference = check_parity(model_path, model, check_windows)
    logger.info("LiteRT matches Keras on %d windows: max abs difference %.2g", len(check_windows), difference)
    created_at = datetime.now(UTC).replace(microsecond=0)
    manifest = ModelManifest(
        name=name,
        version=model_version(model_path, created_at, kind),
        created_at=created_at,
        model_file=MODEL_FILE,
        model_bytes=model_path.stat().st_size,
        parameters=model.count_params(),
        labels=list(labels),
        feature_params=params,
        input_shape=[*params.input_shape, 1],
        training=training,
        metrics=metrics,
        song_aggregation=aggregation,
        preprocessing=preprocessing,
        outputs=outputs,
        cross_validation=cross_validation,
    )
    write_manifest(manifest, directory)
    return manifest
