"""Replacing a whole directory so that readers see the old artifact or the new one, never a mix.

The new content is written to a hidden folder beside the destination (same filesystem, so the
final step is a rename, not a copy); an artifact directory is only ever complete. A reader that
looks in the instant between the two renames of a replacement finds no directory and must retry,
which is what a worker that polls for a model does anyway.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def staged_directory(destination: str | Path) -> Iterator[Path]:
    """Yield an empty folder to fill; when the block succeeds it becomes `destination`, else it is removed.

    `destination` must not be a mount point (a Docker volume's root cannot be renamed): name a
    folder inside the volume instead.
    """
    destination = Path(destination)
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{destination.name}.staging-", dir=destination.parent))
    try:
        staging.chmod(0o755)  # mkdtemp makes it private; the worker may run as another user
        yield staging
        replace_directory(staging, destination)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def replace_directory(source: Path, destination: Path) -> None:
    """Move `source` to `destination`, replacing what is there; both must be on one filesystem."""
    if not destination.exists():
        os.rename(source, destination)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{destination.name}.old-", dir=destination.parent))
    os.rename(destination, retired / destination.name)
    os.rename(source, destination)
    shutil.rmtree(retired, ignore_errors=True)
