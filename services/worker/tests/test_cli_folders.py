"""`classify DIR...`: folders walked, files classified in parallel, reports, a summary, and runs that resume."""

from __future__ import annotations

import csv
import fcntl
import json
import os
import pty
import shutil
import signal
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from genre_worker.cli import main
from testkit.awkward_audio import ffmpeg

REPO_ROOT = Path(__file__).resolve().parents[3]
CLASSIFY = Path(sys.executable).with_name("classify")
CNN = REPO_ROOT / "models" / "cnn2d"  # the fast model: 0.1 s a clip
CLIPS = ["blues/blues.00000.ogg", "classical/classical.00000.ogg", "metal/metal.00000.ogg", "reggae/reggae.00000.ogg"]


@pytest.fixture
def library(gtzan_dir: Path, tmp_path: Path) -> Path:
    """A small music folder: two clips at the top, two in a subfolder (one of them an mp3), a text file named
    .mp3, a cover image, and a hidden AppleDouble file."""
    root = tmp_path / "library"
    (root / "more").mkdir(parents=True)
    shutil.copy(gtzan_dir / "genres" / CLIPS[0], root)
    shutil.copy(gtzan_dir / "genres" / CLIPS[1], root)
    shutil.copy(gtzan_dir / "genres" / CLIPS[2], root / "more")
    ffmpeg("-i", gtzan_dir / "genres" / CLIPS[3], "-c:a", "libmp3lame", root / "more" / "reggae.00000.mp3")
    (root / "notes.mp3").write_text("not audio\n" * 50)
    (root / "cover.jpg").write_bytes(b"\xff\xd8\xff" + bytes(100))
    (root / "._blues.00000.ogg").write_bytes(bytes(4096))
    return root


