"""The classification of one song: what the worker stores and the API returns."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, Field

from genre_core.errors import NotMusic, SilentAudio
from genre_core.params import FeatureParams
from genre_core.tags import SongTags, TagReference, song_tags

SongAggregation = Literal["mean_probability", "mean_log_probability"]
"""How a song's distribution comes from its windows' distributions; the model manifest says which its figures
were measured with, and the worker serves it the same way.

- ``mean_probability``: the mean of the window distributions.
- ``mean_log_probability``: the normalised geometric mean, softmax(mean over windows of log p). For a model
  whose last layer is linear then softmax, this is that layer applied to the song's mean input (the mean of
  logits; each window's log-sum-exp is the same for every genre and cancels), i.e. a head fit on whole songs'
  mean embeddings classifies a song exactly as it was fit.
"""

SONG_DETAIL_EXCLUDE = {"tag_names": True, "windows": {"__all__": {"tags"}}}
"""`model_dump(exclude=...)` of a result without each window's tag scores (ten times the rest of a result): what
the API and `classify --json` give unless asked for `windows` detail."""

# float32 softmax outputs below this are rounded to 0 (or denormal); flooring there keeps log(p) finite.
_PROBABILITY_FLOOR = float(np.finfo(np.float32).tiny)


WindowKind = Literal["music", "silence", "not_music"]
"""What a window holds: `music` votes for the song's genre; `silence` (far below the song's loudness) and
`not_music` (the model's music detector says speech, applause or noise) are shown on the timeline but left out."""


class WindowPrediction(BaseModel):
    start_seconds: float
    end_seconds: float
    probabilities: list[float] = Field(description="One probability per label, in the order of `labels`.")
    kind: WindowKind = Field(default="music", description="Whether the window voted (`music`) or why not.")
    music_score: float | None = Field(
        default=None, description="The model's probability that the window is music; null for models without one."
    )
    tags: list[float] | None = Field(
        default=None,
        description="The window's tag scores, in the order of the result's `tag_names`; only with "
        "`?detail=windows` (null otherwise, and for models without tags).",
    )


class WindowCounts(BaseModel):
    music: int = Field(description="Windows that voted for the song's genre.")
    silence: int = Field(default=0, description="Windows left out as silence or near-silence.")
    not_music: int = Field(default=0, description="Windows left out as speech, applause or noise.")


class ClassificationResult(BaseModel):
    labels: list[str]
    song_probabilities: dict[str, float] = Field(
        description="The song's distribution over genres: its windows' probabilities combined as "
        "`song_aggregation` says."
    )
    song_aggregation: SongAggregation = "mean_probability"
    top_genre: str
    top_probability: float
    duration_seconds: float
    window_seconds: float
    windows: list[WindowPrediction]
    model_version: str
    window_counts: WindowCounts | None = Field(
        default=None, description="How many windows voted and how many were left out, and why."
    )
    loudness_lufs: float | None = Field(
        default=None,
        description="The song's integrated loudness as received (ITU-R BS.1770, LUFS); the model hears every "
        "song at the same loudness. Null for digital silence or models trained without normalisation.",
    )
    tags: SongTags | None = Field(
        default=None,
        description="What the song sounds like beyond its genre (musicnn's MSD tags, ranked against the training "
        "songs), and whether it is outside the ten genres. Null when the model has no tag output: no tags are "
        "available, which says nothing about the song.",
    )
    tag_names: list[str] | None = Field(
        default=None, description="The order of each window's `tags` scores; null for models without tags."
    )


def song_probabilities(
    window_probabilities: np.ndarray, aggregation: SongAggregation = "mean_probability"
) -> np.ndarray:
    """Song-level distribution (sums to 1) from its windows' distributions, shape (n_windows, n_labels).

    Training evaluates songs with this function too, so a model's figures are those of what the worker serves.
    """
    windows = np.asarray(window_probabilities, dtype=np.float64)
    if aggregation == "mean_probability":
        song = windows.mean(axis=0)
    else:
        mean_log = np.log(np.maximum(windows, _PROBABILITY_FLOOR)).mean(axis=0)
        song = np.exp(mean_log - mean_log.max())
    return song / song.sum()


def window_kinds(silent: np.ndarray, music_scores: np.ndarray | None, music_threshold: float) -> list[WindowKind]:
    """Each window's kind: silence first (it has no score worth trusting), then the music detector's verdict."""
    kinds: list[WindowKind] = []
    for index, is_silent in enumerate(silent):
        if is_silent:
            kinds.append("silence")
        elif music_scores is not None and not music_scores[index] >= music_threshold:
            kinds.append("not_music")
        else:
            kinds.append("music")
    return kinds


def build_result(
    window_probabilities: np.ndarray,
    labels: list[str],
    params: FeatureParams,
    duration_seconds: float,
    model_version: str,
    aggregation: SongAggregation = "mean_probability",
    kinds: list[WindowKind] | None = None,
    music_scores: np.ndarray | None = None,
    loudness_lufs: float | None = None,
    first_window_seconds: float = 0.0,
    tag_scores: np.ndarray | None = None,
    tag_names: list[str] | None = None,
    tag_reference: TagReference | None = None,
) -> ClassificationResult:
    """The song's result from its windows' probabilities; only `music` windows (all, when `kinds` is None) vote.
    With `tag_scores` (n_windows, n_tags), `tag_names` and their `tag_reference`, the song's tags too, from the
    same music windows.

    Raises:
        NotMusic: no window is music (every window is silence, speech or noise, and some are not silence).
        SilentAudio: every window is silence.
    """
    kinds = kinds if kinds is not None else ["music"] * len(window_probabilities)
    voting = np.array([kind == "music" for kind in kinds], dtype=bool)
    if not voting.any():
        if all(kind == "silence" for kind in kinds):
            raise SilentAudio("The audio is silent: there is nothing to classify.")
        raise NotMusic(
            "No music was found: every part of the audio sounds like speech, applause or noise, "
            "so there is no genre to tell."
        )
    song = song_probabilities(np.asarray(window_probabilities)[voting], aggregation)
    top = int(np.argmax(song))
    windows = [
        WindowPrediction(
            start_seconds=round(first_window_seconds + index * params.window_seconds, 4),
            end_seconds=round(first_window_seconds + (index + 1) * params.window_seconds, 4),
            probabilities=[round(float(p), 6) for p in row],
            kind=kinds[index],
            music_score=None if music_scores is None else round(float(music_scores[index]), 4),
            tags=None if tag_scores is None else [round(float(score), 4) for score in tag_scores[index]],
        )
        for index, row in enumerate(window_probabilities)
    ]
    tags = None
    has_tags = tag_scores is not None and tag_names is not None and tag_reference is not None
    if has_tags:
        tags = song_tags(np.asarray(tag_scores), voting, list(tag_names), tag_reference, float(song[top]))
    counts = WindowCounts(music=int(voting.sum()), silence=kinds.count("silence"), not_music=kinds.count("not_music"))
    return ClassificationResult(
        labels=list(labels),
        song_probabilities={label: float(p) for label, p in zip(labels, song, strict=True)},
        song_aggregation=aggregation,
        top_genre=labels[top],
        top_probability=float(song[top]),
        duration_seconds=round(duration_seconds, 3),
        window_seconds=params.window_seconds,
        windows=windows,
        model_version=model_version,
        window_counts=counts,
        loudness_lufs=None if loudness_lufs is None or not np.isfinite(loudness_lufs) else round(loudness_lufs, 1),
        tags=tags,
        tag_names=list(tag_names) if has_tags and tag_names is not None else None,
    )
