"""The benchmark suite still runs: `benchmarks/run_all.py --smoke`, tiny sizes, about 30 s."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.e2e
def test_benchmarks_run_and_write_their_results(redis_server: str, gtzan_dir: Path) -> None:
    if shutil.which("wrk") is None:
        pytest.fail("wrk is not installed (scripts/install.sh --for-tests installs it)")
    if shutil.which("ab") is None:
        pytest.fail("ab is not installed (scripts/install.sh --for-tests installs apache2-utils)")
    env = {**os.environ, "GENRE_BENCH_REDIS": f"{redis_server}/6"}
    subprocess.run(
        [sys.executable, "benchmarks/run_all.py", "--smoke"], cwd=REPO_ROOT, env=env, check=True, timeout=180,
        capture_output=True,
    )  # fmt: skip
    results = REPO_ROOT / "benchmarks" / "results"
    for name, model in (("analysis", "genre-musicnn"), ("analysis-cnn2d", "genre-2d-cnn")):
        analysis = json.loads((results / f"{name}-smoke.json").read_text())
        assert analysis["model"]["name"] == model
        assert analysis["windows"] == 10
        assert analysis["worker_path_seconds_median"] > 0
    start = json.loads((results / "worker_start-smoke.json").read_text())
    assert start["median"]["first_task_seconds"] > 0
    api = json.loads((results / "api_load-smoke.json").read_text())
    assert api["post_classify"][0]["requests"] > 0
    assert api["get_job"][0]["non_2xx"] == 0
    assert api["get_job_ab"][0]["requests"] > 0 and api["get_job_ab"][0]["failed"] == 0
    e2e = json.loads((results / "end_to_end-smoke.json").read_text())
    assert e2e["latency"]["jobs"] == 2
    assert "| 1 |" in (REPO_ROOT / "benchmarks" / "RESULTS-smoke.md").read_text()


@pytest.mark.e2e
def test_robustness_benchmark_runs_every_condition_it_is_asked_for(gtzan_dir: Path, tmp_path: Path) -> None:
    card = tmp_path / "model-card.md"
    card.write_text("# A model\n")
    subprocess.run(
        [sys.executable, "benchmarks/robustness.py", "--smoke", "--jobs", "1", "--card", str(card)],
        cwd=REPO_ROOT, check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    result = json.loads((REPO_ROOT / "benchmarks" / "results" / "robustness-default-smoke.json").read_text())
    for kind in ("clips", "3-min songs"):
        figures = result["figures"][kind]
        assert set(figures) == {"clean", "gain -12 dB", "spoken intro 12 s", "largest_drop"}
        assert all(0 <= figures[name]["song_accuracy"] <= 1 for name in figures if name != "largest_drop")
    assert result["figures"]["clips"]["clean"]["songs"] == 4
    text = card.read_text()
    assert text.startswith("# A model") and "## Robustness" in text and "| spoken intro 12 s" in text


@pytest.mark.e2e
def test_batch_benchmark_runs_one_batch_with_one_and_two_workers(redis_server: str, gtzan_dir: Path) -> None:
    env = {**os.environ, "GENRE_BENCH_REDIS": f"{redis_server}/6"}
    subprocess.run(
        [sys.executable, "benchmarks/batches.py", "--smoke"], cwd=REPO_ROOT, env=env, check=True, timeout=180,
        capture_output=True,
    )  # fmt: skip
    result = json.loads((REPO_ROOT / "benchmarks" / "results" / "batches-smoke.json").read_text())
    assert [run["worker_processes"] for run in result["runs"]] == [1, 2]
    assert all(run["entries"] == 4 and run["jobs_per_minute"] > 0 for run in result["runs"])


@pytest.mark.e2e
def test_tags_benchmark_counts_songs_called_outside_the_ten(gtzan_dir: Path) -> None:
    subprocess.run(
        [sys.executable, "benchmarks/tags.py", "--smoke", "--jobs", "1"],
        cwd=REPO_ROOT, check=True, timeout=300, capture_output=True,
    )  # fmt: skip
    result = json.loads((REPO_ROOT / "benchmarks" / "results" / "tags-smoke.json").read_text())
    assert [figure["songs"] for figure in result["sets"].values()] == [4, 2, 1]
    assert all(0 <= figure["outside"] <= figure["songs"] for figure in result["sets"].values())
    assert len(result["songs"]) == 7 and all(isinstance(row["tags"], list) for row in result["songs"])
