"""`classify`: the worker's pipeline on the command line, without Redis or Celery.

Songs (files, links) one at a time with a table each, as ever; folders, or any of the batch options, make one
run over every audio file found, in parallel, with one report at the end (genre_worker.cli.folders).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from genre_worker.cli.folders import FolderRun, classify_folders
from genre_worker.cli.songs import classify_songs, is_link
from genre_worker.settings import WorkerSettings

STDOUT = "-"


def main(argv: list[str] | None = None) -> int:
    settings = WorkerSettings()
    parser = _parser(settings)
    args = parser.parse_args(_json_takes_only_json_files(sys.argv[1:] if argv is None else argv))
    folders = [source for source in args.sources if not is_link(source) and Path(source).is_dir()]
    batch_options = [args.recursive, args.jobs, args.csv, args.json not in (None, STDOUT), args.write_tags,
                     args.dry_run, args.replace_tags, args.cache, args.no_cache]  # fmt: skip
    if not folders and not any(batch_options):
        return classify_songs(
            args.sources,
            args.model,
            settings,
            as_json=args.json == STDOUT,
            top=args.top,
            window_tags=args.window_tags,
        )
    links = [source for source in args.sources if is_link(source)]
    if links:
        parser.error(f"links are classified one at a time, without folders or batch options: {links[0]}")
    missing = [source for source in args.sources if not Path(source).exists()]
    if missing:
        parser.error(f"no such file or folder: {missing[0]}")
    if args.jobs is not None and args.jobs < 1:
        parser.error("--jobs must be at least 1")
    run = FolderRun(
        sources=[Path(source) for source in args.sources],
        model_dir=args.model,
        jobs=args.jobs or len(os.sched_getaffinity(0)),
        recursive=args.recursive,
        csv=args.csv,
        json=args.json,
        cache=None if args.no_cache else (args.cache or settings.classify_cache),
        write_tags=args.write_tags or args.dry_run,
        dry_run=args.dry_run,
        replace_tags=args.replace_tags,
    )
    return classify_folders(run, settings)


def _parser(settings: WorkerSettings) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="classify",
        description="Tell the genre of songs: audio files, links, or every audio file of some folders.",
    )
    parser.add_argument(
        "sources", nargs="+", metavar="PATH_OR_URL", help="audio files, folders, or http(s) links (YouTube...)"
    )
    parser.add_argument(
        "--json",
        nargs="?",
        const=STDOUT,
        metavar="FILE.json",
        help="alone: print one JSON object per song; with a file name ending in .json (or --json=FILE): write "
        "the whole report there",
    )
    parser.add_argument("--model", type=Path, default=settings.model_dir, help="model artifact directory")
    parser.add_argument("--top", type=int, default=3, help="how many genres to list per song (songs' tables)")
    parser.add_argument(
        "--window-tags",
        action="store_true",
        help="with --json for songs: also each window's 50 tag scores (left out by default: they are most of it)",
    )
    folders = parser.add_argument_group("many files at once (folders, or any of these options)")
    folders.add_argument("--recursive", "-r", action="store_true", help="also look in the folders' subfolders")
    folders.add_argument(
        "--jobs", "-j", type=int, metavar="N", help="processes classifying at once (default: one per core)"
    )
    folders.add_argument("--csv", metavar="FILE", help="write one CSV line per file there (-: standard output)")
    folders.add_argument(
        "--cache",
        type=Path,
        metavar="FILE",
        help=f"the results of earlier runs, so that finished files are not classified again (default: "
        f"GENRE_CLASSIFY_CACHE, now {settings.classify_cache})",
    )
    folders.add_argument("--no-cache", action="store_true", help="classify every file again, remember nothing")
    folders.add_argument(
        "--write-tags",
        action="store_true",
        help=f"write the genre into each file's tags when the song's top probability is at least "
        f"GENRE_TAG_MIN_PROBABILITY (now {settings.tag_min_probability:g})",
    )
    folders.add_argument("--dry-run", action="store_true", help="say what --write-tags would write, write nothing")
    folders.add_argument(
        "--replace-tags", action="store_true", help="with --write-tags: also replace a genre a file already has"
    )
    return parser


def _json_takes_only_json_files(argv: list[str]) -> list[str]:
    """`--json` followed by anything but a name ending in ".json" (or "-") is the plain flag.

    `classify --json song.mp3` has printed JSON for years; read as `--json FILE` it would write the report over
    the song. So a word after `--json` is its file only when it says it is one; `--json=FILE` names any file.
    """
    rewritten = list(argv)
    for index, word in enumerate(argv[:-1]):
        following = argv[index + 1]
        if word == "--json" and following != STDOUT and not following.lower().endswith(".json"):
            rewritten[index] = f"--json={STDOUT}"
    return rewritten
