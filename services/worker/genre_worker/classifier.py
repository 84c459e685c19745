"""Running the exported 2D CNN with LiteRT: windows in, genre probabilities out."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter

from genre_core.audio import load_audio
from genre_core.errors import SilentAudio
from genre_core.features import song_windows
from genre_core.manifest import ModelManifest, ensure_compatible, read_manifest
from genre_core.params import FeatureParams
from genre_core.results import ClassificationResult, build_result

# Windows per interpreter call. One at a time is as fast as any batch for this model (a 3-min song on
# one core: 1-4 windows 0.076 s, 64 windows 0.09 s; one window's activations stay in the CPU cache), and a
# fixed batch size means the interpreter allocates its tensors once, at start, never per song
# (a song whose window count differs from the last one's cost another 0.01-0.02 s to reallocate).
BATCH_WINDOWS = 1
# Peak level (-80 dBFS) under which a file holds nothing to classify: any genre would be a guess.
SILENCE_PEAK = 1e-4


class Classifier:
    """A loaded model artifact. Not thread-safe: one per process (Celery prefork gives each its own)."""

    def __init__(self, artifact_dir: str | Path, params: FeatureParams, threads: int = 1) -> None:
        self.manifest: ModelManifest = read_manifest(artifact_dir)
        ensure_compatible(self.manifest, params)
        self.params = params
        self._interpreter = Interpreter(
            model_path=str(Path(artifact_dir) / self.manifest.model_file), num_threads=threads
        )
        self._input_index = self._interpreter.get_input_details()[0]["index"]
        self._output_index = self._interpreter.get_output_details()[0]["index"]
        self._batch = 0
        self._resize(BATCH_WINDOWS)

    @property
    def labels(self) -> list[str]:
        return self.manifest.labels

    def predict(self, windows: np.ndarray) -> np.ndarray:
        """Probabilities per window, shape (n_windows, n_labels), for windows shaped (n, n_mels, frames)."""
        batches = [self._predict_batch(windows[i : i + BATCH_WINDOWS]) for i in range(0, len(windows), BATCH_WINDOWS)]
        return np.concatenate(batches) if batches else np.empty((0, len(self.labels)), dtype=np.float32)

    def classify_audio(self, audio: np.ndarray) -> ClassificationResult:
        """Classify a decoded song (mono, at the pipeline's sample rate).

        Raises:
            TooShort: shorter than one window.
            SilentAudio: nothing above -80 dBFS.
        """
        windows = song_windows(audio, self.params)
        if float(np.max(np.abs(audio))) < SILENCE_PEAK:
            raise SilentAudio("The audio is silent: there is nothing to classify.")
        window_probabilities = self.predict(windows)
        return build_result(
            window_probabilities,
            self.labels,
            self.params,
            duration_seconds=len(audio) / self.params.sample_rate,
            model_version=self.manifest.version,
        )

    def classify_file(self, path: str | Path, max_seconds: float | None = None) -> ClassificationResult:
        return self.classify_audio(load_audio(path, self.params.sample_rate, max_seconds))

    def _predict_batch(self, windows: np.ndarray) -> np.ndarray:
        if len(windows) != self._batch:
            self._resize(len(windows))
        self._interpreter.set_tensor(
            self._input_index, np.ascontiguousarray(windows[..., np.newaxis], dtype=np.float32)
        )
        self._interpreter.invoke()
        return self._interpreter.get_tensor(self._output_index).copy()

    def _resize(self, batch: int) -> None:
        self._interpreter.resize_tensor_input(self._input_index, [batch, *self.manifest.input_shape])
        self._interpreter.allocate_tensors()
        self._batch = batch
