"""Analysis speed: a downloaded 3-minute song to its result on one core, the worker's path against a naive one.

    .venv/bin/python benchmarks/analysis.py [--model models/default] [--repeats 7] [--naive-repeats 3] [--smoke]

The song is six real GTZAN clips (six genres) laid end to end and written as the downloader writes it
(float32 WAV, 22050 Hz, mono). The worker's path is `Classifier.classify_file` with the artifact in
`--model`: decode → resample → log-mel of the whole song → 3-s windows → LiteRT inference → result; each
stage is also timed on its own. The naive path is what a typical tutorial does: `librosa.load`, then per
3-s window `librosa.feature.melspectrogram` + log compression and a Keras `model.predict` of that one window
(the same architecture built with Keras: the 2D CNN, or musicnn with its genre layer; the head's weights do
not change its speed). Both run in this process, pinned to one CPU with one thread for BLAS, LiteRT and
TensorFlow. Writes benchmarks/results/analysis.json (`analysis-<folder>.json` for a model other than
models/default). `--smoke`: a 30-s song, two repeats, no Keras.
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

from ai_edge_litert.interpreter import Interpreter  # noqa: E402

from benchmarks.common import MODEL_DIR, SONG_CLIPS, header, make_song, median, write_result  # noqa: E402
from genre_core.audio import load_audio  # noqa: E402
from genre_core.features import log_mel, slice_windows  # noqa: E402
from genre_core.loudness import k_weights  # noqa: E402
from genre_core.params import FeatureParams  # noqa: E402
from genre_core.preprocessing import NO_PREPROCESSING, Preprocessing, song_features  # noqa: E402
from genre_core.results import build_result, window_kinds  # noqa: E402
from genre_core.tags import song_tags  # noqa: E402
from genre_worker.classifier import Classifier  # noqa: E402

STAGES = ("decode_resample", "features", "inference", "result")


def worker_stages(classifier: Classifier, song: Path) -> dict[str, float]:
    """One pass of the worker's path, stage by stage (the same calls `classify_file` makes): `features` is the
    log-mel of the whole song, its loudness, the silence screening and the windows (`song_features`)."""
    params = classifier.params
    seconds: dict[str, float] = {}
    start = time.perf_counter()
    audio = load_audio(song, params.sample_rate)
    seconds["decode_resample"] = time.perf_counter() - start
    start = time.perf_counter()
    features = song_features(audio, params, classifier.manifest.preprocessing)
    seconds["features"] = time.perf_counter() - start
    start = time.perf_counter()
    probabilities, music = classifier.predict_with_music_score(features.windows[~features.silent])
    seconds["inference"] = time.perf_counter() - start
    start = time.perf_counter()
    kinds = window_kinds(features.silent[~features.silent], music, 0.5)
    build_result(
        probabilities, classifier.labels, params, len(audio) / params.sample_rate, classifier.manifest.version,
        kinds=kinds, music_scores=music,
    )  # fmt: skip
    seconds["result"] = time.perf_counter() - start
    return seconds


def preprocessing_overhead(audio: np.ndarray, params: FeatureParams, preprocessing: Preprocessing) -> float:
    """Seconds the limiter, loudness normalisation and silence screening add to a song's features: `song_features` with
    the model's preprocessing against the same without any, plus the one matrix-vector product per frame that
    weighs the power spectrum for loudness (:func:`genre_core.loudness.k_weights`), which both include."""
    screened = median([_timed(lambda: song_features(audio, params, preprocessing)) for _ in range(5)])
    plain = median([_timed(lambda: song_features(audio, params, NO_PREPROCESSING)) for _ in range(5)])
    n_frames = 1 + len(audio) // params.hop_length
    power = np.random.default_rng(0).random((256, params.n_fft // 2 + 1), dtype=np.float32)
    weights, out = k_weights(params), np.empty(256, dtype=np.float32)
    blocks = -(-n_frames // 256)
    weighting = median([_timed(lambda: [np.matmul(power, weights, out=out) for _ in range(blocks)]) for _ in range(5)])
    return max(0.0, screened - plain) + weighting


def _timed(function: object) -> float:
    start = time.perf_counter()
    function()  # type: ignore[operator]
    return time.perf_counter() - start


def naive_path(song: Path, model: object, params: FeatureParams) -> np.ndarray:
    """librosa per window + Keras predict per window, as tutorials write it."""
    import librosa

    audio, rate = librosa.load(song, sr=params.sample_rate, mono=True)
    probabilities = []
    for start in range(0, len(audio) - params.window_samples + 1, params.window_samples):
        segment = audio[start : start + params.window_samples]
        mel = librosa.feature.melspectrogram(
            y=segment, sr=rate, n_fft=params.n_fft, hop_length=params.hop_length, n_mels=params.n_mels
        )
        if params.compression == "db":
            features = librosa.power_to_db(mel, ref=1.0, amin=params.db_amin, top_db=None)
        else:
            features = np.log10(1 + params.log1p_gain * mel)
        probabilities.append(model.predict(features[np.newaxis, ..., np.newaxis], verbose=0)[0])
    return np.mean(probabilities, axis=0)


def keras_model(song: Path, params: FeatureParams) -> object:
    """The served architecture in Keras: musicnn with a genre layer for musicnn's features, else the 2D CNN."""
    if params.compression == "log1p":
        import keras

        from genre_trainer.models.transfer import build_embedder

        embedder = build_embedder()
        return keras.Model(embedder.input, keras.layers.Dense(10, activation="softmax")(embedder.output["embedding"]))
    from genre_trainer.models.model import adapt_normalization, build_model

    model = build_model((*params.input_shape, 1), n_labels=10)
    audio = load_audio(song, params.sample_rate)
    adapt_normalization(model, slice_windows(log_mel(audio, params), len(audio), params)[..., np.newaxis])
    return model


