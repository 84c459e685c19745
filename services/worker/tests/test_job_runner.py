"""A job from record to result, on real Redis, real downloads and the real model (no Celery)."""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
import pytest
import redis
import soundfile
from pytest import MonkeyPatch

from genre_core.jobs import KEY_PREFIX, JobError, JobSource, JobState, JobStore
from genre_core.results import ClassificationResult
from genre_worker.classifier import Classifier
from genre_worker.job_runner import JobNotStored, RetryLater, remove_stale_work_dirs, run_job
from genre_worker.settings import WorkerSettings
from genre_worker.store import connect_store
from testkit.audio_server import FlakyAudioServer, TricklingServer
from testkit.redis_server import PrivateRedis


@pytest.fixture(scope="module")
def classifier(model_dir: Path) -> Classifier:
    return Classifier(model_dir)


@pytest.fixture
def redis_client(redis_db: Callable[[int], str]) -> redis.Redis:
    return redis.Redis.from_url(redis_db(11))


@pytest.fixture
def store(redis_client: redis.Redis) -> JobStore:
    return JobStore(redis_client, ttl_seconds=600)


@pytest.fixture
def settings(model_dir: Path, tmp_path: Path) -> WorkerSettings:
    return WorkerSettings(
        model_dir=model_dir, upload_dir=tmp_path, download_socket_timeout_seconds=5, allowed_networks=["127.0.0.0/8"]
    )


def _upload(audio_files: Path, name: str, upload_dir: Path) -> JobSource:
    job_dir = upload_dir / "job"
    job_dir.mkdir()
    shutil.copy(audio_files / name, job_dir / name)
    return JobSource(kind="upload", filename=name, upload_path=str(job_dir / name))


def test_url_job_ends_done_with_a_result(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, audio_server: str
) -> None:
    record = store.create(JobSource(kind="url", url=f"{audio_server}/rock.ogg"))
    final = run_job(record.id, store, classifier, settings)
    assert final is not None and final.state is JobState.done
    assert final.result is not None and len(final.result.windows) == 10
    assert store.get(record.id) == final


def test_upload_job_ends_done_and_the_upload_is_removed(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, audio_files: Path
) -> None:
    source = _upload(audio_files, "rock.ogg", settings.upload_dir)
    final = run_job(store.create(source).id, store, classifier, settings)
    assert final is not None and final.state is JobState.done
    assert not Path(source.upload_path or "").parent.exists()


@pytest.mark.parametrize(("name", "code"), [("notes.mp3", "unsupported_audio"), ("short.wav", "too_short")])
def test_bad_uploads_fail_with_their_code(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, audio_files: Path, name: str, code: str
) -> None:
    source = _upload(audio_files, name, settings.upload_dir)
    final = run_job(store.create(source).id, store, classifier, settings)
    assert final is not None and final.state is JobState.failed
    assert final.error is not None and final.error.code == code and final.error.message
    assert not Path(source.upload_path or "").exists()


def test_failed_download_names_the_reason(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, audio_server: str
) -> None:
    record = store.create(JobSource(kind="url", url=f"{audio_server}/gone.ogg"))
    final = run_job(record.id, store, classifier, settings)
    assert final is not None and final.error is not None
    assert final.error.code == "download_failed"
    assert "404" in final.error.message


def test_running_a_finished_job_again_changes_nothing(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, audio_server: str
) -> None:
    record = store.create(JobSource(kind="url", url=f"{audio_server}/rock.ogg"))
    first = run_job(record.id, store, classifier, settings)
    assert run_job(record.id, store, classifier, settings) == first


def test_a_job_whose_time_is_up_fails_with_timeout(
    store: JobStore,
    classifier: Classifier,
    settings: WorkerSettings,
    audio_server: str,
    monkeypatch: MonkeyPatch,
) -> None:
    class TimeIsUp(Exception):
        pass

    def slow_download(*_: object, **__: object) -> Path:
        raise TimeIsUp

    monkeypatch.setattr("genre_worker.job_runner.download", slow_download)
    record = store.create(JobSource(kind="url", url=f"{audio_server}/rock.ogg"))
    final = run_job(record.id, store, classifier, settings, time_limit_errors=(TimeIsUp,))
    assert final is not None and final.error is not None and final.error.code == "timeout"


