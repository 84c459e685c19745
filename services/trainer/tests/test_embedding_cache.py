"""The embedding cache: the network runs once per distinct input, and nothing else changes what comes back."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from genre_trainer.models.embedding_cache import EmbeddingCache


class CountingNetwork:
    """A stand-in for musicnn that is a pure function of its input and counts the windows it saw."""

    def __init__(self) -> None:
        self.windows_seen = 0

    def __call__(self, windows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        self.windows_seen += len(windows)
        flat = windows.reshape(len(windows), -1)
        return flat[:, :3] * 2, flat[:, -2:] + 1


def _songs(rng: np.random.Generator, lengths: list[int]) -> tuple[np.ndarray, np.ndarray]:
    windows = rng.normal(size=(sum(lengths), 4, 5, 1)).astype(np.float32)
    song_ids = np.repeat(np.array([f"song{index}" for index in range(len(lengths))], dtype=object), lengths)
    return windows, song_ids


def test_a_second_run_reads_every_song_from_disk(tmp_path: Path) -> None:
    windows, song_ids = _songs(np.random.default_rng(0), [3, 5, 2])
    first_network, second_network = CountingNetwork(), CountingNetwork()
    first = EmbeddingCache(first_network, tmp_path).embed_windows(windows, song_ids)
    second_cache = EmbeddingCache(second_network, tmp_path)
    second = second_cache.embed_windows(windows, song_ids)
    assert first_network.windows_seen == 10 and second_network.windows_seen == 0
    assert (second_cache.hits, second_cache.misses) == (3, 0)
    for computed, read in zip(first, second, strict=True):
        np.testing.assert_array_equal(computed, read)
    np.testing.assert_array_equal(first[0], CountingNetwork()(windows)[0])


def test_a_changed_song_is_computed_again_and_only_that_song(tmp_path: Path) -> None:
    windows, song_ids = _songs(np.random.default_rng(1), [3, 5, 2])
    EmbeddingCache(CountingNetwork(), tmp_path).embed_windows(windows, song_ids)
    changed = windows.copy()
    changed[4] += 1e-3  # the second song, e.g. another augmentation or preprocessing
    network = CountingNetwork()
    embeddings, tags = EmbeddingCache(network, tmp_path).embed_windows(changed, song_ids)
    assert network.windows_seen == 5
    expected = CountingNetwork()(changed)
    np.testing.assert_array_equal(embeddings, expected[0])
    np.testing.assert_array_equal(tags, expected[1])


def test_a_damaged_entry_is_recomputed_and_no_folder_keeps_nothing(tmp_path: Path) -> None:
    windows, song_ids = _songs(np.random.default_rng(2), [4])
    EmbeddingCache(CountingNetwork(), tmp_path).embed_windows(windows, song_ids)
    (entry,) = tmp_path.rglob("*.npz")
    entry.write_bytes(b"half a file")
    network = CountingNetwork()
    embeddings, _ = EmbeddingCache(network, tmp_path).embed_windows(windows, song_ids)
    assert network.windows_seen == 4
    np.testing.assert_array_equal(embeddings, CountingNetwork()(windows)[0])
    assert not list(tmp_path.rglob("*.tmp"))

    uncached = CountingNetwork()
    cache = EmbeddingCache(uncached, None)
    cache.embed_windows(windows, song_ids)
    cache.embed_windows(windows, song_ids)
    assert uncached.windows_seen == 8
