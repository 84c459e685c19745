"""What GET /batches/{id} makes of a batch record and its entries' jobs (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from genre_api.batch_view import batch_view
from genre_core.batches import BatchEntry, BatchPolicy, BatchRecord, BatchState
from genre_core.jobs import JobError, JobRecord, JobSource, JobState
from genre_core.results import ClassificationResult, WindowPrediction

AT = datetime(2026, 12, 1, tzinfo=UTC)
POLICY = BatchPolicy(client="198.51.100.7", allowed_hosts=["youtube.com"], allowed_networks=[],
                     rate_limit_per_minute=30, model_version="m1", stale_after_seconds=1800)  # fmt: skip


def _result(top: str) -> ClassificationResult:
    labels = ["jazz", "rock"]
    probabilities = {"jazz": 0.8, "rock": 0.2} if top == "jazz" else {"jazz": 0.3, "rock": 0.7}
    return ClassificationResult(
        labels=labels, song_probabilities=probabilities, top_genre=top, top_probability=max(probabilities.values()),
        duration_seconds=30.0, window_seconds=3.0, model_version="m1",
        windows=[WindowPrediction(start_seconds=0.0, end_seconds=3.0, probabilities=list(probabilities.values()))],
    )  # fmt: skip


def _job(job_id: str, state: JobState, top: str | None = None, error: str | None = None) -> JobRecord:
    return JobRecord(
        id=job_id, state=state, source=JobSource(kind="url", url=f"https://youtu.be/{job_id}"), created_at=AT,
        updated_at=AT, result=_result(top) if top else None,
        error=JobError(code=error, message="it failed") if error else None,
    )  # fmt: skip


def _batch(entries: list[BatchEntry], state: BatchState = BatchState.running) -> BatchRecord:
    return BatchRecord(id="b1", state=state, url="https://www.youtube.com/playlist?list=PL1", title="Mix",
                       created_at=AT, updated_at=AT, entries=entries, policy=POLICY)  # fmt: skip


def _entries(*job_ids: str | None) -> list[BatchEntry]:
    refused = JobError(code="url_not_allowed", message="not allowed")
    return [
        BatchEntry(index=n, url=f"https://youtu.be/{job_id}", title=f"Song {n}", job_id=job_id,
                   error=None if job_id else refused)
        for n, job_id in enumerate(job_ids, start=1)
    ]  # fmt: skip


def test_a_batch_with_unfinished_entries_is_running_with_its_counts() -> None:
    jobs = {"a": _job("a", JobState.done, "jazz"), "b": _job("b", JobState.analyzing), "c": _job("c", JobState.queued)}
    view = batch_view(_batch(_entries("a", "b", "c")), jobs)
    assert view.state is BatchState.running
    assert view.counts.model_dump() == {"total": 3, "queued": 1, "running": 1, "done": 1, "failed": 0}
    first = view.entries[0]
    assert (first.status_url, first.result.top_genre, first.result.top_probability) == ("/jobs/a", "jazz", 0.8)
    assert view.entries[1].result is None and view.genres == {"jazz": 1}


def test_a_batch_is_done_when_every_entry_is_final_even_if_some_failed() -> None:
    jobs = {
        "a": _job("a", JobState.done, "rock"),
        "b": _job("b", JobState.done, "jazz"),
        "c": _job("c", JobState.done, "rock"),
        "d": _job("d", JobState.failed, error="download_failed"),
    }
    view = batch_view(_batch(_entries("a", "b", "c", "d", None)), jobs)
    assert view.state is BatchState.done
    assert view.counts.model_dump() == {"total": 5, "queued": 0, "running": 0, "done": 3, "failed": 2}
    assert list(view.genres.items()) == [("rock", 2), ("jazz", 1)]  # most first
    assert view.entries[3].error.code == "download_failed"
    refused = view.entries[4]
    assert (refused.state, refused.job_id, refused.status_url, refused.error.code) == (
        JobState.failed, None, None, "url_not_allowed"
    )  # fmt: skip


def test_an_entry_whose_job_is_gone_reads_expired_and_counts_as_failed() -> None:
    view = batch_view(_batch(_entries("a")), {"a": None})
    assert view.state is BatchState.done and view.entries[0].state is JobState.expired
    assert view.counts.failed == 1


def test_an_expanding_or_failed_batch_keeps_its_own_state() -> None:
    assert batch_view(_batch([], BatchState.expanding), {}).state is BatchState.expanding
    failed = _batch([], BatchState.failed).model_copy(update={"error": JobError(code="playlist_too_long", message="x")})
    view = batch_view(failed, {})
    assert view.state is BatchState.failed and view.error.code == "playlist_too_long" and view.counts.total == 0
