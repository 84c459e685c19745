"""Fixtures shared by every test: the real GTZAN clips, a real Redis, a local HTTP server with real audio."""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import signal
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from testkit.audio_server import FlakyAudioServer, QuietHandler, QuietHTTPServer
from testkit.waiting import free_port, wait_until

REPO_ROOT = Path(__file__).resolve().parent
GTZAN_DIR = REPO_ROOT.parent / "shared" / "gtzan"
SHIPPED_MODEL_DIR = REPO_ROOT / "models" / "default"
DEFAULT_REDIS = "redis://127.0.0.1:6379"


def pytest_configure(config: pytest.Config) -> None:
    """Ctrl-C works in the suite however it was started: a shell without job control starts background commands
    with SIGINT ignored, which every process the tests start would inherit (the Ctrl-C tests then fail)."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(scope="session")
def gtzan_dir() -> Path:
    if not (GTZAN_DIR / "genres").is_dir():
        pytest.skip(f"GTZAN clips not found at {GTZAN_DIR}")
    return GTZAN_DIR


@pytest.fixture(scope="session")
def clip_path(gtzan_dir: Path) -> Path:
    """A real 30-second rock clip (Ogg Vorbis, 22050 Hz mono)."""
    return gtzan_dir / "genres" / "rock" / "rock.00001.ogg"


@pytest.fixture(scope="session")
def model_dir() -> Path:
    """The model artifact under test: GENRE_MODEL_DIR if set, else the shipped default model."""
    folder = Path(os.environ.get("GENRE_MODEL_DIR", SHIPPED_MODEL_DIR))
    if not (folder / "manifest.json").is_file():
        pytest.fail(f"No model artifact at {folder}")
    return folder


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a real Redis: the one at 127.0.0.1:6379, or a private redis-server if none answers."""
    with contextlib.suppress(redis.RedisError):
        if redis.Redis.from_url(DEFAULT_REDIS, socket_connect_timeout=1).ping():
            yield DEFAULT_REDIS
            return
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail("No Redis answers at 127.0.0.1:6379 and redis-server is not installed")
    port = free_port()
    data_dir = tmp_path_factory.mktemp("redis")
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([*command, "--dir", str(data_dir)], stdout=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}"
    wait_until(lambda: _pings(url), timeout=10, what="private redis-server")
    yield url
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_db(redis_server: str) -> Callable[[int], str]:
    """Gives the URL of Redis database `db`, flushed: each test area uses its own so queued jobs never cross."""

    def url_of(db: int) -> str:
        url = f"{redis_server}/{db}"
        redis.Redis.from_url(url).flushdb()
        return url

    return url_of


def _pings(url: str) -> bool:
    with contextlib.suppress(redis.RedisError):
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    return False


@pytest.fixture(scope="session")
def audio_files(tmp_path_factory: pytest.TempPathFactory, clip_path: Path) -> Path:
    """A folder of test inputs made from a real clip: the clip, a 2-second cut, a text file named .mp3."""
    folder = tmp_path_factory.mktemp("served-audio")
    shutil.copy(clip_path, folder / "rock.ogg")
    subprocess.run(
        ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(clip_path), "-t", "2", str(folder / "short.wav")],
        check=True,
    )
    (folder / "notes.mp3").write_text("these are not the sounds you are looking for\n" * 20)
    return folder


@pytest.fixture(scope="session")
def audio_server(audio_files: Path) -> Iterator[str]:
    """Base URL of an HTTP server on 127.0.0.1 serving `audio_files`."""
    handler = functools.partial(QuietHandler, directory=str(audio_files))
    server = QuietHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def flaky_audio_server(audio_files: Path) -> Iterator[FlakyAudioServer]:
    """An audio server that fails each path twice with 503 before serving it."""
    server = FlakyAudioServer(audio_files, failures=2)
    yield server
    server.server.shutdown()
