"""Running SPARQL off the event loop, with a time limit, a row cap and a bounded pool.

pyoxigraph cannot cancel a query. So each query runs in a worker thread of a
bounded pool and the request stops waiting at the time limit (503). The work
itself is bounded too: solutions are pulled lazily and the worker checks the
deadline between rows, so a query that streams (most joins, scans, paths)
stops within a row of the limit. A query that computes everything before its
first row (ORDER BY, GROUP BY, COUNT over a huge join) cannot be interrupted:
its thread finishes in the background, keeps its worker slot until then, and
its result is thrown away. Because runaway threads keep their slots, they
cannot pile up: when every slot is taken, new queries wait ``queue_wait``
seconds for one and are then answered 503 "server busy".
"""
from __future__ import annotations

import asyncio
import threading
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable, TypeVar

import pyoxigraph as ox

from . import results
from .conneg import RDF_FORMAT, Format
from .sparqltext import has_dataset_clause

T = TypeVar("T")


class QueryTimeout(Exception):
    """The query ran past its time limit."""


class ServerBusy(Exception):
    """Every worker is taken."""


class NotAcceptable(Exception):
    """No format the client accepts fits the result."""


class BadRequest(Exception):
    """Malformed query (the message is the parser's)."""


@dataclass
class Outcome:
    kind: str                    # "select" | "ask" | "graph"
    format: Format | None = None
    body: bytes = b""
    truncated: bool = False
    count: int = 0               # rows (select) or triples (graph) kept
    variables: list[str] = field(default_factory=list)
    rows: list = field(default_factory=list)       # select rows (tuples of terms) when format is html
    triples: list = field(default_factory=list)    # graph triples when format is html
    boolean: bool | None = None
    elapsed: float = 0.0


def run_query(store, query: str, *, pick: Callable[[str], Format | None], max_rows: int, deadline: float,
              default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
              base_iri: str | None = None) -> Outcome:
    """Evaluate ``query`` (in a worker thread) and serialise it in the format ``pick(kind)`` chooses.

    ``pick`` gets "select", "ask" or "graph" and returns a Format (key "html" keeps the rows for a
    page) or None (raises NotAcceptable). Raises BadRequest on a syntax error, QueryTimeout at the
    deadline.
    """
    t0 = time.monotonic()
    try:
        result = _evaluate(store, query, default_graphs, named_graphs, base_iri)
    except SyntaxError as e:
        raise BadRequest(str(e)) from None
    except ValueError as e:  # e.g. an invalid IRI in the dataset
        raise BadRequest(str(e)) from None

    if isinstance(result, ox.QueryBoolean) or isinstance(result, bool):
        fmt = pick("ask")
        if fmt is None:
            del result  # never let a traceback carry it to another thread
            raise NotAcceptable("ask")
        value = bool(result)
        out = Outcome("ask", fmt, boolean=value, count=1)
        if fmt.key != "html":
            out.body = results.BOOLEAN_WRITERS[fmt.key](value)
    elif isinstance(result, ox.QuerySolutions):
        fmt = pick("select")
        if fmt is None:
            del result  # never let a traceback carry it to another thread
            raise NotAcceptable("select")
        variables = [v.value for v in result.variables]
        rows, truncated, timed_out = _collect(result, max_rows, deadline,
                                              lambda s: tuple(s[i] for i in range(len(variables))))
        del result
        if timed_out:
            raise QueryTimeout()
        out = Outcome("select", fmt, truncated=truncated, count=len(rows), variables=variables)
        if fmt.key == "html":
            out.rows = rows
        else:
            out.body = results.SELECT_WRITERS[fmt.key](variables, rows)
    else:  # QueryTriples
        fmt = pick("graph")
        if fmt is None:
            del result  # never let a traceback carry it to another thread
            raise NotAcceptable("graph")
        triples, truncated, timed_out = _collect(result, max_rows, deadline, lambda t: t)
        del result
        if timed_out:
            raise QueryTimeout()
        out = Outcome("graph", fmt, truncated=truncated, count=len(triples))
        if fmt.key == "html":
            out.triples = triples
        else:
            out.body = serialize_triples(triples, fmt)
    out.elapsed = time.monotonic() - t0
    return out


def serialize_triples(triples, fmt: Format, prefixes: dict[str, str] | None = None) -> bytes:
    rdf_format = RDF_FORMAT[fmt.key]
    if prefixes and rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG, ox.RdfFormat.RDF_XML):
        return ox.serialize(triples, format=rdf_format, prefixes=prefixes)
    return ox.serialize(triples, format=rdf_format)


