"""Decoding: speed on 30-s Ogg clips and real MP3s, which decoder to trust with MP3, and peak memory.

    .venv/bin/python benchmarks/decoding.py [--before REV] [--rounds 5] [--smoke]

- `ogg`: `load_audio` of ten GTZAN clips (one per genre, 30 s, Ogg Vorbis 22050 Hz) at both feature sets'
  rates, now and, with `--before REV`, with `genre_core/audio.py` as it was at git revision REV; rounds
  alternate between the two so that a busy machine slows both alike. Median milliseconds per clip.
- `mp3`: the real MP3s of ../shared/extra/4q-mer decoded by libsndfile (mpg123; the whole file, averaged,
  resampled with soxr, as MP3s were decoded before) and by ffmpeg (`decode_with_ffmpeg`): time per file,
  failures, length against the manifest, and how far apart the two decoders' samples are.
- `mp3_files`: the awkward MP3s of testkit.awkward_audio (made from a GTZAN clip) through both decoders:
  what each returns and how well it matches the clean clip (correlation at the best lag).
- `memory`: peak resident memory of a fresh process decoding 14 min of a constant in 8 channels at
  96 kHz (a FLAC of about 420 KB), now and before.

Writes benchmarks/results/decoding.json. `--smoke`: two rounds, ten MP3s, no memory figure.
"""

from __future__ import annotations

import argparse
import importlib.util
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

import numpy as np
import scipy.signal
import soundfile

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import GTZAN_DIR, REPO_ROOT, header, median, write_result
from genre_core.audio import load_audio, resample
from genre_core.decode_ffmpeg import decode_with_ffmpeg
from genre_core.errors import PipelineError
from testkit.awkward_audio import build_corpus, ffmpeg, lame, with_junk

MP3_DIR = REPO_ROOT.parent / "shared" / "extra" / "4q-mer"
GENRES = ("blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock")
RATES = (16000, 22050)
CORPUS_MP3S = ("plain-128k.mp3", "vbr.mp3", "id3-windows-media.mp3", "id3-5mb-cover.mp3", "leading-junk.mp3",
               "junk-mid-stream.mp3")  # fmt: skip

# VmHWM, not getrusage's ru_maxrss, which Linux carries over exec from the (large) benchmark process.
MEMORY_CHILD = """
import importlib.util, re, sys
spec = importlib.util.spec_from_file_location("audio_under_test", sys.argv[2])
audio = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audio)

def peak_kib():
    with open("/proc/self/status") as status:
        return int(re.search(r"VmHWM:\\s+(\\d+) kB", status.read()).group(1))

before = peak_kib()
samples = len(audio.load_audio(sys.argv[1], 16000, 900))
print(samples, peak_kib() - before)
"""


def module_at(revision: str, folder: Path) -> Path:
    """genre_core/audio.py as it was at `revision`, written into `folder`."""
    source = subprocess.run(
        ["git", "show", f"{revision}:services/core/genre_core/audio.py"], cwd=REPO_ROOT, capture_output=True, check=True
    ).stdout
    path = folder / f"audio_{revision}.py"
    path.write_bytes(source)
    return path


