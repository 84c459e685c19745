"""The shipped models' tags on real and made-up songs, through the worker's LiteRT classifier."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from genre_core.tags import OUTSIDE_STYLES, SHOWN_PERCENTILE, TAG_GROUPS
from genre_worker.classifier import Classifier
from testkit.electronic import write_electronic_songs

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT, CNN2D = REPO_ROOT / "models" / "default", REPO_ROOT / "models" / "cnn2d"


@pytest.fixture(scope="module")
def classifier() -> Classifier:
    return Classifier(DEFAULT)


@pytest.fixture(scope="module")
def electronic_songs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_electronic_songs(tmp_path_factory.mktemp("electronic"), count=1)


def test_the_default_model_gives_tags_from_the_same_call(classifier: Classifier) -> None:
    assert classifier.has_tags and classifier.has_music_score
    outputs = classifier.manifest.outputs
    assert outputs is not None and outputs.tag_names is not None and len(outputs.tag_names) == 50
    assert outputs.tag_reference is not None and outputs.tag_reference.songs >= 400
    assert set(TAG_GROUPS) <= set(outputs.tag_names)


@pytest.mark.parametrize(
    ("clip", "expected"),
    [("jazz/jazz.00001.ogg", {"jazz"}), ("metal/metal.00001.ogg", {"metal", "heavy metal", "hard rock"})],
)
def test_real_clips_get_their_styles_tags(classifier: Classifier, gtzan_dir: Path, clip: str, expected: set) -> None:
    result = classifier.classify_file(gtzan_dir / "genres" / clip)
    assert result.tags is not None
    styles = [tag.tag for tag in result.tags.tags if tag.group == "style"]
    assert expected & set(styles[:3]), styles
    assert all(tag.percentile >= SHOWN_PERCENTILE for tag in result.tags.tags)
    assert not result.tags.outside_known_genres.outside


def test_a_house_loop_is_outside_the_ten_genres(classifier: Classifier, electronic_songs: list[Path]) -> None:
    house = next(path for path in electronic_songs if path.name.startswith("house"))
    result = classifier.classify_file(house)
    assert result.tags is not None
    outside = result.tags.outside_known_genres
    assert outside.outside and outside.tags and set(outside.tags) <= set(OUTSIDE_STYLES)
    assert "electronic" in outside.styles or "house" in outside.styles
    # The genre head is sure of itself on music it never heard (disco, 0.98-1.0): the tags, not the genre's
    # confidence, tell that it is none of the ten.
    assert result.top_genre in classifier.labels


def test_window_tags_follow_the_windows(classifier: Classifier, clip_path: Path) -> None:
    result = classifier.classify_file(clip_path)
    assert result.tag_names == classifier.manifest.outputs.tag_names  # type: ignore[union-attr]
    assert all(window.tags is not None and len(window.tags) == 50 for window in result.windows)


def test_the_small_cnn_says_it_has_no_tags(clip_path: Path) -> None:
    result = Classifier(CNN2D).classify_file(clip_path)
    assert result.tags is None and result.tag_names is None


def test_classify_prints_tags_and_leaves_window_tags_out_of_json(clip_path: Path, electronic_songs: list[Path]) -> None:
    house = next(path for path in electronic_songs if path.name.startswith("house"))
    command = [sys.executable, "-m", "genre_worker.cli", "--model", str(DEFAULT)]
    text = subprocess.run([*command, str(house)], capture_output=True, text=True, check=True).stdout
    assert "sounds like:" in text and "top " in text and "outside the ten genres" in text
    line = subprocess.run([*command, "--json", str(clip_path)], capture_output=True, text=True, check=True).stdout
    song = json.loads(line)
    assert song["tags"]["tags"] is not None and "tags" not in song["windows"][0] and "tag_names" not in song
    full = subprocess.run(
        [*command, "--json", "--window-tags", str(clip_path)], capture_output=True, text=True, check=True
    ).stdout
    assert len(json.loads(full)["windows"][0]["tags"]) == 50
    small = subprocess.run(
        [sys.executable, "-m", "genre_worker.cli", "--model", str(CNN2D), str(clip_path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "tags: none (this model has no tag output)" in small
