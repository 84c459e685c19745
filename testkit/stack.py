"""The whole service as separate real processes: a uvicorn API and a Celery worker, on a given Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from genre_api.server_options import UVICORN_OPTIONS
from testkit.waiting import free_port, wait_until


@dataclass
class Stack:
    base_url: str
    log_dir: Path
    env: dict[str, str]
    commands: dict[str, list[str]]
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    log_paths: dict[str, Path] = field(default_factory=dict)
    starts: int = 0

    def start(self, name: str) -> None:
        self.starts += 1
        self.log_paths[name] = self.log_dir / f"{name}-{self.starts}.log"
        log = self.log_paths[name].open("wb")
        self.processes[name] = subprocess.Popen(self.commands[name], env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def kill(self, name: str) -> None:
        """SIGKILL a process and its children (Celery's pool processes), as a crash or the OOM killer would."""
        process = self.processes[name]
        subprocess.run(["pkill", "-KILL", "-P", str(process.pid)], check=False)
        process.kill()
        process.wait()

    def wait_healthy(self, timeout: float = 60) -> None:
        def healthy() -> bool:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.logs()}")
            try:
                return httpx.get(f"{self.base_url}/healthz", timeout=5).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(healthy, timeout=timeout, what="API and worker to be healthy", interval=0.5)

    def wait_workers_ready(self, timeout: float = 60) -> None:
        """Wait until every worker process says it is ready: /healthz is satisfied by the first one's reply."""

        def ready() -> bool:
            workers = [path for name, path in self.log_paths.items() if name.startswith("worker")]
            return all(" ready." in path.read_text(errors="replace") for path in workers)

        wait_until(ready, timeout=timeout, what="every worker to be ready", interval=0.2)

    def logs(self) -> str:
        return "\n".join(f"--- {path.name}\n{path.read_text()[-4000:]}" for path in sorted(self.log_dir.glob("*.log")))

    def stop(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def start_stack(
    env: dict[str, str],
    log_dir: Path,
    timeout: float = 60,
    worker_concurrency: int = 1,
    api_workers: int = 2,
    workers: int = 1,
) -> Stack:
    """Start API + worker with the GENRE_* variables in `env`; return once /healthz sees a live worker.

    Two API processes by default, as `scripts/quickstart.sh` and the image run it: whatever one process
    knows that the other does not (caches, pools) shows up in the tests, not only in deployment. `workers`
    Celery workers (separate processes, as on separate machines) are named `worker`, `worker-2`, ...
    """
    port = free_port()
    commands = {
        _worker_name(n): [sys.executable, "-m", "celery", "--app", "genre_worker.tasks", "worker", "--loglevel",
                          "INFO", "--concurrency", str(worker_concurrency), "--hostname", f"test-{port}-{n}@%h",
                          "--without-gossip", "--without-mingle"]
        for n in range(1, workers + 1)
    }  # fmt: skip
    commands["api"] = [sys.executable, "-m", "uvicorn", "genre_api.main:app", "--host", "127.0.0.1", "--port",
                       str(port), "--workers", str(api_workers), *UVICORN_OPTIONS]  # fmt: skip
    stack = Stack(
        base_url=f"http://127.0.0.1:{port}",
        log_dir=log_dir,
        env={**os.environ, **env, "PYTHONUNBUFFERED": "1"},
        commands=commands,
    )
    for name in commands:
        stack.start(name)
    try:
        stack.wait_healthy(timeout)
    except BaseException:
        stack.stop()
        raise
    return stack


def _worker_name(n: int) -> str:
    return "worker" if n == 1 else f"worker-{n}"
