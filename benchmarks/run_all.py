"""Run every benchmark and write benchmarks/RESULTS.md from their benchmarks/results/*.json.

    .venv/bin/python benchmarks/run_all.py            # the full suite, about 5 minutes on 2 cores
    .venv/bin/python benchmarks/run_all.py --smoke    # a tiny version of each (CI), RESULTS-smoke.md

Each benchmark runs in its own process (the analysis pins itself to one core). Needs the local Redis
(database 6 is flushed), ../shared/gtzan and wrk.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import REPO_ROOT, RESULTS_DIR, header
from benchmarks.robustness import render_table

BENCHMARKS = ("analysis", "worker_start", "api_load", "end_to_end")
ALSO_ANALYSED = ("cnn2d",)
"""Shipped artifacts besides models/default whose analysis speed is measured too (`analysis-<folder>.json`)."""
# Item 6 (training) is measured by the trainer itself; RESULTS.md quotes its committed reports.
MODEL_DIR = REPO_ROOT / "models" / "default"
CNN_DIR = REPO_ROOT / "models" / "cnn2d"
LADDER_REPORT = REPO_ROOT / "reports" / "gtzan" / "report.json"
TRAIN_COMMAND = (
    ".venv/bin/genre-trainer train --data ../shared/gtzan --extra-data ../shared/extra/4q-mer --out models/cnn2d "
    "--train-on refit --epochs 40 --seed 1234 --measurement-out var/train/cnn2d-train-only"
)
MUSICNN_TRAIN_COMMAND = (
    ".venv/bin/genre-trainer train --model musicnn --data ../shared/gtzan --extra-data ../shared/extra/4q-mer "
    "--out models/default --train-on refit --seed 1234 --measurement-out var/train/default-train-only"
)
RUN_ALL_COMMAND = ".venv/bin/genre-trainer run-all --data ../shared/gtzan --report reports/gtzan --seed 1234"


def training_figures() -> dict[str, float]:
    """Item 6, read from the shipped models' manifests and model cards and from the ladder's report.json."""
    manifest = json.loads((CNN_DIR / "manifest.json").read_text())["training"]
    return {
        "epoch_seconds": manifest["training_seconds"] / max(manifest["epochs"], 1),
        "epochs": manifest["epochs"],
        "train_minutes": _card_wall_minutes(CNN_DIR),
        "musicnn_train_minutes": _card_wall_minutes(MODEL_DIR),
        "run_all_minutes": json.loads(LADDER_REPORT.read_text())["wall_seconds"] / 60,
    }


def _card_wall_minutes(artifact: Path) -> float:
    card = (artifact / "model-card.md").read_text()
    wall = re.search(r"Wall time of the whole command \(.*?\): ([\d.]+) min", card)
    return float(wall.group(1)) if wall else float("nan")


def load(name: str, smoke: bool) -> dict:
    return json.loads((RESULTS_DIR / f"{name}{'-smoke' if smoke else ''}.json").read_text())


MUSICNN_MULTIPLY_ADDS = 1.41e9
"""Per window, counted from its layers' shapes (experiments/musicnn_speed/README.md)."""


def _spread(entry: dict[str, object]) -> str:
    """' (median of 3 runs: 9000-11000 req/s, p99 33-76 ms)' for a figure measured several times, else ''."""
    runs = entry.get("runs", 1)
    if not isinstance(runs, int) or runs < 2:
        return ""
    rates, p99s = entry["requests_per_second_all"], entry["p99_ms_all"]
    return f" (median of {runs} runs: {min(rates):.0f}-{max(rates):.0f} req/s, p99 {min(p99s):.0f}-{max(p99s):.0f} ms)"


def check(passed: bool) -> str:
    return "yes" if passed else "**no**"


