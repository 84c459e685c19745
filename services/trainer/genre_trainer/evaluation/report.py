"""model-card.md: what an artifact is, how it was made and how good it is, written beside it by the run that made it.

Generated rather than hand-written so that the command, the timings and the figures cannot drift
from the manifest they describe. The confusion matrix is also drawn (`confusion.png`) next to it.
"""

from __future__ import annotations

import os
import platform
from pathlib import Path

from genre_core.manifest import EvaluationMetrics, ModelManifest
from genre_core.results import SongAggregation
from genre_core.tags import SHOWN_PERCENTILE
from genre_trainer.data.splits import GTZAN_FILTERED

REPORT_FILE = "model-card.md"
CONFUSION_FIGURE = "confusion.png"
CARD_FILES = (REPORT_FILE, CONFUSION_FIGURE)
"""The files besides the model and its manifest that travel with an artifact (when present)."""
HISTORY_COLUMNS = ("loss", "accuracy", "val_window_accuracy", "val_song_accuracy")


def machine_description() -> str:
    """E.g. `2-core CPU (x86_64, Linux), no GPU`: what the timings were measured on."""
    return f"{os.cpu_count()}-core CPU ({platform.machine()}, {platform.system()}), no GPU"


def write_confusion_figure(manifest: ModelManifest, directory: Path) -> Path | None:
    """Draw the manifest's song-level confusion matrix into `directory`; None without held-out figures."""
    if manifest.metrics is None:
        return None
    from genre_trainer.evaluation.figures import confusion_figure  # matplotlib: only when there is something to draw

    title = f"{manifest.name}: {manifest.metrics.split} songs ({manifest.metrics.songs})"
    return confusion_figure(manifest.metrics.confusion_matrix, manifest.labels, title, directory / CONFUSION_FIGURE)


def render_report(
    manifest: ModelManifest,
    command: str,
    wall_seconds: float,
    epochs_run: int,
    max_epochs: int,
    software: str,
    history: dict[str, list[float]] | None = None,
    measurement_epochs: int | None = None,
    model_description: str = "A small 2D CNN",
    fit_description: list[str] | None = None,
) -> str:
    """The markdown of model-card.md; `history` is Keras's per-epoch logs, shown so the epoch choice can be judged.

    `fit_description` replaces the lines on epochs and the weights kept, for a model not trained in epochs.
    """
    training = manifest.training
    params = manifest.feature_params
    if manifest.metrics is None:
        kept = "the last epoch"
    elif training.recipe.get("selection") == "last-epoch":
        kept = "the last epoch (validation songs did not choose it)"
    else:
        kept = f"epoch {training.epochs}, the best on validation songs"
    if fit_description is None:
        fit_description = [
            *_fit_lines(
                training.training_seconds, training.measurement_seconds, epochs_run, max_epochs, measurement_epochs
            ),
            f"- Weights kept: {kept}.",
        ]
    parts = ", ".join(
        f"{part} {songs} songs / {training.windows_per_split.get(part, 0)} windows"
        for part, songs in training.songs_per_split.items()
    )
    compression = "in dB" if params.compression == "db" else f"as log10(1 + {params.log1p_gain:g} x power)"
    lines = [
        f"# Model card: {manifest.name} {manifest.version}",
        "",
        f"{model_description} ({manifest.parameters:,} parameters, `{manifest.model_file}` "
        f"{manifest.model_bytes / 1e6:.2f} MB, LiteRT float32) that names the genre of "
        f"{params.window_seconds:g}-second windows of audio among {len(manifest.labels)} genres "
        f"({', '.join(manifest.labels)}). Input: a {params.n_mels}-band log-mel spectrogram {compression} "
        f"({params.sample_rate} Hz, FFT {params.n_fft}, hop {params.hop_length}: "
        f"{' x '.join(map(str, manifest.input_shape[:2]))} per window), computed by `genre_core`, the same code "
        f"in training and serving. {SONG_AGGREGATION_TEXT[manifest.song_aggregation]}",
        "",
    ]
    lines += _metrics_section(manifest.metrics, manifest.labels, training.songs_per_genre)
    lines += _cross_validation_section(manifest)
    lines += _datasets_section(manifest)
    lines += [
        "## How it was made",
        "",
        "Command (from the repository root, in its virtualenv):",
        "",
        f"    {command}",
        "",
        f"- Machine: {machine_description()}; {software}.",
        f"- Wall time of the whole command (decoding, training, evaluation, export): {wall_seconds / 60:.1f} min.",
        *fit_description,
        f"- Recipe: {_recipe(training.recipe)}.",
        f"- Data: `{training.dataset}`, split `{training.split}`: {parts}; "
        f"trained on {' + '.join(training.trained_on)}; seed {training.seed}.",
        f"- Skipped files: {', '.join(training.skipped_files) or 'none'}.",
        f"- Created {manifest.created_at:%Y-%m-%d %H:%M} UTC.",
        "",
    ]
    lines += _tags_section(manifest)
    lines += _limits_section(manifest)
    lines += _history_section(history or {})
    return "\n".join(lines) + "\n"