def _classify(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    command = [str(CLASSIFY), "--model", str(CNN), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, check=False, env=env)


def _cached(cache: Path) -> int:
    if not cache.exists():
        return 0
    try:
        with sqlite3.connect(cache) as connection:
            return int(connection.execute("SELECT count(*) FROM results").fetchone()[0])
    except sqlite3.OperationalError:  # created, its table not yet
        return 0


def test_a_folder_gives_a_table_csv_json_and_a_summary(
    library: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache.sqlite3"
    assert main(["--model", str(CNN), "--cache", str(cache), "--jobs", "1", str(library)]) == 1
    captured = capsys.readouterr()
    # Without --recursive: the top folder only; the text file is tried and fails, the others are not audio.
    table = captured.out.splitlines()
    assert table[0].split() == ["genre", "prob", "length", "sounds", "like", "file"]
    assert [line.split()[-1] for line in table[1:3]] == [str(library / "blues.00000.ogg"), str(library /
                                                        "classical.00000.ogg")]  # fmt: skip
    assert "3 files: 2 classified, 1 failed" in captured.out
    assert "failed: unsupported_audio 1" in captured.out
    assert "left out, not audio by name: 1 file" in captured.out  # cover.jpg; ._blues.00000.ogg is hidden
    assert f"{library / 'notes.mp3'}: unsupported_audio: " in captured.err

    report, table_csv = tmp_path / "report.json", tmp_path / "report.csv"
    args = ["--model", str(CNN), "--cache", str(cache), "--jobs", "1", "-r", "--json", str(report), "--csv",
            str(table_csv)]  # fmt: skip
    assert main([*args, str(library)]) == 1
    captured = capsys.readouterr()
    assert "5 files (3 from earlier runs): 4 classified, 1 failed" in captured.out
    with table_csv.open() as file:
        rows = list(csv.DictReader(file))
    assert [Path(row["path"]).name for row in rows] == [
        "blues.00000.ogg", "classical.00000.ogg", "notes.mp3", "metal.00000.ogg", "reggae.00000.mp3"
    ]  # fmt: skip
    assert [row["from_cache"] for row in rows] == ["1", "1", "1", "0", "0"]
    assert rows[2]["error_code"] == "unsupported_audio" and not rows[2]["top_genre"]
    for row in (rows[0], rows[1], rows[3], rows[4]):
        probabilities = {key[2:]: float(value) for key, value in row.items() if key.startswith("p_")}
        assert max(probabilities, key=probabilities.__getitem__) == row["top_genre"]
        assert sum(probabilities.values()) == pytest.approx(1, abs=2e-3)
    document = json.loads(report.read_text())
    assert document["summary"]["files"] == 5 and document["summary"]["failures"] == {"unsupported_audio": 1}
    assert sum(document["summary"]["genres"].values()) == 4
    assert [row["path"] for row in document["files"]] == [row["path"] for row in rows]
    assert document["files"][0]["song_probabilities"]["blues"] == pytest.approx(float(rows[0]["p_blues"]), abs=1e-4)


def test_json_lines_on_stdout_keep_the_summary_off_it(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--model", str(CNN), "--no-cache", "--jobs", "1", "--json", str(library)]) == 1
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert [Path(line["path"]).name for line in lines] == ["blues.00000.ogg", "classical.00000.ogg", "notes.mp3"]
    assert not any(line["from_cache"] for line in lines)
    assert "3 files: 2 classified, 1 failed" in captured.err


def test_parallel_runs_agree_with_one_process_and_resume_from_the_cache(library: Path, tmp_path: Path) -> None:
    one = _classify("-r", "--jobs", "1", "--no-cache", "--csv", "-", library)
    cache = tmp_path / "cache.sqlite3"
    two = _classify("-r", "--jobs", "2", "--cache", cache, "--csv", "-", library)
    assert one.returncode == two.returncode == 1, two.stderr
    assert "Traceback" not in two.stderr
    # The same answers, in the same order, however many processes worked on them.
    assert two.stdout == one.stdout
    assert "5 files: 4 classified, 1 failed" in two.stderr

    again = _classify("-r", "--jobs", "2", "--cache", cache, library)
    assert "5 files (5 from earlier runs): 4 classified, 1 failed" in again.stdout
    # A file that changed is classified again; the others are not.
    os.utime(library / "blues.00000.ogg", ns=(time.time_ns(), time.time_ns()))
    touched = _classify("-r", "--jobs", "2", "--cache", cache, "--json", "-", library)
    fresh = [json.loads(line)["path"] for line in touched.stdout.splitlines() if not json.loads(line)["from_cache"]]
    assert fresh == [str(library / "blues.00000.ogg")]


def test_the_default_model_in_parallel(model_dir: Path, library: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    command = [str(CLASSIFY), "--model", str(model_dir), "--jobs", "2", "--cache", str(cache), "-r", "--json", "-"]
    completed = subprocess.run([*command, library / "more"], capture_output=True, text=True, timeout=300, check=True)
    rows = [json.loads(line) for line in completed.stdout.splitlines()]
    assert [Path(row["path"]).name for row in rows] == ["metal.00000.ogg", "reggae.00000.mp3"]
    one_by_one = subprocess.run([str(CLASSIFY), "--model", str(model_dir), "--json", *(row["path"] for row in rows)],
                                capture_output=True, text=True, timeout=300, check=True)  # fmt: skip
    songs = [json.loads(line) for line in one_by_one.stdout.splitlines()]
    assert [row["top_genre"] for row in rows] == [song["top_genre"] for song in songs]
    assert [row["top_probability"] for row in rows] == pytest.approx([song["top_probability"] for song in songs])
    assert {row["model_version"] for row in rows} == {json.loads((model_dir / "manifest.json").read_text())["version"]}
    # The cache is per model: the small CNN classifies them afresh.
    assert "2 files: 2 classified" in _classify("--cache", cache, library / "more").stdout


@pytest.fixture
def crate(clip_path: Path, tmp_path: Path) -> Path:
    """Copies of one clip: a run long enough to be stopped half-way."""
    folder = tmp_path / "crate"
    folder.mkdir()
    for index in range(24):
        shutil.copy(clip_path, folder / f"song-{index:02}.ogg")
    return folder


def _our_processes(marker: Path) -> list[int]:
    """Processes whose command line names `marker` (the run's private cache file)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if str(marker).encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_stopped_with_ctrl_c_it_keeps_what_it_finished(crate: Path, tmp_path: Path, jobs: str) -> None:
    cache = tmp_path / "cache.sqlite3"
    command = [str(CLASSIFY), "--model", str(CNN), "--jobs", jobs, "--cache", str(cache), str(crate)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while _cached(cache) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=120)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    kept = _cached(cache)
    assert 3 <= kept < 24
    assert f"stopped with {kept} of 24 files done" in err
    assert not _our_processes(cache)  # the pool's processes ended with it

    resumed = _classify("--jobs", jobs, "--cache", cache, crate)
    assert resumed.returncode == 0, resumed.stderr
    assert f"24 files ({kept} from earlier runs): 24 classified, 0 failed" in resumed.stdout


def test_killed_outright_its_pool_processes_end_too(crate: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache.sqlite3"
    command = [str(CLASSIFY), "--model", str(CNN), "--jobs", "2", "--cache", str(cache), str(crate)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _cached(cache) < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.kill()
    process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while _our_processes(cache) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _our_processes(cache)
    assert _cached(cache) >= 1  # what it finished before it was killed is kept


def test_a_terminal_gets_a_progress_bar(library: Path) -> None:
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new pty is 0 columns wide
    command = [str(CLASSIFY), "--model", str(CNN), "--no-cache", "--jobs", "1", str(library)]
    with os.fdopen(controller, "rb", buffering=0) as screen:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=terminal)
        os.close(terminal)
        shown = b""
        while True:
            try:
                chunk = screen.read(4096)
            except OSError:  # the terminal's other end closed: the command is done
                break
            if not chunk:
                break
            shown += chunk
    assert process.wait(timeout=60) == 1
    assert b"3/3" in shown and b"100%" in shown


def test_links_do_not_mix_with_folders(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--model", str(CNN), str(library), "https://www.youtube.com/watch?v=dQw4w9WgXcQ"])
    assert exit_.value.code == 2
    assert "links are classified one at a time" in capsys.readouterr().err


def test_a_missing_folder_is_refused_before_anything_runs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--model", str(CNN), "--recursive", str(tmp_path / "nowhere")])
    assert "no such file or folder" in capsys.readouterr().err


def test_json_followed_by_a_song_still_prints_json(clip_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # What the README has shown since the command exists; `--json FILE` must not take the song for its file.
    assert main(["--json", str(clip_path), "--model", str(CNN)]) == 0
    assert json.loads(capsys.readouterr().out)["source"] == str(clip_path)
