#!/usr/bin/env bash
# Stops what scripts/quickstart.sh started: the API, the worker, and the Redis it started (if any).
#
# Each gets SIGTERM and GENRE_STOP_TIMEOUT_SECONDS (10) to exit (the worker finishes its running job; an
# unfinished one is redelivered), then SIGKILL, with its child processes (uvicorn's and Celery's). It says
# what it did. A pid file is removed once its process is gone, and kept while it still runs; a pid that
# now belongs to another program is left alone. Exit status 1 if something could not be stopped.
cd "$(dirname "$0")/.." || exit 1
# shellcheck source=lib/pidfiles.sh
source scripts/lib/pidfiles.sh
timeout_s="${GENRE_STOP_TIMEOUT_SECONDS:-10}"
status=0

# Waits up to $2 seconds for process $1 to end; true if it did.
ended_within() {
  local tries=$(( $2 * 5 ))
  for _ in $(seq 1 "$tries"); do alive "$1" || return 0; sleep 0.2; done
  ! alive "$1"
}

for name in api worker redis; do
  pidfile=$(pidfile_of "$name")
  [[ -f $pidfile ]] || continue
  pid=$(cat "$pidfile")
  if ! [[ $pid =~ ^[0-9]+$ ]] || ! alive "$pid"; then
    echo "$name: not running; removing $pidfile"
    rm -f "$pidfile"
    continue
  fi
  command=$(ps -o args= -p "$pid" 2>/dev/null)
  if [[ $command != *"${PROGRAM[$name]}"* ]]; then
    echo "$name: pid $pid is now another program ($command), not ${PROGRAM[$name]}: left alone; removing $pidfile"
    rm -f "$pidfile"
    continue
  fi
  echo "stopping $name (pid $pid): SIGTERM, up to $timeout_s s"
  kill -TERM "$pid" 2>/dev/null
  if ended_within "$pid" "$timeout_s"; then
    echo "$name stopped"
    rm -f "$pidfile"
    continue
  fi
  children=$(pgrep -P "$pid" | tr '\n' ' ')
  echo "$name (pid $pid) still running after $timeout_s s: SIGKILL${children:+, with its child processes $children}"
  # shellcheck disable=SC2086  # one word per child pid
  kill -KILL "$pid" $children 2>/dev/null
  if ended_within "$pid" 5; then
    echo "$name killed"
    rm -f "$pidfile"
  else
    echo "$name (pid $pid) could not be stopped; keeping $pidfile" >&2
    status=1
  fi
done
exit "$status"
