"""A playlist through the real stack with 1 and with 2 worker processes: jobs per minute for a 20-entry batch.

    .venv/bin/python benchmarks/batches.py [--entries 20] [--smoke]

A podcast feed served on 127.0.0.1 whose entries are distinct real 30-s GTZAN clips (two per genre), sent as a
playlist (`POST /classify` with `"playlist": true`); timed from the submission to the poll (every 100 ms) that
reads the batch `done`, with one Celery worker process and then two (separate workers, as on two machines),
Redis flushed between them so no song is shared. Redis database 6. Writes benchmarks/results/batches.json
(`--smoke`: 4 entries, batches-smoke.json).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import httpx
import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import BENCH_REDIS, GTZAN_DIR, header, write_result
from benchmarks.end_to_end import GENRES, stack_env
from testkit.audio_server import CountingAudioServer, podcast_feed
from testkit.stack import start_stack


def run_batch(work: Path, feed_url: str, workers: int) -> dict[str, object]:
    """One batch with `workers` worker processes, from submission to `done`."""
    redis.Redis.from_url(BENCH_REDIS).flushdb()
    stack = start_stack(stack_env(work), log_dir=work, workers=workers)
    try:
        stack.wait_workers_ready()
        client = httpx.Client(base_url=stack.base_url, timeout=30)
        start = time.perf_counter()
        accepted = client.post("/classify", json={"url": feed_url, "playlist": True}).json()
        listed_at = None
        while (batch := client.get(accepted["status_url"]).json())["state"] not in {"done", "failed"}:
            if listed_at is None and batch["state"] != "expanding":
                listed_at = time.perf_counter() - start
            if time.perf_counter() - start > 900:
                raise TimeoutError(f"batch not done after 900 s: {batch['counts']}")
            time.sleep(0.1)
        seconds = time.perf_counter() - start
    finally:
        stack.stop()
    if batch["state"] != "done" or batch["counts"]["failed"]:
        raise RuntimeError(f"batch ended {batch['state']}: {batch['counts']} {batch.get('error')}")
    entries = batch["counts"]["total"]
    return {
        "worker_processes": workers,
        "entries": entries,
        "seconds": round(seconds, 2),
        "listed_after_seconds": round(listed_at or 0.0, 2),
        "jobs_per_minute": round(entries / seconds * 60, 1),
        "genres": batch["genres"],
    }


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=20)
    parser.add_argument("--smoke", action="store_true", help="4 entries")
    args = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    entries = 4 if args.smoke else args.entries

    # What else the machine was doing: a second worker only helps if a core is free for it.
    load_before = round(os.getloadavg()[0], 2)
    work = Path(tempfile.mkdtemp(prefix="genre-bench-batches-"))
    served = work / "served"
    served.mkdir()
    clips = [path for genre in GENRES for path in sorted((GTZAN_DIR / "genres" / genre).glob("*.ogg"))[10:12]]
    server = CountingAudioServer(served)
    try:
        for path in clips:
            shutil.copy(path, served / path.name)
        links = [f"{server.base_url}/{clips[n % len(clips)].name}?n={n}" for n in range(entries)]
        (served / "feed.xml").write_text(podcast_feed(f"{entries} GTZAN clips", links))
        runs = [run_batch(work, f"{server.base_url}/feed.xml?workers={n}", n) for n in (1, 2)]
    finally:
        server.stop()
        redis.Redis.from_url(BENCH_REDIS).flushdb()
    figures: dict[str, object] = {
        **header("batches", argv),
        "load_average_1min_before": load_before,
        "load_average_1min_after": round(os.getloadavg()[0], 2),
        "runs": runs,
        "ratio_2_over_1": round(runs[1]["jobs_per_minute"] / runs[0]["jobs_per_minute"], 2),  # type: ignore[operator]
        "target": "2 worker processes finish a batch faster than 1",
    }
    write_result("batches-smoke" if args.smoke else "batches", figures)
    shutil.rmtree(work, ignore_errors=True)
    return figures


if __name__ == "__main__":
    main()
