"""The log-mel windows: shapes, window counts from real durations, and agreement with librosa."""

from __future__ import annotations

from pathlib import Path

import librosa
import numpy as np
import pytest

from genre_core.audio import load_audio
from genre_core.errors import TooShort
from genre_core.features import log_mel, mel_filterbank, slice_windows, song_windows, window_count
from genre_core.params import DEFAULT_FEATURE_PARAMS, MUSICNN_FEATURE_PARAMS, FeatureParams

PARAMS = DEFAULT_FEATURE_PARAMS


@pytest.fixture(scope="module")
def audio(clip_path: Path) -> np.ndarray:
    return load_audio(clip_path, PARAMS.sample_rate)


def test_default_parameters_give_128_by_130_windows() -> None:
    assert PARAMS.input_shape == (128, 130)


def test_window_shape_and_dtype(audio: np.ndarray) -> None:
    windows = song_windows(audio, PARAMS)
    assert windows.shape == (10, 128, 130)
    assert windows.dtype == np.float32
    assert np.isfinite(windows).all()


@pytest.mark.parametrize(("seconds", "expected_windows"), [(30.0, 10), (29.98, 9), (3.0, 1), (5.9, 1)])
def test_trailing_partial_window_is_dropped(audio: np.ndarray, seconds: float, expected_windows: int) -> None:
    clip = audio[: round(seconds * PARAMS.sample_rate)]
    assert window_count(len(clip), PARAMS) == expected_windows
    assert song_windows(clip, PARAMS).shape[0] == expected_windows


def test_audio_shorter_than_one_window_is_refused(audio: np.ndarray) -> None:
    with pytest.raises(TooShort, match="at least 3 s"):
        song_windows(audio[: 2 * PARAMS.sample_rate], PARAMS)


def test_log_mel_matches_librosa(audio: np.ndarray) -> None:
    ours = log_mel(audio, PARAMS)
    mel = librosa.feature.melspectrogram(
        y=audio, sr=PARAMS.sample_rate, n_fft=PARAMS.n_fft, hop_length=PARAMS.hop_length, n_mels=PARAMS.n_mels
    )
    theirs = librosa.power_to_db(mel, ref=1.0, amin=PARAMS.db_amin, top_db=None)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=0.05)


def test_musicnn_input_matches_musicnns_own_computation(clip_path: Path) -> None:
    # What the musicnn package feeds its network: librosa's mel power at 16 kHz, log10(1 + 10000 x).
    params = MUSICNN_FEATURE_PARAMS
    audio = load_audio(clip_path, params.sample_rate)
    theirs = np.log10(
        1 + 10000 * librosa.feature.melspectrogram(y=audio, sr=16000, n_fft=512, hop_length=256, n_mels=96)
    )
    ours = log_mel(audio, params)
    assert params.input_shape == (96, 188)
    assert ours.shape == theirs.shape
    np.testing.assert_allclose(ours, theirs, atol=2e-3)
    assert song_windows(audio, params).shape == (10, 96, 188)


def test_windows_are_slices_of_the_whole_song_spectrogram(audio: np.ndarray) -> None:
    whole = log_mel(audio, PARAMS)
    windows = slice_windows(whole, len(audio), PARAMS)
    for index, window in enumerate(windows):
        start = index * PARAMS.window_samples // PARAMS.hop_length
        np.testing.assert_array_equal(window, whole[:, start : start + PARAMS.frames_per_window])


def test_a_window_away_from_the_song_edges_equals_computing_it_alone(audio: np.ndarray) -> None:
    # The dB scale uses a fixed reference, so a window does not depend on the rest of the song;
    # only the frames within half an FFT of the cut see different neighbours.
    sliced = song_windows(audio, PARAMS)[4]
    start = 4 * PARAMS.window_samples // PARAMS.hop_length * PARAMS.hop_length
    alone = log_mel(audio[start : start + PARAMS.window_samples], PARAMS)
    interior = slice(3, PARAMS.frames_per_window - 3)
    np.testing.assert_allclose(sliced[:, interior], alone[:, interior], atol=1e-3)


def test_other_window_lengths_follow_the_parameters(audio: np.ndarray) -> None:
    params = FeatureParams(window_seconds=1.5)
    windows = song_windows(audio, params)
    assert windows.shape == (20, 128, 1 + params.window_samples // params.hop_length)


def test_hopped_windows_follow_the_real_length_and_match_song_windows() -> None:
    from genre_core.features import hopped_window_starts, log_mel, slice_windows_at, song_windows

    params = DEFAULT_FEATURE_PARAMS
    step = params.window_samples
    assert hopped_window_starts(10 * step - 1, step, step).tolist() == [index * step for index in range(9)]
    assert len(hopped_window_starts(10 * step, step, step // 2)) == 19
    assert len(hopped_window_starts(step - 1, step, step)) == 0
    audio = np.random.default_rng(0).standard_normal(int(3.5 * step)).astype(np.float32)
    starts = hopped_window_starts(len(audio), step, step)
    np.testing.assert_array_equal(slice_windows_at(log_mel(audio, params), starts, params), song_windows(audio, params))


def test_mel_filterbank_equals_librosas() -> None:
    theirs = librosa.filters.mel(sr=PARAMS.sample_rate, n_fft=PARAMS.n_fft, n_mels=PARAMS.n_mels, fmin=PARAMS.fmin)
    np.testing.assert_allclose(mel_filterbank(PARAMS), theirs, rtol=1e-6, atol=1e-9)
    narrow = FeatureParams(n_mels=40, fmin=300.0, fmax=8000.0)
    np.testing.assert_allclose(
        mel_filterbank(narrow), librosa.filters.mel(sr=22050, n_fft=2048, n_mels=40, fmin=300.0, fmax=8000.0), rtol=1e-6
    )


def _whole_song_log_mel(audio: np.ndarray) -> np.ndarray:
    # The straightforward implementation the blocked one replaced: one numpy FFT over every frame at once.
    padded = np.pad(audio.astype(np.float32), PARAMS.n_fft // 2)
    n_frames = 1 + (len(padded) - PARAMS.n_fft) // PARAMS.hop_length
    frames = np.stack([padded[i * PARAMS.hop_length :][: PARAMS.n_fft] for i in range(n_frames)])
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(PARAMS.n_fft) / PARAMS.n_fft)
    power = np.abs(np.fft.rfft(frames * window, axis=1)) ** 2
    mel = librosa.filters.mel(sr=PARAMS.sample_rate, n_fft=PARAMS.n_fft, n_mels=PARAMS.n_mels) @ power.T
    return 10.0 * np.log10(np.maximum(mel, PARAMS.db_amin))


@pytest.mark.parametrize("seconds", [3.0, 7.77, 30.0])
def test_blocked_log_mel_equals_the_whole_song_computation(audio: np.ndarray, seconds: float) -> None:
    # Lengths that end mid-block and songs shorter than one block; 256 frames is about 6 s.
    clip = audio[: round(seconds * PARAMS.sample_rate)]
    ours = log_mel(clip, PARAMS)
    reference = _whole_song_log_mel(clip)
    assert ours.shape == reference.shape
    assert ours.flags.c_contiguous
    # float32 FFT against float64: equal within 0.05 dB everywhere, far closer where there is signal.
    np.testing.assert_allclose(ours, reference, atol=0.05)
    loud = reference > -60.0
    np.testing.assert_allclose(ours[loud], reference[loud], atol=1e-3)
