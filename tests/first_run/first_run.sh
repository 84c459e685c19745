#!/usr/bin/env bash
# The first run of a new user, on a machine with nothing installed: install, start, use, start again, stop.
# Run by test_fresh_debian.py as root in a clean Debian 12 root, from the checkout's copy there; GENRE_PORT
# and GENRE_REDIS_URL name free ports of the machine, GENRE_YTDLP_VERSION a yt-dlp other than the pinned one.
# Each step prints a `step:` line the test looks for.
set -euo pipefail
cd "$(dirname "$0")/../.."

command -v node >/dev/null && { echo "this root already has a Node.js: $(command -v node)" >&2; exit 1; }
echo "step: no node"

scripts/install.sh
echo "step: installed with node $(.venv/bin/node --version) at $(readlink -f .venv/bin/node)"

scripts/quickstart.sh --detach
get() { .venv/bin/python -c "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())" "http://127.0.0.1:$GENRE_PORT$1"; }
get /healthz
for _ in $(seq 1 20); do grep -q "downloader: yt-dlp $GENRE_YTDLP_VERSION " var/log/worker.log && break; sleep 0.5; done
grep "downloader: yt-dlp $GENRE_YTDLP_VERSION " var/log/worker.log && echo "step: worker runs yt-dlp $GENRE_YTDLP_VERSION"
get / | grep -q '<div id="root">' && echo "step: page served"
get /docs | grep -q 'swagger-ui' && echo "step: docs served"

scripts/quickstart.sh --detach | tee var/log/second-start.txt
grep -q "already running" var/log/second-start.txt && echo "step: second start found it running"

scripts/stop.sh
for name in api worker redis; do [[ ! -e var/run/$name.pid ]]; done
# This root's processes are the run's own (a pid namespace of its own): none of the service's may be left.
sleep 1
! pgrep -a -f 'celery|uvicorn|redis-server'
echo "step: stopped"
