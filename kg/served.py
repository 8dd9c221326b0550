"""The command line on a store that ``vnkg serve`` owns.

While a server runs on an on-disk store it is the store's only writer (:mod:`kg.owner`); the other
commands reach the data through it, authenticated by the credential it keeps in the store folder:

* **Reading** (``query``, ``stats``, ``export``, ``validate``): the command asks the server for a
  checkpoint of the store (``POST /-/checkpoint``: RocksDB hard links, made in milliseconds, in a
  folder the command made beside the store) and opens it read-only. Nobody writes a checkpoint,
  so the read-only open is safe; the command sees every write answered before it began, runs
  without the server's limits, and deletes the checkpoint when it ends (or the next command
  does, if it was killed).
* **Writing** (``ingest``, ``import``): :class:`ServedStore` hands each graph to the server as
  one SPARQL Update (``DROP`` then ``INSERT DATA``) on its ``/sparql`` endpoint, which applies
  it in one transaction, refreshes its pages and its query workers' checkpoints, and answers.
  At the end of a batch ``POST /-/after-ingest`` has the server bring the derived graphs up to
  date (:func:`kg.ingest.after_ingest`) on its own store.
"""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Callable

from .owner import CREDENTIAL_FILE, Owner, credential, scratch_dir
from .remote import RemoteStore, RemoteStoreError
from .store import LocalStore

#: Seconds to wait for a server that holds the store but does not answer yet (it is starting).
CONNECT_WAIT = 60.0
#: Times a write is tried again when the server answers 503 (every worker busy).
RETRIES = 20


class ServerUnreachable(Exception):
    """The store's server cannot be reached (the message is one line saying why)."""


def _wait() -> float:
    try:
        return float(os.environ.get("VNKG_CONNECT_WAIT", CONNECT_WAIT))
    except ValueError:
        return CONNECT_WAIT


class Link:
    """An authenticated HTTP client to the server that owns a store."""

    def __init__(self, location: str, owner: Owner, notice: Callable[[str], None] | None = None):
        import httpx

        self.location, self.owner, self.url = location, owner, owner.url.rstrip("/")
        try:
            token = credential(location)
        except PermissionError:
            raise ServerUnreachable(
                f"the store {location} is served by {owner.describe()}, but its credential "
                f"{Path(location) / CREDENTIAL_FILE} is not readable by this user: run the command as the "
                "user who runs the server") from None
        except OSError:
            raise ServerUnreachable(f"the store {location} is in use by {owner.describe()}, which left no "
                                    f"credential ({CREDENTIAL_FILE}) to reach it by") from None
        self.http = httpx.Client(headers={"authorization": f"Bearer {token}"}, timeout=httpx.Timeout(300.0),
                                 follow_redirects=False, trust_env=False)
        self.info = self._hello(notice)

    def _hello(self, notice) -> dict:
        """The server's answer to ``GET /-/owner``, waiting while it starts."""
        import httpx

        start = time.monotonic()
        deadline = start + _wait()
        said = False
        while True:
            try:
                r = self.http.get(self.url + "/-/owner", timeout=5.0)
            except httpx.HTTPError:
                r = None
            if r is not None and r.status_code == 200:
                info = r.json()
                if info.get("pid") != self.owner.pid:
                    break
                return info
            if r is not None and r.status_code in (401, 403, 404):
                self.close()
                raise ServerUnreachable(f"the store {self.location} is in use by {self.owner.describe()}, but "
                                        f"{self.url} refuses the store's credential (HTTP {r.status_code})")
            if not self.owner.alive():
                self.close()
                raise ServerUnreachable(f"the store {self.location} was held by {self.owner.describe()}, which "
                                        "has just ended: run the command again")
            if time.monotonic() >= deadline:
                break
            if notice and not said and time.monotonic() - start > 2:
                notice(f"waiting for the server at {self.url} (process {self.owner.pid}) to start")
                said = True
            time.sleep(0.2)
        self.close()
        raise ServerUnreachable(f"the store {self.location} is in use by {self.owner.describe()}, which does not "
                                f"answer at {self.url} (waited {_wait():g} s)")

    def post(self, path: str, json: dict, timeout: float | None = 300.0):
        import httpx

        try:
            r = self.http.post(self.url + path, json=json, timeout=timeout)
        except httpx.TransportError as exc:
            raise OSError(f"the server at {self.url} ({self.owner.describe()}) did not answer: {exc}") from None
        if r.status_code >= 400:
            raise RemoteStoreError(f"{path}: HTTP {r.status_code} from the server: {r.text.strip()[:300]}")
        return r

    def close(self) -> None:
        self.http.close()


