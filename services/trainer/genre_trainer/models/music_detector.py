"""The music detector: is a window music, or speech, applause or noise? A second head on musicnn's embedding.

Songs people bring start with a presenter talking, end in applause, or carry hiss; those windows would vote
for whatever genre their sound resembles (a voice reads as hip-hop, noise as classical or metal). The
detector is a class-balanced logistic regression on the same standardised embedding the genre head reads:
the training songs' windows are music, the clips of :mod:`genre_trainer.data.non_music` are not. It becomes a
second output of the served model (one LiteRT call gives both), and the worker leaves the windows it scores
under :data:`THRESHOLD` out of the song's answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

import keras
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from genre_core.features import compress, mel_power, slice_windows
from genre_core.loudness import integrated_loudness
from genre_core.params import FeatureParams
from genre_core.preprocessing import Preprocessing, limited
from genre_trainer.data.non_music import non_music_clips
from genre_trainer.models.scaling import FlooredStandardScaler

logger = logging.getLogger(__name__)

DETECTOR_C = 0.01
"""Inverse regularisation, chosen on GTZAN's validation windows against held-out voices (experiments/robustness)."""
THRESHOLD = 0.5
CLIP_SECONDS = 15.0
LEVEL_SPREAD_DB = (-12.0, 6.0)
"""The non-music clips are heard this far from the target loudness: inside a song, a voice or the applause is
rarely exactly as loud as the music."""


def non_music_windows(params: FeatureParams, preprocessing: Preprocessing, seed: int) -> tuple[np.ndarray, list[str]]:
    """Model input windows of the non-music clips, (n, n_mels, frames, 1), and each window's kind."""
    rng = np.random.default_rng(seed)
    windows, kinds = [], []
    for clip in non_music_clips(params.sample_rate, seed=seed, seconds=CLIP_SECONDS):
        power = mel_power(clip.audio, params)
        offset_db = rng.uniform(*LEVEL_SPREAD_DB)
        loudness = integrated_loudness(power.weighted_power, params)
        # Heard inside a song offset_db quieter or louder than the music: the song's limiter, if the
        # preprocessing has one, sets its ceiling by the song's loudness, not by the clip's.
        clip_limited = limited(clip.audio, loudness - offset_db, preprocessing, params)
        if clip_limited is not None:
            power = mel_power(clip_limited, params)
        target = preprocessing.loudness_target_lufs
        gain_db = (target - loudness if target is not None and np.isfinite(loudness) else 0.0) + offset_db
        clip_windows = slice_windows(compress(power.mel, params, gain=10 ** (gain_db / 10)), len(clip.audio), params)
        windows.append(clip_windows)
        kinds += [clip.kind] * len(clip_windows)
    return np.concatenate(windows)[..., np.newaxis], kinds


def fit_detector(music: np.ndarray, non_music: np.ndarray) -> Pipeline:
    """Standardised, class-balanced logistic regression: music embeddings -> 1, the others -> 0."""
    x = np.concatenate([music, non_music]).astype(np.float64)
    y = np.concatenate([np.ones(len(music), dtype=np.int64), np.zeros(len(non_music), dtype=np.int64)])
    detector = make_pipeline(
        FlooredStandardScaler(), LogisticRegression(C=DETECTOR_C, class_weight="balanced", max_iter=5000)
    )
    return detector.fit(x, y)


def detector_layer(detector: Pipeline, embedding: keras.KerasTensor) -> keras.KerasTensor:
    """The fitted detector as Keras layers on `embedding`: its own standardisation, then a sigmoid unit."""
    scaler: FlooredStandardScaler = detector[0]
    regression: LogisticRegression = detector[-1]
    standardised = keras.layers.Normalization(
        mean=scaler.mean_, variance=np.square(scaler.scale_), name="standardise_music"
    )(embedding)
    unit = keras.layers.Dense(1, activation="sigmoid", name="music")
    score = unit(standardised)
    unit.set_weights([regression.coef_.T.astype(np.float32), regression.intercept_.astype(np.float32)])
    return score


def embed_non_music(
    embed: Callable[[np.ndarray], np.ndarray], params: FeatureParams, preprocessing: Preprocessing, seed: int
) -> np.ndarray:
    """Embeddings of the non-music windows, by `embed` (windows -> embeddings)."""
    windows, kinds = non_music_windows(params, preprocessing, seed)
    logger.info("music detector: %d non-music windows (%s)", len(windows), ", ".join(sorted(set(kinds))))
    return embed(windows)
