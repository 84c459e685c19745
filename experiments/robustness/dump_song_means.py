"""Song-mean musicnn embeddings of everything the shipped recipe trains on (GTZAN train, the extra songs with their
folds, every mastered copy, and the copies that are not shipped: codecs, further random-limiter draws) and of
GTZAN's validation songs, clean and under the robustness conditions that move the answer, through the trainer's
own embedding cache, so genre heads can be compared in seconds (`nuisance_heads.py`).

A linear head on a song's mean embedding is what the served model computes (window log-probabilities averaged),
so song means are all a head comparison needs. Silent windows are left out, as the pipeline does.

    .venv/bin/python experiments/robustness/dump_song_means.py [var/experiments/song-means.npz]
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
from genre_core.preprocessing import PREPROCESSING_SETS, song_features
from genre_trainer.cli import DEFAULT_PREPROCESSING
from genre_trainer.data.mastering import AUGMENTATIONS, CODECS, original_song
from genre_trainer.models import transfer
from genre_trainer.models.embedding_cache import EmbeddingCache
from genre_trainer.training.pipeline import _mastered_copies, prepare_data

CLIP_CONDITIONS = ("clean", "gain -12 dB", "gain +6 dB", "gain +12 dB", "pink noise", "applause", "aac 128k")
JOINED_CONDITIONS = ("clean", "gain +6 dB", "gain +12 dB", "applause")
CANDIDATE_COPIES = ("limit-random-2", "limit-random-3")
"""Further random-limiter draws per song, not shipped: whether more limiter copies help (`nuisance_heads.py`)."""
CACHE = Path.home() / ".cache/genre-trainer/embeddings"


def main(out: Path) -> None:
    started = time.monotonic()
    preprocessing = PREPROCESSING_SETS[DEFAULT_PREPROCESSING["musicnn"]]
    data = prepare_data(
        Path("../shared/gtzan"),
        1234,
        "refit",
        None,
        transfer.PARAMS,
        preprocessing=preprocessing,
        extra_dirs=[Path("../shared/extra/4q-mer")],
    )
    embedder = transfer.build_embedder()
    cache = EmbeddingCache(lambda windows: transfer.embed_with_tags(embedder, windows), CACHE)
    arrays: dict[str, np.ndarray] = {"labels": np.array(data.labels)}
    for part in ("train", "valid"):
        windows = data.windows([part])
        embeddings, _ = cache.embed_windows(windows.x, windows.song_ids)
        song_ids = windows.song_ids.astype(str)
        arrays[f"{part}:x"], arrays[f"{part}:y"] = transfer.song_means(embeddings, windows.y, song_ids)
        arrays[f"{part}:songs"] = np.unique(song_ids)
    arrays["train:fold"] = np.array([data.folds.get(song, -1) for song in arrays["train:songs"]])
    print("clean parts", time.monotonic() - started, flush=True)
    # The shipped copies, the candidate ones and the codec ones (`nuisance_heads.py` chooses which a head sees).
    copies = _mastered_copies(data, cache, (*AUGMENTATIONS, *CANDIDATE_COPIES, *CODECS))
    for part, copy_set in copies.items():
        song_ids = copy_set.song_ids.astype(str)
        arrays[f"copies_{part}:x"], arrays[f"copies_{part}:y"] = transfer.song_means(copy_set.x, copy_set.y, song_ids)
        arrays[f"copies_{part}:songs"] = np.unique(song_ids)
        arrays[f"copies_{part}:origin"] = original_song(arrays[f"copies_{part}:songs"]).astype(str)
    print("copies", time.monotonic() - started, flush=True)
    np.savez(out, **arrays)

    valid_songs = data.songs_by_part["valid"]
    label_index = {label: i for i, label in enumerate(data.labels)}
    clips = [[song] for song in valid_songs]
    by_genre: dict[str, list] = {}
    for song in valid_songs:
        by_genre.setdefault(song.genre, []).append(song)
    joined = [
        items[i : i + 6] for genre in sorted(by_genre) for items in [by_genre[genre]] for i in range(0, len(items), 6)
    ]
    joined = [group for group in joined if len(group) >= 3]
    conditions = {condition.name: condition for condition in CONDITIONS}
    for kind, groups, names in (("clip", clips, CLIP_CONDITIONS), ("joined", joined, JOINED_CONDITIONS)):
        for name in names:
            rows = []
            for group in groups:
                audio = np.concatenate([load_audio(data.paths[song.song_id], RATE) for song in group])
                with tempfile.TemporaryDirectory() as folder:
                    decoded = load_audio(conditions[name].write(audio, Path(folder)), transfer.PARAMS.sample_rate)
                features = song_features(decoded, transfer.PARAMS, preprocessing)
                windows = features.windows[~features.silent][..., np.newaxis]
                rows.append(cache.embed_groups([windows])[0][0].astype(np.float64).mean(axis=0))
            arrays[f"{kind}:{name}:x"] = np.array(rows)
            arrays[f"{kind}:{name}:y"] = np.array([label_index[group[0].genre] for group in groups])
            print(kind, name, time.monotonic() - started, flush=True)
            np.savez(out, **arrays)


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "var/experiments/song-means.npz")
    target.parent.mkdir(parents=True, exist_ok=True)
    main(target)
