"""Expanding a batch on real Redis from a podcast feed served on 127.0.0.1 (no Celery: queued jobs are noted)."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from genre_core import rate_counter
from genre_core.batches import BatchPolicy, BatchState, BatchStore
from genre_core.jobs import JobState, JobStore
from genre_core.link_jobs import file_link_job
from genre_worker.batch_runner import expand_batch
from genre_worker.settings import WorkerSettings
from testkit.audio_server import CountingAudioServer, podcast_feed

MODEL = "model-1"


@pytest.fixture
def client(redis_db: Callable[[int], str]) -> redis.Redis:
    return redis.Redis.from_url(redis_db(4))


@pytest.fixture
def served(tmp_path: Path, clip_path: Path) -> Iterator[CountingAudioServer]:
    folder = tmp_path / "served"
    folder.mkdir()
    for index in range(3):
        (folder / f"song-{index}.ogg").symlink_to(clip_path)
    server = CountingAudioServer(folder)
    yield server
    server.stop()


@pytest.fixture
def settings(model_dir: Path, tmp_path: Path) -> WorkerSettings:
    return WorkerSettings(
        model_dir=model_dir, upload_dir=tmp_path, allowed_networks=["127.0.0.0/8"], max_duration_seconds=600
    )


class Queued(list[str]):
    def __call__(self, job_id: str) -> None:
        self.append(job_id)


def _policy(**changes: object) -> BatchPolicy:
    fields = {"client": "198.51.100.7", "allowed_hosts": ["127.0.0.1"], "allowed_networks": ["127.0.0.0/8"],
              "rate_limit_per_minute": 0, "model_version": MODEL, "stale_after_seconds": 1800}  # fmt: skip
    return BatchPolicy.model_validate({**fields, **changes})


def _feed(served: CountingAudioServer, links: list[str], durations: dict[int, int] | None = None) -> str:
    (served.folder / "feed.xml").write_text(podcast_feed("Songs", links, durations))
    return f"{served.base_url}/feed.xml"


def _expand(client: redis.Redis, settings: WorkerSettings, url: str, policy: BatchPolicy, queued: Queued):
    batches, jobs = BatchStore(client, 600), JobStore(client, 600)
    record = batches.create(url, policy)
    return expand_batch(record.id, batches, jobs, client, queued, settings), jobs


def test_each_entry_gets_a_queued_job_and_no_song_is_fetched(
    client: redis.Redis, served: CountingAudioServer, settings: WorkerSettings
) -> None:
    links = [f"{served.base_url}/song-{n}.ogg" for n in range(3)] + [f"{served.base_url}/gone.ogg"]
    queued = Queued()
    final, jobs = _expand(client, settings, _feed(served, links), _policy(), queued)
    assert final is not None and final.state is BatchState.running and final.error is None
    assert final.title == "Songs"
    assert [entry.url for entry in final.entries] == links
    assert [entry.index for entry in final.entries] == [1, 2, 3, 4]
    assert queued == [entry.job_id for entry in final.entries]
    for entry in final.entries:
        job = jobs.get(entry.job_id or "")
        assert job is not None and job.state is JobState.queued and job.source.url == entry.url
    assert sum(count for path, count in served.requests.items() if path != "/feed.xml") == 0


def test_an_entry_already_classified_shares_its_job(
    client: redis.Redis, served: CountingAudioServer, settings: WorkerSettings
) -> None:
    link = f"{served.base_url}/song-0.ogg"
    existing, _ = file_link_job(client, JobStore(client, 600), link, MODEL, 600, 1800)
    queued = Queued()
    final, _ = _expand(client, settings, _feed(served, [link, f"{served.base_url}/song-1.ogg"]), _policy(), queued)
    assert final is not None and final.entries[0].job_id == existing.id
    assert queued == [final.entries[1].job_id]


def test_expanding_again_finds_the_same_jobs(
    client: redis.Redis, served: CountingAudioServer, settings: WorkerSettings
) -> None:
    # A redelivered task (its worker killed after queueing the jobs, before storing the batch).
    batches, jobs = BatchStore(client, 600), JobStore(client, 600)
    record = batches.create(_feed(served, [f"{served.base_url}/song-{n}.ogg" for n in range(2)]), _policy())
    first = expand_batch(record.id, batches, jobs, client, Queued(), settings)
    batches.update(record.id, state=BatchState.expanding, entries=[])
    queued = Queued()
    second = expand_batch(record.id, batches, jobs, client, queued, settings)
    assert first is not None and second is not None and queued == []
    assert [e.job_id for e in second.entries] == [e.job_id for e in first.entries]
    # A batch no longer expanding is left as it is.
    assert expand_batch(record.id, batches, jobs, client, queued, settings) == second and queued == []


def test_entries_refused_as_single_links_would_be_get_no_job(
    client: redis.Redis, served: CountingAudioServer, settings: WorkerSettings
) -> None:
    links = [
        f"{served.base_url}/song-0.ogg",
        f"http://localhost:{served.port}/song-1.ogg",  # a host not on the allowlist
        "http://10.0.0.1/song.ogg",  # allowed host in the playlist's policy, but a private address
        "ftp://127.0.0.1/song.ogg",
        f"{served.base_url}/song-2.ogg",  # says it lasts 20 min
    ]
    policy = _policy(allowed_hosts=["127.0.0.1", "10.0.0.1"])
    queued = Queued()
    final, _ = _expand(client, settings, _feed(served, links, durations={5: 1200}), policy, queued)
    assert final is not None
    codes = [entry.error.code if entry.error else None for entry in final.entries]
    assert codes == [None, "url_not_allowed", "url_not_allowed", "url_not_allowed", "too_long"]
    assert queued == [final.entries[0].job_id] and all(entry.job_id is None for entry in final.entries[1:])


def test_feed_over_the_limit_fails_the_batch_with_a_code(
    client: redis.Redis, served: CountingAudioServer, settings: WorkerSettings
) -> None:
    settings.max_playlist_items = 2
    queued = Queued()
    final, _ = _expand(client, settings, _feed(served, [f"{served.base_url}/song-{n}.ogg" for n in range(3)]),
                       _policy(), queued)  # fmt: skip
    assert final is not None and final.state is BatchState.failed
    assert final.error is not None and final.error.code == "playlist_too_long" and queued == []


def test_missing_feed_fails_the_batch_as_a_download(
    client: redis.Redis, served: CountingAudioServer, settings: WorkerSettings
) -> None:
    final, _ = _expand(client, settings, f"{served.base_url}/no-feed.xml", _policy(), Queued())
    assert final is not None and final.state is BatchState.failed
    assert final.error is not None and final.error.code == "download_failed"


def test_entries_count_against_the_rate_limit(
    client: redis.Redis, served: CountingAudioServer, settings: WorkerSettings
) -> None:
    feed = _feed(served, [f"{served.base_url}/song-{n}.ogg?{m}" for n in range(3) for m in range(2)])  # 6 songs
    policy = _policy(rate_limit_per_minute=4)
    if rate_counter.seconds_to_next_window() < 10:  # the counts below are of one minute
        time.sleep(rate_counter.seconds_to_next_window())
    # As the API does: the submission of the playlist counted once.
    assert rate_counter.charge(client, policy.client, 1, 4) == 0
    final, _ = _expand(client, settings, feed, policy, Queued())
    assert final is not None and final.state is BatchState.running
    window = rate_counter.current_window()
    counted = [int(client.get(rate_counter.window_key(policy.client, window + n)) or 0) for n in range(3)]
    assert counted == [6, 2, 0]  # 6 entries in all: the 2 past the limit are carried into the next minute
    # Past the limit already: the next playlist is refused.
    rate_counter.charge(client, policy.client, 1, 4)
    refused, _ = _expand(client, settings, feed, policy, Queued())
    assert refused is not None and refused.state is BatchState.failed
    assert refused.error is not None and refused.error.code == "rate_limited"
