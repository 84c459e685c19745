"""Whether limiting every song to one peak-to-loudness ratio in the pipeline (`genre_core.limiter`) makes a loud
master of a song look like its dynamic one to the genre head, measured cheaply before a whole retrain: the plain
head (standardised, class-balanced logistic regression, C 0.1, on song-mean musicnn embeddings) fit on GTZAN's
training songs as they are, scored on the validation songs clean and through the benchmark's limiter at +6 and
+12 dB, for the shipped preprocessing and for each ceiling given (dB above the song's loudness).

    .venv/bin/python experiments/robustness/limiter_preprocessing.py [ceiling_db ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, log_loss

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.conditions import CONDITIONS, RATE
from genre_core.audio import load_audio
from genre_core.preprocessing import LOUDNESS_SCREENED, Preprocessing, song_features
from genre_trainer.models import transfer
from genre_trainer.models.embedding_cache import EmbeddingCache
from genre_trainer.models.scaling import FlooredStandardScaler
from genre_trainer.training.pipeline import prepare_data

CONDITION_NAMES = ("clean", "gain +6 dB", "gain +12 dB")
CACHE = Path.home() / ".cache/genre-trainer/embeddings"


def scores(preprocessing: Preprocessing, cache: EmbeddingCache) -> dict[str, tuple[float, float, float]]:
    data = prepare_data(Path("../shared/gtzan"), 1234, "train", None, transfer.PARAMS, preprocessing=preprocessing)
    windows = data.windows(["train"])
    embeddings, _ = cache.embed_windows(windows.x, windows.song_ids)
    x, y = transfer.song_means(embeddings, windows.y, windows.song_ids.astype(str))
    scaler = FlooredStandardScaler().fit(x)
    head = LogisticRegression(C=0.1, class_weight="balanced", max_iter=5000).fit(scaler.transform(x), y)
    label_index = {label: i for i, label in enumerate(data.labels)}
    conditions = {condition.name: condition for condition in CONDITIONS}
    figures = {}
    for name in CONDITION_NAMES:
        rows, labels = [], []
        for song in data.songs_by_part["valid"]:
            with tempfile.TemporaryDirectory() as folder:
                path = conditions[name].write(load_audio(data.paths[song.song_id], RATE), Path(folder))
                decoded = load_audio(path, transfer.PARAMS.sample_rate)
            features = song_features(decoded, transfer.PARAMS, preprocessing)
            song_windows = features.windows[~features.silent][..., np.newaxis]
            rows.append(cache.embed_groups([song_windows])[0][0].astype(np.float64).mean(axis=0))
            labels.append(label_index[song.genre])
        probabilities = head.predict_proba(scaler.transform(np.array(rows)))
        predicted = probabilities.argmax(axis=1)
        figures[name] = (
            float(np.mean(predicted == labels)),
            float(balanced_accuracy_score(labels, predicted)),
            float(log_loss(labels, probabilities, labels=range(len(data.labels)))),
        )
        songs = data.songs_by_part["valid"]
        wrong = [song.song_id for song, guess, label in zip(songs, predicted, labels, strict=True) if guess != label]
        print(f"  {name}: wrong {wrong}", flush=True)
    return figures


def main(ceilings: list[float]) -> None:
    embedder = transfer.build_embedder()
    cache = EmbeddingCache(lambda windows: transfer.embed_with_tags(embedder, windows), CACHE)
    variants = {"shipped (no limiter)": LOUDNESS_SCREENED}
    for ceiling in ceilings:
        variants[f"limited {ceiling:g} dB above"] = LOUDNESS_SCREENED.model_copy(
            update={"limit_peaks_above_loudness_db": ceiling}
        )
    started = time.monotonic()
    for name, preprocessing in variants.items():
        print(name, flush=True)
        figures = scores(preprocessing, cache)
        line = " | ".join(f"{key} {acc:.3f} / {bal:.3f} / {loss:.3f}" for key, (acc, bal, loss) in figures.items())
        print(f"{name}: {line}  ({time.monotonic() - started:.0f} s)", flush=True)


if __name__ == "__main__":
    main([float(value) for value in sys.argv[1:]])
