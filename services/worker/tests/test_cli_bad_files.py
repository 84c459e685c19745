"""`classify` given bad files: one line each on stderr, no traceback, a non-zero exit, the good files still done."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import soundfile

from testkit.awkward_audio import ffmpeg, flac_header_then_garbage, float_wav_with, hls_playlist

REPO_ROOT = Path(__file__).resolve().parents[3]
CLASSIFY = Path(sys.executable).with_name("classify")


def test_bad_files_get_one_line_each_and_the_good_one_its_table(clip_path: Path, tmp_path: Path) -> None:
    flac = tmp_path / "clip.flac"
    ffmpeg("-i", clip_path, flac)
    bad = {
        # libsndfile opens it and fails on its first read: once a traceback that ended the run.
        "frames.flac": flac_header_then_garbage(flac, tmp_path / "frames.flac"),
        "nan.wav": float_wav_with(flac, tmp_path / "nan.wav", float("nan"), every=100),
        "playlist.mp3": hls_playlist(tmp_path / "playlist.mp3", clip_path),
        "notes.mp3": tmp_path / "notes.mp3",
        "missing.ogg": tmp_path / "missing.ogg",
    }
    bad["notes.mp3"].write_text("not audio\n" * 50)
    with soundfile.SoundFile(bad["frames.flac"]) as sound:
        assert sound.frames > 0  # what libsndfile believes before reading

    model = REPO_ROOT / "models" / "cnn2d"
    command = [str(CLASSIFY), "--model", str(model), *map(str, bad.values()), str(clip_path)]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    assert completed.returncode == 1
    assert "Traceback" not in completed.stderr
    lines = completed.stderr.splitlines()
    errors = {name: [line for line in lines if line.startswith(f"{path}: ")] for name, path in bad.items()}
    assert all(len(found) == 1 for found in errors.values()), completed.stderr
    for name in ("frames.flac", "nan.wav", "playlist.mp3", "notes.mp3"):
        assert ": unsupported_audio: " in errors[name][0]
    # Nothing else from the decoders (mpg123 used to write its complaints about notes.mp3 here).
    assert not [line for line in lines if line.startswith(("Note:", "Warning:", "["))], completed.stderr
    assert str(clip_path) in completed.stdout and "10 windows" in completed.stdout
