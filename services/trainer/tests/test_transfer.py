"""The served musicnn model: its genre head in Keras layers, and one tiny real training run to an artifact."""

from __future__ import annotations

import subprocess
from pathlib import Path

import keras
import numpy as np
import pytest

from genre_core.audio import load_audio
from genre_core.manifest import MANIFEST_FILE, read_manifest, serving_params
from genre_core.params import MUSICNN_FEATURE_PARAMS
from genre_core.preprocessing import LOUDNESS_LIMITED, song_features
from genre_core.results import song_probabilities
from genre_trainer.artifacts.export import MODEL_FILE
from genre_trainer.artifacts.litert import litert_outputs, litert_predict
from genre_trainer.data.mastering import AUGMENTATIONS
from genre_trainer.data.non_music import HELD_OUT_VOICE
from genre_trainer.evaluation.report import CONFUSION_FIGURE, REPORT_FILE
from genre_trainer.models import musicnn, transfer
from genre_trainer.training.pipeline import MUSICNN_MODEL_NAME, TrainingRun, run_musicnn_training


def test_the_keras_head_computes_what_was_fit_even_with_near_constant_features() -> None:
    # musicnn has units whose pooled output varies by 1e-12 around 2e-6: a plain standard scaler divides
    # float32 rounding by 1e-12, and the Keras head then disagreed with the fitted one by 0.06.
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(3), 40)
    embeddings = rng.normal(labels[:, np.newaxis], 1.0, (120, 16)).astype(np.float32)
    embeddings[:, 3] = np.float32(2e-6) + rng.normal(0, 1e-12, 120).astype(np.float32)
    embeddings[:, 5] = 0.0
    head = transfer.fit_head(embeddings, labels, song_ids=np.arange(120))
    identity = keras.Input((16,))
    model = transfer.serving_model(keras.Model(identity, {"embedding": identity}), head, n_labels=3)
    windows = embeddings.copy()
    windows[:, 3] += np.float32(1e-7)  # what another runtime's rounding does to the same window
    assert transfer.check_head(model, head, windows, embeddings) <= transfer.HEAD_TOLERANCE


def test_the_head_is_fit_on_song_means_and_serves_songs_as_it_was_fit() -> None:
    rng = np.random.default_rng(1)
    song_labels = np.repeat(np.arange(3), 8)
    song_ids = np.repeat(np.arange(24), 5)  # 24 songs of 5 windows
    embeddings = rng.normal(song_labels[song_ids, np.newaxis], 2.0, (120, 16)).astype(np.float32)
    means, labels = transfer.song_means(embeddings, song_labels[song_ids], song_ids)
    assert means.shape == (24, 16) and labels.tolist() == song_labels.tolist()
    np.testing.assert_allclose(means[7], embeddings[song_ids == 7].astype(np.float64).mean(axis=0), rtol=1e-9)

    head = transfer.fit_head(embeddings, song_labels[song_ids], song_ids)
    identity = keras.Input((16,))
    model = transfer.serving_model(keras.Model(identity, {"embedding": identity}), head, n_labels=3)
    window_probabilities = model.predict(embeddings, verbose=0)
    aggregation = transfer.SONG_AGGREGATION
    served = [song_probabilities(window_probabilities[song_ids == song], aggregation) for song in range(24)]
    np.testing.assert_allclose(served, head.predict_proba(means), atol=1e-4)


def test_a_song_whose_windows_disagree_on_its_label_is_refused() -> None:
    labels = np.array([0, 0, 1, 1, 2, 1])
    with pytest.raises(ValueError, match=r"song 7 have several labels: \[1, 2\]"):
        transfer.song_means(np.zeros((6, 4), np.float32), labels, np.array([3, 3, 7, 7, 7, 9]))


@pytest.fixture(scope="module")
def run(tiny_dataset: Path, tiny_extra_dataset: Path, tmp_path_factory: pytest.TempPathFactory) -> TrainingRun:
    artifact_dir = tmp_path_factory.mktemp("artifacts") / "musicnn"
    return run_musicnn_training(
        tiny_dataset,
        artifact_dir,
        seed=0,
        train_on="refit",
        command="train musicnn (test)",
        preprocessing=LOUDNESS_LIMITED,
        music_detector=True,
        mastering=True,
        measurement_dir=artifact_dir.parent / "musicnn-train-only",
        extra_dirs=[tiny_extra_dataset],
    )


