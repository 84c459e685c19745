"""The ladder's report folder: `report.json` (the figures), `report.md` (the same, for people), and PNGs.

`report.md` is rendered from the same :class:`LadderReport` that is written as JSON, so the two cannot
disagree; both are regenerated whole by every `run-all`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

from genre_trainer.evaluation.evaluate import Evaluation
from genre_trainer.evaluation.figures import comparison_figure, confusion_figure, f1_figure, roc_figure, training_figure
from genre_trainer.training.ladder import ModelResult

REPORT_JSON = "report.json"
REPORT_MD = "report.md"


class ModelEntry(BaseModel):
    name: str
    family: str
    inputs: str
    description: str
    training_seconds: float
    parameters: int | None
    size_bytes: int
    epochs_run: int | None = None
    best_epoch: int | None = None
    evaluation: Evaluation


class LeakyEntry(BaseModel):
    """One model trained twice on the same songs: split by song (honest) and by window (leaky)."""

    name: str
    honest_song_accuracy: float
    leaky_song_accuracy: float
    honest_window_accuracy: float
    leaky_window_accuracy: float


class SkippedFile(BaseModel):
    name: str
    reason: str


class LadderReport(BaseModel):
    created_at: datetime
    command: str
    machine: str
    software: str
    wall_seconds: float
    dataset: str
    split: str
    seed: int
    labels: list[str]
    window_options: dict[str, object]
    counts: dict[str, dict[str, dict[str, int]]]
    """part -> genre -> {"songs": n, "windows": n}."""
    files_total: int
    skipped: list[SkippedFile]
    models: list[ModelEntry]
    leaky: list[LeakyEntry] = []


def model_entry(result: ModelResult) -> ModelEntry:
    return ModelEntry(
        name=result.name,
        family=result.family,
        inputs=result.inputs,
        description=result.description,
        training_seconds=round(result.training_seconds, 2),
        parameters=result.parameters,
        size_bytes=result.size_bytes,
        epochs_run=result.epochs_run,
        best_epoch=result.best_epoch,
        evaluation=result.evaluation,
    )


def leaky_entry(honest: ModelResult, leaky: ModelResult) -> LeakyEntry:
    return LeakyEntry(
        name=honest.name,
        honest_song_accuracy=honest.evaluation.metrics.song_accuracy,
        leaky_song_accuracy=leaky.evaluation.metrics.song_accuracy,
        honest_window_accuracy=honest.evaluation.metrics.window_accuracy,
        leaky_window_accuracy=leaky.evaluation.metrics.window_accuracy,
    )


def write_texts(report: LadderReport, figures: Sequence[Path], folder: Path) -> list[Path]:
    """Write report.json and report.md (which links the `figures` already written) into `folder`."""
    (folder / REPORT_JSON).write_text(report.model_dump_json(indent=1) + "\n")
    (folder / REPORT_MD).write_text(render_markdown(report, [path.name for path in figures]))
    return [folder / REPORT_JSON, folder / REPORT_MD]


def write_figures(report: LadderReport, results: Sequence[ModelResult], folder: Path) -> list[Path]:
    labels = report.labels
    paths = [
        comparison_figure(
            {
                entry.name: {
                    "song accuracy": entry.evaluation.metrics.song_accuracy,
                    "window accuracy": entry.evaluation.metrics.window_accuracy,
                    "song macro F1": entry.evaluation.metrics.song_macro_f1,
                }
                for entry in report.models
            },
            f"All models on {report.split} ({report.dataset})",
            folder / "comparison.png",
        )
    ]
    for result in results:
        metrics = result.evaluation.metrics
        paths.append(
            confusion_figure(
                metrics.confusion_matrix, labels, f"{result.name}: songs", folder / f"confusion-{result.name}.png"
            )
        )
        paths.append(
            f1_figure(
                {genre: scores.f1 for genre, scores in metrics.per_genre.items()},
                {genre: scores.support for genre, scores in metrics.per_genre.items()},
                f"{result.name}: per-genre F1",
                folder / f"f1-{result.name}.png",
            )
        )
        if len(result.song_labels):
            paths.append(
                roc_figure(
                    result.song_probabilities,
                    result.song_labels,
                    labels,
                    f"{result.name}: ROC (songs)",
                    folder / f"roc-{result.name}.png",
                )
            )
        if result.history:
            paths.append(
                training_figure(
                    result.history,
                    f"{result.name}: training",
                    folder / f"training-{result.name}.png",
                    result.best_epoch,
                )
            )
    if report.leaky:
        paths.append(
            comparison_figure(
                {
                    entry.name: {
                        "honest (by song)": entry.honest_song_accuracy,
                        "leaky (by window)": entry.leaky_song_accuracy,
                    }
                    for entry in report.leaky
                },
                "Song accuracy: split by song vs split by window",
                folder / "leaky-vs-honest.png",
            )
        )
    return paths


def render_markdown(report: LadderReport, figure_names: Sequence[str]) -> str:
    lines = [
        f"# Model ladder on `{report.dataset}`",
        "",
        f"Generated by `{report.command}` on {report.created_at:%Y-%m-%d %H:%M} UTC.",
        "",
        f"- Machine: {report.machine}; {report.software}.",
        f"- Wall time of the whole run (features, {len(report.models)} models, leaky comparison, figures): "
        f"**{report.wall_seconds / 60:.1f} min**.",
        f"- Split: `{report.split}`, seed {report.seed}. Figures are on the **validation** part: the same songs chose "
        "the networks' kept epoch, so they are somewhat optimistic, and genres with two or three songs say little.",
        f"- Windows: {_options(report.window_options)}.",
        f"- Files: {report.files_total} found, {report.files_total - len(report.skipped)} usable, "
        f"{len(report.skipped)} skipped"
        + (": " + "; ".join(f"`{item.name}` ({item.reason})" for item in report.skipped) if report.skipped else "."),
        "",
        "## Comparison",
        "",
        "Song level: a song's windows combined by mean probability (musicnn-logreg: by mean log-probability), as "
        "the product classifies songs with each model. "
        "ROC-AUC is one-vs-rest, macro over genres, song level.",
        "",
        "| model | inputs | song acc. | song bal. acc. | song macro F1 | window acc. | window macro F1 | ROC-AUC "
        "| training s | parameters | size |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for entry in report.models:
        metrics = entry.evaluation.metrics
        auc = entry.evaluation.song_roc_auc.macro
        lines.append(
            f"| {entry.name} | {entry.inputs} | {metrics.song_accuracy:.3f} | {metrics.song_balanced_accuracy:.3f} "
            f"| {metrics.song_macro_f1:.3f} | {metrics.window_accuracy:.3f} | {metrics.window_macro_f1:.3f} "
            f"| {'—' if auc is None else f'{auc:.3f}'} | {entry.training_seconds:.1f} "
            f"| {'—' if entry.parameters is None else f'{entry.parameters:,}'} | {_size(entry.size_bytes)} |"
        )
    lines += ["", "![comparison](comparison.png)", ""]
    lines += _leaky_section(report)
    lines += _counts_section(report)
    lines += _per_model_section(report, set(figure_names))
    return "\n".join(lines) + "\n"


def _leaky_section(report: LadderReport) -> list[str]:
    if not report.leaky:
        return []
    lines = [
        "## Leaky split: what splitting windows instead of songs does",
        "",
        "The same models, trained again on the windows of the same train and valid songs, with each window "
        "assigned to train (80%) or valid (20%) at random (`--split leaky-windows`, the original study's way): "
        "nearly every validation song then has windows in training. The gain is not skill: the model recognises "
        "recordings it has heard. Figures are on the leaky validation windows and their songs.",
        "",
        "| model | song acc. honest | song acc. leaky | window acc. honest | window acc. leaky | inflation (song) |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {e.name} | {e.honest_song_accuracy:.3f} | {e.leaky_song_accuracy:.3f} | {e.honest_window_accuracy:.3f} "
        f"| {e.leaky_window_accuracy:.3f} | {e.leaky_song_accuracy - e.honest_song_accuracy:+.3f} |"
        for e in report.leaky
    ]
    return [*lines, "", "![leaky vs honest](leaky-vs-honest.png)", ""]


def _counts_section(report: LadderReport) -> list[str]:
    parts = list(report.counts)
    lines = [
        "## Data per genre and part (songs / windows)",
        "",
        "| genre | " + " | ".join(parts) + " |",
        "|---" * (len(parts) + 1) + "|",
    ]
    for label in report.labels:
        cells = [report.counts[part].get(label, {"songs": 0, "windows": 0}) for part in parts]
        lines.append(f"| {label} | " + " | ".join(f"{cell['songs']} / {cell['windows']}" for cell in cells) + " |")
    return [*lines, ""]


def _per_model_section(report: LadderReport, figures: set[str]) -> list[str]:
    lines = ["## Per model", ""]
    for entry in report.models:
        metrics = entry.evaluation.metrics
        auc = entry.evaluation.song_roc_auc.per_genre
        lines += [
            f"### {entry.name}: {entry.description}",
            "",
            "| genre | precision | recall | F1 | ROC-AUC | songs |",
            "|---|---|---|---|---|---|",
        ]
        lines += [
            f"| {genre} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} "
            f"| {'—' if auc.get(genre) is None else f'{auc[genre]:.3f}'} | {s.support} |"
            for genre, s in metrics.per_genre.items()
        ]
        lines.append("")
        if entry.epochs_run:
            lines += [f"Trained {entry.epochs_run} epochs, kept epoch {entry.best_epoch}.", ""]
        for prefix in ("confusion", "f1", "roc", "training"):
            name = f"{prefix}-{entry.name}.png"
            if name in figures:
                lines.append(f"![{prefix} {entry.name}]({name})")
        lines.append("")
    return lines


def _options(options: dict[str, object]) -> str:
    return ", ".join(f"{key} {value}" for key, value in options.items())


def _size(size_bytes: int) -> str:
    return f"{size_bytes / 1e6:.2f} MB" if size_bytes >= 100_000 else f"{size_bytes / 1e3:.1f} kB"
