"""The exported model on real audio, through the worker's LiteRT classifier."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from genre_core.errors import IncompatibleModel, TooShort
from genre_core.manifest import read_manifest
from genre_core.params import DEFAULT_FEATURE_PARAMS, MUSICNN_FEATURE_PARAMS
from genre_worker.classifier import Classifier

REPO_ROOT = Path(__file__).resolve().parents[3]
SHIPPED = {"default": REPO_ROOT / "models" / "default", "cnn2d": REPO_ROOT / "models" / "cnn2d"}


@pytest.fixture(scope="module", params=list(SHIPPED))
def shipped(request: pytest.FixtureRequest) -> Path:
    """Each shipped artifact: musicnn (the default) and the small 2D CNN; they take different features."""
    return SHIPPED[request.param]


@pytest.fixture(scope="module")
def classifier(shipped: Path) -> Classifier:
    return Classifier(shipped)


def test_each_shipped_artifact_is_served_with_the_features_it_was_trained_on() -> None:
    assert Classifier(SHIPPED["default"]).params == MUSICNN_FEATURE_PARAMS
    assert Classifier(SHIPPED["cnn2d"]).params == DEFAULT_FEATURE_PARAMS
    with pytest.raises(IncompatibleModel, match="sample_rate: model 16000, code 22050"):
        Classifier(SHIPPED["default"], DEFAULT_FEATURE_PARAMS)


def test_result_of_a_real_clip(classifier: Classifier, shipped: Path, clip_path: Path) -> None:
    result = classifier.classify_file(clip_path)
    manifest = read_manifest(shipped)
    assert result.labels == manifest.labels
    assert list(result.song_probabilities) == manifest.labels
    assert sum(result.song_probabilities.values()) == pytest.approx(1.0, abs=1e-5)
    assert result.top_genre == max(result.song_probabilities, key=result.song_probabilities.get)
    assert result.model_version == manifest.version
    # Windows tile the song from its start, 3 s each, up to its last whole window.
    assert len(result.windows) == 10
    assert [w.start_seconds for w in result.windows] == [3.0 * i for i in range(10)]
    assert result.windows[-1].end_seconds <= result.duration_seconds
    for window in result.windows:
        assert sum(window.probabilities) == pytest.approx(1.0, abs=1e-4)


def test_long_songs_are_predicted_in_batches_with_the_same_result(classifier: Classifier) -> None:
    rng = np.random.default_rng(0)
    windows = rng.normal(-30, 20, size=(69, *classifier.params.input_shape)).astype(np.float32)
    if classifier.params.compression == "log1p":
        windows = np.abs(windows) / 10  # log10(1 + 10000 x) of a power is never negative
    together = classifier.predict(windows)
    one_by_one = np.concatenate([classifier.predict(windows[i : i + 1]) for i in range(len(windows))])
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)


def test_too_short_audio_is_refused(classifier: Classifier) -> None:
    with pytest.raises(TooShort):
        classifier.classify_audio(np.zeros(2 * classifier.params.sample_rate, dtype=np.float32))


def test_artifact_with_other_feature_parameters_is_refused(tmp_path: Path) -> None:
    for item in SHIPPED["cnn2d"].iterdir():
        shutil.copy(item, tmp_path / item.name)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    manifest["feature_params"]["n_mels"] = 96
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IncompatibleModel, match="n_mels"):
        Classifier(tmp_path, DEFAULT_FEATURE_PARAMS)
    # As the worker loads it: the parameters are read from the manifest, and must be a set this code computes.
    with pytest.raises(IncompatibleModel, match="nearest set log-mel-22k: n_mels: model 96, code 128"):
        Classifier(tmp_path)


def test_optimized_path_equals_the_reference_path(classifier: Classifier, clip_path: Path) -> None:
    # Reference: librosa's float64 log-mel of the whole song, sliced, and the model run one window at a time.
    import librosa

    from genre_core.audio import load_audio
    from genre_core.features import slice_windows
    from genre_core.preprocessing import song_features

    params = classifier.params
    audio = load_audio(clip_path, params.sample_rate)
    mel = librosa.feature.melspectrogram(
        y=audio.astype(np.float64), sr=params.sample_rate, n_fft=params.n_fft, hop_length=params.hop_length,
        n_mels=params.n_mels,
    )  # fmt: skip
    preprocessing = classifier.manifest.preprocessing
    if preprocessing.loudness_target_lufs is not None:
        # The song brought to the target loudness (the loudness measure itself is checked against pyloudnorm).
        loudness = song_features(audio, params, preprocessing).loudness_lufs
        mel *= 10 ** ((preprocessing.loudness_target_lufs - loudness) / 10)
    if params.compression == "db":
        reference_input = librosa.power_to_db(mel, ref=1.0, amin=params.db_amin, top_db=None)
    else:
        reference_input = np.log10(1 + params.log1p_gain * mel)
    windows = slice_windows(reference_input.astype(np.float32), len(audio), params)
    reference = np.concatenate([classifier.predict(windows[i : i + 1]) for i in range(len(windows))])

    result = classifier.classify_file(clip_path)
    ours = np.array([window.probabilities for window in result.windows])
    np.testing.assert_allclose(ours, reference, atol=1e-4)
    if classifier.manifest.song_aggregation == "mean_probability":
        reference_song = reference.mean(axis=0)
    else:  # the geometric mean of the windows' probabilities, normalised
        reference_song = np.exp(np.log(reference.astype(np.float64)).mean(axis=0))
        reference_song /= reference_song.sum()
    np.testing.assert_allclose(list(result.song_probabilities.values()), reference_song, atol=1e-4)
    assert result.song_aggregation == classifier.manifest.song_aggregation
