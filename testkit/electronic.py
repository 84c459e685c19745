"""Songs none of GTZAN's ten genres covers, made here: a four-on-the-floor house loop and a techno loop.

What the "outside the ten genres" check is tried on (docs/tags.md): a kick on every beat, off-beat open hi-hats,
claps on two and four, a side-chained saw bass and minor-seventh chord stabs, at 120-128 BPM. Deterministic
for a seed, so tests and measurements hear the same songs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile

SAMPLE_RATE = 44100


def _kick(rate: int, rng: np.random.Generator) -> np.ndarray:
    time = np.arange(int(0.35 * rate)) / rate
    pitch = 50 + 110 * np.exp(-time * 30)  # the pitch drop of a 909 kick
    phase = 2 * np.pi * np.cumsum(pitch) / rate
    return np.sin(phase) * np.exp(-time * 9) + 0.02 * rng.normal(size=len(time)) * np.exp(-time * 80)


def _hat(rate: int, rng: np.random.Generator, seconds: float) -> np.ndarray:
    noise = rng.normal(size=int(seconds * rate))
    bright = np.diff(noise, prepend=0.0)  # first difference: a high-pass tilt
    return 0.3 * bright * np.exp(-np.arange(len(noise)) / rate * (12 if seconds > 0.1 else 60))


def _clap(rate: int, rng: np.random.Generator) -> np.ndarray:
    time = np.arange(int(0.2 * rate)) / rate
    bursts = sum(np.exp(-np.maximum(time - offset, 0) * 60) * (time >= offset) for offset in (0, 0.01, 0.02))
    return 0.4 * rng.normal(size=len(time)) * bursts


def _saw(frequency: float, seconds: float, rate: int) -> np.ndarray:
    time = np.arange(int(seconds * rate)) / rate
    return 2 * (time * frequency % 1.0) - 1


def house_loop(seconds: float = 30.0, bpm: float = 124.0, seed: int = 0, rate: int = SAMPLE_RATE) -> np.ndarray:
    """A house track's loop, mono float32 in [-1, 1]."""
    rng = np.random.default_rng(seed)
    length = int(seconds * rate)
    beat = 60.0 / bpm
    song = np.zeros(length + rate)
    kick, clap = _kick(rate, rng), _clap(rate, rng)
    roots = [55.0, 55.0, 43.65, 49.0]  # A1 A1 F1 G1: one bar each
    chord = (1.0, 1.189, 1.498, 1.782)  # minor seventh
    sidechain = np.ones(length + rate)
    for index in range(int(seconds / beat) + 1):
        start = int(index * beat * rate)
        song[start : start + len(kick)] += 0.9 * kick
        duck = 1 - 0.7 * np.exp(-np.arange(int(beat * rate)) / rate * 12)
        sidechain[start : start + len(duck)] = duck[: len(sidechain) - start]
        offbeat = int((index + 0.5) * beat * rate)
        hat = _hat(rate, rng, 0.12)
        song[offbeat : offbeat + len(hat)] += hat[: max(0, len(song) - offbeat)]
        if index % 2 == 1:
            song[start : start + len(clap)] += clap[: max(0, len(song) - start)]
        root = roots[(index // 4) % len(roots)]
        for sixteenth in (0.5, 0.75):  # the bass on the off-beat sixteenths
            note_start = int((index + sixteenth) * beat * rate)
            note = _saw(root * 2, beat / 4, rate) * np.exp(-np.arange(int(beat / 4 * rate)) / rate * 8)
            song[note_start : note_start + len(note)] += 0.25 * note[: max(0, len(song) - note_start)]
        if index % 4 in (1, 3):  # chord stabs
            stab_start = int((index + 0.5) * beat * rate)
            stab = sum(_saw(root * 4 * ratio, beat / 2, rate) for ratio in chord) / len(chord)
            stab *= np.exp(-np.arange(len(stab)) / rate * 10)
            song[stab_start : stab_start + len(stab)] += 0.2 * stab[: max(0, len(song) - stab_start)]
    song = (song * sidechain)[:length]
    return (0.8 * song / np.max(np.abs(song))).astype(np.float32)


def techno_loop(seconds: float = 30.0, bpm: float = 130.0, seed: int = 1, rate: int = SAMPLE_RATE) -> np.ndarray:
    """A darker, sparser loop: kick, sixteenth hats, and a resonant acid-like bass line."""
    rng = np.random.default_rng(seed)
    length = int(seconds * rate)
    beat = 60.0 / bpm
    song = np.zeros(length + rate)
    kick = _kick(rate, rng)
    pattern = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1]
    notes = [41.2, 41.2, 82.4, 41.2, 61.7, 41.2, 73.4, 41.2]
    for index in range(int(seconds / beat) + 1):
        start = int(index * beat * rate)
        song[start : start + len(kick)] += kick
        for sixteenth in range(4):
            at = int((index + sixteenth / 4) * beat * rate)
            hat = _hat(rate, rng, 0.03)
            song[at : at + len(hat)] += 0.6 * hat[: max(0, len(song) - at)]
            step = (index * 4 + sixteenth) % len(pattern)
            if pattern[step]:
                note = _saw(notes[step % len(notes)], beat / 4, rate)
                envelope = np.exp(-np.arange(len(note)) / rate * 20)
                song[at : at + len(note)] += 0.3 * (note * envelope)[: max(0, len(song) - at)]
    song = song[:length]
    return (0.8 * song / np.max(np.abs(song))).astype(np.float32)


def write_electronic_songs(folder: Path, count: int = 3, seconds: float = 30.0) -> list[Path]:
    """`count` house and `count` techno loops of different tempi and seeds as WAV files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        for name, make, bpm in (("house", house_loop, 120.0 + 4 * index), ("techno", techno_loop, 126.0 + 4 * index)):
            path = folder / f"{name}-{index}.wav"
            soundfile.write(path, make(seconds, bpm, seed=index), SAMPLE_RATE, subtype="PCM_16")
            paths.append(path)
    return paths
