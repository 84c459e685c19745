"""Song-mean musicnn embeddings of everything the shipped recipe trains on (GTZAN train, the extra songs with their
folds, every mastered copy, and the copies that are not shipped: codecs, further random-limiter draws) and of
GTZAN's validation songs, clean and under the robustness conditions that move the answer, through the trainer's
own embedding cache, so genre heads can be compared in seconds (`nuisance_heads.py`).

A linear head on a song's mean embedding is what the served model computes (window log-probabilities averaged),
so song means are all a head comparison needs. Silent windows are left out, as the pipeline does.

    .venv/bin/python experiments/robustness/dump_song_means.py [var/experiments/song-means.npz] [--preprocessing NAME]
        [--limit-db DB] [--shipped-copies-only] [--clips-only]

`--preprocessing` (default: the trainer's) names a set of `genre_core.preprocessing.PREPROCESSING_SETS`;
`--limit-db` sets its limiter's ceiling (dB above the song's loudness) instead; `--shipped-copies-only` leaves out
the candidate and codec copies (a quarter of the time), `--clips-only` the joined 3-minute songs.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.conditions import CONDITIONS, RATE
from genre_core.audio import load_audio
from genre_core.preprocessing import PREPROCESSING_SETS, Preprocessing, song_features
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


def main(out: Path, preprocessing: Preprocessing, shipped_copies_only: bool, clips_only: bool) -> None:
    started = time.monotonic()
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
    kinds = AUGMENTATIONS if shipped_copies_only else (*AUGMENTATIONS, *CANDIDATE_COPIES, *CODECS)
    copies = _mastered_copies(data, cache, kinds)
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
    kinds_of_song = [("clip", clips, CLIP_CONDITIONS), ("joined", joined, JOINED_CONDITIONS)][: 1 if clips_only else 2]
    for kind, groups, names in kinds_of_song:
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
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, nargs="?", default=Path("var/experiments/song-means.npz"))
    parser.add_argument("--preprocessing", choices=list(PREPROCESSING_SETS), default=DEFAULT_PREPROCESSING)
    parser.add_argument("--limit-db", type=float)
    parser.add_argument("--shipped-copies-only", action="store_true")
    parser.add_argument("--clips-only", action="store_true")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    preprocessing = PREPROCESSING_SETS[args.preprocessing]
    if args.limit_db is not None:
        preprocessing = preprocessing.model_copy(update={"limit_peaks_above_loudness_db": args.limit_db})
    main(args.out, preprocessing, args.shipped_copies_only, args.clips_only)
