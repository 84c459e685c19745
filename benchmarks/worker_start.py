"""Worker start and memory: from `celery worker` starting to its first task running, and its resident memory.

    .venv/bin/python benchmarks/worker_start.py [--starts 5] [--smoke]

Each start queues one job (an uploaded 3-minute song, so nothing is downloaded) on Redis database 6,
then starts `celery --app genre_worker.tasks worker --concurrency 1` as the quickstart does and measures
from the process's start to (a) Celery's "ready" line and (b) the job reaching `analyzing`, i.e. a pool
process that has loaded the model has taken the task. While the job runs, the resident memory (VmRSS,
and the peak, VmHWM, from /proc) of the pool process that classifies and of the Celery main process are
sampled. Writes benchmarks/results/worker_start.json. `--smoke`: one start, a 30-s song.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import redis

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import BENCH_REDIS, REPO_ROOT, SONG_CLIPS, header, make_song, median, write_result
from genre_core.jobs import JobSource, JobState, JobStore


def memory_kib(pid: int) -> dict[str, int]:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in {"VmRSS", "VmHWM"}:
                values[key] = int(rest.split()[0])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return values


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def one_start(song: Path, work: Path, index: int) -> dict[str, float]:
    client = redis.Redis.from_url(BENCH_REDIS)
    client.flushdb()
    store = JobStore(client, ttl_seconds=3600)
    upload = work / f"upload-{index}" / "song.wav"
    upload.parent.mkdir()
    shutil.copy(song, upload)
    record = store.create(JobSource(kind="upload", filename="song.wav", upload_path=str(upload)))
    from genre_api.job_queue import CLASSIFY_TASK, create_celery_client

    create_celery_client(BENCH_REDIS).send_task(CLASSIFY_TASK, args=[record.id], task_id=record.id)

    log_path = work / f"worker-{index}.log"
    env = {**os.environ, "GENRE_REDIS_URL": BENCH_REDIS, "PYTHONUNBUFFERED": "1"}
    command = [sys.executable, "-m", "celery", "--app", "genre_worker.tasks", "worker", "--loglevel", "INFO",
               "--concurrency", "1", "--hostname", f"bench-{index}@%h",
               "--without-gossip", "--without-mingle"]  # fmt: skip
    started = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO_ROOT)
    figures: dict[str, float] = {}
    pool_peak = pool_rss = main_rss = 0
    try:
        deadline = started + 120
        while time.perf_counter() < deadline:
            now = time.perf_counter() - started
            if "ready_seconds" not in figures and b" ready." in log_path.read_bytes():
                figures["ready_seconds"] = now
            state = store.get(record.id).state
            if "first_task_seconds" not in figures and state in {JobState.analyzing, JobState.done}:
                figures["first_task_seconds"] = now
            for child in children(process.pid):
                memory = memory_kib(child)
                pool_rss = max(pool_rss, memory.get("VmRSS", 0))
                pool_peak = max(pool_peak, memory.get("VmHWM", 0))
            main_rss = max(main_rss, memory_kib(process.pid).get("VmRSS", 0))
            if state in {JobState.done, JobState.failed}:
                figures["job_done_seconds"] = now
                if state is JobState.failed:
                    raise RuntimeError(f"the job failed: {store.get(record.id).error}")
                break
            time.sleep(0.005)
        else:
            raise TimeoutError(f"the worker did not finish its first job:\n{log_path.read_text()[-3000:]}")
    finally:
        process.terminate()
        process.wait(timeout=30)
    figures.update(
        {
            "pool_process_rss_mb_max_sampled": pool_rss / 1024,
            "pool_process_peak_rss_mb": pool_peak / 1024,
            "main_process_rss_mb": main_rss / 1024,
        }
    )
    return figures


def main(argv: list[str] | None = None) -> dict[str, object]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=5)
    parser.add_argument("--smoke", action="store_true", help="one start, a 30-s song")
    args = parser.parse_args(argv)
    argv = sys.argv[1:] if argv is None else argv
    starts = 1 if args.smoke else args.starts
    work = Path(tempfile.mkdtemp(prefix="genre-bench-start-"))
    song = make_song(work / "song.wav", SONG_CLIPS[:1] if args.smoke else SONG_CLIPS)
    runs = [one_start(song, work, index) for index in range(starts)]
    redis.Redis.from_url(BENCH_REDIS).flushdb()
    keys = runs[0].keys()
    figures: dict[str, object] = {
        **header("worker_start", argv),
        "starts": starts,
        "median": {key: round(median([run[key] for run in runs]), 3) for key in keys},
        "runs": [{key: round(value, 3) for key, value in run.items()} for run in runs],
        "target": "start to ready for the first task <= 2 s; one worker process <= 300 MB resident while classifying",
    }
    write_result("worker_start-smoke" if args.smoke else "worker_start", figures)
    return figures


if __name__ == "__main__":
    main()
