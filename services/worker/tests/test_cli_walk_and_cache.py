"""The parts of `classify DIR` that need no model: which files are found, and what the result cache answers."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from genre_worker.cli.command import _json_takes_only_json_files
from genre_worker.cli.result_cache import FileKey, ResultCache
from genre_worker.cli.rows import Classification
from genre_worker.cli.walk import find_audio


def _touch(path: Path, data: bytes = b"x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def test_walking_finds_audio_by_name_in_order_each_file_once(tmp_path: Path) -> None:
    root = tmp_path / "music"
    for name in ["b.mp3", "a.FLAC", "cover.jpg", "list.m3u", ".hidden.ogg", "._a.FLAC", "sub/c.opus",
                 "sub/deeper/d.m4a", ".git/e.wav"]:  # fmt: skip
        _touch(root / name)
    (root / "loop").symlink_to(root)  # a folder link back up: never followed
    (root / "same.mp3").symlink_to(root / "b.mp3")  # the same file twice: found once

    flat = find_audio([root], recursive=False)
    assert [path.name for path in flat.files] == ["a.FLAC", "b.mp3"]
    assert flat.not_audio == 2  # cover.jpg, list.m3u

    deep = find_audio([root], recursive=True)
    assert [path.relative_to(root).as_posix() for path in deep.files] == ["a.FLAC", "b.mp3", "sub/c.opus",
                                                                          "sub/deeper/d.m4a"]  # fmt: skip


def test_files_named_on_the_command_line_are_taken_whatever_their_name(tmp_path: Path) -> None:
    odd = _touch(tmp_path / "recording.dat")
    folder = tmp_path / "folder"
    song = _touch(folder / "song.ogg")
    found = find_audio([odd, folder, song], recursive=False)
    assert found.files == [odd, song]


def test_the_cache_answers_only_for_the_same_file_and_model(tmp_path: Path) -> None:
    song = _touch(tmp_path / "song.ogg", b"first")
    cache = ResultCache(tmp_path / "cache" / "results.sqlite3")
    answer = Classification(model_version="m1", top_genre="jazz", top_probability=0.9)
    cache.put(FileKey.of(song), answer)
    assert cache.get(FileKey.of(song), "m1") == answer
    assert cache.get(FileKey.of(song), "m2") is None  # another model
    assert cache.get(FileKey.of(tmp_path / "song.ogg"), "m1") == answer  # the same file by another spelling

    status = song.stat()
    os.utime(song, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000_000))
    assert cache.get(FileKey.of(song), "m1") is None  # touched
    song.write_bytes(b"second, longer")
    os.utime(song, ns=(status.st_atime_ns, status.st_mtime_ns))
    assert cache.get(FileKey.of(song), "m1") is None  # the same time, another size

    cache.put(FileKey.of(song), answer)
    with sqlite3.connect(tmp_path / "cache" / "results.sqlite3") as connection:
        assert connection.execute("SELECT count(*) FROM results").fetchone()[0] == 1  # replaced, not piled up
        connection.execute('UPDATE results SET classification = \'{"not": "a row"}\'')
    assert cache.get(FileKey.of(song), "m1") is None  # what it cannot read it classifies again
    cache.close()


def test_failures_that_may_pass_next_time_are_not_kept() -> None:
    assert Classification.failed("m", "unsupported_audio", "not audio").worth_keeping
    assert Classification.failed("m", "too_short", "1 s").worth_keeping
    assert not Classification.failed("m", "internal_error", "MemoryError").worth_keeping
    assert not Classification.failed("m", "unreadable", "Permission denied").worth_keeping


def test_json_takes_a_file_only_when_it_says_it_is_one() -> None:
    assert _json_takes_only_json_files(["--json", "song.mp3"]) == ["--json=-", "song.mp3"]
    assert _json_takes_only_json_files(["--json", "--model", "m", "x"]) == ["--json=-", "--model", "m", "x"]
    assert _json_takes_only_json_files(["dir", "--json", "out.JSON"]) == ["dir", "--json", "out.JSON"]
    assert _json_takes_only_json_files(["dir", "--json", "-"]) == ["dir", "--json", "-"]
    assert _json_takes_only_json_files(["dir", "--json=report.txt"]) == ["dir", "--json=report.txt"]
    assert _json_takes_only_json_files(["dir", "--json"]) == ["dir", "--json"]
