"""Finding songs in both folder layouts, and decoding them without crashing on bad files."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
import soundfile

from genre_core.params import DEFAULT_FEATURE_PARAMS
from genre_trainer.data.dataset import decode_songs, genres_of, read_artists, scan_dataset, stack_windows


def _touch(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")


@pytest.mark.parametrize("layout", ["", "genres/"])
def test_scan_finds_audio_in_genre_folders(tmp_path: Path, layout: str) -> None:
    for name in ["rock/rock.00001.wav", "rock/rock.00002.AU", "jazz/jazz.00007.mp3", "jazz/take five.m4a"]:
        _touch(tmp_path / layout / name)
    for ignored in ["jazz/cover.jpg", "jazz/.hidden.wav", ".cache/x.wav", "README.md"]:
        _touch(tmp_path / layout / ignored)

    songs = scan_dataset(tmp_path)

    assert [(song.song_id, song.genre) for song in songs] == [
        ("jazz.00007", "jazz"),
        ("jazz/take five", "jazz"),
        ("rock.00001", "rock"),
        ("rock.00002", "rock"),
    ]
    assert genres_of(songs) == ["jazz", "rock"]


def test_scan_keeps_one_file_per_song(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    _touch(tmp_path / "pop" / "pop.00001.flac")
    _touch(tmp_path / "pop" / "pop.00001.wav")
    with caplog.at_level(logging.WARNING):
        songs = scan_dataset(tmp_path)
    assert [song.path.name for song in songs] == ["pop.00001.flac"]
    assert "pop.00001" in caplog.text


def test_scan_refuses_a_folder_without_audio(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        scan_dataset(tmp_path)


def test_decoding_skips_corrupt_and_short_files(
    tiny_dataset: Path, corrupt_file: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    short = tmp_path / "blues" / "blues.00098.wav"
    short.parent.mkdir(parents=True)
    soundfile.write(short, np.zeros(22050, dtype=np.float32), 22050)  # 1 s: less than one 3 s window
    wanted = {"blues.00000", "blues.00001", Path(corrupt_file).stem}
    files = [song for song in scan_dataset(tiny_dataset) if song.song_id in wanted] + scan_dataset(tmp_path)

    with caplog.at_level(logging.WARNING, logger="genre_trainer.data.dataset"):
        decoded = decode_songs(files, DEFAULT_FEATURE_PARAMS)

    assert sorted(decoded.skipped) == sorted([corrupt_file, "blues/blues.00098.wav"])
    assert [song.song_id for song in decoded.songs] == ["blues.00000", "blues.00001"]
    assert all(song.windows.shape == (10, 128, 130) for song in decoded.songs)
    assert corrupt_file in caplog.text and "blues.00098.wav" in caplog.text

    stacked = stack_windows(decoded.songs, ["blues", "jazz"], DEFAULT_FEATURE_PARAMS)
    assert stacked.x.shape == (20, 128, 130, 1) and stacked.x.dtype == np.float32
    assert stacked.y.tolist() == [0] * 20
    assert stacked.song_ids.tolist() == ["blues.00000"] * 10 + ["blues.00001"] * 10


def test_artists_come_from_the_folders_manifest(tmp_path: Path) -> None:
    for name in ("jazz/a.wav", "jazz/b.wav", "blues/c.wav"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    songs = scan_dataset(tmp_path)
    assert read_artists(tmp_path, songs) == {}
    (tmp_path / "manifest.csv").write_text("clip,file,artist\n1,jazz/a.wav,Ella\n2,blues/c.wav, \n3,gone.wav,X\n")
    assert read_artists(tmp_path, songs) == {"jazz/a": "Ella"}  # blank artists and unknown files left out
