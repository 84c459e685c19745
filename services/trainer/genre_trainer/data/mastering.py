"""Mastering augmentation: each training song also as louder masters, other EQ, a noisier recording and a live
one make it.

GTZAN's songs were mostly mastered before the loudness war and recorded cleanly. Today's uploads are limited
and compressed hard, brighter or darker, sometimes with hiss or an audience. Loudness normalisation takes away
the level, not what a limiter does to the dynamics; so the genre head (and the music detector, whose music
this is too) also sees every training song through each of :data:`AUGMENTATIONS`: ffmpeg's limiter (two
hard settings and one drawn at random per song), compressor and shelving EQ; noise of a random colour (white
to brown) 18-30 LU under the music; and clapping 15-25 LU under it. Each copy is one more song-mean row of the
same genre. The first six raised clean song accuracy on GTZAN's validation songs from 0.808 to 0.856 and the
worst condition of the robustness benchmark from 0.760 to 0.800 (experiments/robustness).
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import soundfile

from genre_core.audio import load_audio
from genre_core.features import mel_power
from genre_core.loudness import integrated_loudness
from genre_core.params import FeatureParams
from genre_trainer.data.non_music import applause, coloured_noise
from genre_trainer.errors import TrainerError

FFMPEG_CHAINS = {
    "limit+9": "volume=9dB,alimiter=limit=0.9:level=false",
    "limit+15": "volume=15dB,alimiter=limit=0.9:attack=2:release=30:level=false",
    "compress": "acompressor=threshold=-24dB:ratio=6:attack=5:release=120:makeup=8",
    "bright": "treble=g=5:f=3000,bass=g=-4:f=150",
    "dark": "treble=g=-6:f=3000,bass=g=4:f=150",
}
NOISE = "noise"
NOISE_BELOW_LU = (18.0, 30.0)
NOISE_EXPONENTS = (0.0, 2.0)
"""The noise's power falls as 1/f**exponent, drawn in this range: white (0) to pink (1) to brown (2)."""
LIMITER = "limit-random"
LIMITER_GAIN_DB = (3.0, 15.0)
LIMITER_CEILING = (0.85, 1.0)
LIMITER_ATTACK_MS = (0.5, 10.0)
LIMITER_RELEASE_MS = (20.0, 300.0)
"""A limiter whose drive, ceiling, attack and release are drawn per song in these ranges: the two fixed chains
above are as hard as a loud master gets, this one also covers the milder and faster or slower ones between."""
CROWD = "crowd"
CROWD_BELOW_LU = (15.0, 25.0)
AUGMENTATIONS = (*FFMPEG_CHAINS, NOISE, CROWD, LIMITER)
"""In the order their seeds are numbered: a new copy goes last, so the others stay the same songs."""
CODECS = {
    "mp3-32k": ("mp3", ("-c:a", "libmp3lame", "-b:a", "32k")),
    "opus-24k": ("ogg", ("-c:a", "libopus", "-b:a", "24k")),
}
"""Low-bit-rate re-encodings (an old rip, a stream on a poor connection), at the pipeline's rate, where their
band limit and artefacts fall inside what the network hears: copies that can be made (`augmented`) but are not
among :data:`AUGMENTATIONS`, as they did not help (docs/robustness.md)."""
COPY_SEPARATOR = "#"
"""A mastered copy is a song of its own, `<song id>#<augmentation>`."""


def copy_id(song_id: str, name: str) -> str:
    """The song id of `song_id`'s copy through augmentation `name`."""
    return f"{song_id}{COPY_SEPARATOR}{name}"


def original_song(song_ids: np.ndarray) -> np.ndarray:
    """The song each window (of a song or of one of its mastered copies) comes from."""
    return np.array([str(song_id).split(COPY_SEPARATOR, 1)[0] for song_id in song_ids], dtype=object)


