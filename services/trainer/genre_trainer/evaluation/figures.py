"""The report's pictures (PNG, matplotlib without a display).

One function per kind of figure; each takes plain figures (no model) and writes one file, so the same
code draws the ladder's report and `evaluate`'s figures for a shipped artifact.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only; must precede pyplot

import matplotlib.pyplot as plt
import numpy as np
from sklearn.metrics import roc_curve

DPI = 100


def confusion_figure(matrix: Sequence[Sequence[int]], labels: Sequence[str], title: str, path: Path) -> Path:
    """Row-normalized confusion matrix (each true genre's songs sum to 1), counts in the cells."""
    counts = np.asarray(matrix, dtype=float)
    totals = counts.sum(axis=1, keepdims=True)
    shares = np.divide(counts, totals, out=np.zeros_like(counts), where=totals > 0)
    figure, axes = plt.subplots(figsize=(6.5, 5.5))
    image = axes.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    for row, column in np.ndindex(shares.shape):
        if counts[row, column]:
            color = "white" if shares[row, column] > 0.6 else "black"
            axes.text(
                column,
                row,
                f"{shares[row, column]:.2f}\n({counts[row, column]:.0f})",
                ha="center",
                va="center",
                fontsize=7,
                color=color,
            )
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    axes.set_yticks(range(len(labels)), labels)
    axes.set_xlabel("predicted genre")
    axes.set_ylabel("true genre")
    axes.set_title(title)
    figure.colorbar(image, ax=axes, fraction=0.046, label="share of the true genre's songs")
    return _save(figure, path)


def f1_figure(f1_by_genre: dict[str, float], support: dict[str, int], title: str, path: Path) -> Path:
    """Per-genre song-level F1, with each genre's song count, which says how much a bar can be trusted."""
    genres = list(f1_by_genre)
    figure, axes = plt.subplots(figsize=(7, 3.5))
    bars = axes.bar(genres, [f1_by_genre[genre] for genre in genres], color="tab:blue")
    for bar, genre in zip(bars, genres, strict=True):
        axes.annotate(
            f"n={support[genre]}",
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            ha="center",
            va="bottom",
            fontsize=7,
        )
    axes.set_ylim(0, 1.1)
    axes.set_ylabel("F1 (songs)")
    axes.set_title(title)
    axes.tick_params(axis="x", rotation=45)
    return _save(figure, path)


def roc_figure(probabilities: np.ndarray, true: np.ndarray, labels: Sequence[str], title: str, path: Path) -> Path:
    """One-vs-rest ROC curve per genre (song level); genres without positives or negatives are left out."""
    figure, axes = plt.subplots(figsize=(5.5, 5))
    for index, label in enumerate(labels):
        positives = np.asarray(true) == index
        if positives.any() and not positives.all():
            false_rate, true_rate, _ = roc_curve(positives, probabilities[:, index])
            axes.plot(false_rate, true_rate, label=label, linewidth=1.2)
    axes.plot([0, 1], [0, 1], color="grey", linestyle=":", linewidth=1)
    axes.set_xlabel("false positive rate")
    axes.set_ylabel("true positive rate")
    axes.set_title(title)
    axes.legend(fontsize=7, loc="lower right")
    return _save(figure, path)


def training_figure(history: dict[str, list[float]], title: str, path: Path, best_epoch: int | None = None) -> Path:
    """Loss and accuracies per epoch, with the kept epoch marked: shows over-fitting and the selection."""
    figure, (loss_axes, accuracy_axes) = plt.subplots(1, 2, figsize=(9, 3.5))
    epochs = np.arange(1, len(history.get("loss", [])) + 1)
    loss_axes.plot(epochs, history.get("loss", []), label="train loss")
    for name in ("accuracy", "val_window_accuracy", "val_song_accuracy"):
        if name in history:
            accuracy_axes.plot(epochs, history[name], label=name.replace("_", " "))
    for axes in (loss_axes, accuracy_axes):
        axes.set_xlabel("epoch")
        if best_epoch:
            axes.axvline(best_epoch, color="grey", linestyle=":", label=f"kept epoch {best_epoch}")
        axes.legend(fontsize=7)
    loss_axes.set_ylabel("loss")
    accuracy_axes.set_ylabel("accuracy")
    figure.suptitle(title)
    return _save(figure, path)


def comparison_figure(rows: dict[str, dict[str, float]], title: str, path: Path, ylabel: str = "accuracy") -> Path:
    """Grouped bars: one group per model, one bar per series (e.g. song vs window accuracy, honest vs leaky)."""
    models = list(rows)
    series = list(dict.fromkeys(name for values in rows.values() for name in values))
    width = 0.8 / max(len(series), 1)
    figure, axes = plt.subplots(figsize=(max(6, 0.9 * len(models) + 2), 4))
    for offset, name in enumerate(series):
        positions = np.arange(len(models)) + (offset - (len(series) - 1) / 2) * width
        values = [rows[model].get(name, np.nan) for model in models]
        bars = axes.bar(positions, values, width, label=name)
        axes.bar_label(bars, fmt="%.2f", fontsize=6)
    axes.set_xticks(range(len(models)), models, rotation=30, ha="right")
    axes.set_ylim(0, 1.1)
    axes.set_ylabel(ylabel)
    axes.set_title(title)
    axes.legend(fontsize=8)
    return _save(figure, path)


def _save(figure: plt.Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.tight_layout()
    figure.savefig(path, dpi=DPI)
    plt.close(figure)
    return path
