"""How often the API processes run Python's cyclic garbage collector.

CPython collects its youngest generation after every 700 net allocations of container objects, and every
tenth of those collections the middle one, whose survivors finally reach the oldest generation: at start-up
that holds everything imported (FastAPI and pydantic's schemas, Celery, kombu, redis-py: hundreds of
thousands of objects), which each full collection walks again. A status poll allocates a few hundred such
objects, so under load the collector ran every few requests. Every object a request makes is freed by
reference counting when the request ends; the collector is only needed for reference cycles, so running it
less often keeps little more in memory.

Measured with the benchmark suite (`benchmarks/api_load.py`, 200 clients, 8-s runs, a 2-core AMD EPYC host, 2026-11-24):
8664-8870 polls/s with CPython's defaults, 10763 with the start-up objects frozen, 12124 with the
thresholds below, 13161 with both (submissions 1360-1448 → 1683-1826 per second); wrk's p99 for polls 87-101 →
49-84 ms.
"""

from __future__ import annotations

import gc

THRESHOLDS = (10_000, 20, 20)
"""Young-generation allocations between collections, then how many collections of each generation trigger one
of the next (CPython's defaults: 700, 10, 10)."""


def tune_for_serving() -> None:
    """Put every object alive now out of the collector's reach and collect less often.

    Call once per server process, when start-up is over: what start-up built (modules, the app, its
    services) lives as long as the process, and frozen it is never walked again.
    """
    gc.collect()  # start-up's own garbage is freed, not frozen
    gc.freeze()
    gc.set_threshold(*THRESHOLDS)
