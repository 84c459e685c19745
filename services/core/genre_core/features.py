"""Log-mel spectrogram of a whole song, sliced into fixed-length windows.

The spectrogram is computed once per song and sliced, rather than once per window: the
STFT frames of neighbouring windows overlap, and one pass over the song does each FFT once.
Windows are laid out from the start of the song every `window_seconds`; the trailing partial
window is dropped, and a song shorter than one window is refused (:class:`TooShort`), never
padded, so every window the model sees holds real audio only.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from genre_core.errors import TooShort
from genre_core.params import FeatureParams


def log_mel(audio: np.ndarray, params: FeatureParams) -> np.ndarray:
    """Log-power mel spectrogram in dB, shape (n_mels, 1 + len(audio) // hop_length), float32.

    Equivalent to ``librosa.power_to_db(librosa.feature.melspectrogram(y=audio, ...), ref=1.0,
    amin=params.db_amin, top_db=None)`` with a centred, zero-padded Hann STFT.
    """
    power = _power_spectrogram(audio, params)
    mel_power = _mel_filterbank(params) @ power
    return (10.0 * np.log10(np.maximum(mel_power, params.db_amin))).astype(np.float32, copy=False)


def window_count(n_samples: int, params: FeatureParams) -> int:
    """How many whole windows a song of `n_samples` holds (the trailing partial one dropped)."""
    return n_samples // params.window_samples


def window_start_seconds(n_windows: int, params: FeatureParams) -> list[float]:
    return [index * params.window_seconds for index in range(n_windows)]


def slice_windows(spectrogram: np.ndarray, n_samples: int, params: FeatureParams) -> np.ndarray:
    """Cut a whole-song spectrogram into windows, shape (n_windows, n_mels, frames_per_window).

    Window k starts at sample k * window_samples, i.e. at STFT frame floor(that / hop_length);
    the window length in samples is not a multiple of the hop, so starts are rounded down to a
    frame (at most one hop, 23 ms, early).
    """
    n_windows = window_count(n_samples, params)
    frames = params.frames_per_window
    starts = [(index * params.window_samples) // params.hop_length for index in range(n_windows)]
    if n_windows == 0:
        return np.empty((0, params.n_mels, frames), dtype=np.float32)
    return np.stack([spectrogram[:, start : start + frames] for start in starts])


def song_windows(audio: np.ndarray, params: FeatureParams) -> np.ndarray:
    """Log-mel windows of a whole decoded song, shape (n_windows, n_mels, frames_per_window).

    Raises:
        TooShort: the song is shorter than one window.
    """
    if window_count(len(audio), params) == 0:
        raise TooShort(
            f"The audio lasts {len(audio) / params.sample_rate:.2f} s; at least "
            f"{params.window_seconds:g} s are needed for one analysis window."
        )
    return slice_windows(log_mel(audio, params), len(audio), params)


def _power_spectrogram(audio: np.ndarray, params: FeatureParams) -> np.ndarray:
    n_fft, hop = params.n_fft, params.hop_length
    padded = np.pad(np.asarray(audio, dtype=np.float32), n_fft // 2, mode="constant")
    n_frames = 1 + (len(padded) - n_fft) // hop
    frames = np.lib.stride_tricks.as_strided(
        padded, shape=(n_frames, n_fft), strides=(padded.strides[0] * hop, padded.strides[0]), writeable=False
    )
    spectrum = np.fft.rfft(frames * _hann_window(n_fft), axis=1)
    return (spectrum.real**2 + spectrum.imag**2).astype(np.float32).T


@lru_cache(maxsize=8)
def _hann_window(n_fft: int) -> np.ndarray:
    # Periodic Hann, as scipy.signal.get_window("hann", n_fft) and librosa use.
    return (0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(n_fft) / n_fft)).astype(np.float32)


@lru_cache(maxsize=8)
def _mel_filterbank(params: FeatureParams) -> np.ndarray:
    # librosa's Slaney-style filterbank; imported here so a worker pays for librosa only once.
    from librosa.filters import mel

    return mel(sr=params.sample_rate, n_fft=params.n_fft, n_mels=params.n_mels, fmin=params.fmin, fmax=params.fmax)


def hopped_window_starts(n_samples: int, window_samples: int, hop_samples: int) -> np.ndarray:
    """Start sample of every whole window of `window_samples`, one every `hop_samples`, that fits in the song.

    The number follows the song's real length: a 29.9 s clip gets fewer 3 s windows than a 30 s one,
    rather than every song being cut to the shortest. With `hop_samples == window_samples` these are
    the starts :func:`song_windows` uses.
    """
    if hop_samples <= 0 or window_samples <= 0:
        raise ValueError("window and hop must be positive")
    if n_samples < window_samples:
        return np.empty(0, dtype=np.int64)
    return np.arange(0, n_samples - window_samples + 1, hop_samples, dtype=np.int64)


def slice_windows_at(spectrogram: np.ndarray, starts: np.ndarray, params: FeatureParams) -> np.ndarray:
    """Log-mel windows starting at the given samples (rounded down to a frame, as :func:`slice_windows` does)."""
    frames = params.frames_per_window
    if len(starts) == 0:
        return np.empty((0, params.n_mels, frames), dtype=np.float32)
    return np.stack([spectrogram[:, start // params.hop_length :][:, :frames] for start in starts])
