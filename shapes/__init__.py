"""The SHACL shapes of the vnkg graph (``shapes/vnkg.ttl``).

Validate an article graph (or a whole store) with::

    import pyshacl
    from ontology import ontology_graph
    from shapes import shapes_graph

    conforms, report, text = pyshacl.validate(
        data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
        inference="none", advanced=True)

The ontology must be mixed in (``ont_graph``): the curated roles, indicators and
comparators live there, and ``sh:class`` follows its ``rdfs:subClassOf`` axioms.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph

#: The Turtle file holding every shape.
SHAPES_FILE: Path = Path(__file__).resolve().parent / "vnkg.ttl"


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The shapes graph, parsed once and cached.

    The same object is returned on every call and shared by all callers: treat it as read-only.
    """
    g = Graph()
    g.parse(SHAPES_FILE, format="turtle")
    return g


__all__ = ["SHAPES_FILE", "shapes_graph"]
