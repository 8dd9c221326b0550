"""SHACL validation of article graphs and stores (shapes/vnkg.ttl, the ontology mixed in).

What does not conform is held back, never silently, and one bad fact does not cost the article:
:func:`check` validates the whole graph; every node a violation is about is dropped with the
triples that describe it, and the graph is validated again, until it conforms:

* a fact at fault (a post holding, a figure, a disciplinary action) is dropped;
* a shared thing at fault (an official, a body, a place, an indicator, ...) is dropped; a fact
  that refers to it is dropped with it, another thing that refers to it only loses that link,
  and the article no longer mentions it;
* what only dropped nodes referred to (a fallback indicator of a dropped figure) goes too.

Each drop is reported (:class:`Drop`: the node, its kind, the reason). The article is held back
whole only when the Article node itself is at fault (or a violation cannot be tied to a node of
the graph, or dropping does not reach a conforming graph in a few rounds).
:func:`check_many` does the same for many graphs at once, validating them together in one
run (see below) and re-checking alone only those found at fault.

How it is made fast without weakening it
----------------------------------------
The reference is ``pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology,
inference="none", advanced=True)`` (:func:`reference_violations`), about 0.3 s per article graph.
The engine used instead (:mod:`kg.shaclsparql`) compiles the shapes once into SPARQL queries and
runs them with pyoxigraph over the graph and the ontology triples pyshacl would mix in (computed
once, kept in an in-memory store): a few milliseconds per article. Anything the compiler does
not translate, or a graph pyoxigraph cannot hold as written, is validated by the reference.

Batches (:func:`check_many`): K graphs are validated as one union. Each graph's own nodes (every
subject, and every blank node) are renamed apart per graph (``urn:x-vnkg-batch:<k>:<iri>``), so
two articles that describe one official cannot lend each other a missing label or type: the
union is K disjoint copies plus the shared ontology triples, and each copy conforms exactly when
its graph does alone. A graph whose renaming could be observed (it describes a node of the
ontology or of the shapes, or a renamed IRI is the value of a property whose string form a shape
checks with ``sh:pattern``/``sh:minLength``/``sh:maxLength`` or a SPARQL constraint reads) is
validated alone. Graphs with a violation in the union are re-checked alone, so what is reported
and held back is exactly what :func:`check` gives.

Whole stores (:func:`validate_store`) run the same queries on the embedded store itself, over the
union of its graphs: nothing is copied out, so a store of 100,000 articles validates in minutes.

``tests/test_validate_batch.py`` checks that :func:`violations`, :func:`check_many` and
:func:`validate_store` agree with :func:`reference_violations` (same focus nodes, paths,
messages and constraint components) on the shapes tests' broken graphs and on real article
graphs.
"""
from __future__ import annotations

import logging
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from pyshacl import validate as shacl_validate
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from ontology import ontology_graph
from shapes import shapes_graph

from .namespaces import SH, VNKG

#: Facts: read from one article; dropped whole when they, or a thing they refer to, are at fault.
DROPPABLE = {VNKG.PostHolding, VNKG.Target, VNKG.Achievement, VNKG.IndicatorValue, VNKG.DisciplinaryAction}
#: Rounds of dropping and re-validating before an article is held back whole.
MAX_ROUNDS = 5
#: Graphs validated together by :func:`check_many` (one run of the queries each).
BATCH = 32
_RENAMED = "urn:x-vnkg-batch:"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str = "Violation"
    component: str = ""  # the SHACL constraint component, e.g. sh:MinCountConstraintComponent

    def __str__(self) -> str:
        return f"{self.focus} {self.path}: {self.message}"


@dataclass(frozen=True)
class Drop:
    """One node left out of an article's graph, and why."""

    node: str
    kind: str  # the local name of its class: PostHolding, Target, Official, ...
    reason: str

    def __str__(self) -> str:
        return f"dropped {self.kind} {self.node}: {self.reason}"


@dataclass
class Outcome:
    graph: Graph | None  # what may be stored (None: the whole article is held back)
    violations: list[Violation]
    dropped: list[str]  # facts held back (their IRIs, sorted)
    drops: list[Drop] = field(default_factory=list)  # every node left out, with the reason

    @property
    def clean(self) -> bool:
        return not self.violations


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return ontology_graph()


