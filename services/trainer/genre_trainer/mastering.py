"""Mastering augmentation: each training song also as louder masters, other EQ and a noisier recording make it.

GTZAN's songs were mostly mastered before the loudness war and recorded cleanly. Today's uploads are limited
and compressed hard, brighter or darker, sometimes with hiss. Loudness normalisation takes away the level,
not what a limiter does to the dynamics; so the genre head also sees every training song through each of
:data:`AUGMENTATIONS` (ffmpeg's limiter, compressor and shelving EQ, and pink noise 25 dB under the music),
each copy one more song-mean row of the same genre. On GTZAN's validation songs this raised clean song accuracy
from 0.808 to 0.856 and the worst condition of the robustness benchmark from 0.760 to 0.800
(experiments/robustness).
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile

from genre_core.features import mel_power
from genre_core.loudness import integrated_loudness
from genre_core.params import FeatureParams
from genre_trainer.errors import TrainerError

FFMPEG_CHAINS = {
    "limit+9": "volume=9dB,alimiter=limit=0.9:level=false",
    "limit+15": "volume=15dB,alimiter=limit=0.9:attack=2:release=30:level=false",
    "compress": "acompressor=threshold=-24dB:ratio=6:attack=5:release=120:makeup=8",
    "bright": "treble=g=5:f=3000,bass=g=-4:f=150",
    "dark": "treble=g=-6:f=3000,bass=g=4:f=150",
}
NOISE = "noise"
NOISE_BELOW_LU = 25.0
AUGMENTATIONS = (*FFMPEG_CHAINS, NOISE)


def augmented(audio: np.ndarray, name: str, params: FeatureParams, seed: int) -> np.ndarray:
    """`audio` (mono float32 at ``params.sample_rate``) through augmentation `name`."""
    if name == NOISE:
        noise = _pink_noise(len(audio), np.random.default_rng(seed))
        level = _loudness(audio, params) - NOISE_BELOW_LU - _loudness(noise, params)
        return audio + noise * np.float32(10 ** (level / 20)) if np.isfinite(level) else audio
    if name not in FFMPEG_CHAINS:
        raise TrainerError(f"No augmentation {name!r}; known: {', '.join(AUGMENTATIONS)}")
    with tempfile.TemporaryDirectory(prefix="genre-augment-") as folder:
        source, target = Path(folder) / "in.wav", Path(folder) / "out.wav"
        soundfile.write(source, audio, params.sample_rate, subtype="FLOAT")
        command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(source), "-af", FFMPEG_CHAINS[name]]
        subprocess.run([*command, "-c:a", "pcm_f32le", str(target)], check=True, timeout=300)
        signal, _ = soundfile.read(target, dtype="float32")
    return signal[: len(audio)]


def _loudness(audio: np.ndarray, params: FeatureParams) -> float:
    return integrated_loudness(mel_power(audio, params).weighted_power, params)


def _pink_noise(n: int, rng: np.random.Generator) -> np.ndarray:
    spectrum = np.fft.rfft(rng.standard_normal(n))
    frequencies = np.arange(len(spectrum), dtype=np.float64)
    frequencies[0] = 1.0
    return np.fft.irfft(spectrum / np.sqrt(frequencies), n).astype(np.float32)
