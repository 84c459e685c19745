"""HTTP servers on 127.0.0.1 that serve real audio to the downloader under test."""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class FlakyAudioServer:
    """Serves `audio_files` but answers 503 to the first `failures` requests of each path."""

    def __init__(self, folder: Path, failures: int) -> None:
        self.failures = failures
        self.requests: dict[str, int] = {}
        outer = self

        class Handler(QuietHandler):
            def do_GET(self) -> None:
                count = outer.requests[self.path] = outer.requests.get(self.path, 0) + 1
                if count <= outer.failures:
                    self.send_error(503, "Busy, try later")
                    return
                super().do_GET()

        self.server = http.server.ThreadingHTTPServer(
            ("127.0.0.1", 0), functools.partial(Handler, directory=str(folder))
        )
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self.server.server_address[1]}"


class QuietHTTPServer(http.server.ThreadingHTTPServer):
    """A download cut off by a killed worker is expected in these tests: no traceback for it."""

    def handle_error(self, request: object, client_address: object) -> None:
        pass
