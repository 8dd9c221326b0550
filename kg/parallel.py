"""Parallel, streaming ingest: reading, extraction, mapping and SHACL in worker processes.

:func:`ingest_parallel` does what :func:`kg.ingest.ingest` does (same graphs, same problems, same
summary), with the work spread over ``jobs`` processes:

* The parent walks the inputs lazily and sends work in small chunks: a ``.txt``/``.html`` file
  is read in the worker (the HTML machinery is the slow part of reading); a ``.jsonl`` file is
  streamed by the parent through :func:`loaders.read.read_path` and its articles are sent in
  chunks (so its line numbering, ids and errors are exactly those of ``read_path``).
* Workers (``spawn`` processes: safe with threads and on every platform) load the gazetteer, the
  lexicons and the SHACL engine once, then for each chunk: extract, map, validate the chunk's
  graphs together (:func:`kg.validate.check_many`) and send back one N-Triples text per
  article.
* The parent writes in input order, each article's graph replacing its named graph in one
  transaction (:func:`replace_graph_ntriples`), so a re-ingest or a duplicate id ends as it does
  sequentially. At most ``2 × jobs`` chunks are in flight: memory stays flat whatever the corpus.
* ``bulk=True`` (first loads): graphs that are not in the store yet are appended as N-Quads to
  a buffer loaded with pyoxigraph's ``bulk_load`` (no transaction, several times faster);
  validation is unchanged and each article still gets its own named graph. A graph already in
  the store, or met twice, is replaced the ordinary way. Bulk needs the embedded store
  (:class:`kg.store.LocalStore`); with another store it is ignored.

A file that cannot be read, an article whose extraction fails, or a worker that dies is reported
as a :class:`kg.ingest.Problem` and the batch goes on.
"""
from __future__ import annotations

import multiprocessing as mp
import os
from collections import Counter, deque
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from rdflib.namespace import RDF

from loaders.article import Article
from loaders.read import ReadError, input_files, read_path

from .ingest import ENTITY_KINDS, Problem, Summary, after_ingest, ensure_reference, with_notes
from .iri import Minter
from .namespaces import VNKG

#: Articles (or files) per chunk sent to a worker; also the SHACL batch size (validation costs
#: less per article in larger batches: 2.5 ms at 16, 1.9 ms at 32 on real articles).
CHUNK = 32
#: Quads buffered before a bulk load.
BULK_QUADS = 200_000


@dataclass
class Result:
    """What a worker sends back for one article (or for a file that gave none)."""

    source: str
    graph_iri: str | None = None
    nt: str = ""  # N-Triples of the graph to store ("" with graph_iri None: nothing stored)
    shared: tuple[str, str] | None = None  # (graph IRI, N-Triples) added to the shared graph
    triples: int = 0
    entities: dict = field(default_factory=dict)  # kind -> IRIs of the resources of that kind
    problem: Problem | None = None


# ------------------------------------------------------------------------------ worker side
_state: dict = {}


def _init(base: str, validate: bool, parent: int | None = None) -> None:
    """Worker start: everything slow to load is loaded here, once."""
    from loaders.gazetteer import gazetteer

    if parent is not None:  # a worker process: it must not outlive the ingest
        from .lifeline import die_with_parent

        die_with_parent(parent)
    _state["mint"] = Minter(base)
    _state["validate"] = validate
    gazetteer()
    _split(None, "", _state["mint"])  # builds the reference graph the split needs, once
    if validate:
        from .validate import warm_up

        warm_up()


def _articles(unit) -> Iterator[Article | ReadError]:
    if isinstance(unit, (Article, ReadError)):
        yield unit
    else:
        yield from read_path(unit)


def _split(graph, article_id: str, mint: Minter):
    """What :func:`kg.ingest.ingest` writes for one article: (own graph, (shared graph IRI, triples) or None)."""
    try:
        from .ingest import _reference
        from .mapping import split_shared
        from .namespaces import ENTITIES_GRAPH
    except ImportError:  # a store model without a shared graph: the article's graph is all
        return graph, None
    known = _reference(mint.base)
    if graph is None:
        return None, None
    own, shared = split_shared(graph, mint.article(article_id), known)
    return own, (ENTITIES_GRAPH, shared)


