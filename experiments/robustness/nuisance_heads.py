"""Genre heads compared on the song means of `dump_song_means.py`: the head (standardised, class-balanced
logistic regression on the songs and their mastered copies) after the directions in which mastering moves a song's
embedding (the principal directions of the training songs' copy - clean differences) are removed (the top k,
nuisance attribute projection, as speaker verification removes channel directions) or damped by their variance
(:class:`NuisanceShrinkage`, shipped).

Scored on GTZAN's validation songs, clean and under each robustness condition, and by the artist-disjoint
cross-validation over the extra songs: clean, and the held-out fold's own mastered and codec copies by kind.

    .venv/bin/python experiments/robustness/nuisance_heads.py var/experiments/song-means.npz [k,C,weight[,kind...] ...]

k: an integer (that many directions removed), `s<strength>` (every direction damped), `<k>s<strength>` (both),
or `a+b+c` (the logits of the heads removing a, b and c directions averaged). Further fields add copies to the
shipped ones (`mastering.AUGMENTATIONS`): `codecs` the codec copies (`mastering.CODECS`), any other name the
copies of that kind in the dump (e.g. `limit-random-2`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import balanced_accuracy_score, log_loss

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from genre_trainer.data.mastering import AUGMENTATIONS, CODECS, COPY_SEPARATOR
from genre_trainer.models.nuisance import NuisanceShrinkage
from genre_trainer.models.scaling import FlooredStandardScaler


class ProjectedHead:
    """The shipped head (`transfer.fit_head`) with its number of directions `k`, its C and the extra songs' weight
    as parameters, fit on song means with the copies given apart (`k` as in the module's docstring)."""

    def __init__(self, k: int | str, c: float, weight_extra: float = 1.0) -> None:
        self.k, self.c, self.weight_extra = k, c, weight_extra

    def _projection(self) -> NuisanceShrinkage:
        if isinstance(self.k, str) and "s" in self.k:  # "s<beta>" or "<removed>s<beta>"
            removed, beta = self.k.split("s")
            return NuisanceShrinkage(float(beta), int(removed or 0))
        return NuisanceShrinkage(0.0, removed=int(self.k))

    def fit(
        self,
        x: np.ndarray,
        y: np.ndarray,
        copies_x: np.ndarray,
        copies_y: np.ndarray,
        origin_rows: np.ndarray,
        extra: np.ndarray,
    ) -> ProjectedHead:
        """`origin_rows[i]`: the row of `x` copy i was made from (-1: none in x); `extra`: rows of the extra songs."""
        if isinstance(self.k, str) and "+" in self.k:
            self.members = [
                ProjectedHead(int(k), self.c, self.weight_extra).fit(x, y, copies_x, copies_y, origin_rows, extra)
                for k in self.k.split("+")
            ]
            return self
        self.members = []
        self.scaler = FlooredStandardScaler().fit(np.concatenate([x, copies_x]))
        z, zc = self.scaler.transform(x), self.scaler.transform(copies_x)
        has = origin_rows >= 0
        self.projection = self._projection().fit(zc[has] - z[origin_rows[has]])
        # weight_extra 0: each dataset weighs as much as the other in total.
        weight = self.weight_extra or (np.sum(~extra) / max(np.sum(extra), 1))
        row_weights = np.where(extra, weight, 1.0)
        copy_weights = np.where(has, row_weights[np.maximum(origin_rows, 0)], 1.0)
        self.regression = LogisticRegression(C=self.c, class_weight="balanced", max_iter=5000)
        self.regression.fit(
            self.projection.transform(np.concatenate([z, zc])),
            np.r_[y, copies_y],
            sample_weight=np.r_[row_weights, copy_weights],
        )
        return self

    def logits(self, x: np.ndarray) -> np.ndarray:
        if self.members:
            return np.mean([member.logits(x) for member in self.members], axis=0)
        return self.regression.decision_function(self.projection.transform(self.scaler.transform(x)))

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        return softmax(self.logits(x), axis=1)

    @property
    def classes_(self) -> np.ndarray:
        return self.members[0].classes_ if self.members else self.regression.classes_

    def log_loss(self, x: np.ndarray, y: np.ndarray) -> float:
        return float(log_loss(y, self.probabilities(x), labels=self.classes_))

    def predict(self, x: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.probabilities(x), 1)]


def origin_rows(origins: np.ndarray, songs: np.ndarray) -> np.ndarray:
    row_of = {song: i for i, song in enumerate(songs)}
    return np.array([row_of.get(origin, -1) for origin in origins])