def _report_violations(report: Graph) -> list[Violation]:
    out = []
    for r in report.subjects(RDF.type, SH.ValidationResult):
        sev = report.value(r, SH.resultSeverity)
        if sev is not None and sev != SH.Violation:
            continue
        out.append(Violation(str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath) or ""),
                             str(report.value(r, SH.resultMessage) or "does not conform"),
                             component=str(report.value(r, SH.sourceConstraintComponent) or "")))
    return sorted(set(out), key=_order)


def _order(v: Violation) -> tuple:
    return (v.focus, v.path, v.message, v.component)


def reference_violations(graph: Graph) -> list[Violation]:
    """Every violation as plain ``pyshacl.validate`` finds it, whole ontology mixed in (slow; the yardstick)."""
    conforms, report, _ = shacl_validate(graph, shacl_graph=shapes_graph(), ont_graph=_ontology(),
                                         inference="none", advanced=True, allow_warnings=True)
    return [] if conforms else _report_violations(report)


# ------------------------------------------------------------------------------------ the engine
_DATA = "urn:x-vnkg-shacl:data"
_MIX = "urn:x-vnkg-shacl:ontology"


def _ontology_mix() -> list:
    """The ontology triples pyshacl mixes into a data graph (``ont_graph``), computed once."""
    try:
        from pyshacl.graph_abstraction import DataGraph
        from pyshacl.rdfutil.inoculate import inoculate
    except ImportError:  # another pyshacl layout: the whole ontology (a superset of what it copies)
        return list(_ontology())
    mix = DataGraph.from_rdflib(Graph())
    inoculate(mix, _ontology())
    return list(mix.triples((None, None, None)))


class _Engine:
    """The shapes compiled to SPARQL (:mod:`kg.shaclsparql`) and an in-memory store holding the
    ontology mix; each graph to validate is added beside it, queried, and removed."""

    def __init__(self) -> None:
        import pyoxigraph as ox

        from .shaclsparql import Encoder, class_hierarchy, compile_shapes

        self.compiled = compile_shapes(shapes_graph())
        self.lock = threading.RLock()
        self.store = ox.Store()
        mixed = _ontology_mix()
        enc = Encoder()
        self.store.bulk_extend(enc.quads(mixed, ox.NamedNode(_MIX)))
        self.mix_originals = enc.originals
        self.graphs = [ox.NamedNode(_DATA), ox.NamedNode(_MIX)]
        # The same checks with the ontology's class hierarchy written out (several times faster),
        # for data that adds no rdfs:subClassOf triple of its own.
        hierarchy = class_hierarchy(self.store, default_graph=self.graphs)
        self.subclass_of = ox.NamedNode(str(RDFS.subClassOf))
        self.specialised = compile_shapes(shapes_graph(), hierarchy) if hierarchy is not None else None
        # Nodes that a batch must not rename: everything the ontology mix or the shapes name.
        self.fixed = {n for t in mixed for n in (t[0], t[2]) if not isinstance(n, Literal)} | self.compiled.named
        checked = self.compiled.string_predicates
        self.string_checked = {None} if checked is None else set(checked)

    def violations(self, graph: Graph | list) -> list[Violation]:
        """The violations of a graph (or of a list of triples)."""
        from .shaclsparql import Encoder, Unencodable, to_rdflib

        enc = Encoder()
        try:
            quads = enc.quads(graph, self.graphs[0])
            read = self.compiled.sparql_predicates
            if enc.private_predicates and (read is None or enc.private_predicates & read):
                raise Unencodable("a SPARQL constraint would read a literal that rdflib reads otherwise")
        except Unencodable:  # the reference judges it
            if not isinstance(graph, Graph):
                data = Graph()
                data.addN((s, p, o, data) for s, p, o in graph)
                graph = data
            return reference_violations(graph)
        originals = dict(self.mix_originals)
        originals.update(enc.originals)
        compiled = self.compiled
        if self.specialised is not None and not any(q.predicate == self.subclass_of for q in quads):
            compiled = self.specialised
        with self.lock:
            self.store.bulk_extend(quads)
            try:
                found = compiled.run(self.store, originals=originals, default_graph=self.graphs)
            finally:
                self.store.clear_graph(self.graphs[0])
        return sorted({Violation(str(to_rdflib(f.focus)), f.path, f.message, component=f.component)
                       for f in found}, key=_order)


