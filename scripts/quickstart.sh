#!/usr/bin/env bash
# One command from a fresh checkout to a running service: installs what is missing, starts Redis if
# none answers at GENRE_REDIS_URL, a Celery worker and the API (which serves the web page), then prints
# the page's URL. Ctrl-C stops what it started. With --detach it returns and leaves them running
# (stop them with scripts/stop.sh).
#
# Safe to run again: what already runs from this checkout (var/run/*.pid) is said and left alone, never
# started twice, and its pid file is never overwritten; only what is missing is started.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/pidfiles.sh
source scripts/lib/pidfiles.sh

detach=false
[[ "${1:-}" == "--detach" ]] && detach=true
export GENRE_REDIS_URL="${GENRE_REDIS_URL:-redis://127.0.0.1:6379/0}"
export GENRE_UPLOAD_DIR="${GENRE_UPLOAD_DIR:-$PWD/var/uploads}"
PORT="${GENRE_PORT:-8000}"
HOST="${GENRE_HOST:-127.0.0.1}"

mkdir -p var/log var/run
# One quickstart at a time per checkout: two starting together would each see nothing running. The
# processes it starts get the lock's descriptor closed (9>&-), so the lock ends with this script.
exec 9>var/run/quickstart.lock
if ! flock -n 9; then
  echo "Another scripts/quickstart.sh is starting the service from this checkout; wait for it." >&2
  exit 1
fi

api_pid=$(running_pid api || true)
worker_pid=$(running_pid worker || true)
if [[ -n $api_pid && -n $worker_pid ]]; then
  address=$(cat var/run/api.address 2>/dev/null || echo "$HOST:$PORT")
  echo "Music Genre Classifier is already running: http://$address/ (API pid $api_pid, worker pid $worker_pid)"
  echo "Nothing started. Stop it with: scripts/stop.sh"
  exit 0
fi

# Answers on the port: another program, or an API of this checkout whose pid file is gone.
port_taken() {
  .venv/bin/python -c "import socket, sys; socket.create_connection(sys.argv[1:3], timeout=1).close()" \
    "$1" "$2" 2>/dev/null
}

# 200 from /healthz: Redis answers and a worker replied. Each API process probes the worker on its own, so one
# may still answer 503 just after another's 200: four 200s in a row, each on a new connection. Python's urllib,
# as curl may not be installed.
healthy() {
  .venv/bin/python -c "import sys, urllib.request; [urllib.request.urlopen(sys.argv[1], timeout=5) for _ in range(4)]" \
    "http://127.0.0.1:$PORT/healthz" 2>/dev/null
}

scripts/install.sh

connect_host=$([[ $HOST == 0.0.0.0 ]] && echo 127.0.0.1 || echo "$HOST")
if [[ -z $api_pid ]] && port_taken "$connect_host" "$PORT"; then
  echo "Port $PORT on $HOST is already in use by another program (not an API started from this checkout)." >&2
  echo "Stop that program, or choose another port: GENRE_PORT=8001 scripts/quickstart.sh" >&2
  exit 1
fi
mkdir -p "$GENRE_UPLOAD_DIR"

started=()
# Start a Redis of our own only if none answers.
if ! .venv/bin/python -c "import redis, os; redis.Redis.from_url(os.environ['GENRE_REDIS_URL'], socket_connect_timeout=1).ping()" 2>/dev/null; then
  redis_port=$(.venv/bin/python -c "import os, urllib.parse as u; print(u.urlsplit(os.environ['GENRE_REDIS_URL']).port or 6379)")
  echo "==> starting redis-server on 127.0.0.1:$redis_port (data in var/redis)"
  mkdir -p var/redis
  redis-server --port "$redis_port" --bind 127.0.0.1 --dir "$PWD/var/redis" --appendonly yes \
    --daemonize yes --pidfile "$PWD/var/run/redis.pid" --logfile "$PWD/var/log/redis.log" 9>&-
elif redis_pid=$(running_pid redis); then
  echo "==> redis-server is already running (pid $redis_pid)"
fi

if [[ -n $worker_pid ]]; then
  echo "==> the Celery worker is already running (pid $worker_pid); not starting another"
else
  # The cores shared out between the worker's processes: one job on an idle 2-core machine runs its model on
  # both (a 3-min song: 1.9 s instead of 3.4 s with the default musicnn model).
  concurrency="${GENRE_WORKER_CONCURRENCY:-1}"
  export GENRE_INFERENCE_THREADS="${GENRE_INFERENCE_THREADS:-$(( $(nproc) / concurrency > 1 ? $(nproc) / concurrency : 1 ))}"
  echo "==> starting the Celery worker: $concurrency process(es), $GENRE_INFERENCE_THREADS inference thread(s) each (log: var/log/worker.log)"
  .venv/bin/celery --app genre_worker.tasks worker --loglevel INFO --concurrency "$concurrency" \
    >var/log/worker.log 2>&1 9>&- &
  echo $! >var/run/worker.pid
  started+=(worker)
fi

if [[ -n $api_pid ]]; then
  echo "==> the API is already running (pid $api_pid); not starting another"
  address=$(cat var/run/api.address 2>/dev/null || echo "$HOST:$PORT")
  PORT=${address##*:}
else
  echo "==> starting the API on $HOST:$PORT (log: var/log/api.log)"
  # The server options are those of genre_api/server_options.py (the image and the test stack use them too).
  .venv/bin/uvicorn genre_api.main:app --host "$HOST" --port "$PORT" --workers "${GENRE_API_WORKERS:-2}" \
    --http genre_api.core.http_protocol:BoundedHttpToolsProtocol --no-proxy-headers \
    >var/log/api.log 2>&1 9>&- &
  echo $! >var/run/api.pid
  echo "$HOST:$PORT" >var/run/api.address
  started+=(api)
fi

stop() { scripts/stop.sh; }
$detach || trap stop INT TERM EXIT

for _ in $(seq 1 120); do
  # What this run started must still be alive: an answer from some other server on the port is not ours.
  # (Redis daemonizes: redis-server's own exit status said whether it started.)
  for name in "${started[@]}"; do
    if ! running_pid "$name" >/dev/null; then
      echo "The $name stopped while starting; its log:" >&2; tail -n 30 "var/log/$name.log" >&2; exit 1
    fi
  done
  if healthy; then
    exec 9>&-  # started: another quickstart.sh may now look, and will find this one's processes
    echo
    echo "Music Genre Classifier is running:  http://$HOST:$PORT/"
    echo "API docs: http://$HOST:$PORT/docs    logs: var/log/"
    if $detach; then echo "Stop it with: scripts/stop.sh"; exit 0; fi
    echo "Press Ctrl-C to stop."
    wait
    exit 0
  fi
  sleep 0.5
done
echo "The service did not become healthy in 60 s; see var/log/" >&2
exit 1
