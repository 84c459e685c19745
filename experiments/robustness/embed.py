"""Embed GTZAN train/valid, the non-music clips and every robustness condition of the validation songs with the
served musicnn embedder, once per preprocessing, so heads, detectors and aggregations can be compared offline.

    .venv/bin/python experiments/robustness/embed.py none|bs1770-screened [out.npz]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.conditions import CONDITIONS, RATE
from genre_core.audio import load_audio
from genre_core.features import compress, mel_power, slice_windows
from genre_core.loudness import integrated_loudness
from genre_core.preprocessing import PREPROCESSING_SETS, song_features
from genre_trainer.data.non_music import non_music_clips
from genre_trainer.models import transfer
from genre_trainer.training.pipeline import prepare_data

JOINED_CONDITIONS = {"clean", "silence 10 s", "spoken intro 12 s"}
SKIPPED = {"mp3 128k", "aac 128k", "opus 128k", "44.1k stereo"}  # re-encodings: measured by the benchmark itself


def joined_groups(files: list[tuple[str, str, Path]]) -> list[list[tuple[str, str, Path]]]:
    by_genre: dict[str, list] = {}
    for item in files:
        by_genre.setdefault(item[1], []).append(item)
    groups = []
    for genre in sorted(by_genre):
        items = by_genre[genre]
        for start in range(0, len(items), 6):
            chunk = items[start : start + 6]
            if len(chunk) >= 3:
                groups.append(chunk)
    return groups


def main(name: str, out: Path) -> None:
    preprocessing = PREPROCESSING_SETS[name]
    params = transfer.PARAMS
    embedder = transfer.build_embedder()
    arrays: dict[str, np.ndarray] = {}
    started = time.monotonic()
    data = prepare_data(Path("../shared/gtzan"), 1234, "train", None, params, preprocessing=preprocessing)
    for part in ("train", "valid"):
        windows = data.windows([part])
        arrays[f"{part}_embeddings"] = transfer.embed(embedder, windows.x)
        arrays[f"{part}_labels"] = windows.y
        arrays[f"{part}_songs"] = windows.song_ids.astype(str)
    print("gtzan", time.monotonic() - started, flush=True)
    rng = np.random.default_rng(99)
    rows, kinds = [], []
    for clip in non_music_clips(params.sample_rate, seed=5, seconds=15.0):
        power = mel_power(clip.audio, params)
        offset = rng.uniform(-12, 6)
        if preprocessing.loudness_target_lufs is not None:
            loud = integrated_loudness(power.weighted_power, params)
            gain_db = preprocessing.loudness_target_lufs - loud + offset if np.isfinite(loud) else 0.0
        else:
            gain_db = -12 + offset
        windows = slice_windows(compress(power.mel, params, 10 ** (gain_db / 10)), len(clip.audio), params)
        rows.append(transfer.embed(embedder, windows[..., np.newaxis]))
        kinds += [clip.kind] * len(windows)
    arrays["nonmusic_embeddings"] = np.concatenate(rows)
    arrays["nonmusic_kinds"] = np.array(kinds)
    print("non-music", len(kinds), time.monotonic() - started, flush=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, labels=np.array(data.labels), **arrays)
    valid_files = [
        (
            song.song_id,
            song.genre,
            next(Path("../shared/gtzan/genres", song.genre).glob(song.song_id.split("/")[-1] + "*")),
        )
        for song in data.songs_by_part["valid"]
    ]
    label_index = {label: i for i, label in enumerate(data.labels)}
    for kind, groups in (("clip", [[item] for item in valid_files]), ("joined", joined_groups(valid_files))):
        for condition in CONDITIONS:
            if (kind == "joined" and condition.name not in JOINED_CONDITIONS) or condition.name in SKIPPED:
                continue
            embeddings, silent, songs, labels = [], [], [], []
            for index, group in enumerate(groups):
                audio = np.concatenate([load_audio(path, RATE) for _, _, path in group])
                with tempfile.TemporaryDirectory() as folder:
                    path = condition.write(audio, Path(folder))
                    decoded = load_audio(path, params.sample_rate)
                features = song_features(decoded, params, preprocessing)
                embeddings.append(transfer.embed(embedder, features.windows[..., np.newaxis]))
                silent.append(features.silent)
                songs += [index] * len(features.windows)
                labels.append(label_index[group[0][1]])
            key = f"{kind}:{condition.name}"
            arrays[f"{key}:embeddings"] = np.concatenate(embeddings)
            arrays[f"{key}:silent"] = np.concatenate(silent)
            arrays[f"{key}:songs"] = np.array(songs)
            arrays[f"{key}:labels"] = np.array(labels)
            print(key, time.monotonic() - started, flush=True)
            out.parent.mkdir(parents=True, exist_ok=True)
            np.savez(out, labels=np.array(data.labels), **arrays)  # after every condition: usable while it runs


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2] if len(sys.argv) > 2 else f"var/robustness/{sys.argv[1]}.npz"))
