"""Post status and disciplinary actions: the measure scheme, the mapping, the shapes and the scorer's view.

Facts are built by hand (the extraction of status and discipline is tested with the extractors).
"""
from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import FOAF, PROV, RDF, SKOS, XSD

from kg.iri import Minter
from kg.mapping import article_graph, split_shared
from kg.namespaces import MEASURE, ORG, SCHEMA, VNKG
from kg.validate import violations
from loaders.article import Article
from loaders.gazetteer import gazetteer
from loaders.lexicon import forms, table
from loaders.records import POST_STATUSES, BodyRef, Discipline, Evidence, Facts, Official, PostHolding
from ontology import MEASURE_SCHEME, measure_keys, ontology_graph

SCORER = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "score.py"
TEXT = ("Ban Thường vụ Huyện ủy Hải Hà quyết định thi hành kỷ luật khai trừ ra khỏi Đảng đối với ông Lê Văn Tám. "
        "Đồng chí Phạm Thị Hoa được bầu giữ chức Bí thư Huyện ủy Hải Hà. "
        "Đồng chí Vũ Văn Bình thôi giữ chức Chủ tịch Ủy ban nhân dân huyện Hải Hà.")


def _places():
    hai_ha = gazetteer().resolve("Hải Hà", level="District")
    return hai_ha, hai_ha.province


def _bodies():
    hai_ha, _ = _places()
    org = BodyRef("PartyOrganization", "dang-bo", "Đảng bộ huyện Hải Hà", hai_ha)
    committee = BodyRef("PartyCommittee", "huyen-uy", "Huyện ủy Hải Hà", hai_ha, org)
    standing = BodyRef("StandingCommittee", "ban-thuong-vu", "Ban Thường vụ Huyện ủy Hải Hà", hai_ha, committee)
    ubnd = BodyRef("StateBody", "ubnd", "Ủy ban nhân dân huyện Hải Hà", hai_ha)
    return org, committee, standing, ubnd


def _ev(phrase: str) -> Evidence:
    start = TEXT.index(phrase)
    end = TEXT.index(".", start) + 1
    return Evidence(TEXT[start:end], start, end)


def article_and_facts():
    hai_ha, qn = _places()
    org, committee, standing, ubnd = _bodies()
    tam, hoa, binh = (Official(n, qn) for n in ("Lê Văn Tám", "Phạm Thị Hoa", "Vũ Văn Bình"))
    facts = Facts(places=[hai_ha, qn], bodies=[org, committee, standing, ubnd], officials=[tam, hoa, binh])
    facts.posts = [PostHolding(hoa, "secretary", committee, _ev("Đồng chí Phạm"), status="starts"),
                   PostHolding(binh, "chair", ubnd, _ev("Đồng chí Vũ"), status="ends"),
                   PostHolding(binh, "member", committee, _ev("Đồng chí Vũ"))]
    facts.disciplines = [Discipline(tam, "khai-tru", _ev("Ban Thường vụ"), standing)]
    article = Article("test_discipline_01", TEXT, title="Kỷ luật và kiện toàn nhân sự",
                      issued=dt.date(2023, 5, 4), source="kyluat.txt")
    return article, facts


@pytest.fixture(scope="module")
def graph():
    article, facts = article_and_facts()
    return article_graph(article, facts, Minter())


# ---------------------------------------------------------------- the measure scheme

def test_the_measure_scheme_follows_the_measure_table_row_for_row():
    g = ontology_graph()
    rows = table("measures")
    assert measure_keys() == {r["key"] for r in rows}
    for r in rows:
        c = MEASURE[r["key"]]
        assert (c, RDF.type, VNKG.DisciplinaryMeasure) in g
        assert (c, SKOS.inScheme, MEASURE_SCHEME) in g and (c, SKOS.topConceptOf, MEASURE_SCHEME) in g
        assert [str(o) for o in g.objects(c, SKOS.prefLabel) if o.language == "vi"] == [r["label"]]
        assert [str(o) for o in g.objects(c, SKOS.prefLabel) if o.language == "en"] == [r["en"]]
        assert int(g.value(c, VNKG.severity)) == int(r["order"])
        # other labels are written forms of the table (which may list more, for extraction)
        assert {str(o) for o in g.objects(c, SKOS.altLabel)} <= set(forms(r["form"])), r["key"]
    assert str(g.value(MEASURE["khai-tru"], SKOS.prefLabel)) in ("khai trừ ra khỏi Đảng", "expulsion from the Party")


def test_the_four_post_statuses_are_the_records_statuses():
    g = ontology_graph()
    assert {str(s)[len(str(VNKG)):] for s in g.subjects(RDF.type, VNKG.PostStatus)} == set(POST_STATUSES)
    for s in POST_STATUSES:
        assert {o.language for o in g.objects(VNKG[s], URIRef("http://www.w3.org/2000/01/rdf-schema#label"))} \
            == {"vi", "en"}