def render(smoke: bool, command: str) -> str:
    analysis, start, api, e2e = (load(name, smoke) for name in BENCHMARKS)
    analysed = [analysis, *(load(f"analysis-{folder}", smoke) for folder in ALSO_ANALYSED)]
    training = training_figures()
    machine = analysis["machine"]
    stages = analysis["stages_ms_median"]
    musicnn_window_ms = stages["inference"] / max(analysis["windows"], 1)
    musicnn_gmacs = MUSICNN_MULTIPLY_ADDS / 1e6 / musicnn_window_ms
    accuracies = " against ".join(f"{figures['model']['song_accuracy_valid']:.3f}" for figures in analysed)
    lines = [
        "# Benchmark results" + (" (smoke run: tiny sizes, not figures to quote)" if smoke else ""),
        "",
        f"Command: `{command}` · date: {analysis['date']} · machine: {machine['cpu']}, {machine['cores']} cores, "
        f"{machine['memory_gib']} GiB, {machine['os']}, Python {machine['python']}. The machine is shared and "
        "noisy: figures are medians over several runs, ratios come from one run. Raw figures: "
        "`benchmarks/results/*.json`.",
        "",
        "| # | figure | measured | target | met |",
        "|---|---|---|---|---|",
    ]
    for figures in analysed:
        model = figures["model"]
        lines.append(
            f"| 1 | analysis of a {figures['song_seconds']:.0f}-s song with `{Path(model['folder']).name}` "
            f"({model['name']}, valid song accuracy {model['song_accuracy_valid']:.3f}), worker path, one core "
            f"(median of {figures['repeats']}) | {figures['worker_path_seconds_median'] * 1000:.0f} ms = "
            f"{figures['worker_path_times_real_time']:.0f}x real time | < 180 ms (1000x) | "
            f"{check(figures['worker_path_times_real_time'] >= 1000)} |"
        )
        if "naive_path_seconds_median" in figures:
            lines.append(
                f"| 1 | same model, naive path (librosa + Keras `predict` per window), same run | "
                f"{figures['naive_path_seconds_median']:.2f} s = {figures['naive_path_times_real_time']:.0f}x "
                f"real time; worker path **{figures['speedup_worker_over_naive']:.1f}x faster** | | |"
            )
    tag_cost_path = RESULTS_DIR / "analysis-tag-cost.json"
    tag_source = analysis if "tag_output" in analysis else None
    if tag_source is None and not smoke and tag_cost_path.exists():
        tag_source = json.loads(tag_cost_path.read_text())
    if tag_source is not None:
        tag_output = tag_source["tag_output"]
        lines.append(
            f"| 8 | the default model's tags output: inference with and without it (same network, exported both "
            f"ways), plus ranking the tags, same run (`analysis.py --tag-cost-only`, {tag_source['date'][:10]}) | "
            f"{tag_output['inference_with_tags_ms']:.0f} against "
            f"{tag_output['inference_without_tags_ms']:.0f} ms, ranking {tag_output['ranking_ms']:.2f} ms: "
            f"{tag_output['added_share_of_analysis']:+.1%} of the analysis"
            f"{' (below zero: less than the timing noise)' if tag_output['added_share_of_analysis'] < 0 else ''} | "
            f"≤ 2 % | "
            f"{check(tag_output['added_share_of_analysis'] <= 0.02)} |"
        )
    s = start["median"]
    lines += [
        f"| 2 | worker start → first task taken (median of {start['starts']}) | {s['first_task_seconds']:.2f} s "
        f"(Celery 'ready' at {s['ready_seconds']:.2f} s) | ≤ 2 s | {check(s['first_task_seconds'] <= 2)} |",
        f"| 2 | resident memory of the pool process while classifying (peak) | {s['pool_process_peak_rss_mb']:.0f} MB "
        f"(main process {s['main_process_rss_mb']:.0f} MB) | ≤ 300 MB | "
        f"{check(s['pool_process_peak_rss_mb'] <= 300)} |",
    ]
    for post, get in zip(api["post_classify"], api["get_job"], strict=True):
        clients = post["clients"]
        lines.append(
            f"| 3 | `POST /classify`, {clients} clients | {post['requests_per_second']:.0f} req/s, p50 "
            f"{post['p50_ms']:.0f} ms, p99 {post['p99_ms']:.0f} ms, {post['non_2xx']} non-2xx{_spread(post)} | "
            f"≥ 500/s | {check(post['requests_per_second'] >= 500)} |"
        )
        target = clients >= 200
        lines.append(
            f"| 3 | `GET /jobs/{{id}}`, {clients} clients | {get['requests_per_second']:.0f} req/s, p50 "
            f"{get['p50_ms']:.0f} ms, p99 {get['p99_ms']:.0f} ms, {get['non_2xx']} non-2xx{_spread(get)} | "
            f"{'p99 ≤ 50 ms' if target else ''} | {check(get['p99_ms'] <= 50) if target else ''} |"
        )
    for ab in api.get("get_job_ab", []):
        clients = ab["clients"]
        lines.append(
            f"| 3 | `GET /jobs/{{id}}`, {clients} clients, measured with ApacheBench (`ab -k`) right after wrk | "
            f"{ab['requests_per_second']:.0f} req/s, p50 {ab['p50_ms']:.0f} ms, p99 {ab['p99_ms']:.0f} ms, max "
            f"{ab['max_ms']:.0f} ms, {ab['failed'] + ab['non_2xx']} failed{_spread(ab)} | "
            f"{'p99 ≤ 50 ms' if clients >= 200 else ''} | {check(ab['p99_ms'] <= 50) if clients >= 200 else ''} |"
        )
    for reference in api.get("reference_redis_get", []):
        lines.append(
            f"| 3 | ceiling: bare FastAPI route, one async Redis GET (`benchmarks/reference_app.py`), "
            f"{reference['clients']} clients | {reference['requests_per_second']:.0f} req/s, p50 "
            f"{reference['p50_ms']:.0f} ms, p99 {reference['p99_ms']:.0f} ms{_spread(reference)} | | |"
        )
    latency = e2e["latency"]
    one, two = e2e["scale_out"]
    lines += [
        f"| 4 | 30-s clip on 127.0.0.1, submission → `done` (p50 of {latency['jobs']}) | "
        f"{latency['submission_to_done_seconds_p50'] * 1000:.0f} ms | | |",
        f"| 4 | repeated link answered from the result cache (p50) | {latency['cached_repeat_ms_p50']:.1f} ms | "
        f"≤ 50 ms | {check(latency['cached_repeat_ms_p50'] <= 50)} |",
        f"| 5 | queue of {one['jobs']} clips, 1 worker process | {one['jobs_per_minute']:.0f} jobs/min | | |",
        f"| 5 | same, 2 worker processes (prefork) | {two['jobs_per_minute']:.0f} jobs/min = "
        f"{e2e['scale_out_ratio_2_over_1']:.2f}x | more than 1 | {check(e2e['scale_out_ratio_2_over_1'] > 1)} |",
        f"| 6 | 2D CNN training, time per epoch (shipped model's refit on train + valid) | "
        f"{training['epoch_seconds']:.1f} s; whole `train --train-on refit` command (two fits of "
        f"{training['epochs']} epochs) {training['train_minutes']:.1f} min (`models/cnn2d/model-card.md`) | | |",
        f"| 6 | musicnn genre head (the default model): whole `train --model musicnn --train-on refit` command, "
        f"no epochs (embeddings + logistic head) | {training['musicnn_train_minutes']:.1f} min "
        "(`models/default/model-card.md`) | | |",
        f"| 6 | `run-all` model ladder | {training['run_all_minutes']:.1f} min (`reports/gtzan/report.md`) | | |",
        "",
        "## 1. Where the analysis time goes",
        "",
        "Stage medians for the worker path (each stage timed alone, same run), per model:",
        "",
        "| stage | "
        + " | ".join(f"`{Path(figures['model']['folder']).name}` ms, share" for figures in analysed)
        + " |",
        "|---" * (len(analysed) + 1) + "|",
        *(
            f"| {stage} | "
            + " | ".join(
                f"{figures['stages_ms_median'][stage]:.1f}, {figures['stages_share'][stage]:.0%}"
                if stage in figures["stages_ms_median"]
                else "-"  # a run from before the stages were named so
                for figures in analysed
            )
            + " |"
            for stage in dict.fromkeys(name for figures in analysed for name in figures["stages_ms_median"])
        ),
        "",
        "Top functions by own time, default model (cProfile, 3 runs, per run):",
        "",
        "| function | calls | own ms | cumulative ms |",
        "|---|---|---|---|",
        *(
            f"| `{row['function']}` | {row['calls_per_run']} | {row['own_ms_per_run']} | "
            f"{row['cumulative_ms_per_run']} |"
            for row in analysis["profile_top_own_time"][:8]
        ),
        "",
        "The default model (musicnn with a genre layer, since 2026-11-24) spends nearly all of its time in "
        f"inference: {musicnn_window_ms:.0f} ms per 3-s window on one core in this run (17-60 ms on the hosts of "
        "2026-11-24; 1.41 G multiply-adds, 1.14 G of them in its two timbral convolutions, run by XNNPACK at "
        f"{musicnn_gmacs:.0f} G multiply-adds/s here), about 15-25x the small CNN, for more validation song "
        f"accuracy ({accuracies}, "
        "as measured when each was timed). A 3-min song is 60 windows, 85 G multiply-adds: even at one core's "
        "peak (16-32 float32 multiply-adds per cycle at ~3 GHz: 50-100 G/s, never reached by real "
        "convolutions) it would take 0.85-1.7 s, so 1000x (0.18 s) is out of reach for this network on one core "
        "whatever the runtime. Timed layer by layer (`experiments/musicnn_speed`), XNNPACK ran the network "
        "nearly as fast as its convolutions alone, and ran the two timbral convolutions (7 frames x 38 or 67 "
        "bands, one input channel) about 1.45x faster when given the 7 time-shifted copies of the input as "
        "channels and (1 x bands) kernels: the same sums, which `genre_trainer.models.musicnn` now builds (test: equal "
        "to the checkpoint's convolution within 1e-5; the shipped model's validation figures are unchanged). "
        "Inference of a 3-min song fell from 1310 to 1037 ms on the same host the same day (the whole path "
        "from 1.37 to 1.10 s). "
        "Tried on the slower host: batches of 4-60 "
        "windows (slower: 4.1-4.6 s against 3.7 s for 60 windows), full-integer LiteRT quantization (6x "
        "slower and 36 % error on the embedding), dynamic-range int8 (slower); two LiteRT threads took a 3-min "
        "song from 3.4 to 1.9 s (`GENRE_INFERENCE_THREADS`, which "
        "`scripts/quickstart.sh` sets to cores / worker processes). The 1000x target holds for the small CNN "
        "(`models/cnn2d`, `GENRE_MODEL_DIR=models/cnn2d`), not for the default.",
        "",
        "What changed in the worker's path to get there with the small CNN (same run's figures before the "
        "change, 3-min song, one core: log-mel "
        "130-140 ms, inference 87-92 ms, 0.24-0.28 s in all, about 700x real time):",
        "",
        "- **Log-mel** (`genre_core.features.log_mel`): the STFT → power → mel runs in blocks of 256 frames "
        "(the intermediates stay in cache instead of three whole-song arrays of 30-60 MB), with scipy's "
        "float32 FFT (numpy's took 78 ms of the 140 ms for this song, scipy's 30 ms). 140 → 55-65 ms. "
        "Tests: equal to the former whole-song computation and to librosa within 0.05 dB everywhere and "
        "1e-3 dB above -60 dB (`services/core/tests/test_features.py`).",
        "- **Mel filterbank without librosa**: the same Slaney arithmetic in numpy (equal to "
        "`librosa.filters.mel` within 1e-6, tested), so the worker never imports librosa: the first job no "
        "longer pays 1.7 s for that import, and each worker process is about 60 MB smaller.",
        "- **Inference one window per call** (tensors allocated once at start): 64-window "
        "batches were slower (88-92 ms against 76 ms: one window's activations stay in cache), and a song "
        "whose window count differed from the previous one reallocated the interpreter (+10-20 ms). "
        "Test: the worker's probabilities equal the reference path (librosa float64 log-mel, one window per "
        "call) within 1e-4 (`services/worker/tests/test_classifier.py`).",
        "- What is left is the model itself (about 60 M multiply-adds per window, already run by XNNPACK) and "
        "the FFT; going further would need a smaller or quantized model, which changes the results.",
        "",
        "## 3. Where the API's time went",
        "",
        f"{api.get('api_workers', 1)} uvicorn processes with httptools and uvloop, wrk with one thread, Redis and "
        "the API on the same 2 cores. Every figure in this section was measured on 2026-11-24 on 2-core AMD EPYC "
        "hosts of different speeds, each named below by the hours (UTC) of its runs. Profiled with py-spy "
        "(`py-spy record -r 200 -f raw -p <api pid>` during a wrk run). Before the changes below, one uvicorn "
        "process with sync routes gave 440-720 submissions/s and 1200-1380 polls/s (p99 96-490 ms) on the host the "
        "profile was taken on; the profile of a poll showed half of the process's "
        "samples waiting in the thread pool (every plain `def` route is handed to a worker thread and back), "
        "redis-py socket I/O about 17%, uvicorn's access log about 6%; of a submission, Celery's `send_task` about "
        "13%, of which a pub/sub SUBSCRIBE to the task's result channel (nothing reads Celery results here).",
        "",
        "- `GET /jobs/{id}` is an `async` route reading with redis.asyncio (one MGET), so a poll no longer crosses "
        "to the thread pool; the view is serialised once (FastAPI validated it a second time). A stale job is "
        "still failed by the synchronous code, in the pool (rare).",
        "- The API's Celery client has no result backend: `send_task` no longer subscribes to a result channel.",
        "- A job's record and its tombstone are written in one pipelined round trip.",
        "- Two uvicorn processes (`GENRE_API_WORKERS`, default 2 in `scripts/quickstart.sh` and the image), "
        "httptools + uvloop.",
        "- The dependency that hands routes their services is `async`: as a plain `def`, FastAPI ran it in the "
        "thread pool on every poll. A/B on 2026-11-24 (200 clients, 10 s, alternating): 2959 and 3216 polls/s "
        "(p50 56 and 50 ms) with it, 2707 and 2638 (p50 65 and 66 ms) without; p99 did not improve (431-466 "
        "against 268-290 ms, the reference route's own p99 122-177 ms in the same runs).",
        "- `GET /jobs/{id}` is a `LeanRoute` (`genre_api/core/lean_route.py`): FastAPI still declares and documents "
        "it, but calls it with the request and its path parameter, skipping the per-request dependency solving "
        "and parameter validation that it does not need (the route refuses at start-up an endpoint that would "
        "need them). Measured in the app alone (ASGI calls, 100 concurrent, Redis on loopback, 22:00-22:40 host): "
        "about 190 µs of CPU per poll before, 120 µs after, against 70 µs for the bare reference route. Polls are "
        "matched first, and redis-py parses replies with hiredis (about 10 µs less per poll). Four alternated "
        "8-s suite runs at 200 clients on the same host (both with hiredis): ab 4872 and 5358 polls/s "
        "(p99 68 and 51 ms) before, 5966 and 6481 (p99 47 and 41 ms) after; wrk 5125 and 6259 before, 6427 and "
        "9051 after.",
        "- Each API process freezes what start-up built and runs the cyclic garbage collector less often "
        "(`genre_api/core/gc_tuning.py`: thresholds 10000/20/20 instead of 700/10/10). Under load CPython ran a "
        "young-generation collection every few requests and, regularly, a full one that walked every object "
        "imported at start-up. Same 22:00-22:40 host, one 8-s suite run each at 200 clients: polls 8664-8870/s "
        "with the defaults, 10763 frozen, 12124 with the thresholds, 13161 with both; submissions 1360-1448 → "
        "1683-1826/s; one process under wrk alone: 4928 → 7433 polls/s, resident memory 92 → 93 MB after 150,000 "
        "polls. The reference route gets the same settings, so it stays the ceiling.",
        "- `api_load.py` runs every figure three times, interleaved, and reports medians with each run's rate and "
        "p99: one 10-s p99 at 200 clients varied from 33 to 76 ms between three otherwise identical runs.",
        "",
        "Why the 50 ms p99 at 200 clients was missed until the LeanRoute and the collector settings above (and is "
        "still close): wrk keeps "
        "200 requests in flight at every instant "
        "(a closed loop without think time), so p50 is about 200 / throughput, and p99 ≤ 50 ms needs both "
        "throughput and a tight tail. The bare reference route above, which does nothing but one Redis GET, is "
        "the ceiling of FastAPI + Redis on these 2 shared cores, and it misses the target itself under wrk on "
        "every host measured (p99 43 ms at 10800 polls/s on the fastest, the 14:00 host, 53-88 ms at 8000-10500 "
        "polls/s on the 20:20-21:00 host, 50-99 ms at 6900-10300 polls/s on the 22:00-22:40 host, p99 over 150 ms "
        "on the slow one, the 18:30-19:00 host); since the LeanRoute the service's polls "
        "come close to it (their remaining cost: an MGET of two keys, the record's parsing and the view's JSON, "
        "~5 µs of it pydantic). uvicorn's access log no longer "
        "writes successful polls (`genre_api/core/access_log.py`; `GENRE_LOG_POLLS=true` restores them): in "
        "eight alternated 8-s runs at 200 clients (three with the poll lines, five without) on the 20:20-21:00 "
        "host, ab measured 4969-5272 "
        "polls/s without those lines against 4376-4711 with them, p99 47-63 against 61-69 ms (turning the whole "
        "access log off measured the same as leaving polls out). "
        "The tail also comes from the two processes sharing one accept queue: one may hold more of the 200 "
        "connections than the other. 200 real users polling once a second make 200 polls/s, a few percent of "
        "what is measured here.",
        "",
        "Where the p99 comes from (2026-11-24, one API process, 200 clients, 10 s runs): the polls measured right "
        "after the `POST /classify` run have a split distribution, p50 40-50 ms but p99 1.2-3.3 s, and keep it for "
        "20-35 s; 15 s after the submissions stopped, polls gave p50 94 ms and p99 270 ms, and polls measured "
        "before any submission p99 208 ms in one run but 936 ms in another (split the same way): the state "
        "follows load, not only submissions. "
        "A timing wrapper put the whole of the slow requests' time inside the awaited Redis read "
        "(`JobReader.get`, up to 1.3 s), while Redis's slow log stayed empty, a 1-ms sleep probe beside it never "
        "overslept more than 6 ms, steal time was 0, the process took no major page faults, and no submission "
        "was still being processed (py-spy: the event loop thread busy, the pool threads idle). A larger "
        "asyncio pool (256 connections, or a non-blocking pool) did not remove it.",
        "",
        "Traced further on the slow 18:30-19:00 host (one API process under uvloop, 200 clients, GET 10 s, POST 10 s, "
        "then three GET runs; timing wrappers in the process, `ss` sampled every 30-60 ms): with the pool's 64 "
        "connections, the slow part of a slow poll was the wait for a pooled connection (up to 2 s, "
        "`BlockingConnectionPool.get_connection`; the Redis reads themselves never took 200 ms). With 512 "
        "connections those waits went away but wrk's p99 after the submissions stayed at 2.3-3.7 s, with a few "
        "requests over wrk's 5-s timeout, while no request spent more than 0.9 s inside the ASGI app, no "
        "request waited more than 0.76 s unread in the server's socket and no response more than 0.05 s unsent; "
        "two wrk threads gave the same split (p50 fell to 86-94 ms, p99 rose). So the missing seconds are "
        "between uvicorn reading a request and the app starting it, or in how wrk times it. ApacheBench (`ab -k`, "
        "200 keep-alive connections, C, one job's URL) against the same server at the same throughput, right "
        "after the same burst, measured p99 193-344 ms and a **maximum** of 205-372 ms, where wrk, run "
        "between the ab runs, measured p99 3.0-3.8 s: the multi-second tail is what wrk sees, not what every "
        "client sees. The suite now reports both (`get_job_ab`). Also "
        "measured: full (generation 2) garbage collections of 60-90 ms every 0.7 s under this load; `gc.freeze()` "
        "after start-up shrank them to 7-17 ms without changing the p99 (not kept then; on the 22:00-22:40 host "
        "it was kept together with higher collection "
        "thresholds, which is what raised throughput: see the list above). The pool was raised from 64 to "
        "256 connections per process (kept): with 64, one suite run had 27 of 19,981 polls at 200 clients fail "
        "with 503 after waiting the pool's full 2 s; with 256, none (api_load re-run after that change; the "
        "other figures are from the full run). At 200 clients p99 ≤ 50 ms needs about 4,000 polls/s with a "
        "tight tail (Little's law: p50 ≈ 200 / throughput); the slow host's bare reference route made 2,500-2,800, "
        "the 20:20-21:00 host's 8,000-10,500, where ab's p99 for the service's polls came to 47-63 ms; on the "
        "22:00-22:40 host, after the LeanRoute, 41-50 ms.",
        "",
        "## 5. Scale-out: N workers on N machines",
        "",
        "Celery is the distributed engine: every worker, on any machine, takes jobs from the same Redis list. "
        "On each machine: the checkout (or the worker image), the model in `GENRE_MODEL_DIR`, and "
        "`GENRE_REDIS_URL=redis://<redis-host>:6379/0 .venv/bin/celery --app genre_worker.tasks worker "
        "--concurrency <cores> --hostname worker-<n>@%h`. Uploads must be on storage every worker sees "
        "(`GENRE_UPLOAD_DIR` on a shared volume); links need nothing shared. Jobs are acknowledged late, so "
        "a machine that dies loses no job (its jobs are redelivered after the visibility timeout, twice the job "
        "time limit). What limits it: one process per core (analysis is CPU-bound; a 3-min song takes "
        "1.4-4 s of CPU with the default model, 0.08-0.24 s with the small CNN, depending on the host; the rest of "
        "a job is the "
        "download), the download bandwidth and the sites' "
        "rate limits for YouTube, and the single Redis (every job costs a few dozen small commands, far below "
        "what one Redis serves; run Redis with persistence, and Sentinel or a managed Redis to survive its "
        "loss). On this 2-core machine the second process shares the cores with the API, Redis, the HTTP "
        "server and yt-dlp/ffmpeg, so 2 processes give less than 2x.",
        "",
        f"Training figures (item 6) are the trainer's own records, not re-measured here: `{TRAIN_COMMAND}`, "
        f"`{MUSICNN_TRAIN_COMMAND}` and `{RUN_ALL_COMMAND}`.",
        "",
        *robustness_section(smoke),
        *batches_section(smoke),
        *tags_section(smoke),
    ]
    return "\n".join(lines)


