"""What the worker says at start about its downloader: the installed yt-dlp, its solver, the JavaScript runtime."""

from __future__ import annotations

import re
from importlib.metadata import version

from yt_dlp.version import __version__ as yt_dlp_version

from genre_worker.downloader_info import DownloaderInfo, downloader_info


def test_it_names_the_installed_versions_and_the_runtime_that_answers() -> None:
    info = downloader_info()
    assert info.yt_dlp == yt_dlp_version
    assert info.yt_dlp_ejs == version("yt-dlp-ejs")
    assert info.javascript_runtime is not None, "the deno package is installed with the worker"
    assert re.fullmatch(r"\d+\.\d+\.\d+", info.javascript_runtime.version or ""), info.javascript_runtime
    line = info.describe()
    assert line.startswith(f"yt-dlp {yt_dlp_version} with yt-dlp-ejs {info.yt_dlp_ejs}; JavaScript runtime deno ")


def test_a_missing_runtime_is_said_plainly() -> None:
    line = DownloaderInfo(yt_dlp="2026.10.26").describe()
    assert line == (
        "yt-dlp 2026.10.26 without yt-dlp-ejs; no JavaScript runtime: YouTube downloads will fail or miss formats"
    )
