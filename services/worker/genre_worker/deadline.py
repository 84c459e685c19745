"""A wall-clock limit on a block of code, one that also interrupts a read blocked on a trickling server.

A socket timeout bounds each wait for data, not the whole transfer: a server that sends one byte every
few seconds never trips it, and a read of a block waits for the whole block. A signal timer raises in
the middle of such a read, as Celery's own soft time limit does.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

# After the deadline the error is raised again at this interval, in case the code under the limit
# catches the first one and carries on.
_REPEAT_SECONDS = 1.0


@contextlib.contextmanager
def deadline(seconds: float | None, expired: Callable[[], BaseException]) -> Iterator[None]:
    """Raise `expired()` inside the block once it has run `seconds` (None or 0: no limit).

    Uses SIGALRM, so it works in the main thread only (the Celery prefork pool and the `classify`
    command run jobs there); elsewhere the block runs without a limit.
    """
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise expired()

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
