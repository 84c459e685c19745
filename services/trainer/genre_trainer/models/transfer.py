"""The served transfer model: pretrained musicnn, frozen, with a genre head fit on its embeddings.

`genre-trainer train --model musicnn` builds one Keras model that takes the worker's windows as they are
(`musicnn-16k` log-mel, shape (96, 188, 1)), runs the MSD musicnn network up to its max- and mean-pooled
embedding, and ends in a standardising layer and a softmax layer whose weights are those of a class-balanced
logistic regression fit on the training songs' standardised *mean* embeddings (one row per song, the mean over
its windows), with the directions mastering moves songs in damped first
(:mod:`genre_trainer.models.nuisance`, folded into the softmax weights). Served with :data:`SONG_AGGREGATION`
(the windows' log-probabilities averaged), a song gets exactly what the head gives its mean embedding, because
the head is linear up to its softmax; each window alone still gets the head's distribution for the timeline. On
the validation songs this beat a head fit on single windows (song accuracy 0.824 against 0.768-0.792;
experiments/song_head).
Fitting the head with scikit-learn and then writing it into Keras layers gives the fitted probabilities
(checked to 1e-4), with no epochs to choose; the model then goes through the same export, parity check,
manifest and card as the CNN.
"""

from __future__ import annotations

from collections.abc import Collection

import keras
import numpy as np
from keras import layers
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from genre_core.params import MUSICNN_FEATURE_PARAMS
from genre_core.results import SongAggregation
from genre_trainer.artifacts.litert import GENRE_OUTPUT
from genre_trainer.data.mastering import original_song
from genre_trainer.errors import TrainerError
from genre_trainer.models import musicnn
from genre_trainer.models.music_detector import detector_layer
from genre_trainer.models.nuisance import NUISANCE_STRENGTH, NuisanceShrinkage
from genre_trainer.models.scaling import FlooredStandardScaler

PARAMS = MUSICNN_FEATURE_PARAMS
HEAD_C = 0.1
"""Inverse regularisation of the head, chosen on validation songs (0.03-1 scored the same song accuracy; 0.1 the
best balanced accuracy)."""
EXTRA_SONG_WEIGHT = 3.0
"""How much an extra dataset's song (recorded across the decades, by artists GTZAN lacks) counts against a GTZAN
song: about as much in all as GTZAN's training songs (83 x 3 against 297). Chosen on the validation songs (log-loss
0.432 at 1, 0.417 at 3) with the artist-disjoint folds unchanged (experiments/robustness/nuisance_heads.py)."""
SONG_AGGREGATION: SongAggregation = "mean_log_probability"
EMBEDDING_BATCH = 64
MUSIC_OUTPUT = "music"
TAGS_OUTPUT = "tags"
"""The signature name of musicnn's own 50 MSD tag scores in the served model."""
EMBEDDING = "embedding"
HEAD_TOLERANCE = 1e-4


def build_embedder() -> keras.Model:
    """Worker windows (n_mels, frames, 1) -> {"embedding": (1506,), "tags": (50,)}: musicnn's embedding and its own
    MSD tag scores (sigmoids, :data:`musicnn.TAGS` order) from one pass, with the MSD weights, frozen."""
    n_mels, frames = PARAMS.input_shape
    network = musicnn.load_msd_musicnn(frames)
    network.trainable = False
    windows = keras.Input((n_mels, frames, 1), name="log_mel")
    # genre_core lays windows out bands first, as the CNN takes them; musicnn wants frames first.
    patches = layers.Permute((2, 1))(layers.Reshape((n_mels, frames))(windows))
    outputs = network(patches)
    named = {EMBEDDING: outputs[EMBEDDING], TAGS_OUTPUT: outputs[TAGS_OUTPUT]}
    return keras.Model(windows, named, name="musicnn_embedder")


def embed(embedder: keras.Model, windows: np.ndarray) -> np.ndarray:
    """(n, n_mels, frames, 1) windows -> (n, 1506) float32 embeddings."""
    return embed_with_tags(embedder, windows)[0]


def embed_with_tags(embedder: keras.Model, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, n_mels, frames, 1) windows -> (n, 1506) float32 embeddings and (n, 50) MSD tag scores."""
    if not len(windows):
        return np.zeros((0, musicnn.EMBEDDING_SIZE), np.float32), np.zeros((0, len(musicnn.TAGS)), np.float32)
    outputs = embedder.predict(windows, batch_size=EMBEDDING_BATCH, verbose=0)
    return outputs[EMBEDDING].astype(np.float32), outputs[TAGS_OUTPUT].astype(np.float32)


def song_means(embeddings: np.ndarray, labels: np.ndarray, song_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One row per song (sorted by song id): the mean of its windows' embeddings (float64), and its label.

    Raises:
        ValueError: the windows of one song carry different labels (as :func:`evaluate.song_level` does).
    """
    songs, song_index = np.unique(np.asarray(song_ids), return_inverse=True)
    totals = np.zeros((len(songs), embeddings.shape[1]))
    np.add.at(totals, song_index, embeddings.astype(np.float64))
    means = totals / np.bincount(song_index, minlength=len(songs))[:, np.newaxis]
    labels = np.asarray(labels)
    song_labels = np.zeros(len(songs), dtype=labels.dtype)
    song_labels[song_index] = labels
    mixed = np.flatnonzero(song_labels[song_index] != labels)
    if mixed.size:
        song = song_index[mixed[0]]
        found = np.unique(labels[song_index == song]).tolist()
        raise ValueError(f"Windows of song {songs[song]} have several labels: {found}")
    return means, song_labels


