"""Defaults for the command-line flags, read from `GENRE_*` environment variables.

Flags win; the variables exist so that a container (docker-compose's trainer service) can be configured
the same way as the API and the worker, without rewriting its command line.
"""

from __future__ import annotations

from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

from genre_trainer.training.recipe import SHIPPED_EPOCHS


class TrainerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GENRE_")

    data_dir: Path | None = None
    """GENRE_DATA_DIR: the folder-per-genre dataset to train on (`train --data`)."""
    extra_data_dirs: list[Path] = []
    """GENRE_EXTRA_DATA_DIRS: more datasets whose songs all train the model (`train --extra-data`), as a JSON list."""
    artifact_dir: Path | None = None
    """GENRE_ARTIFACT_DIR: where `train` writes the artifact and where `publish` reads it from."""
    model_dir: Path | None = None
    """GENRE_MODEL_DIR: where `publish` installs the artifact, i.e. where the worker loads its model from."""
    epochs: int = SHIPPED_EPOCHS
    seed: int = 1234
