"""One bad fact does not cost the article: what is at fault is dropped and reported, the rest stored."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

import kg.ingest as ingest_module
from kg.ingest import ingest
from kg.iri import Minter
from kg.mapping import article_graph
from kg.namespaces import SCHEMA, VNKG
from kg.store import LocalStore
from kg.validate import check
from loaders.article import Article
from loaders.gazetteer import gazetteer
from loaders.records import BodyRef, Evidence, Facts, Figure, Official, PostHolding

TEXT = "Bí thư Huyện ủy Hải Hà Trần Văn Năm cho biết thu ngân sách đạt 312,5 tỷ đồng."
BASE = Minter().base


def facts(indicator: str = "not-an-indicator", name: str = "Trần Văn Năm") -> Facts:
    hai_ha = gazetteer().resolve("Hải Hà", level="District")
    body = BodyRef("PartyCommittee", "huyen-uy", "Huyện ủy Hải Hà", hai_ha)
    who = Official(name, hai_ha.province)
    ev = Evidence(TEXT, 0, len(TEXT))
    post = PostHolding(who, "secretary", body, ev)
    start = TEXT.index("312,5")
    figure = Figure("Achievement", Decimal("312500000000"), "VND", "thu ngân sách", ev, start, start + 14,
                    indicator=indicator, year=2022, subject=hai_ha)
    return Facts(places=[hai_ha, hai_ha.province], bodies=[body], officials=[who], posts=[post], figures=[figure])


def article() -> Article:
    return Article("drop_test_01", TEXT, title="Hải Hà", issued=dt.date(2023, 3, 6), source="hai-ha.txt")


POST = URIRef(BASE + "post/drop_test_01/tran-van-nam/secretary/quang-ninh.hai-ha.huyen-uy")


def test_a_figure_with_a_bogus_indicator_is_dropped_and_the_post_kept():
    g = article_graph(article(), facts())
    figure = next(iter(g.subjects(RDF.type, VNKG.Achievement)))
    out = check(g)
    assert out.graph is not None and not out.clean
    assert out.dropped == [str(figure)]
    assert (POST, RDF.type, VNKG.PostHolding) in out.graph
    assert (figure, None, None) not in out.graph and (None, None, figure) not in out.graph
    (drop,) = out.drops
    assert drop.node == str(figure) and drop.kind == "Achievement" and "indicator" in drop.reason
    assert check(out.graph).clean


def test_a_thing_at_fault_takes_the_facts_that_refer_to_it_and_nothing_else():
    """An official with an empty name: the official goes, the post about them goes, the figure stays."""
    g = article_graph(article(), facts(indicator="budget-revenue", name="Trần Văn Năm"))
    official = URIRef(BASE + "person/quang-ninh/tran-van-nam")
    g.set((official, FOAF.name, Literal("")))
    out = check(g)
    assert out.graph is not None
    assert (official, None, None) not in out.graph and (None, None, official) not in out.graph
    assert (POST, None, None) not in out.graph
    assert len(list(out.graph.subjects(RDF.type, VNKG.Achievement))) == 1
    kinds = {d.kind: d for d in out.drops}
    assert set(kinds) == {"Official", "PostHolding"}
    assert "foaf:name" in kinds["Official"].reason or "name" in kinds["Official"].reason
    assert "dropped" in kinds["PostHolding"].reason and str(official) in kinds["PostHolding"].reason
    article_node = URIRef(BASE + "article/drop_test_01")
    assert (article_node, SCHEMA.mentions, URIRef(BASE + "org/quang-ninh/hai-ha/huyen-uy")) in out.graph


def test_an_article_node_at_fault_holds_the_whole_article_back():
    g = article_graph(article(), facts())
    g.add((URIRef(BASE + "article/drop_test_01"), DCTERMS.identifier, Literal("second-id")))
    out = check(g)
    assert out.graph is None and out.dropped == []


def test_ingest_stores_the_post_and_reports_the_figure(tmp_path: Path, monkeypatch):
    (tmp_path / "hai-ha.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.setattr(ingest_module, "extract", lambda a: facts())
    store = LocalStore(tmp_path / "s")
    summary = ingest([tmp_path / "hai-ha.txt"], store)
    assert summary.articles == 1 and summary.rejected == 0
    (problem,) = summary.problems
    assert not problem.fatal
    text = str(problem)
    assert "hai-ha.txt" in text and "1 fact(s) held back" in text
    assert "dropped Achievement" in text and "/figure/" in text and "indicator" in text
    rows = list(store.query("SELECT ?p WHERE { ?p a <https://w3id.org/vnkg/ontology#PostHolding> }"))
    assert len(rows) == 1
    assert not list(store.query("SELECT ?f WHERE { ?f a <https://w3id.org/vnkg/ontology#Achievement> }"))
