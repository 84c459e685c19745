"""Running an exported model artifact with LiteRT: windows in, genre probabilities out."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from genre_core.audio import load_audio
from genre_core.errors import IncompatibleModel
from genre_core.manifest import ModelManifest, ensure_compatible, read_manifest, serving_params
from genre_core.params import FeatureParams
from genre_core.preprocessing import song_features
from genre_core.results import ClassificationResult, build_result, window_kinds


@dataclass(frozen=True)
class WindowOutputs:
    """A model's outputs for n windows: genre probabilities (n, n_labels), music scores (n,) and tag scores
    (n, n_tags), each None where the model has no such output."""

    probabilities: np.ndarray
    music: np.ndarray | None
    tags: np.ndarray | None


class Classifier:
    """A loaded model artifact. Not thread-safe: one per process (Celery prefork gives each its own)."""

    def __init__(self, artifact_dir: str | Path, params: FeatureParams | None = None, threads: int = 1) -> None:
        """Load `artifact_dir`, served with `params`, or (None) with whichever set of
        :data:`~genre_core.params.FEATURE_PARAM_SETS` it was trained on.

        Raises:
            IncompatibleModel: the artifact was trained on other features than these.
        """
        self.manifest: ModelManifest = read_manifest(artifact_dir)
        if params is None:
            params = serving_params(self.manifest)
        else:
            ensure_compatible(self.manifest, params)
        self.params = params
        self._interpreter = Interpreter(
            model_path=str(Path(artifact_dir) / self.manifest.model_file), num_threads=threads
        )
        self._input_index = self._interpreter.get_input_details()[0]["index"]
        self._output_index, self._music_index, self._tags_index = self._output_indices()
        # One window per call: as fast as any batch for this model (a 3-min song on one core: one at a time
        # 0.076 s, 64 at a time 0.09 s; one window's activations stay in the CPU cache), and a fixed input
        # shape means the tensors are allocated once, here, never per song.
        self._interpreter.resize_tensor_input(self._input_index, [1, *self.manifest.input_shape])
        self._interpreter.allocate_tensors()

    def _output_indices(self) -> tuple[int, int | None, int | None]:
        """Tensor indices of the genre output, of the music score and of the tag scores (None without them), by
        signature name."""
        outputs = self.manifest.outputs
        if outputs is None:
            return self._interpreter.get_output_details()[0]["index"], None, None
        named = {
            name: detail["index"]
            for name, detail in self._interpreter.get_signature_runner().get_output_details().items()
        }
        wanted = [name for name in (outputs.genre, outputs.music, outputs.tags) if name is not None]
        missing = [name for name in wanted if name not in named]
        if missing:
            raise IncompatibleModel(f"The model file has no output {', '.join(missing)} (it has {', '.join(named)})")
        if outputs.tags is not None and (outputs.tag_names is None or outputs.tag_reference is None):
            raise IncompatibleModel("The manifest names a tags output without its tag names and reference")
        return (
            named[outputs.genre],
            None if outputs.music is None else named[outputs.music],
            None if outputs.tags is None else named[outputs.tags],
        )

    @property
    def labels(self) -> list[str]:
        return self.manifest.labels

    @property
    def has_music_score(self) -> bool:
        return self._music_index is not None

    @property
    def has_tags(self) -> bool:
        return self._tags_index is not None

    def predict(self, windows: np.ndarray) -> np.ndarray:
        """Probabilities per window, shape (n_windows, n_labels), for windows shaped (n, n_mels, frames)."""
        return self.predict_with_music_score(windows)[0]

    def predict_with_music_score(self, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Genre probabilities per window (n_windows, n_labels), and each window's music score (n_windows,) or
        None for a model without a music detector: both from the same invocation."""
        outputs = self.predict_all(windows)
        return outputs.probabilities, outputs.music

    def predict_all(self, windows: np.ndarray) -> WindowOutputs:
        """Every output of the model for windows shaped (n, n_mels, frames), from one invocation per window."""
        probabilities = np.empty((len(windows), len(self.labels)), dtype=np.float32)
        music = np.empty(len(windows), dtype=np.float32) if self._music_index is not None else None
        n_tags = len(self.manifest.outputs.tag_names or []) if self.manifest.outputs is not None else 0
        tags = np.empty((len(windows), n_tags), dtype=np.float32) if self._tags_index is not None else None
        for index, window in enumerate(windows):
            self._interpreter.set_tensor(self._input_index, window[np.newaxis, ..., np.newaxis].astype(np.float32))
            self._interpreter.invoke()
            probabilities[index] = self._interpreter.get_tensor(self._output_index)[0]
            if music is not None:
                music[index] = self._interpreter.get_tensor(self._music_index).reshape(-1)[0]
            if tags is not None:
                tags[index] = self._interpreter.get_tensor(self._tags_index)[0]
        return WindowOutputs(probabilities=probabilities, music=music, tags=tags)

    def classify_audio(self, audio: np.ndarray) -> ClassificationResult:
        """Classify a decoded song (mono, at the pipeline's sample rate), prepared as the model was trained
        (loudness, silence screening); windows of silence are not run through the model at all.

        Raises:
            TooShort: shorter than one window.
            SilentAudio: nothing to classify (all silence).
            NotMusic: sound, but the music detector finds no music in any window.
        """
        features = song_features(audio, self.params, self.manifest.preprocessing)
        count = len(features.windows)
        audible = np.flatnonzero(~features.silent)
        outputs = self.predict_all(features.windows[audible])
        window_probabilities = np.zeros((count, len(self.labels)), dtype=np.float32)
        window_probabilities[audible] = outputs.probabilities
        music_scores = None if outputs.music is None else np.zeros(count, dtype=np.float32)
        if music_scores is not None and outputs.music is not None:
            music_scores[audible] = outputs.music
        tag_scores = None if outputs.tags is None else np.zeros((count, outputs.tags.shape[1]), dtype=np.float32)
        if tag_scores is not None and outputs.tags is not None:
            tag_scores[audible] = outputs.tags
        model_outputs = self.manifest.outputs
        threshold = model_outputs.music_threshold if model_outputs is not None else 0.5
        normalised = self.manifest.preprocessing.loudness_target_lufs is not None
        return build_result(
            window_probabilities,
            self.labels,
            self.params,
            duration_seconds=len(audio) / self.params.sample_rate,
            model_version=self.manifest.version,
            aggregation=self.manifest.song_aggregation,
            kinds=window_kinds(features.silent, music_scores, threshold),
            music_scores=music_scores,
            loudness_lufs=features.loudness_lufs if normalised else None,
            first_window_seconds=features.first_window_seconds,
            tag_scores=tag_scores,
            tag_names=None if model_outputs is None else model_outputs.tag_names,
            tag_reference=None if model_outputs is None else model_outputs.tag_reference,
        )

    def classify_file(self, path: str | Path, max_seconds: float | None = None) -> ClassificationResult:
        return self.classify_audio(load_audio(path, self.params.sample_rate, max_seconds))
