"""Time musicnn's heaviest layers alone in LiteRT (one window, one thread) and alternative formulations."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import keras
import numpy as np
import tensorflow as tf
from ai_edge_litert.interpreter import Interpreter
from keras import layers


def litert_ms(model: keras.Model, repeats: int = 30) -> float:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "m.tflite"
        converter = tf.lite.TFLiteConverter.from_keras_model(model)
        path.write_bytes(converter.convert())
        interpreter = Interpreter(model_path=str(path), num_threads=1)
        interpreter.allocate_tensors()
        index = interpreter.get_input_details()[0]["index"]
        shape = interpreter.get_input_details()[0]["shape"]
        interpreter.set_tensor(index, np.random.default_rng(0).normal(size=shape).astype(np.float32))
        for _ in range(3):
            interpreter.invoke()
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            interpreter.invoke()
            times.append(time.perf_counter() - started)
        return 1000 * float(np.median(times))


def report(name: str, model: keras.Model, macs: float) -> None:
    ms = litert_ms(model)
    print(f"{name:60s} {ms:7.2f} ms  {macs / ms / 1e6:6.1f} GMAC/s", flush=True)


frames, bands = 188, 96
x = keras.Input((frames + 6, bands, 1))
for width, filters in ((38, 204), (67, 204)):
    out_f = bands - width + 1
    macs = frames * out_f * 7 * width * filters
    report(f"conv2d (7,{width},1,{filters}) valid", keras.Model(x, layers.Conv2D(filters, (7, width))(x)), macs)
    report(
        f"conv2d (7,{width}) + bn-free relu + maxpool over freq",
        keras.Model(x, layers.MaxPooling2D((1, out_f))(layers.Conv2D(filters, (7, width), activation="relu")(x))),
        macs,
    )
    # Time offsets as input channels: (frames, bands, 7) then a (1, width) conv with 7 input channels.
    stacked = keras.Input((frames, bands, 7))
    report(
        f"conv2d (1,{width},7,{filters}) on time-stacked input",
        keras.Model(stacked, layers.Conv2D(filters, (1, width))(stacked)),
        macs,
    )

# Temporal filters: (k, 1) over all 96 bands, 51 filters.
y = keras.Input((frames, bands, 1))
for k in (128, 64, 32):
    macs = frames * bands * k * 51
    report(f"conv2d ({k},1,1,51) same", keras.Model(y, layers.Conv2D(51, (k, 1), padding="same")(y)), macs)