def batches_section(smoke: bool) -> list[str]:
    """§7 from benchmarks/results/batches.json, which `benchmarks/batches.py` writes (its own command: it starts
    the stack twice and classifies a 20-song playlist with each)."""
    path = RESULTS_DIR / f"batches{'-smoke' if smoke else ''}.json"
    if not path.exists():
        return []
    result = json.loads(path.read_text())
    machine = result["machine"]
    one, two = result["runs"]
    return [
        "## 7. Playlists: one batch, 1 and 2 worker processes",
        "",
        f"`{result['command']}` (its own command, not part of this run) · {result['date']} · {machine['cpu']}, "
        f"{machine['cores']} cores. A podcast feed on 127.0.0.1 of {one['entries']} distinct 30-s GTZAN clips, "
        "sent as a playlist through the real API, Redis and Celery workers (separate processes, as on separate "
        "machines); from `POST /classify` to the poll that reads the batch `done`.",
        "",
        "| worker processes | entries | playlist listed after | batch done after | jobs/min |",
        "|---|---|---|---|---|",
        *(
            f"| {run['worker_processes']} | {run['entries']} | {run['listed_after_seconds']:.1f} s | "
            f"{run['seconds']:.1f} s | {run['jobs_per_minute']:.0f} |"
            for run in (one, two)
        ),
        "",
        f"2 workers over 1: {result['ratio_2_over_1']:.2f}x (target: more than 1: "
        f"{check(result['ratio_2_over_1'] > 1)}). The machine's load average (1 min) was "
        f"{result.get('load_average_1min_before', float('nan')):.1f} when the run started and "
        f"{result.get('load_average_1min_after', float('nan')):.1f} when it ended, on {machine['cores']} cores: "
        "a second worker process helps only where it has a core of its own; on a host whose other work keeps "
        "every core busy the ratio falls towards 1 (it read 1.01x at a load average of 5-6).",
        "",
    ]


