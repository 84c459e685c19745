"""`classify DIR --write-tags`: the genre in each format's own tag, readable by mutagen and ffprobe, the audio
stream byte for byte as it was."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
from pathlib import Path

import mutagen
import pytest

from genre_worker.cli import main
from genre_worker.cli.tagging import _signals_held, genre_name, read_genres, write_genre
from testkit.awkward_audio import ffmpeg

REPO_ROOT = Path(__file__).resolve().parents[3]
CNN = REPO_ROOT / "models" / "cnn2d"

# Every format the tags are written in, made from the real clip by ffmpeg as a user's files would be.
FORMATS = {
    "song.mp3": ["-c:a", "libmp3lame", "-b:a", "128k"],
    "song.flac": ["-c:a", "flac"],
    "song.ogg": ["-c:a", "libvorbis"],
    "song.opus": ["-c:a", "libopus"],
    "song.m4a": ["-c:a", "aac"],
    "song.wav": ["-c:a", "pcm_s16le"],  # with a LIST/INFO chunk (ffmpeg's encoder name)
    "bare.wav": ["-c:a", "pcm_s16le", "-map_metadata", "-1", "-fflags", "+bitexact"],  # no INFO chunk
}


@pytest.fixture
def songs(clip_path: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "songs"
    folder.mkdir()
    for name, options in FORMATS.items():
        ffmpeg("-i", clip_path, *options, folder / name)
    return folder


def _audio_stream(path: Path) -> str:
    """The hash of the file's coded audio packets as ffmpeg demuxes them: tags and container pages aside."""
    command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(path), "-map", "0:a", "-c", "copy", "-f",
               "data", "-"]  # fmt: skip
    return hashlib.sha256(subprocess.run(command, capture_output=True, check=True).stdout).hexdigest()


def _decoded(path: Path) -> str:
    command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(path), "-map", "0:a", "-f", "f32le", "-"]
    return hashlib.sha256(subprocess.run(command, capture_output=True, check=True).stdout).hexdigest()


def _file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _ffprobe_genre(path: Path) -> str | None:
    command = ["ffprobe", "-loglevel", "error", "-show_entries", "format_tags:stream_tags", "-of", "json", str(path)]
    probed = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    tags = [probed.get("format", {}).get("tags", {}), *(stream.get("tags", {}) for stream in probed["streams"])]
    return next((value for found in tags for key, value in found.items() if key.lower() == "genre"), None)


def _mutagen_genre(path: Path) -> list[str]:
    """The genre as mutagen reads each format's own tag (not through the code under test)."""
    audio = mutagen.File(path)
    if path.suffix in {".mp3", ".wav"}:
        return list(audio.tags["TCON"].genres)
    if path.suffix == ".m4a":
        return list(audio.tags["\xa9gen"])
    return list(audio.tags["GENRE"])


def _run(
    folder: Path, tmp_path: Path, *options: str, capsys: pytest.CaptureFixture[str]
) -> tuple[int, dict[str, dict]]:
    report = tmp_path / "report.json"
    cache = tmp_path / "cache.sqlite3"
    args = ["--model", str(CNN), "--jobs", "1", "--cache", str(cache), "--json", str(report), *options]
    status = main([*args, str(folder)])
    capsys.readouterr()
    return status, {Path(row["path"]).name: row for row in json.loads(report.read_text())["files"]}


