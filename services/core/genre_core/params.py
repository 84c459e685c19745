"""The feature parameters: the one definition both training and serving use."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class FeatureParams(BaseModel):
    """How audio becomes model input.

    The trainer writes these into the model manifest; the worker refuses an artifact whose
    parameters differ from the ones this code computes, because a model fed features computed
    differently from its training data fails silently (train/serve skew).
    """

    model_config = ConfigDict(frozen=True)

    sample_rate: int = 22050
    window_seconds: float = 3.0
    n_mels: int = 128
    n_fft: int = 2048
    hop_length: int = 512
    fmin: float = 0.0
    fmax: float | None = None
    # Power spectrogram in decibels relative to 1.0 (not to the song's maximum), floored at
    # `amin`: with a fixed reference a window's values do not depend on the rest of the song,
    # so slicing the whole-song spectrogram equals computing each window on its own.
    db_amin: float = 1e-10

    @property
    def window_samples(self) -> int:
        return round(self.window_seconds * self.sample_rate)

    @property
    def frames_per_window(self) -> int:
        # librosa's centred STFT gives 1 + n // hop frames for n samples.
        return 1 + self.window_samples // self.hop_length

    @property
    def input_shape(self) -> tuple[int, int]:
        """Shape of one model input window: (n_mels, frames)."""
        return (self.n_mels, self.frames_per_window)


DEFAULT_FEATURE_PARAMS = FeatureParams()
