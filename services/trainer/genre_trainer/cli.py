"""The `genre-trainer` command.

`train` a model artifact (or one model of the ladder), `run-all` the whole model ladder into a report folder,
`prepare` a dataset (file check and feature cache), `download` GTZAN, `evaluate` an artifact on any dataset,
or `publish` an artifact to where the worker reads it.
"""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from genre_core.errors import PipelineError
from genre_core.manifest import MANIFEST_FILE
from genre_core.params import DEFAULT_FEATURE_PARAMS
from genre_core.preprocessing import PREPROCESSING_SETS
from genre_trainer.data.download import DEFAULT_GTZAN_URL
from genre_trainer.data.splits import SPLIT_CHOICES
from genre_trainer.data.windows import WindowOptions
from genre_trainer.errors import TrainerError
from genre_trainer.settings import TrainerSettings
from genre_trainer.training.recipe import SHIPPED_EPOCHS, SHIPPED_RECIPE, Augmentation, Recipe

MODEL_NAMES = (
    "nearest-centroid",
    "knn",
    "naive-bayes",
    "decision-tree",
    "random-forest",
    "linear-svm",
    "rbf-svm",
    "musicnn-logreg",
    "mlp",
    "cnn1d",
    "cnn2d",
    "cnn2d-shipped",
)
"""The ladder's models (genre_trainer.training.ladder.MODEL_NAMES, repeated: --help must not import TensorFlow)."""
SERVED_MODELS = ("cnn2d", "musicnn")
"""What `train --model` can write as an artifact the worker serves."""
DEFAULT_LEAKY_MODELS = (*MODEL_NAMES[:7], "mlp")
"""The classical models and the MLP: cheap to train twice."""

if TYPE_CHECKING:
    from genre_trainer.evaluation.ladder_report import LadderReport

logger = logging.getLogger("genre_trainer")


DEFAULT_PREPROCESSING = "bs1770-screened"


