"""The manifest check that stops a model from being served features it was not trained on."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from genre_core.errors import IncompatibleModel
from genre_core.manifest import ModelManifest, TrainingData, ensure_compatible, read_manifest, write_manifest
from genre_core.params import DEFAULT_FEATURE_PARAMS, FeatureParams


def _manifest(params: FeatureParams = DEFAULT_FEATURE_PARAMS, input_shape: list[int] | None = None) -> ModelManifest:
    return ModelManifest(
        name="test",
        version="0",
        created_at=datetime.now(UTC),
        model_file="model.tflite",
        model_bytes=1,
        parameters=1,
        labels=["a", "b"],
        feature_params=params,
        input_shape=input_shape or [*params.input_shape, 1],
        training=TrainingData(
            dataset="x", split="y", songs_per_split={}, windows_per_split={}, trained_on=[], epochs=1, seed=0,
            training_seconds=0.0,
        ),
    )  # fmt: skip


def test_matching_parameters_are_accepted() -> None:
    ensure_compatible(_manifest(), DEFAULT_FEATURE_PARAMS)


@pytest.mark.parametrize(
    "change", [{"n_mels": 64}, {"sample_rate": 16000}, {"hop_length": 256}, {"window_seconds": 5.0}]
)
def test_any_differing_parameter_is_refused(change: dict[str, float]) -> None:
    trained_with = FeatureParams(**change)
    with pytest.raises(IncompatibleModel, match=next(iter(change))):
        ensure_compatible(_manifest(trained_with), DEFAULT_FEATURE_PARAMS)


def test_round_trip_through_the_file(tmp_path: Path) -> None:
    write_manifest(_manifest(), tmp_path)
    assert read_manifest(tmp_path).labels == ["a", "b"]


def test_missing_manifest_is_reported(tmp_path: Path) -> None:
    with pytest.raises(IncompatibleModel, match=r"manifest\.json"):
        read_manifest(tmp_path)
