"""Strict input and no bare errors, for every route.

* A request whose query string or path holds percent-escapes that are not UTF-8 (``%FF``,
  ``%C3%28``) is answered 400: decoding them with replacement characters would run a query
  or a search the client never wrote.
* An exception no route handled is answered 500 with an id (HTML for pages, text elsewhere); the
  log has the traceback under the same id. Nothing answers a bare "Internal Server Error".
"""
from __future__ import annotations

import logging
import secrets
from urllib.parse import unquote_to_bytes

from starlette.responses import PlainTextResponse

log = logging.getLogger("vnkg.server")

TEXT_PREFIXES = ("/sparql", "/data", "/export", "/.well-known", "/void", "/health", "/static", "/-/")


async def read_body(request, limit: int) -> bytes | None:
    """The request's body, or None when it is longer than ``limit`` bytes (then not read further)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > limit:
        return None
    raw = bytearray()
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > limit:
            return None
    return bytes(raw)


def bad_utf8(scope) -> str | None:
    """What is not UTF-8 in the request's query string or path, or None."""
    qs = scope.get("query_string") or b""
    if qs:
        try:
            unquote_to_bytes(qs.replace(b"+", b" ")).decode("utf-8")
        except UnicodeDecodeError:
            return "The query string is not valid UTF-8: percent-escapes must encode UTF-8 text."
    raw = scope.get("raw_path")
    if raw:
        try:
            unquote_to_bytes(raw).decode("utf-8")
        except UnicodeDecodeError:
            return "The path is not valid UTF-8: percent-escapes must encode UTF-8 text."
    return None


class GuardMiddleware:
    """400 for input that is not UTF-8; a 500 with an id (logged) for any unhandled exception.

    ``page(scope, status, title, message)`` renders an HTML error page (optional)."""

    def __init__(self, app, page=None):
        self.app = app
        self.page = page

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        problem = bad_utf8(scope)
        if problem:
            return await PlainTextResponse(problem + "\n", status_code=400)(scope, receive, send)
        started = False

        async def watch(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception:  # noqa: BLE001 - answered with an id, logged with its traceback
            error_id = secrets.token_hex(6)
            log.exception("internal error %s on %s %s", error_id, scope.get("method"), scope.get("path"))
            if started:  # the response was already under way: it ends cut short
                return
            await self.error_response(scope, error_id)(scope, receive, send)

    def error_response(self, scope, error_id: str):
        message = (f"Internal error (id {error_id}). The request could not be answered; the server's log "
                   "has the details under this id.")
        path = scope.get("path", "")
        if self.page is not None and not path.startswith(TEXT_PREFIXES):
            try:
                return self.page(scope, 500, "Internal error", message)
            except Exception:  # noqa: BLE001 - fall back to text
                log.exception("the error page of %s could not be rendered", error_id)
        return PlainTextResponse(message + "\n", status_code=500)
