"""The whole service as separate real processes: a uvicorn API and a Celery worker, on a given Redis."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from testkit.waiting import free_port, wait_until


@dataclass
class Stack:
    base_url: str
    log_dir: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

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


def start_stack(env: dict[str, str], log_dir: Path, timeout: float = 60) -> Stack:
    """Start API + worker with the GENRE_* variables in `env`; return once /healthz sees a live worker."""
    port = free_port()
    stack = Stack(base_url=f"http://127.0.0.1:{port}", log_dir=log_dir)
    full_env = {**os.environ, **env, "PYTHONUNBUFFERED": "1"}
    commands = {
        "worker": [sys.executable, "-m", "celery", "--app", "genre_worker.tasks", "worker", "--loglevel", "INFO",
                   "--concurrency", "1", "--hostname", f"test-{port}@%h", "--without-gossip", "--without-mingle"],
        "api": [sys.executable, "-m", "uvicorn", "genre_api.main:app", "--host", "127.0.0.1", "--port", str(port)],
    }  # fmt: skip
    for name, command in commands.items():
        log = (log_dir / f"{name}.log").open("wb")
        stack.processes[name] = subprocess.Popen(command, env=full_env, stdout=log, stderr=subprocess.STDOUT)

    def healthy() -> bool:
        for name, process in stack.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"{name} exited with {process.returncode}:\n{stack.logs()}")
        try:
            return httpx.get(f"{stack.base_url}/healthz", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(healthy, timeout=timeout, what="API and worker to be healthy", interval=0.5)
    except BaseException:
        stack.stop()
        raise
    return stack
