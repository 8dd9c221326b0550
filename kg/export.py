"""Export of the dataset (or one graph) as Turtle, TriG, N-Quads or JSON-LD.

The same store content always gives the same bytes: quads are sorted before serialisation, and
the prefixes of :mod:`kg.namespaces` are declared. Turtle has no graphs, so the whole dataset
in Turtle is the union of its graphs.
"""
from __future__ import annotations

from typing import IO

import pyoxigraph as ox

from .namespaces import PREFIXES

FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, "text/turtle", "ttl"),
    "trig": (ox.RdfFormat.TRIG, "application/trig", "trig"),
    "nquads": (ox.RdfFormat.N_QUADS, "application/n-quads", "nq"),
    "ntriples": (ox.RdfFormat.N_TRIPLES, "application/n-triples", "nt"),
    "jsonld": (ox.RdfFormat.JSON_LD, "application/ld+json", "jsonld"),
}
TRIPLE_FORMATS = {"turtle", "ntriples"}


def _key(q: ox.Quad) -> tuple:
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def export(store, fmt: str = "trig", graph_iri: str | None = None, out: IO[bytes] | None = None) -> bytes | None:
    """Serialise the store (or one graph). Writes to ``out`` when given, else returns bytes."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    rdf_format = FORMATS[fmt][0]
    quads = sorted(store.quads(graph_iri), key=_key)
    if fmt in TRIPLE_FORMATS or graph_iri:
        seen, items = set(), []
        for q in quads:
            t = ox.Triple(q.subject, q.predicate, q.object)
            if t not in seen:
                seen.add(t)
                items.append(t)
        if fmt not in TRIPLE_FORMATS:  # one graph in a quad format keeps its graph name
            items = quads
    else:
        items = quads
    prefixes = {p: str(ns) for p, ns in PREFIXES.items()}
    kwargs = {"prefixes": prefixes} if rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG) else {}
    data = ox.serialize(items, format=rdf_format, **kwargs)
    if out is not None:
        out.write(data)
        return None
    return data
