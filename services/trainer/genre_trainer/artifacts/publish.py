"""Installing a trained artifact where the worker loads it (docker-compose's trainer service runs this).

An artifact is checked before it replaces the served one: its manifest must match the feature code
of this build (:func:`genre_core.manifest.ensure_compatible`), and its model file must be the one the
manifest describes and load in LiteRT with the declared input and labels. The copy then replaces
the destination in one rename, so the worker never sees half an artifact.

The Docker image publishes the model it ships at every start (:func:`publish_shipped`): into an empty
volume, and over a model an earlier start put there when the image now ships another (an upgrade), but
never over a model someone trained or published there by hand.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path
from typing import Literal

from genre_core.errors import IncompatibleModel
from genre_core.manifest import MANIFEST_FILE, ModelManifest, ensure_compatible, read_manifest, serving_params
from genre_core.params import FeatureParams
from genre_trainer.artifacts.atomic_dir import staged_directory
from genre_trainer.artifacts.litert import load_interpreter, signature_shapes
from genre_trainer.errors import TrainerError
from genre_trainer.evaluation.report import CARD_FILES


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
        input_shape, output_shapes = signature_shapes(load_interpreter(model_path))
    except ValueError as error:
        raise IncompatibleModel(f"{manifest.model_file} is not a LiteRT model: {error}") from error
    expected = {None if manifest.outputs is None else manifest.outputs.genre: [len(manifest.labels)]}
    if manifest.outputs is not None and manifest.outputs.music is not None:
        expected[manifest.outputs.music] = [1]
    if manifest.outputs is not None and manifest.outputs.tags is not None:
        expected[manifest.outputs.tags] = [len(manifest.outputs.tag_names or [])]
    found = {name: shape[1:] for name, shape in output_shapes.items()}
    if manifest.outputs is None and len(found) == 1:
        found = {None: next(iter(found.values()))}
    if input_shape[1:] != manifest.input_shape or found != expected:
        raise IncompatibleModel(
            f"{manifest.model_file} maps {input_shape} to {output_shapes}; the manifest says "
            f"{manifest.input_shape} to {len(manifest.labels)} labels"
            + ("" if manifest.outputs is None else f" (outputs {expected})")
        )
    return manifest


SHIPPED_MARKER = "shipped.json"
"""Written beside an artifact that :func:`publish_shipped` put in place, naming its version. Training into the
folder or publishing by hand replaces the whole folder, so a model put there by a person never carries it."""

ShippedOutcome = Literal["published", "upgraded", "current", "kept"]


def publish(source: Path, destination: Path, shipped: bool = False) -> ModelManifest:
    """Validate the artifact in `source`, then replace `destination` with a copy of it (marked as the shipped
    model when `shipped`)."""
    manifest = validate_artifact(source)
    if source.resolve() == destination.resolve():
        raise TrainerError(f"{source} is already the destination")
    files = [manifest.model_file, MANIFEST_FILE] + [name for name in CARD_FILES if (source / name).is_file()]
    with staged_directory(destination) as staging:
        for name in files:
            shutil.copy2(source / name, staging / name)
        if shipped:
            (staging / SHIPPED_MARKER).write_text(json.dumps({"version": manifest.version}) + "\n")
    return manifest


def publish_shipped(source: Path, destination: Path) -> tuple[ModelManifest, ShippedOutcome]:
    """Publish the image's shipped model `source` unless `destination` holds a model put there by a person.

    Returns the manifest now in `destination` and what happened: ``published`` (there was none),
    ``upgraded`` (it held an earlier shipped model), ``current`` (it holds this one), ``kept`` (it holds a
    model trained or published there by hand: left alone).

    Raises:
        IncompatibleModel: `source` is not servable, or a model put there by hand is not (this code cannot
            serve it, and replacing it would lose someone's work: they must publish or retrain).
    """
    shipped = validate_artifact(source)
    if not (destination / MANIFEST_FILE).is_file():
        return publish(source, destination, shipped=True), "published"
    present_version = _shipped_version(destination)
    if present_version is None:
        return validate_artifact(destination), "kept"
    if present_version == shipped.version:
        with contextlib.suppress(IncompatibleModel):  # ours but damaged: replaced below
            return validate_artifact(destination), "current"
    # An earlier image's model, read as plain JSON: this code may no longer be able to read its manifest.
    return publish(source, destination, shipped=True), "upgraded"


def _shipped_version(artifact_dir: Path) -> str | None:
    """The version :func:`publish_shipped` wrote there, if the artifact there is still the one it wrote."""
    try:
        marked = json.loads((artifact_dir / SHIPPED_MARKER).read_text())["version"]
        present = json.loads((artifact_dir / MANIFEST_FILE).read_text())["version"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return marked if marked == present else None
