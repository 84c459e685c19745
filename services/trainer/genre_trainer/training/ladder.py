"""The model ladder of the original study, each rung trained and scored the same way.

Every model, classical or neural, is fitted on the training windows and scored on the validation windows
with :func:`genre_trainer.evaluation.evaluate.evaluate_all`: window level, and song level by the mean of a song's
window probabilities (as the worker serves). Only the input kind differs: summary features for the
classical models and the MLP, the low-passed waveform for the 1D CNN, log-mel windows for the 2D CNN,
musicnn embeddings for the pretrained row, which is the served musicnn model's recipe
(:mod:`genre_trainer.models.transfer`: a head fit on songs' mean embeddings, songs scored by their windows'
mean log-probability).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import keras
import numpy as np
from sklearn.pipeline import Pipeline

from genre_core.results import SongAggregation
from genre_trainer.data.dataset import WindowSet
from genre_trainer.data.feature_store import Features
from genre_trainer.evaluation.evaluate import Evaluation, evaluate_all, song_level
from genre_trainer.models import transfer
from genre_trainer.models.classical import CLASSICAL_MODELS, build_classical, model_bytes, predict_all_labels
from genre_trainer.models.model import build_model
from genre_trainer.models.networks import build_cnn1d, build_mlp
from genre_trainer.models.pretrained import INPUT_KIND as PRETRAINED_INPUT
from genre_trainer.training.recipe import SHIPPED_EPOCHS, SHIPPED_RECIPE, Recipe
from genre_trainer.training.train import train

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
    "musicnn-logreg": "the default model's recipe: logistic regression on each song's mean pretrained musicnn "
    "(Million Song Dataset) embedding, 16 kHz input",
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
    aggregation: SongAggregation = "mean_probability"
    if name in NETWORKS:
        result = _run_network(name, train_set, valid_set, labels, settings)
    elif name in PRETRAINED_MODELS:
        result = _run_transfer_head(name, train_set, valid_set, labels)
        aggregation = transfer.SONG_AGGREGATION
    else:
        result = _run_classical(name, train_set, valid_set, labels, settings)
    probabilities = result.pop("probabilities")
    song_probabilities, song_labels = song_level(probabilities, valid_set.y, valid_set.song_ids, aggregation)
    evaluation = evaluate_all(probabilities, valid_set.y, valid_set.song_ids, labels, split_name, aggregation)
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
    name: str, train_set: WindowSet, valid_set: WindowSet, labels: Sequence[str], settings: LadderSettings
) -> dict[str, object]:
    """One of the study's classical models, a scikit-learn pipeline fit on the training windows."""
    pipeline = build_classical(name, settings.seed)
    started = time.monotonic()
    pipeline.fit(train_set.x, train_set.y)
    return _scikit_learn_result(CLASSICAL_DESCRIPTIONS[name], "classical", pipeline, started, valid_set, labels)


def _run_transfer_head(
    name: str, train_set: WindowSet, valid_set: WindowSet, labels: Sequence[str]
) -> dict[str, object]:
    """The served musicnn model's head (:func:`genre_trainer.models.transfer.fit_head`) on the windows' embeddings."""
    started = time.monotonic()
    head = transfer.fit_head(train_set.x, train_set.y, train_set.song_ids)
    return _scikit_learn_result(PRETRAINED_MODELS[name], "pretrained embeddings", head, started, valid_set, labels)


def _scikit_learn_result(
    description: str, family: str, pipeline: Pipeline, started: float, valid_set: WindowSet, labels: Sequence[str]
) -> dict[str, object]:
    seconds = time.monotonic() - started
    return {
        "family": family,
        "description": description,
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
