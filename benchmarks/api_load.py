"""API under load: `POST /classify` and `GET /jobs/{id}` at 50 and 200 concurrent clients, with wrk on loopback.

    .venv/bin/python benchmarks/api_load.py [--seconds 10] [--clients 50 200] [--repeats 3] [--smoke]

Starts the API (two uvicorn processes, as the quickstart does; `--api-workers`) and a worker on Redis database 6
with the rate limit off, then stops the worker so that submitted jobs stay queued. `POST /classify` sends a
distinct link per request (`?n=<thread>-<count>`, so none is deduplicated); `GET /jobs/{id}` polls 500
existing jobs in turn. wrk (`apt-get install wrk`, in `scripts/install.sh --for-tests`) runs one thread
so the API and Redis keep the other core. Polls are also measured with ApacheBench (`ab -k`, package
apache2-utils), one job's URL, right after wrk's: wrk reports a multi-second p99 after a burst of submissions
that ab, at the same throughput on the same server, does not see (RESULTS.md §3). Writes
benchmarks/results/api_load.json: requests/s, p50/p99 latency and non-2xx answers per endpoint and concurrency,
and the same figures for `benchmarks/reference_app.py` (a bare route doing one async Redis GET: the ceiling of
FastAPI + Redis on this machine). Each run is repeated (`--repeats`, interleaved: POST, GET with wrk, GET
with ab, then again) and reported as the median of each figure, with every run's requests/s and p99 beside it
and errors summed: a single 10-s p99 on this shared machine varies by tens of milliseconds from run to run.
`--smoke`: one 2-s run at 10 clients.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import BENCH_REDIS, header, median, write_result
from benchmarks.reference_app import REFERENCE_KEY
from testkit.stack import start_stack
from testkit.waiting import free_port, wait_until

REPOSITORY = Path(__file__).resolve().parents[1]

POST_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local threads = 0
function setup(thread) threads = threads + 1; thread:set("id", threads) end
local count = 0
function request()
  count = count + 1
  return wrk.format(nil, "/classify", nil, '{"url": "http://127.0.0.1:9/song.ogg?n=' .. id .. '-' .. count .. '"}')
end
"""

GET_SCRIPT = """
local paths = {%s}
local index = 0
function request()
  index = index %% #paths + 1
  return wrk.format("GET", paths[index])
end
"""

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict[str, float]:
    def latency(label: str) -> float:
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", output, re.MULTILINE)
        if match is None:
            raise ValueError(f"no {label}% latency in wrk's output:\n{output}")
        return float(match.group(1)) * _UNITS[match.group(2)]

    requests = re.search(r"^\s*(\d+) requests in", output, re.MULTILINE)
    rate = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.MULTILINE)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    if requests is None or rate is None:
        raise ValueError(f"unexpected wrk output:\n{output}")
    return {
        "requests": int(requests.group(1)),
        "requests_per_second": round(float(rate.group(1)), 1),
        "p50_ms": round(latency("50"), 2),
        "p99_ms": round(latency("99"), 2),
        "non_2xx": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1).strip() if socket_errors else "",
    }


def run_wrk(url: str, script: Path, clients: int, seconds: float) -> dict[str, float]:
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds:g}s", "--timeout", "5s", "--latency", "-s", str(script), url]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return {"clients": clients, **parse_wrk(completed.stdout)}


def parse_ab(output: str) -> dict[str, float]:
    rate = re.search(r"^Requests per second:\s+([\d.]+)", output, re.MULTILINE)
    complete = re.search(r"^Complete requests:\s+(\d+)", output, re.MULTILINE)
    failed = re.search(r"^Failed requests:\s+(\d+)", output, re.MULTILINE)
    non_2xx = re.search(r"^Non-2xx responses:\s+(\d+)", output, re.MULTILINE)
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+(\d+)", output, re.MULTILINE))
    if rate is None or complete is None or "99" not in percentiles:
        raise ValueError(f"unexpected ab output:\n{output}")
    return {
        "requests": int(complete.group(1)),
        "requests_per_second": round(float(rate.group(1)), 1),
        "p50_ms": float(percentiles["50"]),
        "p99_ms": float(percentiles["99"]),
        "max_ms": float(percentiles["100"]),
        "failed": int(failed.group(1)) if failed else 0,
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
    }


def run_ab(url: str, clients: int, seconds: float) -> dict[str, float]:
    # -n caps the count; -t ends the run first. -k: keep-alive, as wrk's connections.
    command = ["ab", "-k", "-q", "-c", str(clients), "-t", f"{seconds:g}", "-n", "10000000", url]
    completed = subprocess.run(command, capture_output=True, text=True, check=True)
    return {"clients": clients, **parse_ab(completed.stdout)}


