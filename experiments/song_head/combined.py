"""Song-mean heads on MSD, MTT and MSD+MTT musicnn embeddings (from embed.py and embed_mtt.py), on valid songs."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score
from sklearn.pipeline import make_pipeline

from genre_trainer.models.scaling import FlooredStandardScaler
from genre_trainer.models.transfer import song_means

msd = np.load("var/song_head/embeddings.npz", allow_pickle=True)
mtt = np.load("var/song_head/embeddings-mtt.npz", allow_pickle=True)
assert all((msd[f"{p}_songs"] == mtt[f"{p}_songs"]).all() for p in ("train", "valid"))


def part(p, which):
    x = np.concatenate([a[f"{p}_embeddings"] for a in which], axis=1)
    return song_means(x, msd[f"{p}_labels"], msd[f"{p}_songs"])


for name, which in {"MSD": [msd], "MTT": [mtt], "MSD+MTT": [msd, mtt]}.items():
    tx, ty = part("train", which)
    vx, vy = part("valid", which)
    for c in (0.01, 0.03, 0.1, 0.3, 1.0):
        head = make_pipeline(FlooredStandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=5000))
        predicted = head.fit(tx, ty).predict(vx)
        print(
            f"{name:8s} C={c:<5} song {accuracy_score(vy, predicted):.3f}"
            f" bal {balanced_accuracy_score(vy, predicted):.3f}"
            f" F1 {f1_score(vy, predicted, average='macro'):.3f}",
            flush=True,
        )
