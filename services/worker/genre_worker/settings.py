"""Worker configuration: environment variables prefixed GENRE_ (the same names the API reads)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from genre_core.paths import SHIPPED_MODEL_DIR


class WorkerSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GENRE_", extra="ignore")

    redis_url: str = "redis://127.0.0.1:6379/0"
    model_dir: Path = SHIPPED_MODEL_DIR
    upload_dir: Path = Path("var/uploads")
    job_ttl_seconds: int = Field(default=24 * 3600, description="How long job records and results are kept.")
    job_time_limit_seconds: int = Field(default=600, description="A job still running after this is failed.")
    download_socket_timeout_seconds: float = Field(default=30.0, description="A connection silent this long fails.")
    download_deadline_seconds: float = Field(
        default=240.0,
        description="A download (conversion included) still running after this fails: a server that trickles "
        "bytes never trips the socket timeout, and one slow link must not hold a worker for the whole job limit.",
    )
    min_download_bytes_per_second: float = Field(
        default=20_000, description="A download slower than this on average fails (0: no minimum)."
    )
    min_download_rate_after_seconds: float = Field(
        default=15.0, description="The minimum rate applies once a download has run this long (slow starts pass)."
    )
    max_download_bytes: int = Field(default=200 * 1024 * 1024, description="Downloads larger than this are refused.")
    download_attempts: int = Field(default=3, description="Tries for a download that fails in a way that may pass.")
    download_retry_seconds: float = Field(default=5.0, description="Wait before the 2nd try; doubles each time.")
    max_duration_seconds: float = Field(default=15 * 60, description="Longer songs are refused (`too_long`).")
    max_playlist_items: int = Field(
        default=50, ge=1, description="A playlist with more songs than this is refused (`playlist_too_long`)."
    )
    allowed_networks: Annotated[list[str], NoDecode] = Field(
        default=[], description="Non-public networks links may resolve to anyway (CIDR, comma-separated)."
    )
    store_retry_seconds: float = Field(
        default=30.0,
        description="How long a job-record write is retried while Redis cannot be reached; after that the task "
        "goes back to the queue unacknowledged, and runs again.",
    )
    inference_threads: int = Field(default=1, description="LiteRT threads per worker process.")
    tag_min_probability: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="`classify --write-tags` writes a genre into a file only when the song's top probability is "
        "at least this: a wrong genre in someone's library is worse than none.",
    )
    classify_cache: Path = Field(
        default_factory=lambda: _user_cache_dir() / "genre-classifier" / "classify.sqlite3",
        description="Where `classify DIR` keeps each file's result, so a run stopped half-way goes on from there.",
    )

    @field_validator("allowed_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        if isinstance(value, str):
            return [network.strip() for network in value.split(",") if network.strip()]
        return value


def _user_cache_dir() -> Path:
    # The XDG base directory rule (what platformdirs answers on Linux), without a dependency for one line.
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
