"""LeanRoute calls its endpoint directly, documents it like any route, and refuses endpoints it would shortchange."""

from __future__ import annotations

import re
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from fastapi.testclient import TestClient

from genre_api.core.lean_route import LeanRoute, LeanRouteError


def _app_with(router: APIRouter) -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def test_the_endpoint_gets_the_request_and_its_path_parameters_as_given() -> None:
    router = APIRouter(route_class=LeanRoute)

    @router.get("/things/{kind}/{name}")
    async def thing(request: Request, kind: str, name: str) -> Response:
        return Response(f"{request.method} {kind} {name}", media_type="text/plain")

    client = _app_with(router)
    assert client.get("/things/a%20b/ü").text == "GET a b ü"
    paths = client.get("/openapi.json").json()["paths"]
    assert [p["name"] for p in paths["/things/{kind}/{name}"]["get"]["parameters"]] == ["kind", "name"]


async def _dependency() -> int:
    return 1


@pytest.mark.parametrize(
    ("path", "problem"),
    [
        ("/q/{name}", "query parameters ['limit']"),
        ("/d/{name}", "dependencies"),
        ("/i/{number}", "path parameters ['number'] are not plain str"),
        ("/s/{name}", "not async"),
        ("/m/{name}", "not annotated to return a Response"),
        ("/r/{name}", "takes no Request"),
    ],
)
def test_an_endpoint_that_needs_fastapis_parsing_is_refused_at_start_up(path: str, problem: str) -> None:
    async def with_query(request: Request, name: str, limit: int = 10) -> Response: ...
    async def with_dependency(request: Request, name: str, one: Annotated[int, Depends(_dependency)]) -> Response: ...
    async def with_int(request: Request, number: int) -> Response: ...
    def sync(request: Request, name: str) -> Response: ...
    async def returns_model(request: Request, name: str) -> dict[str, str]: ...
    async def no_request(name: str) -> Response: ...

    endpoints = {"/q/{name}": with_query, "/d/{name}": with_dependency, "/i/{number}": with_int,
                 "/s/{name}": sync, "/m/{name}": returns_model, "/r/{name}": no_request}  # fmt: skip
    router = APIRouter(route_class=LeanRoute)
    with pytest.raises(LeanRouteError, match=re.escape(problem)):
        router.get(path)(endpoints[path])
