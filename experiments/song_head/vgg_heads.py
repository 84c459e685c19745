"""Song-mean heads on MSD_vgg features (embed_vgg.py), alone and beside the served musicnn embedding (embed.py)."""

from __future__ import annotations

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score, f1_score
from sklearn.pipeline import make_pipeline

from genre_trainer.models.scaling import FlooredStandardScaler
from genre_trainer.models.transfer import song_means

msd = np.load("var/song_head/embeddings.npz", allow_pickle=True)
vgg = np.load("var/song_head/embeddings-MSD_vgg.npz", allow_pickle=True)
assert all((msd[f"{p}_songs"] == vgg[f"{p}_songs"]).all() for p in ("train", "valid"))


def features(p: str, names: list[str]) -> np.ndarray:
    return np.concatenate([msd[f"{p}_embeddings"] if n == "musicnn" else vgg[f"{p}_{n}"] for n in names], axis=1)


SETS = [["pool5"], ["pool4"], ["pool3"], ["pool3", "pool4", "pool5"], ["musicnn"], ["musicnn", "pool5"],
        ["musicnn", "pool4"], ["musicnn", "pool3", "pool4", "pool5"]]  # fmt: skip
for names in SETS:
    tx, ty = song_means(features("train", names), msd["train_labels"], msd["train_songs"])
    vx, vy = song_means(features("valid", names), msd["valid_labels"], msd["valid_songs"])
    for c in (0.01, 0.03, 0.1, 0.3, 1.0):
        head = make_pipeline(FlooredStandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=5000))
        predicted = head.fit(tx, ty).predict(vx)
        print(
            f"{'+'.join(names):28s} C={c:<5} song {accuracy_score(vy, predicted):.3f}"
            f" bal {balanced_accuracy_score(vy, predicted):.3f}"
            f" F1 {f1_score(vy, predicted, average='macro'):.3f}",
            flush=True,
        )
