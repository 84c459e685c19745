"""scripts/quickstart.sh --detach and scripts/stop.sh, run as a user runs them, in a checkout of their own.

The checkout is a folder with copies of the scripts and links to this one's virtualenv, services, models and
built frontend, so its var/ (pid files, logs, Redis data) is the test's alone. Its Redis is the one
quickstart.sh starts (nothing answers at the test's GENRE_REDIS_URL), so stop.sh's whole work is seen.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from testkit.waiting import free_port, wait_until

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
LINKED = (".venv", "services", "models", "frontend")
# Copied with their times: install.sh compares them with its stamp in .venv to decide whether to reinstall.
COPIED = ("constraints.txt", "requirements-dev.txt", "scripts")


@dataclass
class Checkout:
    root: Path
    env: dict[str, str]
    port: int

    def run(self, script: str, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(self.root / "scripts" / script), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )

    def pid(self, name: str) -> int:
        return int((self.root / "var" / "run" / f"{name}.pid").read_text())

    def processes(self) -> set[int]:
        """Every process whose working folder is in this checkout: what quickstart.sh started."""
        found = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    cwd = os.readlink(entry / "cwd")
                except OSError:
                    continue
                if cwd == str(self.root) or cwd.startswith(f"{self.root}/"):
                    found.add(int(entry.name))
        return found

    def health(self) -> int:
        return httpx.get(f"http://127.0.0.1:{self.port}/healthz", timeout=5).status_code


@pytest.fixture
def checkout(tmp_path: Path) -> Iterator[Checkout]:
    if not (REPO_ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is not built: run scripts/install.sh")
    # The checkout shares this one's .venv: were install.sh to reinstall there, the venv's scripts would point
    # at the checkout's path, deleted after the test, and every later test using them would fail.
    stamp = REPO_ROOT / ".venv" / ".installed"
    inputs = [REPO_ROOT / name for name in ("constraints.txt", "requirements-dev.txt", "scripts/install.sh")]
    inputs += list((REPO_ROOT / "services").glob("*/pyproject.toml"))
    if not stamp.is_file() or any(path.stat().st_mtime > stamp.stat().st_mtime for path in inputs):
        pytest.fail(".venv is older than what install.sh installs from: run scripts/install.sh first")
    root = tmp_path / "checkout"
    root.mkdir()
    for name in LINKED:
        (root / name).symlink_to(REPO_ROOT / name)
    for name in COPIED:
        source = REPO_ROOT / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy2(source, root / name)
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("GENRE_")}
    env |= {
        "GENRE_PORT": str(port),
        "GENRE_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        "GENRE_API_WORKERS": "1",
        "GENRE_STOP_TIMEOUT_SECONDS": "20",
    }
    made = Checkout(root=root, env=env, port=port)
    yield made
    made.run("stop.sh")
    for pid in made.processes():  # only if stop.sh failed; the assertions have said so already
        os.kill(pid, signal.SIGKILL)


def test_a_second_start_finds_it_running_starts_nothing_and_stop_stops_everything(checkout: Checkout) -> None:
    first = checkout.run("quickstart.sh", "--detach")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "is running" in first.stdout
    assert checkout.health() == 200
    pids = {name: checkout.pid(name) for name in ("api", "worker", "redis")}
    running = checkout.processes()
    assert set(pids.values()) <= running

    again = checkout.run("quickstart.sh", "--detach")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "already running" in again.stdout
    assert "Nothing started" in again.stdout
    assert {name: checkout.pid(name) for name in pids} == pids  # pid files untouched
    assert checkout.processes() == running  # no second worker, no second API
    assert checkout.health() == 200

    stopped = checkout.run("stop.sh")
    assert stopped.returncode == 0, stopped.stdout + stopped.stderr
    for name in ("api", "worker", "redis"):
        assert f"{name} stopped" in stopped.stdout
    wait_until(lambda: not checkout.processes(), timeout=10, what="every started process to be gone")
    assert not list((checkout.root / "var" / "run").glob("*.pid"))


def test_a_start_after_the_worker_died_starts_only_the_worker(checkout: Checkout) -> None:
    assert checkout.run("quickstart.sh", "--detach").returncode == 0
    api, worker = checkout.pid("api"), checkout.pid("worker")
    subprocess.run(["pkill", "-KILL", "-P", str(worker)], check=False)
    os.kill(worker, signal.SIGKILL)
    wait_until(lambda: not Path(f"/proc/{worker}").exists(), timeout=10, what="the worker to be gone")

    restarted = checkout.run("quickstart.sh", "--detach")
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr
    assert "the API is already running" in restarted.stdout
    assert "starting the Celery worker" in restarted.stdout
    assert checkout.pid("api") == api
    assert checkout.pid("worker") != worker
    assert checkout.health() == 200


def test_a_port_taken_by_another_program_is_said_and_nothing_is_started(checkout: Checkout) -> None:
    with socket.create_server(("127.0.0.1", checkout.port)):
        refused = checkout.run("quickstart.sh", "--detach")
    assert refused.returncode == 1
    assert f"Port {checkout.port}" in refused.stderr and "already in use" in refused.stderr
    assert not checkout.processes()
    assert not list((checkout.root / "var" / "run").glob("*.pid"))
