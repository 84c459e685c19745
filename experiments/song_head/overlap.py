"""Song-mean heads with back-to-back windows (3-s hop) or overlapping ones (1.5-s hop), on valid songs."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.pipeline import make_pipeline

from genre_trainer.models.scaling import FlooredStandardScaler
from genre_trainer.models.transfer import song_means

base = np.load("var/song_head/embeddings.npz", allow_pickle=True)
offset = np.load("var/song_head/embeddings-offset.npz", allow_pickle=True)


def part(p: str, grids: list) -> tuple[np.ndarray, np.ndarray]:
    x = np.concatenate([g[f"{p}_embeddings"] for g in grids])
    y = np.concatenate([g[f"{p}_labels"] for g in grids])
    s = np.concatenate([g[f"{p}_songs"] for g in grids])
    return song_means(x, y, s)


for train_name, train_grids in {"3-s hop": [base], "1.5-s hop": [base, offset]}.items():
    for valid_name, valid_grids in {"3-s hop": [base], "1.5-s hop": [base, offset]}.items():
        tx, ty = part("train", train_grids)
        vx, vy = part("valid", valid_grids)
        for c in (0.03, 0.1, 0.3):
            head = make_pipeline(
                FlooredStandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
            )
            predicted = head.fit(tx, ty).predict(vx)
            print(
                f"train {train_name:9s} valid {valid_name:9s} C={c:<4} song {accuracy_score(vy, predicted):.3f} "
                f"bal {balanced_accuracy_score(vy, predicted):.3f}",
                flush=True,
            )
