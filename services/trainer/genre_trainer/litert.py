"""Running a `.tflite` file the way the worker does: the LiteRT interpreter, batch axis resized to the input.

Kept apart from Keras so that `publish` can check a model file without importing TensorFlow.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from ai_edge_litert.interpreter import Interpreter


def load_interpreter(model_path: str | Path) -> Interpreter:
    """An interpreter for `model_path`; raises ValueError when the file is not a LiteRT model."""
    return Interpreter(model_path=str(model_path))


def signature_shapes(interpreter: Interpreter) -> tuple[list[int], list[int]]:
    """Input and output shapes, batch axis included (-1 where it is dynamic)."""
    (model_input,) = interpreter.get_input_details()
    (model_output,) = interpreter.get_output_details()
    return model_input["shape_signature"].tolist(), model_output["shape_signature"].tolist()


def litert_predict(model_path: str | Path, windows: np.ndarray) -> np.ndarray:
    """Probabilities for a batch of windows, shape (n, *input_shape) float32 -> (n, n_labels)."""
    interpreter = load_interpreter(model_path)
    (model_input,) = interpreter.get_input_details()
    windows = np.ascontiguousarray(windows, dtype=np.float32)
    interpreter.resize_tensor_input(model_input["index"], list(windows.shape))
    interpreter.allocate_tensors()
    interpreter.set_tensor(model_input["index"], windows)
    interpreter.invoke()
    (model_output,) = interpreter.get_output_details()
    return interpreter.get_tensor(model_output["index"]).copy()
