"""API configuration: environment variables prefixed GENRE_ (the same names the worker reads)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from genre_core.paths import CHECKOUT_ROOT, SHIPPED_MODEL_DIR

YOUTUBE_HOSTS = ["youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be"]


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="GENRE_", extra="ignore")

    redis_url: str = "redis://127.0.0.1:6379/0"
    model_dir: Path = SHIPPED_MODEL_DIR
    upload_dir: Path = Path("var/uploads")
    frontend_dir: Path = CHECKOUT_ROOT / "frontend" / "dist"
    allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default=YOUTUBE_HOSTS, description="Hosts a link may point to; comma-separated in the environment."
    )
    allowed_networks: Annotated[list[str], NoDecode] = Field(
        default=[], description="Non-public networks links may resolve to anyway (CIDR, comma-separated)."
    )
    trusted_proxies: Annotated[list[str], NoDecode] = Field(
        default=[],
        description=(
            "Addresses or networks of the reverse proxies whose X-Forwarded-For names the client (comma-separated);"
            " none by default, so no client can choose the address its submissions are counted against."
        ),
    )
    max_upload_bytes: int = 50 * 1024 * 1024
    max_json_bytes: int = Field(
        default=8 * 1024, description="Largest JSON request body (`POST /classify`: one link); larger ones get 413."
    )
    max_header_bytes: int = Field(
        default=16 * 1024,
        description="Largest request line + headers, counted as they arrive (uvicorn with httptools has no limit).",
    )
    job_ttl_seconds: int = 24 * 3600
    job_stale_seconds: int = Field(default=1800, description="A job unchanged this long is failed (`timeout`).")
    rate_limit_per_minute: int = Field(default=30, description="Job submissions per client address; 0: no limit.")
    worker_ping_timeout_seconds: float = 1.0
    log_polls: bool = Field(
        default=False, description="Log successful `GET /jobs/{id}` polls in the access log (every other request is)."
    )

    @field_validator("allowed_hosts", "allowed_networks", "trusted_proxies", mode="before")
    @classmethod
    def _split_hosts(cls, value: object) -> object:
        if isinstance(value, str):
            return [host.strip().lower() for host in value.split(",") if host.strip()]
        return value