def summarise(runs: list[dict[str, float]]) -> dict[str, object]:
    """Repeated runs at one concurrency -> the median of each figure, errors summed, each run's rate and p99."""
    summary: dict[str, object] = {"clients": runs[0]["clients"], "runs": len(runs)}
    for key in runs[0]:
        values = [run[key] for run in runs]
        if key in ("non_2xx", "failed"):
            summary[key] = sum(values)
        elif key == "socket_errors":
            summary[key] = "; ".join(sorted({str(v) for v in values if v}))
        elif key != "clients":
            summary[key] = round(median(values), 2)
    for key in ("requests_per_second", "p99_ms"):
        summary[f"{key}_all"] = [run[key] for run in runs]
    return summary


def run_reference(
    job_id: str, clients: list[int], seconds: float, workers: int, work: Path, repeats: int
) -> list[dict[str, object]]:
    """wrk against benchmarks/reference_app.py, serving a real job record's JSON from Redis."""
    client = redis.Redis.from_url(BENCH_REDIS)
    client.set(REFERENCE_KEY, client.get(f"genre:job:{job_id}") or b"{}")
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "benchmarks.reference_app:app", "--port", str(port), "--workers",
               str(workers)]  # fmt: skip
    env = {**os.environ, "GENRE_REDIS_URL": BENCH_REDIS}
    with (work / "reference.log").open("wb") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPOSITORY)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: _answers(f"{url}/reference"), timeout=30, what="the reference app")
        script = work / "reference.lua"
        script.write_text(GET_SCRIPT % '"/reference"')
        return [summarise([run_wrk(url, script, count, seconds) for _ in range(repeats)]) for count in clients]
    finally:
        server.terminate()
        server.wait(timeout=20)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--api-workers", type=int, default=2, help="uvicorn processes [%(default)s]")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure, median reported [%(default)s]")
    parser.add_argument("--smoke", action="store_true", help="one 2-s run at 10 clients")
    args = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    for tool, package in (("wrk", "wrk"), ("ab", "apache2-utils")):
        if shutil.which(tool) is None:
            raise SystemExit(
                f"{tool} is not installed: apt-get install {package} (scripts/install.sh --for-tests does)"
            )
    seconds, clients, repeats = (2, [10], 1) if args.smoke else (args.seconds, args.clients, args.repeats)

    redis.Redis.from_url(BENCH_REDIS).flushdb()
    work = Path(tempfile.mkdtemp(prefix="genre-bench-api-"))
    stack = start_stack(
        {
            "GENRE_REDIS_URL": BENCH_REDIS,
            "GENRE_UPLOAD_DIR": str(work / "uploads"),
            "GENRE_ALLOWED_HOSTS": "127.0.0.1",
            "GENRE_ALLOWED_NETWORKS": "127.0.0.0/8",
            "GENRE_RATE_LIMIT_PER_MINUTE": "0",
        },
        log_dir=work,
        api_workers=args.api_workers,
    )
    results: dict[str, list[dict[str, object]]] = {"post_classify": [], "get_job": [], "get_job_ab": []}
    job_ids: list[str] = []
    try:
        stack.kill("worker")  # jobs stay queued: this measures the API and Redis only
        job_ids = [
            httpx.post(f"{stack.base_url}/classify", json={"url": f"http://127.0.0.1:9/seed.ogg?n={n}"}).json()[
                "job_id"
            ]
            for n in range(20 if args.smoke else 500)
        ]
        post_script = work / "post.lua"
        post_script.write_text(POST_SCRIPT)
        get_script = work / "get.lua"
        get_script.write_text(GET_SCRIPT % ", ".join(f'"/jobs/{job_id}"' for job_id in job_ids))
        for count in clients:
            runs: dict[str, list[dict[str, float]]] = {name: [] for name in results}
            for _ in range(repeats):
                runs["post_classify"].append(run_wrk(stack.base_url, post_script, count, seconds))
                runs["get_job"].append(run_wrk(stack.base_url, get_script, count, seconds))
                runs["get_job_ab"].append(run_ab(f"{stack.base_url}/jobs/{job_ids[0]}", count, seconds))
            for name, measured in runs.items():
                results[name].append(summarise(measured))
    finally:
        stack.stop()
    try:
        results["reference_redis_get"] = run_reference(job_ids[0], clients, seconds, args.api_workers, work, repeats)
    finally:
        redis.Redis.from_url(BENCH_REDIS).flushdb()
    figures: dict[str, object] = {
        **header("api_load", argv),
        "seconds_per_run": seconds,
        "runs_per_figure": repeats,
        "api_workers": args.api_workers,
        "load_generator": subprocess.run(["wrk", "-v"], capture_output=True, text=True).stdout.splitlines()[0],
        "second_load_generator": "ApacheBench (ab -k), GET /jobs/{id} of one job",
        **results,
        "target": ">= 500 submissions/s; GET /jobs/{id} p99 <= 50 ms at 200 clients",
    }
    write_result("api_load-smoke" if args.smoke else "api_load", figures)
    return figures


if __name__ == "__main__":
    main()
