"""What a song sounds like beyond the ten genres: musicnn's 50 Million Song Dataset tags, read honestly.

The default network's own output layer scores the 50 most frequent last.fm tags of the Million Song Dataset
(styles, eras, moods, voices and instruments). Its scores are sigmoids trained on noisy, unbalanced crowd tags:
not probabilities ("rock" scores high on almost anything, "House" rarely does). So a song's tag is shown by where
its score stands among the songs the model was trained with (:class:`TagReference`, written by the trainer): a
song "ranks in the top 5 % for electronic" when its mean score over its music windows is above that tag's
95th percentile there. Only tags a song ranks unusually high on are listed.

"Outside the ten": when styles the ten genres do not have (electronic, house, punk, soul, funk, folk,
ambient...) rank far above their level in nearly every reference song, or one does and the genre answer is
unsure, the result says so with the tags behind it (:func:`outside_known_genres`). Thresholds and what they
give on GTZAN, 4Q-MER and electronic test songs: docs/tags.md.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

TagGroup = Literal["style", "era", "mood", "voice_instrument"]

TAG_GROUPS: dict[str, TagGroup] = {
    **dict.fromkeys(
        (
            "rock", "pop", "alternative", "indie", "electronic", "dance", "alternative rock", "jazz", "metal",
            "classic rock", "soul", "indie rock", "electronica", "folk", "punk", "blues", "hard rock", "ambient",
            "experimental", "Hip-Hop", "country", "funk", "electro", "heavy metal", "Progressive rock", "rnb",
            "indie pop", "House", "chillout",
        ),
        "style",
    ),
    **dict.fromkeys(("60s", "70s", "80s", "90s", "00s", "oldies"), "era"),
    **dict.fromkeys(
        ("beautiful", "Mellow", "chill", "sexy", "catchy", "sad", "happy", "party", "easy listening"), "mood"
    ),
    **dict.fromkeys(("female vocalists", "male vocalists", "instrumental", "guitar", "acoustic"), "voice_instrument"),
}  # fmt: skip
"""The group of each tag shown. "female vocalist" is left out: the MSD has it twice ("female vocalists")."""

TAG_LABELS = {
    "Hip-Hop": "hip-hop",
    "Mellow": "mellow",
    "House": "house",
    "Progressive rock": "progressive rock",
    "rnb": "R&B",
    "00s": "2000s",
    "90s": "1990s",
    "80s": "1980s",
    "70s": "1970s",
    "60s": "1960s",
    "female vocalists": "female vocals",
    "male vocalists": "male vocals",
}
"""How a tag is written for people; tags not listed are shown as they are."""

OUTSIDE_STYLES: dict[str, str] = {
    "electronic": "electronic",
    "electronica": "electronic",
    "electro": "electronic",
    "House": "house",
    "dance": "dance",
    "punk": "punk",
    "soul": "soul",
    "rnb": "R&B",
    "funk": "funk",
    "folk": "folk",
    "ambient": "ambient",
    "experimental": "experimental",
}
"""Style tags naming music none of the ten genres covers, and the word for it."""

SHOWN_PERCENTILE = 85.0
"""A tag is listed when the song scores above this share of the reference songs (at 90, a jazz song's "jazz"
was listed for 19 of GTZAN's 33 jazz validation clips; at 85, 6.7 tags a song and its genre's own style for 130
of 155 clips of the genres that have one)."""
OUTSIDE_PERCENTILE = 99.0
"""An outside style this high is named in `outside_known_genres.styles`."""
OUTSIDE_SURE_PERCENTILE = 99.5
OUTSIDE_SURE_COUNT = 2
"""A song with this many outside styles above this percentile is outside the ten however sure the genre is: the
genre head answered house and techno loops with 0.98-1.0 (disco, hip-hop), so the genre's confidence alone does
not tell music it has never heard."""
OUTSIDE_UNSURE_BELOW = 0.5
"""With one outside style above :data:`OUTSIDE_PERCENTILE`, only a genre answer under this says outside."""
REFERENCE_LEVELS = (0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 95.0, 97.0, 98.0, 99.0, 100.0)
"""The percentiles of each tag's song scores kept in the manifest: finer where songs are told apart."""