def tag_output_cost(classifier: Classifier, song: Path, repeats: int) -> dict[str, float]:
    """What the tags cost a song: the served network exported with and without its tags output (the converter
    drops the tag layers of the one without), each run over the song's windows as the worker runs them,
    interleaved; plus ranking the song's tags (`song_tags`) from the worker's own outputs."""
    import keras

    from genre_trainer.artifacts.export import export_litert
    from genre_trainer.models.transfer import EMBEDDING, TAGS_OUTPUT, build_embedder

    embedder = build_embedder()
    genre = keras.layers.Dense(len(classifier.labels), activation="softmax", name="genre")(embedder.output[EMBEDDING])
    tags = keras.layers.Identity(name=TAGS_OUTPUT)(embedder.output[TAGS_OUTPUT])
    variants = {"without_tags": {"genre": genre}, "with_tags": {"genre": genre, TAGS_OUTPUT: tags}}
    params = classifier.params
    features = song_features(load_audio(song, params.sample_rate), params, classifier.manifest.preprocessing)
    windows = features.windows[~features.silent][..., np.newaxis].astype(np.float32)
    runners = {}
    folder = Path(tempfile.mkdtemp(prefix="genre-bench-tags-"))
    for name, outputs in variants.items():
        path = export_litert(keras.Model(embedder.input, outputs), folder / f"{name}.tflite")
        interpreter = Interpreter(model_path=str(path), num_threads=1)
        interpreter.resize_tensor_input(interpreter.get_input_details()[0]["index"], [1, *windows.shape[1:]])
        interpreter.allocate_tensors()
        runners[name] = interpreter
    seconds: dict[str, list[float]] = {name: [] for name in runners}
    for _ in range(repeats):
        for name, interpreter in runners.items():
            seconds[name].append(_timed(lambda interpreter=interpreter: _run_windows(interpreter, windows)))
    outputs = classifier.predict_all(windows[..., 0])
    reference = classifier.manifest.outputs.tag_reference if classifier.manifest.outputs else None
    names = classifier.manifest.outputs.tag_names if classifier.manifest.outputs else None
    ranking = median(
        [
            _timed(lambda: song_tags(outputs.tags, np.ones(len(windows), bool), list(names or []), reference, 0.5))
            for _ in range(20)
        ]
    )
    without, with_tags = median(seconds["without_tags"]), median(seconds["with_tags"])
    return {"inference_without_tags_s": without, "inference_with_tags_s": with_tags, "ranking_s": ranking}


def tag_output_figures(cost: dict[str, float], worker_seconds: float) -> dict[str, object]:
    added = cost["inference_with_tags_s"] - cost["inference_without_tags_s"] + cost["ranking_s"]
    return {
        "inference_without_tags_ms": round(cost["inference_without_tags_s"] * 1000, 2),
        "inference_with_tags_ms": round(cost["inference_with_tags_s"] * 1000, 2),
        "ranking_ms": round(cost["ranking_s"] * 1000, 3),
        "added_share_of_analysis": round(added / worker_seconds, 4),
        "target": "the tags add at most 2 % to a song's analysis",
    }


