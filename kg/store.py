"""The persistent store: one named graph per article, plus the ontology and reference graphs.

The default store is embedded: pyoxigraph's on-disk ``Store(path)``. Every write
of an article's graph is one SPARQL Update request (``DROP GRAPH`` then
``INSERT DATA``), which pyoxigraph applies in a single transaction: re-ingesting
an article replaces its graph atomically, and a crash mid-write leaves the
previous state intact.

``open_store(location)`` picks the implementation: a directory path gives the
embedded store; an ``http(s)://`` URL gives :class:`kg.remote.RemoteStore`
(any SPARQL 1.1 Update + Graph Store Protocol server).
"""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable, Protocol

import pyoxigraph as ox
from rdflib import Graph

DEFAULT_STORE = "./vnkg-data"


def default_location() -> str:
    return os.environ.get("VNKG_STORE", DEFAULT_STORE)


# Characters written as \uXXXX escapes: control characters and the line and paragraph separators
# (raw, they end a line for str.splitlines and for many readers).
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with every lone surrogate (which no UTF-8 text can hold) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


def _clean_literals(graph: Graph) -> Graph:
    """The graph, with lone surrogates in literals replaced by U+FFFD (a copy only when needed)."""
    from rdflib import Literal

    bad = [t for t in graph if isinstance(t[2], Literal) and _SURROGATE.search(t[2])]
    if not bad:
        return graph
    out = Graph()
    out += graph
    for s, p, o in bad:
        out.remove((s, p, o))
        out.add((s, p, Literal(without_surrogates(str(o)), lang=o.language, datatype=o.datatype)))
    return out


def ntriples(graph: Graph) -> str:
    """N-Triples text of an rdflib graph (sorted: the same graph gives the same text).

    One triple per line whatever the literals hold: control characters and separators are
    escaped (``\\u001D``), lone surrogates become U+FFFD."""
    text = _clean_literals(graph).serialize(format="nt")
    lines = (_UNSAFE.sub(_escape, line) for line in text.split("\n") if line.strip(" \t\r"))
    return "\n".join(sorted(lines)) + "\n"


def _escape(m: re.Match) -> str:
    return f"\\u{ord(m.group()):04X}"


class GraphStore(Protocol):
    """What ingest, export and the server need from a store."""

    location: str

    def replace_graph(self, graph_iri: str, graph: Graph, shared: tuple[str, Graph] | None = None) -> None: ...
    def remove_graph(self, graph_iri: str) -> None: ...
    def graphs(self) -> list[str]: ...
    def query(self, sparql: str, *, union_default_graph: bool = True,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None): ...
    def update(self, sparql: str) -> None: ...
    def dump(self, fmt: ox.RdfFormat, graph_iri: str | None = None) -> bytes: ...
    def close(self) -> None: ...


class LocalStore:
    """An embedded pyoxigraph store on disk (or in memory when ``path`` is None)."""

    def __init__(self, path: str | os.PathLike | None = None, *, read_only: bool = False):
        self.location = str(path) if path is not None else ":memory:"
        if path is None:
            self.ox = ox.Store()
        else:
            Path(path).mkdir(parents=True, exist_ok=True)
            self.ox = ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
        self.read_only = read_only

    # -- writing ---------------------------------------------------------------
    def replace_graph(self, graph_iri: str, graph: Graph, shared: tuple[str, Graph] | None = None) -> None:
        """Replace one named graph with the triples of ``graph`` and, in the same transaction,
        add ``shared`` = (graph IRI, triples) to a graph that accumulates (set semantics)."""
        body = ntriples(graph)
        extra = f"GRAPH <{shared[0]}> {{\n{ntriples(shared[1])}}}" if shared and len(shared[1]) else ""
        self.ox.update(f"DROP SILENT GRAPH <{graph_iri}> ;\n"
                       f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{body}}} {extra} }}")

    def remove_graph(self, graph_iri: str) -> None:
        self.ox.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def update(self, sparql: str) -> None:
        self.ox.update(sparql)

    def bulk_load(self, data: bytes | str, fmt: ox.RdfFormat, graph_iri: str | None = None) -> None:
        """Fast first load (no transaction): for large corpora into graphs that do not exist yet."""
        to = ox.NamedNode(graph_iri) if graph_iri else None
        self.ox.bulk_load(data, fmt, to_graph=to)

    # -- reading ---------------------------------------------------------------
    def graphs(self) -> list[str]:
        return sorted(g.value for g in self.ox.named_graphs())

    def has_graph(self, graph_iri: str) -> bool:
        return self.ox.contains_named_graph(ox.NamedNode(graph_iri))

    def query(self, sparql: str, *, union_default_graph: bool = True,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None):
        kwargs = {}
        if default_graph is not None:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in default_graph] or ox.DefaultGraph()
        elif union_default_graph:
            kwargs["use_default_graph_as_union"] = True
        if named_graphs is not None:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        return self.ox.query(sparql, **kwargs)

    def count(self, graph_iri: str | None = None) -> int:
        g = ox.NamedNode(graph_iri) if graph_iri else None
        if g is None:
            return len(self.ox)
        return sum(1 for _ in self.ox.quads_for_pattern(None, None, None, g))

    def dump(self, fmt: ox.RdfFormat, graph_iri: str | None = None) -> bytes:
        if graph_iri:
            return self.ox.dump(format=fmt, from_graph=ox.NamedNode(graph_iri))
        return self.ox.dump(format=fmt)

    def quads(self, graph_iri: str | None = None) -> Iterable[ox.Quad]:
        g = ox.NamedNode(graph_iri) if graph_iri else None
        return self.ox.quads_for_pattern(None, None, None, g)

    def quads_for(self, subject: str, graph_iri: str) -> Iterable[ox.Quad]:
        """The quads of one subject in one graph."""
        return self.ox.quads_for_pattern(ox.NamedNode(subject), None, None, ox.NamedNode(graph_iri))

    def flush(self) -> None:
        self.ox.flush()

    def close(self) -> None:
        try:
            if not self.read_only:
                self.ox.flush()
        except (OSError, AttributeError):
            pass
        del self.ox


def is_url(location: str) -> bool:
    """Whether ``location`` names a SPARQL store by URL ("virtuoso+http://...", "http://...")."""
    return bool(re.match(r"^(?:[a-z][a-z0-9]*\+)?https?://", location))


def open_store(location: str | None = None, *, read_only: bool = False) -> GraphStore:
    """Open the store at ``location`` (a directory, or an http(s) URL of a SPARQL store)."""
    location = location or default_location()
    if is_url(location):
        from .remote import RemoteStore

        return RemoteStore(location)
    return LocalStore(location, read_only=read_only)
