"""OWL reasoning over the ontology and the graphs researchers import (``vnkg validate --reasoner``).

SHACL checks what each article says; the reasoner checks what the axioms imply. Researchers add
their own axioms and ``owl:sameAs`` links with ``vnkg import``; HermiT (run by owlready2 on Java)
then says whether everything together is consistent and which classes can have no member.

What is reasoned over: the ontology as written in the repository (``ontology/*.ttl``, with its
blank-node restrictions intact), every imported graph (a named graph that is neither an article's
nor the ontology, reference or shared-description graph), and the ``rdf:type`` statements the
store makes about the resources those graphs mention: a link between two officials is checked
against what they are. When the whole is inconsistent, each imported graph is tried alone with
the ontology to name the one(s) at fault.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, VNKG


class ReasonerUnavailable(RuntimeError):
    """The reasoner cannot run here (no Java, no owlready2)."""


@dataclass
class Reasoned:
    graphs: list[str]  # the imported graphs reasoned over
    triples: int
    consistent: bool = True
    culprits: list[str] = field(default_factory=list)  # imported graphs inconsistent on their own
    unsatisfiable: list[tuple[str, str]] = field(default_factory=list)  # (IRI, label)
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def lines(self) -> list[str]:
        what = (f"the ontology and {len(self.graphs)} imported graph(s) ({self.triples} triples)"
                if self.graphs else f"the ontology ({self.triples} triples; no imported graph)")
        out = [f"reasoner (HermiT): {what}"]
        if not self.consistent:
            out.append("  inconsistent: no world can make all these statements true at once")
            if self.culprits:
                out += [f"  - <{g}> contradicts the ontology by itself" for g in self.culprits]
            elif self.graphs:
                out.append("  - no imported graph does alone; the contradiction comes from them together")
            out.append("  look for owl:sameAs between things of disjoint classes (a Target and an Achievement, "
                       "an official and a body) or for an individual typed with two disjoint classes")
        for iri, label in self.unsatisfiable:
            out.append(f"  unsatisfiable class <{iri}>{f' ({label})' if label else ''}: "
                       "no individual can belong to it (its superclasses or restrictions exclude each other)")
        if self.ok:
            out.append("  consistent, and every class can have members")
        return out


def _check_available() -> None:
    if shutil.which("java") is None:
        raise ReasonerUnavailable("the reasoner (HermiT) needs Java 17 or later: install a JRE "
                                  "(e.g. apt-get install openjdk-17-jre-headless) and put `java` on PATH")
    try:
        import owlready2  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise ReasonerUnavailable(f"the reasoner needs owlready2 ({exc}); pip install owlready2") from exc


def _run(graph: Graph) -> tuple[bool, list[tuple[str, str]], str]:
    """(consistent, unsatisfiable classes, detail) of ``graph`` by HermiT."""
    import owlready2

    with tempfile.TemporaryDirectory(prefix="vnkg-reason-") as tmp:
        path = Path(tmp) / "all.nt"
        graph.serialize(path, format="nt", encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0,
                                           ignore_unsupported_datatypes=True)
        except owlready2.OwlReadyInconsistentOntologyError:
            return False, [], ""
        except owlready2.OwlReadyJavaError as exc:
            raise ReasonerUnavailable(f"HermiT failed: {' '.join(str(exc).split())[:400]}") from exc
        bad = []
        for c in world.inconsistent_classes():
            iri = getattr(c, "iri", None)
            if not iri or iri == "http://www.w3.org/2002/07/owl#Nothing":
                continue
            labels = [str(x) for x in getattr(c, "label", [])]
            bad.append((iri, labels[0] if labels else ""))
        world.close()
        return True, sorted(bad), ""


def _imported_graphs(store) -> list[str]:
    articles = {r["g"].value for r in store.query(
        f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?a a <{VNKG.Article}> }} }}", union_default_graph=False)}
    fixed = {ONTOLOGY_GRAPH, REFERENCE_GRAPH, ENTITIES_GRAPH}
    return [g for g in store.graphs() if g not in articles and g not in fixed]


def _graph_of(store, iri: str) -> Graph:
    g = Graph()
    g.parse(data=store.dump(_nt(), iri).decode("utf-8"), format="nt")
    return g


def _nt():
    import pyoxigraph as ox

    return ox.RdfFormat.N_TRIPLES


def _types_of(store, graph: Graph) -> Graph:
    """The ``rdf:type`` statements of the store about the IRIs ``graph`` mentions."""
    iris = sorted({str(t) for triple in graph for t in (triple[0], triple[2]) if isinstance(t, URIRef)})
    out = Graph()
    for i in range(0, len(iris), 200):
        values = " ".join(f"<{x}>" for x in iris[i:i + 200])
        for r in store.query(f"SELECT ?x ?c WHERE {{ VALUES ?x {{ {values} }} ?x a ?c }}"):
            out.add((URIRef(r["x"].value), RDF.type, URIRef(r["c"].value)))
    return out


def reason(ontology: Graph, imported: dict[str, Graph], types: Graph | None = None) -> Reasoned:
    """Reason over ``ontology`` + the ``imported`` graphs (+ ``types`` of what they mention)."""
    _check_available()
    whole = Graph()
    whole += ontology
    for g in imported.values():
        whole += g
    if types is not None:
        whole += types
    consistent, unsat, detail = _run(whole)
    result = Reasoned(sorted(imported), len(whole), consistent, [], unsat, detail)
    if not consistent and len(imported) > 0:
        for name, g in sorted(imported.items()):
            alone = Graph()
            alone += ontology
            alone += g
            if types is not None:
                alone += _restricted(types, g)
            ok, _, _ = _run(alone)
            if not ok:
                result.culprits.append(name)
    return result


def _restricted(types: Graph, graph: Graph) -> Graph:
    mentioned = {t for triple in graph for t in (triple[0], triple[2]) if isinstance(t, URIRef)}
    out = Graph()
    for s, p, o in types:
        if s in mentioned:
            out.add((s, p, o))
    return out


def reason_over_store(store) -> Reasoned:
    """Reason over the repository's ontology and the graphs imported into ``store``."""
    from ontology import ontology_graph

    _check_available()
    imported = {iri: _graph_of(store, iri) for iri in _imported_graphs(store)}
    everything = Graph()
    for g in imported.values():
        everything += g
    return reason(ontology_graph(), imported, _types_of(store, everything))


__all__ = ["Reasoned", "ReasonerUnavailable", "reason", "reason_over_store"]
