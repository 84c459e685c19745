"""The forms `classify DIR` reports in: a table, CSV, JSON, JSON lines, and the summary in words."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TextIO

from genre_worker.cli.rows import FileRow, Report, Summary
from genre_worker.cli.tag_text import short_tags

SOUNDS_LIKE_WIDTH = 30
CSV_COLUMNS = [
    "path",
    "top_genre",
    "top_probability",
    "duration_seconds",
    "error_code",
    "error_message",
    "tag_action",
    "tag_genre",
    "sounds_like",
    "outside_known_genres",
    "model_version",
    "from_cache",
]


def table(rows: list[FileRow], *, with_tags: bool) -> str:
    """The classified files, one line each: genre, confidence, length, (tag,) path; failures are listed apart."""
    done = [row for row in rows if row.top_genre is not None]
    if not done:
        return ""
    header = f"{'genre':<10} {'prob':>6} {'length':>7}  " + (f"{'tag':<14} " if with_tags else "")
    lines = [header + f"{'sounds like':<{SOUNDS_LIKE_WIDTH}} file"]
    for row in done:
        tag = f"{row.tag.action if row.tag else '':<14} " if with_tags else ""
        seconds = round(row.duration_seconds or 0)
        length = f"{seconds // 60}:{seconds % 60:02}" if row.duration_seconds is not None else ""
        sounds = short_tags(row.tags)[:SOUNDS_LIKE_WIDTH]
        line = f"{row.top_genre:<10} {row.top_probability or 0:6.1%} {length:>7}  {tag}{sounds:<{SOUNDS_LIKE_WIDTH}} "
        lines.append(line + row.path)
    return "\n".join(lines)


def csv_text(rows: list[FileRow], labels: list[str]) -> str:
    """One line per file; a column per genre's probability after the fixed ones, for sorting in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *(f"p_{label}" for label in labels)])
    for row in rows:
        probabilities = row.song_probabilities or {}
        writer.writerow(
            [
                row.path,
                row.top_genre or "",
                "" if row.top_probability is None else f"{row.top_probability:.4f}",
                "" if row.duration_seconds is None else f"{row.duration_seconds:.2f}",
                row.error.code if row.error else "",
                row.error.message if row.error else "",
                row.tag.action if row.tag else "",
                (row.tag.genre or "") if row.tag else "",
                "" if row.tags is None else "; ".join(tag.label for tag in row.tags.tags),
                "" if row.tags is None else int(row.tags.outside_known_genres.outside),
                row.model_version,
                int(row.from_cache),
                *("" if label not in probabilities else f"{probabilities[label]:.4f}" for label in labels),
            ]
        )
    return out.getvalue()


def json_text(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def json_lines(rows: list[FileRow]) -> str:
    return "".join(row.model_dump_json() + "\n" for row in rows)


def summary_text(summary: Summary, *, min_tag_probability: float | None = None, dry_run: bool = False) -> str:
    earlier = f" ({summary.from_cache} from earlier runs)" if summary.from_cache else ""
    lines = [f"{_files(summary.files)}{earlier}: {summary.classified} classified, {summary.failed} failed"]
    if summary.genres:
        lines.append("genres: " + ", ".join(f"{genre} {count}" for genre, count in summary.genres.items()))
    if summary.failures:
        lines.append("failed: " + ", ".join(f"{code} {count}" for code, count in summary.failures.items()))
    if summary.tags:
        words = {"not_confident": f"not confident (under {min_tag_probability:.0%})"} if min_tag_probability else {}
        actions = ", ".join(f"{words.get(action, action.replace('_', ' '))} {n}" for action, n in summary.tags.items())
        lines.append(f"tags{' (dry run, nothing written)' if dry_run else ''}: {actions}")
    if summary.not_audio:
        lines.append(f"left out, not audio by name: {_files(summary.not_audio)}")
    return "\n".join(lines)


def _files(count: int) -> str:
    return f"{count} file" if count == 1 else f"{count} files"


def write_output(target: str, text: str, stdout: TextIO) -> None:
    """`text` to the file `target`, or to standard output for "-"."""
    if target == "-":
        stdout.write(text)
    else:
        Path(target).write_text(text)
