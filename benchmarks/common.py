"""What every benchmark shares: the machine's description, medians, real test songs, writing results."""

from __future__ import annotations

import json
import os
import platform
import statistics
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[1]
GTZAN_DIR = REPO_ROOT.parent / "shared" / "gtzan"
RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
MODEL_DIR = REPO_ROOT / "models" / "default"
# Database 6 of the local Redis is the benchmarks' own: flushed at the start of each run.
BENCH_REDIS = os.environ.get("GENRE_BENCH_REDIS", "redis://127.0.0.1:6379/6")
# Six real clips from six genres, laid end to end: a 3-minute song.
SONG_CLIPS = ("rock.00001", "jazz.00001", "classical.00001", "metal.00001", "pop.00002", "blues.00001")


def machine() -> dict[str, object]:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_gib = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(memory_gib, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
    }


def header(name: str, argv: Sequence[str]) -> dict[str, object]:
    return {
        "benchmark": name,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", f"benchmarks/{name}.py", *argv]),
        "machine": machine(),
    }


def clip(name: str) -> Path:
    genre = name.split(".")[0]
    return GTZAN_DIR / "genres" / genre / f"{name}.ogg"


def make_song(path: Path, clips: Sequence[str] = SONG_CLIPS) -> Path:
    """Real clips decoded and concatenated into one song, written as the downloader writes it (f32 WAV, 22050 Hz)."""
    import soundfile

    from genre_core.audio import load_audio

    audio = np.concatenate([load_audio(clip(name), 22050) for name in clips])
    soundfile.write(path, audio, 22050, subtype="FLOAT")
    return path


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values))


def write_result(name: str, figures: dict[str, object]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{name}.json"
    path.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2), flush=True)
    return path