def _fit_lines(
    training_seconds: float,
    measurement_seconds: float | None,
    epochs_run: int,
    max_epochs: int,
    measurement_epochs: int | None,
) -> list[str]:
    if measurement_seconds is None or not measurement_epochs:
        return [
            f"- Training: {epochs_run} of at most {max_epochs} epochs in {training_seconds:.0f} s "
            f"({training_seconds / max(epochs_run, 1):.1f} s per epoch, validation included)."
        ]
    return [
        f"- Train-only fit (the figures above, the epoch table below): {measurement_epochs} epochs in "
        f"{measurement_seconds:.0f} s ({measurement_seconds / measurement_epochs:.1f} s per epoch, validation "
        "included).",
        f"- Refit on train + valid (the shipped weights): {epochs_run} epochs in {training_seconds:.0f} s "
        f"({training_seconds / max(epochs_run, 1):.1f} s per epoch).",
    ]


SONG_AGGREGATION_TEXT: dict[SongAggregation, str] = {
    "mean_probability": "A song's distribution is the mean of its windows' distributions.",
    "mean_log_probability": "A song's distribution is the normalised geometric mean of its windows' distributions "
    "(their log-probabilities averaged).",
}


def _metrics_section(
    metrics: EvaluationMetrics | None, labels: list[str], songs_per_genre: dict[str, dict[str, int]]
) -> list[str]:
    if metrics is None:
        return ["No held-out figures: every song with a label was used for training.", ""]
    trained = songs_per_genre.get("train", {})
    lines = [
        f"## Figures on `{metrics.split}` ({metrics.songs} songs, {metrics.windows} windows)",
        "",
        *(
            [
                "Copied from `manifest.json`. These are the figures of the same recipe and seed (and epoch count)",
                "fit on the training part only: the shipped weights were then refit on train + valid, so these",
                "songs are no longer unheard by them and no figure of the shipped weights on unheard songs exists",
                "here.",
            ]
            if metrics.measured_on == "train-only fit"
            else ["Copied from `manifest.json`. Songs of this part never trained the weights."]
        ),
        "They did choose between training recipes, so the figures are somewhat optimistic; genres with two or",
        "three songs here say little.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| song accuracy | {metrics.song_accuracy:.4f} |",
        f"| song balanced accuracy (mean of per-genre recalls) | {metrics.song_balanced_accuracy:.4f} |",
        f"| song macro F1 | {metrics.song_macro_f1:.4f} |",
        f"| window accuracy | {metrics.window_accuracy:.4f} |",
        f"| window macro F1 | {metrics.window_macro_f1:.4f} |",
        "",
        f"| genre | precision | recall | F1 | {metrics.split} songs | training songs |",
        "|---|---|---|---|---|---|",
    ]
    lines += [
        f"| {genre} | {scores.precision:.3f} | {scores.recall:.3f} | {scores.f1:.3f} | {scores.support} "
        f"| {trained.get(genre, '?')} |"
        for genre, scores in metrics.per_genre.items()
    ]
    lines += [
        "",
        f"![Confusion matrix]({CONFUSION_FIGURE})",
        "",
        "Confusion matrix (songs; rows true, columns predicted):",
    ]
    lines += ["", "| true \\ predicted | " + " | ".join(labels) + " |", "|---" * (len(labels) + 1) + "|"]
    lines += [
        f"| {label} | " + " | ".join(str(count) for count in row) + " |"
        for label, row in zip(labels, metrics.confusion_matrix, strict=True)
    ]
    return [*lines, ""]


def _cross_validation_section(manifest: ModelManifest) -> list[str]:
    figures = manifest.cross_validation
    if figures is None:
        return []
    lines = [
        f"## Figures on `{figures.split}` ({figures.songs} songs, {figures.windows} windows)",
        "",
        "Every song of the extra datasets trains the shipped weights. Here each is scored by the same recipe fit",
        "on everything else (the first dataset's training songs and the other folds, with their mastered copies",
        "where the recipe makes them), never on its own fold; an artist is in one fold only. The figures above on",
        "the first dataset's validation songs are of a model that heard all the extra songs.",
        "",
        "| figure | value |",
        "|---|---|",
        f"| song accuracy | {figures.song_accuracy:.4f} |",
        f"| song balanced accuracy (mean of per-genre recalls) | {figures.song_balanced_accuracy:.4f} |",
        f"| window accuracy | {figures.window_accuracy:.4f} |",
        "",
        "| genre | precision | recall | F1 | songs |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {genre} | {scores.precision:.3f} | {scores.recall:.3f} | {scores.f1:.3f} | {scores.support} |"
        for genre, scores in figures.per_genre.items()
        if scores.support
    ]
    return [*lines, ""]


