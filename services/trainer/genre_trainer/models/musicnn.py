"""musicnn (Pons and Serra, 2019), pretrained on the Million Song Dataset, rebuilt in Keras 3.

The `musicnn` package on PyPI ships its weights as TensorFlow 1 checkpoints, and its own code needs the
TensorFlow 1 graph API that TensorFlow 2.21 no longer has. This module rebuilds the network (the
"musically motivated" front end of vertical timbral and horizontal temporal filters, the dense mid end,
the temporal pooling back end) as a Keras model and loads the checkpoint into it, so nothing is
downloaded: the weights are the package's files.

Its input is its own (16 kHz, 96 mel bands, log10(1 + 10000·power)): the `musicnn-16k` set of
:mod:`genre_core.params`, computed by :mod:`genre_core.features` like every other model input, so the same
code feeds it in the trainer and in the worker (`genre-trainer train --model musicnn` serves it with a genre head).
"""

from __future__ import annotations

from importlib import resources

import keras
import numpy as np
from keras import layers, ops

from genre_core.features import log_mel
from genre_core.params import MUSICNN_FEATURE_PARAMS
from genre_trainer.errors import TrainerError

SAMPLE_RATE = MUSICNN_FEATURE_PARAMS.sample_rate
HOP_LENGTH = MUSICNN_FEATURE_PARAMS.hop_length
N_MELS = MUSICNN_FEATURE_PARAMS.n_mels
PATCH_FRAMES = 187
"""Three seconds of input frames: the patch length the network was trained on."""
TIMBRAL_FRAMES = 7
"""Frames the timbral filters span (the checkpoint's kernels are 7 frames high)."""
EMBEDDING_SIZE = 2 * 753
"""Max- and mean-pooled mid-end features: the embedding the musicnn authors recommend for transfer."""
TAGS = (
    "rock", "pop", "alternative", "indie", "electronic", "female vocalists", "dance", "00s", "alternative rock",
    "jazz", "beautiful", "metal", "chillout", "male vocalists", "classic rock", "soul", "indie rock", "Mellow",
    "electronica", "80s", "folk", "90s", "chill", "instrumental", "punk", "oldies", "blues", "hard rock", "ambient",
    "acoustic", "experimental", "female vocalist", "guitar", "Hip-Hop", "70s", "party", "country", "easy listening",
    "sexy", "catchy", "funk", "electro", "heavy metal", "Progressive rock", "60s", "rnb", "indie pop", "sad",
    "House", "happy",
)  # fmt: skip
"""The 50 Million Song Dataset tags of the MSD model's output, in order."""


def musicnn_input(audio: np.ndarray) -> np.ndarray:
    """Mono 16 kHz audio -> (frames, 96) musicnn input: genre_core's `musicnn-16k` log-mel, frames first.

    The musicnn package also rounds the power to float16 before the log; that rounding (a 1e-3 relative
    change) is left out, as the worker leaves it out.
    """
    return log_mel(audio, MUSICNN_FEATURE_PARAMS).T


def build_musicnn(frames: int = PATCH_FRAMES) -> keras.Model:
    """The MSD musicnn network; outputs `embedding` (max ⊕ mean pooled mid-end features) and `tags`.

    It is convolutional in time and pools over time at the end, so it takes patches of any length; it was
    trained on `PATCH_FRAMES`. Layer names are those of the checkpoint's variables, which
    :func:`load_msd_musicnn` relies on.
    """
    patches = keras.Input((frames, N_MELS), name="musicnn_input")
    x = layers.Reshape((frames, N_MELS, 1))(patches)
    x = _batch_norm("batch_normalization")(x)
    padded = layers.ZeroPadding2D(((3, 3), (0, 0)))(x)
    # The timbral filters span 7 frames. Given the 7 time-shifted copies of the padded input as channels, each
    # is a (1 x bands) convolution over 7 channels: the same sums in a shape XNNPACK runs about 1.45x faster
    # (experiments/musicnn_speed). The checkpoint's (7, bands, 1, filters) kernels are transposed on loading.
    shifted = layers.Concatenate(axis=3, name="timbral_frames")(
        [layers.Cropping2D(((offset, TIMBRAL_FRAMES - 1 - offset), (0, 0)))(padded) for offset in range(TIMBRAL_FRAMES)]
    )
    front = []
    # Timbral filters span 40 % and 70 % of the mel bands; temporal filters span 1, 2 and 4 s of one band.
    for conv, norm, bands in (("conv2d", 1, 38), ("conv2d_1", 2, 67)):
        front.append(_max_over_bands(_conv_block(shifted, 204, (1, bands), "valid", conv, norm)))
    for index, frames in enumerate((128, 64, 32)):
        front.append(_max_over_bands(_conv_block(x, 51, (frames, 1), "same", f"conv2d_{2 + index}", 3 + index)))
    front_end = layers.Concatenate(axis=2)(front)
    mid = [front_end]
    hidden = front_end
    for index in range(3):
        conv = layers.Conv1D(64, 7, activation="relu", name=f"conv2d_{5 + index}")(layers.ZeroPadding1D(3)(hidden))
        conv = _batch_norm(f"batch_normalization_{6 + index}")(conv)
        hidden = conv if index == 0 else layers.Add()([conv, hidden])
        mid.append(hidden)
    features = layers.Concatenate(axis=2)(mid)
    max_pool = layers.Lambda(lambda t: ops.max(t, axis=1), name="max_pool")(features)
    mean_pool = layers.Lambda(lambda t: ops.mean(t, axis=1), name="mean_pool")(features)
    embedding = layers.Concatenate(name="embedding")([max_pool, mean_pool])
    # The original back end flattens (features, [max, mean]): max and mean interleaved per feature.
    interleaved = layers.Lambda(
        lambda pair: ops.reshape(ops.stack(pair, axis=2), (-1, EMBEDDING_SIZE)), name="interleave"
    )([max_pool, mean_pool])
    dense = layers.Dense(200, activation="relu", name="dense")(_batch_norm("batch_normalization_9")(interleaved))
    tags = layers.Dense(len(TAGS), activation="sigmoid", name="dense_1")(_batch_norm("batch_normalization_10")(dense))
    return keras.Model(patches, {"embedding": embedding, "tags": tags}, name="msd_musicnn")


