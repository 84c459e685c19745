"""The feature parameters: the one definition both training and serving use."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict


class FeatureParams(BaseModel):
    """How audio becomes model input.

    The trainer writes these into the model manifest; the worker refuses an artifact whose
    parameters differ from the ones this code computes, because a model fed features computed
    differently from its training data fails silently (train/serve skew).
    """

    # extra="forbid": a manifest naming a parameter this code does not know must be refused, not half-read.
    model_config = ConfigDict(frozen=True, extra="forbid")

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
    # How mel power becomes model input: "db" is 10·log10(max(power, db_amin)); "log1p" is
    # log10(1 + log1p_gain·power), the compression musicnn's pretrained weights were trained on.
    compression: Literal["db", "log1p"] = "db"
    log1p_gain: float = 10000.0

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
"""The small 2D CNN's input: 128 mel bands in dB at 22.05 kHz."""

MUSICNN_FEATURE_PARAMS = FeatureParams(sample_rate=16000, n_mels=96, n_fft=512, hop_length=256, compression="log1p")
"""musicnn's input (Pons and Serra 2019, MSD weights): 96 bands of log10(1 + 10000·power) at 16 kHz, 32-ms frames."""

FEATURE_PARAM_SETS: dict[str, FeatureParams] = {
    "log-mel-22k": DEFAULT_FEATURE_PARAMS,
    "musicnn-16k": MUSICNN_FEATURE_PARAMS,
}
"""Every set of feature parameters this code computes: a model artifact must have been trained on one of them."""


def feature_param_set_name(params: FeatureParams) -> str | None:
    """The name of the set equal to `params`, or None when this code computes no such features."""
    return next((name for name, known in FEATURE_PARAM_SETS.items() if known == params), None)
