"""Leaving successful status polls out of uvicorn's access log.

Every client polls `GET /jobs/{id}` about once a second until its job is done, so polls are nearly all of the
API's requests and their log lines say nothing an operator needs; writing them cost 5-19 % of the API's
poll throughput (benchmarks/RESULTS.md, section 3). Submissions, failed polls and every other request are
still logged. `GENRE_LOG_POLLS=true` logs polls too.
"""

from __future__ import annotations

import logging

ACCESS_LOGGER = "uvicorn.access"
POLL_PREFIX = "/jobs/"


class QuietPolls(logging.Filter):
    """Drops the access-log records of `GET /jobs/...` requests answered with a status below 400."""

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn logs '%s - "%s %s HTTP/%s" %d' with (client, method, path, http version, status).
        args = record.args
        if not isinstance(args, tuple) or len(args) != 5:
            return True
        _, method, path, _, status = args
        is_poll = method == "GET" and isinstance(path, str) and path.startswith(POLL_PREFIX)
        return not (is_poll and isinstance(status, int) and status < 400)


def quiet_polls(enabled: bool, logger: logging.Logger | None = None) -> None:
    """Install (or, with `enabled` False, remove) :class:`QuietPolls` on uvicorn's access logger, once."""
    logger = logger or logging.getLogger(ACCESS_LOGGER)
    for existing in [item for item in logger.filters if isinstance(item, QuietPolls)]:
        logger.removeFilter(existing)
    if enabled:
        logger.addFilter(QuietPolls())