def load_module(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"audio_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def ogg_speed(decoders: dict[str, Callable[..., np.ndarray]], rounds: int) -> dict[str, dict[str, float]]:
    clips = [GTZAN_DIR / "genres" / genre / f"{genre}.00002.ogg" for genre in GENRES]
    figures: dict[str, dict[str, float]] = {}
    for rate in RATES:
        wall: dict[str, list[float]] = {name: [] for name in decoders}
        cpu: dict[str, list[float]] = {name: [] for name in decoders}
        for _ in range(rounds):
            for name, decode in decoders.items():
                start, start_cpu = time.perf_counter(), time.process_time()
                for clip in clips:
                    decode(clip, rate)
                wall[name].append((time.perf_counter() - start) / len(clips) * 1000)
                cpu[name].append((time.process_time() - start_cpu) / len(clips) * 1000)
        figures[str(rate)] = {
            **{f"{name}_ms_per_clip": round(median(values), 1) for name, values in wall.items()},
            # CPU time of this process: what a machine shared with other work disturbs least.
            **{f"{name}_cpu_ms_per_clip": round(median(values), 1) for name, values in cpu.items()},
        }
    return figures


def libsndfile_whole(path: Path, rate: int) -> np.ndarray:
    """How MP3s were decoded before: libsndfile (mpg123) reads the whole file, averaged, resampled."""
    signal, native_rate = soundfile.read(path, dtype="float32", always_2d=True)
    return resample(signal.mean(axis=1, dtype=np.float32), native_rate, rate)


def mp3_comparison(limit: int | None) -> dict[str, object]:
    files = sorted(MP3_DIR.glob("*/*.mp3"))[:limit]
    manifest = {
        line.split(",")[2]: float(line.split(",")[6])
        for line in (MP3_DIR / "manifest.csv").read_text().splitlines()[1:]
    }
    rate = 16000
    decoders = {"libsndfile": libsndfile_whole, "ffmpeg": lambda path, r: decode_with_ffmpeg(path, r)}
    seconds: dict[str, list[float]] = {name: [] for name in decoders}
    failures: dict[str, list[str]] = {name: [] for name in decoders}
    length_error: dict[str, list[float]] = {name: [] for name in decoders}
    max_difference, relative_rms_db = [], []
    for path in files:
        outputs = {}
        for name, decode in decoders.items():
            start = time.perf_counter()
            try:
                outputs[name] = decode(path, rate)
            except (PipelineError, RuntimeError) as error:
                failures[name].append(f"{path.name}: {error}")
                continue
            finally:
                seconds[name].append(time.perf_counter() - start)
            expected = manifest[str(path.relative_to(MP3_DIR))]
            length_error[name].append(abs(len(outputs[name]) / rate - expected))
        if len(outputs) == 2:
            a, b = outputs["libsndfile"], outputs["ffmpeg"]
            n = min(len(a), len(b))
            difference = a[:n] - b[:n]
            max_difference.append(float(np.abs(difference).max()))
            relative_rms_db.append(float(10 * np.log10(np.mean(difference**2) / np.mean(a[:n] ** 2))))
    return {
        "files": len(files),
        **{
            name: {
                "median_ms_per_file": round(median(values) * 1000, 1),
                "total_s": round(sum(values), 2),
                "failures": failures[name],
                "max_length_error_s_vs_manifest": round(max(length_error[name], default=0.0), 3),
            }
            for name, values in seconds.items()
        },
        "libsndfile_vs_ffmpeg_max_abs_difference": float(f"{max(max_difference):.2g}"),
        "libsndfile_vs_ffmpeg_difference_rms_db_below_signal": round(-max(relative_rms_db), 1),
    }


def best_correlation(audio: np.ndarray, reference: np.ndarray, rate: int) -> float:
    """Correlation of the first 12 s of `reference` with `audio`, at the best lag within ±0.25 s."""
    lag = rate // 4
    wanted = reference[lag : 12 * rate]
    searched = audio[: 12 * rate + lag]
    if len(searched) < len(wanted):
        return float("nan")
    best = int(np.argmax(scipy.signal.correlate(searched, wanted, mode="valid", method="fft")))
    return float(np.corrcoef(searched[best : best + len(wanted)], wanted)[0, 1])


def corpus_mp3s(folder: Path) -> dict[str, object]:
    clip = GTZAN_DIR / "genres" / "rock" / "rock.00001.ogg"
    corpus = build_corpus(clip, folder)
    # The same damage at 22050 Hz (MPEG-2 layer III), where mpg123 stops without an error.
    wav22 = folder / "source-22k.wav"
    ffmpeg("-i", clip, "-ac", "2", wav22)
    corpus["junk-mid-stream-22k.mp3"] = with_junk(
        lame(wav22, folder / "plain-22k.mp3", "-b", "64"), folder / "junk-22k.mp3", at=0.5, size=4000
    )
    rate = 16000
    reference = load_audio(corpus["source.wav"], rate)
    figures: dict[str, object] = {}
    for name in (*CORPUS_MP3S, "junk-mid-stream-22k.mp3"):
        row = {}
        for decoder, decode in (("libsndfile", libsndfile_whole), ("ffmpeg", decode_with_ffmpeg)):
            try:
                audio = decode(corpus[name], rate)
            except (PipelineError, RuntimeError) as error:
                row[decoder] = f"error: {error}"
                continue
            row[decoder] = f"{len(audio) / rate:.2f} s, correlation {best_correlation(audio, reference, rate):.4f}"
        figures[name] = row
    return figures


def peak_memory(module: Path, folder: Path) -> dict[str, float]:
    flac = folder / "constant-8ch-96k-14min.flac"
    if not flac.exists():
        ffmpeg("-f", "lavfi", "-i", "anullsrc=r=96000:cl=7.1", "-af", "dcshift=0.25", "-t", 840, flac)
    command = [sys.executable, "-c", MEMORY_CHILD, str(flac), str(module)]
    start = time.perf_counter()
    samples, growth_kib = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
    return {
        "file_kb": round(flac.stat().st_size / 1000),
        "samples": int(samples),
        "peak_rss_growth_mb": round(int(growth_kib) / 1024, 1),
        "seconds": round(time.perf_counter() - start, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="git revision whose genre_core/audio.py to compare with")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--smoke", action="store_true")
    args = parser.parse_args()
    rounds = 2 if args.smoke else args.rounds
    figures: dict[str, object] = header("decoding", sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="decoding-bench-") as work:
        folder = Path(work)
        now = REPO_ROOT / "services" / "core" / "genre_core" / "audio.py"
        modules = {"now": now}
        if args.before:
            modules[f"before_{args.before}"] = module_at(args.before, folder)
        decoders = {name: load_module(path).load_audio for name, path in modules.items()}
        figures["ogg"] = ogg_speed(decoders, rounds)
        figures["mp3"] = mp3_comparison(10 if args.smoke else None)
        figures["mp3_files"] = corpus_mp3s(folder / "corpus")
        if not args.smoke:
            figures["memory"] = {name: peak_memory(path, folder) for name, path in modules.items()}
    write_result("decoding", figures)


if __name__ == "__main__":
    main()