_engine_lock = threading.Lock()
_engine_instance: _Engine | None = None
_engine_failed = False


def _engine() -> _Engine | None:
    """The per-process engine (None if the shapes cannot be compiled: then the reference is used)."""
    global _engine_instance, _engine_failed
    if _engine_instance is None and not _engine_failed:
        with _engine_lock:
            if _engine_instance is None and not _engine_failed:
                from .shaclsparql import NotCompilable

                try:
                    _engine_instance = _Engine()
                except NotCompilable as exc:  # shapes beyond the compiler: stay correct, be slow
                    log.warning("fast SHACL validation unavailable (%s); using plain pyshacl", exc)
                    _engine_failed = True
    return _engine_instance


def warm_up() -> None:
    """Build the engine now (workers call it once at start)."""
    eng = _engine()
    if eng is not None:
        eng.violations(Graph())


# ------------------------------------------------------------------------------------ the API
def violations(graph: Graph) -> list[Violation]:
    """Every SHACL violation of ``graph`` (empty when it conforms)."""
    eng = _engine()
    if eng is None:
        return reference_violations(graph)
    return eng.violations(graph)


def check(graph: Graph) -> Outcome:
    """Validate one article graph; drop what is at fault (see the module doc) and say what and why."""
    found = violations(graph)
    if not found:
        return Outcome(graph, [], [])
    articles = set(graph.subjects(RDF.type, VNKG.Article))
    kept = Graph()
    for prefix, ns in graph.namespaces():
        kept.bind(prefix, ns)
    kept += graph
    reported = list(found)
    drops: dict[object, Drop] = {}
    for _ in range(MAX_ROUNDS):
        nodes = {str(n): n for n in kept.subjects(unique=True)}
        at_fault: dict[object, str] = {}
        for v in found:
            node = nodes.get(v.focus)
            if node is None or node in articles:
                return Outcome(None, reported, [])
            at_fault.setdefault(node, v.message)
        _drop(kept, at_fault, articles, drops)
        found = violations(kept)
        if not found:
            facts = sorted(d.node for d in drops.values() if d.kind in _FACT_KINDS)
            return Outcome(kept, reported, facts, sorted(drops.values(), key=lambda d: (d.kind, d.node)))
        reported += [v for v in found if v not in reported]
    return Outcome(None, reported, [])


_FACT_KINDS = {str(t).rsplit("#", 1)[-1] for t in DROPPABLE}


def _kind(g: Graph, node) -> str:
    types = sorted(str(t).rsplit("#", 1)[-1].rsplit("/", 1)[-1] for t in g.objects(node, RDF.type))
    facts = [t for t in types if t in _FACT_KINDS and t != "IndicatorValue"]
    return (facts or types or ["node"])[0]


def _is_fact(g: Graph, node) -> bool:
    return any(t in DROPPABLE for t in g.objects(node, RDF.type))


def _reachable(g: Graph, articles: set) -> set:
    """Nodes described in ``g`` reached from its articles and facts along their links."""
    todo = list(articles) + [s for t in DROPPABLE for s in g.subjects(RDF.type, t)]
    seen: set = set()
    while todo:
        n = todo.pop()
        if n in seen:
            continue
        seen.add(n)
        todo.extend(o for o in g.objects(n) if not isinstance(o, Literal) and o not in seen)
    return seen


