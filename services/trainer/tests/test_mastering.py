"""The mastering copies: what each augmentation does to a song, measured."""

from __future__ import annotations

import numpy as np
import pytest

from genre_core.features import mel_power
from genre_core.loudness import integrated_loudness
from genre_core.params import FeatureParams
from genre_trainer.data.mastering import (
    AUGMENTATIONS,
    CODECS,
    CROWD,
    CROWD_BELOW_LU,
    LIMITER,
    LIMITER_CEILING,
    NOISE,
    NOISE_BELOW_LU,
    augmented,
    is_random_limiter,
    random_limiter,
)
from genre_trainer.errors import TrainerError

PARAMS = FeatureParams(sample_rate=16000)


def _loudness(audio: np.ndarray) -> float:
    return integrated_loudness(mel_power(audio, PARAMS).weighted_power, PARAMS)


@pytest.fixture(scope="module")
def song() -> np.ndarray:
    """Eight seconds of a chord with a beat: loud enough to be limited, varied enough to be compressed."""
    time = np.arange(8 * PARAMS.sample_rate) / PARAMS.sample_rate
    chord = sum(np.sin(2 * np.pi * f * time) for f in (220.0, 277.2, 329.6, 1760.0)) / 4
    beat = 0.5 + 0.5 * (np.sin(2 * np.pi * 2 * time) > 0)
    return (0.3 * chord * beat).astype(np.float32)


@pytest.mark.parametrize("name", AUGMENTATIONS)
def test_every_copy_keeps_the_length_and_changes_the_song(song: np.ndarray, name: str) -> None:
    copy = augmented(song, name, PARAMS, seed=3)
    assert copy.shape == song.shape and copy.dtype == np.float32
    assert np.max(np.abs(copy - song)) > 1e-3


@pytest.mark.parametrize("name", CODECS)
def test_codec_copies_are_the_same_song_in_time_and_level(song: np.ndarray, name: str) -> None:
    copy = augmented(song, name, PARAMS, seed=0)
    assert copy.shape == song.shape and copy.dtype == np.float32
    assert np.max(np.abs(copy - song)) > 1e-3
    # The decoder drops the encoder's delay: the copy lines up with the song (a shifted copy would not).
    middle = slice(PARAMS.sample_rate, 7 * PARAMS.sample_rate)
    assert np.corrcoef(copy[middle], song[middle])[0, 1] > 0.9
    assert abs(_loudness(copy) - _loudness(song)) < 1.0


@pytest.mark.parametrize(("name", "below_lu"), [(NOISE, NOISE_BELOW_LU), (CROWD, CROWD_BELOW_LU)])
def test_added_sounds_sit_in_their_range_under_the_music(song: np.ndarray, name: str, below_lu: tuple) -> None:
    for seed in range(4):
        added = augmented(song, name, PARAMS, seed=seed) - song
        under = _loudness(song) - _loudness(added)
        assert below_lu[0] - 0.5 <= under <= below_lu[1] + 0.5


def test_copies_depend_on_the_seed_only(song: np.ndarray) -> None:
    np.testing.assert_array_equal(augmented(song, NOISE, PARAMS, 1), augmented(song, NOISE, PARAMS, 1))
    assert not np.array_equal(augmented(song, CROWD, PARAMS, 1), augmented(song, CROWD, PARAMS, 2))


def test_unknown_augmentation_is_refused(song: np.ndarray) -> None:
    with pytest.raises(TrainerError, match="No augmentation"):
        augmented(song, "vinyl", PARAMS, seed=0)
    with pytest.raises(TrainerError, match="No augmentation"):
        augmented(song, f"{LIMITER}-x", PARAMS, seed=0)


def test_further_random_limiter_draws_are_named_by_number(song: np.ndarray) -> None:
    assert [is_random_limiter(name) for name in (LIMITER, f"{LIMITER}-2", f"{LIMITER}-", "limit+9")] == [
        True,
        True,
        False,
        False,
    ]
    np.testing.assert_array_equal(augmented(song, f"{LIMITER}-2", PARAMS, 7), augmented(song, LIMITER, PARAMS, 7))


def test_the_random_limiter_draws_its_settings_per_seed_and_holds_its_ceiling(song: np.ndarray) -> None:
    chains = {random_limiter(np.random.default_rng(seed)) for seed in range(5)}
    assert len(chains) == 5 and all("alimiter=limit=" in chain for chain in chains)
    for seed in range(3):
        limited = augmented(song, LIMITER, PARAMS, seed=seed)
        ceiling = float(random_limiter(np.random.default_rng(seed)).split("limit=")[1].split(":")[0])
        assert LIMITER_CEILING[0] <= ceiling <= LIMITER_CEILING[1]
        # Driven 3-15 dB into the ceiling: louder than the song, peaks no higher than the ceiling (+ overshoot).
        assert np.max(np.abs(limited)) <= ceiling * 1.05
        assert _loudness(limited) > _loudness(song) + 1.0
