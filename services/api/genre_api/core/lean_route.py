"""`LeanRoute`: an APIRoute that FastAPI documents as usual but that calls its endpoint directly.

On every request FastAPI solves the endpoint's dependencies and validates its parameters (and its return
value, unless that is a Response). For `GET /jobs/{id}`, which every waiting client calls about once a
second, that machinery took more of the app's CPU than the poll's own work: about 190 against 110 µs per
poll at 100 concurrent polls (benchmarks/RESULTS.md, section 3). A LeanRoute keeps the declaration, so
OpenAPI, `/docs` and the schema tests see the endpoint unchanged, and at request time calls
`endpoint(request=request, **path_params)`.

That is only the same thing for an endpoint whose parameters FastAPI would hand over untouched: the
`Request` and `str` path parameters; no query, header, cookie or body parameters, no dependencies, and
an `async` endpoint that returns a Response. The route checks this when it is made, so a later edit that
adds such a parameter fails at start-up instead of receiving nothing. Dependencies given to
`include_router` are not run either (none are used in this service).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine
from typing import Any, get_type_hints

from fastapi import Request, Response
from fastapi.routing import APIRoute


class LeanRouteError(TypeError):
    """An endpoint declared on a LeanRoute takes something FastAPI would have had to parse or solve."""


class LeanRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().__init__(path, endpoint, **kwargs)
        problems = passthrough_problems(self)
        if problems:
            raise LeanRouteError(f"{path}: {self.name} cannot be a LeanRoute: {'; '.join(problems)}")

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint = self.endpoint
        request_name = self.dependant.request_param_name or "request"

        async def handler(request: Request) -> Response:
            return await endpoint(**{request_name: request}, **request.path_params)

        return handler


def passthrough_problems(route: APIRoute) -> list[str]:
    """What in the route's endpoint FastAPI would parse, solve or convert (empty: it can be called directly)."""
    dependant = route.dependant
    problems = []
    if not inspect.iscoroutinefunction(route.endpoint):
        problems.append("the endpoint is not async")
    returns = get_type_hints(route.endpoint).get("return")
    if not (inspect.isclass(returns) and issubclass(returns, Response)):
        problems.append("it is not annotated to return a Response")
    if dependant.request_param_name is None:
        problems.append("it takes no Request")
    for kind in ("query", "header", "cookie", "body"):
        names = [field.name for field in getattr(dependant, f"{kind}_params")]
        if names:
            problems.append(f"{kind} parameters {names}")
    if dependant.dependencies:
        problems.append("dependencies")
    converted = [field.name for field in dependant.path_params if field.field_info.annotation is not str]
    if converted:
        problems.append(f"path parameters {converted} are not plain str")
    return problems
