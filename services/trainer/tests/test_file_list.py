"""Datasets given as a `path,label` list (CSV or JSON) instead of genre folders."""

from __future__ import annotations

import json
from pathlib import Path

from genre_trainer.data.dataset import scan_source


def test_csv_and_json_lists_name_songs_like_folders(tmp_path: Path) -> None:
    (tmp_path / "audio").mkdir()
    (tmp_path / "list.csv").write_text("path,label\naudio/one.wav,rock\n/abs/two.mp3,jazz\naudio/one.wav,rock\n")
    rows = [{"path": "audio/one.wav", "label": "rock"}, {"path": "/abs/two.mp3", "label": "jazz"}]
    (tmp_path / "list.json").write_text(json.dumps(rows))

    for name in ("list.csv", "list.json"):
        songs = scan_source(tmp_path / name)
        assert [(song.song_id, song.genre, song.path) for song in songs] == [
            ("jazz/two", "jazz", Path("/abs/two.mp3")),
            ("rock/one", "rock", tmp_path / "audio" / "one.wav"),
        ]