def load_msd_musicnn(frames: int = PATCH_FRAMES) -> keras.Model:
    """:func:`build_musicnn` for patches of `frames` frames, with the MSD weights of the installed `musicnn` package.

    Raises:
        TrainerError: the package is not installed (`pip install --no-deps musicnn==0.1.0`).
    """
    from tensorflow.python.training import py_checkpoint_reader  # TensorFlow loads slowly: only when needed

    reader = py_checkpoint_reader.NewCheckpointReader(_packaged_checkpoint())
    model = build_musicnn(frames)
    for layer in model.layers:
        if isinstance(layer, layers.BatchNormalization):
            names = ("gamma", "beta", "moving_mean", "moving_variance")
            layer.set_weights([reader.get_tensor(f"{layer.name}/{name}") for name in names])
        elif isinstance(layer, layers.Conv1D):
            kernel = reader.get_tensor(f"{layer.name}/kernel")  # (7, width, 1, 64): a 2D kernel as wide as its input
            layer.set_weights([kernel[:, :, 0, :], reader.get_tensor(f"{layer.name}/bias")])
        elif isinstance(layer, layers.Conv2D | layers.Dense):
            kernel, bias = (reader.get_tensor(f"{layer.name}/{name}") for name in ("kernel", "bias"))
            if isinstance(layer, layers.Conv2D) and layer.kernel_size[0] == 1 and kernel.shape[0] == TIMBRAL_FRAMES:
                kernel = timbral_kernel(kernel)
            layer.set_weights([kernel, bias])
    return model


def timbral_kernel(kernel: np.ndarray) -> np.ndarray:
    """A (frames, bands, 1, filters) kernel as the (1, bands, frames, filters) kernel of the same convolution
    over time-shifted copies of its input stacked as channels (channel t holds the input t frames later)."""
    return np.ascontiguousarray(np.transpose(kernel, (2, 1, 0, 3)))


def _packaged_checkpoint() -> str:
    try:
        package = resources.files("musicnn")
    except ModuleNotFoundError as error:
        raise TrainerError(
            "musicnn's weights are not installed: run `pip install --no-deps musicnn==0.1.0` (scripts/install.sh does)"
        ) from error
    # The checkpoint's file prefix is empty: its files are MSD_musicnn/.index and .data-00000-of-00001.
    return f"{package / 'MSD_musicnn'}/"


def _batch_norm(name: str) -> layers.BatchNormalization:
    return layers.BatchNormalization(epsilon=1e-3, name=name)  # TensorFlow 1's default epsilon


def _conv_block(
    x: keras.KerasTensor, filters: int, kernel: tuple[int, int], padding: str, conv: str, norm: int
) -> keras.KerasTensor:
    x = layers.Conv2D(filters, kernel, padding=padding, activation="relu", name=conv)(x)
    return _batch_norm(f"batch_normalization_{norm}")(x)


def _max_over_bands(x: keras.KerasTensor) -> keras.KerasTensor:
    return layers.Lambda(lambda t: ops.max(t, axis=2))(x)
