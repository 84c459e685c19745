"""The page in a real browser (Debian's Chromium via playwright-core) against the real running stack."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from testkit.stack import Stack

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "frontend" / "e2e" / "classify-in-browser.mjs"
SHOTS_DIR = REPO_ROOT / "test-artifacts" / "screenshots"


def test_link_upload_and_refusal_in_chromium(stack: Stack, audio_server: str, audio_files: Path) -> None:
    if not (REPO_ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is not built: run scripts/install.sh")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: run scripts/install.sh --for-tests")
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "BASE_URL": stack.base_url,
        "AUDIO_URL": f"{audio_server}/rock.ogg",
        "UPLOAD_FILE": str(audio_files / "rock.ogg"),
        "SHOTS_DIR": str(SHOTS_DIR),
        "CHROMIUM": chromium,
    }
    completed = subprocess.run(
        ["node", str(SCRIPT)], cwd=REPO_ROOT / "frontend", env=env, capture_output=True, text=True, timeout=240
    )
    assert completed.returncode == 0, f"{completed.stdout}\n{completed.stderr}\n{stack.logs()}"
    assert "browser checks passed" in completed.stdout
    assert {"result-link.png", "result-upload.png", "error-not-allowed.png"} <= {p.name for p in SHOTS_DIR.iterdir()}
