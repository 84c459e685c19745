"""Song tags: placed among the reference songs, never shown as raw sigmoids, and 'outside the ten' when due."""

from __future__ import annotations

import numpy as np

from genre_core.params import FeatureParams
from genre_core.results import build_result
from genre_core.tags import (
    OUTSIDE_PERCENTILE,
    OUTSIDE_UNSURE_BELOW,
    SHOWN_PERCENTILE,
    TagReference,
    percentile,
    reference_from_scores,
    song_tags,
)

NAMES = ["rock", "electronic", "House", "60s", "female vocalist", "jazz"]


def _reference() -> TagReference:
    rng = np.random.default_rng(0)
    # "rock" fires on most songs, "House" and "electronic" on few: raw scores mean different things per tag.
    scores = np.column_stack(
        [
            rng.uniform(0.3, 0.9, 400),
            rng.uniform(0.0, 0.1, 400),
            rng.uniform(0.0, 0.05, 400),
            rng.uniform(0.0, 0.3, 400),
            rng.uniform(0.0, 0.2, 400),
            rng.uniform(0.0, 0.4, 400),
        ]
    )
    return reference_from_scores(scores, NAMES, "test songs")


def test_percentiles_interpolate_between_the_kept_levels() -> None:
    reference = reference_from_scores(np.linspace(0, 1, 101)[:, np.newaxis], ["rock"], "a ramp")
    assert reference.songs == 101 and reference.levels[0] == 0 and reference.levels[-1] == 100
    assert abs(percentile(0.5, reference.levels, reference.quantiles["rock"]) - 50) < 0.5
    assert abs(percentile(0.975, reference.levels, reference.quantiles["rock"]) - 97.5) < 0.5
    assert percentile(2.0, reference.levels, reference.quantiles["rock"]) == 100


def test_a_song_is_tagged_by_rank_not_by_raw_score() -> None:
    # Raw: rock 0.6 (ordinary), electronic 0.2 (above every reference song), House 0.0499 (higher than nearly all).
    windows = np.tile([0.6, 0.2, 0.0499, 0.01, 0.5, 0.01], (5, 1))
    tags = song_tags(windows, np.ones(5, bool), NAMES, _reference(), top_probability=0.9)
    shown = [tag.tag for tag in tags.tags]
    assert shown[0] == "electronic" and "House" in shown and "rock" not in shown
    assert all(tag.percentile >= SHOWN_PERCENTILE for tag in tags.tags)
    assert "female vocalist" not in shown  # a duplicate of "female vocalists" in the MSD tags
    assert {tag.group for tag in tags.tags} == {"style"}
    assert next(tag for tag in tags.tags if tag.tag == "House").label == "house"
    # Two outside styles above nearly every reference song: outside the ten, however sure the genre answer.
    assert tags.outside_known_genres.outside and tags.outside_known_genres.styles == ["electronic", "house"]
    # One, with a sure genre answer: named, but the song is not called outside the ten.
    one = song_tags(np.tile([0.6, 0.2, 0.01, 0.01, 0.5, 0.01], (5, 1)), np.ones(5, bool), NAMES, _reference(), 0.9)
    assert not one.outside_known_genres.outside and one.outside_known_genres.styles == ["electronic"]


def test_one_outside_style_needs_an_unsure_answer() -> None:
    electronic = np.tile([0.4, 0.3, 0.01, 0.0, 0.0, 0.0], (4, 1))  # electronic above every reference song
    unsure = song_tags(electronic, np.ones(4, bool), NAMES, _reference(), top_probability=OUTSIDE_UNSURE_BELOW - 0.1)
    assert unsure.outside_known_genres.outside and unsure.outside_known_genres.tags == ["electronic"]
    assert "none of the ten genres" in unsure.outside_known_genres.message
    sure = song_tags(electronic, np.ones(4, bool), NAMES, _reference(), top_probability=OUTSIDE_UNSURE_BELOW + 0.1)
    assert not sure.outside_known_genres.outside

    jazz = np.tile([0.4, 0.02, 0.01, 0.1, 0.0, 0.39], (4, 1))
    ordinary = song_tags(jazz, np.ones(4, bool), NAMES, _reference(), top_probability=0.3)
    assert not ordinary.outside_known_genres.outside and ordinary.outside_known_genres.styles == []
    assert all(tag.percentile < OUTSIDE_PERCENTILE for tag in ordinary.tags if tag.tag in {"electronic", "House"})


def test_only_music_windows_make_the_songs_tags() -> None:
    params = FeatureParams(sample_rate=16000)
    # Window 0 (applause) scores "House" high; it does not vote, so the song is not house.
    tag_scores = np.array(
        [[0.5, 0.0, 0.9, 0.0, 0.0, 0.0], [0.5, 0.0, 0.0, 0.0, 0.0, 0.3], [0.5, 0.0, 0.0, 0.0, 0.0, 0.3]]
    )
    result = build_result(
        np.array([[0.5, 0.5], [0.9, 0.1], [0.9, 0.1]]),
        ["jazz", "rock"],
        params,
        duration_seconds=9.0,
        model_version="v",
        kinds=["not_music", "music", "music"],
        tag_scores=tag_scores,
        tag_names=NAMES,
        tag_reference=_reference(),
    )
    assert result.tags is not None and result.tag_names == NAMES
    assert "House" not in [tag.tag for tag in result.tags.tags]
    assert result.windows[0].tags == [0.5, 0.0, 0.9, 0.0, 0.0, 0.0]


def test_a_model_without_tags_says_none_are_available() -> None:
    result = build_result(np.array([[0.9, 0.1]]), ["jazz", "rock"], FeatureParams(), 3.0, "v")
    assert result.tags is None and result.tag_names is None and result.windows[0].tags is None
