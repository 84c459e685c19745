"""What happens to a decoded song before the model sees it: loudness normalisation and silence screening.

Both are part of the one feature pipeline: the trainer records the :class:`Preprocessing` it trained with in
the manifest, and the worker serves the model with the same one (or refuses it). Normalising the song's
integrated loudness (ITU-R BS.1770) makes the features of a song the same however loud it was mastered or
however the user set the volume: the log compression of musicnn's input, log10(1 + 10000·power), is close to
linear for quiet sounds, so the same song 12 dB quieter otherwise looks like another recording. The gain is
applied to the mel power, before compression, so it costs one multiplication.

Windows far below the song's loudness (digital silence, room tone, the tail of a fade) are marked as
silence: they carry no music to classify, and the song's answer is made without them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from genre_core.errors import SilentAudio
from genre_core.features import compress, ensure_one_window, mel_power, slice_windows, window_count
from genre_core.limiter import limit_peaks
from genre_core.loudness import ABSOLUTE_GATE_LUFS, integrated_loudness, power_to_lufs
from genre_core.params import FeatureParams

# Peak level (-80 dBFS) under which a song holds nothing to classify, for models trained without screening.
SILENCE_PEAK = 1e-4


class Preprocessing(BaseModel):
    """How a decoded song is prepared before its windows become model input."""

    # extra="forbid": a manifest naming a step this code does not know must be refused, not half-applied.
    model_config = ConfigDict(frozen=True, extra="forbid")

    loudness_target_lufs: float | None = Field(
        default=None,
        description="Scale every song to this integrated loudness (BS.1770, LUFS) before compression; "
        "None leaves the level as decoded.",
    )
    align_windows_to_music: bool = Field(
        default=False,
        description="Lay the windows out from the first sample above -80 dBFS: after leading digital silence "
        "the music's windows are those of the song without it. The silence before is shown as whole windows "
        "of silence, counted back from there (a part shorter than a window before them is dropped, as the "
        "trailing partial window is).",
    )
    silence_below_song_lu: float | None = Field(
        default=None,
        description="A window whose loudness is this many LU below the song's (or below -70 LUFS) is silence "
        "and does not vote; None screens nothing.",
    )
    limit_peaks_above_loudness_db: float | None = Field(
        default=None,
        description="Before its features, put the song through a brick-wall limiter whose ceiling is this many "
        "dB above its integrated loudness (genre_core.limiter), so a dynamic master and a loud one are heard "
        "alike; None limits nothing.",
    )


NO_PREPROCESSING = Preprocessing()
"""What artifacts made before preprocessing existed were trained with: the level as decoded, every window votes."""

LOUDNESS_SCREENED = Preprocessing(loudness_target_lufs=-20.0, align_windows_to_music=True, silence_below_song_lu=35.0)
"""Songs at -20 LUFS (near GTZAN's median, -19.4), windows 35 LU under the song silence (GTZAN's quietest music
windows sit about 15-25 LU under their song's loudness)."""

LOUDNESS_LIMITED = LOUDNESS_SCREENED.model_copy(update={"limit_peaks_above_loudness_db": 9.0})
"""As :data:`LOUDNESS_SCREENED`, every song first limited to peaks 9 dB above its loudness: about where the
robustness benchmark's +12-dB limiter leaves a GTZAN song (18 dB before), and as loud modern masters are
(experiments/robustness/limiter_preprocessing.py chose it among 6-12 dB). Not the default: it makes the default
model's answer the same under every limiter tried but costs it clean accuracy (docs/robustness.md)."""

PREPROCESSING_SETS: dict[str, Preprocessing] = {
    "none": NO_PREPROCESSING,
    "bs1770-screened": LOUDNESS_SCREENED,
    "bs1770-limited": LOUDNESS_LIMITED,
}
"""Every preprocessing this code applies: a model artifact must have been trained with one of them."""


def preprocessing_set_name(preprocessing: Preprocessing) -> str | None:
    """The name of the set equal to `preprocessing`, or None when this code applies no such preprocessing."""
    return next((name for name, known in PREPROCESSING_SETS.items() if known == preprocessing), None)


@dataclass(frozen=True)
class SongFeatures:
    """A song's model input windows and what preprocessing found out about them."""

    spectrogram: np.ndarray
    """The song's log-mel spectrogram after the loudness gain, shape (n_mels, frames), float32, from the first
    window that is not leading silence."""
    windows: np.ndarray
    """Shape (n_windows, n_mels, frames_per_window), float32: cut from `spectrogram`."""
    silent: np.ndarray
    """Shape (n_windows,), bool: the window is silence and does not vote."""
    window_loudness_lufs: np.ndarray
    """Shape (n_windows,): each window's loudness as decoded (before the gain), LUFS."""
    loudness_lufs: float
    """The song's integrated loudness as decoded, LUFS (-inf for digital silence)."""
    gain_db: float
    """The gain applied to reach the target loudness (0 without normalisation)."""
    first_window_seconds: float = 0.0
    """Where the first window starts in the song (after the part before it that alignment dropped)."""


def song_features(audio: np.ndarray, params: FeatureParams, preprocessing: Preprocessing) -> SongFeatures:
    """A decoded song (mono, at ``params.sample_rate``) prepared as `preprocessing` says and cut into windows.

    Raises:
        TooShort: shorter than one window.
        SilentAudio: nothing to classify: every window is silence (or, without screening, the peak is under
            -80 dBFS).
    """
    ensure_one_window(len(audio), params)
    leading = 0
    if preprocessing.align_windows_to_music:
        audible = np.abs(audio) >= SILENCE_PEAK
        leading = int(np.argmax(audible)) if audible.any() else 0
        if window_count(len(audio) - leading, params) == 0:  # too short to lose anything: keep the layout
            leading = 0
        audio = audio[leading:]
    silent_before = leading // params.window_samples
    # A song to be limited is measured first and its features come from the limited samples: the first pass
    # then needs only the loudness weighting, not the mel bands.
    power = mel_power(audio, params, with_mel=preprocessing.limit_peaks_above_loudness_db is None)
    loudness = integrated_loudness(power.weighted_power, params)
    window_loudness = _window_loudness(power.weighted_power, len(audio), params)
    if preprocessing.silence_below_song_lu is None:
        if float(np.max(np.abs(audio))) < SILENCE_PEAK:
            raise SilentAudio("The audio is silent: there is nothing to classify.")
        silent = np.zeros(len(window_loudness), dtype=bool)
    else:
        floor = max(ABSOLUTE_GATE_LUFS, loudness - preprocessing.silence_below_song_lu)
        silent = ~(window_loudness > floor)  # NaN-safe: a window of digital zeros (-inf) is silence
        if silent.all():
            raise SilentAudio("The audio is silent: there is nothing to classify.")
    gain_db = 0.0
    limited_audio = limited(audio, loudness, preprocessing, params)
    if limited_audio is not None:
        # The features are the limited song's; the silence screening above measured the song as decoded (the
        # limiter only lowers peaks, it makes nothing silent). The gain makes up the loudness the limiter took.
        power = mel_power(limited_audio, params)
        limited_loudness = integrated_loudness(power.weighted_power, params)
        gain_db = loudness - limited_loudness if np.isfinite(limited_loudness) else 0.0
    elif not power.mel.shape[1]:  # measured for a limiter that had no loudness to set its ceiling by
        power = mel_power(audio, params)
    if preprocessing.loudness_target_lufs is not None and np.isfinite(loudness):
        gain_db += preprocessing.loudness_target_lufs - loudness
    spectrogram = compress(power.mel, params, gain=10.0 ** (gain_db / 10.0))
    windows = slice_windows(spectrogram, len(audio), params)
    if silent_before:
        # The digital silence before the music, as whole windows of silence (never run through a model).
        windows = np.concatenate([np.zeros((silent_before, *windows.shape[1:]), np.float32), windows])
        silent = np.concatenate([np.ones(silent_before, dtype=bool), silent])
        window_loudness = np.concatenate([np.full(silent_before, -np.inf), window_loudness])
    return SongFeatures(
        spectrogram=spectrogram,
        windows=windows,
        silent=silent,
        window_loudness_lufs=window_loudness,
        loudness_lufs=loudness,
        gain_db=gain_db,
        first_window_seconds=(leading - silent_before * params.window_samples) / params.sample_rate,
    )


def limited(
    audio: np.ndarray, song_loudness_lufs: float, preprocessing: Preprocessing, params: FeatureParams
) -> np.ndarray | None:
    """`audio` through the preprocessing's brick-wall limiter, its ceiling set by the integrated loudness of the
    song it is part of; None when the preprocessing limits nothing or the song is digital silence."""
    above = preprocessing.limit_peaks_above_loudness_db
    if above is None or not np.isfinite(song_loudness_lufs):
        return None
    return limit_peaks(audio, 10.0 ** ((song_loudness_lufs + above) / 20.0), params.sample_rate)


def _window_loudness(weighted_power: np.ndarray, n_samples: int, params: FeatureParams) -> np.ndarray:
    # The frames slice_windows gives each window, less those at its edges whose STFT frame reaches into the
    # neighbouring window: a window of silence just before the music must not hear the music's first note.
    frames = params.frames_per_window
    margin = -(-params.n_fft // 2 // params.hop_length)
    starts = [(index * params.window_samples) // params.hop_length for index in range(window_count(n_samples, params))]
    return power_to_lufs(
        np.array([weighted_power[start + margin : start + frames - margin].mean() for start in starts])
    )
