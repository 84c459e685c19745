"""The model ladder of the original study, each rung trained and scored the same way.

Every model, classical or neural, is fitted on the training windows and scored on the validation windows
with :func:`genre_trainer.evaluate.evaluate_all`: window level, and song level by the mean of a song's
window probabilities (as the worker serves). Only the input kind differs: summary features for the
classical models and the MLP, the low-passed waveform for the 1D CNN, log-mel windows for the 2D CNN.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline

from genre_trainer.classical import CLASSICAL_MODELS, build_classical, model_bytes, predict_all_labels
from genre_trainer.dataset import WindowSet
from genre_trainer.evaluate import Evaluation, evaluate_all, song_level
from genre_trainer.feature_store import Features
from genre_trainer.model import build_model
from genre_trainer.networks import build_cnn1d, build_mlp
from genre_trainer.pretrained import INPUT_KIND as PRETRAINED_INPUT
from genre_trainer.recipe import SHIPPED_EPOCHS, SHIPPED_RECIPE, Recipe
from genre_trainer.scaling import FlooredStandardScaler
from genre_trainer.train import train

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NetworkSpec:
    kind: str
    build: object
    description: str
    recipe: Recipe = field(default_factory=Recipe)


NETWORKS: dict[str, NetworkSpec] = {
    "mlp": NetworkSpec("summary", build_mlp, "MLP on summary features"),
    "cnn1d": NetworkSpec("wave", build_cnn1d, "1D CNN on the low-passed waveform"),
    "cnn2d": NetworkSpec("mel", build_model, "2D CNN on log-mel windows, epoch chosen on validation"),
    "cnn2d-shipped": NetworkSpec(
        "mel",
        build_model,
        "the same 2D CNN with the recipe of models/cnn2d (weight EMA, last epoch, 40 epochs), trained on train only",
        SHIPPED_RECIPE,
    ),
}
CLASSICAL_DESCRIPTIONS = {
    "nearest-centroid": "nearest centroid",
    "knn": "k-nearest neighbours (k = 15)",
    "naive-bayes": "Gaussian naive Bayes",
    "decision-tree": "decision tree (depth ≤ 12)",
    "random-forest": "random forest (300 trees)",
    "linear-svm": "linear SVM",
    "rbf-svm": "RBF SVM",
}
PRETRAINED_MODELS = {
    # C chosen on the validation songs, on embeddings of crops every 0.93 s: song accuracy 0.784 at C=0.01,
    # 0.744 at 0.1, 0.728 at 1 (experiments/distillation/README.md).
    "musicnn-logreg": lambda seed: LogisticRegression(C=0.01, class_weight="balanced", max_iter=2000),
}
PRETRAINED_DESCRIPTIONS = {
    "musicnn-logreg": "logistic regression on pretrained musicnn (Million Song Dataset) embeddings, 16 kHz input",
}
MODEL_NAMES = (*CLASSICAL_MODELS, *PRETRAINED_MODELS, *NETWORKS)


@dataclass
class LadderSettings:
    """Epoch budgets per network (the classical models have none) and the seed of everything random."""

    seed: int = 1234
    epochs: dict[str, int] = field(
        default_factory=lambda: {"mlp": 100, "cnn1d": 30, "cnn2d": 20, "cnn2d-shipped": SHIPPED_EPOCHS}
    )
    patience: int = 15


@dataclass
class ModelResult:
    name: str
    family: str
    """'classical' or 'neural network'."""
    inputs: str
    description: str
    evaluation: Evaluation
    training_seconds: float
    parameters: int | None
    size_bytes: int
    history: dict[str, list[float]] = field(default_factory=dict)
    epochs_run: int | None = None
    best_epoch: int | None = None
    song_probabilities: np.ndarray = field(default_factory=lambda: np.empty(0))
    song_labels: np.ndarray = field(default_factory=lambda: np.empty(0))
    keras_model: keras.Model | None = None


def input_kind(name: str) -> str:
    if name in PRETRAINED_MODELS:
        return PRETRAINED_INPUT
    return NETWORKS[name].kind if name in NETWORKS else "summary"


def run_model(
    name: str,
    features: Features,
    parts: dict[str, np.ndarray],
    labels: Sequence[str],
    settings: LadderSettings,
    split_name: str = "valid",
) -> ModelResult:
    """Fit `name` on the windows `parts["train"]` and score it on `parts["valid"]`."""
    kind = input_kind(name)
    train_set = features.window_set(kind, parts["train"], labels)
    valid_set = features.window_set(kind, parts["valid"], labels)
    logger.info("Training %s on %d windows, validating on %d", name, len(train_set), len(valid_set))
    if name in NETWORKS:
        result = _run_network(name, train_set, valid_set, labels, settings)
    elif name in PRETRAINED_MODELS:
        pipeline = make_pipeline(FlooredStandardScaler(), PRETRAINED_MODELS[name](settings.seed))
        result = _run_classical(name, train_set, valid_set, labels, settings, pipeline, "pretrained embeddings")
    else:
        result = _run_classical(name, train_set, valid_set, labels, settings)
    probabilities = result.pop("probabilities")
    song_probabilities, song_labels = song_level(probabilities, valid_set.y, valid_set.song_ids)
    evaluation = evaluate_all(probabilities, valid_set.y, valid_set.song_ids, labels, split=split_name)
    logger.info(
        "%s: song accuracy %.3f, window accuracy %.3f, song macro F1 %.3f (%.0f s)",
        name,
        evaluation.metrics.song_accuracy,
        evaluation.metrics.window_accuracy,
        evaluation.metrics.song_macro_f1,
        result["training_seconds"],
    )
    return ModelResult(
        name=name,
        inputs=kind,
        evaluation=evaluation,
        song_probabilities=song_probabilities,
        song_labels=song_labels,
        **result,
    )


def _run_classical(
    name: str,
    train_set: WindowSet,
    valid_set: WindowSet,
    labels: Sequence[str],
    settings: LadderSettings,
    pipeline: Pipeline | None = None,
    family: str = "classical",
) -> dict[str, object]:
    """A scikit-learn pipeline: one of the study's classical models unless `pipeline` is given."""
    if pipeline is None:
        pipeline = build_classical(name, settings.seed)
    started = time.monotonic()
    pipeline.fit(train_set.x, train_set.y)
    seconds = time.monotonic() - started
    return {
        "family": family,
        "description": CLASSICAL_DESCRIPTIONS.get(name) or PRETRAINED_DESCRIPTIONS[name],
        "probabilities": predict_all_labels(pipeline, valid_set.x, len(labels)),
        "training_seconds": seconds,
        "parameters": None,
        "size_bytes": model_bytes(pipeline),
    }


def _run_network(
    name: str, train_set: WindowSet, valid_set: WindowSet, labels: Sequence[str], settings: LadderSettings
) -> dict[str, object]:
    spec = NETWORKS[name]
    trained = train(
        train_set,
        valid_set if len(valid_set) else None,
        len(labels),
        epochs=settings.epochs[name],
        seed=settings.seed,
        patience=settings.patience,
        build=spec.build,
        recipe=spec.recipe,
    )
    model = trained.model
    return {
        "family": "neural network",
        "description": spec.description,
        "probabilities": model.predict(valid_set.x, batch_size=256, verbose=0),
        "training_seconds": trained.seconds,
        "parameters": model.count_params(),
        "size_bytes": 4 * model.count_params(),
        "history": {key: [float(value) for value in values] for key, values in trained.history.items()},
        "epochs_run": trained.epochs_run,
        "best_epoch": trained.best_epoch,
        "keras_model": model,
    }
