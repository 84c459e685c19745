"""How the 2D CNN is trained, beyond the network: plain data, no TensorFlow, so the CLI can show its defaults.

:data:`SHIPPED_RECIPE` is the recipe of the shipped small CNN, `models/cnn2d` (chosen on validation songs; see
the README's "The shipped models" for what was tried): the CLI's defaults and the ladder's `cnn2d-shipped` row
use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal


@dataclass(frozen=True)
class Augmentation:
    """Which perturbations a random training crop goes through."""

    mixup_alpha: float = 0.0
    """Beta(alpha, alpha) mixing of pairs of crops and their labels; 0 turns it off."""
    frequency_masks: int = 0
    """SpecAugment: bands of up to `frequency_mask_bands` mel bands set to the crop's mean, this many per crop."""
    frequency_mask_bands: int = 16
    time_masks: int = 0
    """SpecAugment: runs of up to `time_mask_frames` frames set to the crop's mean, this many per crop."""
    time_mask_frames: int = 20
    gain_db: float = 0.0
    """Uniform random gain in [-gain_db, +gain_db] dB: a constant added to the dB spectrogram."""
    label_smoothing: float = 0.0


@dataclass(frozen=True)
class Recipe:
    """Inputs, augmentation, weight averaging and epoch selection; recorded in the manifest and model card."""

    crops_per_epoch: int | None = None
    """Random crops of whole songs per epoch, genre-balanced; None: the fixed windows, with balanced class weights."""
    augmentation: Augmentation = field(default_factory=Augmentation)
    """Applied to random crops only."""
    ema_momentum: float | None = None
    """Keep an exponential moving average of the weights and export it (smooths epoch-to-epoch swings)."""
    selection: Literal["best-epoch", "last-epoch"] = "best-epoch"

    def describe(self) -> dict[str, str | int | float | bool | None]:
        """Flat name -> value pairs, for the manifest and the model card."""
        described: dict[str, str | int | float | bool | None] = {
            "inputs": f"random crops, {self.crops_per_epoch} per epoch, genre-balanced"
            if self.crops_per_epoch
            else "fixed windows, balanced class weights",
        }
        if self.crops_per_epoch:
            described |= {name: value for name, value in vars(self.augmentation).items() if value}
        described |= {"ema_momentum": self.ema_momentum, "selection": self.selection}
        return described


SHIPPED_RECIPE = Recipe(ema_momentum=0.995, selection="last-epoch")
SHIPPED_EPOCHS = 40
