"""Guards in front of the application: a request body cap checked before anything is read.

Every form of the workbench is a small URL-encoded form. A larger body, or another kind
(a multipart upload would be spooled to a temporary file by the form parser), is refused
before it is read: by its Content-Length when it has one, else as soon as it grows too big.
"""

from __future__ import annotations

from starlette.responses import HTMLResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FORM_TYPE = b"application/x-www-form-urlencoded"
_BODYLESS = {"GET", "HEAD", "OPTIONS"}


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _BODYLESS:
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _refuse(413, "提交的内容过大。", scope, receive, send)
            return
        kind = headers.get(b"content-type", b"").split(b";")[0].strip().lower()
        if kind != FORM_TYPE and declared != b"0":
            await _refuse(415, "不支持的提交格式。", scope, receive, send)
            return
        received = 0
        too_large = answered = False

        async def counted_receive() -> Message:
            nonlocal received, too_large
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                too_large = True
                raise BodyTooLarge()  # stops reading; whatever the app answers is replaced
            return message

        async def refuse() -> None:
            nonlocal answered
            if not answered:
                answered = True
                await _refuse(413, "提交的内容过大。", scope, receive, send)

        async def replaced_send(message: Message) -> None:
            if not too_large:
                await send(message)
            elif message["type"] == "http.response.start":
                await refuse()

        try:
            await self.app(scope, counted_receive, replaced_send)
        except BodyTooLarge:
            await refuse()


async def _refuse(status: int, text: str, scope: Scope, receive: Receive, send: Send) -> None:
    page = (
        f'<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>{text}</title>'
        f"<p>{text}</p>"
    )
    # The security headers (review.app) wrap this answer like any other page.
    response = HTMLResponse(page, status_code=status, headers={"Connection": "close"})
    await response(scope, receive, send)