class TagReference(BaseModel):
    """Where each tag's song scores lie on the songs the model was trained with: the yardstick of a song's tags."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    songs: int = Field(description="Songs the percentiles were measured on.")
    description: str = Field(description="Which songs, and how a song's score was taken.")
    levels: list[float] = Field(description="The percentiles (0-100) each tag's `quantiles` are at.")
    quantiles: dict[str, list[float]] = Field(description="Per tag, its song score at each of `levels`.")


class TagScore(BaseModel):
    tag: str = Field(description="The tag as the Million Song Dataset writes it.")
    label: str = Field(description="The tag for people.")
    group: TagGroup
    score: float = Field(description="The network's mean sigmoid over the music windows: a score, not a probability.")
    percentile: float = Field(description="Share of the reference songs (0-100) this song outscores on the tag.")


class OutsideKnownGenres(BaseModel):
    outside: bool = Field(description="Whether the song probably belongs to none of the ten genres.")
    styles: list[str] = Field(description="The styles outside the ten the song ranks high on, strongest first.")
    tags: list[str] = Field(description="The tags behind `styles`, as the MSD writes them.")
    message: str = Field(description="What to tell a person.")


class SongTags(BaseModel):
    source: str = Field(
        default="musicnn's Million Song Dataset output (the 50 most frequent last.fm tags)",
        description="Where the tags come from.",
    )
    reference: str = Field(description="The songs a tag's percentile is measured against.")
    tags: list[TagScore] = Field(
        description=f"The tags this song ranks above the {SHOWN_PERCENTILE:g}th percentile on, strongest first."
    )
    outside_known_genres: OutsideKnownGenres


def reference_from_scores(song_scores: np.ndarray, tag_names: list[str], description: str) -> TagReference:
    """The reference of (n_songs, n_tags) song scores: each tag's percentiles at :data:`REFERENCE_LEVELS`."""
    quantiles = np.percentile(np.asarray(song_scores, dtype=np.float64), REFERENCE_LEVELS, axis=0)
    return TagReference(
        songs=len(song_scores),
        description=description,
        levels=list(REFERENCE_LEVELS),
        quantiles={name: [round(float(q), 6) for q in quantiles[:, index]] for index, name in enumerate(tag_names)},
    )


def percentile(score: float, levels: list[float], quantiles: list[float]) -> float:
    """Where `score` stands among the reference songs, 0-100, interpolated between the kept percentiles."""
    return float(np.interp(score, quantiles, levels))


def ranked_tags(
    window_scores: np.ndarray, voting: np.ndarray, tag_names: list[str], reference: TagReference
) -> list[TagScore]:
    """Every shown tag of a song, strongest first: its windows' tag scores (n_windows, n_tags) averaged over the
    `voting` (music) windows, each placed among the reference songs."""
    means = np.asarray(window_scores, dtype=np.float64)[np.asarray(voting, dtype=bool)].mean(axis=0)
    scored = []
    for index, name in enumerate(tag_names):
        group = TAG_GROUPS.get(name)
        if group is None or name not in reference.quantiles:
            continue
        scored.append(
            TagScore(
                tag=name,
                label=TAG_LABELS.get(name, name),
                group=group,
                score=round(float(means[index]), 4),
                percentile=round(percentile(float(means[index]), reference.levels, reference.quantiles[name]), 1),
            )
        )
    return sorted(scored, key=lambda tag: (-tag.percentile, -tag.score))


def song_tags(
    window_scores: np.ndarray, voting: np.ndarray, tag_names: list[str], reference: TagReference, top_probability: float
) -> SongTags:
    """A song's tags (those it ranks at or above :data:`SHOWN_PERCENTILE` on) and whether it is outside the ten
    genres, from its windows' tag scores and the `voting` (music) windows (:func:`ranked_tags`)."""
    scored = ranked_tags(window_scores, voting, tag_names, reference)
    return SongTags(
        reference=f"{reference.songs} songs: {reference.description}",
        tags=[tag for tag in scored if tag.percentile >= SHOWN_PERCENTILE],
        outside_known_genres=outside_known_genres(scored, top_probability),
    )


def outside_known_genres(tags: list[TagScore], top_probability: float) -> OutsideKnownGenres:
    """Outside the ten when :data:`OUTSIDE_SURE_COUNT` styles none of the ten covers rank above
    :data:`OUTSIDE_SURE_PERCENTILE` of the reference songs, or one ranks above :data:`OUTSIDE_PERCENTILE` and the
    genre answer is unsure (under :data:`OUTSIDE_UNSURE_BELOW`)."""
    strong = [tag for tag in tags if tag.tag in OUTSIDE_STYLES and tag.percentile >= OUTSIDE_PERCENTILE]
    sure = [tag for tag in strong if tag.percentile >= OUTSIDE_SURE_PERCENTILE]
    styles = list(dict.fromkeys(OUTSIDE_STYLES[tag.tag] for tag in strong))
    outside = len(sure) >= OUTSIDE_SURE_COUNT or (bool(strong) and top_probability < OUTSIDE_UNSURE_BELOW)
    if outside:
        message = (
            f"This song is probably none of the ten genres the model knows: it sounds like {_words(styles)}, "
            "which the ten genres do not cover, so its top genre is only the nearest of the ten."
        )
    elif strong:
        message = f"It has something of {_words(styles)}, but the genre answer stands."
    else:
        message = "Nothing points outside the ten genres."
    return OutsideKnownGenres(outside=outside, styles=styles, tags=[tag.tag for tag in strong], message=message)


def _words(items: list[str]) -> str:
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
