"""Pages of officials, bodies and articles show post status and disciplinary records, escaped.

The store is built the way ingest builds it (mapping, split into the article's graph and the
shared one, ontology graph), from facts written by hand; strings from articles carry markup.
"""
from __future__ import annotations

import datetime as dt

import pytest
from fastapi.testclient import TestClient

from kg.ingest import skolemized
from kg.iri import Minter
from kg.mapping import article_graph, split_shared
from kg.namespaces import ENTITIES_GRAPH, ONTOLOGY_GRAPH
from kg.store import LocalStore
from loaders.article import Article
from loaders.gazetteer import gazetteer
from loaders.records import BodyRef, Discipline, Evidence, Facts, Official, PostHolding
from ontology import ontology_graph
from server.app import create_app
from server.settings import Settings

HOSTILE = "<script>alert(1)</script>"
TEXT = (f"Ban Thường vụ Huyện ủy Hải Hà quyết định khai trừ ra khỏi Đảng đối với ông Lê Văn Tám {HOSTILE}. "
        "Đồng chí Phạm Thị Hoa được bầu giữ chức Bí thư Huyện ủy Hải Hà. "
        "Đồng chí Vũ Văn Bình thôi giữ chức Chủ tịch Ủy ban nhân dân huyện Hải Hà, nguyên Bí thư Huyện ủy.")


def _ev(phrase: str) -> Evidence:
    start = TEXT.index(phrase)
    end = TEXT.index(". ", start) + 1 if ". " in TEXT[start:] else len(TEXT)
    return Evidence(TEXT[start:end], start, end)


@pytest.fixture(scope="module")
def client():
    hai_ha = gazetteer().resolve("Hải Hà", level="District")
    qn = hai_ha.province
    org = BodyRef("PartyOrganization", "dang-bo", "Đảng bộ huyện Hải Hà", hai_ha)
    committee = BodyRef("PartyCommittee", "huyen-uy", "Huyện ủy Hải Hà", hai_ha, org)
    standing = BodyRef("StandingCommittee", "ban-thuong-vu", "Ban Thường vụ Huyện ủy Hải Hà", hai_ha, committee)
    ubnd = BodyRef("StateBody", "ubnd", "Ủy ban nhân dân huyện Hải Hà", hai_ha)
    tam, hoa, binh = Official("Lê Văn Tám", qn), Official("Phạm Thị Hoa", qn), Official("Vũ Văn Bình", qn)
    facts = Facts(places=[hai_ha, qn], bodies=[org, committee, standing, ubnd], officials=[tam, hoa, binh])
    facts.posts = [PostHolding(hoa, "secretary", committee, _ev("Đồng chí Phạm"), status="starts"),
                   PostHolding(binh, "chair", ubnd, _ev("Đồng chí Vũ"), status="ends"),
                   PostHolding(binh, "secretary", committee, _ev("Đồng chí Vũ"), status="former")]
    facts.disciplines = [Discipline(tam, "khai-tru", _ev("Ban Thường vụ"), standing)]
    article = Article("test_status_pages_01", TEXT, title=f"Kiện toàn nhân sự {HOSTILE}", issued=dt.date(2020, 7, 16))
    mint = Minter()
    graph = article_graph(article, facts, mint)
    own, shared = split_shared(graph, mint.article(article.id))
    store = LocalStore(None)
    store.replace_graph(ONTOLOGY_GRAPH, skolemized(ontology_graph()))
    store.replace_graph(str(mint.graph(article.id)), own, shared=(ENTITIES_GRAPH, shared))
    with TestClient(create_app(store, Settings(workers=2))) as c:
        yield c


def no_raw_hostile(html: str) -> None:
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_an_official_page_shows_the_status_of_each_post_reading(client):
    html = client.get("/page/person/quang-ninh/pham-thi-hoa").text
    assert "Posts over time" in html and "Bí thư" in html and "Huyện ủy Hải Hà" in html
    assert "starts (elected, appointed)" in html and "2020-07-16" in html
    binh = client.get("/page/person/quang-ninh/vu-van-binh").text
    assert "ends (relieved, dismissed, left)" in binh and "former (held before)" in binh
    assert "No disciplinary measure recorded." in binh


def test_an_official_page_shows_the_disciplinary_record_escaped(client):
    html = client.get("/page/person/quang-ninh/le-van-tam").text
    assert "Disciplinary record" in html
    assert "khai trừ ra khỏi Đảng" in html and "expulsion from the Party" in html
    assert "Ban Thường vụ Huyện ủy Hải Hà" in html
    assert '<mark class="hl-who">Lê Văn Tám</mark>' in html
    no_raw_hostile(html)


def test_a_body_page_shows_who_started_who_left_and_the_disciplines_it_decided(client):
    committee = client.get("/page/org/quang-ninh/hai-ha/huyen-uy").text
    assert "Who started and who left" in committee
    started = committee[committee.index("Started (elected, appointed)"):committee.index("<h3>Members</h3>")]
    assert "Phạm Thị Hoa" in started and "Vũ Văn Bình" not in started
    ubnd = client.get("/page/org/quang-ninh/hai-ha/ubnd").text
    left = ubnd[ubnd.index("Left (relieved, dismissed, resigned, moved)"):ubnd.index("<h3>Members</h3>")]
    assert "Vũ Văn Bình" in left
    standing = client.get("/page/org/quang-ninh/hai-ha/ban-thuong-vu").text
    assert "Disciplinary measures decided" in standing and "Lê Văn Tám" in standing
    assert "khai trừ ra khỏi Đảng" in standing
    no_raw_hostile(standing)


def test_the_article_and_the_action_have_pages(client):
    art = client.get("/page/article/test_status_pages_01").text
    assert "Disciplinary measures read from this article" in art and "khai trừ ra khỏi Đảng" in art
    no_raw_hostile(art)
    action = client.get("/page/discipline/test_status_pages_01/le-van-tam/khai-tru")
    assert action.status_code == 200
    assert "The reading" in action.text and "Lê Văn Tám: khai trừ ra khỏi Đảng (2020-07-16)" in action.text
    no_raw_hostile(action.text)


def test_the_example_queries_on_status_and_discipline_answer(client):
    from server.app import load_examples

    examples = {e["name"]: e for e in load_examples()}
    status = next(e for n, e in examples.items() if "status" in n)
    r = client.get("/query", params={"query": status["query"]})
    assert r.status_code == 200 and "Phạm Thị Hoa" in r.text and "former" in r.text
    discipline = next(e for n, e in examples.items() if "disciplin" in n)
    r = client.get("/query", params={"query": discipline["query"]})
    assert r.status_code == 200 and "Lê Văn Tám" in r.text and "Ban Thường vụ Huyện ủy Hải Hà" in r.text
    assert "khai trừ ra khỏi Đảng" in r.text