def tags_section(smoke: bool) -> list[str]:
    """§8 from benchmarks/results/tags.json, which `benchmarks/tags.py` writes (its own command)."""
    path = RESULTS_DIR / f"tags{'-smoke' if smoke else ''}.json"
    if not path.exists():
        return []
    result = json.loads(path.read_text())
    model = result["model"]
    lines = [
        "## 8. Tags: songs called outside the ten genres",
        "",
        f"`{result['command']}` (its own command, not part of this run) · {result['date']} · "
        f"{result['machine']['cpu']} · `{model['folder']}` ({model['version']}, trained on "
        f"{' + '.join(model['trained_on'])}). Every song through the worker's own classifier; a song is outside "
        "the ten when two styles none of the ten covers rank above 99.5 % of the reference songs, or one above 99 % "
        "with a genre answer under 0.5 (docs/tags.md).",
        "",
        "| songs | how many | called outside the ten | with an outside style above the 99th percentile |",
        "|---|---|---|---|",
        *(
            f"| {name} | {figure['songs']} | {figure['outside']} ({figure['outside_share']:.1%}) | "
            f"{figure['with_an_outside_style_shown']} |"
            for name, figure in result["sets"].items()
        ),
        "",
        "Tags shown most often on GTZAN's validation clips, per genre (tag: clips of the genre that show it):",
        "",
        "| genre | tags |",
        "|---|---|",
        *(
            f"| {genre} | {', '.join(f'{tag} {count}/{total}' for tag, count, total in tags)} |"
            for genre, tags in result["gtzan_valid_tags_shown_most"].items()
        ),
        "",
    ]
    return lines


