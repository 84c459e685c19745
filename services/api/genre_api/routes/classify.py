"""POST /classify (a link) and POST /classify/upload (a file): create a job, answer 202 with its id."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Request, Response, UploadFile

from genre_api.core.errors import ApiError
from genre_api.core.rate_limit import RateLimitedRoute, client_address
from genre_api.core.url_policy import ensure_url_allowed
from genre_api.deps import ServicesDep
from genre_api.playlist_link import is_playlist_request
from genre_api.schemas import BatchAccepted, ClassifyUrlRequest, ErrorBody, JobAccepted
from genre_core.batches import BatchPolicy
from genre_core.errors import IncompatibleModel
from genre_core.jobs import JobRecord, JobSource

# Submissions are rate-limited before their body is read (RateLimitedRoute).
router = APIRouter(tags=["classify"], route_class=RateLimitedRoute)
UPLOAD_PATHS = ("/classify/upload",)  # bodies up to GENRE_MAX_UPLOAD_BYTES; every other path takes a few KB

_ERRORS = {status: {"model": ErrorBody} for status in (400, 413, 422, 429, 503)}
_COPY_CHUNK_BYTES = 1024 * 1024


@router.post("/classify", status_code=202, response_model=JobAccepted | BatchAccepted, responses=_ERRORS)
def classify_url(
    body: ClassifyUrlRequest, services: ServicesDep, request: Request, response: Response
) -> JobAccepted | BatchAccepted:
    """Queue the classification of the song behind a link (YouTube by default), or of every song of a playlist.

    A link already analysed with the current model (same YouTube video, however the link is spelled)
    answers with that job, whose result is there at once; concurrent repeats share one job. A playlist
    (`"playlist": true`, or a YouTube link with `list=` and no video) answers with a batch to poll at
    `/batches/{id}`; each of its songs becomes an ordinary job, shared with single links the same way.
    """
    url = str(body.url)
    settings = services.settings
    ensure_url_allowed(url, settings.allowed_hosts, settings.allowed_networks, services.resolver)
    if is_playlist_request(url, body.playlist):
        policy = BatchPolicy(
            client=client_address(request),
            allowed_hosts=settings.allowed_hosts,
            allowed_networks=settings.allowed_networks,
            rate_limit_per_minute=settings.rate_limit_per_minute,
            model_version=_model_version(services),
            stale_after_seconds=settings.job_stale_seconds,
        )
        batch = services.batches.submit(url, policy)
        status_url = f"/batches/{batch.id}"
        response.headers["Location"] = status_url
        return BatchAccepted(batch_id=batch.id, status_url=status_url, state=batch.state)
    record = services.queue.submit_link(url, _model_version(services), settings.job_ttl_seconds)
    return _accepted(record, response)


@router.post(UPLOAD_PATHS[0], status_code=202, response_model=JobAccepted, responses=_ERRORS)
def classify_upload(
    file: Annotated[UploadFile, File(description="An audio file: wav, mp3, flac, ogg, m4a...")],
    services: ServicesDep,
    response: Response,
) -> JobAccepted:
    """Queue the classification of an uploaded audio file."""
    settings = services.settings
    job_dir = settings.upload_dir / uuid.uuid4().hex
    job_dir.mkdir(parents=True, exist_ok=True)
    destination = job_dir / _safe_filename(file.filename)
    try:
        size = _copy_capped(file, destination, settings.max_upload_bytes)
        if size == 0:
            raise ApiError(422, "empty_upload", "The uploaded file is empty.")
        record = services.queue.submit(JobSource(kind="upload", filename=file.filename, upload_path=str(destination)))
    except BaseException:
        shutil.rmtree(job_dir, ignore_errors=True)
        raise
    return _accepted(record, response)


def _model_version(services: ServicesDep) -> str:
    # Results are reused only for the model that made them.
    try:
        return services.model_card.get().version
    except IncompatibleModel:
        return "unknown"


def _accepted(record: JobRecord, response: Response) -> JobAccepted:
    status_url = f"/jobs/{record.id}"
    response.headers["Location"] = status_url
    return JobAccepted(job_id=record.id, status_url=status_url, state=record.state)


def _copy_capped(upload: UploadFile, destination: Path, max_bytes: int) -> int:
    size = 0
    with destination.open("wb") as out:
        while chunk := upload.file.read(_COPY_CHUNK_BYTES):
            size += len(chunk)
            if size > max_bytes:
                limit_mb = max_bytes / (1024 * 1024)
                raise ApiError(413, "upload_too_large", f"The file is larger than the {limit_mb:g} MB limit.")
            out.write(chunk)
    return size


def _safe_filename(name: str | None) -> str:
    # Keep the extension (a decoding hint for ffmpeg) but nothing that could name another path.
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name or "upload").name).strip("._") or "upload"
    return stem[-100:]
