"""One decoded song, cut into windows, as the three kinds of model input of the ladder.

- `mel`: log-mel windows for the 2D CNN, sliced from genre_core's whole-song spectrogram (what the worker serves).
- `wave`: the waveform at a low sample rate for the 1D CNN. The original study kept every 50th sample, which
  folds everything above the new Nyquist frequency back into the band (aliasing); here the song is resampled
  with genre_core's SoX resampler, whose low-pass filter removes that content first.
- `summary`: per-window summary statistics for the classical models and the MLP (:mod:`genre_trainer.data.summary`).

Windows start every `hop_seconds` for as long as the song really lasts, so a 29.9 s clip gives nine 3 s windows
and a 30 s clip ten, instead of cutting every song to the shortest one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from genre_core.audio import resample
from genre_core.errors import TooShort
from genre_core.features import hopped_window_starts, log_mel, slice_windows_at
from genre_core.params import DEFAULT_FEATURE_PARAMS, FeatureParams
from genre_trainer.data.summary import SUMMARY_VERSION, summary_windows

KINDS = ("mel", "wave", "summary")


@dataclass(frozen=True)
class WindowOptions:
    """How songs are cut and what each input kind holds; part of the feature cache's key."""

    params: FeatureParams = field(default_factory=lambda: DEFAULT_FEATURE_PARAMS)
    hop_seconds: float | None = None
    """Seconds between window starts; None: back to back (the window length), as the worker cuts songs."""
    wave_rate: int = 2205
    """Sample rate of the 1D CNN's waveform (a tenth of 22050 Hz: content up to 1.1 kHz)."""

    @property
    def hop_samples(self) -> int:
        return round((self.hop_seconds or self.params.window_seconds) * self.params.sample_rate)

    @property
    def wave_samples(self) -> int:
        return round(self.params.window_seconds * self.wave_rate)

    def key(self) -> dict[str, object]:
        return {
            "params": self.params.model_dump(),
            "hop_samples": self.hop_samples,
            "wave_rate": self.wave_rate,
            "summary_version": SUMMARY_VERSION,
        }


def window_starts(n_samples: int, options: WindowOptions) -> np.ndarray:
    """Start samples of the whole windows a song of `n_samples` holds."""
    return hopped_window_starts(n_samples, options.params.window_samples, options.hop_samples)


def song_inputs(audio: np.ndarray, options: WindowOptions) -> dict[str, np.ndarray]:
    """The windows of one decoded song as every input kind, each with one row per window.

    Raises:
        TooShort: the song is shorter than one window.
    """
    params = options.params
    starts = window_starts(len(audio), options)
    if len(starts) == 0:
        raise TooShort(
            f"{len(audio) / params.sample_rate:.2f} s is shorter than one {params.window_seconds:g} s window"
        )
    spectrogram = log_mel(audio, params)
    return {
        "mel": slice_windows_at(spectrogram, starts, params),
        "wave": waveform_windows(audio, starts, options),
        "summary": summary_windows(audio, spectrogram, starts, params),
    }


def waveform_windows(audio: np.ndarray, starts: np.ndarray, options: WindowOptions) -> np.ndarray:
    """Windows of the low-passed, resampled waveform: shape (n_windows, wave_samples), float32."""
    low = resample(audio, options.params.sample_rate, options.wave_rate)
    ratio = options.wave_rate / options.params.sample_rate
    length = options.wave_samples
    low_starts = np.round(starts * ratio).astype(np.int64)
    needed = int(low_starts[-1]) + length if len(starts) else 0
    low = np.pad(low, (0, max(0, needed - len(low))))  # the resampler may return a sample or two fewer
    return np.stack([low[start : start + length] for start in low_starts]).astype(np.float32, copy=False)
