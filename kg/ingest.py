"""Ingest: files -> articles -> facts -> RDF -> SHACL -> store, one article at a time.

Each article's graph replaces its named graph in one transaction, so ingesting twice changes
nothing and a failure leaves what was stored before intact. The descriptions of shared things
(officials, bodies, places, terms ...) go, in the same transaction, into one graph for all
articles, so that the union of all graphs states each of them once. Bad input is reported per file and
the batch goes on.
"""
from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator

from functools import lru_cache

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import RDF

from loaders.article import Article
from loaders.extract import extract
import loaders.gazetteer as gazetteer_module
from loaders.gazetteer import gazetteer
from loaders.read import ReadError, read_path

from .iri import Minter
from .mapping import article_graph, reference_graph, split_shared
from .namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH, REFERENCE_GRAPH, VNKG
from .store import GraphStore
from .validate import Drop, Violation, check

# Marks the ontology and reference graphs with a hash of what built them.
FINGERPRINT = URIRef("https://w3id.org/vnkg/graph/fingerprint")
GENID = "https://w3id.org/vnkg/ontology/.well-known/genid/"
ENTITY_KINDS = ("Official", "PostHolding", "PartyOrganization", "PartyCommittee", "StandingCommittee",
                "StandingOffice", "PartyDepartment", "StateBody", "Term", "PartyCongress", "Target",
                "Achievement", "DisciplinaryAction")


@dataclass
class Problem:
    source: str
    message: str
    violations: list[Violation] = field(default_factory=list)
    fatal: bool = True  # False: only some facts were held back
    drops: list[Drop] = field(default_factory=list)  # what was left out of the stored graph, and why

    def __str__(self) -> str:
        lines = [f"{self.source}: {self.message}"]
        lines += [f"    {d}" for d in self.drops[:20]]
        if len(self.drops) > 20:
            lines.append(f"    ... and {len(self.drops) - 20} more dropped")
        lines += [f"    {v}" for v in self.violations[:20]]
        if len(self.violations) > 20:
            lines.append(f"    ... and {len(self.violations) - 20} more")
        return "\n".join(lines)


@dataclass
class Summary:
    articles: int = 0
    triples: int = 0
    # kind -> the IRIs stored with that type (a resource several articles mention counts once)
    resources: defaultdict = field(default_factory=lambda: defaultdict(set))
    problems: list[Problem] = field(default_factory=list)
    graphs: list[str] = field(default_factory=list)  # IRIs of the article graphs written
    tenures: object = None  # kg.tenures.Refreshed: the tenures recomputed after the batch (None: by a server)

    @property
    def entities(self) -> Counter:
        """Distinct resources of each kind in the stored graphs, counted as ``vnkg stats`` does."""
        return Counter({kind: len(iris) for kind, iris in self.resources.items() if iris})

    @property
    def rejected(self) -> int:
        return sum(1 for p in self.problems if p.fatal)


def process(article: Article, mint: Minter, validate: bool = True) -> tuple[Graph | None, Problem | None]:
    """One article to a validated graph (or None) and the problem to report, if any."""
    graph = article_graph(article, extract(article), mint)
    if not validate:
        return graph, None
    outcome = check(graph)
    if outcome.clean:
        return graph, None
    source = article.source or article.id
    if outcome.graph is None:
        return None, Problem(source, "held back: the article's graph does not conform to the shapes",
                             outcome.violations)
    return outcome.graph, partial_problem(source, outcome)


def partial_problem(source: str, outcome) -> Problem:
    """The report of an article stored without what was at fault: each fact (and thing) dropped, and why."""
    return Problem(source, f"{len(outcome.dropped)} fact(s) held back; the rest was stored",
                   outcome.violations, fatal=False, drops=list(getattr(outcome, "drops", [])))


def _fingerprint(*parts: bytes) -> str:
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


def skolemized(graph: Graph) -> Graph:
    """The graph with its blank nodes replaced by IRIs derived from its content, so that the
    same ontology always gives the same triples (and exports stay byte-identical)."""
    canonical = to_canonical_graph(graph)
    out = Graph()
    for s, p, o in canonical:
        out.add(tuple(URIRef(GENID + str(t)) if isinstance(t, BNode) else t for t in (s, p, o)))
    return out


@lru_cache(maxsize=4)
def _reference(base: str) -> Graph:
    gaz = gazetteer()
    return reference_graph(gaz.units(), Minter(base), gaz.successor)


