"""Which downloader the worker runs: yt-dlp's version, its YouTube challenge solver, and the JavaScript runtime.

YouTube changes often and a yt-dlp a few weeks old may stop working with it, so the worker says at start
what it runs (its log's first lines), to compare with yt-dlp's current release; the README's "Keeping
yt-dlp current" says how to upgrade it without a new release of this service.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from pydantic import BaseModel
from yt_dlp.version import __version__ as yt_dlp_version


class JavaScriptRuntime(BaseModel):
    name: str
    path: str
    version: str | None = None


class DownloaderInfo(BaseModel):
    yt_dlp: str
    yt_dlp_ejs: str | None = None
    javascript_runtime: JavaScriptRuntime | None = None

    def describe(self) -> str:
        solver = f" with yt-dlp-ejs {self.yt_dlp_ejs}" if self.yt_dlp_ejs else " without yt-dlp-ejs"
        runtime = self.javascript_runtime
        if runtime is None:
            return f"yt-dlp {self.yt_dlp}{solver}; no JavaScript runtime: YouTube downloads will fail or miss formats"
        found = f"{runtime.name} {runtime.version or '(version unknown)'} ({runtime.path})"
        return f"yt-dlp {self.yt_dlp}{solver}; JavaScript runtime {found}"


def find_deno() -> str | None:
    """The `deno` package's runtime beside our interpreter (not on PATH when the worker is started without
    activating the venv), else one on PATH."""
    beside_python = Path(sys.executable).parent / "deno"
    return str(beside_python) if beside_python.exists() else shutil.which("deno")


def downloader_info() -> DownloaderInfo:
    deno = find_deno()
    runtime = JavaScriptRuntime(name="deno", path=deno, version=_deno_version(deno)) if deno else None
    return DownloaderInfo(yt_dlp=yt_dlp_version, yt_dlp_ejs=_installed("yt-dlp-ejs"), javascript_runtime=runtime)


def _installed(package: str) -> str | None:
    try:
        return version(package)
    except PackageNotFoundError:
        return None


def _deno_version(path: str) -> str | None:
    try:
        answer = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    words = answer.split()  # "deno 2.9.8 (stable, release, x86_64-unknown-linux-gnu)\nv8 ..."
    return words[1] if len(words) > 1 and words[0] == "deno" else None
