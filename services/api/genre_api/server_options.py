"""The uvicorn options the API is served with, wherever it runs: `scripts/quickstart.sh`, the image's CMD
(`services/api/Dockerfile`, checked against the quickstart by tests/deploy) and the test stack (`testkit.stack`).

- `--http ...BoundedHttpToolsProtocol`: httptools, with a limit on request heads and JSON refusals
  (`genre_api.core.http_protocol`);
- `--no-proxy-headers`: uvicorn would otherwise take the client's address from X-Forwarded-For whenever the
  connection comes from 127.0.0.1, so anyone on the same host could choose the address the rate limit
  counts; the proxies to believe are set by `GENRE_TRUSTED_PROXIES` instead (`genre_api.main`).
"""

from __future__ import annotations

UVICORN_OPTIONS = ("--http", "genre_api.core.http_protocol:BoundedHttpToolsProtocol", "--no-proxy-headers")
