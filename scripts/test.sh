#!/usr/bin/env bash
# The whole test suite: installs what the tests need (idempotent), then lint, Python tests (unit,
# end-to-end on real Redis/Celery/yt-dlp/ffmpeg, deployment files) and the frontend's tests.
# Extra arguments go to pytest, e.g. scripts/test.sh -k e2e
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install.sh --for-tests
# The Node.js that install.sh put in .venv, where the machine's own is missing or too old.
export PATH="$PWD/.venv/bin:$PATH"

echo "==> ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> frontend tests (vitest)"
npm test --prefix frontend --silent
echo "==> pytest"
.venv/bin/python -m pytest "$@"
