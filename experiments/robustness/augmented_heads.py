"""Genre heads fit on song means of GTZAN's train songs, plain or with augmented copies (augment.py), scored on
the validation conditions of embed.py with the music detector and silence screening.

    .venv/bin/python experiments/robustness/augmented_heads.py var/robustness/bs1770-screened.npz \
        var/robustness/augment-20.npz
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from heads import song_scores

from genre_trainer.models import transfer
from genre_trainer.models.music_detector import fit_detector
from genre_trainer.models.scaling import FlooredStandardScaler

RECIPES = {
    "clean": ["clean"],
    "+limit": ["clean", "limit+9", "limit+15"],
    "+limit+compress": ["clean", "limit+9", "limit+15", "compress"],
    "+tilt": ["clean", "bright", "dark"],
    "+noise": ["clean", "noise"],
    "all": ["clean", "limit+9", "limit+15", "compress", "bright", "dark", "noise"],
}


def main(conditions_path: Path, augment_path: Path) -> None:
    conditions = np.load(conditions_path)
    augmented = np.load(augment_path)
    detector = fit_detector(conditions["train_embeddings"], conditions["nonmusic_embeddings"])
    names = sorted({key.rsplit(":", 1)[0] for key in conditions.files if key.count(":") == 2})
    for C in (0.1,):
        for recipe, versions in RECIPES.items():
            rows, labels = [], []
            for version in versions:
                means, song_labels = transfer.song_means(
                    augmented[f"train:{version}:embeddings"],
                    augmented[f"train:{version}:labels"],
                    augmented[f"train:{version}:songs"],
                )
                rows.append(means)
                labels.append(song_labels)
            head = make_pipeline(
                FlooredStandardScaler(), LogisticRegression(C=C, class_weight="balanced", max_iter=5000)
            ).fit(np.concatenate(rows), np.concatenate(labels))
            line = [f"{recipe:<16} C {C}"]
            for name in names:
                e, s, sil, lab = (conditions[f"{name}:{k}"] for k in ("embeddings", "songs", "silent", "labels"))
                acc, bal = song_scores(head, detector, e, s, lab, sil)
                line.append(f"{name.replace('clip:', '')} {acc:.3f}/{bal:.2f}")
            print(" | ".join(line), flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
