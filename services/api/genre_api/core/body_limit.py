"""Refusing oversized request bodies while they stream in, before a parser holds or spools them.

Starlette reads a whole multipart body into a temporary file before the route sees it, and a JSON body into
memory before it is validated, so a size check in the route comes after a 10 GB upload has been written to
disk, or a 48 MB JSON document parsed (an API process grew from 86 MB to 1.3 GB). This middleware counts the
bytes as they arrive and stops at the limit of the request's path: the upload limit for uploads, a few KB for
everything else (`POST /classify` takes one link). A declared Content-Length over the limit is refused unread.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from genre_api.core.errors import error_response

# Multipart framing (boundaries, part headers) around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class BodyCap:
    """The most a request body may hold, and the 413 it gets past that."""

    max_bytes: int
    code: str
    message: str


def upload_cap(max_upload_bytes: int) -> BodyCap:
    limit_mb = max_upload_bytes / (1024 * 1024)
    message = f"The request is larger than the {limit_mb:g} MB upload limit."
    return BodyCap(max_upload_bytes + MULTIPART_OVERHEAD_BYTES, "upload_too_large", message)


def json_cap(max_json_bytes: int) -> BodyCap:
    message = f'The request body is larger than {max_json_bytes / 1024:g} KB; send only {{"url": "..."}}.'
    return BodyCap(max_json_bytes, "request_too_large", message)


class BodySizeLimit:
    def __init__(self, app: ASGIApp, default: BodyCap, by_path: Mapping[str, BodyCap]) -> None:
        self.app = app
        self.default = default
        self.by_path = dict(by_path)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cap = self.by_path.get(scope["path"], self.default)
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > cap.max_bytes:
            await error_response(413, cap.code, cap.message)(scope, receive, send)
            return
        received = 0
        refused = False

        async def counting_receive() -> Message:
            # Past the limit: answer 413 ourselves and tell the app the client left, so it stops
            # reading (an exception here would be turned into a 400 by the body parser).
            nonlocal received, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap.max_bytes:
                    refused = True
                    await error_response(413, cap.code, cap.message)(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:  # once refused, the 413 is the response; drop whatever the app says next
                await send(message)

        await self.app(scope, counting_receive, guarded_send)
