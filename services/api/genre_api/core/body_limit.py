"""Refusing oversized request bodies while they stream in, before the multipart parser spools them.

Starlette reads a whole multipart body into a temporary file before the route sees it, so a size check
in the route comes after a 10 GB upload has been written to disk. This middleware counts the bytes as
they arrive and stops at the limit; a declared Content-Length over the limit is refused unread.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from genre_api.core.errors import error_response

# Multipart framing (boundaries, part headers) around the file itself.
MULTIPART_OVERHEAD_BYTES = 64 * 1024


class BodySizeLimit:
    def __init__(self, app: ASGIApp, max_body_bytes: int) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await error_response(413, "upload_too_large", self._message())(scope, receive, send)
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
                if received > self.max_body_bytes:
                    refused = True
                    await error_response(413, "upload_too_large", self._message())(scope, receive, send)
                    return {"type": "http.disconnect"}
            return message

        async def guarded_send(message: Message) -> None:
            if not refused:  # once refused, the 413 is the response; drop whatever the app says next
                await send(message)

        await self.app(scope, counting_receive, guarded_send)

    def _message(self) -> str:
        limit_mb = (self.max_body_bytes - MULTIPART_OVERHEAD_BYTES) / (1024 * 1024)
        return f"The request is larger than the {limit_mb:g} MB upload limit."
