"""Feature transforms before the song-mean head (embed.py): max or mean half only, L2 per window, signed sqrt."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.pipeline import make_pipeline

from genre_trainer.models.scaling import FlooredStandardScaler
from genre_trainer.models.transfer import song_means

msd = np.load("var/song_head/embeddings.npz", allow_pickle=True)
HALF = 753  # the embedding is max-pooled (first 753) then mean-pooled (last 753) mid-end features

TRANSFORMS = {
    "none": lambda x: x,
    "max half": lambda x: x[:, :HALF],
    "mean half": lambda x: x[:, HALF:],
    "L2 per window": lambda x: x / np.linalg.norm(x, axis=1, keepdims=True),
    "signed sqrt": lambda x: np.sign(x) * np.sqrt(np.abs(x)),
    "log1p": lambda x: np.log1p(np.maximum(x, 0)),
}
for name, transform in TRANSFORMS.items():
    tx, ty = song_means(transform(msd["train_embeddings"]), msd["train_labels"], msd["train_songs"])
    vx, vy = song_means(transform(msd["valid_embeddings"]), msd["valid_labels"], msd["valid_songs"])
    scores = []
    for c in (0.03, 0.1, 0.3, 1.0):
        head = make_pipeline(FlooredStandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=5000))
        predicted = head.fit(tx, ty).predict(vx)
        scores.append(f"C {c}: {accuracy_score(vy, predicted):.3f}/{balanced_accuracy_score(vy, predicted):.3f}")
    print(f"{name:14s}", "  ".join(scores), flush=True)