def _collect(iterator, max_rows: int, deadline: float, convert):
    """Pull up to ``max_rows`` items, checking the clock between items: (kept, truncated, timed_out).

    Returns instead of raising, so that no traceback keeps the pyoxigraph iterator alive: it must be
    dropped on the thread that made it."""
    kept = []
    truncated = timed_out = False
    it = iter(iterator)
    while True:
        if time.monotonic() > deadline:
            timed_out = True
            break
        try:
            item = next(it)
        except StopIteration:
            break
        if len(kept) >= max_rows:
            truncated = True
            break
        kept.append(convert(item))
    del it
    if time.monotonic() > deadline:
        timed_out = True
    return kept, truncated, timed_out


def _evaluate(store, query: str, default_graphs, named_graphs, base_iri):
    """Run the query with the protocol's dataset; without one, the union of all graphs is the
    default graph, unless the query names its own (FROM / FROM NAMED)."""
    ox_store = getattr(store, "ox", None)
    if ox_store is None:  # another GraphStore (e.g. a remote one): no base IRI, no substitutions
        if default_graphs or named_graphs:
            return store.query(query, union_default_graph=False, default_graph=default_graphs or [],
                               named_graphs=named_graphs)
        return store.query(query, union_default_graph=not has_dataset_clause(query))
    kwargs: dict = {}
    if default_graphs or named_graphs:
        kwargs["default_graph"] = [ox.NamedNode(g) for g in (default_graphs or [])]
        if named_graphs:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        else:
            kwargs["named_graphs"] = []
    elif not has_dataset_clause(query):
        kwargs["use_default_graph_as_union"] = True
    return ox_store.query(query, base_iri=base_iri, **kwargs)


class _DeepStackPool(ThreadPoolExecutor):
    """A thread pool whose threads have the large stack SPARQL parsing and evaluation may need."""

    def _adjust_thread_count(self):
        from kg.querylimits import STACK_BYTES, _stack_lock

        with _stack_lock:
            old = threading.stack_size(STACK_BYTES)
            try:
                super()._adjust_thread_count()
            finally:
                threading.stack_size(old)


class Runner:
    """A bounded pool of query threads. Runaway queries keep their slot until they really end.

    Slots are handed out first come, first served: a finishing job passes its slot straight to the
    oldest waiting request (on whatever event loop that request runs)."""

    def __init__(self, workers: int = 4, queue_wait: float = 5.0):
        self.workers = workers
        self.queue_wait = queue_wait
        self._pool = _DeepStackPool(max_workers=workers, thread_name_prefix="vnkg-query")
        self._lock = threading.Lock()
        self._busy = 0
        self._waiters: deque = deque()
        self.abandoned = 0  # queries whose caller stopped waiting (counted for /health)

    @property
    def busy(self) -> int:
        return self._busy

    def _give(self) -> None:
        """Release a slot: hand it to the oldest live waiter, else free it."""
        with self._lock:
            while self._waiters:
                loop, fut = self._waiters.popleft()
                if fut.done():
                    continue
                try:
                    loop.call_soon_threadsafe(self._hand_over, fut)
                    return
                except RuntimeError:  # that loop is closed
                    continue
            self._busy -= 1

    def _hand_over(self, fut) -> None:  # runs on the waiter's loop
        if fut.done():  # it gave up meanwhile: pass the slot on
            self._give()
        else:
            fut.set_result(True)

    async def _acquire(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._busy < self.workers and not self._waiters:
                self._busy += 1
                return
            fut = loop.create_future()
            self._waiters.append((loop, fut))
        await asyncio.wait({fut}, timeout=self.queue_wait)
        if fut.done() and not fut.cancelled():
            return
        fut.cancel()  # a hand-over arriving later sees it done and passes the slot on
        raise ServerBusy()

    async def run(self, fn: Callable[[], T], timeout: float | None) -> T:
        """Run ``fn`` in a worker; raise ServerBusy when no worker frees up in ``queue_wait`` seconds,
        QueryTimeout when ``fn`` takes longer than ``timeout`` (it then finishes in the background)."""
        await self._acquire()

        def job():
            try:
                return fn()
            finally:
                self._give()

        loop = asyncio.get_running_loop()
        try:
            fut = loop.run_in_executor(self._pool, job)
        except RuntimeError:  # the pool was shut down
            self._give()
            raise ServerBusy() from None
        if timeout is None:
            return await asyncio.shield(fut)
        try:
            return await asyncio.wait_for(asyncio.shield(fut), timeout)
        except (asyncio.TimeoutError, TimeoutError):
            with self._lock:
                self.abandoned += 1
            fut.add_done_callback(_swallow)
            raise QueryTimeout() from None

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _swallow(fut) -> None:
    if not fut.cancelled():
        fut.exception()
