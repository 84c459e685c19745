"""The page in a real browser (Debian's Chromium via playwright-core) against the real running stack.

Screenshots of the main states land in test-artifacts/screenshots/; with UPDATE_DOC_SCREENSHOTS=1
the ones the README shows are copied to docs/screenshots/ as well.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from testkit.audio_server import CountingAudioServer, podcast_feed
from testkit.stack import Stack

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "frontend" / "e2e" / "classify-in-browser.mjs"
SHOTS_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
DOC_SHOTS_DIR = REPO_ROOT / "docs" / "screenshots"
SHOTS = {
    "result-link.png",
    "result-upload.png",
    "model.png",
    "error-not-allowed.png",
    "phone-result.png",
    "phone-job-not-found.png",
    "result-youtube-stand-in.png",
    "result-screened-stand-in.png",
    "batch.png",
}
# The states the README shows (the YouTube and screened ones use stand-ins, so they stay test artifacts).
DOC_SHOTS = ("result-upload.png", "model.png", "error-not-allowed.png", "phone-result.png")
DOC_SHOT_MAX_BYTES = 400_000  # the Model page (figures, tables, tags) is the longest
MEDLEY = (("rock", "00001"), ("metal", "00002"), ("classical", "00003"))


@pytest.fixture(scope="module")
def genre_medley(gtzan_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """90 s of real GTZAN audio that turns from rock to metal to classical: a timeline worth looking at."""
    clips = [gtzan_dir / "genres" / genre / f"{genre}.{number}.ogg" for genre, number in MEDLEY]
    path = tmp_path_factory.mktemp("medley") / "rock-metal-classical.ogg"
    inputs = [argument for clip in clips for argument in ("-i", str(clip))]
    subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-loglevel",
            "error",
            *inputs,
            "-filter_complex",
            f"concat=n={len(clips)}:v=0:a=1",
            str(path),
        ],
        check=True,
    )
    return path


@pytest.fixture
def feed_url(audio_server: str, tmp_path: Path) -> Iterator[str]:
    """A podcast feed on 127.0.0.1 of two songs (the real clip, as two links) and one that is not there."""
    folder = tmp_path / "feed"
    folder.mkdir()
    links = [f"{audio_server}/rock.ogg?song=1", f"{audio_server}/rock.ogg?song=2", f"{audio_server}/gone.ogg"]
    (folder / "feed.xml").write_text(podcast_feed("Browser playlist", links))
    server = CountingAudioServer(folder)
    yield f"{server.base_url}/feed.xml"
    server.stop()


def test_link_upload_model_page_and_refusal_in_chromium(
    stack: Stack, audio_server: str, genre_medley: Path, feed_url: str
) -> None:
    if not (REPO_ROOT / "frontend" / "dist" / "index.html").is_file():
        pytest.fail("frontend/dist is not built: run scripts/install.sh")
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail("Debian's chromium is not installed: run scripts/install.sh --for-tests")
    SHOTS_DIR.mkdir(parents=True, exist_ok=True)
    for old in SHOTS_DIR.glob("*.png"):
        old.unlink()
    env = {
        **os.environ,
        "BASE_URL": stack.base_url,
        "AUDIO_URL": f"{audio_server}/rock.ogg",
        "UPLOAD_FILE": str(genre_medley),
        "FEED_URL": feed_url,
        "SHOTS_DIR": str(SHOTS_DIR),
        "CHROMIUM": chromium,
    }
    # The Node.js install.sh put in .venv where the machine's own is missing or too old, else the machine's.
    node = shutil.which("node", path=f"{REPO_ROOT / '.venv' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}")
    assert node, "no Node.js: run scripts/install.sh"
    completed = subprocess.run(
        [node, str(SCRIPT)], cwd=REPO_ROOT / "frontend", env=env, capture_output=True, text=True, timeout=300
    )
    assert completed.returncode == 0, f"{completed.stdout}\n{completed.stderr}\n{stack.logs()}"
    assert "browser checks passed" in completed.stdout
    assert {p.name for p in SHOTS_DIR.iterdir()} >= SHOTS

    if os.environ.get("UPDATE_DOC_SCREENSHOTS") == "1":
        DOC_SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        for name in DOC_SHOTS:
            size = (SHOTS_DIR / name).stat().st_size
            assert size < DOC_SHOT_MAX_BYTES, f"{name} is {size} bytes; the README's screenshots stay small"
            shutil.copyfile(SHOTS_DIR / name, DOC_SHOTS_DIR / name)