def _graph_of(article: Article, mint: Minter):
    from loaders.extract import extract

    from .mapping import article_graph

    return article_graph(article, extract(article), mint)


def _work(units: list) -> list[Result]:
    """One chunk: read, extract, map, validate; the results in input order."""
    from .store import ntriples
    from .validate import Outcome, check, check_many

    mint: Minter = _state["mint"]
    validate: bool = _state["validate"]
    items: list = []  # (source, article | None, graph | None, problem | None)
    for unit in units:
        try:
            for item in _articles(unit):
                if isinstance(item, ReadError):
                    items.append((item.source, None, None, Problem(item.source, item.message)))
                    continue
                source = item.source or item.id
                try:
                    items.append((source, item, _graph_of(item, mint), with_notes(None, item)))
                except Exception as exc:  # an extractor bug must not stop the batch
                    items.append((source, item, None, Problem(source, f"extraction failed: {exc!r}")))
        except Exception as exc:  # reading itself blew up (not a ReadError): report the unit
            src = str(unit if not isinstance(unit, Article) else (unit.source or unit.id))
            items.append((src, None, None, Problem(src, f"reading failed: {exc!r}")))
    graphs = [g for _, _, g, _ in items if g is not None]
    outcomes: list = []
    if validate and graphs:
        try:
            outcomes = check_many(graphs, batch=len(graphs))
        except Exception:  # validate alone, so one bad graph cannot sink the chunk
            outcomes = []
            for g in graphs:
                try:
                    outcomes.append(check(g))
                except Exception as exc:
                    outcomes.append(exc)
    elif graphs:
        outcomes = [Outcome(g, [], []) for g in graphs]
    results: list[Result] = []
    k = 0
    for source, article, graph, problem in items:
        if graph is None:
            results.append(Result(source, problem=problem))
            continue
        outcome = outcomes[k]
        k += 1
        if isinstance(outcome, Exception):
            results.append(Result(source, problem=Problem(source, f"extraction failed: {outcome!r}")))
            continue
        if not outcome.clean:
            if outcome.graph is None:
                problem = Problem(source, "held back: the article's graph does not conform to the shapes",
                                  outcome.violations)
            else:
                problem = Problem(source, f"{len(outcome.dropped)} fact(s) held back; the rest was stored",
                                  outcome.violations, fatal=False)
            problem = with_notes(problem, article)
        stored = outcome.graph
        if stored is None:
            results.append(Result(source, problem=problem))
            continue
        try:
            entities = {kind: iris for kind in ENTITY_KINDS
                        if (iris := tuple(str(s) for s in stored.subjects(RDF.type, VNKG[kind])))}
            own, shared = _split(stored, article.id, mint)
            shared_nt = (shared[0], ntriples(shared[1])) if shared is not None and len(shared[1]) else None
            results.append(Result(source, str(mint.graph(article.id)), ntriples(own), shared_nt, len(stored),
                                  entities, problem))
        except Exception as exc:  # e.g. an IRI that cannot be written: this article's failure only
            results.append(Result(source, problem=Problem(source, f"cannot be stored: {one_line(exc)}")))
    return results


