"""Sounds that are not music, made here: the negative examples of the music detector.

What people's uploads hold besides the song: someone talking (a channel's intro, a radio host, a podcast),
applause, crowd noise, hiss and hum. None of it ships in a dataset we can use offline, so it is made
with the speech synthesisers Debian packages (espeak-ng with its voice variants, flite's four voices) and
with numpy (coloured noise, mains hum, clapping). Every clip is deterministic given its seed.

The robustness benchmark's spoken intro uses espeak-ng's plain `en-us` voice with a text that appears
nowhere here (:data:`HELD_OUT_VOICE`): the detector is scored on a voice and words it never heard.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from genre_core.audio import resample
from genre_trainer.errors import TrainerError

HELD_OUT_VOICE = "en-us"
"""espeak-ng's default American voice: kept out of the detector's training speech, used by the benchmark."""

ESPEAK_VOICES = [
    "en-gb",
    "en-gb-scotland",
    "en-gb-x-rp",
    "en-029",
    "en-us+m3",
    "en-us+f2",
    "en-us+f4",
    "en-gb+m5",
    "en-gb+f3",
    "en-us+Annie",
    "en-gb+Andy",
    "en-us+croak",
    "en-us+whisper",
    "de",
    "fr",
    "es",
]
FLITE_VOICES = ["kal", "awb", "rms", "slt"]

SENTENCES = [
    "Hello everybody and thanks for tuning in to another episode of the show.",
    "Before we start, please like this video and subscribe for more content every week.",
    "This next track was recorded live in nineteen seventy four at a small club downtown.",
    "Good evening, here are the news headlines for tonight.",
    "I really want to thank all of you for coming out tonight, you have been amazing.",
    "Today we are going to talk about the history of the guitar and how it changed popular culture.",
    "The weather tomorrow will be cloudy with a chance of rain in the afternoon.",
    "Ladies and gentlemen, please welcome to the stage our very special guest.",
    "So I was sitting in the studio one night and this melody just came to me.",
    "If you enjoyed this, check out the playlist linked in the description below.",
    "Our sponsor today makes the best headphones I have ever used, seriously.",
    "Let me tell you a story about how this band got together back in college.",
    "Chapter one. It was a bright cold day in April, and the clocks were striking thirteen.",
    "Please remain seated until the aircraft has come to a complete stop.",
    "You are listening to the morning drive with your favourite hosts.",
    "The interview continues after a short break, stay with us.",
    "Alright, alright, can everybody hear me at the back? Let's make some noise!",
    "This recording is for educational purposes only and may not be redistributed.",
    "Number one on the chart this week is a song you all know very well.",
    "Thanks again for watching, and I will see you in the next one.",
]


@dataclass(frozen=True)
class NonMusicClip:
    kind: str
    """"speech", "babble", "applause", "noise" or "hum"."""
    description: str
    audio: np.ndarray
    """Mono float32 at the requested sample rate, peak at most 1."""


def non_music_clips(sample_rate: int, seed: int, seconds: float = 9.0) -> Iterator[NonMusicClip]:
    """About a hundred clips of `seconds` each: speech (clean, in a room, over hiss, through a phone band),
    crowd babble, applause, coloured noise and hum, at levels that vary.

    Raises:
        TrainerError: espeak-ng or flite is not installed (`apt-get install espeak-ng flite`).
    """
    rng = np.random.default_rng(seed)
    n = round(seconds * sample_rate)
    talk = list(_speech_tracks(sample_rate, n, rng))
    for index, (name, voice) in enumerate(talk):
        variant = index % 4
        if variant == 0:
            yield NonMusicClip("speech", f"{name}, dry", _normalised(voice))
        elif variant == 1:
            yield NonMusicClip("speech", f"{name}, in a room", _normalised(_reverberant(voice, sample_rate, rng)))
        elif variant == 2:
            hiss = coloured_noise(n, rng, exponent=rng.uniform(0.0, 1.0))
            mix = voice / _rms(voice) + hiss / _rms(hiss) * 10 ** (-rng.uniform(10, 25) / 20)
            yield NonMusicClip("speech", f"{name}, over noise", _normalised(mix))
        else:
            yield NonMusicClip("speech", f"{name}, phone band", _normalised(_band(voice, sample_rate, 300, 3400)))
    for _ in range(8):
        voices = rng.choice(len(talk), size=int(rng.integers(4, 9)), replace=False)
        crowd = sum(np.roll(talk[int(v)][1], int(rng.integers(0, n))) for v in voices)
        yield NonMusicClip(
            "babble", f"crowd of {len(voices)} voices", _normalised(_reverberant(crowd, sample_rate, rng))
        )
    for index in range(8):
        yield NonMusicClip("applause", f"applause {index}", _normalised(applause(n, sample_rate, rng)))
    for exponent, name in ((0.0, "white"), (1.0, "pink"), (2.0, "brown")):
        for index in range(3):
            level = 10 ** (-rng.uniform(0, 30) / 20)
            yield NonMusicClip("noise", f"{name} noise {index}", _normalised(coloured_noise(n, rng, exponent)) * level)
    for mains in (50.0, 60.0):
        for index in range(2):
            yield NonMusicClip("hum", f"{mains:g} Hz hum {index}", _normalised(_hum(n, sample_rate, mains, rng)))


def applause(n: int, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    """Many people clapping: each clap a few milliseconds of band-passed noise with its own colour and decay,
    each person clapping 3-6 times a second with some jitter."""
    out = np.zeros(n + sample_rate, dtype=np.float64)
    for _ in range(int(rng.integers(15, 40))):
        rate = rng.uniform(3.0, 6.0)
        low, high = rng.uniform(500, 1500), rng.uniform(2500, 6000)
        clap = _band(rng.standard_normal(int(0.02 * sample_rate)), sample_rate, low, min(high, sample_rate / 2 - 100))
        clap *= np.exp(-np.arange(len(clap)) / (rng.uniform(0.002, 0.008) * sample_rate))
        time = rng.uniform(0, 1 / rate)
        while time < n / sample_rate:
            start = int(time * sample_rate)
            out[start : start + len(clap)] += clap * rng.uniform(0.5, 1.0)
            time += 1 / rate + rng.normal(0, 0.02)
    return _reverberant(out[:n], sample_rate, rng)


def _speech_tracks(sample_rate: int, n: int, rng: np.random.Generator) -> Iterator[tuple[str, np.ndarray]]:
    for tool in ("espeak-ng", "flite"):
        if shutil.which(tool) is None:
            raise TrainerError(f"{tool} is needed to make the music detector's speech (apt-get install {tool})")
    engines = [("espeak-ng", voice) for voice in ESPEAK_VOICES] + [("flite", voice) for voice in FLITE_VOICES]
    with tempfile.TemporaryDirectory(prefix="genre-speech-") as folder:
        for engine, voice in engines:
            for take in range(2):
                sentences = [SENTENCES[int(i)] for i in rng.permutation(len(SENTENCES))[:4]]
                path = Path(folder) / f"{engine}-{voice}-{take}.wav"
                _synthesise(engine, voice, " ".join(sentences), path, rng)
                signal, rate = soundfile.read(path, dtype="float32", always_2d=True)
                speech = resample(signal.mean(axis=1), rate, sample_rate)
                yield f"{engine} {voice}", np.resize(speech, n) if len(speech) else np.zeros(n, np.float32)


def _synthesise(engine: str, voice: str, text: str, path: Path, rng: np.random.Generator) -> None:
    if engine == "espeak-ng":
        speed, pitch = int(rng.integers(130, 200)), int(rng.integers(25, 75))
        command = ["espeak-ng", "-v", voice, "-s", str(speed), "-p", str(pitch), "-w", str(path), text]
    else:
        command = ["flite", "-voice", voice, "-t", text, "-o", str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=60)


def coloured_noise(n: int, rng: np.random.Generator, exponent: float) -> np.ndarray:
    """Noise whose power falls as 1/f**exponent (0 white, 1 pink, 2 brown)."""
    spectrum = np.fft.rfft(rng.standard_normal(n))
    frequencies = np.arange(len(spectrum), dtype=np.float64)
    frequencies[0] = 1.0
    return np.fft.irfft(spectrum / frequencies ** (exponent / 2), n)


def _hum(n: int, sample_rate: int, mains: float, rng: np.random.Generator) -> np.ndarray:
    time = np.arange(n) / sample_rate
    harmonics = sum(
        rng.uniform(0.05, 1.0) / k * np.sin(2 * np.pi * mains * k * time + rng.uniform(0, 2 * np.pi))
        for k in range(1, 8)
    )
    return harmonics + 0.05 * coloured_noise(n, rng, 1.0) / 100


def _reverberant(signal: np.ndarray, sample_rate: int, rng: np.random.Generator) -> np.ndarray:
    decay = rng.uniform(0.1, 0.6)  # RT60-ish, seconds
    length = int(decay * sample_rate)
    response = rng.standard_normal(length) * np.exp(-6.9 * np.arange(length) / length)
    response[0] = 1.0 / rng.uniform(0.1, 0.5)
    wet = np.convolve(signal, response)[: len(signal)]
    return wet


def _band(signal: np.ndarray, sample_rate: int, low: float, high: float) -> np.ndarray:
    spectrum = np.fft.rfft(signal)
    frequencies = np.fft.rfftfreq(len(signal), 1 / sample_rate)
    spectrum[(frequencies < low) | (frequencies > high)] = 0
    return np.fft.irfft(spectrum, len(signal))


def _rms(signal: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(signal)))) or 1.0


def _normalised(signal: np.ndarray) -> np.ndarray:
    peak = float(np.max(np.abs(signal))) or 1.0
    return (signal / peak * 0.9).astype(np.float32)
