"""One job per song and model: a link submitted again, on its own or inside a playlist, gets the job that
already has (or is getting) its result instead of a second analysis."""

from __future__ import annotations

import redis

from genre_core.jobs import JobRecord, JobSource, JobState, JobStore, new_job_id
from genre_core.source_key import source_key

LINK_KEY_PREFIX = "genre:link:"


def link_key(model_version: str, song: str) -> str:
    return f"{LINK_KEY_PREFIX}{model_version}:{song}"


def file_link_job(
    client: redis.Redis,
    store: JobStore,
    url: str,
    model_version: str,
    ttl_seconds: int,
    stale_after_seconds: float,
) -> tuple[JobRecord, bool]:
    """The job of this link's song with this model: the one filed already, or a new queued record.

    Returns the record and whether it is new (the caller then sends its task). The same song (same YouTube
    video id, or same URL) with the same model version is analysed once: a repeat gets the finished job at
    once, and concurrent repeats share the queued one. A failed, expired or stale job is not reused.

    Raises:
        redis.RedisError: Redis cannot be reached.
        AmbiguousLink: a YouTube link that could name two videos (checked by the link policy before).
    """
    song = source_key(url)
    key = link_key(model_version, song)
    job_id = new_job_id()
    claimed = client.set(key, job_id, nx=True, ex=ttl_seconds)
    if not claimed:
        existing = client.get(key)
        record = store.get(existing.decode()) if existing else None
        if record is not None:
            record = store.fail_if_stale(record, stale_after_seconds)
            if record.state not in {JobState.failed, JobState.expired}:
                return record, False
        client.set(key, job_id, ex=ttl_seconds)
    # The job carries what it was filed under, so the worker can check that the video it fetched is that one.
    return store.create(JobSource(kind="url", url=url, key=song), job_id), True
