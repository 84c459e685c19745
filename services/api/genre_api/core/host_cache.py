"""Remembering what the allowed hosts resolve to, so a link submission does not wait for DNS each time.

Every `POST /classify` checks that the link's host resolves to public addresses only. The hosts are few
(the allowlist is checked first), but each submission used to ask the system resolver again, from one of
the thread pool's threads: a slow or throttling resolver then held every submission for its timeout (on
the development machine, 40 concurrent lookups of youtu.be took 5-10 s each; one alone, a millisecond).

Remembering an answer for a minute is safe here: this check only turns obviously bad links away early,
with a clear 400. The worker checks every address again where it connects
(:func:`genre_core.url_safety.public_addresses_only`), so a name that changed to a private address within
the minute still fails there (`url_not_allowed`). A name that does not resolve is not remembered.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from genre_core.url_safety import IpAddress, Resolver, resolve_host

TTL_SECONDS = 60.0


class CachedResolver:
    """A :data:`~genre_core.url_safety.Resolver` that remembers each host's addresses for `ttl_seconds`."""

    def __init__(
        self,
        ttl_seconds: float = TTL_SECONDS,
        resolve: Resolver = resolve_host,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl_seconds = ttl_seconds
        self._resolve = resolve
        self._clock = clock
        self._entries: dict[str, tuple[float, set[IpAddress]]] = {}
        self._lock = threading.Lock()  # routes that check links run in the thread pool

    def __call__(self, host: str) -> set[IpAddress]:
        now = self._clock()
        with self._lock:
            entry = self._entries.get(host)
        if entry is not None and entry[0] > now:
            return entry[1]
        addresses = self._resolve(host)
        if addresses:
            with self._lock:
                self._entries[host] = (now + self._ttl_seconds, addresses)
        return addresses
