"""`classify` on the command line: files and links, table and JSON, without Redis."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from genre_worker.cli import main


def test_json_output_for_a_file_and_a_link(
    model_dir: Path, clip_path: Path, audio_server: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--json", "--model", str(model_dir), str(clip_path), f"{audio_server}/rock.ogg"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line["source"] for line in lines] == [str(clip_path), f"{audio_server}/rock.ogg"]
    # The same audio, fetched or read locally, gets the same answer.
    assert lines[0]["top_genre"] == lines[1]["top_genre"]
    assert lines[0]["song_probabilities"][lines[0]["top_genre"]] == pytest.approx(
        lines[1]["song_probabilities"][lines[1]["top_genre"]], abs=0.02
    )


def test_table_output_and_failure_exit_code(
    model_dir: Path, clip_path: Path, audio_files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--model", str(model_dir), str(clip_path), str(audio_files / "notes.mp3")]) == 1
    captured = capsys.readouterr()
    assert "10 windows" in captured.out and "%" in captured.out
    assert "unsupported_audio" in captured.err


def test_missing_model_is_a_clear_error(tmp_path: Path, clip_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--model", str(tmp_path), str(clip_path)]) == 2
    assert "manifest.json" in capsys.readouterr().err


def test_the_table_says_which_windows_were_left_out(
    model_dir: Path, clip_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import numpy as np
    import soundfile

    audio, rate = soundfile.read(clip_path, dtype="float32")
    padded = tmp_path / "padded.wav"
    soundfile.write(padded, np.concatenate([np.zeros(10 * rate, np.float32), audio]), rate)
    assert main(["--model", str(model_dir), str(padded)]) == 0
    assert "left out: 3 as silence" in capsys.readouterr().out
