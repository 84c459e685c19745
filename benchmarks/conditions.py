"""The ways a real upload differs from a clean GTZAN clip, each a function from a song to a file.

Every condition takes a song (mono float32 at :data:`RATE`) and writes the file a user would upload: the
level changed (quieter as is, louder through a limiter as today's masters are), re-encoded (MP3 and AAC at
128 kb/s, Opus at 128 kb/s 48 kHz stereo as YouTube serves audio), resampled to 44.1 kHz stereo, padded with
digital silence, faded, preceded by someone talking, or under noise. Encoders, the limiter and the fades are
ffmpeg's; the voice is espeak-ng's plain `en-us` (a voice the music detector never heard) reading a text it
never read.

Noise conditions mix the noise at 20 dB below the song's loudness (BS.1770), for the whole song: a signal-to-
noise ratio of +20 dB.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from genre_core.audio import resample
from genre_core.features import mel_power
from genre_core.loudness import integrated_loudness
from genre_core.params import FeatureParams

RATE = 22050
"""GTZAN's rate: the songs come in at it, and the plain conditions are written at it."""
INTRO_TEXT = (
    "Hey guys, welcome back to the channel. Today I have a really special one for you, so sit back, "
    "relax, and let me know in the comments what you think of this track."
)
INTRO_SECONDS = 12.0
NOISE_BELOW_LU = 20.0
_LOUDNESS_PARAMS = FeatureParams(sample_rate=RATE)


@dataclass(frozen=True)
class Condition:
    name: str
    description: str
    write: Callable[[np.ndarray, Path], Path]
    """(song, folder) -> the file to classify, written in `folder`."""


def _wav(audio: np.ndarray, folder: Path, rate: int = RATE, channels: int = 1) -> Path:
    path = folder / "song.wav"
    data = np.repeat(audio[:, np.newaxis], channels, axis=1) if channels > 1 else audio
    soundfile.write(path, np.clip(data, -1.0, 1.0), rate, subtype="PCM_16")
    return path


def _ffmpeg(audio: np.ndarray, folder: Path, name: str, *arguments: str) -> Path:
    """Write `audio` to a float WAV, then through ffmpeg with `arguments` (filters, codec) into `folder/name`."""
    source = folder / "source.wav"
    soundfile.write(source, audio, RATE, subtype="FLOAT")
    target = folder / name
    command = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-i", str(source), *arguments]
    subprocess.run([*command, str(target)], check=True, timeout=120)
    source.unlink()
    return target


def loudness(audio: np.ndarray) -> float:
    return integrated_loudness(mel_power(audio, _LOUDNESS_PARAMS).weighted_power, _LOUDNESS_PARAMS)


def _at_loudness(sound: np.ndarray, lufs: float) -> np.ndarray:
    return sound * np.float32(10 ** ((lufs - loudness(sound)) / 20))


def spoken_intro(seconds: float = INTRO_SECONDS) -> np.ndarray:
    """espeak-ng's `en-us` voice reading :data:`INTRO_TEXT`, cut or padded with its own silence to `seconds`."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "intro.wav"
        subprocess.run(["espeak-ng", "-v", "en-us", "-w", str(path), INTRO_TEXT], check=True, timeout=60)
        signal, rate = soundfile.read(path, dtype="float32")
    voice = resample(signal, rate, RATE)
    n = round(seconds * RATE)
    return np.pad(voice, (0, max(0, n - len(voice))))[:n]


def pink_noise(n: int, seed: int) -> np.ndarray:
    spectrum = np.fft.rfft(np.random.default_rng(seed).standard_normal(n))
    frequencies = np.arange(len(spectrum), dtype=np.float64)
    frequencies[0] = 1.0
    return np.fft.irfft(spectrum / np.sqrt(frequencies), n).astype(np.float32)


def applause(n: int, seed: int) -> np.ndarray:
    """Synthetic clapping (the music detector's own generator, with a seed it was not trained with)."""
    from genre_trainer.data.non_music import applause as clapping

    return clapping(n, RATE, np.random.default_rng(seed)).astype(np.float32)


def _with_noise(noise: Callable[[int, int], np.ndarray]) -> Callable[[np.ndarray, Path], Path]:
    def write(audio: np.ndarray, folder: Path) -> Path:
        level = loudness(audio) - NOISE_BELOW_LU
        return _wav(audio + _at_loudness(noise(len(audio), len(audio)), level), folder)

    return write


def _intro(audio: np.ndarray, folder: Path) -> Path:
    # The voice as loud as the music, as a presenter is mixed.
    voice = _at_loudness(spoken_intro(), loudness(audio))
    return _wav(np.concatenate([voice, audio]), folder)


def _silence(audio: np.ndarray, folder: Path) -> Path:
    pad = np.zeros(round(10 * RATE), dtype=np.float32)
    return _wav(np.concatenate([pad, audio, pad]), folder)


def _gain(db: float) -> Callable[[np.ndarray, Path], Path]:
    def write(audio: np.ndarray, folder: Path) -> Path:
        if db <= 0:
            return _wav(audio * np.float32(10 ** (db / 20)), folder)
        # Louder through a brick-wall limiter at -0.3 dBFS: what loud modern mastering does to a mix.
        return _ffmpeg(
            audio, folder, "song.wav", "-af", f"volume={db}dB,alimiter=limit=0.966:level=false", "-c:a", "pcm_s16le"
        )

    return write


def _fade(audio: np.ndarray, folder: Path) -> Path:
    seconds = len(audio) / RATE
    return _ffmpeg(
        audio, folder, "song.wav", "-af", f"afade=t=in:d=2,afade=t=out:st={seconds - 2:.3f}:d=2", "-c:a", "pcm_s16le"
    )


CONDITIONS: list[Condition] = [
    Condition("clean", "as decoded, 16-bit WAV", lambda audio, folder: _wav(audio, folder)),
    Condition("gain -24 dB", "24 dB quieter", _gain(-24)),
    Condition("gain -12 dB", "12 dB quieter", _gain(-12)),
    Condition("gain +6 dB", "6 dB louder through a limiter", _gain(6)),
    Condition("gain +12 dB", "12 dB louder through a limiter", _gain(12)),
    Condition(
        "mp3 128k", "MP3 (LAME) 128 kb/s", lambda a, f: _ffmpeg(a, f, "song.mp3", "-c:a", "libmp3lame", "-b:a", "128k")
    ),
    Condition("aac 128k", "AAC 128 kb/s in M4A", lambda a, f: _ffmpeg(a, f, "song.m4a", "-c:a", "aac", "-b:a", "128k")),
    Condition(
        "opus 128k",
        "Opus 128 kb/s, 48 kHz stereo (how YouTube serves audio)",
        lambda a, f: _ffmpeg(a, f, "song.opus", "-c:a", "libopus", "-b:a", "128k", "-ar", "48000", "-ac", "2"),
    ),
    Condition(
        "44.1k stereo",
        "44.1 kHz stereo WAV",
        lambda a, f: _ffmpeg(a, f, "song.wav", "-ar", "44100", "-ac", "2", "-c:a", "pcm_s16le"),
    ),
    Condition("silence 10 s", "10 s of digital silence before and after", _silence),
    Condition("fade 2 s", "2-s fade in and out", _fade),
    Condition("spoken intro 12 s", "12 s of a voice (espeak-ng en-us) before the music, as loud", _intro),
    Condition("pink noise", "pink noise 20 dB below the music, throughout", _with_noise(pink_noise)),
    Condition("applause", "applause 20 dB below the music, throughout", _with_noise(applause)),
]
