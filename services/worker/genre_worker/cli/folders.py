"""`classify DIR...`: every audio file of some folders, in parallel, resumable, reported as a whole."""

from __future__ import annotations

import signal
import sys
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from genre_core.errors import PipelineError
from genre_core.manifest import read_manifest, serving_params
from genre_worker.cli.pool import classify_paths
from genre_worker.cli.result_cache import FileKey, ResultCache
from genre_worker.cli.rows import Classification, FileRow, Report, Summary, TagOutcome
from genre_worker.cli.tagging import genre_name, write_genre
from genre_worker.cli.walk import find_audio
from genre_worker.cli.writers import csv_text, json_lines, json_text, summary_text, table, write_output
from genre_worker.settings import WorkerSettings

INTERRUPTED = 130  # what a shell reports for a command ended by Ctrl-C


@dataclass
class FolderRun:
    sources: list[Path]
    model_dir: Path
    jobs: int
    recursive: bool = False
    csv: str | None = None
    json: str | None = None
    """A file for the whole report, or "-" for one JSON line per file on standard output."""
    cache: Path | None = None
    """None: every file is classified afresh and nothing is remembered."""
    write_tags: bool = False
    dry_run: bool = False
    replace_tags: bool = False


class _ProgressBar(tqdm):  # type: ignore[type-arg]
    # No monitor thread: the pool's processes are forked from this one, and a fork copies no thread.
    monitor_interval = 0


def classify_folders(
    run: FolderRun, settings: WorkerSettings, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Classify, report, and answer the exit status: 0 all classified, 1 some failed, 2 the model cannot be
    served, 130 stopped (what was finished is in the cache for the next run)."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    try:
        manifest = read_manifest(run.model_dir)
        serving_params(manifest)  # refuses a model this code cannot serve, before any process starts
    except PipelineError as error:
        print(f"classify: {error.message}", file=stderr)
        return 2
    found = find_audio(run.sources, recursive=run.recursive)
    with closing(ResultCache(run.cache)) if run.cache is not None else nullcontext() as cache:
        rows, keys = _known_rows(found.files, cache, manifest.version)
        try:
            _classify(run, settings, [path for path in keys if path not in rows], keys, rows, cache, stderr)
            ordered = [rows[str(path)] for path in found.files]
            if run.write_tags:
                _tag_all(ordered, run, settings, cache, stderr)
        except KeyboardInterrupt:
            print(
                f"classify: stopped with {len(rows)} of {len(found.files)} files done; the same command goes on "
                "from there" + (" (the cache keeps them)" if cache is not None else ""),
                file=stderr,
            )
            return INTERRUPTED
        except PipelineError as error:
            print(f"classify: {error.message}", file=stderr)
            return 2
        except BrokenProcessPool as error:
            print(f"classify: a classifying process died ({error}); the finished files are kept", file=stderr)
            return 2
    return _report(run, ordered, found.not_audio, manifest.labels, manifest.version, settings, stdout, stderr)


def _known_rows(
    files: list[Path], cache: ResultCache | None, version: str
) -> tuple[dict[str, FileRow], dict[str, FileKey]]:
    """The rows known before classifying (from earlier runs, or files that cannot be read), and each readable
    file's key."""
    rows: dict[str, FileRow] = {}
    keys: dict[str, FileKey] = {}
    for path in files:
        try:
            keys[str(path)] = key = FileKey.of(path)
        except OSError as error:
            failed = Classification.failed(version, "unreadable", f"{error.strerror or error}")
            rows[str(path)] = FileRow(**failed.model_dump(), path=str(path), size=0, mtime_ns=0)
            continue
        cached = cache.get(key, version) if cache is not None else None
        if cached is not None:
            rows[str(path)] = _row(str(path), key, cached, from_cache=True)
    return rows, keys


def _classify(
    run: FolderRun,
    settings: WorkerSettings,
    waiting: list[str],
    keys: dict[str, FileKey],
    rows: dict[str, FileRow],
    cache: ResultCache | None,
    stderr: TextIO,
) -> None:
    """Classify `waiting` into `rows` (and the cache, each as it finishes), with a progress bar on a terminal."""

    def record(path: str, classification: Classification) -> None:
        if cache is not None and classification.worth_keeping:
            cache.put(keys[path], classification)
        rows[path] = _row(path, keys[path], classification, from_cache=False)
        bar.update()

    # One LiteRT thread per process when there are several: `--jobs` processes already fill the cores.
    threads = settings.inference_threads if run.jobs == 1 else 1
    total = len(keys) + sum(key not in keys for key in rows)
    previous_sigterm = signal.signal(signal.SIGTERM, signal.default_int_handler)  # `kill` stops it as Ctrl-C does
    try:
        with _ProgressBar(total=total, initial=total - len(waiting), unit="file", file=stderr, disable=None) as bar:
            classify_paths(waiting, run.model_dir, jobs=run.jobs, threads=threads, on_result=record)
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)


