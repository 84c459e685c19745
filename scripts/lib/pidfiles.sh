# The pid files of what scripts/quickstart.sh starts (var/run/NAME.pid), as quickstart.sh and stop.sh read
# them. Sourced, from the checkout's root.

# The program each pid file's process must be running: a pid that now belongs to something else (the
# process ended and the number was reused) is not ours.
declare -A PROGRAM=([api]=uvicorn [worker]=celery [redis]=redis-server)

pidfile_of() { echo "var/run/$1.pid"; }

# Running, and not a zombie waiting for its parent to collect it.
alive() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

# The pid in NAME's pid file, if that process is alive and runs NAME's program; else nothing, false.
running_pid() {
  local pidfile pid
  pidfile=$(pidfile_of "$1")
  [[ -f $pidfile ]] || return 1
  pid=$(<"$pidfile")
  [[ $pid =~ ^[0-9]+$ ]] && alive "$pid" && [[ $(ps -o args= -p "$pid" 2>/dev/null) == *"${PROGRAM[$1]}"* ]] || return 1
  echo "$pid"
}
