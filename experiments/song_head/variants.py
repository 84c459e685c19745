"""Other song-level classifiers on song-mean (and mean+std) musicnn embeddings, scored on validation songs."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.pipeline import make_pipeline
from sklearn.svm import SVC

from genre_trainer.models.scaling import FlooredStandardScaler

arrays = np.load("var/song_head/embeddings.npz", allow_pickle=True)


def songs(part, pool):
    x, y, s = arrays[f"{part}_embeddings"], arrays[f"{part}_labels"], arrays[f"{part}_songs"]
    ids = np.unique(s)
    return np.stack([pool(x[s == i]) for i in ids]), np.array([y[s == i][0] for i in ids])


pools = {
    "mean": lambda w: w.mean(0),
    "mean+std": lambda w: np.concatenate([w.mean(0), w.std(0)]),
    "mean+max": lambda w: np.concatenate([w.mean(0), w.max(0)]),
}
for pool_name, pool in pools.items():
    tx, ty = songs("train", pool)
    vx, vy = songs("valid", pool)
    models = {
        **{
            f"logreg C={c} balanced": LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
            for c in (0.03, 0.1, 0.3)
        },
        **{f"logreg C={c}": LogisticRegression(C=c, max_iter=5000) for c in (0.1,)},
        **{f"svc rbf C={c}": SVC(C=c, class_weight="balanced") for c in (1, 3, 10)},
        **{f"svc linear C={c}": SVC(C=c, kernel="linear", class_weight="balanced") for c in (0.001, 0.01)},
    }
    for name, model in models.items():
        predicted = make_pipeline(FlooredStandardScaler(), model).fit(tx, ty).predict(vx)
        print(
            f"{pool_name:9s} {name:26s} song {accuracy_score(vy, predicted):.3f}"
            f" bal {balanced_accuracy_score(vy, predicted):.3f}",
            flush=True,
        )