class CheckpointStore(LocalStore):
    """A read-only open of a checkpoint of a served store; the checkpoint is deleted on close."""

    def __init__(self, link: Link):
        self.folder = scratch_dir(link.location, "read")
        path = os.path.join(self.folder, "checkpoint")
        try:
            link.post("/-/checkpoint", {"path": path})
            super().__init__(path, read_only=True)
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        finally:
            link.close()
        self.served_by = link.owner

    def close(self) -> None:
        try:
            super().close()
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


class ServedStore(RemoteStore):
    """The store interface for writers, on a store a ``vnkg serve`` process owns (see the module doc)."""

    def __init__(self, link: Link):
        super().__init__(link.url + "/sparql", client=link.http)
        self.link = link
        self.location = link.location
        self.served_by = link.owner
        # Updates larger than the server takes are sent in pieces (a graph that big is then not
        # replaced in one transaction).
        self.max_update = max(4096, int(link.info.get("max_body", 16 * 2**20)) - 4096)

    def _post_query(self, sparql: str, params, accept: str = ""):
        r = super()._post_query(sparql, params, accept) if accept else super()._post_query(sparql, params)
        if r.headers.get("x-vnkg-truncated"):  # the owner's reads are not cut: a server of another kind
            raise RemoteStoreError(f"the server at {self.link.url} cut the result of a query at "
                                   f"{r.headers.get('x-vnkg-row-limit')} rows")
        return r

    def update(self, sparql: str) -> None:
        """One SPARQL Update, as a direct UTF-8 body; tried again while the server is busy."""
        import httpx

        body = sparql.encode("utf-8")
        for attempt in range(RETRIES + 1):
            try:
                r = self.http.post(self.update_url, content=body,
                                   headers={"content-type": "application/sparql-update; charset=utf-8"})
            except httpx.TransportError as exc:  # the server is gone: no graph can be written
                raise OSError(f"the server at {self.link.url} ({self.served_by.describe()}) did not answer: "
                              f"{exc}") from None
            if r.status_code != 503 or attempt == RETRIES:
                break
            time.sleep(0.5)
        self._check(r, "SPARQL update")

    def replace_graph_ntriples(self, graph_iri: str, nt: str, shared: tuple[str, str] | None = None) -> None:
        extra = f" GRAPH <{shared[0]}> {{\n{shared[1]}}}" if shared and shared[1].strip() else ""
        whole = f"DROP SILENT GRAPH <{graph_iri}> ;\nINSERT DATA {{ GRAPH <{graph_iri}> {{\n{nt}}}{extra} }}"
        if len(whole.encode("utf-8")) <= self.max_update:
            self.update(whole)
            return
        self.update(f"DROP SILENT GRAPH <{graph_iri}>")
        if extra:
            self.update(f"INSERT DATA {{{extra} }}")
        piece, size = [], 0
        for line in nt.splitlines(keepends=True):
            n = len(line.encode("utf-8"))
            if piece and size + n > self.max_update - 200 - len(graph_iri):
                self.update(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{''.join(piece)}}} }}")
                piece, size = [], 0
            piece.append(line)
            size += n
        if piece:
            self.update(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{''.join(piece)}}} }}")

    def after_ingest(self, graphs: list[str]) -> None:
        """Have the server run :func:`kg.ingest.after_ingest` on its store."""
        self.link.post("/-/after-ingest", {"graphs": list(graphs)}, timeout=None)

    def close(self) -> None:
        self.link.close()


def reach(location: str, owner: Owner, *, read_only: bool,
          notice: Callable[[str], None] | None = None) -> LocalStore | ServedStore:
    """The store at ``location``, which ``owner`` (a running server) holds: a checkpoint to read
    (``read_only``) or a :class:`ServedStore` to write through. Raises :class:`ServerUnreachable`."""
    link = Link(location, owner, notice)
    if read_only:
        try:
            return CheckpointStore(link)
        except (RemoteStoreError, OSError) as exc:
            raise ServerUnreachable(f"the store {location} is served by {owner.describe()}, which could not "
                                    f"make a checkpoint to read: {' '.join(str(exc).split())[:300]}") from None
    return ServedStore(link)
