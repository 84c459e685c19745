"""What `classify DIR` reports: one row per file, and the run's summary."""

from __future__ import annotations

from collections import Counter
from typing import Literal

from pydantic import BaseModel, Field

from genre_core.errors import PipelineError
from genre_core.results import ClassificationResult, WindowCounts
from genre_core.tags import SongTags


class RowError(BaseModel):
    code: str = Field(description="The pipeline's error code (`unsupported_audio`, `too_short`...).")
    message: str


class Classification(BaseModel):
    """What classifying one file gave: a genre or the reason there is none. The result cache keeps these."""

    model_version: str
    top_genre: str | None = None
    top_probability: float | None = None
    song_probabilities: dict[str, float] | None = None
    duration_seconds: float | None = None
    window_counts: WindowCounts | None = None
    tags: SongTags | None = Field(
        default=None, description="The song's tags (as the API's result.tags); null for a model without tags."
    )
    error: RowError | None = None

    @classmethod
    def of(cls, result: ClassificationResult) -> Classification:
        return cls(
            model_version=result.model_version,
            top_genre=result.top_genre,
            top_probability=result.top_probability,
            song_probabilities=result.song_probabilities,
            duration_seconds=result.duration_seconds,
            window_counts=result.window_counts,
            tags=result.tags,
        )

    @classmethod
    def failed(cls, model_version: str, code: str, message: str) -> Classification:
        return cls(model_version=model_version, error=RowError(code=code, message=message))

    @classmethod
    def from_error(cls, model_version: str, error: PipelineError) -> Classification:
        return cls.failed(model_version, error.code, error.message)

    @property
    def worth_keeping(self) -> bool:
        """Whether the next run may reuse this: answers, and failures that come from the file itself (the same
        bytes fail the same way), not `internal_error` or an unreadable file, which may pass next time."""
        return self.error is None or self.error.code not in {"internal_error", "unreadable"}


TagAction = Literal[
    "written", "would_write", "already_set", "kept_existing", "not_confident", "unsupported_format", "failed"
]


class TagOutcome(BaseModel):
    """What `--write-tags` did to one file."""

    action: TagAction
    genre: str | None = Field(default=None, description="The genre as written (or as it would be, or is).")
    previous: list[str] = Field(default=[], description="The genre tags the file held before.")
    message: str | None = None


class FileRow(Classification):
    path: str = Field(description="The file as found from the command's arguments.")
    size: int
    mtime_ns: int
    from_cache: bool = Field(default=False, description="Classified by an earlier run, from the result cache.")
    tag: TagOutcome | None = None


class Summary(BaseModel):
    files: int
    classified: int = Field(description="Files with a genre, from this run or the cache.")
    from_cache: int
    failed: int
    genres: dict[str, int] = Field(description="How many files got each genre, most first.")
    failures: dict[str, int] = Field(description="Failed files per error code.")
    tags: dict[str, int] = Field(default={}, description="Files per tag action, with --write-tags.")
    not_audio: int = Field(description="Files in the folders left out because their names are not audio files'.")

    @classmethod
    def of(cls, rows: list[FileRow], not_audio: int) -> Summary:
        genres = Counter(row.top_genre for row in rows if row.top_genre is not None)
        failures = Counter(row.error.code for row in rows if row.error is not None)
        tags = Counter(row.tag.action for row in rows if row.tag is not None)
        return cls(
            files=len(rows),
            classified=sum(genres.values()),
            from_cache=sum(row.from_cache for row in rows),
            failed=sum(failures.values()),
            genres=dict(genres.most_common()),
            failures=dict(failures.most_common()),
            tags=dict(tags.most_common()),
            not_audio=not_audio,
        )


class Report(BaseModel):
    """`--json FILE`: the whole run."""

    model_version: str
    summary: Summary
    files: list[FileRow]
