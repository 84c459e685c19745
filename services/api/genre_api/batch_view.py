"""What `GET /batches/{id}` answers, from the batch's record and its entries' job records (pure)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from genre_api.schemas import BatchCounts, BatchEntryView, BatchView, EntryResult
from genre_core.batches import BatchEntry, BatchRecord, BatchState
from genre_core.jobs import FINAL_STATES, JobError, JobRecord, JobState

JOB_GONE = JobError(code="expired", message="This song's job is no longer kept; submit the playlist again.")


def batch_view(record: BatchRecord, jobs: Mapping[str, JobRecord | None]) -> BatchView:
    """The batch with each entry's state and song-level result; `done` once every entry is final.

    `jobs` holds the record of each entry's job id (None when it is gone: the entry reads `expired`).
    """
    entries = [_entry_view(entry, jobs.get(entry.job_id) if entry.job_id else None) for entry in record.entries]
    state = record.state
    if state == BatchState.running and all(entry.state in FINAL_STATES for entry in entries):
        state = BatchState.done
    states = Counter(entry.state for entry in entries)
    counts = BatchCounts(
        total=len(entries),
        queued=states[JobState.queued],
        running=states[JobState.downloading] + states[JobState.analyzing],
        done=states[JobState.done],
        failed=states[JobState.failed] + states[JobState.expired],
    )
    genres = Counter(entry.result.top_genre for entry in entries if entry.result is not None)
    return BatchView(
        id=record.id,
        state=state,
        url=record.url,
        title=record.title,
        created_at=record.created_at,
        updated_at=record.updated_at,
        error=record.error,
        counts=counts,
        genres=dict(sorted(genres.items(), key=lambda item: (-item[1], item[0]))),
        entries=entries,
    )


def _entry_view(entry: BatchEntry, job: JobRecord | None) -> BatchEntryView:
    common = {"index": entry.index, "url": entry.url, "title": entry.title, "job_id": entry.job_id}
    if entry.job_id is None:
        return BatchEntryView(**common, status_url=None, state=JobState.failed, error=entry.error)
    status_url = f"/jobs/{entry.job_id}"
    if job is None:
        return BatchEntryView(**common, status_url=status_url, state=JobState.expired, error=JOB_GONE)
    result = None
    if job.state == JobState.done and job.result is not None:
        result = EntryResult.model_validate(job.result, from_attributes=True)
    return BatchEntryView(**common, status_url=status_url, state=job.state, error=job.error, result=result)
