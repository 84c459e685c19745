"""Robustness: the validation songs as users bring them, through the worker's whole path, per condition.

    .venv/bin/python benchmarks/robustness.py [--model models/default] [--smoke] [--jobs 2]

Every GTZAN validation clip (125 songs, ../shared/gtzan's manifest.csv), and 3-minute songs made by joining
six validation clips of one genre (a genre's last group is kept when it has at least three clips), go through
each condition of :mod:`benchmarks.conditions` (level, codecs, resampling, silence, fades, a spoken intro,
noise) into a real file, which `Classifier.classify_file` decodes, prepares and classifies exactly as the
worker does. Reported per condition: song accuracy, balanced accuracy, how many windows were left out (silence,
not music) and how many songs failed, and the largest drop from clean. Writes
benchmarks/results/robustness-<model folder>.json. `--smoke`: four clips, one group, three conditions.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import GTZAN_DIR, MODEL_DIR, REPO_ROOT, header, write_result
from benchmarks.conditions import CONDITIONS, RATE, Condition
from genre_core.audio import load_audio
from genre_core.errors import PipelineError
from genre_worker.classifier import Classifier

GROUP_SIZE = 6
SONG_KINDS = {"clips": "clips", "3-min songs": "joined"}
"""Kinds of songs, and the suffix of a run of one kind alone."""
SMOKE_CONDITIONS = ("clean", "gain -12 dB", "spoken intro 12 s")
TARGET_DROP_POINTS = 1.5

Song = tuple[str, list[Path]]
"""(genre, the clips it is made of, in order)."""


def validation_songs(smoke: bool) -> dict[str, list[Song]]:
    with (GTZAN_DIR / "manifest.csv").open() as handle:
        clips = [row for row in csv.DictReader(handle) if row["split"] == "valid"]
    by_genre: dict[str, list[Path]] = {}
    for row in sorted(clips, key=lambda row: row["clip"]):
        by_genre.setdefault(row["genre"], []).append(GTZAN_DIR / row["file"])
    joined = [
        (genre, paths[start : start + GROUP_SIZE])
        for genre, paths in sorted(by_genre.items())
        for start in range(0, len(paths), GROUP_SIZE)
        if len(paths[start : start + GROUP_SIZE]) >= GROUP_SIZE // 2
    ]
    single = [(genre, [path]) for genre, paths in sorted(by_genre.items()) for path in paths]
    if smoke:
        single, joined = single[::30][:4], joined[:1]
    return {"clips": single, "3-min songs": joined}


_classifier: Classifier | None = None


def _start(model_dir: str) -> None:
    global _classifier  # one model per worker process, loaded once
    _classifier = Classifier(model_dir)


def classify_song(song: Song, condition_name: str) -> dict[str, object]:
    """One song under one condition: the file written, then the worker's path. Runs in a pool process."""
    assert _classifier is not None
    condition = next(c for c in CONDITIONS if c.name == condition_name)
    audio = np.concatenate([load_audio(path, RATE) for path in song[1]])
    with tempfile.TemporaryDirectory(prefix="genre-robustness-") as folder:
        path = condition.write(audio, Path(folder))
        try:
            result = _classifier.classify_file(path)
        except PipelineError as error:
            return {"genre": song[0], "predicted": None, "error": error.code}
    counts = result.window_counts
    return {
        "genre": song[0],
        "predicted": result.top_genre,
        "windows": len(result.windows),
        "silence": counts.silence if counts else 0,
        "not_music": counts.not_music if counts else 0,
    }


def balanced_accuracy(truth: list[str], predicted: list[str]) -> float:
    """The mean over genres present of the share of their songs named right (sklearn's, without its warnings)."""
    recalls = [
        np.mean([p == genre for t, p in zip(truth, predicted, strict=True) if t == genre]) for genre in set(truth)
    ]
    return float(np.mean(recalls)) if recalls else float("nan")


def score(rows: list[dict[str, object]], labels: list[str]) -> dict[str, object]:
    truth = [str(row["genre"]) for row in rows]
    predicted = [str(row["predicted"]) if row["predicted"] is not None else "(failed)" for row in rows]
    windows = sum(int(row.get("windows", 0)) for row in rows) or 1
    return {
        "songs": len(rows),
        "song_accuracy": float(np.mean([t == p for t, p in zip(truth, predicted, strict=True)])),
        "balanced_accuracy": balanced_accuracy(truth, predicted),
        "failed": sum(row["predicted"] is None for row in rows),
        "left_out_silence": sum(int(row.get("silence", 0)) for row in rows) / windows,
        "left_out_not_music": sum(int(row.get("not_music", 0)) for row in rows) / windows,
    }


