"""The `genre-trainer` command: `train` a model artifact, or `publish` one to where the worker reads it."""

from __future__ import annotations

import argparse
import logging
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from genre_core.errors import PipelineError
from genre_core.manifest import MANIFEST_FILE
from genre_trainer.errors import TrainerError
from genre_trainer.settings import TrainerSettings

logger = logging.getLogger("genre_trainer")


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
        help="Most epochs; training stops earlier when validation stops improving [%(default)s].",
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
        choices=["train", "train+valid"],
        default="train",
        help="'train': select the epoch on valid and report its figures; 'train+valid': fit "
        "all --epochs on both, with no held-out figures [%(default)s].",
    )
    train.set_defaults(handler=_train)

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
    publish.set_defaults(handler=_publish)
    return parser


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


def _train(args: argparse.Namespace) -> int:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ start-up chatter
    from genre_trainer.pipeline import run_training  # imports TensorFlow: only when training

    run = run_training(
        data_dir=args.data,
        artifact_dir=args.out,
        epochs=args.epochs,
        seed=args.seed,
        train_on=args.train_on,
        limit_per_genre=args.limit_per_genre,
        patience=args.patience,
        command=args.command_line,
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
    return 0


def _publish(args: argparse.Namespace) -> int:
    from genre_trainer.publish import publish, validate_artifact

    if args.if_missing and (args.destination / MANIFEST_FILE).is_file():
        manifest = validate_artifact(args.destination)
        print(f"Kept {manifest.name} {manifest.version} already in {args.destination}")
        return 0
    manifest = publish(args.source, args.destination)
    print(f"Published {manifest.name} {manifest.version} from {args.source} to {args.destination}")
    return 0
