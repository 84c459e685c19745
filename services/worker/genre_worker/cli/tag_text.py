"""A song's tags in words, for the terminal: ranks, never raw scores (genre_core.tags says why)."""

from __future__ import annotations

from genre_core.results import ClassificationResult
from genre_core.tags import SongTags, TagScore

GROUP_WORDS = {"style": "sounds like", "era": "era", "mood": "mood", "voice_instrument": "voice, instruments"}
PER_GROUP = 4


def top_share(tag: TagScore) -> str:
    """'top 3 %': the share of the reference songs that score as high or higher on the tag."""
    return f"top {max(1, round(100 - tag.percentile))} %"


def tag_lines(result: ClassificationResult) -> list[str]:
    """Lines under a song's genres: its tags by group, and whether it is outside the ten genres."""
    if result.tags is None:
        return ["  tags: none (this model has no tag output)"]
    lines = []
    for group, words in GROUP_WORDS.items():
        tags = [tag for tag in result.tags.tags if tag.group == group][:PER_GROUP]
        if tags:
            lines.append(f"  {words}: " + ", ".join(f"{tag.label} ({top_share(tag)})" for tag in tags))
    if not lines:
        lines.append("  tags: nothing stands out against the reference songs")
    outside = result.tags.outside_known_genres
    if outside.outside:
        lines.append(f"  outside the ten genres: {outside.message}")
    return lines


def short_tags(tags: SongTags | None, count: int = 3) -> str:
    """The song's strongest few tags in one cell ('' when none stand out, '-' for a model without tags)."""
    if tags is None:
        return "-"
    return ", ".join(tag.label for tag in tags.tags[:count])
