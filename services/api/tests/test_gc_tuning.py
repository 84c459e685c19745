"""Serving processes freeze what start-up built and run the cyclic collector less often (benchmarks/RESULTS.md §3)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from genre_api.core.gc_tuning import THRESHOLDS, tune_for_serving


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_start_up_objects_are_frozen_and_collections_rarer(restored_gc: None) -> None:
    built_at_start_up = {"lives": ["as long as the process"]}
    assert gc.get_freeze_count() == 0
    tune_for_serving()
    assert gc.get_threshold() == THRESHOLDS
    assert gc.get_freeze_count() > 1000  # the imported modules' objects, at least
    # Frozen objects are in no generation any more: no collection walks them again.
    assert not any(item is built_at_start_up for item in gc.get_objects())
    built_later = {"lives": ["one request"]}
    assert any(item is built_later for item in gc.get_objects())


def test_garbage_cycles_are_still_collected(restored_gc: None) -> None:
    tune_for_serving()

    class Node:
        pass

    first, second = Node(), Node()
    first.other, second.other = second, first  # a cycle: reference counting alone never frees it
    del first, second
    assert gc.collect() >= 2
