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
    return sorted((v.focus, v.path, v.message) for v in vs)


def test_the_engine_mixes_in_only_what_validation_can_reach(valid):
    eng = V._engine()
    assert eng is not None, "the fast path is not available with this pyshacl"
    assert eng.reachable_only
    mixed = eng._with_mix(valid)
    assert len(mixed) - len(valid) < 400 < len(eng.mixed) < 1700


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
