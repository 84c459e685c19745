"""GET /models/current: the card of the model the workers run."""

from __future__ import annotations

from fastapi import APIRouter

from genre_api.core.errors import ApiError
from genre_api.deps import ServicesDep
from genre_api.schemas import ErrorBody
from genre_core.errors import IncompatibleModel
from genre_core.manifest import ModelManifest, read_manifest

router = APIRouter(tags=["models"])


@router.get("/models/current", response_model=ModelManifest, responses={503: {"model": ErrorBody}})
def current_model(services: ServicesDep) -> ModelManifest:
    """The model's manifest: labels, feature parameters, training data and validation metrics."""
    try:
        # Read on each request (a small file): a model swapped into the shared folder shows at once.
        return read_manifest(services.settings.model_dir)
    except IncompatibleModel as error:
        raise ApiError(503, "model_unavailable", "No model is installed on this server.") from error