def fit_head(
    embeddings: np.ndarray, labels: np.ndarray, song_ids: np.ndarray, extra_songs: Collection[str] = ()
) -> Pipeline:
    """Standardise, damp the directions mastering moves songs in (:mod:`genre_trainer.models.nuisance`, from
    the mastered copies among the songs: ids `<song>#<augmentation>`), then class-balanced logistic regression on
    each song's mean window embedding: rare genres weigh as much as common ones, and every song counts once
    whatever its length; the songs of `extra_songs` (and their copies) count :data:`EXTRA_SONG_WEIGHT` times."""
    means, song_labels = song_means(embeddings, labels, song_ids)
    songs = np.unique(np.asarray(song_ids)).astype(str)
    origins = original_song(songs)
    # In float64: the fitted head is the reference the float32 serving model is checked against.
    scaler = FlooredStandardScaler().fit(means)
    standardised = scaler.transform(means)
    row_of = {song: row for row, song in enumerate(songs)}
    # Each copy among the songs whose original is there too: (copy row, original row).
    pairs = [
        (row, row_of[origin])
        for row, (song, origin) in enumerate(zip(songs, origins, strict=True))
        if song != origin and origin in row_of
    ]
    copy_rows, original_rows = [row for row, _ in pairs], [row for _, row in pairs]
    projection = NuisanceShrinkage(NUISANCE_STRENGTH).fit(standardised[copy_rows] - standardised[original_rows])
    weights = np.where(np.isin(origins, list(extra_songs)), EXTRA_SONG_WEIGHT, 1.0)
    regression = LogisticRegression(C=HEAD_C, class_weight="balanced", max_iter=5000)
    regression.fit(projection.transform(standardised), song_labels, sample_weight=weights)
    return Pipeline([("standardise", scaler), ("nuisance", projection), ("regression", regression)])


def serving_model(
    embedder: keras.Model, head: Pipeline, n_labels: int, detector: Pipeline | None = None, tags: bool = False
) -> keras.Model:
    """One model, windows in and genre probabilities out: the embedder, the head's scaler and its softmax layer;
    with a music `detector` (:mod:`genre_trainer.models.music_detector`), a second output `music` beside `genre`;
    with `tags`, musicnn's own MSD tag scores as an output `tags` (the same pass: the tags layers read the same
    pooled features, so they add two small dense layers, not a second network).

    The scaler stays a layer of its own rather than being folded into the softmax weights: folded weights
    (coef / scale) are large and cancel each other in float32.
    """
    scaler: FlooredStandardScaler = head[0]
    regression: LogisticRegression = head[-1]
    coefficients = regression.coef_
    for step in head[1:-1]:  # linear steps between the scaler and the softmax, folded into its weights
        coefficients = step.fold(coefficients)
    if regression.coef_.shape[0] != n_labels:
        raise TrainerError(f"The head saw {regression.coef_.shape[0]} of {n_labels} genres in its training songs")
    standardised = layers.Normalization(mean=scaler.mean_, variance=np.square(scaler.scale_), name="standardise")(
        embedder.output[EMBEDDING]
    )
    genre = layers.Dense(n_labels, activation="softmax", name="genre")
    outputs = genre(standardised)
    genre.set_weights([coefficients.T.astype(np.float32), regression.intercept_.astype(np.float32)])
    if detector is None and not tags:
        return keras.Model(embedder.input, outputs, name="musicnn_genre")
    named = {GENRE_OUTPUT: outputs}
    if detector is not None:
        named[MUSIC_OUTPUT] = detector_layer(detector, embedder.output[EMBEDDING])
    if tags:
        # An identity layer gives the output its own name (the signature name the manifest records).
        named[TAGS_OUTPUT] = layers.Identity(name=TAGS_OUTPUT)(embedder.output[TAGS_OUTPUT])
    return keras.Model(embedder.input, named, name="musicnn_genre")


def check_head(model: keras.Model, head: Pipeline, windows: np.ndarray, embeddings: np.ndarray) -> float:
    """Largest difference between the Keras model's and the fitted head's probabilities on the same windows.

    Raises:
        TrainerError: above :data:`HEAD_TOLERANCE`: the folded weights do not compute what was fit.
    """
    expected = head.predict_proba(embeddings.astype(np.float64))
    predicted = model.predict(windows, verbose=0)
    if isinstance(predicted, dict):
        predicted = predicted[GENRE_OUTPUT]
    difference = float(np.max(np.abs(predicted - expected)))
    if not difference <= HEAD_TOLERANCE:
        raise TrainerError(f"The genre layer differs from the fitted head by {difference:.3g}")
    return difference
