"""Analysis speed: a downloaded 3-minute song to its result on one core, the worker's path against a naive one.

    .venv/bin/python benchmarks/analysis.py [--repeats 7] [--naive-repeats 3] [--smoke]

The song is six real GTZAN clips (six genres) laid end to end and written as the downloader writes it
(float32 WAV, 22050 Hz, mono). The worker's path is `Classifier.classify_file`: decode → resample →
log-mel of the whole song → 3-s windows → LiteRT inference → result; each stage is also timed on its
own. The naive path is what a typical tutorial does: `librosa.load`, then per 3-s window
`librosa.feature.melspectrogram` + `power_to_db` and a Keras `model.predict` of that one window (the same
2D CNN architecture built with Keras; its weights do not change its speed). Both run in this process,
pinned to one CPU with one thread for BLAS, LiteRT and TensorFlow. Writes benchmarks/results/analysis.json.
`--smoke`: a 30-s song, two repeats, no Keras.
"""

from __future__ import annotations

import os

# One core, one thread: set before numpy, LiteRT or TensorFlow load their thread pools.
for _variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_variable] = "1"
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "2"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import MODEL_DIR, SONG_CLIPS, header, make_song, median, write_result  # noqa: E402
from genre_core.audio import load_audio  # noqa: E402
from genre_core.features import log_mel, slice_windows  # noqa: E402
from genre_core.params import DEFAULT_FEATURE_PARAMS as PARAMS  # noqa: E402
from genre_core.results import build_result  # noqa: E402
from genre_worker.classifier import Classifier  # noqa: E402

STAGES = ("decode_resample", "log_mel", "windows", "inference", "result")


def worker_stages(classifier: Classifier, song: Path) -> dict[str, float]:
    """One pass of the worker's path, stage by stage (the same calls `classify_file` makes)."""
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    audio = load_audio(song, PARAMS.sample_rate)
    seconds["decode_resample"] = time.perf_counter() - start
    start = time.perf_counter()
    spectrogram = log_mel(audio, PARAMS)
    seconds["log_mel"] = time.perf_counter() - start
    start = time.perf_counter()
    windows = slice_windows(spectrogram, len(audio), PARAMS)
    seconds["windows"] = time.perf_counter() - start
    start = time.perf_counter()
    probabilities = classifier.predict(windows)
    seconds["inference"] = time.perf_counter() - start
    start = time.perf_counter()
    build_result(probabilities, classifier.labels, PARAMS, len(audio) / PARAMS.sample_rate, classifier.manifest.version)
    seconds["result"] = time.perf_counter() - start
    return seconds


def naive_path(song: Path, model: object) -> np.ndarray:
    """librosa per window + Keras predict per window, as tutorials write it."""
    import librosa

    audio, rate = librosa.load(song, sr=PARAMS.sample_rate, mono=True)
    probabilities = []
    for start in range(0, len(audio) - PARAMS.window_samples + 1, PARAMS.window_samples):
        segment = audio[start : start + PARAMS.window_samples]
        mel = librosa.feature.melspectrogram(
            y=segment, sr=rate, n_fft=PARAMS.n_fft, hop_length=PARAMS.hop_length, n_mels=PARAMS.n_mels
        )
        db = librosa.power_to_db(mel, ref=1.0, amin=PARAMS.db_amin, top_db=None)
        probabilities.append(model.predict(db[np.newaxis, ..., np.newaxis], verbose=0)[0])
    return np.mean(probabilities, axis=0)


def keras_model(song: Path) -> object:
    from genre_trainer.model import adapt_normalization, build_model

    model = build_model((*PARAMS.input_shape, 1), n_labels=10)
    audio = load_audio(song, PARAMS.sample_rate)
    adapt_normalization(model, slice_windows(log_mel(audio, PARAMS), len(audio), PARAMS)[..., np.newaxis])
    return model


def profile_top(classifier: Classifier, song: Path, limit: int = 12) -> list[dict[str, object]]:
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        classifier.classify_file(song)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, function), (_, calls, own, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
        rows.append(
            {
                "function": f"{Path(filename).name}:{line}({function})",
                "calls_per_run": calls // 3,
                "own_ms_per_run": round(own / 3 * 1000, 2),
                "cumulative_ms_per_run": round(cumulative / 3 * 1000, 2),
            }
        )
    return sorted(rows, key=lambda row: -row["own_ms_per_run"])[:limit]


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    parser.add_argument("--naive-repeats", type=int, default=3)
    parser.add_argument("--smoke", action="store_true", help="a 30-s song, 2 repeats, no Keras")
    args = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    repeats = 2 if args.smoke else args.repeats

    work = Path(tempfile.mkdtemp(prefix="genre-bench-analysis-"))
    song = make_song(work / "song.wav", SONG_CLIPS[:1] if args.smoke else SONG_CLIPS)
    song_seconds = len(load_audio(song, PARAMS.sample_rate)) / PARAMS.sample_rate
    classifier = Classifier(MODEL_DIR, PARAMS, threads=1)
    classifier.classify_file(song)  # warm: caches, first allocation

    # Interleaved, so that noise from the shared machine falls on both sides alike.
    full, stages = [], {stage: [] for stage in STAGES}
    naive: list[float] = []
    model = None if args.smoke else keras_model(song)
    if model is not None:
        naive_path(song, model)  # warm: graph tracing
    for index in range(repeats):
        start = time.perf_counter()
        classifier.classify_file(song)
        full.append(time.perf_counter() - start)
        for stage, seconds in worker_stages(classifier, song).items():
            stages[stage].append(seconds)
        if model is not None and index < args.naive_repeats:
            start = time.perf_counter()
            naive_path(song, model)
            naive.append(time.perf_counter() - start)

    stage_medians = {stage: median(values) for stage, values in stages.items()}
    stage_total = sum(stage_medians.values())
    worker_seconds = median(full)
    figures: dict[str, object] = {
        **header("analysis", argv),
        "song_seconds": round(song_seconds, 2),
        "windows": int(song_seconds // PARAMS.window_seconds),
        "repeats": repeats,
        "worker_path_seconds_median": round(worker_seconds, 4),
        "worker_path_seconds_all": [round(value, 4) for value in full],
        "worker_path_times_real_time": round(song_seconds / worker_seconds, 1),
        "stages_ms_median": {stage: round(value * 1000, 2) for stage, value in stage_medians.items()},
        "stages_share": {stage: round(value / stage_total, 3) for stage, value in stage_medians.items()},
        "profile_top_own_time": profile_top(classifier, song),
        "target": "3-min song in under 0.18 s (1000x real time) on one core",
    }
    if naive:
        naive_seconds = median(naive)
        figures.update(
            {
                "naive_path_seconds_median": round(naive_seconds, 3),
                "naive_path_seconds_all": [round(value, 3) for value in naive],
                "naive_path_times_real_time": round(song_seconds / naive_seconds, 1),
                "speedup_worker_over_naive": round(naive_seconds / worker_seconds, 1),
            }
        )
    write_result("analysis-smoke" if args.smoke else "analysis", figures)
    return figures


if __name__ == "__main__":
    main()