def run(model_dir: Path, conditions: list[Condition], songs: dict[str, list[Song]], jobs: int) -> dict[str, object]:
    labels = Classifier(model_dir).labels
    figures: dict[str, dict[str, object]] = {}
    started = time.monotonic()
    with ProcessPoolExecutor(jobs, initializer=_start, initargs=(str(model_dir),)) as pool:
        for kind, kind_songs in songs.items():
            figures[kind] = {}
            for condition in conditions:
                rows = list(pool.map(classify_song, kind_songs, [condition.name] * len(kind_songs)))
                figures[kind][condition.name] = score(rows, labels)
                figure = figures[kind][condition.name]
                print(
                    f"{kind:<12} {condition.name:<20} song {figure['song_accuracy']:.3f} "
                    f"balanced {figure['balanced_accuracy']:.3f} ({time.monotonic() - started:.0f} s)",
                    flush=True,
                )
    for kind in figures:
        clean = figures[kind]["clean"]["song_accuracy"]
        drops = {name: clean - figure["song_accuracy"] for name, figure in figures[kind].items()}
        worst = max(drops, key=drops.__getitem__)
        figures[kind]["largest_drop"] = {"condition": worst, "points": round(100 * drops[worst], 1)}
    return {"figures": figures, "seconds": round(time.monotonic() - started, 1)}


def render_table(result: dict) -> list[str]:
    """Markdown: one row per condition, song and balanced accuracy for clips and 3-minute songs, the drop from
    clean, and the windows left out; then the largest drops against the target."""
    figures = result["figures"]
    kinds = list(figures)
    conditions = [name for name in figures[kinds[0]] if name != "largest_drop"]
    lines = [
        "| condition | "
        + " | ".join(f"{kind}: song / balanced accuracy (points from clean)" for kind in kinds)
        + f" | left out ({kinds[0]}) |",
        "|---" * (len(kinds) + 2) + "|",
    ]
    for name in conditions:
        cells = []
        for kind in kinds:
            figure, clean = figures[kind][name], figures[kind]["clean"]
            drop = 100 * (clean["song_accuracy"] - figure["song_accuracy"])
            failed = f", {figure['failed']} failed" if figure["failed"] else ""
            cells.append(f"{figure['song_accuracy']:.3f} / {figure['balanced_accuracy']:.3f} ({-drop:+.1f}){failed}")
        clip = figures[kinds[0]][name]
        left_out = f"{clip['left_out_silence']:.0%} silence, {clip['left_out_not_music']:.0%} not music"
        lines.append(f"| {name} ({result['conditions'][name]}) | " + " | ".join(cells) + f" | {left_out} |")
    target = result["target_drop_points"]
    lines.append("")
    for kind in kinds:
        worst = figures[kind]["largest_drop"]
        met = "met" if worst["points"] <= target else "**not met**"
        songs = figures[kind]["clean"]["songs"]
        lines.append(
            f"- {kind} ({songs} songs): largest drop from clean {worst['points']:.1f} points ({worst['condition']}); "
            f"target ≤ {target} points: {met}."
        )
    return lines


def write_card_section(card: Path, result: dict, measured_on: str, suffix: str = "") -> None:
    """Put the table into a model card, between markers (replacing an earlier one of the same songs)."""
    start, end = f"<!-- robustness{suffix}: benchmarks/robustness.py -->", f"<!-- /robustness{suffix} -->"
    kinds = ", ".join(result["figures"])
    section = "\n".join(
        [
            start,
            f"## Robustness ({kinds}: validation songs as users bring them)",
            "",
            f"Measured on {measured_on} with `{result['command']}` ({result['date'][:10]}, "
            f"{result['machine']['cpu']}); conditions in benchmarks/conditions.py.",
            "",
            *render_table(result),
            end,
        ]
    )
    text = card.read_text()
    if start in text:
        before, rest = text.split(start, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    card.write_text(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL_DIR, help="model artifact directory [models/default]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes [cores]")
    parser.add_argument("--smoke", action="store_true", help="four clips, one joined song, three conditions")
    parser.add_argument(
        "--songs",
        choices=["both", *SONG_KINDS.values()],
        default="both",
        help="which songs: the clips, the 3-minute songs, or both (one run per kind can go in parallel) [both]",
    )
    parser.add_argument(
        "--card",
        type=Path,
        default=None,
        help="also write the table into this model card (e.g. the shipped model's, when --model is its train-only fit)",
    )
    args = parser.parse_args(argv)
    model_dir = args.model.resolve()
    conditions = [c for c in CONDITIONS if not args.smoke or c.name in SMOKE_CONDITIONS]
    classifier = Classifier(model_dir)
    songs = validation_songs(args.smoke)
    kind = next((kind for kind, name in SONG_KINDS.items() if name == args.songs), None)
    chosen = songs if kind is None else {kind: songs[kind]}
    suffix = "" if kind is None else f"-{args.songs}"
    shown_dir = model_dir.relative_to(REPO_ROOT) if model_dir.is_relative_to(REPO_ROOT) else model_dir
    result = {
        **header("robustness", argv if argv is not None else sys.argv[1:]),
        "model": {"dir": str(shown_dir), "name": classifier.manifest.name, "version": classifier.manifest.version},
        "conditions": {c.name: c.description for c in conditions},
        "target_drop_points": TARGET_DROP_POINTS,
        **run(model_dir, conditions, chosen, args.jobs),
    }
    folder = model_dir.name
    write_result(f"robustness-{folder}{suffix}" + ("-smoke" if args.smoke else ""), result)
    print("\n".join(render_table(result)))
    if args.card is not None:
        trained_on = " + ".join(classifier.manifest.training.trained_on)
        write_card_section(
            args.card, result, f"`{shown_dir}` ({classifier.manifest.version}, trained on {trained_on})", suffix
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
