"""TRAINING.md: how an artifact was made, in words, written beside it by the run that made it.

Generated rather than hand-written so that the command, the timings and the figures cannot drift
from the manifest they describe.
"""

from __future__ import annotations

import os
import platform

from genre_core.manifest import EvaluationMetrics, ModelManifest

REPORT_FILE = "TRAINING.md"
HISTORY_COLUMNS = ("loss", "accuracy", "val_window_accuracy", "val_song_accuracy")


def machine_description() -> str:
    """E.g. `2-core CPU (x86_64, Linux), no GPU`: what the timings were measured on."""
    return f"{os.cpu_count()}-core CPU ({platform.machine()}, {platform.system()}), no GPU"


def render_report(
    manifest: ModelManifest,
    command: str,
    wall_seconds: float,
    epochs_run: int,
    max_epochs: int,
    software: str,
    history: dict[str, list[float]] | None = None,
) -> str:
    """The markdown of TRAINING.md; `history` is Keras's per-epoch logs, shown so the epoch choice can be judged."""
    training = manifest.training
    kept = f"kept epoch {training.epochs}" if manifest.metrics is not None else "kept the last epoch"
    parts = ", ".join(
        f"{part} {songs} songs / {training.windows_per_split.get(part, 0)} windows"
        for part, songs in training.songs_per_split.items()
    )
    lines = [
        f"# Training record: {manifest.name} {manifest.version}",
        "",
        "Command (from the repository root, in its virtualenv):",
        "",
        f"    {command}",
        "",
        f"- Machine: {machine_description()}; {software}.",
        f"- Wall time of the whole command (decoding, training, evaluation, export): {wall_seconds / 60:.1f} min.",
        f"- Training: {epochs_run} of at most {max_epochs} epochs in {training.training_seconds:.0f} s "
        f"({training.training_seconds / max(epochs_run, 1):.1f} s per epoch, validation included); {kept}.",
        f"- Data: `{training.dataset}`, split `{training.split}`: {parts}; "
        f"trained on {' + '.join(training.trained_on)}; seed {training.seed}.",
        f"- Skipped files: {', '.join(training.skipped_files) or 'none'}.",
        f"- Model: {manifest.parameters:,} parameters, `{manifest.model_file}` {manifest.model_bytes / 1e6:.2f} MB, "
        f"created {manifest.created_at:%Y-%m-%d %H:%M} UTC.",
        "",
    ]
    lines += _metrics_section(manifest.metrics, manifest.labels)
    lines += _history_section(history or {})
    return "\n".join(lines) + "\n"


def _metrics_section(metrics: EvaluationMetrics | None, labels: list[str]) -> list[str]:
    if metrics is None:
        return ["No held-out figures: every song with a label was used for training.", ""]
    lines = [
        f"## Figures on `{metrics.split}` ({metrics.songs} songs, {metrics.windows} windows)",
        "",
        "Copied from `manifest.json`. The same songs chose the kept epoch, so these figures are somewhat",
        "optimistic; genres with two or three songs here say little.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| song accuracy | {metrics.song_accuracy:.4f} |",
        f"| song balanced accuracy | {metrics.song_balanced_accuracy:.4f} |",
        f"| song macro F1 | {metrics.song_macro_f1:.4f} |",
        f"| window accuracy | {metrics.window_accuracy:.4f} |",
        f"| window macro F1 | {metrics.window_macro_f1:.4f} |",
        "",
        "| genre | precision | recall | F1 | songs |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {genre} | {scores.precision:.3f} | {scores.recall:.3f} | {scores.f1:.3f} | {scores.support} |"
        for genre, scores in metrics.per_genre.items()
    ]
    lines += ["", "Confusion matrix (songs; rows true, columns predicted):", ""]
    lines += ["| true \\ predicted | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    lines += [
        f"| {label} | " + " | ".join(str(count) for count in row) + " |"
        for label, row in zip(labels, metrics.confusion_matrix, strict=True)
    ]
    return [*lines, ""]


def _history_section(history: dict[str, list[float]]) -> list[str]:
    columns = [name for name in HISTORY_COLUMNS if name in history]
    if not columns:
        return []
    lines = ["## Epochs", "", "| epoch | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for epoch, values in enumerate(zip(*(history[name] for name in columns), strict=True), start=1):
        lines.append(f"| {epoch} | " + " | ".join(f"{value:.4f}" for value in values) + " |")
    return [*lines, ""]