def test_unexpected_crash_still_ends_the_job(
    store: JobStore,
    classifier: Classifier,
    settings: WorkerSettings,
    audio_files: Path,
    monkeypatch: MonkeyPatch,
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("/secret/internal/path exploded")

    monkeypatch.setattr(classifier, "classify_file", broken)
    source = _upload(audio_files, "rock.ogg", settings.upload_dir)
    final = run_job(store.create(source).id, store, classifier, settings)
    assert final is not None and final.state is JobState.failed and final.error is not None
    assert final.error.code == "internal_error"
    assert "/secret" not in final.error.message


def test_missing_record_is_ignored(store: JobStore, classifier: Classifier, settings: WorkerSettings) -> None:
    assert run_job("never-created", store, classifier, settings) is None


def test_song_longer_than_the_limit_fails_with_too_long(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, audio_server: str
) -> None:
    record = store.create(JobSource(kind="url", url=f"{audio_server}/rock.ogg"))
    final = run_job(record.id, store, classifier, settings.model_copy(update={"max_duration_seconds": 20}))
    assert final is not None and final.error is not None
    assert final.error.code == "too_long"


def test_link_to_a_private_address_fails_without_fetching(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, audio_server: str
) -> None:
    record = store.create(JobSource(kind="url", url=f"{audio_server}/rock.ogg"))
    final = run_job(record.id, store, classifier, settings.model_copy(update={"allowed_networks": []}))
    assert final is not None and final.error is not None
    assert final.error.code == "url_not_allowed"


def test_silent_upload_fails_with_silent_audio(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, tmp_path: Path
) -> None:
    silent = tmp_path / "job" / "silence.wav"
    silent.parent.mkdir()
    soundfile.write(silent, np.zeros(10 * 22050, dtype=np.float32), 22050)
    source = JobSource(kind="upload", filename="silence.wav", upload_path=str(silent))
    final = run_job(store.create(source).id, store, classifier, settings)
    assert final is not None and final.error is not None and final.error.code == "silent_audio"


def test_only_old_work_folders_are_removed(tmp_path: Path) -> None:
    old, fresh, other = tmp_path / "genre-job-old", tmp_path / "genre-job-new", tmp_path / "unrelated"
    for folder in (old, fresh, other):
        folder.mkdir()
        (folder / "source.wav").write_bytes(b"x")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    os.utime(other, (an_hour_ago, an_hour_ago))
    assert remove_stale_work_dirs(max_age_seconds=600, parent=tmp_path) == 1
    assert not old.exists() and fresh.exists() and other.exists()


def test_transient_download_failure_is_retried_then_succeeds(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, flaky_audio_server: FlakyAudioServer
) -> None:
    record = store.create(JobSource(kind="url", url=f"{flaky_audio_server.base_url}/rock.ogg"))
    for attempt in (1, 2):
        with pytest.raises(RetryLater) as caught:
            run_job(record.id, store, classifier, settings, attempt=attempt)
        assert caught.value.delay_seconds == settings.download_retry_seconds * 2 ** (attempt - 1)
        assert store.get(record.id).state is JobState.queued  # waiting for its next try, not failed
    final = run_job(record.id, store, classifier, settings, attempt=3)
    assert final is not None and final.state is JobState.done


def test_transient_failure_on_the_last_try_fails_the_job(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, flaky_audio_server: FlakyAudioServer
) -> None:
    record = store.create(JobSource(kind="url", url=f"{flaky_audio_server.base_url}/rock.ogg"))
    one_try = settings.model_copy(update={"download_attempts": 1})
    final = run_job(record.id, store, classifier, one_try, attempt=1)
    assert final is not None and final.error is not None
    assert final.error.code == "download_failed" and "503" in final.error.message


def test_trickling_server_fails_the_job_at_the_download_deadline(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, clip_path: Path
) -> None:
    server = TricklingServer(clip_path.read_bytes(), chunk_bytes=1, interval_seconds=1.0)
    try:
        record = store.create(JobSource(kind="url", url=f"{server.base_url}/rock.ogg"))
        final = run_job(record.id, store, classifier, settings.model_copy(update={"download_deadline_seconds": 2}))
    finally:
        server.stop()
    assert final is not None and final.error is not None
    assert (final.error.code, final.error.message) == (
        "download_failed",
        "The download took longer than the 2 s limit: the server sends too slowly. Try another link.",
    )


def test_link_keyed_as_another_youtube_video_fails_without_downloading(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, audio_server: str
) -> None:
    # The generic extractor names this direct link's media "rock"; the job was keyed as video AAAAAAAAAAA.
    source = JobSource(kind="url", url=f"{audio_server}/rock.ogg", key="youtube:AAAAAAAAAAA")
    final = run_job(store.create(source).id, store, classifier, settings)
    assert final is not None and final.error is not None
    assert final.error.code == "url_not_allowed" and "AAAAAAAAAAA" in final.error.message


def test_upload_of_a_job_already_final_is_removed(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, audio_files: Path
) -> None:
    # E.g. failed as stale while it waited in the queue: the worker leaves the job alone but removes the upload.
    source = _upload(audio_files, "rock.ogg", settings.upload_dir)
    record = store.create(source)
    failed = store.update(record.id, state=JobState.failed, error=JobError(code="timeout", message="stale"))
    assert run_job(record.id, store, classifier, settings) == failed
    assert not Path(source.upload_path or "").parent.exists()


def test_upload_of_an_expired_job_is_removed(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, audio_files: Path, redis_client: redis.Redis
) -> None:
    source = _upload(audio_files, "rock.ogg", settings.upload_dir)
    record = store.create(source)
    redis_client.delete(KEY_PREFIX + record.id)  # its TTL passed: only the tombstone is left
    final = run_job(record.id, store, classifier, settings)
    assert final is not None and final.state is JobState.expired
    assert not Path(source.upload_path or "").parent.exists()


def test_upload_with_non_finite_samples_fails_and_its_record_stays_readable(
    store: JobStore, classifier: Classifier, settings: WorkerSettings, clip_path: Path, tmp_path: Path
) -> None:
    audio, rate = soundfile.read(clip_path, dtype="float32")
    audio[::1000] = np.nan
    upload = tmp_path / "job" / "nan.wav"
    upload.parent.mkdir()
    soundfile.write(upload, audio, rate, subtype="FLOAT")
    record = store.create(JobSource(kind="upload", filename="nan.wav", upload_path=str(upload)))
    final = run_job(record.id, store, classifier, settings)
    # Refused by the decoder, or else by the check of the result before it is stored: never stored as NaN.
    assert final is not None and final.error is not None
    assert final.error.code in {"unsupported_audio", "internal_error"}
    assert store.get(record.id) == final


class CutsRedisAfterAnalysis:
    """The real classifier; once it has classified a song, Redis stops (and starts again `back_after` s later)."""

    def __init__(self, classifier: Classifier, server: PrivateRedis, back_after: float | None) -> None:
        self._classifier = classifier
        self._server = server
        self._back_after = back_after
        self.params = classifier.params

    def classify_file(self, path: Path, max_seconds: float | None = None) -> ClassificationResult:
        result = self._classifier.classify_file(path, max_seconds=max_seconds)
        self._server.stop()
        if self._back_after is not None:
            threading.Timer(self._back_after, self._server.start).start()
        return result


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    data = tmp_path / "redis"
    data.mkdir()
    server = PrivateRedis(data)
    server.start()
    yield server
    server.stop()


def test_result_is_stored_after_a_redis_restart_during_the_job(
    classifier: Classifier, settings: WorkerSettings, audio_files: Path, private_redis: PrivateRedis
) -> None:
    settings = settings.model_copy(update={"redis_url": private_redis.url, "store_retry_seconds": 20})
    store = connect_store(settings)
    source = _upload(audio_files, "rock.ogg", settings.upload_dir)
    record = store.create(source)
    cutting = CutsRedisAfterAnalysis(classifier, private_redis, back_after=1.0)
    final = run_job(record.id, store, cutting, settings)  # type: ignore[arg-type]
    assert final is not None and final.state is JobState.done
    assert store.get(record.id) == final
    assert not Path(source.upload_path or "").parent.exists()


def test_job_whose_result_cannot_be_stored_keeps_its_upload_and_runs_again(
    classifier: Classifier, settings: WorkerSettings, audio_files: Path, private_redis: PrivateRedis
) -> None:
    settings = settings.model_copy(update={"redis_url": private_redis.url, "store_retry_seconds": 0.5})
    store = connect_store(settings)
    source = _upload(audio_files, "rock.ogg", settings.upload_dir)
    record = store.create(source)
    with pytest.raises(JobNotStored):
        run_job(record.id, store, CutsRedisAfterAnalysis(classifier, private_redis, None), settings)  # type: ignore[arg-type]
    assert Path(source.upload_path or "").exists()  # kept for the redelivered task
    private_redis.start()
    assert store.get(record.id).state is JobState.analyzing  # not acknowledged as done, nor failed
    final = run_job(record.id, store, classifier, settings)  # the task, redelivered
    assert final is not None and final.state is JobState.done
    assert not Path(source.upload_path or "").parent.exists()
