"""The health check behind /healthz: shared by concurrent callers, cached, bounded, never an exception."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from urllib.parse import urlsplit

import pytest
import redis
from kombu.exceptions import OperationalError

from genre_api.health_probe import UNREACHABLE, Health, HealthProbe, check_health
from genre_api.job_queue import create_celery_client


class CountingCheck:
    def __init__(self, answer: Health, seconds: float = 0.0) -> None:
        self.answer = answer
        self.seconds = seconds
        self.calls = 0

    def __call__(self) -> Health:
        self.calls += 1
        time.sleep(self.seconds)
        return self.answer


def test_concurrent_callers_share_one_check_and_its_answer_is_reused() -> None:
    check = CountingCheck(Health(redis=True, workers=1), seconds=0.3)
    probe = HealthProbe(check, wait_seconds=5, max_age_seconds=60)

    async def flood() -> list[Health]:
        return await asyncio.gather(*(probe.get() for _ in range(200)))

    assert set(asyncio.run(flood())) == {Health(redis=True, workers=1)}
    assert asyncio.run(probe.get()).healthy
    assert check.calls == 1
    probe.close()


def _eventually(condition: Callable[[], bool]) -> bool:
    deadline = time.monotonic() + 10
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    return condition()


def test_an_older_answer_is_given_at_once_while_a_new_check_runs() -> None:
    now = [0.0]
    check = CountingCheck(Health(redis=True, workers=2))
    probe = HealthProbe(check, wait_seconds=5, max_age_seconds=1.0, stale_seconds=10.0, clock=lambda: now[0])
    asyncio.run(probe.get())
    now[0] = 0.5
    asyncio.run(probe.get())
    assert check.calls == 1  # fresh: reused
    check.answer = Health(redis=True, workers=0)
    now[0] = 1.5
    assert asyncio.run(probe.get()) == Health(redis=True, workers=2)  # stale, given at once ...
    assert _eventually(lambda: check.calls == 2)  # ... while it is checked again
    assert _eventually(lambda: asyncio.run(probe.get()) == Health(redis=True, workers=0))
    probe.close()


def test_an_answer_past_stale_seconds_is_not_given_the_caller_waits_for_a_new_one() -> None:
    now = [0.0]
    check = CountingCheck(Health(redis=True, workers=1))
    probe = HealthProbe(check, wait_seconds=5, max_age_seconds=1.0, stale_seconds=10.0, clock=lambda: now[0])
    asyncio.run(probe.get())
    check.answer = UNREACHABLE
    now[0] = 11
    assert asyncio.run(probe.get()) == UNREACHABLE
    assert check.calls == 2
    probe.close()


def test_a_check_that_hangs_answers_unreachable_in_time_and_is_not_started_twice() -> None:
    release = threading.Event()
    calls = []

    def stuck() -> Health:
        calls.append(1)
        release.wait(30)
        return Health(redis=True, workers=1)

    probe = HealthProbe(stuck, wait_seconds=0.3)

    async def two_waits() -> tuple[Health, Health]:
        return await probe.get(), await probe.get()

    started = time.monotonic()
    assert asyncio.run(two_waits()) == (UNREACHABLE, UNREACHABLE)
    assert time.monotonic() - started < 10  # two bounded waits, not the check's 30 s
    assert len(calls) == 1
    release.set()
    probe.close()


def test_a_check_that_raises_is_unreachable_not_an_error() -> None:
    def broken() -> Health:
        raise RuntimeError("boom")

    probe = HealthProbe(broken, wait_seconds=5)
    assert asyncio.run(probe.get()) == UNREACHABLE
    probe.close()


@pytest.fixture
def redis_that_breaks(redis_db: Callable[[int], str]) -> Iterator[str]:
    """A TCP proxy to the real Redis that forwards its first connection and drops every later one at its
    first byte: the health check's Redis ping gets through, then Redis breaks under the worker ping."""
    upstream = urlsplit(redis_db(14))
    server = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def pipe(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def accept() -> None:
        server.settimeout(0.2)
        first = True
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return  # closed at the end of the test
            if first:
                first = False
                real = socket.create_connection((upstream.hostname, upstream.port or 6379))
                threading.Thread(target=pipe, args=(connection, real), daemon=True).start()
                threading.Thread(target=pipe, args=(real, connection), daemon=True).start()
            else:
                connection.recv(1)
                connection.close()

    threading.Thread(target=accept, daemon=True).start()
    yield f"redis://127.0.0.1:{server.getsockname()[1]}/14"
    stop.set()
    server.close()


def test_redis_breaking_during_the_worker_ping_is_unhealthy_not_an_exception(redis_that_breaks: str) -> None:
    # This used to escape /healthz as a 500.
    client = redis.Redis.from_url(redis_that_breaks, socket_timeout=2, socket_connect_timeout=2)
    assert client.ping()  # the first half of the check passes
    with pytest.raises((OperationalError, redis.RedisError)):  # what the route used to let through
        create_celery_client(redis_that_breaks).control.ping(timeout=0.5)
    assert check_health(client, create_celery_client(redis_that_breaks), ping_timeout_seconds=0.5) == UNREACHABLE


def test_redis_down_is_unreachable() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        url = f"redis://127.0.0.1:{probe.getsockname()[1]}/0"  # nothing listens there
    client = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
    assert check_health(client, create_celery_client(url), ping_timeout_seconds=0.5) == UNREACHABLE
