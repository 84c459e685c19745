#!/usr/bin/env bash
# Installs another yt-dlp (and its YouTube challenge solver, yt-dlp-ejs) into .venv, without a new release
# of this service: YouTube changes often, and a yt-dlp a few weeks old may stop working with it.
#   scripts/upgrade-yt-dlp.sh               # the newest release
#   scripts/upgrade-yt-dlp.sh 2026.10.26    # that version
# The worker uses it once restarted. scripts/install.sh puts constraints.txt's pin back whenever it
# reinstalls the Python packages, unless GENRE_YTDLP_VERSION (latest or a version) names this choice: it
# then runs this script itself.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/pidfiles.sh
source scripts/lib/pidfiles.sh

wanted="${1:-latest}"
[[ -x .venv/bin/python ]] || { echo "No .venv here: run scripts/install.sh first." >&2; exit 1; }
installed() { .venv/bin/python -c "from yt_dlp.version import __version__; print(__version__)" 2>/dev/null || echo none; }

before=$(installed)
if [[ $wanted == latest ]]; then
  spec=(yt-dlp)
elif [[ $wanted =~ ^[0-9]{4}\.[0-9]{1,2}\.[0-9]{1,2}(\.[0-9]+)?$ ]]; then
  [[ $before == "$wanted" ]] && { echo "yt-dlp $wanted is already installed"; exit 0; }
  spec=("yt-dlp==$wanted")
else
  echo "Not a yt-dlp version: '$wanted' (a release such as 2026.10.26, or latest)" >&2
  exit 1
fi
mkdir -p var/log
# No constraints file: the point is to leave its pin. yt-dlp-ejs follows yt-dlp's releases closely.
if ! .venv/bin/python -m pip install -q --upgrade "${spec[@]}" yt-dlp-ejs >var/log/yt-dlp-upgrade.log 2>&1; then
  tail -n 20 var/log/yt-dlp-upgrade.log >&2
  exit 1
fi
after=$(installed)
if [[ $after == "$before" ]]; then
  echo "yt-dlp $after was already the one asked for ($wanted)"
else
  echo "yt-dlp $before -> $after"
  if pid=$(running_pid worker); then
    echo "The running worker (pid $pid) still uses $before: restart it with scripts/stop.sh && scripts/quickstart.sh --detach"
  fi
fi
