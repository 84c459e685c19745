#!/usr/bin/env bash
# Stops what scripts/quickstart.sh started: the API, the worker, and the Redis it started (if any).
cd "$(dirname "$0")/.." || exit 1
for name in api worker redis; do
  pidfile=var/run/$name.pid
  [[ -f $pidfile ]] || continue
  pid=$(cat "$pidfile")
  if kill "$pid" 2>/dev/null; then
    echo "stopping $name ($pid)"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  fi
  rm -f "$pidfile"
done
