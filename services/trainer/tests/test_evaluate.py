"""The figures of the manifest, on an example small enough to check by hand, and against scikit-learn."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import balanced_accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from genre_trainer.evaluation.evaluate import evaluate, song_level

LABELS = ["blues", "jazz", "rock"]

# Five songs, two windows each (song "d" has three). Song-level predictions average the windows:
#   a (blues): [.6 .3 .1] + [.2 .7 .1] -> [.40 .50 .10] -> jazz  (windows: blues, jazz)
#   b (blues): [.9 .05 .05] + [.8 .1 .1] -> blues             (windows: blues, blues)
#   c (jazz):  [.1 .8 .1] + [.3 .4 .3]  -> jazz               (windows: jazz, jazz)
#   d (rock):  [.33 .32 .35] twice + [.9 .05 .05] -> [.52 .23 .25] -> blues, though two of three windows say rock
#              (a majority vote over windows would get this song right; the mean, as served, does not)
#   e (rock):  [.1 .2 .7] + [.2 .2 .6] -> rock                (windows: rock, rock)
WINDOWS = np.array(
    [
        [0.6, 0.3, 0.1], [0.2, 0.7, 0.1],
        [0.9, 0.05, 0.05], [0.8, 0.1, 0.1],
        [0.1, 0.8, 0.1], [0.3, 0.4, 0.3],
        [0.33, 0.32, 0.35], [0.33, 0.32, 0.35], [0.9, 0.05, 0.05],
        [0.1, 0.2, 0.7], [0.2, 0.2, 0.6],
    ]
)  # fmt: skip
WINDOW_LABELS = np.array([0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2])
SONG_IDS = np.array(["a", "a", "b", "b", "c", "c", "d", "d", "d", "e", "e"])
SONG_TRUE = np.array([0, 0, 1, 2, 2])
SONG_PREDICTED = np.array([1, 0, 1, 0, 2])


def test_songs_are_classified_by_their_mean_window_probabilities() -> None:
    probabilities, labels = song_level(WINDOWS, WINDOW_LABELS, SONG_IDS)
    assert labels.tolist() == SONG_TRUE.tolist()
    assert probabilities.argmax(axis=1).tolist() == SONG_PREDICTED.tolist()
    np.testing.assert_allclose(probabilities[0], [0.4, 0.5, 0.1])


def test_songs_are_scored_with_the_aggregation_the_model_is_served_with() -> None:
    # The first window is sure the song is not rock, the second that it is hardly blues: the plain mean says
    # blues, the geometric mean jazz.
    windows = np.array([[0.9, 0.1, 0.0], [0.02, 0.48, 0.5]])
    labels, songs = np.array([1, 1]), np.array(["x", "x"])
    assert evaluate(windows, labels, songs, LABELS, split="valid").song_accuracy == 0.0
    by_log = evaluate(windows, labels, songs, LABELS, split="valid", aggregation="mean_log_probability")
    assert by_log.song_accuracy == 1.0 and by_log.window_accuracy == 0.0


def test_figures_by_hand() -> None:
    metrics = evaluate(WINDOWS, WINDOW_LABELS, SONG_IDS, LABELS, split="valid")

    assert (metrics.songs, metrics.windows) == (5, 11)
    assert metrics.song_accuracy == pytest.approx(3 / 5)
    # window predictions: 0 1 | 0 0 | 1 1 | 2 2 0 | 2 2 -> 9 of 11 right
    assert metrics.window_accuracy == pytest.approx(9 / 11)
    # recalls: blues 1/2, jazz 1/1, rock 1/2
    assert metrics.song_balanced_accuracy == pytest.approx((0.5 + 1 + 0.5) / 3)
    assert metrics.confusion_matrix == [[1, 1, 0], [0, 1, 0], [1, 0, 1]]
    assert metrics.per_genre["jazz"].model_dump() == pytest.approx(
        {"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "support": 1}
    )


def test_figures_match_scikit_learn() -> None:
    metrics = evaluate(WINDOWS, WINDOW_LABELS, SONG_IDS, LABELS, split="valid")
    window_predicted = WINDOWS.argmax(axis=1)

    assert metrics.song_balanced_accuracy == pytest.approx(balanced_accuracy_score(SONG_TRUE, SONG_PREDICTED))
    assert metrics.song_macro_f1 == pytest.approx(f1_score(SONG_TRUE, SONG_PREDICTED, average="macro"))
    assert metrics.window_macro_f1 == pytest.approx(f1_score(WINDOW_LABELS, window_predicted, average="macro"))
    assert metrics.confusion_matrix == confusion_matrix(SONG_TRUE, SONG_PREDICTED).tolist()
    precision, recall, f1, support = precision_recall_fscore_support(SONG_TRUE, SONG_PREDICTED)
    for index, genre in enumerate(LABELS):
        scores = metrics.per_genre[genre]
        assert (scores.precision, scores.recall, scores.f1, scores.support) == pytest.approx(
            (precision[index], recall[index], f1[index], support[index])
        )


def test_genres_without_songs_still_get_a_row() -> None:
    metrics = evaluate(WINDOWS, WINDOW_LABELS, SONG_IDS, [*LABELS, "pop"], split="valid")
    assert metrics.per_genre["pop"].support == 0
    assert len(metrics.confusion_matrix) == 4 and metrics.confusion_matrix[3] == [0, 0, 0, 0]


def test_a_song_with_two_labels_is_an_error() -> None:
    with pytest.raises(ValueError, match="several labels"):
        song_level(WINDOWS[:2], np.array([0, 1]), np.array(["a", "a"]))


def test_roc_auc_matches_scikit_learn_one_vs_rest() -> None:
    from sklearn.metrics import roc_auc_score

    from genre_trainer.evaluation.evaluate import evaluate_all, roc_auc_ovr

    auc = roc_auc_ovr(WINDOWS, WINDOW_LABELS, LABELS)
    assert auc.macro == pytest.approx(roc_auc_score(WINDOW_LABELS, WINDOWS, multi_class="ovr", average="macro"))
    for index, genre in enumerate(LABELS):
        assert auc.per_genre[genre] == pytest.approx(roc_auc_score(index == WINDOW_LABELS, WINDOWS[:, index]))

    evaluation = evaluate_all(WINDOWS, WINDOW_LABELS, SONG_IDS, [*LABELS, "pop"], split="valid")
    assert evaluation.song_roc_auc.per_genre["pop"] is None  # no pop song: undefined, not 0.5 or an error
    assert evaluation.window_roc_auc.macro == pytest.approx(auc.macro)