def main(path: Path) -> None:
    data = np.load(path, allow_pickle=False)
    x, y, songs, fold = data["train:x"], data["train:y"], data["train:songs"], data["train:fold"]
    all_cx, all_cy, all_corigin = data["copies_train:x"], data["copies_train:y"], data["copies_train:origin"]
    copy_kind = np.array([str(song).rsplit(COPY_SEPARATOR, 1)[1] for song in data["copies_train:songs"]])
    conditions = sorted({key.rsplit(":", 1)[0] for key in data.files if key.startswith(("clip:", "joined:"))})
    print("conditions", conditions)
    grid = [
        (
            int(fields[0]) if fields[0].isdigit() else fields[0],
            float(fields[1]),
            float(fields[2]),
            tuple(fields[3:]),
        )
        for fields in (item.split(",") for item in sys.argv[2:])
    ] or [(k, 0.1, 1.0, ()) for k in (0, 1, 2, 4, 8, 16, 32)]
    for k, c, w, added in grid:
        kinds = [*AUGMENTATIONS, *(name for name in added if name != "codecs")]
        kinds += list(CODECS) if "codecs" in added else []
        keep_copy = np.isin(copy_kind, kinds)
        cx, cy, corigin = all_cx[keep_copy], all_cy[keep_copy], all_corigin[keep_copy]
        head = ProjectedHead(k, c, w).fit(x, y, cx, cy, origin_rows(corigin, songs), fold >= 0)
        figures = {}
        valid = head.predict(data["valid:x"])
        figures["valid"] = (np.mean(valid == data["valid:y"]), balanced_accuracy_score(data["valid:y"], valid))
        losses = [head.log_loss(data[f"{n}:x"], data[f"{n}:y"]) for n in conditions if n.startswith("clip:")]
        figures["loss"] = (head.log_loss(data["valid:x"], data["valid:y"]), float(np.mean(losses)))
        for condition in conditions:
            predicted = head.predict(data[f"{condition}:x"])
            figures[condition] = np.mean(predicted == data[f"{condition}:y"])
        # artist-disjoint CV over the extra songs
        truth, guesses, cv_losses = [], [], []
        # The held-out fold's own copies (of every kind in the dump, trained on or not), by copy kind:
        # how much each transformation moves real recordings of artists the head never heard.
        copy_right: dict[str, list[bool]] = {}
        for f in sorted(set(fold[fold >= 0])):
            keep = fold != f
            kept_copies = np.isin(corigin, songs[keep])
            fold_head = ProjectedHead(k, c, w).fit(
                x[keep],
                y[keep],
                cx[kept_copies],
                cy[kept_copies],
                origin_rows(corigin[kept_copies], songs[keep]),
                fold[keep] >= 0,
            )
            held = fold == f
            guesses += list(fold_head.predict(x[held]))
            cv_losses.append(fold_head.log_loss(x[held], y[held]) * held.sum())
            truth += list(y[held])
            held_copies = np.isin(all_corigin, songs[held])
            right = fold_head.predict(all_cx[held_copies]) == all_cy[held_copies]
            for kind, is_right in zip(copy_kind[held_copies], right, strict=True):
                copy_right.setdefault(str(kind), []).append(bool(is_right))
        truth, guesses = np.array(truth), np.array(guesses)
        cv_clean = np.mean(truth == guesses)
        cv_drops = {kind: np.mean(rights) - cv_clean for kind, rights in sorted(copy_right.items())}
        figures["cv"] = (np.mean(truth == guesses), balanced_accuracy_score(truth, guesses))
        figures["cv_loss"] = sum(cv_losses) / len(truth)
        clean_clip = figures.get("clip:clean", np.nan)
        drops = [(figures[n] - clean_clip, n) for n in conditions if n.startswith("clip:")]
        worst = min(drops)
        mean_drop = np.mean([drop for drop, _ in drops])
        print(
            f"k={k!s:>8} C={c:<5} w={w:<4} {' '.join(f'+{name}' for name in added)} "
            f"valid {figures['valid'][0]:.3f}/{figures['valid'][1]:.3f} "
            f"cv {figures['cv'][0]:.3f}/{figures['cv'][1]:.3f} clip clean {clean_clip:.3f} "
            f"worst {worst[0] * 100:+.1f} ({worst[1]}) mean drop {mean_drop * 100:+.2f} "
            f"loss valid {figures['loss'][0]:.3f} conds {figures['loss'][1]:.3f} cv {figures['cv_loss']:.3f} "
            + " ".join(f"{n.split(':', 1)[0][0]}:{n.split(':', 1)[1][:10]}={figures[n]:.3f}" for n in conditions)
            + f" | cv copies worst {min(cv_drops.values()) * 100:+.1f}"
            + f" mean {np.mean(list(cv_drops.values())) * 100:+.2f} "
            + " ".join(f"{kind}={drop * 100:+.1f}" for kind, drop in cv_drops.items()),
            flush=True,
        )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
