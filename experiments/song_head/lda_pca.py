"""Other linear heads on the song-mean musicnn embeddings (embed.py): shrinkage LDA, PCA-whitened regression."""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.pipeline import make_pipeline

from genre_trainer.models.scaling import FlooredStandardScaler
from genre_trainer.models.transfer import song_means

msd = np.load("var/song_head/embeddings.npz", allow_pickle=True)
tx, ty = song_means(msd["train_embeddings"], msd["train_labels"], msd["train_songs"])
vx, vy = song_means(msd["valid_embeddings"], msd["valid_labels"], msd["valid_songs"])


def show(name: str, head) -> None:
    p = head.fit(tx, ty).predict(vx)
    print(f"{name:40s} song {accuracy_score(vy, p):.3f} bal {balanced_accuracy_score(vy, p):.3f}", flush=True)


for sh in ("auto", 0.1, 0.3, 0.5, 0.7, 0.9):
    lda = LinearDiscriminantAnalysis(solver="lsqr", shrinkage=sh)
    show(f"LDA shrinkage {sh}", make_pipeline(FlooredStandardScaler(), lda))
for k in (32, 64, 128, 200):
    for c in (0.1, 1.0):
        regression = LogisticRegression(C=c, class_weight="balanced", max_iter=5000)
        show(
            f"PCA {k} + LR C {c}",
            make_pipeline(FlooredStandardScaler(), PCA(k, whiten=True, random_state=0), regression),
        )
