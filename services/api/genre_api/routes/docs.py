"""GET /docs: Swagger UI served from this service, so the page works where no CDN can be reached.

FastAPI's own /docs loads Swagger UI's script, style and icon from a CDN and shows a blank page offline. This
is FastAPI's self-hosting recipe (get_swagger_ui_html with local asset URLs), the assets being the copy of
Swagger UI 5 that the `fastapi-offline` package ships (only its files are used).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_PATH = "/docs"
ASSETS_PATH = f"{DOCS_PATH}/assets"  # under /docs: the frontend's nginx forwards /docs/... to the API
ASSETS_DIR = Path(str(files("fastapi_offline") / "static"))
# Swagger UI would otherwise send the schema's URL to validator.swagger.io and show its badge.
SWAGGER_UI_PARAMETERS = {"validatorUrl": None}

router = APIRouter()


@router.get(DOCS_PATH, include_in_schema=False)
async def swagger_ui(request: Request) -> HTMLResponse:
    root = request.scope.get("root_path", "")
    return get_swagger_ui_html(
        openapi_url=f"{root}{request.app.openapi_url}",
        title=f"{request.app.title} - API docs",
        swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
        swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
        swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
        swagger_ui_parameters=SWAGGER_UI_PARAMETERS,
    )


def mount_docs(app: FastAPI) -> None:
    """The page and its assets; the app must be made with docs_url=None (and redoc_url=None: ReDoc's page
    would load from a CDN too)."""
    app.include_router(router)
    app.mount(ASSETS_PATH, StaticFiles(directory=ASSETS_DIR), name="docs-assets")
