"""End-to-end latency and scale-out through the real stack: API, Redis, Celery worker(s), yt-dlp from 127.0.0.1.

    .venv/bin/python benchmarks/end_to_end.py [--jobs 20] [--queue 50] [--smoke]

Latency: one worker; `--jobs` real 30-s GTZAN clips served by an HTTP server on 127.0.0.1, submitted one
at a time, each timed from `POST /classify` to the poll that reads `done` (polls every 10 ms); then the
same link again, answered from the result cache. Scale-out: `--queue` distinct links queued at once,
drained by a worker with prefork concurrency 1 and then 2; jobs per minute from the first submission to
the last `done`. Redis database 6. Writes benchmarks/results/end_to_end.json. `--smoke`: 2 jobs, queue of 4.
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import BENCH_REDIS, GTZAN_DIR, header, median, write_result
from testkit.audio_server import QuietHandler, QuietHTTPServer
from testkit.stack import start_stack

GENRES = ("blues", "classical", "country", "disco", "hiphop", "jazz", "metal", "pop", "reggae", "rock")


def wait_done(client: httpx.Client, job_id: str, timeout: float = 120) -> dict[str, object]:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        record = client.get(f"/jobs/{job_id}").json()
        if record["state"] in {"done", "failed"}:
            if record["state"] == "failed":
                raise RuntimeError(f"job {job_id} failed: {record['error']}")
            return record
        time.sleep(0.01)
    raise TimeoutError(f"job {job_id} did not finish")


def stack_env(work: Path) -> dict[str, str]:
    return {
        "GENRE_REDIS_URL": BENCH_REDIS,
        "GENRE_UPLOAD_DIR": str(work / "uploads"),
        "GENRE_ALLOWED_HOSTS": "127.0.0.1",
        "GENRE_ALLOWED_NETWORKS": "127.0.0.0/8",
        "GENRE_RATE_LIMIT_PER_MINUTE": "0",
    }


def latency(work: Path, audio_base: str, clips: list[str], jobs: int) -> dict[str, object]:
    redis.Redis.from_url(BENCH_REDIS).flushdb()
    stack = start_stack(stack_env(work), log_dir=work)
    try:
        client = httpx.Client(base_url=stack.base_url, timeout=30)
        seconds, cached = [], []
        for n in range(jobs):
            url = f"{audio_base}/{clips[n % len(clips)]}?n={n}"
            start = time.perf_counter()
            wait_done(client, client.post("/classify", json={"url": url}).json()["job_id"])
            seconds.append(time.perf_counter() - start)
            start = time.perf_counter()
            again = client.post("/classify", json={"url": url}).json()
            assert again["state"] == "done", again
            client.get(again["status_url"]).json()
            cached.append(time.perf_counter() - start)
    finally:
        stack.stop()
    return {
        "jobs": jobs,
        "submission_to_done_seconds_p50": round(median(seconds), 3),
        "submission_to_done_seconds_all": [round(value, 3) for value in seconds],
        "cached_repeat_ms_p50": round(median(cached) * 1000, 2),
        "cached_repeat_ms_max": round(max(cached) * 1000, 2),
        "cached_repeat_is": "POST of the same link (answered with the finished job) + GET of its result",
    }


def scale_out(work: Path, audio_base: str, clips: list[str], queue: int, concurrency: int) -> dict[str, object]:
    redis.Redis.from_url(BENCH_REDIS).flushdb()
    stack = start_stack(stack_env(work), log_dir=work, worker_concurrency=concurrency)
    try:
        client = httpx.Client(base_url=stack.base_url, timeout=30)
        start = time.perf_counter()
        job_ids = [
            client.post(
                "/classify", json={"url": f"{audio_base}/{clips[n % len(clips)]}?c={concurrency}&n={n}"}
            ).json()["job_id"]
            for n in range(queue)
        ]
        for job_id in job_ids:
            wait_done(client, job_id, timeout=600)
        seconds = time.perf_counter() - start
    finally:
        stack.stop()
    return {"worker_processes": concurrency, "jobs": queue, "seconds": round(seconds, 2),
            "jobs_per_minute": round(queue / seconds * 60, 1)}  # fmt: skip


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--queue", type=int, default=50)
    parser.add_argument("--smoke", action="store_true", help="2 jobs, a queue of 4")
    args = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    jobs, queue = (2, 4) if args.smoke else (args.jobs, args.queue)

    work = Path(tempfile.mkdtemp(prefix="genre-bench-e2e-"))
    clips = []
    for genre in GENRES:  # ten genres, five clips each: 50 distinct real songs
        for path in sorted((GTZAN_DIR / "genres" / genre).glob("*.ogg"))[:5]:
            shutil.copy(path, work / path.name)
            clips.append(path.name)
    server = QuietHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(work)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    audio_base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        figures: dict[str, object] = {
            **header("end_to_end", argv),
            "latency": latency(work, audio_base, clips, jobs),
            "scale_out": [scale_out(work, audio_base, clips, queue, concurrency) for concurrency in (1, 2)],
        }
    finally:
        server.shutdown()
        redis.Redis.from_url(BENCH_REDIS).flushdb()
    rates = [entry["jobs_per_minute"] for entry in figures["scale_out"]]  # type: ignore[index]
    figures["scale_out_ratio_2_over_1"] = round(rates[1] / rates[0], 2)
    figures["target"] = "cached repeat <= 50 ms; 2 worker processes handle more jobs per minute than 1"
    write_result("end_to_end-smoke" if args.smoke else "end_to_end", figures)
    return figures


if __name__ == "__main__":
    main()
