"""Routes by which the command line reaches the store this server owns (:mod:`kg.served`).

They exist only when the server owns an on-disk store (:class:`kg.owner.OwnedStore`), and
answer only a request that carries the server's credential (``Authorization: Bearer …``, the
secret in the store folder's ``vnkg-credential``, compared in constant time). Any other request
is answered 401 before its body is read; bodies are small JSON with a cap.

==========================  ===============================================================
``GET /-/owner``            ``{"pid", "store", "max_body"}``: a client knows it reached the owner
``POST /-/checkpoint``      ``{"path": P}``: a checkpoint of the store written at ``P``, which must
                            be ``<folder>/checkpoint`` in a folder the client made beside the store
                            (``.<store>-read-<pid>-…``, :func:`kg.owner.scratch_dir`) and not exist
``POST /-/after-ingest``    ``{"graphs": [IRI, …]}``: :func:`kg.ingest.after_ingest` on the store,
                            then pages and query workers see the result
==========================  ===============================================================

The credential also allows SPARQL Update on ``/sparql`` (how an ingest hands over its graphs).
"""
from __future__ import annotations

import hmac
import json
import os
import tempfile
import threading
from pathlib import Path

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response

from .guard import read_body

#: Bytes of a checkpoint request.
SMALL_BODY = 64 * 2**10


def authorised(request: Request, token: str | None) -> bool:
    """Whether the request carries ``token`` as its bearer token (constant-time comparison)."""
    if not token:
        return False
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode("utf-8", "replace"),
                                                              token.encode("utf-8"))


def checkpoint_path(store_location: str, raw: object) -> Path | None:
    """Where a client may have a checkpoint written (see the module doc), or None."""
    if not isinstance(raw, str) or "\x00" in raw:
        return None
    path = Path(raw)
    if not path.is_absolute() or path.name != "checkpoint":
        return None
    store = Path(store_location).resolve()
    folder = path.parent
    if folder.is_symlink() or not folder.is_dir() or not folder.name.startswith(f".{store.name}-read-"):
        return None
    if folder.resolve().parent not in (store.parent, Path(tempfile.gettempdir()).resolve()):
        return None
    target = folder.resolve() / "checkpoint"
    return None if os.path.lexists(target) else target


def install(app: FastAPI, store, token: str, *, settings, site, pool) -> None:
    """Add the routes of the module doc to ``app``, for ``store`` (an on-disk store it owns)."""
    from kg.ingest import after_ingest

    import anyio

    derive = threading.Lock()  # one after-ingest at a time

    def refused() -> Response:
        return PlainTextResponse("This route needs the credential of the store's owner.\n", status_code=401,
                                 headers={"WWW-Authenticate": 'Bearer realm="vnkg"'})

    async def json_body(request: Request, limit: int):
        raw = await read_body(request, limit)
        if raw is None:
            return None, PlainTextResponse(f"The request body is larger than {limit:,} bytes.\n", status_code=413)
        try:
            return json.loads(raw), None
        except (ValueError, UnicodeDecodeError):
            return None, PlainTextResponse("The request body is not JSON.\n", status_code=400)

    def written() -> None:
        site.changed()
        if pool is not None:
            pool.changed()

    @app.get("/-/owner", include_in_schema=False)
    def owner(request: Request):
        if not authorised(request, token):
            return refused()
        return {"pid": os.getpid(), "store": str(Path(store.location).resolve()), "max_body": settings.max_body}

    @app.post("/-/checkpoint", include_in_schema=False)
    async def checkpoint(request: Request):
        if not authorised(request, token):
            return refused()
        data, error = await json_body(request, SMALL_BODY)
        if error:
            return error
        target = checkpoint_path(store.location, data.get("path") if isinstance(data, dict) else None)
        if target is None:
            return PlainTextResponse("path must be a new 'checkpoint' in a folder made for it beside the store.\n",
                                     status_code=400)
        try:
            await anyio.to_thread.run_sync(store.ox.backup, str(target))
        except OSError as exc:
            return PlainTextResponse(f"The checkpoint failed: {exc}\n", status_code=500)
        return JSONResponse({"path": str(target)}, status_code=201)

    @app.post("/-/after-ingest", include_in_schema=False)
    async def after(request: Request):
        if not authorised(request, token):
            return refused()
        data, error = await json_body(request, settings.max_body)
        if error:
            return error
        graphs = data.get("graphs") if isinstance(data, dict) else None
        if not isinstance(graphs, list) or not all(isinstance(g, str) for g in graphs):
            return PlainTextResponse('The body must be {"graphs": [IRI, ...]}.\n', status_code=400)
        try:
            graphs = [ox.NamedNode(g).value for g in graphs]
        except ValueError as exc:
            return PlainTextResponse(f"Not an IRI: {exc}\n", status_code=400)

        def job():
            with derive:
                try:
                    after_ingest(store, graphs)
                finally:
                    written()
        await anyio.to_thread.run_sync(job)
        return Response(status_code=204)
