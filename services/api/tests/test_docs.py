"""/docs is served whole by the service: the page names no other host, and every asset it loads is here."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from genre_api.core.config import ApiSettings
from genre_api.main import create_app

# Any URL with a host: what the page would fetch from elsewhere (a CDN, the validator, a favicon).
ABSOLUTE_URL = re.compile(r"(?:https?:)?//[\w.-]+", re.IGNORECASE)


@pytest.fixture
def client(redis_db: Callable[[int], str], model_dir: Path, tmp_path: Path) -> TestClient:
    settings = ApiSettings(
        redis_url=redis_db(14), model_dir=model_dir, upload_dir=tmp_path / "uploads", frontend_dir=tmp_path / "none"
    )
    return TestClient(create_app(settings))


def test_the_docs_page_references_no_external_host(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "SwaggerUIBundle" in page.text
    assert ABSOLUTE_URL.findall(page.text) == []
    assert '"validatorUrl": null' in page.text  # else Swagger UI sends the schema's URL to validator.swagger.io


def test_every_asset_the_page_loads_is_served_here(client: TestClient) -> None:
    page = client.get("/docs").text
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", page) + re.findall(r"url: *'([^']+)'", page)
    assert "/openapi.json" in assets
    assert {"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"} <= set(assets)
    kinds = {".js": "javascript", ".css": "text/css", ".png": "image/png", ".json": "application/json"}
    for asset in assets:
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert kinds[Path(asset).suffix] in response.headers["content-type"], asset
    assert client.get("/openapi.json").json()["openapi"].startswith("3.1")  # what Swagger UI 5 renders (4 cannot)


def test_the_cdn_pages_are_gone_and_a_missing_asset_is_a_plain_404(client: TestClient) -> None:
    assert client.get("/redoc").status_code == 404
    missing = client.get("/docs/assets/nothing.js")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
