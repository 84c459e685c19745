"""Tags and "outside the ten genres" on real songs: how often the check fires where it should not, and where it should.

    .venv/bin/python benchmarks/tags.py [--model models/default] [--jobs N] [--smoke]

Songs: GTZAN's validation clips and the 4Q-MER clips (../shared; all ten-genre music, so "outside" should rarely
fire), and electronic songs made here (testkit/electronic.py: house and techno loops, none of the ten genres, so
it should fire). Each is classified by the worker's own `Classifier`; for each set it counts the songs called
outside the ten, and lists them with the styles behind it, and for each GTZAN genre the tags shown most often
(whether the tags make sense). Give `--model` the train-only fit of a refit run to score GTZAN's validation
clips with a model that never learnt them (4Q-MER's clips train every shipped fit, so their genre answers are
more sure than on unseen songs, which makes the check fire less there). Writes benchmarks/results/tags.json
(`tags-smoke.json` with `--smoke`: four GTZAN clips, two 4Q-MER clips, one electronic song).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import GTZAN_DIR, MODEL_DIR, REPO_ROOT, header, write_result
from genre_core.tags import ranked_tags
from genre_worker.classifier import Classifier
from testkit.electronic import write_electronic_songs

EXTRA_DIR = REPO_ROOT.parent / "shared" / "extra" / "4q-mer"
SHOWN_PER_GENRE = 5
KEPT_PERCENTILE = 50.0
"""Each song's tags at or above this percentile are kept in the results, to judge other thresholds by."""

_classifier: Classifier | None = None


def _start(model_dir: str) -> None:
    global _classifier  # one model per worker process, loaded once
    _classifier = Classifier(model_dir)


def classify(item: tuple[str, str, Path]) -> dict[str, object]:
    song_set, genre, path = item
    assert _classifier is not None
    result = _classifier.classify_file(path)
    if result.tags is None:
        raise SystemExit(f"{_classifier.manifest.version} has no tags output: nothing to measure")
    outside = result.tags.outside_known_genres
    outputs = _classifier.manifest.outputs
    assert outputs is not None and outputs.tag_names is not None and outputs.tag_reference is not None
    window_scores = np.array([window.tags for window in result.windows])
    voting = np.array([window.kind == "music" for window in result.windows])
    ranked = ranked_tags(window_scores, voting, outputs.tag_names, outputs.tag_reference)
    return {
        "set": song_set,
        "genre": genre,
        "song": path.name,
        "top_genre": result.top_genre,
        "top_probability": round(result.top_probability, 3),
        "outside": outside.outside,
        "outside_styles": outside.styles,
        "tags": [tag.tag for tag in result.tags.tags],
        "percentiles": {tag.tag: tag.percentile for tag in ranked if tag.percentile >= KEPT_PERCENTILE},
    }


def songs(smoke: bool, work: Path) -> list[tuple[str, str, Path]]:
    with (GTZAN_DIR / "manifest.csv").open() as handle:
        gtzan = [
            ("GTZAN valid", r["genre"], GTZAN_DIR / r["file"]) for r in csv.DictReader(handle) if r["split"] == "valid"
        ]
    with (EXTRA_DIR / "manifest.csv").open() as handle:
        extra = [("4Q-MER", row["genre"], EXTRA_DIR / row["file"]) for row in csv.DictReader(handle)]
    electronic = [("electronic (made here)", "none", path) for path in write_electronic_songs(work, count=3)]
    if smoke:
        return gtzan[::40][:4] + extra[::40][:2] + electronic[:1]
    return gtzan + extra + electronic


def summarise(rows: list[dict[str, object]]) -> dict[str, object]:
    sets: dict[str, object] = {}
    for song_set in dict.fromkeys(str(row["set"]) for row in rows):
        chosen = [row for row in rows if row["set"] == song_set]
        fired = [row for row in chosen if row["outside"]]
        sets[song_set] = {
            "songs": len(chosen),
            "outside": len(fired),
            "outside_share": round(len(fired) / len(chosen), 3),
            "outside_songs": [
                {key: row[key] for key in ("song", "genre", "top_genre", "top_probability", "outside_styles")}
                for row in fired
            ],
            "with_an_outside_style_shown": sum(bool(row["outside_styles"]) for row in chosen),
        }
    tags_by_genre: dict[str, list[list[object]]] = {}
    for genre in sorted({str(row["genre"]) for row in rows if row["set"] == "GTZAN valid"}):
        chosen = [row for row in rows if row["set"] == "GTZAN valid" and row["genre"] == genre]
        counts = Counter(tag for row in chosen for tag in row["tags"])  # type: ignore[union-attr]
        tags_by_genre[genre] = [[tag, count, len(chosen)] for tag, count in counts.most_common(SHOWN_PER_GENRE)]
    return {"sets": sets, "gtzan_valid_tags_shown_most": tags_by_genre}


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL_DIR, help="model artifact directory [models/default]")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="worker processes [cores]")
    parser.add_argument("--smoke", action="store_true", help="seven songs")
    args = parser.parse_args(argv)
    model_dir = args.model.resolve()
    manifest = Classifier(model_dir).manifest
    with tempfile.TemporaryDirectory(prefix="genre-bench-tags-") as work:
        items = songs(args.smoke, Path(work))
        with ProcessPoolExecutor(args.jobs, initializer=_start, initargs=(str(model_dir),)) as pool:
            rows = list(pool.map(classify, items))
    shown_dir = model_dir.relative_to(REPO_ROOT) if model_dir.is_relative_to(REPO_ROOT) else model_dir
    figures = {
        **header("tags", sys.argv[1:] if argv is None else argv),
        "model": {"folder": str(shown_dir), "version": manifest.version, "trained_on": manifest.training.trained_on},
        **summarise(rows),
        "songs": rows,
    }
    write_result("tags-smoke" if args.smoke else "tags", figures)
    for song_set, figure in figures["sets"].items():  # type: ignore[union-attr]
        print(f"{song_set:<24} {figure['outside']:>3} of {figure['songs']:>3} songs called outside the ten genres")
    return figures


if __name__ == "__main__":
    main()
