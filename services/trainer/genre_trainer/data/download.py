"""`genre-trainer download`: GTZAN's `genres.tar.gz` for users who do not have it, fetched once and unpacked.

The archive is 1.2 GB, so the download resumes: bytes already in `<archive>.part` are kept and only the rest
is requested (an HTTP Range request); a server that ignores ranges gets the file again from the start. An
optional SHA-256 is checked before the archive is unpacked, and unpacking refuses paths that leave the
destination (tarfile's "data" filter). Nothing else in the trainer touches the network.
"""

from __future__ import annotations

import hashlib
import logging
import shutil
import tarfile
import urllib.error
import urllib.request
from pathlib import Path

from tqdm import tqdm

from genre_trainer.errors import TrainerError

logger = logging.getLogger(__name__)

DEFAULT_GTZAN_URL = "https://huggingface.co/datasets/marsyas/gtzan/resolve/main/data/genres.tar.gz"
CHUNK = 1 << 20


def download_file(url: str, destination: Path, sha256: str | None = None, progress: bool = True) -> Path:
    """Fetch `url` to `destination`, resuming a previous partial download; verify `sha256` when given.

    Raises:
        TrainerError: the server fails, or the file's checksum is not `sha256` (the file is then deleted).
    """
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".part")
    if not destination.exists():
        _fetch(url, partial, progress)
        partial.replace(destination)
    if sha256 is not None:
        actual = file_sha256(destination)
        if actual.lower() != sha256.lower():
            destination.unlink()
            raise TrainerError(f"{destination.name} has SHA-256 {actual}, expected {sha256}; deleted it")
    return destination


def _fetch(url: str, partial: Path, progress: bool) -> None:
    have = partial.stat().st_size if partial.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=60)
    except urllib.error.HTTPError as error:
        if error.code == 416 and have:  # nothing left to fetch: the partial file is complete
            return
        raise TrainerError(f"Download of {url} failed: HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        raise TrainerError(f"Download of {url} failed: {error}") from error
    with response:
        resumed = response.status == 206
        if have and not resumed:
            logger.info("The server does not resume downloads; fetching %s from the start", url)
        start = have if resumed else 0
        length = response.headers.get("Content-Length")
        total = start + int(length) if length else None
        with (
            partial.open("ab" if resumed else "wb") as handle,
            tqdm(total=total, initial=start, unit="B", unit_scale=True, desc=partial.name, disable=not progress) as bar,
        ):
            while chunk := response.read(CHUNK):
                handle.write(chunk)
                bar.update(len(chunk))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def extract_dataset(archive: Path, out_dir: Path) -> Path:
    """Unpack `archive` so that the genre folders end up in `out_dir/genres/<genre>/`; returns that folder.

    GTZAN's archive holds `genres/<genre>/<genre>.000NN.au`; an archive with another single top folder
    (e.g. `genres_original/`) is renamed to `genres`.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    staging = out_dir / ".extracting"
    shutil.rmtree(staging, ignore_errors=True)
    with tarfile.open(archive, "r:*") as tar:
        tar.extractall(staging, filter="data")
    tops = [path for path in staging.iterdir() if not path.name.startswith(".")]
    source = tops[0] if len(tops) == 1 and tops[0].is_dir() and any(p.is_dir() for p in tops[0].iterdir()) else staging
    target = out_dir / "genres"
    if target.exists():
        raise TrainerError(f"{target} already exists; remove it or choose another --out")
    source.rename(target)
    shutil.rmtree(staging, ignore_errors=True)
    return target
