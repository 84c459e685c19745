"""HTTP servers on 127.0.0.1 that serve real audio to the downloader under test, and the files they serve
(podcast feeds, encrypted HLS) made from real clips."""

from __future__ import annotations

import functools
import http.server
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class QuietHTTPServer(http.server.ThreadingHTTPServer):
    """A download cut off by a killed worker is expected in these tests: no traceback for it."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass


class _Server:
    """A server on 127.0.0.1 in a daemon thread; `stop()` shuts it down."""

    def _serve(self, handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> None:
        self.server = QuietHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.port = self.server.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class CountingAudioServer(_Server):
    """Serves the files of `folder` and counts the requests each path receives (`requests`)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.requests: Counter[str] = Counter()
        outer = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                outer.requests[self.path] += 1
                if not outer.before_serving(self):
                    super().do_GET()

            def do_HEAD(self) -> None:
                outer.requests[self.path] += 1
                super().do_HEAD()

        self._serve(functools.partial(Handler, directory=str(folder)))

    def before_serving(self, handler: http.server.BaseHTTPRequestHandler) -> bool:
        """Hook for subclasses: True when it answered the request itself."""
        return False


class FlakyAudioServer(CountingAudioServer):
    """Serves `folder` but answers 503 to the first `failures` requests of each path."""

    def __init__(self, folder: Path, failures: int) -> None:
        self.failures = failures
        super().__init__(folder)

    def before_serving(self, handler: http.server.BaseHTTPRequestHandler) -> bool:
        if self.requests[handler.path] <= self.failures:
            handler.send_error(503, "Busy, try later")
            return True
        return False


class GatedAudioServer(CountingAudioServer):
    """Serves `folder`, but holds every request until `gate` is set (a download the test can pause)."""

    def __init__(self, folder: Path) -> None:
        self.gate = threading.Event()
        super().__init__(folder)

    def before_serving(self, handler: http.server.BaseHTTPRequestHandler) -> bool:
        self.gate.wait(timeout=60)
        return False


class TricklingServer(_Server):
    """Serves `body` as audio at every path, announced in full (Content-Length) but sent `chunk_bytes` at a
    time every `interval_seconds`: a server slow enough to hold a download without tripping a socket timeout."""

    def __init__(self, body: bytes, chunk_bytes: int, interval_seconds: float) -> None:
        self.sent = 0

        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "audio/ogg")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for start in range(0, len(body), chunk_bytes):
                    self.wfile.write(body[start : start + chunk_bytes])
                    self.wfile.flush()
                    outer.sent += len(body[start : start + chunk_bytes])
                    time.sleep(interval_seconds)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._serve(Handler)


class RedirectServer(_Server):
    """Answers every request with `status` (a redirect) to `location(path)`."""

    def __init__(self, location: Callable[[str], str], status: int = 302) -> None:
        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(status)
                self.send_header("Location", location(self.path))
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._serve(Handler)


def podcast_feed(title: str, enclosure_urls: list[str], durations: dict[int, int] | None = None) -> str:
    """An RSS 2.0 feed with one item per URL, each an audio enclosure (what yt-dlp reads as a playlist); the
    items numbered (from 1) in `durations` say they last that many seconds (`itunes:duration`)."""
    durations = durations or {}
    items = "".join(
        f"<item><title>Episode {index}</title><guid>episode-{index}</guid>"
        + (f"<itunes:duration>{durations[index]}</itunes:duration>" if index in durations else "")
        + f'<enclosure url="{escape(url)}" type="audio/ogg" length="1"/></item>'
        for index, url in enumerate(enclosure_urls, start=1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<rss version="2.0" xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"><channel>'
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link><description>test</description>"
        f"{items}</channel></rss>"
    )


def hls_stream(clip: Path, folder: Path, seconds: float = 12, key_uri: str | None = None) -> Path:
    """Cut `clip` into an HLS stream in `folder` (AAC segments, VOD playlist) with ffmpeg; with `key_uri`, the
    segments are AES-128 encrypted and the playlist tells players to fetch the key there. Returns the playlist."""
    folder.mkdir(parents=True, exist_ok=True)
    command = ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(clip), "-t", str(seconds), "-c:a", "aac",
               "-b:a", "64k", "-f", "hls", "-hls_time", "4", "-hls_playlist_type", "vod"]  # fmt: skip
    if key_uri is not None:
        key = folder / "stream.key"
        key.write_bytes(bytes(range(16)))
        key_info = folder / "key.info"
        key_info.write_text(f"{key_uri}\n{key}\n")
        command += ["-hls_key_info_file", str(key_info)]
    playlist = folder / "stream.m3u8"
    subprocess.run([*command, str(playlist)], check=True)
    return playlist
