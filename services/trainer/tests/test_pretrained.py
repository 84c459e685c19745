"""The ladder's musicnn row embeds its windows exactly as the served default model does."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from genre_core.audio import load_audio
from genre_core.features import song_windows
from genre_trainer.data.dataset import SongFile
from genre_trainer.data.feature_store import compute_features
from genre_trainer.data.windows import WindowOptions
from genre_trainer.models import transfer
from genre_trainer.models.pretrained import window_embeddings


def test_back_to_back_ladder_windows_get_the_served_embeddings(clip_path: Path) -> None:
    files = [SongFile(song_id="clip", genre=clip_path.parent.name, path=clip_path)]
    options = WindowOptions()  # the ladder's default: back-to-back 3-s windows of its 22.05 kHz features
    features = compute_features(files, options, progress=False)
    ladder = window_embeddings(features, files, options)

    served_windows = song_windows(load_audio(clip_path, transfer.PARAMS.sample_rate), transfer.PARAMS)
    served = transfer.embed(transfer.build_embedder(), served_windows[..., np.newaxis])
    assert len(ladder) == len(features.window_song) == len(served) >= 9
    np.testing.assert_allclose(ladder, served, rtol=1e-5, atol=1e-5)
