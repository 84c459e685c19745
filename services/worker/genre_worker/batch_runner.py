"""Expanding a batch, free of Celery: list its playlist, charge its entries to the client's rate limit,
check each entry as a single link is checked, and queue one ordinary job per entry.

Safe to run twice (a redelivered task): a batch no longer `expanding` is left as it is, and an entry's job
is filed under its link's key, so a second run finds the jobs the first one queued instead of new ones.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

import redis

from genre_core import rate_counter
from genre_core.batches import BatchEntry, BatchRecord, BatchState, BatchStore
from genre_core.errors import PipelineError, TooLong
from genre_core.jobs import JobError, JobStore
from genre_core.link_jobs import file_link_job
from genre_core.link_policy import check_link
from genre_core.url_safety import IpAddress, UrlNotAllowed, parse_networks, resolve_host
from genre_worker.playlist import Playlist, PlaylistEntry, list_playlist
from genre_worker.settings import WorkerSettings

log = logging.getLogger(__name__)

QueueJob = Callable[[str], None]
"""Sends the task of a new job (its id)."""


class RateLimited(PipelineError):
    code = "rate_limited"


def expand_batch(
    batch_id: str,
    batches: BatchStore,
    jobs: JobStore,
    client: redis.Redis,
    queue_job: QueueJob,
    settings: WorkerSettings,
    time_limit_errors: tuple[type[BaseException], ...] = (),
) -> BatchRecord | None:
    """Take batch `batch_id` from `expanding` to `running` (its entries and their jobs), or to `failed`
    with a code (`playlist_too_long`, `empty_playlist`, `not_a_playlist`, `download_failed`, `rate_limited`,
    `url_not_allowed`, `timeout`, `internal_error`). Returns the record; None when there is none.

    Raises:
        redis.RedisError: Redis could not be reached (the caller hands the task back to the queue).
    """
    record = batches.get(batch_id)
    if record is None:
        log.warning("batch %s has no record (expired?); nothing to do", batch_id)
        return None
    if record.state != BatchState.expanding:
        return record
    try:
        changes = _expanded(record, jobs, client, queue_job, settings)
    except redis.RedisError:
        raise
    except time_limit_errors:
        limit = settings.job_time_limit_seconds
        changes = _failed(batch_id, JobError(code="timeout", message=f"Listing the playlist took over {limit} s."))
    except PipelineError as error:
        changes = _failed(batch_id, JobError.of(error))
    except Exception:
        log.exception("batch %s crashed", batch_id)
        error = JobError(code="internal_error", message="The playlist could not be read; please try again later.")
        changes = _failed(batch_id, error)
    try:
        return batches.update(batch_id, **changes)
    except KeyError:
        log.warning("batch %s: its record disappeared while it was expanded", batch_id)
        return None


def _failed(batch_id: str, error: JobError) -> dict[str, Any]:
    log.info("batch %s failed: %s (%s)", batch_id, error.code, error.message)
    return {"state": BatchState.failed, "error": error}


def _expanded(
    record: BatchRecord, jobs: JobStore, client: redis.Redis, queue_job: QueueJob, settings: WorkerSettings
) -> dict[str, Any]:
    policy = record.policy
    networks = parse_networks(settings.allowed_networks)
    playlist = list_playlist(
        record.url,
        max_items=settings.max_playlist_items,
        socket_timeout_seconds=settings.download_socket_timeout_seconds,
        allowed_networks=networks,
        deadline_seconds=settings.download_deadline_seconds,
    )
    _charge(client, record, playlist)
    # One lookup per host for the whole playlist (a YouTube playlist's entries all share one).
    resolve: Callable[[str], set[IpAddress]] = functools.cache(resolve_host)
    entries = []
    for index, item in enumerate(playlist.entries, start=1):
        refusal = _refusal(item, policy.allowed_hosts, policy.allowed_networks, settings.max_duration_seconds, resolve)
        entry = BatchEntry(index=index, url=item.url, title=item.title)
        if refusal is not None:
            entries.append(entry.model_copy(update={"error": JobError.of(refusal)}))
            continue
        job, new = file_link_job(
            client, jobs, item.url or "", policy.model_version, settings.job_ttl_seconds, policy.stale_after_seconds
        )
        if new:
            queue_job(job.id)
        entries.append(entry.model_copy(update={"job_id": job.id}))
    with_jobs = sum(entry.job_id is not None for entry in entries)
    log.info("batch %s: %d entries, %d with a job (new or shared)", record.id, len(entries), with_jobs)
    return {"state": BatchState.running, "title": playlist.title, "entries": entries, "error": None}


def _charge(client: redis.Redis, record: BatchRecord, playlist: Playlist) -> None:
    """Count the entries against the client's rate limit, as if each had been sent on its own (the playlist's
    own submission was counted by the API already: it stands for the first). Past the limit already, the
    batch is refused; a batch that goes past it is let through, and the rest is waited for by its next ones.
    """
    limit = record.policy.rate_limit_per_minute
    if limit <= 0:
        return
    before = rate_counter.charge(client, record.policy.client, len(playlist.entries) - 1, limit)
    if before > limit:
        wait = rate_counter.seconds_to_next_window()
        raise RateLimited(
            f"Too many songs from your address: at most {limit} a minute, and this playlist has "
            f"{len(playlist.entries)}. Try again in {wait} s."
        )


def _refusal(
    item: PlaylistEntry,
    allowed_hosts: list[str],
    allowed_networks: list[str],
    max_seconds: float,
    resolve: Callable[[str], set[IpAddress]],
) -> PipelineError | None:
    """Why this entry gets no job: a link that would be refused on its own, or a song over the length limit."""
    if not item.url:
        return UrlNotAllowed("The playlist gives no link for this entry.")
    try:
        check_link(item.url, allowed_hosts, allowed_networks, resolve)
    except UrlNotAllowed as error:
        return error
    if item.duration_seconds is not None and item.duration_seconds > max_seconds:
        return TooLong(f"The song lasts {item.duration_seconds / 60:.0f} min; the limit is {max_seconds / 60:g} min.")
    return None
