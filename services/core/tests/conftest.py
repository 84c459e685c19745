"""Fixtures of the core tests: the corpus of awkward audio files, built once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

from testkit.awkward_audio import build_corpus, tools_missing


@pytest.fixture(scope="session")
def awkward_corpus(clip_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every file of :func:`testkit.awkward_audio.build_corpus`, made from the real rock clip, by name."""
    missing = tools_missing()
    if missing:
        pytest.fail(f"{', '.join(missing)} not installed: run scripts/install.sh --for-tests")
    return build_corpus(clip_path, tmp_path_factory.mktemp("awkward-audio"))