def _tag_cost_only(
    classifier: Classifier, song: Path, song_seconds: float, repeats: int, argv: list[str]
) -> dict[str, object]:
    worker = []
    for _ in range(repeats):
        start = time.perf_counter()
        classifier.classify_file(song)
        worker.append(time.perf_counter() - start)
    worker_seconds = median(worker)
    figures: dict[str, object] = {
        **header("analysis", argv),
        "song_seconds": round(song_seconds, 2),
        "model": {"name": classifier.manifest.name, "version": classifier.manifest.version},
        "worker_path_seconds_median": round(worker_seconds, 4),
        "tag_output": tag_output_figures(tag_output_cost(classifier, song, repeats), worker_seconds),
    }
    write_result("analysis-tag-cost", figures)
    return figures


def _run_windows(interpreter: Interpreter, windows: np.ndarray) -> None:
    index = interpreter.get_input_details()[0]["index"]
    outputs = [detail["index"] for detail in interpreter.get_output_details()]
    for window in windows:
        interpreter.set_tensor(index, window[np.newaxis])
        interpreter.invoke()
        for output in outputs:
            interpreter.get_tensor(output)


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
    parser.add_argument("--model", type=Path, default=MODEL_DIR, help="artifact to run [models/default]")
    parser.add_argument("--smoke", action="store_true", help="a 30-s song, 2 repeats, no Keras")
    parser.add_argument(
        "--tag-cost-only",
        action="store_true",
        help="only what the tags output adds (and the worker path it is a share of): analysis-tag-cost.json",
    )
    args = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    repeats = 2 if args.smoke else args.repeats

    work = Path(tempfile.mkdtemp(prefix="genre-bench-analysis-"))
    song = make_song(work / "song.wav", SONG_CLIPS[:1] if args.smoke else SONG_CLIPS)
    classifier = Classifier(args.model, threads=1)
    params = classifier.params
    song_seconds = len(load_audio(song, params.sample_rate)) / params.sample_rate
    classifier.classify_file(song)  # warm: caches, first allocation
    if args.tag_cost_only:
        return _tag_cost_only(classifier, song, song_seconds, repeats, argv)

    # Interleaved, so that noise from the shared machine falls on both sides alike.
    full, stages = [], {stage: [] for stage in STAGES}
    naive: list[float] = []
    model = None if args.smoke else keras_model(song, params)
    if model is not None:
        naive_path(song, model, params)  # warm: graph tracing
    for index in range(repeats):
        start = time.perf_counter()
        classifier.classify_file(song)
        full.append(time.perf_counter() - start)
        for stage, seconds in worker_stages(classifier, song).items():
            stages[stage].append(seconds)
        if model is not None and index < args.naive_repeats:
            start = time.perf_counter()
            naive_path(song, model, params)
            naive.append(time.perf_counter() - start)

    overhead = preprocessing_overhead(load_audio(song, params.sample_rate), params, classifier.manifest.preprocessing)
    tag_cost = tag_output_cost(classifier, song, repeats) if classifier.has_tags and not args.smoke else None
    stage_medians = {stage: median(values) for stage, values in stages.items()}
    stage_total = sum(stage_medians.values())
    worker_seconds = median(full)
    figures: dict[str, object] = {
        **header("analysis", argv),
        "song_seconds": round(song_seconds, 2),
        "model": {
            "folder": str(args.model),
            "name": classifier.manifest.name,
            "version": classifier.manifest.version,
            "parameters": classifier.manifest.parameters,
            "song_accuracy_valid": None
            if classifier.manifest.metrics is None
            else classifier.manifest.metrics.song_accuracy,
        },
        "windows": int(song_seconds // params.window_seconds),
        "repeats": repeats,
        "worker_path_seconds_median": round(worker_seconds, 4),
        "worker_path_seconds_all": [round(value, 4) for value in full],
        "worker_path_times_real_time": round(song_seconds / worker_seconds, 1),
        "stages_ms_median": {stage: round(value * 1000, 2) for stage, value in stage_medians.items()},
        "stages_share": {stage: round(value / stage_total, 3) for stage, value in stage_medians.items()},
        "preprocessing_overhead_ms": round(overhead * 1000, 2),
        "preprocessing_overhead_share": round(overhead / worker_seconds, 4),
        "preprocessing": classifier.manifest.preprocessing.model_dump(),
        "profile_top_own_time": profile_top(classifier, song),
        "target": "3-min song in under 0.18 s (1000x real time) on one core",
    }
    if tag_cost is not None:
        figures["tag_output"] = tag_output_figures(tag_cost, worker_seconds)
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
    name = "analysis" if args.model.resolve() == MODEL_DIR.resolve() else f"analysis-{args.model.resolve().name}"
    write_result(f"{name}-smoke" if args.smoke else name, figures)
    return figures


if __name__ == "__main__":
    main()
