"""Classifying many files over several processes, each with its own LiteRT classifier loaded once."""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from pathlib import Path

from threadpoolctl import threadpool_limits

from genre_core.errors import PipelineError
from genre_worker.classifier import Classifier
from genre_worker.cli.rows import Classification

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# The classifier of this process: the parent's with --jobs 1, else each pool process's own. A Classifier is
# not thread-safe and costs a model load, so each process makes one, once, and keeps it.
_classifier: Classifier | None = None


def load_classifier(model_dir: Path, threads: int) -> None:
    """Make this process's classifier, LiteRT and numpy's BLAS each on `threads` threads.

    Raises: PipelineError when the model cannot be served (missing, incompatible).
    """
    # OpenBLAS starts a thread per core for numpy's matrix products (the mel filterbank) and keeps them
    # spinning: with a process per core that is cores² busy threads, and even alone one thread was faster
    # (60 clips, small CNN: 7.0 s wall and 8.4 s of CPU with the default, 4.4 s and 4.3 s with one).
    threadpool_limits(limits=threads, user_api="blas")
    global _classifier
    _classifier = Classifier(model_dir, threads=threads)


def _start_pool_process(model_dir: Path, threads: int, parent: int) -> None:
    # A process group of its own: Ctrl-C in the terminal reaches the parent alone, which stops handing out
    # files and waits for the ones in progress, and never the ffmpeg a file is being decoded by (its error
    # would be taken for the file's and remembered as `unsupported_audio`).
    os.setpgrp()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # forked with the parent's handler, which stops gracefully
    _die_with(parent)
    load_classifier(model_dir, threads)


def _die_with(parent: int) -> None:
    """End this process when `parent` ends, however it ends: a pool process waits for work on a pipe that it
    holds open itself, so it would outlive a parent killed with SIGKILL, forever."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it ended before the line above took effect
        os._exit(1)


def classify_path(path: str) -> Classification:
    """One file's classification, or why there is none; never raises for a bad file."""
    assert _classifier is not None, "load_classifier() first"
    version = _classifier.manifest.version
    try:
        return Classification.of(_classifier.classify_file(path))
    except PipelineError as error:
        return Classification.from_error(version, error)
    except OSError as error:
        return Classification.failed(version, "unreadable", f"{type(error).__name__}: {error.strerror or error}")
    except Exception as error:
        # One bad file must not end a run over a whole library: it is reported, the others go on.
        detail = (str(error).strip().splitlines() or [""])[0]
        return Classification.failed(version, "internal_error", f"{type(error).__name__}: {detail}")


def classify_paths(
    paths: Sequence[str],
    model_dir: Path,
    *,
    jobs: int,
    threads: int,
    on_result: Callable[[str, Classification], None],
) -> None:
    """Classify `paths` over `jobs` processes, calling `on_result` in this process as each finishes.

    With one job (or one file), in this process: no pool to start. Each classifying process runs LiteRT and
    BLAS on `threads` threads. On KeyboardInterrupt no new file is started, those in progress
    are finished and reported, then the interrupt goes on up.

    Raises:
        PipelineError: the model cannot be loaded.
        concurrent.futures.process.BrokenProcessPool: a pool process died (killed, out of memory).
    """
    if not paths:
        return
    if jobs == 1 or len(paths) == 1:
        load_classifier(model_dir, threads)
        for path in paths:
            on_result(path, classify_path(path))
        return
    with ProcessPoolExecutor(
        max_workers=min(jobs, len(paths)),
        # Forked: quick to start with the pipeline already imported, and the pool processes are this one's
        # children (a forkserver's would be the server's), which _die_with needs.
        mp_context=multiprocessing.get_context("fork"),
        initializer=_start_pool_process,
        initargs=(model_dir, threads, os.getpid()),
    ) as pool:
        pending: dict[Future[Classification], str] = {pool.submit(classify_path, path): path for path in paths}
        try:
            for future in as_completed(pending):  # not wait() in a loop: that rereads every pending file each time
                on_result(pending.pop(future), future.result())
        except KeyboardInterrupt:
            pool.shutdown(wait=True, cancel_futures=True)
            for future, path in pending.items():
                if future.done() and not future.cancelled() and future.exception() is None:
                    on_result(path, future.result())
            raise
