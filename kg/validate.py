"""SHACL validation of article graphs (pyshacl, with the ontology mixed in for class hierarchy).

What does not conform is held back, never silently: :func:`check` first validates the whole
graph; when reified facts (post holdings, figures) are at fault, only those facts are dropped
and the rest is validated again; if it still fails, the whole article is held back.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, RDFS

from ontology import ontology_graph
from shapes import shapes_graph

from .namespaces import SH, VNKG

DROPPABLE = {VNKG.PostHolding, VNKG.Target, VNKG.Achievement, VNKG.IndicatorValue}


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str = "Violation"

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


@dataclass
class Outcome:
    graph: Graph | None  # what may be stored (None: the whole article is held back)
    violations: list[Violation]
    dropped: list[str]  # focus nodes of facts held back

    @property
    def clean(self) -> bool:
        return not self.violations


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return ontology_graph()


def violations(graph: Graph) -> list[Violation]:
    """Every SHACL violation of ``graph`` (empty when it conforms)."""
    conforms, report, _ = shacl_validate(graph, shacl_graph=shapes_graph(), ont_graph=_ontology(),
                                         inference="none", advanced=True, allow_warnings=True)
    if conforms:
        return []
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        sev = report.value(r, SH.resultSeverity)
        if sev is not None and sev != SH.Violation:
            continue
        out.append(Violation(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath) or ""),
                             str(report.value(r, SH.resultMessage) or "does not conform")))
    return sorted(set(out), key=lambda v: (v.focus, v.path, v.message))


def check(graph: Graph) -> Outcome:
    found = violations(graph)
    if not found:
        return Outcome(graph, [], [])
    droppable = {v.focus for v in found
                 if any(t in DROPPABLE for t in graph.objects(URIRef(v.focus), RDF.type))}
    if droppable and droppable == {v.focus for v in found}:
        kept = Graph()
        for prefix, ns in graph.namespaces():
            kept.bind(prefix, ns)
        for t in graph:
            if str(t[0]) not in droppable:
                kept.add(t)
        if not violations(kept):
            return Outcome(kept, found, sorted(droppable))
    return Outcome(None, found, [])
