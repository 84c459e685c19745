"""Song-mean heads on musicnn's embedding, penultimate dense layer, tag outputs and their concatenations."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.pipeline import make_pipeline

from genre_trainer.models.scaling import FlooredStandardScaler
from genre_trainer.models.transfer import song_means

base = np.load("var/song_head/embeddings.npz", allow_pickle=True)
other = np.load("var/song_head/embeddings-layers.npz", allow_pickle=True)
assert all((base[f"{p}_songs"] == other[f"{p}_songs"]).all() for p in ("train", "valid"))
sources = {
    "embedding": lambda p: base[f"{p}_embeddings"],
    "dense": lambda p: other[f"{p}_dense"],
    "tags": lambda p: other[f"{p}_tags"],
    "embedding+dense": lambda p: np.hstack([base[f"{p}_embeddings"], other[f"{p}_dense"]]),
    "embedding+tags": lambda p: np.hstack([base[f"{p}_embeddings"], other[f"{p}_tags"]]),
    "embedding+dense+tags": lambda p: np.hstack([base[f"{p}_embeddings"], other[f"{p}_dense"], other[f"{p}_tags"]]),
}
for name, features in sources.items():
    tx, ty = song_means(features("train"), base["train_labels"], base["train_songs"])
    vx, vy = song_means(features("valid"), base["valid_labels"], base["valid_songs"])
    for c in (0.03, 0.1, 0.3, 1.0):
        head = make_pipeline(FlooredStandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=5000))
        predicted = head.fit(tx, ty).predict(vx)
        print(
            f"{name:22s} C={c:<4} song {accuracy_score(vy, predicted):.3f}"
            f" bal {balanced_accuracy_score(vy, predicted):.3f}",
            flush=True,
        )
