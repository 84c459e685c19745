#!/usr/bin/env bash
# One command from a fresh checkout to a running service: installs what is missing, starts Redis if
# none answers at GENRE_REDIS_URL, a Celery worker and the API (which serves the web page), then prints
# the page's URL. Ctrl-C stops what it started. With --detach it returns and leaves them running
# (stop them with scripts/stop.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

detach=false
[[ "${1:-}" == "--detach" ]] && detach=true
export GENRE_REDIS_URL="${GENRE_REDIS_URL:-redis://127.0.0.1:6379/0}"
export GENRE_UPLOAD_DIR="${GENRE_UPLOAD_DIR:-$PWD/var/uploads}"
PORT="${GENRE_PORT:-8000}"
HOST="${GENRE_HOST:-127.0.0.1}"

scripts/install.sh
mkdir -p var/log var/run "$GENRE_UPLOAD_DIR"

# Start a Redis of our own only if none answers.
if ! .venv/bin/python -c "import redis, os; redis.Redis.from_url(os.environ['GENRE_REDIS_URL'], socket_connect_timeout=1).ping()" 2>/dev/null; then
  redis_port=$(.venv/bin/python -c "import os, urllib.parse as u; print(u.urlsplit(os.environ['GENRE_REDIS_URL']).port or 6379)")
  echo "==> starting redis-server on 127.0.0.1:$redis_port (data in var/redis)"
  mkdir -p var/redis
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$PWD/var/redis" --appendonly yes \
    --daemonize yes --pidfile "$PWD/var/run/redis.pid" --logfile "$PWD/var/log/redis.log"
fi

# The cores shared out between the worker's processes: one job on an idle 2-core machine runs its model on
# both (a 3-min song: 1.9 s instead of 3.4 s with the default musicnn model).
concurrency="${GENRE_WORKER_CONCURRENCY:-1}"
export GENRE_INFERENCE_THREADS="${GENRE_INFERENCE_THREADS:-$(( $(nproc) / concurrency > 1 ? $(nproc) / concurrency : 1 ))}"
echo "==> starting the Celery worker: $concurrency process(es), $GENRE_INFERENCE_THREADS inference thread(s) each (log: var/log/worker.log)"
.venv/bin/celery --app genre_worker.tasks worker --loglevel INFO --concurrency "$concurrency" \
  >var/log/worker.log 2>&1 &
echo $! >var/run/worker.pid
echo "==> starting the API on $HOST:$PORT (log: var/log/api.log)"
# The server options are those of genre_api/server_options.py (the image and the test stack use them too).
.venv/bin/uvicorn genre_api.main:app --host "$HOST" --port "$PORT" --workers "${GENRE_API_WORKERS:-2}" \
  --http genre_api.core.http_protocol:BoundedHttpToolsProtocol --no-proxy-headers \
  >var/log/api.log 2>&1 &
echo $! >var/run/api.pid

stop() { scripts/stop.sh; }
$detach || trap stop INT TERM EXIT

for _ in $(seq 1 120); do
  if curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1; then
    echo
    echo "Music Genre Classifier is running:  http://$HOST:$PORT/"
    echo "API docs: http://$HOST:$PORT/docs    logs: var/log/"
    if $detach; then echo "Stop it with: scripts/stop.sh"; exit 0; fi
    echo "Press Ctrl-C to stop."
    wait
    exit 0
  fi
  for name in worker api; do
    if ! kill -0 "$(cat var/run/$name.pid)" 2>/dev/null; then
      echo "The $name stopped while starting; its log:" >&2; tail -n 30 "var/log/$name.log" >&2; exit 1
    fi
  done
  sleep 0.5
done
echo "The service did not become healthy in 60 s; see var/log/" >&2
exit 1