# ---------------------------------------------------------------- the mapping

def test_every_post_holding_has_its_status_holds_by_default(graph):
    status = {str(g_o) for g_o in graph.objects(None, VNKG.postStatus)}
    assert status == {str(VNKG.starts), str(VNKG.ends), str(VNKG.holds)}
    posts = set(graph.subjects(RDF.type, VNKG.PostHolding))
    assert len(posts) == 3 and all(len(list(graph.objects(p, VNKG.postStatus))) == 1 for p in posts)
    member = next(p for p in posts if (p, ORG.role, URIRef("https://w3id.org/vnkg/ontology/role/member")) in graph)
    assert (member, VNKG.postStatus, VNKG.holds) in graph


def test_a_disciplinary_action_is_mapped_with_its_measure_body_date_and_evidence(graph):
    mint = Minter()
    (d,) = graph.subjects(RDF.type, VNKG.DisciplinaryAction)
    assert d == URIRef(mint.base + "discipline/test_discipline_01/le-van-tam/khai-tru")
    tam = graph.value(d, VNKG.disciplined)
    assert tam == URIRef(mint.base + "person/quang-ninh/le-van-tam")
    assert (tam, FOAF.name, Literal("Lê Văn Tám")) in graph
    assert graph.value(d, VNKG.measure) == MEASURE["khai-tru"]
    body = graph.value(d, VNKG.decidedBy)
    assert body == URIRef(mint.base + "org/quang-ninh/hai-ha/ban-thuong-vu")
    assert graph.value(d, VNKG.attestedOn) == Literal("2023-05-04", datatype=XSD.date)
    article = URIRef(mint.base + "article/test_discipline_01")
    assert graph.value(d, PROV.wasDerivedFrom) == article
    assert str(graph.value(d, VNKG.evidence)).startswith("Ban Thường vụ Huyện ủy Hải Hà quyết định")
    assert int(graph.value(d, VNKG.evidenceStart)) == 0 and int(graph.value(d, VNKG.evidenceEnd)) > 0
    assert (article, SCHEMA.mentions, tam) in graph and (article, SCHEMA.mentions, body) in graph


def test_the_article_graph_with_status_and_discipline_conforms(graph):
    assert violations(graph) == []


def test_a_bogus_status_or_measure_breaks_the_shapes():
    article, facts = article_and_facts()
    facts.posts[0] = PostHolding(facts.posts[0].official, "secretary", facts.posts[0].body, facts.posts[0].evidence,
                                 status="maybe")
    facts.disciplines[0] = Discipline(facts.disciplines[0].official, "flogging", facts.disciplines[0].evidence)
    g = article_graph(article, facts, Minter())
    found = {(v.path.rsplit("#", 1)[-1]) for v in violations(g)}
    assert found == {"postStatus", "measure"}


def test_disciplinary_actions_stay_in_the_article_graph_not_the_shared_one(graph):
    own, shared = split_shared(graph, Minter().article("test_discipline_01"))
    (d,) = graph.subjects(RDF.type, VNKG.DisciplinaryAction)
    assert (d, None, None) in own and (d, None, None) not in shared


# ---------------------------------------------------------------- what the scorer reads

@pytest.mark.skipif(not SCORER.is_file(), reason=f"the scorer is not at {SCORER}")
def test_the_scorer_reads_status_and_discipline_off_the_graph(graph):
    spec = importlib.util.spec_from_file_location("vnkg_scorer", SCORER)
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    ds = Dataset(default_union=True)
    ds.graph(URIRef("urn:x-article")).__iadd__(graph)
    ds.graph(URIRef("urn:x-ontology")).__iadd__(ontology_graph())

    class G(scorer.Graph):
        def __init__(self):
            self.endpoint, self.ds = None, ds

    # The scorer's own queries, rows read as it reads them. (Its disciplines query also yields, from
    # the first branch of its UNION, rows where ?measure is unbound; only bound rows are read here.)
    rows = [r for r in G().select(scorer.QUERIES["disciplines"]) if r.get("measure")]
    assert {scorer.fold(r["name"]) for r in rows} == {scorer.fold("Lê Văn Tám")}
    assert scorer.fold("khai trừ ra khỏi Đảng") in {scorer.fold(r["measure"]) for r in rows}
    # Its posts query matches ?status in an OPTIONAL; it is projected here to read it.
    posts_query = scorer.QUERIES["posts"].replace("SELECT ?art ?x ?name ?role ?label WHERE",
                                                  "SELECT ?art ?x ?name ?role ?label ?status WHERE")
    posts: dict[str, set] = {}
    for r in G().select(posts_query):
        posts.setdefault(r["x"], set()).add(scorer.local(r["status"]) if r.get("status") else "holds")
    assert sorted(s for v in posts.values() for s in v) == ["ends", "holds", "starts"]