def test_the_artifact_is_served_with_musicnns_own_features(run: TrainingRun, corrupt_file: str) -> None:
    manifest = read_manifest(run.artifact_dir)
    assert manifest.name == MUSICNN_MODEL_NAME and manifest.version.startswith("musicnn-")
    assert serving_params(manifest) == MUSICNN_FEATURE_PARAMS
    assert manifest.song_aggregation == "mean_log_probability"
    assert manifest.input_shape == [96, 188, 1]
    assert manifest.preprocessing == LOUDNESS_LIMITED
    outputs = manifest.outputs
    assert outputs is not None and (outputs.genre, outputs.music, outputs.tags) == ("genre", "music", "tags")
    assert outputs.tag_names == list(musicnn.TAGS) and outputs.tag_reference is not None
    # The reference is the songs trained on (train + valid of the refit), each song once, no mastered copies.
    assert outputs.tag_reference.songs == sum(manifest.training.songs_per_split[part] for part in ("train", "valid"))
    assert manifest.model_bytes <= 5_000_000
    assert manifest.metrics is not None and manifest.metrics.measured_on == "train-only fit"
    assert manifest.training.trained_on == ["train", "valid"] and corrupt_file in manifest.training.skipped_files
    files = sorted(path.name for path in run.artifact_dir.iterdir())
    assert files == sorted([MODEL_FILE, MANIFEST_FILE, REPORT_FILE, CONFUSION_FIGURE])
    card = (run.artifact_dir / REPORT_FILE).read_text()
    assert "musicnn (Pons and Serra 2019)" in card and "log10(1 + 10000 x power)" in card and "no epochs" in card


def test_the_model_file_classifies_a_song_as_keras_does(run: TrainingRun, clip_path: Path) -> None:
    audio = load_audio(clip_path, MUSICNN_FEATURE_PARAMS.sample_rate)
    windows = song_features(audio, MUSICNN_FEATURE_PARAMS, LOUDNESS_LIMITED).windows[..., np.newaxis]
    served = litert_outputs(run.artifact_dir / MODEL_FILE, windows)
    expected = run.model.predict(windows, verbose=0)
    assert served["genre"].shape == (10, 3) and served["music"].shape == (10, 1) and served["tags"].shape == (10, 50)
    for name in ("genre", "music", "tags"):
        np.testing.assert_allclose(served[name], expected[name], atol=1e-4)
    # The tags are musicnn's own: the same scores as the MSD network alone gives these windows.
    _, musicnn_tags = transfer.embed_with_tags(transfer.build_embedder(), windows)
    np.testing.assert_allclose(served["tags"], musicnn_tags, atol=1e-4)
    np.testing.assert_array_equal(litert_predict(run.artifact_dir / MODEL_FILE, windows), served["genre"])


def test_the_music_detector_tells_a_song_from_a_voice(run: TrainingRun, clip_path: Path, tmp_path: Path) -> None:
    params = MUSICNN_FEATURE_PARAMS
    speech_file = tmp_path / "speech.wav"
    text = "Good evening and welcome back to the channel. Tonight we listen to a record I love, so stay tuned."
    subprocess.run(["espeak-ng", "-v", HELD_OUT_VOICE, "-w", str(speech_file), text], check=True)
    scores = {}
    for name, path in (("song", clip_path), ("speech", speech_file)):
        features = song_features(load_audio(path, params.sample_rate), params, LOUDNESS_LIMITED)
        windows = features.windows[~features.silent][..., np.newaxis]
        scores[name] = litert_outputs(run.artifact_dir / MODEL_FILE, windows)["music"][:, 0]
    assert np.all(scores["song"] > 0.5), scores["song"]
    assert np.all(scores["speech"] < 0.5), scores["speech"]


def test_a_refit_run_also_writes_the_train_only_fit_its_figures_are_of(run: TrainingRun) -> None:
    shipped = read_manifest(run.artifact_dir)
    train_only = read_manifest(run.artifact_dir.parent / "musicnn-train-only")
    assert shipped.training.trained_on == ["train", "valid"] and train_only.training.trained_on == ["train"]
    assert shipped.metrics is not None and train_only.metrics is not None
    assert train_only.metrics.measured_on == "these weights"
    assert train_only.metrics.song_accuracy == shipped.metrics.song_accuracy
    assert train_only.version != shipped.version  # other weights
    assert shipped.training.recipe["mastering_augmentation"] == ", ".join(AUGMENTATIONS)


def test_extra_songs_train_the_model_and_are_cross_validated_by_artist(run: TrainingRun) -> None:
    manifest = read_manifest(run.artifact_dir)
    gtzan, extra = manifest.training.datasets
    assert extra.split == "all in train; 3 folds by artist" and extra.artists == 3
    assert extra.songs_per_genre == {"train": {"blues": 4}}
    assert gtzan.songs_per_genre["valid"] == {"blues": 2, "classical": 2, "metal": 2}
    assert gtzan.songs_per_genre["train"] == {"blues": 2, "classical": 2, "metal": 2}  # the corrupt one skipped
    assert manifest.training.songs_per_split["train"] == 6 + 4
    assert manifest.training.dataset == f"{gtzan.name}+{extra.name}"
    cross = manifest.cross_validation
    assert cross is not None and cross.songs == 4 and cross.per_genre["blues"].support == 4
    assert cross.split.endswith("3 folds by artist")
    card = (run.artifact_dir / REPORT_FILE).read_text()
    assert "## Datasets" in card and f"## Figures on `{cross.split}` (4 songs" in card
    assert "the same recipe without the extra songs" in card
