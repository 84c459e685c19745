"""The installed model's manifest, read again only when its file changes."""

from __future__ import annotations

from pathlib import Path

from genre_core.manifest import MANIFEST_FILE, ModelManifest, read_manifest


class ModelCard:
    """Every submission needs the model version (to reuse results) and /models/current the whole card;
    both are served from memory until `manifest.json` changes, so a swapped model shows at once
    without a file read and a parse on each request.

    Raises `IncompatibleModel` (from :func:`read_manifest`) while no model is installed.
    """

    def __init__(self, model_dir: Path) -> None:
        self._model_dir = model_dir
        self._seen: tuple[int, int] | None = None
        self._manifest: ModelManifest | None = None

    def get(self) -> ModelManifest:
        try:
            stat = (self._model_dir / MANIFEST_FILE).stat()
            seen = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            seen = None
        if self._manifest is None or seen is None or seen != self._seen:
            self._manifest = read_manifest(self._model_dir)
            self._seen = seen
        return self._manifest
