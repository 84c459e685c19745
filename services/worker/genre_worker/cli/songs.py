"""`classify FILE_OR_URL...`: songs one at a time, each with its own table (or JSON line), as they finish."""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from genre_core.errors import PipelineError
from genre_core.results import SONG_DETAIL_EXCLUDE, ClassificationResult
from genre_core.url_safety import parse_networks
from genre_worker.classifier import Classifier
from genre_worker.cli.tag_text import tag_lines
from genre_worker.download import download
from genre_worker.settings import WorkerSettings

EVERY_NETWORK = parse_networks(["0.0.0.0/0", "::/0"])


def is_link(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def classify_songs(
    sources: list[str],
    model_dir: Path,
    settings: WorkerSettings,
    *,
    as_json: bool,
    top: int,
    window_tags: bool = False,
) -> int:
    """Classify each source in turn and print its result; 0 when all were classified, 1 when some failed,
    2 when the model cannot be loaded."""
    try:
        classifier = Classifier(model_dir, threads=settings.inference_threads)
    except PipelineError as error:
        print(f"classify: {error.message}", file=sys.stderr)
        return 2
    failures = 0
    for source in sources:
        try:
            result = _classify_source(source, classifier, settings)
        except PipelineError as error:
            failures += 1
            _print_failure(source, error.code, error.message, as_json=as_json)
            continue
        except Exception as error:
            # One bad source must not end the run with a traceback: one line says what broke, the rest go on.
            failures += 1
            detail = (str(error).strip().splitlines() or [""])[0]
            _print_failure(source, "internal_error", f"{type(error).__name__}: {detail}", as_json=as_json)
            continue
        if as_json:
            shown = result.model_dump(mode="json", exclude=None if window_tags else SONG_DETAIL_EXCLUDE)
            print(json.dumps({"source": source, **shown}))
        else:
            print(_table(source, result, top))
    return 1 if failures else 0


def _classify_source(source: str, classifier: Classifier, settings: WorkerSettings) -> ClassificationResult:
    if is_link(source):
        with tempfile.TemporaryDirectory(prefix="genre-classify-") as work_dir:
            path = download(
                source,
                Path(work_dir),
                sample_rate=classifier.params.sample_rate,
                socket_timeout_seconds=settings.download_socket_timeout_seconds,
                max_bytes=settings.max_download_bytes,
                # Run by a user on their own machine: fetching from their own network is fine.
                allowed_networks=EVERY_NETWORK,
            )
            return classifier.classify_file(path)
    path = Path(source)
    if not path.is_file():
        raise PipelineError(f"{source}: no such file")
    return classifier.classify_file(path)


def _table(source: str, result: ClassificationResult, top: int) -> str:
    ranked = sorted(result.song_probabilities.items(), key=lambda item: item[1], reverse=True)[:top]
    lines = [
        f"{source}  ({result.duration_seconds:.1f} s, {len(result.windows)} windows, model {result.model_version})"
    ]
    lines += [f"  {genre:<10} {probability:6.1%}  {'█' * round(probability * 30)}" for genre, probability in ranked]
    counts = result.window_counts
    if counts is not None and (counts.silence or counts.not_music):
        left_out = [f"{counts.silence} as silence" if counts.silence else "", f"{counts.not_music} as speech or noise"
                    if counts.not_music else ""]  # fmt: skip
        lines.append(f"  from {counts.music} music windows; left out: {', '.join(part for part in left_out if part)}")
    return "\n".join(lines + tag_lines(result))


def _print_failure(source: str, code: str, message: str, *, as_json: bool) -> None:
    if as_json:
        print(json.dumps({"source": source, "error": {"code": code, "message": message}}))
    else:
        print(f"{source}: {code}: {message}", file=sys.stderr)