def _datasets_section(manifest: ModelManifest) -> list[str]:
    datasets = manifest.training.datasets
    if len(datasets) < 2:
        return []
    parts = sorted({part for dataset in datasets for part in dataset.songs_per_genre})
    lines = ["## Datasets", "", "| dataset | split | " + " | ".join(f"{part} songs" for part in parts) + " |"]
    lines.append("|---|---|" + "---|" * len(parts))
    for dataset in datasets:
        counts = [sum(dataset.songs_per_genre.get(part, {}).values()) for part in parts]
        artists = f", {dataset.artists} artists" if dataset.artists else ""
        lines.append(f"| `{dataset.name}` | {dataset.split}{artists} | " + " | ".join(map(str, counts)) + " |")
    lines += ["", "Training songs per genre:", "", "| genre | " + " | ".join(d.name for d in datasets) + " |"]
    lines.append("|---|" + "---|" * len(datasets))
    for genre in manifest.labels:
        counts = [str(dataset.songs_per_genre.get("train", {}).get(genre, 0)) for dataset in datasets]
        lines.append(f"| {genre} | " + " | ".join(counts) + " |")
    return [*lines, ""]


def _tags_section(manifest: ModelManifest) -> list[str]:
    outputs = manifest.outputs
    if outputs is None or outputs.tags is None or outputs.tag_reference is None:
        return []
    reference = outputs.tag_reference
    return [
        "## Tags",
        "",
        f"- A third output, `{outputs.tags}`, from the same pass as the genre: musicnn's own scores of the "
        f"{len(outputs.tag_names or [])} most frequent last.fm tags of the Million Song Dataset (styles, eras, "
        "moods, voice and instruments). Crowd tags: noisy, unbalanced and Western-centric; the scores are not "
        "probabilities.",
        f"- A song's tag is ranked against {reference.songs} reference songs ({reference.description}); a result "
        f"lists the tags the song ranks in the top {100 - SHOWN_PERCENTILE:g} % on, and calls it outside the ten "
        "genres when styles the ten do not cover rank above nearly every reference song (docs/tags.md).",
        "",
    ]


def _limits_section(manifest: ModelManifest) -> list[str]:
    lines = [
        "## Known limits",
        "",
        f"- It only knows these {len(manifest.labels)} genres: any song is forced into one of them (there is no",
        "  'other'; the tags say when a song is probably none of them), and a song that mixes genres gets a mixed "
        "distribution, not a list."
        if manifest.outputs is not None and manifest.outputs.tags is not None
        else "  'other'), and a song that mixes genres gets a mixed distribution, not a list.",
        f"- It hears {manifest.feature_params.window_seconds:g} s at a time; the song's answer is an average over "
        "windows, so an intro or a bridge in another style pulls it (the timeline shows where).",
    ]
    if manifest.training.split == GTZAN_FILTERED:
        lines += [
            "- GTZAN's genres and era: 30-s excerpts of mostly 1980s-2000 Western recordings, ten songs or more",
            "  per artist for some genres; today's productions (trap, EDM, K-pop...) are outside what it saw.",
            "- GTZAN's faults: repeated clips, mislabelled and distorted excerpts, one corrupt file in common copies.",
            "  The fault-filtered, artist-disjoint split leaves the known ones out and keeps artists on one side.",
            "- Missing clips: only the train and valid parts were available; the test part is held out for",
            "  independent evaluation, so no test figure is given here. Disco, hip-hop, pop, reggae and rock are",
            "  short of songs (6-19 training songs; 2-13 validation songs): their figures are the least reliable.",
        ]
    return [*lines, ""]


def _recipe(recipe: dict[str, object]) -> str:
    if not recipe:
        return "fixed windows, class weights, best epoch on validation"
    return ", ".join(f"{name} {value}" for name, value in recipe.items())


def _history_section(history: dict[str, list[float]]) -> list[str]:
    columns = [name for name in HISTORY_COLUMNS if name in history]
    if not columns:
        return []
    lines = ["## Epochs", "", "| epoch | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    for epoch, values in enumerate(zip(*(history[name] for name in columns), strict=True), start=1):
        lines.append(f"| {epoch} | " + " | ".join(f"{value:.4f}" for value in values) + " |")
    return [*lines, ""]
