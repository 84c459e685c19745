"""The Keras rebuild of musicnn, loaded with the MSD weights that ship in the `musicnn` package."""

from __future__ import annotations

from pathlib import Path

import keras
import numpy as np
import pytest

from genre_core.audio import load_audio
from genre_trainer.models import musicnn


@pytest.fixture(scope="module")
def network() -> keras.Model:
    return musicnn.load_msd_musicnn()


def _song_tags(network: keras.Model, path: Path) -> list[str]:
    spectrogram = musicnn.musicnn_input(load_audio(path, musicnn.SAMPLE_RATE))
    starts = range(0, len(spectrogram) - musicnn.PATCH_FRAMES + 1, musicnn.PATCH_FRAMES)
    patches = np.stack([spectrogram[start : start + musicnn.PATCH_FRAMES] for start in starts])
    outputs = network.predict(patches, verbose=0)
    assert outputs["embedding"].shape == (len(patches), musicnn.EMBEDDING_SIZE)
    return [musicnn.TAGS[index] for index in np.argsort(-outputs["tags"].mean(axis=0))[:5]]


def test_the_weights_land_where_they_belong(network: keras.Model, gtzan_dir: Path) -> None:
    # A wrongly mapped layer gives noise tags; the right mapping tags real songs as people did on last.fm.
    jazz = _song_tags(network, gtzan_dir / "genres" / "jazz" / "jazz.00001.ogg")
    metal = _song_tags(network, gtzan_dir / "genres" / "metal" / "metal.00001.ogg")
    assert jazz[0] == "jazz"
    assert {"metal", "heavy metal", "hard rock"} & set(metal)


def test_input_is_musicnn_s_own_log_mel() -> None:
    one_second = np.random.default_rng(0).uniform(-0.5, 0.5, musicnn.SAMPLE_RATE).astype(np.float32)
    spectrogram = musicnn.musicnn_input(one_second)
    assert spectrogram.shape == (1 + musicnn.SAMPLE_RATE // musicnn.HOP_LENGTH, musicnn.N_MELS)
    assert spectrogram.min() >= 0  # log10(1 + 10000 x) of a power


def test_the_timbral_filters_over_shifted_copies_compute_the_checkpoints_convolution() -> None:
    # build_musicnn runs each (7 x bands) timbral filter as a (1 x bands) filter over 7 time-shifted copies of
    # its input, which XNNPACK runs faster; it must be the same convolution as the checkpoint's.
    from keras import layers

    rng = np.random.default_rng(0)
    frames, bands, width, filters = 20, 12, 5, 3
    kernel = rng.normal(size=(musicnn.TIMBRAL_FRAMES, width, 1, filters)).astype(np.float32)
    bias = rng.normal(size=filters).astype(np.float32)
    padded = rng.normal(size=(2, frames + musicnn.TIMBRAL_FRAMES - 1, bands, 1)).astype(np.float32)
    plain = layers.Conv2D(filters, (musicnn.TIMBRAL_FRAMES, width))
    plain.build(padded.shape)
    plain.set_weights([kernel, bias])
    shifted = np.concatenate([padded[:, t : t + frames] for t in range(musicnn.TIMBRAL_FRAMES)], axis=3)
    stacked = layers.Conv2D(filters, (1, width))
    stacked.build(shifted.shape)
    stacked.set_weights([musicnn.timbral_kernel(kernel), bias])
    np.testing.assert_allclose(stacked(shifted), plain(padded), atol=1e-5)