def robustness_section(smoke: bool) -> list[str]:
    """§6 from benchmarks/results/robustness-*.json, which `benchmarks/robustness.py` writes (it is not re-run by
    this script: it takes 15-30 minutes per model)."""
    suffix = "-smoke.json" if smoke else ".json"
    results = sorted(path for path in RESULTS_DIR.glob(f"robustness-*{suffix}") if smoke or "-smoke" not in path.name)
    if not results:
        return []
    lines = [
        "## 6. Robustness: validation songs as users bring them",
        "",
        "`benchmarks/robustness.py` (its own command, not part of this run): every GTZAN validation clip and "
        "3-minute songs of six same-genre validation clips, written under each condition of "
        "`benchmarks/conditions.py` and classified through the worker's whole path. The models are the "
        "train-only fits of the shipped recipes (`genre-trainer train ... --train-on refit --measurement-out`), "
        "which never heard these songs.",
        "",
    ]
    for path in results:
        result = json.loads(path.read_text())
        model = result["model"]
        lines += [
            f"### `{model['dir']}` ({model['name']}, {model['version']})",
            "",
            f"`{result['command']}` · {result['date']} · {result['machine']['cpu']} · {result['seconds']:.0f} s",
            "",
            *render_table(result),
            "",
        ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="a tiny version of each benchmark")
    parser.add_argument("--report-only", action="store_true", help="only rewrite RESULTS.md from results/*.json")
    args = parser.parse_args()
    runs = [(name, []) for name in BENCHMARKS]
    runs[1:1] = [("analysis", ["--model", str(REPO_ROOT / "models" / folder)]) for folder in ALSO_ANALYSED]
    for name, options in () if args.report_only else runs:
        print(f"==> {name} {' '.join(options)}", flush=True)
        script = str(REPO_ROOT / "benchmarks" / f"{name}.py")
        command = [sys.executable, script, *options, *(["--smoke"] if args.smoke else [])]
        subprocess.run(command, check=True, cwd=REPO_ROOT, stdout=subprocess.DEVNULL)
    command = str(header("run_all", [arg for arg in sys.argv[1:] if arg != "--report-only"])["command"])
    report = REPO_ROOT / "benchmarks" / ("RESULTS-smoke.md" if args.smoke else "RESULTS.md")
    report.write_text(render(args.smoke, command))
    print(report.read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
