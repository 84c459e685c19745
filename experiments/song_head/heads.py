"""Song-level heads on the served musicnn embeddings (from embed.py), scored on the validation songs."""

from __future__ import annotations

import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, balanced_accuracy_score
from sklearn.pipeline import make_pipeline

from genre_trainer.models.scaling import FlooredStandardScaler

arrays = np.load(sys.argv[1] if len(sys.argv) > 1 else "var/song_head/embeddings.npz", allow_pickle=True)
tx, ty, ts = arrays["train_embeddings"], arrays["train_labels"], arrays["train_songs"]
vx, vy, vs = arrays["valid_embeddings"], arrays["valid_labels"], arrays["valid_songs"]


def song_means(x, y, s):
    ids = np.unique(s)
    return np.stack([x[s == i].mean(0) for i in ids]), np.array([y[s == i][0] for i in ids]), ids


def subset_means(x, y, s, per_song, rng):
    """Means of random subsets (1..all windows) of each song's windows: a head for one window up to a song."""
    xs, ys = [], []
    for i in np.unique(s):
        rows = np.flatnonzero(s == i)
        for _ in range(per_song):
            k = rng.integers(1, len(rows) + 1)
            xs.append(x[rng.choice(rows, k, replace=False)].mean(0))
            ys.append(y[rows[0]])
    return np.stack(xs), np.array(ys)


def score(head, name):
    _, vsy, _ = song_means(vx, vy, vs)
    logits = head.decision_function(vx)
    ids = np.unique(vs)
    mean_logit = np.stack([logits[vs == i].mean(0) for i in ids]).argmax(1)
    prob = head.predict_proba(vx)
    mean_prob = np.stack([prob[vs == i].mean(0) for i in ids]).argmax(1)
    window = accuracy_score(vy, prob.argmax(1))
    print(
        f"{name:40s} song(mean logit) {accuracy_score(vsy, mean_logit):.3f}"
        f" bal {balanced_accuracy_score(vsy, mean_logit):.3f}"
        f" | song(mean prob) {accuracy_score(vsy, mean_prob):.3f} bal {balanced_accuracy_score(vsy, mean_prob):.3f}"
        f" | window {window:.3f}",
        flush=True,
    )


def head(c):
    return make_pipeline(FlooredStandardScaler(), LogisticRegression(C=c, class_weight="balanced", max_iter=5000))


for c in (0.003, 0.01, 0.03):
    score(head(c).fit(tx, ty), f"window head C={c}")
sx, sy, _ = song_means(tx, ty, ts)
for c in (0.01, 0.03, 0.1, 0.3, 1.0):
    score(head(c).fit(sx, sy), f"song-mean head C={c}")
rng = np.random.default_rng(1234)
ax, ay = subset_means(tx, ty, ts, 20, rng)
for c in (0.003, 0.01, 0.03, 0.1):
    score(head(c).fit(ax, ay), f"subset-mean head (20/song) C={c}")