def _drop(g: Graph, at_fault: dict, articles: set, drops: dict) -> None:
    """Remove the nodes at fault from ``g`` (in place), the facts that refer to them, the links
    other things have to them, and what only they referred to; record each in ``drops``."""
    before = _reachable(g, articles)
    gone: dict = {}
    todo = list(at_fault.items())
    while todo:
        node, reason = todo.pop()
        if node in gone:
            continue
        gone[node] = reason
        for s in set(g.subjects(None, node)):
            if s not in gone and s not in articles and _is_fact(g, s):
                todo.append((s, f"refers to {node}, which was dropped"))
    for node, reason in gone.items():
        drops.setdefault(node, Drop(str(node), _kind(g, node), reason))
    for node in gone:
        g.remove((node, None, None))
        g.remove((None, None, node))  # the article's mention, another thing's link
    after = _reachable(g, articles)
    for node in before - after - set(gone):
        if node in articles or (node, None, None) not in g:
            continue
        drops.setdefault(node, Drop(str(node), _kind(g, node), "only dropped facts referred to it"))
        g.remove((node, None, None))


def _renamed(graph: Graph, k: int, eng: _Engine) -> tuple[list, dict] | None:
    """The triples of ``graph`` with its own nodes renamed apart, and the way back; None: validate alone."""
    prefix = f"{_RENAMED}{k}:"
    names: dict = {}
    for s in graph.subjects(unique=True):
        if s in eng.fixed:
            return None
        names[s] = BNode() if isinstance(s, BNode) else URIRef(prefix + s)
    out = []
    checked = eng.string_checked
    if None in checked:
        return None
    for s, p, o in graph:
        if isinstance(o, BNode) and o not in names:
            names[o] = BNode()
        new_o = names.get(o, o)
        if new_o is not o and p in checked and isinstance(o, URIRef):
            return None
        out.append((names[s], p, new_o))
    return out, {v: k_ for k_, v in names.items()}


def check_many(graphs: Sequence[Graph], *, batch: int = BATCH) -> list[Outcome]:
    """:func:`check` of each graph, validating ``batch`` graphs per run; same results, in order."""
    graphs = list(graphs)
    eng = _engine()
    if eng is None or batch <= 1 or len(graphs) <= 1:
        return [check(g) for g in graphs]
    outcomes: list[Outcome | None] = [None] * len(graphs)
    for start in range(0, len(graphs), batch):
        group = range(start, min(start + batch, len(graphs)))
        union: list = []
        back: dict = {}  # renamed node -> (index, original)
        alone = []
        for i in group:
            r = _renamed(graphs[i], i, eng)
            if r is None:
                alone.append(i)
                continue
            triples, way_back = r
            union += triples
            for new, old in way_back.items():
                back[new] = (i, old)
        faulty: set[int] = set(alone)
        if union:
            found = eng.violations(union)
            by_text = {str(n): v for n, v in back.items()}
            for v in found:
                hit = by_text.get(v.focus)
                if hit is None:  # not a node of one graph: cannot tell whose, re-check them all
                    faulty |= set(group)
                    break
                faulty.add(hit[0])
        for i in group:
            outcomes[i] = check(graphs[i]) if i in faulty else Outcome(graphs[i], [], [])
    return outcomes  # type: ignore[return-value]


def check_all(graphs: Iterable[Graph], *, batch: int = BATCH) -> Iterable[Outcome]:
    """Streaming :func:`check_many`: outcomes in order, ``batch`` graphs held at a time."""
    buf: list[Graph] = []
    for g in graphs:
        buf.append(g)
        if len(buf) >= batch:
            yield from check_many(buf, batch=batch)
            buf = []
    if buf:
        yield from check_many(buf, batch=batch)


@dataclass
class StoreReport:
    graphs: int
    triples: int
    by_graph: dict[str, list[Violation]]  # graph IRI -> its violations (only graphs that fail)


