"""Installing a trained artifact where the worker loads it (docker-compose's trainer service runs this).

An artifact is checked before it replaces the served one: its manifest must match the feature code
of this build (:func:`genre_core.manifest.ensure_compatible`), and its model file must be the one the
manifest describes and load in LiteRT with the declared input and labels. The copy then replaces
the destination in one rename, so the worker never sees half an artifact.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from genre_core.errors import IncompatibleModel
from genre_core.manifest import MANIFEST_FILE, ModelManifest, ensure_compatible, read_manifest, serving_params
from genre_core.params import FeatureParams
from genre_trainer.atomic_dir import staged_directory
from genre_trainer.errors import TrainerError
from genre_trainer.litert import load_interpreter, signature_shapes
from genre_trainer.report import CARD_FILES


def validate_artifact(artifact_dir: Path, params: FeatureParams | None = None) -> ModelManifest:
    """The artifact's manifest, once the artifact is known to be servable by code using `params` (None: by the
    worker, which serves any set of feature parameters genre_core computes).

    Raises:
        IncompatibleModel: no manifest, other feature parameters, or a model file that does not match it.
    """
    manifest = read_manifest(artifact_dir)
    if params is None:
        serving_params(manifest)
    else:
        ensure_compatible(manifest, params)
    model_path = artifact_dir / manifest.model_file
    if not model_path.is_file():
        raise IncompatibleModel(f"{manifest.model_file} named by the manifest is missing from {artifact_dir}")
    if model_path.stat().st_size != manifest.model_bytes:
        raise IncompatibleModel(f"{manifest.model_file} is not the file the manifest describes (size differs)")
    try:
        input_shape, output_shape = signature_shapes(load_interpreter(model_path))
    except ValueError as error:
        raise IncompatibleModel(f"{manifest.model_file} is not a LiteRT model: {error}") from error
    if input_shape[1:] != manifest.input_shape or output_shape[1:] != [len(manifest.labels)]:
        raise IncompatibleModel(
            f"{manifest.model_file} maps {input_shape} to {output_shape}; the manifest says "
            f"{manifest.input_shape} to {len(manifest.labels)} labels"
        )
    return manifest


def publish(source: Path, destination: Path) -> ModelManifest:
    """Validate the artifact in `source`, then replace `destination` with a copy of it."""
    manifest = validate_artifact(source)
    if source.resolve() == destination.resolve():
        raise TrainerError(f"{source} is already the destination")
    files = [manifest.model_file, MANIFEST_FILE] + [name for name in CARD_FILES if (source / name).is_file()]
    with staged_directory(destination) as staging:
        for name in files:
            shutil.copy2(source / name, staging / name)
    return manifest
