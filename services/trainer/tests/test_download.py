"""`download` against a local HTTP server serving a small GTZAN-like tarball: resume, checksum, layout."""

from __future__ import annotations

import functools
import http.server
import tarfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

import pytest

from genre_trainer.cli import main
from genre_trainer.data.dataset import scan_dataset
from genre_trainer.data.download import download_file, file_sha256
from genre_trainer.errors import TrainerError

CLIPS = ("blues/blues.00000.ogg", "metal/metal.00000.ogg", "metal/metal.00001.ogg")


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with `Range: bytes=N-` support (the standard library's handler has none)."""

    ranges: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        requested = self.headers.get("Range")
        if requested is None:
            super().do_GET()
            return
        RangeHandler.ranges.append(requested)
        body = Path(self.translate_path(self.path)).read_bytes()
        start = int(requested.removeprefix("bytes=").rstrip("-"))
        if start >= len(body):
            self.send_error(416)
            return
        self.send_response(206)
        self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        self.send_header("Content-Length", str(len(body) - start))
        self.end_headers()
        self.wfile.write(body[start:])

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def archive_server(gtzan_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, bytes]]:
    """URL of `genres.tar.gz` (`genres/<genre>/<clip>` from three real clips) on a local server, and its bytes."""
    root = tmp_path_factory.mktemp("served")
    with tarfile.open(root / "genres.tar.gz", "w:gz") as tar:
        for clip in CLIPS:
            tar.add(gtzan_dir / "genres" / clip, arcname=f"genres/{clip}")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(RangeHandler, directory=str(root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/genres.tar.gz", (root / "genres.tar.gz").read_bytes()
    server.shutdown()


def test_download_resumes_checks_and_unpacks_into_genre_folders(
    archive_server: tuple[str, bytes], tmp_path: Path
) -> None:
    url, body = archive_server
    out = tmp_path / "gtzan"
    out.mkdir()
    (out / "genres.tar.gz.part").write_bytes(body[:1000])  # an interrupted earlier download
    RangeHandler.ranges.clear()

    expected = file_sha256_of(body, tmp_path)
    assert main(["download", "--out", str(out), "--url", url, "--sha256", expected]) == 0

    assert RangeHandler.ranges == ["bytes=1000-"]
    assert (out / "genres.tar.gz").read_bytes() == body
    songs = scan_dataset(out)
    assert [song.name for song in songs] == list(CLIPS)


def test_a_wrong_checksum_fails_and_removes_the_file(archive_server: tuple[str, bytes], tmp_path: Path) -> None:
    url, _ = archive_server
    with pytest.raises(TrainerError, match="SHA-256"):
        download_file(url, tmp_path / "genres.tar.gz", sha256="0" * 64, progress=False)
    assert not (tmp_path / "genres.tar.gz").exists()


def file_sha256_of(body: bytes, folder: Path) -> str:
    path = folder / "reference"
    path.write_bytes(body)
    return file_sha256(path)
