"""SHACL validation of article graphs (pyshacl, with the ontology mixed in for class hierarchy).

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
pyshacl run (see below) and re-checking alone only those found at fault.

How it is made fast without weakening it
----------------------------------------
The reference is ``pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ontology,
inference="none", advanced=True)`` (:func:`reference_violations`). It costs about 0.35 s per
article graph, mostly spent outside the rules themselves:

* **Mixing in the ontology.** pyshacl copies ("inoculates") about 1,650 triples of the ontology
  into a clone of every data graph. Here what it would copy is computed once; it is then cut
  down to what validation can observe: the triples whose predicate some shape reads (a
  ``sh:path``, ``rdf:type``, ``rdfs:subClassOf``, or a predicate named in a SPARQL
  constraint), and of those only the ones reachable from a node of the data graph (for each
  data graph: nodes of the graph, then the objects of the triples added, to a fixed point).
  Shapes only walk forward from focus nodes (no inverse paths, no ``sh:closed``: checked when the
  engine starts, and the full mix is used if the shapes ever need it), so the unreachable
  ontology triples cannot change a result. The ontology's own focus nodes (e.g. the curated
  indicators, targeted by the indicator shape) are validated once when the engine starts; they
  must conform (else the full mix is used on every call).
* **Re-reading the shapes.** The shapes are harvested once per process, not per call.
* **Re-parsing SPARQL.** pyshacl parses the text of a SPARQL constraint for every focus node
  (about 50 ms each); here each text is prepared once.

Batches (:func:`check_many`): K graphs are validated as one union. Each graph's own nodes (every
subject, and every blank node) are renamed apart per graph (``urn:x-vnkg-batch:<k>:<iri>``), so
two articles that describe one official cannot lend each other a missing label or type: the
union is K disjoint copies plus the shared ontology triples, and each copy conforms exactly when
its graph does alone. A graph whose renaming could be observed (it describes a node of the
ontology or of the shapes, or a renamed IRI is the value of a property whose string form a shape
checks with ``sh:pattern``/``sh:minLength``/``sh:maxLength``) is validated alone. Graphs with a
violation in the union are re-checked alone, so what is reported and held back is exactly what
:func:`check` gives.

``tests/test_validate_batch.py`` checks that :func:`violations` and :func:`check_many` agree
with :func:`reference_violations` on the shapes tests' broken graphs and on real article graphs.
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass, field
from functools import lru_cache
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
#: Graphs validated together by :func:`check_many` (one pyshacl run each).
BATCH = 32
_RENAMED = "urn:x-vnkg-batch:"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    severity: str = "Violation"

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
                             str(report.value(r, SH.resultMessage) or "does not conform")))
    return sorted(set(out), key=lambda v: (v.focus, v.path, v.message))


def reference_violations(graph: Graph) -> list[Violation]:
    """Every violation as plain ``pyshacl.validate`` finds it, whole ontology mixed in (slow; the yardstick)."""
    conforms, report, _ = shacl_validate(graph, shacl_graph=shapes_graph(), ont_graph=_ontology(),
                                         inference="none", advanced=True, allow_warnings=True)
    return [] if conforms else _report_violations(report)


# ------------------------------------------------------------------------------------ the engine
_PATH_LINKS = {SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath, SH.zeroOrOnePath, RDF.first, RDF.rest}
_STRING_CHECKS = (SH.pattern, SH.minLength, SH.maxLength)
_PREFIXED = re.compile(r"(?<![\w<?$])([A-Za-z][\w-]*)?:([A-Za-z_][\w-]*)")
_FULL_IRI = re.compile(r"<([^<>\s]+)>")
_VAR_PREDICATE = re.compile(r"[?$]\w+\s+[?$]\w+\s+")


class _Engine:
    """The shapes, harvested once, and the cut-down ontology mix (see the module doc)."""

    def __init__(self) -> None:
        from pyshacl.graph_abstraction import DataGraph
        from pyshacl.rdfutil.inoculate import inoculate
        from pyshacl.validator import assign_baked_in

        assign_baked_in()
        self.lock = threading.RLock()
        self.shapes = Graph()
        self.shapes += shapes_graph()  # pyshacl adds its system triples to the graph it is given
        for prefix, ns in shapes_graph().namespaces():
            self.shapes.bind(prefix, ns, override=True)
        self.sg = None
        mix = DataGraph.from_rdflib(Graph())
        inoculate(mix, _ontology())
        mixed = list(mix.triples((None, None, None)))
        observed = self._observed_predicates()
        self.reachable_only = observed is not None
        if observed is not None:
            observed |= {RDF.type, RDFS.subClassOf}
            mixed = [t for t in mixed if t[1] in observed]
        self.mixed = mixed
        self.index: dict = {}
        for t in mixed:
            self.index.setdefault(t[0], []).append(t)
        # Nodes that a batch must not rename: everything the ontology mix or the shapes name.
        self.fixed = {n for t in mixed for n in (t[0], t[2]) if not isinstance(n, Literal)}
        self.fixed |= {n for t in self.shapes for n in t if isinstance(n, URIRef)}
        self.string_checked = self._string_checked_predicates()
        if self.reachable_only and self._run(self._with_mix(Graph(), everything=True)):
            log.warning("the ontology's own nodes do not conform to the shapes: mixing in the whole ontology")
            self.reachable_only = False

    # -- what the shapes can observe
    def _path_predicates(self, path, out: set) -> bool:
        g = self.shapes
        if isinstance(path, URIRef):
            out.add(path)
            return True
        if (path, SH.inversePath, None) in g:
            return False
        ok = True
        for p, o in g.predicate_objects(path):
            if p in _PATH_LINKS:
                ok = self._path_predicates(o, out) and ok
            elif p != RDF.type:
                return False
        return ok

    def _observed_predicates(self) -> set | None:
        """Every predicate a shape may read, or None when that cannot be told (then mix everything)."""
        g = self.shapes
        if any((None, p, None) in g for p in (SH.closed, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target,
                                              SH.inversePath, SH.js, SH.rule)):
            return None
        out: set = set()
        for path in g.objects(None, SH.path):
            if not self._path_predicates(path, out):
                return None
        prefixes = {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace)) for d in g.objects(None, SH.declare)}
        for text in list(g.objects(None, SH.select)) + list(g.objects(None, SH.ask)):
            text = str(text)
            body = re.sub(r"#[^\n]*", "", text)
            if _VAR_PREDICATE.search(body[body.find("{"):]):  # a variable predicate: may read anything
                return None
            out |= {URIRef(iri) for iri in _FULL_IRI.findall(text)}
            for prefix, local in _PREFIXED.findall(text):
                if prefix in prefixes:
                    out.add(URIRef(prefixes[prefix] + local))
                elif prefix != "_":
                    return None
        return out

    def _string_checked_predicates(self) -> set:
        g = self.shapes
        out: set = set()
        for check in _STRING_CHECKS:
            for shape in g.subjects(check, None):
                path = g.value(shape, SH.path)
                if path is None:
                    return {None}  # a node-level string check: renaming could show; batches are off
                if not self._path_predicates(path, out):
                    return {None}
        # SPARQL constraints may read any string of what they select: count their predicates in.
        for shape in g.subjects(SH.sparql, None):
            path = g.value(shape, SH.path)
            if path is not None:
                self._path_predicates(path, out)
        for text in list(g.objects(None, SH.select)) + list(g.objects(None, SH.ask)):
            prefixes = {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace)) for d in g.objects(None, SH.declare)}
            out |= {URIRef(iri) for iri in _FULL_IRI.findall(str(text))}
            out |= {URIRef(prefixes[p] + loc) for p, loc in _PREFIXED.findall(str(text)) if p in prefixes}
        return out

    # -- running pyshacl
    def _with_mix(self, graph: Graph, everything: bool = False) -> Graph:
        """A new graph: ``graph`` plus the ontology triples validation can reach from it."""
        data = Graph()
        add = data.addN
        add((s, p, o, data) for s, p, o in graph)
        if everything or not self.reachable_only:
            add((s, p, o, data) for s, p, o in self.mixed)
            return data
        index = self.index
        seen = set()
        todo = [n for n in set(graph.subjects()) | set(graph.objects()) if n in index]
        while todo:
            n = todo.pop()
            if n in seen:
                continue
            seen.add(n)
            triples = index[n]
            add((s, p, o, data) for s, p, o in triples)
            todo.extend(o for _, _, o in triples if o in index and o not in seen)
        return data

    def _run(self, data: Graph) -> list[Violation]:
        from pyshacl.shapes_graph import ShapesGraph
        from pyshacl.validator import Validator

        options = {"inference": "none", "advanced": True, "allow_warnings": True, "inplace": True,
                   "abort_on_first": False, "allow_infos": False, "iterate_rules": False}
        with self.lock:
            validator = Validator(_data_graph(data), shacl_graph=self.shapes, options=options)
            if self.sg is None:
                self.sg = validator.shacl_graph
            else:
                validator.shacl_graph = self.sg  # shapes harvested once
            conforms, report, _ = validator.run()
        return [] if conforms else _report_violations(report)

    def violations(self, graph: Graph) -> list[Violation]:
        return self._run(self._with_mix(graph))


@lru_cache(maxsize=256)
def _prepared(text: str):
    from rdflib.plugins.sparql import prepareQuery

    return prepareQuery(text)


@lru_cache(maxsize=1)
def _data_graph_class():
    from pyshacl.graph_abstraction import RdfLibDataGraph

    class PreparedQueries(RdfLibDataGraph):
        """pyshacl's rdflib data graph, with each SPARQL text parsed once (not once per focus node)."""

        def query(self, query_object, *args, **kwargs):
            if isinstance(query_object, str):
                try:
                    query_object = _prepared(query_object)
                except Exception:  # let rdflib report it the usual way
                    pass
            return super().query(query_object, *args, **kwargs)

    return PreparedQueries


