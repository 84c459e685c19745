"""Loudness normalisation and silence screening: the song's level and the silence around it do not change what
the model sees of the music."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from genre_core.audio import load_audio
from genre_core.errors import SilentAudio
from genre_core.features import song_windows
from genre_core.params import DEFAULT_FEATURE_PARAMS, MUSICNN_FEATURE_PARAMS, FeatureParams
from genre_core.preprocessing import LOUDNESS_LIMITED, LOUDNESS_SCREENED, NO_PREPROCESSING, Preprocessing, song_features

BOTH = pytest.mark.parametrize("params", [MUSICNN_FEATURE_PARAMS, DEFAULT_FEATURE_PARAMS], ids=["16k", "22k"])
SCREENING = pytest.mark.parametrize(
    "preprocessing", [LOUDNESS_SCREENED, LOUDNESS_LIMITED], ids=["bs1770-screened", "bs1770-limited"]
)


@BOTH
@SCREENING
@pytest.mark.parametrize("gain_db", [-24.0, -12.0, 6.0])
def test_a_song_louder_or_quieter_gives_the_same_windows(
    clip_path: Path, params: FeatureParams, gain_db: float, preprocessing: Preprocessing
) -> None:
    audio = load_audio(clip_path, params.sample_rate)
    reference = song_features(audio, params, preprocessing)
    scaled = song_features(audio * np.float32(10 ** (gain_db / 20)), params, preprocessing)
    assert scaled.loudness_lufs == pytest.approx(reference.loudness_lufs + gain_db, abs=0.01)
    # float32 rounding: a few hundredths of a dB in the quietest bins, a few thousandths of musicnn's log1p units.
    np.testing.assert_allclose(scaled.windows, reference.windows, atol=0.05 if params.compression == "db" else 2e-3)
    if preprocessing.limit_peaks_above_loudness_db is None:
        assert reference.gain_db == pytest.approx(preprocessing.loudness_target_lufs - reference.loudness_lufs)
    else:  # the gain also makes up what the limiter took: more than the level alone would need
        assert reference.gain_db > preprocessing.loudness_target_lufs - reference.loudness_lufs


@BOTH
def test_without_preprocessing_the_windows_are_the_plain_log_mel_windows(
    clip_path: Path, params: FeatureParams
) -> None:
    audio = load_audio(clip_path, params.sample_rate)
    features = song_features(audio, params, NO_PREPROCESSING)
    np.testing.assert_array_equal(features.windows, song_windows(audio, params))
    assert not features.silent.any() and features.gain_db == 0.0


@SCREENING
def test_silence_before_and_after_the_song_is_screened_out_and_the_music_is_unchanged(
    clip_path: Path, preprocessing: Preprocessing
) -> None:
    params = MUSICNN_FEATURE_PARAMS
    audio = load_audio(clip_path, params.sample_rate)
    audio = audio[: len(audio) // params.window_samples * params.window_samples]  # whole windows: none half music
    # Two whole windows each side: 96000 samples, a whole number of hops, so the STFT frames line up.
    pad = np.zeros(2 * params.window_samples, dtype=np.float32)
    padded = song_features(np.concatenate([pad, audio, pad]), params, preprocessing)
    clean = song_features(audio, params, preprocessing)
    assert padded.silent.tolist() == [True] * 2 + [False] * len(clean.windows) + [True] * 2
    assert padded.loudness_lufs == pytest.approx(clean.loudness_lufs, abs=0.2)  # gated: the silence does not count
    # The music windows match, but for the first frame or two, which see the padding instead of nothing.
    np.testing.assert_allclose(padded.windows[2:-2][:, :, 2:-2], clean.windows[:, :, 2:-2], atol=0.05)


@SCREENING
def test_room_tone_and_a_fade_tail_are_silence_but_a_quiet_passage_is_music(
    clip_path: Path, preprocessing: Preprocessing
) -> None:
    params = MUSICNN_FEATURE_PARAMS
    audio = load_audio(clip_path, params.sample_rate)
    window = params.window_samples
    rng = np.random.default_rng(0)
    room_tone = (rng.standard_normal(2 * window) * 10 ** (-65 / 20)).astype(np.float32)  # about -65 dBFS
    quiet = audio[: 2 * window] * np.float32(10 ** (-20 / 20))  # the song, 20 dB down
    features = song_features(np.concatenate([audio[: 9 * window], quiet, room_tone]), params, preprocessing)
    assert features.silent.tolist() == [False] * 11 + [True] * 2


@pytest.mark.parametrize(
    "preprocessing", [NO_PREPROCESSING, LOUDNESS_SCREENED, LOUDNESS_LIMITED], ids=["none", "screened", "limited"]
)
def test_digital_silence_is_silent_audio(preprocessing) -> None:
    params = MUSICNN_FEATURE_PARAMS
    with pytest.raises(SilentAudio):
        song_features(np.zeros(10 * params.sample_rate, dtype=np.float32), params, preprocessing)


def test_a_constant_offset_is_silence_not_a_confident_genre() -> None:
    # Pure DC is inaudible: BS.1770's high-pass gives it no loudness.
    params = MUSICNN_FEATURE_PARAMS
    with pytest.raises(SilentAudio):
        song_features(np.full(10 * params.sample_rate, 0.5, dtype=np.float32), params, LOUDNESS_SCREENED)


@SCREENING
def test_after_leading_silence_the_windows_are_those_of_the_song_without_it(
    clip_path: Path, preprocessing: Preprocessing
) -> None:
    # 10 s of silence is not a whole number of windows: without alignment every music window would be cut
    # 1 s off from the song's own, and the answer would move.
    params = MUSICNN_FEATURE_PARAMS
    audio = load_audio(clip_path, params.sample_rate)
    padded = np.concatenate([np.zeros(10 * params.sample_rate, dtype=np.float32), audio])
    features = song_features(padded, params, preprocessing)
    clean = song_features(audio, params, preprocessing)
    assert features.first_window_seconds == pytest.approx(1.0)
    assert features.silent.tolist() == [True] * 3 + [False] * len(clean.windows)
    np.testing.assert_allclose(features.windows[3:], clean.windows, atol=1e-3)
