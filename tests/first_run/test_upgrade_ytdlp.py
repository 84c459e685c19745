"""scripts/upgrade-yt-dlp.sh: another yt-dlp into a checkout's .venv, from the package index, no release needed.

Run in a checkout of its own with a virtualenv of its own (nothing but pip in it), so this checkout's yt-dlp
is never touched. The whole path through install.sh (GENRE_YTDLP_VERSION) and the worker's start-up line is
run by test_fresh_debian.py.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
OLDER = "2026.10.21"  # a release before constraints.txt's pin


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("checkout")
    shutil.copytree(REPO_ROOT / "scripts", root / "scripts")
    subprocess.run([sys.executable, "-m", "venv", str(root / ".venv")], check=True)
    return root


def run(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(checkout / "scripts" / "upgrade-yt-dlp.sh"), *args], capture_output=True, text=True, timeout=300
    )


def installed(checkout: Path) -> str:
    code = "from yt_dlp.version import __version__; print(__version__)"
    answer = subprocess.run([str(checkout / ".venv/bin/python"), "-c", code], capture_output=True, text=True)
    return answer.stdout.strip()


def pinned() -> str:
    (line,) = [line for line in (REPO_ROOT / "constraints.txt").read_text().splitlines() if line.startswith("yt-dlp==")]
    return line.removeprefix("yt-dlp==")


def test_a_named_version_is_installed_with_its_solver_and_said(checkout: Path) -> None:
    first = run(checkout, OLDER)
    assert first.returncode == 0, first.stdout + first.stderr
    assert first.stdout.strip() == f"yt-dlp none -> {OLDER}"
    assert installed(checkout) == OLDER
    ejs = subprocess.run([str(checkout / ".venv/bin/python"), "-m", "pip", "show", "yt-dlp-ejs"], capture_output=True)
    assert ejs.returncode == 0, "yt-dlp-ejs (YouTube's challenge solver) comes with it"

    again = run(checkout, OLDER)
    assert again.returncode == 0 and "already installed" in again.stdout

    newer = run(checkout, pinned())
    assert newer.returncode == 0, newer.stdout + newer.stderr
    assert newer.stdout.strip() == f"yt-dlp {OLDER} -> {pinned()}"
    assert installed(checkout) == pinned()


def test_what_is_not_a_version_is_refused_and_nothing_changes(checkout: Path) -> None:
    before = installed(checkout)
    refused = run(checkout, "2026.10.26; rm -rf /")
    assert refused.returncode == 1
    assert "Not a yt-dlp version" in refused.stderr
    assert installed(checkout) == before