def _data_graph(g: Graph):
    return _data_graph_class().from_rdflib(g)


_engine_lock = threading.Lock()
_engine_instance: _Engine | None = None
_engine_failed = False


def _engine() -> _Engine | None:
    """The per-process engine (None if this pyshacl cannot run it: then the reference path is used)."""
    global _engine_instance, _engine_failed
    if _engine_instance is None and not _engine_failed:
        with _engine_lock:
            if _engine_instance is None and not _engine_failed:
                try:
                    _engine_instance = _Engine()
                except Exception as exc:  # an incompatible pyshacl: stay correct, be slow
                    log.warning("fast SHACL validation unavailable (%r); using plain pyshacl", exc)
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
    """:func:`check` of each graph, validating ``batch`` graphs per pyshacl run; same results, in order."""
    graphs = list(graphs)
    eng = _engine()
    if eng is None or batch <= 1 or len(graphs) <= 1:
        return [check(g) for g in graphs]
    outcomes: list[Outcome | None] = [None] * len(graphs)
    for start in range(0, len(graphs), batch):
        group = range(start, min(start + batch, len(graphs)))
        union = Graph()
        back: dict = {}  # renamed node -> (index, original)
        alone = []
        for i in group:
            r = _renamed(graphs[i], i, eng)
            if r is None:
                alone.append(i)
                continue
            triples, way_back = r
            union.addN((s, p, o, union) for s, p, o in triples)
            for new, old in way_back.items():
                back[new] = (i, old)
        faulty: set[int] = set(alone)
        if len(union):
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
    """Validate every article graph together with the shared descriptions, in one SHACL run,
    and attribute each violation to the graph holding its focus node."""
    from .namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH

    skip = {ONTOLOGY_GRAPH, REFERENCE_GRAPH}
    data, owner = Graph(), {}
    graphs = [g for g in store.graphs() if g not in skip]
    for g in graphs:
        for q in store.quads(g):
            t = tuple(_term(x) for x in (q.subject, q.predicate, q.object))
            data.add(t)
            if g != ENTITIES_GRAPH:
                owner.setdefault(str(t[0]), g)
    # the places the articles point to are described once, in the reference graph
    import pyoxigraph as ox

    wanted = {o for o in data.objects() if isinstance(o, URIRef)}
    seen: set = set()
    while wanted:
        node = wanted.pop()
        seen.add(node)
        for q in store.quads_for(str(node), REFERENCE_GRAPH):
            t = tuple(_term(x) for x in (q.subject, q.predicate, q.object))
            data.add(t)
            if isinstance(t[2], URIRef) and t[2] not in seen and t[1] != RDF.type:
                wanted.add(t[2])
    by_graph: dict[str, list[Violation]] = {}
    for v in violations(data):
        by_graph.setdefault(owner.get(v.focus, ENTITIES_GRAPH), []).append(v)
    return StoreReport(len(graphs), len(data), by_graph)


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
