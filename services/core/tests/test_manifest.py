"""The manifest check that stops a model from being served features it was not trained on."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from genre_core.errors import IncompatibleModel
from genre_core.manifest import (
    ModelManifest,
    TrainingData,
    ensure_compatible,
    read_manifest,
    serving_params,
    write_manifest,
)
from genre_core.params import DEFAULT_FEATURE_PARAMS, MUSICNN_FEATURE_PARAMS, FeatureParams
from genre_core.preprocessing import LOUDNESS_LIMITED, LOUDNESS_SCREENED, NO_PREPROCESSING, Preprocessing


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


@pytest.mark.parametrize("params", [DEFAULT_FEATURE_PARAMS, MUSICNN_FEATURE_PARAMS])
def test_a_model_trained_on_a_set_this_code_computes_is_served_with_that_set(params: FeatureParams) -> None:
    assert serving_params(_manifest(params)) == params


def test_a_model_trained_on_features_no_set_matches_is_refused_with_the_nearest_sets_differences() -> None:
    trained_with = MUSICNN_FEATURE_PARAMS.model_copy(update={"log1p_gain": 1.0})
    with pytest.raises(IncompatibleModel, match=r"nearest set musicnn-16k: log1p_gain: model 1\.0, code 10000\.0\)"):
        serving_params(_manifest(trained_with))


def test_a_manifest_written_before_compression_existed_reads_as_decibels(tmp_path: Path) -> None:
    document = json.loads(_manifest().model_dump_json())
    for name in ("compression", "log1p_gain"):
        del document["feature_params"][name]
    (tmp_path / "manifest.json").write_text(json.dumps(document))
    assert serving_params(read_manifest(tmp_path)) == DEFAULT_FEATURE_PARAMS


def test_a_feature_parameter_this_code_does_not_know_is_refused_not_ignored(tmp_path: Path) -> None:
    document = json.loads(_manifest().model_dump_json())
    document["feature_params"]["pre_emphasis"] = 0.97
    (tmp_path / "manifest.json").write_text(json.dumps(document))
    with pytest.raises(IncompatibleModel, match="pre_emphasis"):
        read_manifest(tmp_path)


def test_a_manifest_written_before_song_aggregation_existed_averages_probabilities(tmp_path: Path) -> None:
    document = json.loads(_manifest().model_dump_json())
    del document["song_aggregation"]
    (tmp_path / "manifest.json").write_text(json.dumps(document))
    assert read_manifest(tmp_path).song_aggregation == "mean_probability"


def test_a_manifest_field_this_code_does_not_know_is_refused_not_ignored(tmp_path: Path) -> None:
    # A newer trainer's field may change how the model must be served (as song_aggregation did).
    document = json.loads(_manifest().model_dump_json())
    document["window_hop_seconds"] = 1.5
    (tmp_path / "manifest.json").write_text(json.dumps(document))
    with pytest.raises(IncompatibleModel, match="window_hop_seconds"):
        read_manifest(tmp_path)


def test_a_manifest_written_before_preprocessing_existed_reads_as_none(tmp_path: Path) -> None:
    document = json.loads(_manifest().model_dump_json())
    del document["preprocessing"]
    del document["outputs"]
    (tmp_path / "manifest.json").write_text(json.dumps(document))
    manifest = read_manifest(tmp_path)
    assert manifest.preprocessing == NO_PREPROCESSING and manifest.outputs is None


def test_a_model_trained_with_preprocessing_this_code_does_not_apply_is_refused() -> None:
    # Train/serve skew through the level: a model trained at -14 LUFS served at -20 would hear every song 6 dB
    # quieter than it learnt it.
    manifest = _manifest().model_copy(
        update={"preprocessing": Preprocessing(loudness_target_lufs=-14.0, silence_below_song_lu=35.0)}
    )
    with pytest.raises(IncompatibleModel, match="preprocessing"):
        ensure_compatible(manifest, DEFAULT_FEATURE_PARAMS)
    ensure_compatible(manifest.model_copy(update={"preprocessing": LOUDNESS_SCREENED}), DEFAULT_FEATURE_PARAMS)


def test_a_model_limited_to_another_ceiling_is_refused() -> None:
    # A model that heard every song limited 6 dB above its loudness would get songs limited 9 dB above.
    other = LOUDNESS_LIMITED.model_copy(update={"limit_peaks_above_loudness_db": 6.0})
    with pytest.raises(IncompatibleModel, match="preprocessing"):
        ensure_compatible(_manifest().model_copy(update={"preprocessing": other}), DEFAULT_FEATURE_PARAMS)
    ensure_compatible(_manifest().model_copy(update={"preprocessing": LOUDNESS_LIMITED}), DEFAULT_FEATURE_PARAMS)


def test_a_preprocessing_step_this_code_does_not_know_is_refused_not_ignored(tmp_path: Path) -> None:
    document = json.loads(_manifest().model_dump_json())
    document["preprocessing"]["dynamic_range_compression"] = True
    (tmp_path / "manifest.json").write_text(json.dumps(document))
    with pytest.raises(IncompatibleModel, match="dynamic_range_compression"):
        read_manifest(tmp_path)
