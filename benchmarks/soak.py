"""Soak: many jobs through the real stack while the worker is SIGKILLed and restarted; none may be lost.

    .venv/bin/python benchmarks/soak.py --jobs 60 --kills 4

Starts its own API + Celery worker on a private Redis database (127.0.0.1:6379, db 7 by default), an
HTTP server on 127.0.0.1 serving a real GTZAN clip, submits `--jobs` distinct links, kills the worker
(SIGKILL, pool processes included) `--kills` times while jobs run, restarts it each time, and waits
for every job to end. Prints and writes (benchmarks/results/soak.json) jobs submitted, done, failed
and lost, where lost means not ended within the deadline. Exit status 1 if any job was lost.
"""

from __future__ import annotations

import argparse
import functools
import json
import platform
import shutil
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import redis

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from testkit.audio_server import QuietHandler, QuietHTTPServer  # noqa: E402
from testkit.stack import start_stack  # noqa: E402

RESULTS = REPO_ROOT / "benchmarks" / "results" / "soak.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=60)
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--time-limit", type=int, default=10, help="job time limit (s); redelivery after 2x")
    parser.add_argument("--clip", type=Path, default=REPO_ROOT.parent / "shared/gtzan/genres/rock/rock.00001.ogg")
    args = parser.parse_args()

    redis.Redis.from_url(args.redis).flushdb()
    work = Path(tempfile.mkdtemp(prefix="genre-soak-"))
    shutil.copy(args.clip, work / "song.ogg")
    server = QuietHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(work)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    audio_base = f"http://127.0.0.1:{server.server_address[1]}"
    stack = start_stack(
        {
            "GENRE_REDIS_URL": args.redis,
            "GENRE_UPLOAD_DIR": str(work / "uploads"),
            "GENRE_ALLOWED_HOSTS": "127.0.0.1",
            "GENRE_ALLOWED_NETWORKS": "127.0.0.0/8",
            "GENRE_RATE_LIMIT_PER_MINUTE": "0",
            "GENRE_JOB_TIME_LIMIT_SECONDS": str(args.time_limit),
        },
        log_dir=work,
    )
    started = time.monotonic()
    try:
        job_ids = [
            httpx.post(f"{stack.base_url}/classify", json={"url": f"{audio_base}/song.ogg?n={n}"}).json()["job_id"]
            for n in range(args.jobs)
        ]
        for kill in range(args.kills):
            time.sleep(1.0 + kill * 0.7)  # spread the kills over the run
            stack.kill("worker")
            print(f"killed the worker ({kill + 1}/{args.kills}), restarting it", flush=True)
            stack.start("worker")
            stack.wait_healthy()
        deadline = time.monotonic() + args.jobs * 5 + 4 * args.time_limit + 60
        while time.monotonic() < deadline:
            states = [httpx.get(f"{stack.base_url}/jobs/{job_id}").json()["state"] for job_id in job_ids]
            if all(state in {"done", "failed"} for state in states):
                break
            time.sleep(1)
    finally:
        stack.stop()
        server.shutdown()
    figures = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.system()}, Python {platform.python_version()}",
        "command": " ".join(["benchmarks/soak.py", *sys.argv[1:]]),
        "jobs_submitted": len(job_ids),
        "worker_kills": args.kills,
        "done": states.count("done"),
        "failed": states.count("failed"),
        "lost": sum(state not in {"done", "failed"} for state in states),
        "wall_seconds": round(time.monotonic() - started, 1),
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    return 1 if figures["lost"] else 0


if __name__ == "__main__":
    sys.exit(main())