def _row(path: str, key: FileKey, classification: Classification, *, from_cache: bool) -> FileRow:
    return FileRow(
        **classification.model_dump(), path=path, size=key.size, mtime_ns=key.mtime_ns, from_cache=from_cache
    )


def _tag_all(
    rows: list[FileRow], run: FolderRun, settings: WorkerSettings, cache: ResultCache | None, stderr: TextIO
) -> None:
    with _ProgressBar(rows, unit="file", desc="tags", file=stderr, disable=None) as bar:
        for row in bar:
            _tag(row, run, settings, cache)


def _tag(row: FileRow, run: FolderRun, settings: WorkerSettings, cache: ResultCache | None) -> None:
    if row.top_genre is None or row.top_probability is None:
        return
    genre = genre_name(row.top_genre)
    if row.top_probability < settings.tag_min_probability:
        row.tag = TagOutcome(action="not_confident", genre=genre)
        return
    row.tag = write_genre(Path(row.path), genre, dry_run=run.dry_run, replace=run.replace_tags)
    if row.tag.action == "written" and cache is not None:
        # New tags change the file's size and time: remember the answer under them, or the next run would
        # classify every tagged file again.
        key = FileKey.of(Path(row.path))
        cache.put(key, Classification.model_validate(row.model_dump(include=set(Classification.model_fields))))
        row.size, row.mtime_ns = key.size, key.mtime_ns


def _report(
    run: FolderRun,
    rows: list[FileRow],
    not_audio: int,
    labels: list[str],
    version: str,
    settings: WorkerSettings,
    stdout: TextIO,
    stderr: TextIO,
) -> int:
    summary = Summary.of(rows, not_audio)
    for row in rows:
        if row.error is not None:
            print(f"{row.path}: {row.error.code}: {row.error.message}", file=stderr)
        if row.tag is not None and row.tag.action == "failed":
            print(f"{row.path}: tag not written: {row.tag.message}", file=stderr)
    if run.json is not None:
        write_output(run.json, json_lines(rows) if run.json == "-" else json_text(
            Report(model_version=version, summary=summary, files=rows)), stdout)  # fmt: skip
    if run.csv is not None:
        write_output(run.csv, csv_text(rows, labels), stdout)
    if run.json is None and run.csv is None:
        text = table(rows, with_tags=run.write_tags or run.dry_run)
        if text:
            print(text, file=stdout)
    # Standard output holds the data when it was asked for there; the summary must not end up inside it.
    data_on_stdout = "-" in (run.json, run.csv)
    print(
        summary_text(summary, min_tag_probability=settings.tag_min_probability, dry_run=run.dry_run),
        file=stderr if data_on_stdout else stdout,
    )
    tag_failed = any(row.tag is not None and row.tag.action == "failed" for row in rows)
    return 1 if summary.failed or tag_failed else 0