def ensure_reference(store: GraphStore, mint: Minter) -> None:
    """Load the ontology and the gazetteer into their graphs (replaced when they changed)."""
    from ontology import ONTOLOGY_FILES, ontology_graph

    marker = FINGERPRINT
    onto_fp = _fingerprint(*(p.read_bytes() for p in ONTOLOGY_FILES))
    ref_fp = _fingerprint(onto_fp.encode(), mint.base.encode(), Path(gazetteer_module.__file__).read_bytes())
    rows = list(store.query(f"SELECT ?g ?fp WHERE {{ GRAPH ?g {{ ?g <{marker}> ?fp }} }}", union_default_graph=False))
    have = {str(r["g"].value): str(r["fp"].value) for r in rows}
    if have.get(ONTOLOGY_GRAPH) != onto_fp:
        g = skolemized(ontology_graph())
        g.add((URIRef(ONTOLOGY_GRAPH), marker, Literal(onto_fp)))
        store.replace_graph(ONTOLOGY_GRAPH, g)
    if have.get(REFERENCE_GRAPH) != ref_fp:
        # The mark goes in last: a graph cut short by a crash has none and is built again.
        store.replace_graph(REFERENCE_GRAPH, _reference(mint.base))
        store.update(f'INSERT DATA {{ GRAPH <{REFERENCE_GRAPH}> {{ <{REFERENCE_GRAPH}> <{marker}> "{ref_fp}" }} }}')


def ingest(paths: Iterable[str | Path], store: GraphStore, *, mint: Minter | None = None,
           validate: bool = True, on_item: Callable[[str], None] | None = None) -> Summary:
    """Ingest files and folders into ``store``; returns what was done and what was held back."""
    mint = mint or Minter()
    ensure_reference(store, mint)
    summary = Summary()
    for item in _items(paths):
        if isinstance(item, ReadError):
            summary.problems.append(Problem(item.source, item.message))
            if on_item:
                on_item(item.source)
            continue
        source = item.source or item.id
        try:
            graph, problem = process(item, mint, validate)
        except Exception as exc:  # an extractor bug must not stop the batch
            graph, problem = None, Problem(source, f"extraction failed: {exc!r}")
        problem = with_notes(problem, item)
        if graph is not None:
            try:
                own, shared = split_shared(graph, mint.article(item.id), _reference(mint.base))
                store.replace_graph(str(mint.graph(item.id)), own, shared=(ENTITIES_GRAPH, shared))
            except OSError:  # the store itself failed: no article can be written
                raise
            except Exception as exc:  # this article cannot be written: the batch goes on
                graph, problem = None, Problem(source, f"cannot be stored: {' '.join(str(exc).split())[:300]}")
        if problem:
            summary.problems.append(problem)
        if graph is not None:
            summary.graphs.append(str(mint.graph(item.id)))
            summary.articles += 1
            summary.triples += len(graph)
            for kind in ENTITY_KINDS:
                summary.resources[kind].update(str(s) for s in graph.subjects(RDF.type, VNKG[kind]))
        if on_item:
            on_item(item.source or item.id)
    summary.tenures = after_ingest(store, summary.graphs)
    return summary


def after_ingest(store: GraphStore, graphs: list[str]):
    """What follows a batch of article graphs written to ``store``: the graphs derived from all
    articles are brought up to date here, once per batch.

    Every writer ends a batch with this one call: ``vnkg ingest`` into its own store (sequential
    or parallel), and ``vnkg serve`` when an ingest has handed it graphs (the store of a running
    server is written by the server alone, see :mod:`kg.served`). A store that belongs to a
    server has ``after_ingest`` of its own, which asks the server to run this function on its
    store."""
    forward = getattr(store, "after_ingest", None)
    if forward is not None:
        forward(graphs)
        return
    # Derived graphs are recomputed below, from ``store`` and the ``graphs`` just written.
    from .tenures import after_ingest as tenures_after_ingest

    return tenures_after_ingest(store, graphs)  # the tenures of the posts the batch touched


def with_notes(problem: Problem | None, article: Article) -> Problem | None:
    """The article's reading notes (e.g. characters replaced) added to its problem, or as one."""
    notes = getattr(article, "notes", None)
    if not notes:
        return problem
    text = "; ".join(notes)
    if problem is None:
        return Problem(article.source or article.id, text, fatal=False)
    problem.message = f"{problem.message}; {text}"
    return problem


def _items(paths: Iterable[str | Path]) -> Iterator[Article | ReadError]:
    for p in paths:
        yield from read_path(p)
