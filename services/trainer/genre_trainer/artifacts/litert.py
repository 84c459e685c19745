"""Running a `.tflite` file the way the worker does: the LiteRT interpreter, batch axis resized to the input.

Kept apart from Keras so that `publish` can check a model file without importing TensorFlow.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter

GENRE_OUTPUT = "genre"
"""The signature name of the genre probabilities in a model with several outputs."""


def load_interpreter(model_path: str | Path) -> Interpreter:
    """An interpreter for `model_path`; raises ValueError when the file is not a LiteRT model."""
    return Interpreter(model_path=str(model_path))


def signature_shapes(interpreter: Interpreter) -> tuple[list[int], dict[str, list[int]]]:
    """Input shape and each output's shape by signature name, batch axis included (-1 where it is dynamic)."""
    runner = interpreter.get_signature_runner()
    (model_input,) = runner.get_input_details().values()
    outputs = {name: detail["shape_signature"].tolist() for name, detail in runner.get_output_details().items()}
    return model_input["shape_signature"].tolist(), outputs


def litert_outputs(model_path: str | Path, windows: np.ndarray) -> dict[str, np.ndarray]:
    """Every output for a batch of windows, shape (n, *input_shape) float32, by signature name."""
    interpreter = load_interpreter(model_path)
    runner = interpreter.get_signature_runner()
    (input_name,) = runner.get_input_details()
    outputs = runner(**{input_name: np.ascontiguousarray(windows, dtype=np.float32)})
    return {name: np.array(value, copy=True) for name, value in outputs.items()}


def litert_predict(model_path: str | Path, windows: np.ndarray) -> np.ndarray:
    """Genre probabilities for a batch of windows: (n, *input_shape) float32 -> (n, n_labels). The model's one
    output, or the one named :data:`GENRE_OUTPUT` of a model with several."""
    outputs = litert_outputs(model_path, windows)
    return outputs[GENRE_OUTPUT] if len(outputs) > 1 else next(iter(outputs.values()))
