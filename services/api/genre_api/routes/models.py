"""GET /models/current: the card of the model the workers run."""

from __future__ import annotations

from fastapi import APIRouter

from genre_api.core.errors import ApiError
from genre_api.deps import ServicesDep
from genre_api.schemas import ErrorBody
from genre_core.errors import IncompatibleModel
from genre_core.manifest import ModelManifest

router = APIRouter(tags=["models"])


# Served by the lower route (GET and HEAD, registered first); the upper one documents the GET (see jobs.py).
@router.get("/models/current", response_model=ModelManifest, responses={503: {"model": ErrorBody}})
@router.api_route("/models/current", methods=["GET", "HEAD"], include_in_schema=False)
def current_model(services: ServicesDep) -> ModelManifest:
    """The model's manifest: labels, feature parameters, training data and validation metrics."""
    try:
        return services.model_card.get()
    except IncompatibleModel as error:
        raise ApiError(503, "model_unavailable", "No model is installed on this server.") from error
