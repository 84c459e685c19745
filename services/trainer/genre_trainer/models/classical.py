"""The classical models of the study's phase 1, on standardized summary features (scikit-learn).

Each is a pipeline `StandardScaler -> classifier`, so the scaler learns from training windows only.
Models that accept class weights get balanced ones (GTZAN here is imbalanced, see the dataset's README);
every model gives probabilities, so that songs are scored by their mean window probabilities as the
networks are.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable

import numpy as np
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import RandomForestClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier, NearestCentroid
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier


def _calibrated(svm: SVC) -> CalibratedClassifierCV:
    # An SVM gives margins, not probabilities: Platt scaling fitted on held-out folds of the training windows.
    return CalibratedClassifierCV(svm, method="sigmoid", cv=3, ensemble=False)


CLASSICAL_MODELS: dict[str, Callable[[int], object]] = {
    "nearest-centroid": lambda seed: NearestCentroid(),
    "knn": lambda seed: KNeighborsClassifier(n_neighbors=15),
    "naive-bayes": lambda seed: GaussianNB(),
    "decision-tree": lambda seed: DecisionTreeClassifier(max_depth=12, class_weight="balanced", random_state=seed),
    "random-forest": lambda seed: RandomForestClassifier(
        n_estimators=300, class_weight="balanced", n_jobs=-1, random_state=seed
    ),
    "linear-svm": lambda seed: _calibrated(SVC(kernel="linear", C=0.1, class_weight="balanced", random_state=seed)),
    "rbf-svm": lambda seed: _calibrated(SVC(kernel="rbf", C=3.0, class_weight="balanced", random_state=seed)),
}


def build_classical(name: str, seed: int) -> Pipeline:
    return make_pipeline(StandardScaler(), CLASSICAL_MODELS[name](seed))


def predict_all_labels(pipeline: Pipeline, x: np.ndarray, n_labels: int) -> np.ndarray:
    """Probabilities over every label, in label order: a genre absent from training gets 0."""
    probabilities = np.zeros((len(x), n_labels))
    probabilities[:, pipeline.classes_] = pipeline.predict_proba(x)
    return probabilities


def model_bytes(pipeline: Pipeline) -> int:
    """Size of the fitted pipeline as a pickle: comparable to the networks' file sizes."""
    return len(pickle.dumps(pipeline))