def validate_store(store) -> StoreReport:
    """Validate the whole store against the shapes: the union of its graphs (articles, shared
    descriptions, derived graphs, the gazetteer's reference graph and the ontology) is the data
    graph, as if every graph were one. Each violation is attributed to the graph that describes
    its focus node (an article's graph first, then the shared, derived or reference graphs).

    The compiled queries run on the embedded store itself; another store is first copied into
    memory. If the shapes cannot be compiled, pyshacl validates what :func:`reference_store_data`
    gathers instead."""
    import pyoxigraph as ox

    from .namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from .shaclsparql import class_hierarchy, compile_shapes, to_rdflib

    graphs = [g for g in store.graphs() if g not in (ONTOLOGY_GRAPH, REFERENCE_GRAPH)]
    eng = _engine()
    oxs = getattr(store, "ox", None)
    if oxs is None:  # a remote store: a copy in memory
        oxs = ox.Store()
        oxs.bulk_load(store.dump(ox.RdfFormat.N_QUADS), ox.RdfFormat.N_QUADS)
    if eng is None:
        data = reference_store_data(store)
        found = [(v, ox.NamedNode(v.focus) if isinstance(_node(data, v.focus), URIRef) else ox.BlankNode(v.focus))
                 for v in reference_violations(data)]
        return StoreReport(len(graphs), len(data), _by_graph(oxs, found))
    args = {"use_default_graph_as_union": True}
    hierarchy = class_hierarchy(oxs, **args)
    compiled = compile_shapes(shapes_graph(), hierarchy) if hierarchy is not None else eng.compiled
    processes = min(4, os.cpu_count() or 1)
    location = getattr(store, "location", None) if oxs is getattr(store, "ox", None) else None
    with _snapshot(oxs, location if processes > 1 else None) as snapshot:
        found = {Violation(str(to_rdflib(f.focus)), f.path, f.message, component=f.component): f.focus
                 for f in compiled.run(oxs, processes=processes, location=snapshot, **args)}
    return StoreReport(len(graphs), len(oxs), _by_graph(oxs, sorted(found.items(), key=lambda i: _order(i[0]))))


@contextmanager
def _snapshot(oxs, location: str | None):
    """A checkpoint of the on-disk store at ``location`` (hard links beside it, removed afterwards)
    for check processes to open read-only: a store a process has open for writing may compact
    while they read it. None where there is none to take (an in-memory store, a folder we cannot
    write beside): the checks then run in this process."""
    import shutil
    import tempfile

    if location in (None, ":memory:"):
        yield None
        return
    try:
        folder = Path(tempfile.mkdtemp(prefix=".vnkg-validate-", dir=Path(location).resolve().parent))
    except OSError:
        yield None
        return
    try:
        try:
            oxs.backup(str(folder / "store"))
            taken = str(folder / "store")
        except OSError:
            taken = None
        yield taken
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _node(g: Graph, text: str):
    return URIRef(text) if (URIRef(text), None, None) in g else BNode(text)


def _by_graph(oxs, found: list) -> dict[str, list[Violation]]:
    """Each violation (with its focus node as a pyoxigraph term) under the graph that describes
    the focus node: an article's graph, else the shared, reference or ontology graph."""
    from .namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH

    later = {ENTITIES_GRAPH: 1, REFERENCE_GRAPH: 2, ONTOLOGY_GRAPH: 3}
    owner: dict = {}
    by_graph: dict[str, list[Violation]] = {}
    for v, node in found:
        if node not in owner:
            names = {q.graph_name.value for q in oxs.quads_for_pattern(node, None, None, None)
                     if hasattr(q.graph_name, "value")}
            owner[node] = min(names, key=lambda g: (later.get(g, 0), g)) if names else ENTITIES_GRAPH
        by_graph.setdefault(owner[node], []).append(v)
    return by_graph


def reference_store_data(store) -> Graph:
    """The store as pyshacl validates it (the yardstick of :func:`validate_store`): every graph
    but the ontology (mixed in by pyshacl) in one rdflib graph."""
    from .namespaces import ONTOLOGY_GRAPH

    data = Graph()
    for g in store.graphs():
        if g != ONTOLOGY_GRAPH:
            data.addN((*(_term(x) for x in (q.subject, q.predicate, q.object)), data) for q in store.quads(g))
    return data


def _term(x):
    import pyoxigraph as ox
    from rdflib import BNode, Literal

    if isinstance(x, ox.NamedNode):
        return URIRef(x.value)
    if isinstance(x, ox.BlankNode):
        return BNode(x.value)
    if x.language:
        return Literal(x.value, lang=x.language)
    return Literal(x.value, datatype=URIRef(x.datatype.value))
