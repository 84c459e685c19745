"""Summary features of one window, for the classical models and the MLP (the study's phase 1 inputs).

Each window becomes one vector of frame-feature statistics: MFCC means and variances, spectral
centroid, bandwidth, roll-off and contrast, zero-crossing rate, RMS energy, chroma, and tempo. They are
per window, not per song, so that classical models are scored window- and song-level like the networks.

The frame features are computed once over the whole song and then averaged over each window's frames,
the way :mod:`genre_core.features` slices one whole-song spectrogram: one STFT per song, not per window.
The MFCCs come from genre_core's log-mel spectrogram, so they share the CNN's mel settings.
"""

from __future__ import annotations

import itertools

import librosa
import numpy as np

from genre_core.params import FeatureParams

N_MFCC = 20
SUMMARY_VERSION = 1
"""Bump when the features change, so that cached features are recomputed."""
_SIZES = (N_MFCC, 1, 1, 1, 7, 1, 1, 12)


def summary_names() -> list[str]:
    """Column names of :func:`summary_windows`' output, in order (for reports and debugging)."""
    stats = zip(("mfcc", "centroid", "bandwidth", "rolloff", "contrast", "zcr", "rms", "chroma"), _SIZES, strict=True)
    names = [f"{name}{index}_{stat}" for name, size in stats for stat in ("mean", "var") for index in range(size)]
    return [*names, "tempo"]


def summary_windows(audio: np.ndarray, log_mel_db: np.ndarray, starts: np.ndarray, params: FeatureParams) -> np.ndarray:
    """One row per window starting at `starts` (samples): means and variances of the frame features, and tempo."""
    sr, hop, n_fft = params.sample_rate, params.hop_length, params.n_fft
    magnitude = np.abs(librosa.stft(audio, n_fft=n_fft, hop_length=hop))
    frames = np.concatenate(
        [
            librosa.feature.mfcc(S=log_mel_db, n_mfcc=N_MFCC),
            librosa.feature.spectral_centroid(S=magnitude, sr=sr),
            librosa.feature.spectral_bandwidth(S=magnitude, sr=sr),
            librosa.feature.spectral_rolloff(S=magnitude, sr=sr),
            librosa.feature.spectral_contrast(S=magnitude, sr=sr),
            librosa.feature.zero_crossing_rate(audio, frame_length=n_fft, hop_length=hop),
            librosa.feature.rms(S=magnitude, frame_length=n_fft),
            librosa.feature.chroma_stft(S=magnitude**2, sr=sr),
        ]
    )
    onsets = librosa.onset.onset_strength(S=log_mel_db, sr=sr)
    rows = []
    for start in starts:
        first = int(start) // hop
        last = first + params.frames_per_window
        window = frames[:, first:last]
        tempo = librosa.feature.tempo(onset_envelope=onsets[first:last], sr=sr, hop_length=hop)
        rows.append(np.concatenate([_by_feature(window.mean(axis=1), window.var(axis=1)), tempo[:1]]))
    return np.asarray(rows, dtype=np.float32).reshape(len(starts), -1)


def _by_feature(means: np.ndarray, variances: np.ndarray) -> np.ndarray:
    # Grouped by feature (all MFCC means, then all MFCC variances, ...), as summary_names() lists them.
    bounds = np.cumsum([0, *_SIZES])
    parts = [np.concatenate([means[a:b], variances[a:b]]) for a, b in itertools.pairwise(bounds)]
    return np.concatenate(parts)
