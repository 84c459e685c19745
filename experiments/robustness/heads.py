"""Score genre heads, music detectors and song aggregations on the cached embeddings of embed.py.

.venv/bin/python experiments/robustness/heads.py var/robustness/bs1770-screened.npz
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import balanced_accuracy_score

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from genre_trainer.models import transfer
from genre_trainer.models.music_detector import fit_detector


def song_scores(head, detector, embeddings, songs, labels, silent, threshold=0.5, weighting="hard"):
    log_p = np.log(np.maximum(head.predict_proba(embeddings.astype(np.float64)), 1e-30))
    music = detector.predict_proba(embeddings.astype(np.float64))[:, 1] if detector is not None else np.ones(len(songs))
    predictions = []
    for song in np.unique(songs):
        rows = (songs == song) & ~silent
        if weighting == "hard":
            keep = rows & (music >= threshold)
            if not keep.any():
                keep = rows
            weights = keep.astype(float)
        else:
            weights = rows * music
        predictions.append(np.argmax((log_p * weights[:, None]).sum(0) / max(weights.sum(), 1e-9)))
    predictions = np.array(predictions)
    return float(np.mean(predictions == labels)), float(balanced_accuracy_score(labels, predictions))


def main(path: Path) -> None:
    data = np.load(path, allow_pickle=False)
    head = transfer.fit_head(data["train_embeddings"], data["train_labels"], data["train_songs"])
    valid_songs = data["valid_songs"]
    _, inverse = np.unique(valid_songs, return_inverse=True)
    song_labels = np.zeros(inverse.max() + 1, dtype=int)
    song_labels[inverse] = data["valid_labels"]
    detector = fit_detector(data["train_embeddings"], data["nonmusic_embeddings"])
    music_valid = detector.predict_proba(data["valid_embeddings"].astype(np.float64))[:, 1]
    print(f"valid music windows scored < 0.5: {np.mean(music_valid < 0.5):.4f} ({np.sum(music_valid < 0.5)})")
    for name, det in (("no detector", None), ("detector", detector)):
        print(
            name,
            "gtzan valid",
            song_scores(head, det, data["valid_embeddings"], inverse, song_labels, np.zeros(len(inverse), bool)),
        )
    conditions = sorted({key.rsplit(":", 1)[0] for key in data.files if key.count(":") == 2})
    for condition in conditions:
        e, s, sil, lab = (data[f"{condition}:{k}"] for k in ("embeddings", "songs", "silent", "labels"))
        m = detector.predict_proba(e.astype(np.float64))[:, 1]
        row = [f"{condition:<28}", f"left out {np.mean(sil):.2f} sil, {np.mean((m < 0.5) & ~sil):.2f} nm"]
        for name, det, weighting in (("none", None, "hard"), ("hard", detector, "hard"), ("soft", detector, "soft")):
            acc, bal = song_scores(
                head, det, e, s, lab, sil if det is not None else np.zeros(len(s), bool), weighting=weighting
            )
            row.append(f"{name} {acc:.3f}/{bal:.3f}")
        print(" | ".join(row))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
