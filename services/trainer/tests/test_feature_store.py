"""The feature cache: files decoded once, unusable ones counted with a reason, reloaded when nothing changed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile

from genre_trainer.data import feature_store
from genre_trainer.data.dataset import scan_dataset
from genre_trainer.data.feature_store import load_features
from genre_trainer.data.windows import WindowOptions

RATE = 22050


def _wav(path: Path, seconds: float, rate: int = RATE) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    noise = np.random.default_rng(len(path.name)).standard_normal(round(seconds * rate)).astype(np.float32)
    soundfile.write(path, 0.1 * noise, rate)


@pytest.fixture()
def dataset(tmp_path: Path) -> Path:
    root = tmp_path / "data"
    _wav(root / "rock" / "a.wav", 7.0)  # 2 windows
    _wav(root / "rock" / "b.wav", 9.5, rate=16000)  # 3 windows, resampled
    _wav(root / "jazz" / "c.wav", 2.0)  # too short
    (root / "jazz" / "d.wav").write_bytes(b"RIFF not really")  # unreadable
    _wav(root / "jazz" / "e.wav", 3.2)  # 1 window
    return root


def test_features_record_every_file_and_skip_the_unusable(dataset: Path) -> None:
    features = load_features(scan_dataset(dataset), WindowOptions(), cache_dir=None, progress=False)

    records = {record.name: record for record in features.files}
    assert sorted(features.skipped) == ["jazz/c.wav", "jazz/d.wav"]
    assert records["jazz/c.wav"].duration_seconds == pytest.approx(2.0) and "shorter" in records["jazz/c.wav"].reason
    assert records["jazz/d.wav"].reason
    assert (records["rock/b.wav"].sample_rate, records["rock/b.wav"].windows) == (16000, 3)
    assert features.song_ids.tolist() == ["jazz/e", "rock/a", "rock/b"]
    assert np.bincount(features.window_song).tolist() == [1, 2, 3]
    assert {kind: array.shape[0] for kind, array in features.inputs.items()} == {"mel": 6, "wave": 6, "summary": 6}
    window_set = features.window_set("mel", features.windows_of(["rock/b"]), ["jazz", "rock"])
    assert window_set.x.shape == (3, 128, 130, 1) and window_set.y.tolist() == [1, 1, 1]


def test_cache_is_reused_until_options_or_files_change(
    dataset: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    files = scan_dataset(dataset)
    first = load_features(files, WindowOptions(), cache, progress=False)
    computed: list[int] = []
    original = feature_store.compute_features
    monkeypatch.setattr(feature_store, "compute_features", lambda *a, **k: computed.append(1) or original(*a, **k))

    again = load_features(files, WindowOptions(), cache, progress=False)
    assert computed == []
    np.testing.assert_array_equal(again.inputs["summary"], first.inputs["summary"])
    assert again.files == first.files and again.song_ids.tolist() == first.song_ids.tolist()

    load_features(files, WindowOptions(hop_seconds=1.0), cache, progress=False)
    assert computed == [1]
    _wav(dataset / "rock" / "a.wav", 6.5)  # the file changed
    load_features(scan_dataset(dataset), WindowOptions(), cache, progress=False)
    assert computed == [1, 1]


def test_prepare_reports_each_file_and_counts_the_skipped(
    dataset: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from genre_trainer.cli import main

    files_csv = tmp_path / "files.csv"
    command = ["prepare", "--data", str(dataset), "--cache", str(tmp_path / "cache"), "--files-csv", str(files_csv)]
    assert main(command) == 0

    printed = capsys.readouterr().out
    assert printed.splitlines()[-1] == "5 files: 3 usable (6 windows), 2 skipped"
    assert "rock/b.wav" in printed and "16000" in printed
    rows = files_csv.read_text().splitlines()
    assert rows[0].startswith("name,song_id,genre,duration_seconds,sample_rate,windows,usable") and len(rows) == 6