def test_tags_are_written_in_every_format_and_the_audio_is_untouched(
    songs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENRE_TAG_MIN_PROBABILITY", "0")  # what is tested here is the writing
    files = sorted(songs.iterdir())
    streams = {path.name: _audio_stream(path) for path in files}
    samples = {path.name: _decoded(path) for path in files}
    before = {path.name: _file(path) for path in files}

    status, rows = _run(songs, tmp_path, "--write-tags", "--dry-run", capsys=capsys)
    assert status == 0
    assert {name: row["tag"]["action"] for name, row in rows.items()} == dict.fromkeys(FORMATS, "would_write")
    assert {path.name: _file(path) for path in files} == before  # a dry run writes nothing at all

    status, rows = _run(songs, tmp_path, "--write-tags", capsys=capsys)
    assert status == 0
    assert {name: row["tag"]["action"] for name, row in rows.items()} == dict.fromkeys(FORMATS, "written")
    assert all(row["from_cache"] for row in rows.values())  # the dry run classified them
    for path in files:
        genre = rows[path.name]["tag"]["genre"]
        assert genre == genre_name(rows[path.name]["top_genre"])
        assert _audio_stream(path) == streams[path.name], path.name
        assert _decoded(path) == samples[path.name], path.name
        assert _file(path) != before[path.name], path.name
        assert _mutagen_genre(path) == [genre], path.name
        assert _ffprobe_genre(path) == genre, path.name
    assert rows["song.flac"]["tag"]["genre"] == "Rock"  # the clip is rock.00001, which the small CNN hears as rock
    # WAV: the ID3 chunk, and the INFO chunk's IGNR where there was an INFO chunk (ffprobe reads that one).
    assert b"IGNR" in (songs / "song.wav").read_bytes() and b"IGNR" not in (songs / "bare.wav").read_bytes()

    tagged = {path.name: _file(path) for path in files}
    status, rows = _run(songs, tmp_path, "--write-tags", capsys=capsys)
    assert status == 0
    # Tagging changed each file's size and time, yet the cache knows them: nothing is classified again.
    assert all(row["from_cache"] for row in rows.values())
    assert {name: row["tag"]["action"] for name, row in rows.items()} == dict.fromkeys(FORMATS, "already_set")
    assert {path.name: _file(path) for path in files} == tagged


def test_no_tag_without_confidence(
    songs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GENRE_TAG_MIN_PROBABILITY", "1")
    before = {path.name: _file(path) for path in songs.iterdir()}
    status, rows = _run(songs, tmp_path, "--write-tags", capsys=capsys)
    assert status == 0
    assert {name: row["tag"]["action"] for name, row in rows.items()} == dict.fromkeys(FORMATS, "not_confident")
    assert {path.name: _file(path) for path in songs.iterdir()} == before


def test_a_genre_the_file_has_is_kept_unless_replaced(songs: Path, tmp_path: Path) -> None:
    song = songs / "song.flac"
    audio = mutagen.File(song)
    audio.tags["GENRE"] = ["Jazz"]
    audio.save()
    before = _file(song)
    kept = write_genre(song, "Rock")
    assert (kept.action, kept.previous) == ("kept_existing", ["Jazz"])
    assert _file(song) == before
    assert write_genre(song, "Rock", replace=True).action == "written"
    assert read_genres(song) == ["Rock"]
    assert write_genre(song, "rock").action == "already_set"  # the same genre, however it is spelled


def test_a_format_without_a_genre_tag_is_left_alone(clip_path: Path, tmp_path: Path) -> None:
    adts = tmp_path / "song.aac"  # raw AAC: no container, no tags
    ffmpeg("-i", clip_path, "-c:a", "aac", "-f", "adts", adts)
    before = _file(adts)
    assert write_genre(adts, "Rock").action == "unsupported_format"
    assert _file(adts) == before


def test_a_file_mutagen_cannot_parse_is_a_tag_failure_not_a_crash(tmp_path: Path) -> None:
    fake = tmp_path / "fake.flac"
    fake.write_bytes(b"fLaC" + bytes(200))
    outcome = write_genre(fake, "Rock")
    assert outcome.action == "failed" and outcome.message
    assert fake.read_bytes() == b"fLaC" + bytes(200)


def test_ctrl_c_during_a_write_waits_for_the_write_to_end(songs: Path) -> None:
    song = songs / "song.ogg"
    audio = mutagen.File(song)
    audio.tags["GENRE"] = ["Jazz"]
    finished = False
    with pytest.raises(KeyboardInterrupt), _signals_held():
        os.kill(os.getpid(), signal.SIGINT)
        audio.save()  # mutagen moves the file's pages along: never to be cut half-way
        finished = True
    assert finished
    assert read_genres(song) == ["Jazz"]
