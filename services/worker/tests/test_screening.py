"""The shipped default model on what is not the song: silence, a spoken intro, noise. Only music votes."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest
import soundfile

from genre_core.audio import load_audio, resample
from genre_core.errors import NotMusic, SilentAudio
from genre_worker.classifier import Classifier

DEFAULT_MODEL = Path(__file__).resolve().parents[3] / "models" / "default"


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(DEFAULT_MODEL)


@pytest.fixture(scope="module")
def song(classifier: Classifier, gtzan_dir: Path) -> np.ndarray:
    return load_audio(gtzan_dir / "genres" / "jazz" / "jazz.00001.ogg", classifier.params.sample_rate)


def _speech(text: str, rate: int, tmp_path: Path) -> np.ndarray:
    path = tmp_path / "speech.wav"
    subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(path), text], check=True)
    signal, native = soundfile.read(path, dtype="float32")
    return resample(signal, native, rate)


def test_the_default_model_screens_windows_with_its_music_detector(classifier: Classifier) -> None:
    assert classifier.has_music_score
    assert classifier.manifest.preprocessing.loudness_target_lufs is not None


def test_silence_around_the_song_is_marked_and_left_out(classifier: Classifier, song: np.ndarray) -> None:
    rate = classifier.params.sample_rate
    pad = np.zeros(10 * rate, dtype=np.float32)
    clean = classifier.classify_audio(song)
    padded = classifier.classify_audio(np.concatenate([pad, song, pad]))
    assert padded.window_counts is not None and padded.window_counts.silence >= 5
    assert [w.kind for w in padded.windows[:3]] == ["silence"] * 3
    assert padded.windows[3].start_seconds == pytest.approx(10.0)  # laid out from the music's first sample
    assert padded.top_genre == clean.top_genre
    np.testing.assert_allclose(
        list(padded.song_probabilities.values()), list(clean.song_probabilities.values()), atol=0.02
    )


def test_a_spoken_intro_does_not_vote(classifier: Classifier, song: np.ndarray, tmp_path: Path) -> None:
    rate = classifier.params.sample_rate
    voice = _speech("Hi everyone, thanks for watching. This one is a classic, so turn it up and enjoy.", rate, tmp_path)
    voice *= np.float32(np.sqrt(np.mean(song**2)) / np.sqrt(np.mean(voice**2)))  # as loud as the music
    intro = np.pad(voice, (0, max(0, 9 * rate - len(voice))))[: 9 * rate]
    result = classifier.classify_audio(np.concatenate([intro, song]))
    kinds = [window.kind for window in result.windows]
    assert kinds[:3].count("music") <= 1  # the voice's windows (the last may end in room tone)
    assert kinds[3:].count("music") >= len(kinds[3:]) - 1
    assert result.top_genre == classifier.classify_audio(song).top_genre == "jazz"


def test_white_noise_is_not_music_rather_than_a_confident_genre(classifier: Classifier) -> None:
    noise = np.random.default_rng(0).standard_normal(20 * classifier.params.sample_rate).astype(np.float32) * 0.1
    with pytest.raises(NotMusic):
        classifier.classify_audio(noise)


def test_a_constant_offset_is_silence(classifier: Classifier) -> None:
    with pytest.raises(SilentAudio):
        classifier.classify_audio(np.full(20 * classifier.params.sample_rate, 0.3, dtype=np.float32))
