"""Job records in a real Redis."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

import pytest
import redis

from genre_core.jobs import (
    KEY_PREFIX,
    JobError,
    JobSource,
    JobState,
    JobStore,
    UnusableResult,
    check_result,
    record_from_stored,
)
from genre_core.results import ClassificationResult, WindowPrediction


def test_create_get_update_and_expiry(redis_db: Callable[[int], str]) -> None:
    client = redis.Redis.from_url(redis_db(12))
    store = JobStore(client, ttl_seconds=60)
    record = store.create(JobSource(kind="url", url="https://youtu.be/x"))
    assert store.get(record.id) == record
    assert record.state is JobState.queued
    failed = store.update(record.id, state=JobState.failed, error=JobError(code="c", message="m"))
    assert store.get(record.id) == failed
    assert failed.updated_at >= record.updated_at
    assert 0 < client.ttl(f"genre:job:{record.id}") <= 60


def test_unknown_job_is_none(redis_db: Callable[[int], str]) -> None:
    assert JobStore(redis.Redis.from_url(redis_db(12)), ttl_seconds=60).get("nope") is None


def _result(song: list[float], window: list[float]) -> ClassificationResult:
    labels = ["blues", "rock"]
    return ClassificationResult(
        labels=labels,
        song_probabilities=dict(zip(labels, song, strict=True)),
        top_genre="rock",
        top_probability=max(song),
        duration_seconds=3.0,
        window_seconds=3.0,
        windows=[WindowPrediction(start_seconds=0.0, end_seconds=3.0, probabilities=window)],
        model_version="test",
    )


@pytest.mark.parametrize(
    ("song", "window"),
    [([0.3, 0.7], [0.2, 0.8]), ([0.3, 0.7], [0.0, 0.0])],  # all zeros: a window the model was not run on
    ids=["distributions", "unscored window"],
)
def test_a_result_of_distributions_is_usable(song: list[float], window: list[float]) -> None:
    check_result(_result(song, window))


@pytest.mark.parametrize(
    ("song", "window"),
    [
        ([math.nan, 0.7], [0.2, 0.8]),
        ([0.3, 0.7], [math.inf, 0.8]),
        ([0.3, 0.3], [0.2, 0.8]),
        ([0.3, 0.7], [0.2, 0.2]),
        ([1.5, -0.5], [0.2, 0.8]),
        ([0.3, 0.7], [1.0]),
    ],
    ids=["NaN", "infinity", "song sums to 0.6", "window sums to 0.4", "outside [0, 1]", "one value short"],
)
def test_a_result_that_is_not_a_distribution_is_unusable(song: list[float], window: list[float]) -> None:
    with pytest.raises(UnusableResult) as caught:
        check_result(_result(song, window))
    assert caught.value.code == "internal_error"


def test_store_never_writes_an_unusable_result(redis_db: Callable[[int], str]) -> None:
    client = redis.Redis.from_url(redis_db(12))
    store = JobStore(client, ttl_seconds=60)
    record = store.create(JobSource(kind="url", url="https://youtu.be/x"))
    with pytest.raises(UnusableResult):
        store.update(record.id, state=JobState.done, result=_result([math.nan, 0.7], [0.2, 0.8]))
    assert store.get(record.id) == record


def test_a_stored_record_that_cannot_be_parsed_reads_as_failed(redis_db: Callable[[int], str]) -> None:
    # What an unchecked writer stored for NaN probabilities: pydantic writes NaN as null, which no reader parses.
    client = redis.Redis.from_url(redis_db(12))
    store = JobStore(client, ttl_seconds=60)
    record = store.create(JobSource(kind="url", url="https://youtu.be/x"))
    done = store.update(record.id, state=JobState.done, result=_result([0.3, 0.7], [0.2, 0.8]))
    stored = json.loads(done.model_dump_json())
    stored["result"]["song_probabilities"]["blues"] = None
    client.set(KEY_PREFIX + record.id, json.dumps(stored))
    read = store.get(record.id)
    assert read is not None and (read.id, read.state, read.result) == (record.id, JobState.failed, None)
    assert read.error is not None and read.error.code == "internal_error"

    client.set(KEY_PREFIX + record.id, b"\x00 not json")
    read = store.get(record.id)  # from its tombstone
    assert read is not None and (read.id, read.state) == (record.id, JobState.failed)

    assert record_from_stored(b"\x00 not json", None, ttl_seconds=60) is None
    assert record_from_stored(None, b"{}", ttl_seconds=60) is None


def test_the_tombstone_keeps_the_upload_path_for_the_worker(redis_db: Callable[[int], str]) -> None:
    client = redis.Redis.from_url(redis_db(12))
    store = JobStore(client, ttl_seconds=60)
    record = store.create(JobSource(kind="upload", filename="a.ogg", upload_path="/uploads/x/a.ogg"))
    client.delete(KEY_PREFIX + record.id)
    expired = store.get(record.id)
    assert expired is not None and expired.state is JobState.expired
    assert expired.source.upload_path == "/uploads/x/a.ogg"


@pytest.mark.parametrize(
    ("key", "video_id"),
    [("youtube:dQw4w9WgXcQ", "dQw4w9WgXcQ"), ("https://example.com/a.ogg", None), (None, None)],
)
def test_the_youtube_video_id_a_link_was_keyed_by(key: str | None, video_id: str | None) -> None:
    assert JobSource(kind="url", url="https://example.com/", key=key).youtube_video_id == video_id