def augmented(audio: np.ndarray, name: str, params: FeatureParams, seed: int) -> np.ndarray:
    """`audio` (mono float32 at ``params.sample_rate``) through augmentation `name`."""
    rng = np.random.default_rng(seed)
    if name == NOISE:
        noise = coloured_noise(len(audio), rng, rng.uniform(*NOISE_EXPONENTS))
        return _mixed(audio, noise, rng.uniform(*NOISE_BELOW_LU), params)
    if name == CROWD:
        return _mixed(audio, applause(len(audio), params.sample_rate, rng), rng.uniform(*CROWD_BELOW_LU), params)
    if is_random_limiter(name):
        return _through_ffmpeg(audio, random_limiter(rng), params)
    if name in CODECS:
        return _through_codec(audio, *CODECS[name], params)
    if name not in FFMPEG_CHAINS:
        known = ", ".join([*AUGMENTATIONS, *CODECS, f"{LIMITER}-<n>"])
        raise TrainerError(f"No augmentation {name!r}; known: {known}")
    return _through_ffmpeg(audio, FFMPEG_CHAINS[name], params)


def is_random_limiter(name: str) -> bool:
    """Whether `name` is a random limiter's copy: :data:`LIMITER`, or `limit-random-<n>` for a further draw."""
    return re.fullmatch(rf"{LIMITER}(-\d+)?", name) is not None


def random_limiter(rng: np.random.Generator) -> str:
    """An ffmpeg filter chain: a gain into a brick-wall limiter, each setting drawn from `rng` in its range."""
    gain, ceiling = rng.uniform(*LIMITER_GAIN_DB), rng.uniform(*LIMITER_CEILING)
    attack, release = rng.uniform(*LIMITER_ATTACK_MS), rng.uniform(*LIMITER_RELEASE_MS)
    return f"volume={gain:.2f}dB,alimiter=limit={ceiling:.3f}:attack={attack:.2f}:release={release:.1f}:level=false"


def _through_ffmpeg(audio: np.ndarray, chain: str, params: FeatureParams) -> np.ndarray:
    with tempfile.TemporaryDirectory(prefix="genre-augment-") as folder:
        source, target = Path(folder) / "in.wav", Path(folder) / "out.wav"
        soundfile.write(source, audio, params.sample_rate, subtype="FLOAT")
        command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i", str(source), "-af", chain]
        subprocess.run([*command, "-c:a", "pcm_f32le", str(target)], check=True, timeout=300)
        signal, _ = soundfile.read(target, dtype="float32")
    return signal[: len(audio)]


def _through_codec(audio: np.ndarray, container: str, codec: tuple[str, ...], params: FeatureParams) -> np.ndarray:
    """`audio` encoded with ffmpeg's `codec` arguments and decoded back, as long as it was (the decoders drop
    the encoders' delay; a shorter tail is padded with silence)."""
    with tempfile.TemporaryDirectory(prefix="genre-augment-") as folder:
        source, encoded = Path(folder) / "in.wav", Path(folder) / f"coded.{container}"
        soundfile.write(source, audio, params.sample_rate, subtype="FLOAT")
        run = ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-i"]
        subprocess.run([*run, str(source), *codec, str(encoded)], check=True, timeout=300)
        signal = load_audio(encoded, params.sample_rate)
    return np.pad(signal[: len(audio)], (0, max(0, len(audio) - len(signal)))).astype(np.float32)


def _loudness(audio: np.ndarray, params: FeatureParams) -> float:
    return integrated_loudness(mel_power(audio, params).weighted_power, params)


def _mixed(audio: np.ndarray, sound: np.ndarray, below_lu: float, params: FeatureParams) -> np.ndarray:
    """`audio` with `sound` mixed in `below_lu` under its loudness (unchanged when either is silent)."""
    sound = sound.astype(np.float32)
    level = _loudness(audio, params) - below_lu - _loudness(sound, params)
    return audio + sound * np.float32(10 ** (level / 20)) if np.isfinite(level) else audio