def build_parser(settings: TrainerSettings) -> argparse.ArgumentParser:
    """Flags, with defaults from `GENRE_*` variables (:class:`TrainerSettings`); a flag without one is required."""
    parser = argparse.ArgumentParser(prog="genre-trainer", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    train = commands.add_parser("train", help="Train on a folder-per-genre dataset and write a model artifact.")
    train.add_argument(
        "--data",
        type=Path,
        default=settings.data_dir,
        required=settings.data_dir is None,
        help="Dataset root: DIR/<genre>/* or DIR/genres/<genre>/* audio files [GENRE_DATA_DIR].",
    )
    train.add_argument(
        "--extra-data",
        type=Path,
        action="append",
        default=list(settings.extra_data_dirs),
        metavar="DIR",
        help="Another folder-per-genre dataset whose songs all train the model too (repeat for several). A "
        "manifest.csv or metadata.csv with file and artist columns keeps each artist in one of 5 folds; musicnn "
        "scores each fold by the recipe fit without it (the model card's cross-validation) [GENRE_EXTRA_DATA_DIRS].",
    )
    train.add_argument(
        "--out",
        type=Path,
        default=settings.artifact_dir,
        required=settings.artifact_dir is None,
        help="Artifact directory to create or replace [GENRE_ARTIFACT_DIR].",
    )
    train.add_argument(
        "--epochs",
        type=int,
        default=settings.epochs,
        help="Epochs (most epochs with --selection best-epoch, which stops when validation stops improving) "
        "[%(default)s].",
    )
    train.add_argument(
        "--seed", type=int, default=settings.seed, help="Seed of weights, shuffling and any random split [%(default)s]."
    )
    train.add_argument(
        "--patience",
        type=int,
        default=15,
        help="Epochs without a better validation song accuracy before stopping [%(default)s].",
    )
    train.add_argument(
        "--limit-per-genre",
        type=int,
        default=None,
        metavar="N",
        help="Use at most N songs per genre in each part of the split (quick trial runs).",
    )
    train.add_argument(
        "--train-on",
        choices=["train", "train+valid", "refit"],
        default="train",
        help="'train': fit on train, report (and with --selection best-epoch, select) on valid; 'train+valid': "
        "fit on both, with no held-out figures; 'refit': fit on train and report on valid, then fit the same "
        "recipe on train + valid and ship those weights with the train-only fit's figures [%(default)s].",
    )
    train.add_argument(
        "--model",
        choices=[*SERVED_MODELS, *(name for name in MODEL_NAMES if name not in SERVED_MODELS)],
        default="cnn2d",
        help="cnn2d: the 2D CNN trained from scratch; musicnn: pretrained musicnn with a genre head fit here "
        "(--seed, --train-on and --limit-per-genre apply; the recipe flags do not); both are written as an "
        "artifact to --out. Any other model of the ladder: trained and scored alone, with its report written "
        "to --out [%(default)s].",
    )
    train.add_argument(
        "--preprocessing",
        choices=list(PREPROCESSING_SETS),
        default=DEFAULT_PREPROCESSING,
        help="bs1770-screened: every song at -20 LUFS (ITU-R BS.1770) and windows of silence left out, in "
        "training as in serving; bs1770-limited: the same, each song first through a brick-wall limiter 9 dB "
        "above its loudness (a loud master and a dynamic one heard alike; not shipped, docs/robustness.md); "
        "none: the level as decoded, every window (models made before) [%(default)s].",
    )
    train.add_argument(
        "--music-detector",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="musicnn: also fit the music detector (speech, applause and noise windows do not vote) as a "
        "second output [%(default)s].",
    )
    train.add_argument(
        "--mastering",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="musicnn: the genre head and the music detector also see every training song limited, compressed, "
        "re-equalised, with hiss and with an audience (genre_trainer/data/mastering.py) [%(default)s].",
    )
    train.add_argument(
        "--tags",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="musicnn: also serve the network's own 50 Million Song Dataset tag scores as an output (the same "
        "pass), ranked against the training songs [%(default)s].",
    )
    train.add_argument(
        "--cross-validate",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="cnn2d: also score the --extra-data songs by an artist-disjoint cross-validation, training the network "
        "once more per fold (5 folds: about 5x the training time); musicnn always does, in seconds [%(default)s].",
    )
    train.add_argument(
        "--measurement-out",
        type=Path,
        default=None,
        metavar="DIR",
        help="With --train-on refit: also write the train-only fit, the model the validation figures are of, as "
        "an artifact in DIR (to test on validation songs, e.g. benchmarks/robustness.py).",
    )
    _add_recipe_arguments(train)
    _add_ladder_arguments(train)
    train.set_defaults(handler=_train)

    run_all = commands.add_parser("run-all", help="Train and score the whole model ladder; write a report folder.")
    run_all.add_argument(
        "--data",
        type=Path,
        default=settings.data_dir,
        required=settings.data_dir is None,
        help="Dataset folder, or a .csv/.json list of path,label [GENRE_DATA_DIR].",
    )
    run_all.add_argument("--report", type=Path, required=True, help="Report folder to create or replace.")
    run_all.add_argument("--seed", type=int, default=settings.seed, help="Seed of everything random [%(default)s].")
    run_all.add_argument("--models", default=",".join(MODEL_NAMES), help="Comma-separated models [all].")
    run_all.add_argument(
        "--leaky-models",
        default=",".join(DEFAULT_LEAKY_MODELS),
        help="Models trained again on the leaky window split for the comparison; '' for none [%(default)s].",
    )
    run_all.add_argument("--epochs", type=int, default=20, help="Most epochs of the 2D CNN [%(default)s].")
    run_all.add_argument("--epochs-cnn1d", type=int, default=30, help="Most epochs of the 1D CNN [%(default)s].")
    run_all.add_argument("--epochs-mlp", type=int, default=100, help="Most epochs of the MLP [%(default)s].")
    run_all.add_argument("--patience", type=int, default=15, help="Early-stopping patience [%(default)s].")
    run_all.add_argument(
        "--limit-per-genre", type=int, default=None, metavar="N", help="At most N songs per genre and part."
    )
    run_all.add_argument("--artifact", type=Path, default=None, help="Also export the 2D CNN as an artifact here.")
    _add_ladder_arguments(run_all)
    run_all.set_defaults(handler=_run_all)

    prepare = commands.add_parser(
        "prepare", help="Check every file of a dataset and compute (cache) its features; print a per-file report."
    )
    prepare.add_argument(
        "--data",
        type=Path,
        default=settings.data_dir,
        required=settings.data_dir is None,
        help="Dataset folder, or a .csv/.json list of path,label [GENRE_DATA_DIR].",
    )
    prepare.add_argument("--files-csv", type=Path, default=None, help="Also write the per-file report as CSV.")
    _add_ladder_arguments(prepare)
    prepare.set_defaults(handler=_prepare)

    download = commands.add_parser("download", help="Download and unpack GTZAN (genres.tar.gz) into --out/genres.")
    download.add_argument("--out", type=Path, required=True, help="Folder to hold the archive and genres/.")
    download.add_argument("--url", default=DEFAULT_GTZAN_URL, help="Archive URL [%(default)s].")
    download.add_argument("--sha256", default=None, help="Expected SHA-256 of the archive (checked when given).")
    download.set_defaults(handler=_download)

    evaluate = commands.add_parser(
        "evaluate", help="Score a model artifact on a folder-per-genre dataset (every file is a test file)."
    )
    evaluate.add_argument("--model", type=Path, required=True, help="Artifact directory (model.tflite + manifest).")
    evaluate.add_argument("--data", type=Path, required=True, help="Dataset folder, or a .csv/.json path,label list.")
    evaluate.add_argument("--json", type=Path, default=None, help="Also write the figures to this JSON file.")
    evaluate.add_argument("--figures", type=Path, default=None, help="Also draw confusion, F1 and ROC PNGs here.")
    evaluate.set_defaults(handler=_evaluate)

    publish = commands.add_parser("publish", help="Validate an artifact and install it atomically.")
    publish.add_argument(
        "--from",
        dest="source",
        type=Path,
        default=settings.artifact_dir,
        required=settings.artifact_dir is None,
        help="Artifact directory [GENRE_ARTIFACT_DIR].",
    )
    publish.add_argument(
        "--to",
        dest="destination",
        type=Path,
        default=settings.model_dir,
        required=settings.model_dir is None,
        help="Directory to replace, e.g. a folder in the worker's volume [GENRE_MODEL_DIR].",
    )
    publish.add_argument(
        "--if-missing",
        action="store_true",
        help="Leave the destination alone if it already holds a valid artifact (keeps a model trained there).",
    )
    publish.add_argument(
        "--shipped",
        action="store_true",
        help="Publish the image's shipped model: into an empty destination, or over a model an earlier --shipped "
        "publish put there (an upgrade), never over one trained or published there by hand.",
    )
    publish.set_defaults(handler=_publish)
    return parser


def _add_ladder_arguments(parser: argparse.ArgumentParser) -> None:
    """Split, windowing and cache options of the ladder (run-all, and train with a model other than cnn2d)."""
    parser.add_argument(
        "--split",
        choices=SPLIT_CHOICES,
        default="auto",
        help="auto: GTZAN's filtered split for GTZAN clip ids, else stratified by song; kfold: --folds/--fold; "
        "leaky-windows: windows at random, songs on both sides (to measure the leak) [%(default)s].",
    )
    parser.add_argument("--folds", type=int, default=5, help="Folds of --split kfold [%(default)s].")
    parser.add_argument("--fold", type=int, default=0, help="Which fold is valid, 0-based [%(default)s].")
    parser.add_argument(
        "--window-seconds",
        type=float,
        default=DEFAULT_FEATURE_PARAMS.window_seconds,
        help="Window length; the served model needs the default [%(default)s].",
    )
    parser.add_argument("--hop-seconds", type=float, default=None, help="Seconds between windows [window length].")
    parser.add_argument("--wave-rate", type=int, default=2205, help="Sample rate of the 1D CNN input [%(default)s].")
    parser.add_argument("--cache", type=Path, default=default_cache_dir(), help="Feature cache folder [%(default)s].")


def default_cache_dir() -> Path:
    """`$XDG_CACHE_HOME/genre-trainer` (or ~/.cache/genre-trainer): features survive between runs."""
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "genre-trainer"


def _window_options(args: argparse.Namespace) -> WindowOptions:
    params = DEFAULT_FEATURE_PARAMS.model_copy(update={"window_seconds": args.window_seconds})
    return WindowOptions(params=params, hop_seconds=args.hop_seconds, wave_rate=args.wave_rate)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(TrainerSettings()).parse_args(arguments)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args.command_line = shlex.join(["genre-trainer", *arguments])
    try:
        return args.handler(args)
    except (PipelineError, TrainerError, FileNotFoundError) as error:
        logger.error("%s", error)
        return 1


def _run_all(args: argparse.Namespace) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    from genre_trainer.training.ladder import LadderSettings
    from genre_trainer.training.run_all import LadderRequest, run_ladder

    settings = LadderSettings(
        seed=args.seed,
        epochs={
            "mlp": args.epochs_mlp,
            "cnn1d": args.epochs_cnn1d,
            "cnn2d": args.epochs,
            "cnn2d-shipped": SHIPPED_EPOCHS,
        },
        patience=args.patience,
    )
    report = run_ladder(
        LadderRequest(
            data=args.data,
            report_dir=args.report,
            models=_names(args.models),
            split=args.split,
            folds=args.folds,
            fold=args.fold,
            options=_window_options(args),
            settings=settings,
            cache_dir=args.cache,
            leaky_models=_names(args.leaky_models),
            limit_per_genre=args.limit_per_genre,
            artifact_dir=args.artifact,
            command=args.command_line,
        )
    )
    _print_ladder(report)
    return 0


def _names(text: str) -> list[str]:
    return [name.strip() for name in text.split(",") if name.strip()]


def _print_ladder(report: LadderReport) -> None:
    print(f"{report.dataset}, split {report.split}: {report.wall_seconds / 60:.1f} min")
    print(f"{'model':<17} {'song acc':>8} {'song F1':>8} {'win acc':>8} {'win F1':>8} {'ROC-AUC':>8}")
    for entry in report.models:
        metrics, auc = entry.evaluation.metrics, entry.evaluation.song_roc_auc.macro
        print(
            f"{entry.name:<17} {metrics.song_accuracy:>8.3f} {metrics.song_macro_f1:>8.3f} "
            f"{metrics.window_accuracy:>8.3f} {metrics.window_macro_f1:>8.3f} "
            f"{float('nan') if auc is None else auc:>8.3f}"
        )


def _add_recipe_arguments(parser: argparse.ArgumentParser) -> None:
    """How the 2D CNN is trained (`--model cnn2d`); the defaults are the recipe of the shipped `models/cnn2d`."""
    recipe = parser.add_argument_group("2D CNN recipe (the defaults made models/cnn2d)")
    recipe.add_argument(
        "--crops-per-epoch",
        type=int,
        default=SHIPPED_RECIPE.crops_per_epoch or 0,
        metavar="N",
        help="Random 3-s crops of the training songs per epoch, genre-balanced, e.g. 3000; 0: the fixed "
        "back-to-back windows with balanced class weights [%(default)s].",
    )
    recipe.add_argument(
        "--mixup",
        type=float,
        default=SHIPPED_RECIPE.augmentation.mixup_alpha,
        metavar="ALPHA",
        help="With crops, mixup Beta(alpha, alpha) [off].",
    )
    recipe.add_argument(
        "--spec-augment",
        type=int,
        default=SHIPPED_RECIPE.augmentation.frequency_masks,
        metavar="N",
        help="With crops, SpecAugment: N frequency masks (up to 16 bands) and N time masks (up to 20 frames) per crop "
        "[%(default)s].",
    )
    recipe.add_argument(
        "--gain-db",
        type=float,
        default=SHIPPED_RECIPE.augmentation.gain_db,
        help="With crops, random gain within +/- this many dB [%(default)s].",
    )
    recipe.add_argument(
        "--label-smoothing",
        type=float,
        default=SHIPPED_RECIPE.augmentation.label_smoothing,
        help="With crops [%(default)s].",
    )
    recipe.add_argument(
        "--ema",
        type=float,
        default=SHIPPED_RECIPE.ema_momentum or 0.0,
        metavar="MOMENTUM",
        help="Export an exponential moving average of the weights; 0 turns it off [%(default)s].",
    )
    recipe.add_argument(
        "--selection",
        choices=["last-epoch", "best-epoch"],
        default=SHIPPED_RECIPE.selection,
        help="last-epoch: run all --epochs and keep the end (validation only reports); best-epoch: keep the "
        "epoch with the best validation song accuracy, stopping after --patience without progress [%(default)s].",
    )


def _recipe(args: argparse.Namespace) -> Recipe:
    return Recipe(
        crops_per_epoch=args.crops_per_epoch or None,
        augmentation=Augmentation(
            mixup_alpha=args.mixup,
            frequency_masks=args.spec_augment,
            time_masks=args.spec_augment,
            gain_db=args.gain_db,
            label_smoothing=args.label_smoothing,
        ),
        ema_momentum=args.ema or None,
        selection=args.selection,
    )


def _train(args: argparse.Namespace) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up chatter
    if args.model not in SERVED_MODELS:
        return _train_one(args)
    from genre_trainer.training.pipeline import (  # imports TensorFlow: only when training
        run_musicnn_training,
        run_training,
    )

    common = {
        "data_dir": args.data,
        "artifact_dir": args.out,
        "seed": args.seed,
        "train_on": args.train_on,
        "limit_per_genre": args.limit_per_genre,
        "command": args.command_line,
        "preprocessing": PREPROCESSING_SETS[args.preprocessing],
        "measurement_dir": args.measurement_out,
        "extra_dirs": args.extra_data,
    }
    if args.model == "musicnn":
        run = run_musicnn_training(
            **common,
            music_detector=args.music_detector,
            mastering=args.mastering,
            tags=args.tags,
            embedding_cache=args.cache / "embeddings",
        )
    else:
        run = run_training(
            **common,
            epochs=args.epochs,
            patience=args.patience,
            recipe=_recipe(args),
            cross_validate_extra=args.cross_validate,
        )
    manifest, metrics = run.manifest, run.manifest.metrics
    print(f"{manifest.name} {manifest.version} -> {run.artifact_dir} ({manifest.model_bytes / 1e6:.2f} MB)")
    if metrics is None:
        print("No held-out figures (trained on train+valid).")
        return 0
    print(
        f"valid: {metrics.songs} songs, {metrics.windows} windows | "
        f"song accuracy {metrics.song_accuracy:.4f}, balanced {metrics.song_balanced_accuracy:.4f}, "
        f"macro F1 {metrics.song_macro_f1:.4f} | window accuracy {metrics.window_accuracy:.4f}, "
        f"macro F1 {metrics.window_macro_f1:.4f}"
    )
    for genre, scores in metrics.per_genre.items():
        figures = f"P {scores.precision:.3f} R {scores.recall:.3f} F1 {scores.f1:.3f}"
        print(f"  {genre:<10} {figures} ({scores.support} songs)")
    if (cross := manifest.cross_validation) is not None:
        print(
            f"{cross.split}: {cross.songs} songs | song accuracy {cross.song_accuracy:.4f}, "
            f"balanced {cross.song_balanced_accuracy:.4f}"
        )
    return 0


def _train_one(args: argparse.Namespace) -> int:
    """One ladder model alone: its figures and report go to --out (there is no artifact for it)."""
    from genre_trainer.training.ladder import LadderSettings
    from genre_trainer.training.run_all import LadderRequest, run_ladder

    epochs = {"mlp": args.epochs, "cnn1d": args.epochs, "cnn2d": args.epochs, "cnn2d-shipped": args.epochs}
    report = run_ladder(
        LadderRequest(
            data=args.data,
            report_dir=args.out,
            models=[args.model],
            split=args.split,
            folds=args.folds,
            fold=args.fold,
            options=_window_options(args),
            settings=LadderSettings(seed=args.seed, epochs=epochs, patience=args.patience),
            cache_dir=args.cache,
            leaky_models=[],
            limit_per_genre=args.limit_per_genre,
            command=args.command_line,
        )
    )
    _print_ladder(report)
    return 0


def _prepare(args: argparse.Namespace) -> int:
    import csv
    from dataclasses import asdict, fields

    from genre_trainer.data.dataset import scan_source
    from genre_trainer.data.feature_store import FileRecord, load_features

    features = load_features(scan_source(args.data), _window_options(args), args.cache)
    print(f"{'file':<32} {'seconds':>8} {'rate':>6} {'windows':>7}  usable")
    for record in features.files:
        rate = record.sample_rate or "?"
        seconds = "?" if record.duration_seconds is None else f"{record.duration_seconds:.2f}"
        usable = "yes" if record.usable else f"no: {record.reason}"
        print(f"{record.name:<32} {seconds:>8} {rate:>6} {record.windows:>7}  {usable}")
    if args.files_csv is not None:
        with args.files_csv.open("w", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[field.name for field in fields(FileRecord)])
            writer.writeheader()
            writer.writerows(asdict(record) for record in features.files)
    windows = sum(record.windows for record in features.files)
    print(
        f"{len(features.files)} files: {len(features.files) - len(features.skipped)} usable ({windows} windows), "
        f"{len(features.skipped)} skipped"
    )
    return 0


def _download(args: argparse.Namespace) -> int:
    from genre_trainer.data.download import download_file, extract_dataset

    archive = download_file(args.url, args.out / Path(args.url.split("?")[0]).name, sha256=args.sha256)
    genres = extract_dataset(archive, args.out)
    print(f"GTZAN is in {genres}; train with --data {args.out}")
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    from genre_trainer.evaluation.evaluate_artifact import evaluate_artifact

    result = evaluate_artifact(args.model, args.data, figures_dir=args.figures)
    metrics, auc = result.evaluation.metrics, result.evaluation.song_roc_auc.macro
    print(
        f"{result.model} {result.version} on {result.dataset}: {metrics.songs} songs, {metrics.windows} windows "
        f"({len(result.skipped)} of {result.files_total} files skipped)"
    )
    print(
        f"song accuracy {metrics.song_accuracy:.4f}, balanced {metrics.song_balanced_accuracy:.4f}, "
        f"macro F1 {metrics.song_macro_f1:.4f}, ROC-AUC {float('nan') if auc is None else auc:.4f} | "
        f"window accuracy {metrics.window_accuracy:.4f}, macro F1 {metrics.window_macro_f1:.4f}"
    )
    for genre, scores in metrics.per_genre.items():
        print(
            f"  {genre:<10} P {scores.precision:.3f} R {scores.recall:.3f} F1 {scores.f1:.3f} ({scores.support} songs)"
        )
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(result.model_dump_json(indent=1) + "\n")
    return 0


_SHIPPED_MESSAGES = {
    "published": "Published {model} from {args.source} to {args.destination}",
    "upgraded": "Upgraded {args.destination} to the shipped {model} (it held an earlier shipped model)",
    "current": "Kept {model} in {args.destination}: the shipped model, already there",
    "kept": "Kept {model} in {args.destination}: trained or published there by hand, so not replaced by the "
    "shipped model (to serve that: genre-trainer publish --from {args.source} --to {args.destination})",
}


def _publish(args: argparse.Namespace) -> int:
    from genre_trainer.artifacts.publish import publish, validate_artifact

    if args.shipped:
        from genre_trainer.artifacts.publish import publish_shipped

        manifest, outcome = publish_shipped(args.source, args.destination)
        print(_SHIPPED_MESSAGES[outcome].format(model=f"{manifest.name} {manifest.version}", args=args))
        return 0
    if args.if_missing and (args.destination / MANIFEST_FILE).is_file():
        manifest = validate_artifact(args.destination)
        print(f"Kept {manifest.name} {manifest.version} already in {args.destination}")
        return 0
    manifest = publish(args.source, args.destination)
    print(f"Published {manifest.name} {manifest.version} from {args.source} to {args.destination}")
    return 0