def one_line(exc: BaseException) -> str:
    """An exception's message on one line, at most 300 characters."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 300 else text[:297] + "..."


# ------------------------------------------------------------------------------ parent side
def _files(path: Path) -> Iterator[Path]:
    """The files :func:`loaders.read.read_path` reads under ``path``, in its order."""
    if not path.is_dir():
        yield path
        return
    yield from input_files(path)


def _units(paths: Iterable[str | Path]) -> Iterator[object]:
    """Work units, lazily: a file path (read in the worker) or an Article/ReadError (JSONL, read here)."""
    for p in paths:
        p = Path(p)
        if not p.exists():
            yield from read_path(p)  # the ReadError read_path gives
            continue
        for f in _files(p):
            if f.suffix.lower() == ".jsonl":
                yield from read_path(f)
            else:
                yield f


def _chunks(units: Iterator[object], size: int) -> Iterator[list]:
    chunk: list = []
    for u in units:
        chunk.append(u)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _unit_source(unit) -> str:
    if isinstance(unit, Article):
        return unit.source or unit.id
    if isinstance(unit, ReadError):
        return unit.source
    return str(unit)


def replace_graph_ntriples(store, graph_iri: str, nt: str, shared: tuple[str, str] | None = None) -> None:
    """Replace one named graph with N-Triples text and add ``shared`` = (graph IRI, N-Triples) to
    a graph that accumulates, in one transaction, without an rdflib round trip."""
    own = getattr(store, "replace_graph_ntriples", None)
    if own is not None:
        own(graph_iri, nt, shared=shared)
        return
    ox_store = getattr(store, "ox", None)
    if ox_store is not None:
        extra = f"GRAPH <{shared[0]}> {{\n{shared[1]}}}" if shared and shared[1].strip() else ""
        ox_store.update(f"DROP SILENT GRAPH <{graph_iri}> ;\n"
                        f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{nt}}} {extra} }}")
        return
    from rdflib import Graph

    parse = lambda text: Graph().parse(data=text, format="nt")  # noqa: E731
    if shared and shared[1].strip():
        store.replace_graph(graph_iri, parse(nt), shared=(shared[0], parse(shared[1])))
    else:
        store.replace_graph(graph_iri, parse(nt))


class _Writer:
    """Writes results in order: transactional replace, or buffered bulk load of new graphs."""

    def __init__(self, store, bulk: bool):
        self.store = store
        self.bulk = bulk and hasattr(store, "bulk_load") and hasattr(store, "has_graph")
        self.buf: list[str] = []
        self.buffered = 0
        self.pending: set[str] = set()

    def _quads(self, graph_iri: str, nt: str) -> None:
        suffix = f" <{graph_iri}> .\n"
        self.buf.append("".join(line[:-2] + suffix for line in nt.split("\n") if line.endswith(" .")))

    def write(self, graph_iri: str, nt: str, triples: int, shared: tuple[str, str] | None = None) -> None:
        if self.bulk and graph_iri not in self.pending and not self.store.has_graph(graph_iri):
            self._quads(graph_iri, nt)
            if shared:
                self._quads(*shared)  # the shared graph accumulates: adding is what a replace does to it
            self.pending.add(graph_iri)
            self.buffered += triples
            if self.buffered >= BULK_QUADS:
                self.flush()
            return
        if graph_iri in self.pending:
            self.flush()
        replace_graph_ntriples(self.store, graph_iri, nt, shared)

    def flush(self) -> None:
        if self.buf:
            import pyoxigraph as ox

            self.store.bulk_load("".join(self.buf).encode("utf-8"), ox.RdfFormat.N_QUADS)
        self.buf, self.buffered, self.pending = [], 0, set()


class _Pool:
    """A process pool that is started again when a worker dies.

    A chunk whose worker died is sent again (the death may have been another chunk's doing); if it
    dies again, its units are run one at a time, alone in the pool, and a unit that still kills
    its worker is reported ("worker process died") and skipped."""

    def __init__(self, jobs: int, base: str, validate: bool):
        self.jobs, self.args = jobs, (base, validate, os.getpid())
        self.ctx = mp.get_context(os.environ.get("VNKG_MP_START", "spawn"))
        self.pool = self._new()
        self.inflight: deque = deque()  # [chunk, future, tries]
        self.breaks = 0  # pools broken in a row, with no result in between

    def _new(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.jobs, mp_context=self.ctx, initializer=_init, initargs=self.args)

    def _restart(self) -> None:
        self.pool.shutdown(wait=False, cancel_futures=True)
        self.breaks += 1
        if self.breaks > 5:
            raise RuntimeError("the worker processes keep dying (see their error output above)")
        self.pool = self._new()

    def submit(self, chunk: list) -> None:
        self.inflight.append([chunk, self.pool.submit(_work, chunk), 1])

    def _isolate(self, chunk: list) -> list[Result]:
        out: list[Result] = []
        for u in chunk:
            try:
                out += self.pool.submit(_work, [u]).result()
                self.breaks = 0
            except BrokenProcessPool:
                out.append(Result(_unit_source(u), problem=Problem(_unit_source(u), "worker process died")))
                self._restart()
        return out

    def next(self) -> tuple[list, list[Result]]:
        chunk, fut, tries = self.inflight.popleft()
        try:
            res = fut.result()
            self.breaks = 0
        except BrokenProcessPool:
            # A worker died (out of memory, a crash in native code); every chunk in flight is lost
            # with it: start a new pool and send them all again.
            self._restart()
            again = list(self.inflight)
            self.inflight.clear()
            res = None if tries < 2 else self._isolate(chunk)
            if res is None:
                self.inflight.append([chunk, self.pool.submit(_work, chunk), tries + 1])
            for c, _, t in again:
                self.inflight.append([c, self.pool.submit(_work, c), t])
            if res is None:
                return self.next()
        except Exception as exc:  # e.g. a result that cannot be pickled: find the unit it came from
            res = self._one_by_one(chunk) if len(chunk) > 1 else \
                [Result(_unit_source(u), problem=Problem(_unit_source(u), f"extraction failed: {exc!r}"))
                 for u in chunk]
        return chunk, res

    def _one_by_one(self, chunk: list) -> list[Result]:
        """Each unit of a chunk alone: a unit's failure is reported for that unit only."""
        out: list[Result] = []
        for u in chunk:
            try:
                out += self.pool.submit(_work, [u]).result()
            except BrokenProcessPool:
                out.append(Result(_unit_source(u), problem=Problem(_unit_source(u), "worker process died")))
                self._restart()
            except Exception as exc:
                out.append(Result(_unit_source(u), problem=Problem(_unit_source(u), f"extraction failed: {exc!r}")))
        return out

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def _results(chunks: Iterator[list], jobs: int, base: str, validate: bool) -> Iterator[tuple[list, list[Result]]]:
    """(chunk, its results), in input order; at most 2 × jobs chunks in flight."""
    if jobs <= 1:
        _init(base, validate)
        for chunk in chunks:
            yield chunk, _work(chunk)
        return
    pool = _Pool(jobs, base, validate)
    try:
        for chunk in chunks:
            pool.submit(chunk)
            while len(pool.inflight) >= 2 * jobs:
                yield pool.next()
        while pool.inflight:
            yield pool.next()
    finally:
        pool.close()


def ingest_parallel(paths: Iterable[str | Path], store, *, jobs: int = 2, mint: Minter | None = None,
                    validate: bool = True, on_item: Callable[[str], None] | None = None, bulk: bool = False,
                    chunk: int = CHUNK) -> Summary:
    """Ingest files and folders into ``store`` with ``jobs`` worker processes (see the module doc)."""
    mint = mint or Minter()
    ensure_reference(store, mint)
    results = (r for _, rs in _results(_chunks(_units(paths), chunk), jobs, mint.base, validate) for r in rs)
    return store_results(results, store, bulk=bulk, on_item=on_item)


def store_results(results: Iterable[Result], store, *, bulk: bool = False,
                  on_item: Callable[[str], None] | None = None) -> Summary:
    """Write the workers' results to ``store`` in order, count them, and bring the derived graphs
    up to date: the end of every ingest that extracts elsewhere (worker processes, Spark)."""
    summary = Summary()
    writer = _Writer(store, bulk)
    try:
        for r in results:
            if r.graph_iri is not None:
                try:
                    writer.write(r.graph_iri, r.nt, r.triples, r.shared)
                except OSError:  # the store itself failed: no article can be written
                    raise
                except Exception as exc:  # this article cannot be written: the batch goes on
                    r.graph_iri, r.problem = None, Problem(r.source, f"cannot be stored: {one_line(exc)}")
            if r.problem is not None:
                summary.problems.append(r.problem)
            if r.graph_iri is not None:
                summary.graphs.append(r.graph_iri)
                summary.articles += 1
                summary.triples += r.triples
                for kind, iris in r.entities.items():
                    summary.resources[kind].update(iris)
            if on_item:
                on_item(r.source)
    finally:
        writer.flush()
    summary.tenures = after_ingest(store, summary.graphs)
    return summary
