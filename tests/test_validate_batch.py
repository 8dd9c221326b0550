"""The fast validation of kg.validate finds exactly what plain pyshacl finds, alone and in batches.

The yardstick is :func:`kg.validate.reference_violations` (pyshacl with the whole ontology mixed
in, as the shapes file documents). Every broken graph of the shapes tests, and real article
graphs, must give the same violations through :func:`violations` and the same outcomes through
:func:`check_many` as through :func:`check`, whatever else is in the batch.
"""
from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDF, RDFS

from kg import validate as V

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def _shapes_tests():
    spec = importlib.util.spec_from_file_location("_shapes_spec", HERE / "test_shapes.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod  # dataclasses look their module up
    spec.loader.exec_module(mod)
    return mod


S = _shapes_tests()


@pytest.fixture(scope="module")
def valid() -> Graph:
    return Graph().parse(data=S.VALID, format="turtle", publicID=S.BASE)


@pytest.fixture(scope="module")
def broken_graphs(valid) -> list[Graph]:
    return [S.broken(valid, *case.updates) for case in S.CASES]


@pytest.fixture(scope="module")
def article_graphs() -> list[Graph]:
    from kg.iri import Minter
    from kg.mapping import article_graph
    from loaders.extract import extract
    from loaders.read import ReadError, read_path

    graphs = []
    for folder in (ROOT / "examples" / "articles", ROOT.parent / "shared" / "seeds"):
        if folder.is_dir():
            for a in read_path(folder):
                if not isinstance(a, ReadError):
                    graphs.append(article_graph(a, extract(a), Minter()))
    assert graphs
    return graphs


def _key(vs):
    return sorted((v.focus, v.path, v.message, v.component) for v in vs)


def test_the_shapes_compile_to_sparql_whole():
    """Every shape is run by the fast engine (none is left to pyshacl), and the ontology's own
    nodes (curated indicators, roles, measures) conform."""
    from kg.shaclsparql import compile_shapes
    from shapes import shapes_graph

    compiled = compile_shapes(shapes_graph())
    assert V._engine() is not None
    shapes = {c.shape for c in compiled.checks}
    assert len(compiled.checks) > 80 and len(shapes) > 60
    assert V.violations(Graph()) == [] == V.reference_violations(Graph())


def test_a_valid_graph_conforms(valid):
    assert V.violations(valid) == [] == V.reference_violations(valid)


def test_every_broken_graph_of_the_shapes_tests_gives_the_reference_violations(broken_graphs):
    for case, g in zip(S.CASES, broken_graphs):
        fast, ref = V.violations(g), V.reference_violations(g)
        assert ref, f"reference found nothing for {case.rule}"
        assert _key(fast) == _key(ref), case.rule


def test_real_article_graphs_give_the_reference_violations(article_graphs):
    for g in article_graphs[:6]:
        assert _key(V.violations(g)) == _key(V.reference_violations(g))


def _same(a: V.Outcome, b: V.Outcome) -> bool:
    graphs = (a.graph is None and b.graph is None) or (
        a.graph is not None and b.graph is not None and set(a.graph) == set(b.graph))
    return graphs and _key(a.violations) == _key(b.violations) and a.dropped == b.dropped


def test_check_many_gives_what_check_gives_graph_by_graph(valid, broken_graphs, article_graphs):
    graphs = [valid] + broken_graphs[::3] + article_graphs + broken_graphs[1::3]
    one_by_one = [V.check(g) for g in graphs]
    for batch in (5, 64):
        together = V.check_many(graphs, batch=batch)
        assert len(together) == len(graphs)
        for i, (a, b) in enumerate(zip(together, one_by_one)):
            assert _same(a, b), f"graph {i} (batch {batch})"
    streamed = list(V.check_all(iter(graphs[:12]), batch=5))
    assert len(streamed) == 12 and all(_same(a, b) for a, b in zip(streamed, one_by_one))


def test_two_articles_in_a_batch_cannot_lend_each_other_what_one_lacks(valid):
    official = S.iri(S.OFFICIAL)
    nameless = Graph()
    nameless += valid
    nameless.remove((official, FOAF.name, None))  # foaf:name is required
    untyped_mention = Graph()
    untyped_mention += valid
    stranger = URIRef(S.BASE + "person/stranger")
    untyped_mention.add((S.iri(S.ARTICLE), URIRef("https://schema.org/mentions"), stranger))
    describes_stranger = Graph()
    describes_stranger += valid
    describes_stranger.add((stranger, RDF.type, URIRef("https://w3id.org/vnkg/ontology#Official")))
    describes_stranger.add((stranger, FOAF.name, Literal("Người Lạ")))
    describes_stranger.add((stranger, RDFS.label, Literal("Người Lạ", lang="vi")))
    graphs = [valid, nameless, describes_stranger, untyped_mention]
    out = V.check_many(graphs, batch=8)
    assert [o.clean for o in out] == [True, False, True, False]
    assert _key(out[1].violations) == _key(V.reference_violations(nameless))
    assert _key(out[3].violations) == _key(V.reference_violations(untyped_mention))


def test_a_graph_describing_an_ontology_node_is_validated_alone(valid):
    g = Graph()
    g += valid
    g.add((URIRef("https://w3id.org/vnkg/ontology/indicator/poverty-rate"), RDFS.comment, Literal("x")))
    eng = V._engine()
    assert V._renamed(g, 0, eng) is None
    assert _same(V.check_many([valid, g], batch=2)[1], V.check(g))


def test_fast_validation_is_several_times_faster_than_plain_pyshacl(article_graphs):
    graphs = article_graphs[:6]
    V.violations(graphs[0]), V.reference_violations(graphs[0])  # warm both
    t0 = time.perf_counter()
    for g in graphs:
        V.reference_violations(g)
    t1 = time.perf_counter()
    V.check_many(graphs, batch=len(graphs))
    t2 = time.perf_counter()
    assert (t2 - t1) * 2 < (t1 - t0), f"fast {t2 - t1:.2f}s vs reference {t1 - t0:.2f}s"


# --------------------------------------------------------------- random damage, both engines
_CLASSES = ["Province", "District", "Commune", "Ward", "PartyOrganization", "PartyCommittee", "StateBody",
            "StandingCommittee", "Official", "PostHolding", "Term", "PartyCongress", "Target", "Achievement",
            "IndicatorValue", "PolicyDocument", "Resolution", "EconomicZone", "DisciplinaryAction", "Tenure",
            "ProvincialLevelUnit", "DistrictLevelUnit", "CommuneLevelUnit", "Article"]
_XSD = "http://www.w3.org/2001/XMLSchema#"
_DATATYPES = [None, _XSD + "string", _XSD + "integer", _XSD + "positiveInteger", _XSD + "date", _XSD + "gYear",
              _XSD + "decimal", _XSD + "dateTime", _XSD + "anyURI"]
_LEXICAL = ["", "abc", "05", "5", "-1", "0", "2020", "2020-13-01", "2019-12-17", "1.50", " 7", "2020-2025",
            "2019-12-17T08:00:00", "VND", "%/person/year", "21", "2020\n"]
_LANGS = ["vi", "VI", "en", "fr", "vi-VN", "EN-gb"]


def _damage(graph: Graph, rng) -> Graph:
    """A copy of ``graph`` with one to three random faults of the kinds the shapes look for."""
    from rdflib import BNode

    g = Graph()
    g += graph
    nodes = sorted({s for s in g.subjects()}, key=str)
    for _ in range(rng.randint(1, 3)):
        triples = sorted(g, key=str)
        s, p, o = rng.choice(triples)
        kind = rng.randrange(7)
        if kind == 0:
            g.remove((s, p, o))
        elif kind in (1, 2):  # another value, or this one changed
            dt = rng.choice(_DATATYPES)
            lex = rng.choice(_LEXICAL)
            if rng.random() < 0.25:
                new = Literal(lex or "x", lang=rng.choice(_LANGS))
            elif rng.random() < 0.2:
                new = rng.choice(nodes + [BNode(), URIRef("https://w3id.org/vnkg/ontology/role/secretary")])
            else:
                new = Literal(lex, datatype=URIRef(dt) if dt else None)
            if kind == 2:
                g.remove((s, p, o))
            g.add((s, p, new))
        elif kind == 3:
            g.add((rng.choice(nodes), RDF.type, URIRef("https://w3id.org/vnkg/ontology#" + rng.choice(_CLASSES))))
        elif kind == 4:
            g.remove((s, RDF.type, None))
        elif kind == 5 and isinstance(o, Literal) and o.language:
            g.remove((s, p, o))
            g.add((s, p, Literal(str(o), lang=rng.choice(_LANGS))))
        else:  # a link to another node of the graph
            g.remove((s, p, o))
            g.add((s, p, rng.choice(nodes)))
    return g


@given(seed=st.integers(0, 2**32 - 1))
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_randomly_damaged_graphs_give_the_reference_violations(seed, valid, article_graphs):
    import random

    rng = random.Random(seed)
    base = valid if rng.random() < 0.6 else rng.choice(article_graphs)
    g = _damage(base, rng)
    from pyshacl.errors import ReportableRuntimeError

    try:
        ref = V.reference_violations(g)
    except ReportableRuntimeError:  # pyshacl gives up (a blank node compared by sh:lessThan): a violation here
        assert any(v.component.endswith("LessThanConstraintComponent") for v in V.violations(g))
        return
    assert _key(V.violations(g)) == _key(ref)


# --------------------------------------------------------------- whole stores
def test_a_whole_store_gives_the_reference_violations_each_under_its_graph(tmp_path, valid, broken_graphs):
    """``vnkg validate``: the compiled queries run on the store itself and find what pyshacl finds
    in the union of its graphs, each violation under the graph describing its focus node."""
    from kg.ingest import ensure_reference
    from kg.iri import Minter
    from kg.store import LocalStore

    store = LocalStore(tmp_path / "store")
    ensure_reference(store, Minter())
    picked = {case.rule: g for case, g in zip(S.CASES, broken_graphs)}
    rules = sorted(picked)[::7]
    for i, rule in enumerate(rules):
        store.replace_graph(f"https://w3id.org/vnkg/graph/article/broken-{i}", picked[rule])
    report = V.validate_store(store)
    fast = [v for vs in report.by_graph.values() for v in vs]
    ref = V.reference_violations(V.reference_store_data(store))
    assert fast and _key(fast) == _key(ref)
    assert report.graphs == len(rules) and report.triples == len(store.ox)
    owner = {v: g for g, vs in report.by_graph.items() for v in vs}
    for v in fast:
        assert (URIRef(v.focus), None, None) in picked[rules[int(owner[v].rsplit("-", 1)[1])]]


def test_checks_run_in_processes_find_what_one_process_finds(tmp_path, broken_graphs):
    """pyoxigraph holds the GIL while solutions are read, so ``vnkg validate`` spreads the checks
    over processes, each opening a checkpoint of the store read-only: the violations are the same,
    in the same order."""
    from kg.ingest import ensure_reference
    from kg.iri import Minter
    from kg.shaclsparql import class_hierarchy, compile_shapes
    from kg.store import LocalStore

    store = LocalStore(tmp_path / "store")
    ensure_reference(store, Minter())
    for i, g in enumerate(broken_graphs[::5]):
        store.replace_graph(f"https://w3id.org/vnkg/graph/article/broken-{i}", g)
    args = {"use_default_graph_as_union": True}
    compiled = compile_shapes(V.shapes_graph(), class_hierarchy(store.ox, **args))
    alone = compiled.run(store.ox, **args)
    with V._snapshot(store.ox, store.location) as snapshot:  # what validate_store gives them
        assert snapshot is not None
        spread = compiled.run(store.ox, processes=2, location=snapshot, **args)
    assert alone and spread == alone
