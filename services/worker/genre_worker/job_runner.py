"""One job from start to end, free of Celery: the task only calls `run_job`."""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

import redis

from genre_core.errors import PipelineError
from genre_core.jobs import FINAL_STATES, JobError, JobRecord, JobState, JobStore, check_result
from genre_core.url_safety import parse_networks
from genre_worker.classifier import Classifier
from genre_worker.download import DownloadFailed, download
from genre_worker.settings import WorkerSettings

log = logging.getLogger(__name__)

WORK_DIR_PREFIX = "genre-job-"


class RetryLater(Exception):
    """The download failed in a way that may pass: run the job again after `delay_seconds`."""

    def __init__(self, delay_seconds: float) -> None:
        super().__init__(f"retry in {delay_seconds} s")
        self.delay_seconds = delay_seconds


class JobNotStored(Exception):
    """Redis could not be reached to read or write the job's record, even after the store's retries.

    The job's outcome is not stored and its upload is kept: the caller must not acknowledge the task,
    so that it runs again (a job runs safely twice).
    """


def run_job(
    job_id: str,
    store: JobStore,
    classifier: Classifier,
    settings: WorkerSettings,
    time_limit_errors: tuple[type[BaseException], ...] = (),
    attempt: int = 1,
) -> JobRecord | None:
    """Advance job `job_id` through downloading → analyzing → done, or to failed with a code.

    Safe to run twice for the same job (a redelivered task): a job already finished is left as it is
    (its upload, if still there, is removed). The upload is removed once the final state is stored,
    never before. `time_limit_errors` are the exceptions the task runner raises when the job's time is up.
    Returns the final record, or None when the record is gone (expired or never created).

    Raises:
        RetryLater: a transient download failure on try `attempt` < `settings.download_attempts`;
            the job is back to `queued` and the caller schedules it again.
        JobNotStored: Redis stayed unreachable; the caller hands the task back unacknowledged.
    """
    try:
        record = store.get(job_id)
        if record is None:
            log.warning("job %s has no record (expired?); nothing to do", job_id)
            return None
        if record.state in FINAL_STATES:
            # Failed while queued (stale, queue trouble) or expired before a worker got to it.
            _remove_upload(record)
            return record
        changes = _outcome(record, store, classifier, settings, time_limit_errors, attempt)
        final = store.update(job_id, **changes)
    except (redis.RedisError, *time_limit_errors) as error:
        # The job's time ran out here only while the store was retrying its final write.
        log.warning("job %s: Redis unreachable (%s); the task goes back to the queue", job_id, error)
        raise JobNotStored(job_id) from error
    except KeyError:
        log.warning("job %s: its record disappeared while it ran (Redis lost its data?)", job_id)
        final = None
    _remove_upload(record)
    return final


def _outcome(
    record: JobRecord,
    store: JobStore,
    classifier: Classifier,
    settings: WorkerSettings,
    time_limit_errors: tuple[type[BaseException], ...],
    attempt: int,
) -> dict[str, Any]:
    """Run the job; returns the changes that end its record (done with a result, or failed with an error)."""
    job_id = record.id
    try:
        with tempfile.TemporaryDirectory(prefix=WORK_DIR_PREFIX) as work_dir:
            audio_path = _fetch_audio(record, store, Path(work_dir), settings, classifier.params.sample_rate)
            store.update(job_id, state=JobState.analyzing)
            result = classifier.classify_file(audio_path, max_seconds=settings.max_duration_seconds)
        # Checked before it is stored: a record that cannot be read back would fail every poll of the job.
        check_result(result)
        return {"state": JobState.done, "result": result, "error": None}
    except time_limit_errors:
        limit = settings.job_time_limit_seconds
        error = JobError(code="timeout", message=f"The job took longer than the {limit} s limit and was stopped.")
        return {"state": JobState.failed, "error": error}
    except DownloadFailed as error:
        if error.transient and attempt < settings.download_attempts:
            delay = settings.download_retry_seconds * 2 ** (attempt - 1)
            log.info(
                "job %s: download failed (%s), try %d again in %g s",
                job_id,
                error.detail or error.message,
                attempt + 1,
                delay,
            )
            store.update(job_id, state=JobState.queued)
            raise RetryLater(delay) from error
        return _failed(job_id, error)
    except PipelineError as error:
        return _failed(job_id, error)
    except redis.RedisError:
        raise
    except Exception:
        # Never leave a job half-way: whatever broke, the client learns that it failed.
        log.exception("job %s crashed", job_id)
        error = JobError(code="internal_error", message="The analysis failed unexpectedly; please try again later.")
        return {"state": JobState.failed, "error": error}


def _failed(job_id: str, error: PipelineError) -> dict[str, Any]:
    log.info("job %s failed: %s (%s)", job_id, error.code, error.message)
    if error.detail:
        log.info("job %s: %s", job_id, error.detail)  # the downloader's words, for whoever reads the worker's log
    return {"state": JobState.failed, "error": JobError.of(error)}


class UploadMissing(PipelineError):
    code = "upload_missing"


def _fetch_audio(
    record: JobRecord, store: JobStore, work_dir: Path, settings: WorkerSettings, sample_rate: int
) -> Path:
    if record.source.kind == "upload":
        if not record.source.upload_path or not Path(record.source.upload_path).exists():
            raise UploadMissing("The uploaded file is no longer available; please upload it again.")
        return Path(record.source.upload_path)
    store.update(record.id, state=JobState.downloading)
    return download(
        record.source.url or "",
        work_dir,
        sample_rate=sample_rate,
        socket_timeout_seconds=settings.download_socket_timeout_seconds,
        max_bytes=settings.max_download_bytes,
        max_seconds=settings.max_duration_seconds,
        allowed_networks=parse_networks(settings.allowed_networks),
        deadline_seconds=settings.download_deadline_seconds,
        min_bytes_per_second=settings.min_download_bytes_per_second,
        min_rate_after_seconds=settings.min_download_rate_after_seconds,
        expected_video_id=record.source.youtube_video_id,
    )


def _remove_upload(record: JobRecord) -> None:
    if record.source.upload_path:
        upload = Path(record.source.upload_path)
        upload.unlink(missing_ok=True)
        # Uploads live in a folder of their own per job; remove it once empty.
        if upload.parent.exists() and not any(upload.parent.iterdir()):
            upload.parent.rmdir()


def remove_stale_work_dirs(max_age_seconds: float, parent: Path | None = None) -> int:
    """Remove job folders that a killed worker left behind (older than `max_age_seconds`); returns how many.

    A folder younger than that may belong to a job still running in another worker process.
    """
    parent = parent or Path(tempfile.gettempdir())
    removed = 0
    for folder in parent.glob(f"{WORK_DIR_PREFIX}*"):
        if folder.is_dir() and time.time() - folder.stat().st_mtime > max_age_seconds:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed
