"""Successful status polls stay out of the access log; everything else stays in."""

from __future__ import annotations

import logging

import pytest

from genre_api.core.access_log import QuietPolls, quiet_polls


def _access_record(method: str, path: str, status: int) -> logging.LogRecord:
    # What uvicorn's protocols log for each response.
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", method, path, "1.1", status), None,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("method", "path", "status", "logged"),
    [
        ("GET", "/jobs/0f1e2d", 200, False),
        ("GET", "/jobs/0f1e2d", 404, True),  # an unknown id is worth seeing
        ("GET", "/jobs/0f1e2d", 503, True),
        ("POST", "/classify", 202, True),
        ("GET", "/models/current", 200, True),
        ("GET", "/", 200, True),
    ],
)
def test_only_successful_polls_are_left_out(method: str, path: str, status: int, logged: bool) -> None:
    assert QuietPolls().filter(_access_record(method, path, status)) is logged


def test_other_records_pass_untouched() -> None:
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1, "started", None, None)
    assert QuietPolls().filter(record)


def test_installing_twice_leaves_one_filter_and_disabling_removes_it() -> None:
    logger = logging.getLogger("test.access")
    quiet_polls(True, logger)
    quiet_polls(True, logger)
    assert sum(isinstance(item, QuietPolls) for item in logger.filters) == 1
    quiet_polls(False, logger)
    assert not logger.filters
