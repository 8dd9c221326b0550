"""Linked data (303s, /data formats), resource pages of each kind, escaping, search, query page, dumps, VoID."""
from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.store import LocalStore
from server.app import create_app
from server.highlight import highlight
from server.search import fold
from server.settings import Settings

FIXTURE = Path(__file__).parent / "data" / "server" / "fixture.trig"
ID = "https://w3id.org/vnkg/id/"
VNKG = "https://w3id.org/vnkg/ontology#"
VOID = "http://rdfs.org/ns/void#"
HOSTILE = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def client():
    store = LocalStore(None)
    store.ox.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    with TestClient(create_app(store, Settings(workers=2))) as c:
        yield c


def no_raw_hostile(html: str):
    assert HOSTILE not in html
    assert "<img src=x" not in html


# -- dereferencing ------------------------------------------------------------------------------

def test_id_303_by_accept(client):
    r = client.get("/id/place/quang-ninh/hai-ha", headers={"accept": "text/html"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/page/place/quang-ninh/hai-ha"
    assert "accept" in r.headers["vary"].lower()
    r = client.get("/id/place/quang-ninh/hai-ha", headers={"accept": "text/turtle"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/data/place/quang-ninh/hai-ha.ttl"
    r = client.get("/id/place/quang-ninh/hai-ha", headers={"accept": "application/ld+json"}, follow_redirects=False)
    assert r.headers["location"] == "/data/place/quang-ninh/hai-ha.jsonld"
    r = client.get("/id/place/quang-ninh/hai-ha", headers={"accept": "*/*"}, follow_redirects=False)
    assert r.headers["location"] == "/page/place/quang-ninh/hai-ha"
    assert client.get("/id/place/nowhere", follow_redirects=False).status_code == 404
    r = client.head("/id/place/quang-ninh/hai-ha", headers={"accept": "text/turtle"}, follow_redirects=False)
    assert r.status_code == 303 and r.content == b""


def test_other_base_iri_maps_onto_id_paths():
    store = LocalStore(None)
    store.ox.add(ox.Quad(ox.NamedNode("http://example.org/kg/place/x"), ox.NamedNode(str(RDFS.label)),
                         ox.Literal("xã Thử", language="vi"), ox.NamedNode("http://example.org/kg/graph/a")))
    with TestClient(create_app(store, Settings(base_iri="http://example.org/kg"))) as c:
        r = c.get("/id/place/x", headers={"accept": "text/html"}, follow_redirects=False)
        assert r.headers["location"] == "/page/place/x"
        assert "xã Thử" in c.get("/page/place/x").text
        assert c.get("/search", params={"q": "xa thu", "format": "json"}).json()["results"][0]["page"] == "/page/place/x"


@pytest.mark.parametrize("url,accept,fmt", [
    ("/data/place/quang-ninh/hai-ha.ttl", None, "turtle"),
    ("/data/place/quang-ninh/hai-ha.nt", None, "nt"),
    ("/data/place/quang-ninh/hai-ha.jsonld", None, "json-ld"),
    ("/data/place/quang-ninh/hai-ha", "application/n-triples", "nt"),
    ("/data/place/quang-ninh/hai-ha?format=jsonld", None, "json-ld"),
    ("/data/place/quang-ninh/hai-ha", "application/rdf+xml", "xml"),
])
def test_data_formats(client, url, accept, fmt):
    r = client.get(url, headers={"accept": accept} if accept else {})
    assert r.status_code == 200
    g = Graph().parse(data=r.content, format=fmt)
    here = URIRef(ID + "place/quang-ninh/hai-ha")
    assert (here, RDFS.label, Literal("huyện Hải Hà", lang="vi")) in g
    assert (URIRef(ID + "org/quang-ninh/hai-ha/huyen-uy"), URIRef(VNKG + "jurisdiction"), here) in g  # incoming too


def test_data_dotted_iri_is_not_an_extension(client):
    # a post IRI ends in "...quang-ninh.hai-ha.huyen-uy": not a format extension
    r = client.get("/data/post/test_a1b2c3d4e5f60001/nguyen-van-an/bi-thu/quang-ninh.hai-ha.huyen-uy",
                   headers={"accept": "text/turtle"})
    assert r.status_code == 200
    g = Graph().parse(data=r.text, format="turtle")
    post = URIRef(ID + "post/test_a1b2c3d4e5f60001/nguyen-van-an/bi-thu/quang-ninh.hai-ha.huyen-uy")
    assert (post, URIRef(VNKG + "evidence"), None) in g
    assert client.get("/data/place/nowhere.ttl").status_code == 404


# -- pages ---------------------------------------------------------------------------------------

def test_official_page_lists_posts_over_time(client):
    r = client.get("/page/person/quang-ninh/nguyen-van-an")
    assert r.status_code == 200
    html = r.text
    assert "Nguyễn Văn An" in html and "Posts over time" in html
    assert html.index("2020-08-15") < html.index("2022-03-15")  # ordered by date
    assert "Huyện ủy Hải Hà" in html and "Bí thư" in html and "Secretary" in html and "2020-2025" in html
    assert '<mark class="hl-who">Nguyễn Văn An</mark>' in html
    assert 'href="/page/article/test_a1b2c3d4e5f60001"' in html
    no_raw_hostile(html)
    assert "Hải Hà &lt;script&gt;alert(1)&lt;/script&gt;" in html  # the hostile title, escaped


def test_article_page_shows_facts_with_highlighted_evidence(client):
    html = client.get("/page/article/test_a1b2c3d4e5f60001").text
    assert "Đại hội Đảng bộ huyện Hải Hà lần thứ XXI (bài thử nghiệm)" in html
    assert '<mark class="hl-figure">5.000 USD</mark>' in html
    assert '<mark class="hl-figure">1,2%</mark>' in html
    assert '<mark class="hl-indicator">tỷ lệ hộ nghèo</mark>' in html
    assert "Posts read from this article" in html and "Figures read from this article" in html
    hostile = client.get("/page/article/test_a1b2c3d4e5f60002").text
    no_raw_hostile(hostile)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;Đầm Hà&#34;" in hostile
    # an evidence sentence holding "<...>" is escaped inside the highlight
    assert "&lt;Khu công nghiệp cảng biển Hải Hà&gt;" in hostile
    assert '<mark class="hl-figure">300 tỷ đồng</mark>' in hostile


def test_place_page_hierarchy_bodies_zones_chart(client):
    html = client.get("/page/place/quang-ninh/hai-ha").text
    assert "huyện Hải Hà" in html and 'href="/page/place/quang-ninh"' in html  # partOf chain
    assert "xã Quảng Sơn" in html  # children
    assert "Ủy ban nhân dân huyện Hải Hà" in html and "Huyện ủy Hải Hà" in html  # jurisdiction
    assert "Khu công nghiệp cảng biển Hải Hà" in html  # zones
    assert html.count("<svg class=\"chart\"") == 2  # income and poverty rate
    assert "<polyline" in html and 'class="target"' in html
    assert "<script" not in html.lower().replace('<script src="/static/query.js">', "")
    no_raw_hostile(html)


def test_document_body_zone_term_congress_pages(client):
    doc = client.get("/page/document/quang-ninh/resolution/05-nq-hu").text
    assert "Nghị quyết số 05-NQ/HU" in doc and "Issued by" in doc and "Huyện ủy Hải Hà" in doc
    assert "Targets set" in doc and "0.5" in doc
    body = client.get("/page/org/quang-ninh/hai-ha/huyen-uy").text
    assert "Members" in body and "Nguyễn Văn An" in body and "Nghị quyết số 05-NQ/HU" in body
    assert "Ban Chấp hành Đảng bộ huyện Hải Hà" in body  # altLabel
    zone = client.get("/page/zone/quang-ninh/khu-cong-nghiep-cang-bien-hai-ha").text
    assert "Located in" in zone and "tỉnh Quảng Ninh" in zone
    no_raw_hostile(zone)
    assert "&lt;img src=x onerror=alert(2)&gt;" in zone
    term = client.get("/page/term/2020-2025").text
    assert "Posts in this term" in term and "Nguyễn Văn An" in term
    congress = client.get("/page/congress/quang-ninh/hai-ha/dang-bo/21").text
    assert "Targets set" in congress and "5,000" in congress


def test_fact_and_graph_pages(client):
    fig = client.get("/page/figure/test_a1b2c3d4e5f60001/175").text
    assert '<mark class="hl-figure">5.000 USD</mark>' in fig
    post = client.get("/page/post/test_a1b2c3d4e5f60002/tran-thi-binh/chu-tich/quang-ninh.hai-ha.ubnd").text
    assert '<mark class="hl-who">Trần Thị Bình</mark>' in post
    graph = client.get("/page/graph/test_a1b2c3d4e5f60001").text
    assert "Named graph" in graph and "graph=https%3A" in graph
    g = Graph().parse(data=client.get("/data/graph/test_a1b2c3d4e5f60001.ttl").text, format="turtle")
    assert (URIRef(ID + "article/test_a1b2c3d4e5f60001"), RDF.type, URIRef(VNKG + "Article")) in g
    r = client.get("/id/graph/test_a1b2c3d4e5f60001", headers={"accept": "text/turtle"}, follow_redirects=False)
    assert r.headers["location"] == "/data/graph/test_a1b2c3d4e5f60001.ttl"


def test_incoming_links_are_counted_and_paged():
    store = LocalStore(None)
    store.ox.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    hub = ox.NamedNode(ID + "place/quang-ninh")
    store.ox.extend([ox.Quad(ox.NamedNode(f"{ID}place/quang-ninh/x{i:02d}"), ox.NamedNode(VNKG + "partOf"), hub,
                             ox.NamedNode(ID + "graph/bulk")) for i in range(30)])
    with TestClient(create_app(store, Settings(incoming_per_property=10))) as c:
        html = c.get("/page/place/quang-ninh").text
        assert '<span class="count">32</span>' in html  # 30 + Hải Hà + Đầm Hà
        assert "all 32 →" in html
        more = c.get("/page/place/quang-ninh", params={"incoming": VNKG + "partOf", "offset": 10}).text
        assert "x10" in more and "← previous" in more and "32 ×" in more
        assert c.get("/page/place/quang-ninh", params={"incoming": "not an iri"}).status_code == 400


def test_ontology_pages(client):
    html = client.get("/ontology", headers={"accept": "text/html"}).text
    assert 'id="Official"' in html and 'href="/ontology/term/Official"' in html and "Roles" in html
    ttl = client.get("/ontology", headers={"accept": "text/turtle"})
    g = Graph().parse(data=ttl.text, format="turtle")
    assert (URIRef(VNKG + "District"), RDFS.subClassOf, URIRef(VNKG + "AdministrativeUnit")) in g
    term = client.get("/ontology/term/Official").text
    assert "cán bộ" in term and "official" in term
    role = client.get("/ontology/role/bi-thu").text
    assert "Bí thư" in role and "Secretary" in role and "Holders of this role" in role
    ind = client.get("/ontology/indicator/income-per-capita").text
    assert "per-capita income" in ind and "Figures for this indicator" in ind
    assert client.get("/ontology/term/Nothing").status_code == 404
    r = client.get("/ontology/term/Official", headers={"accept": "application/n-triples"})
    assert r.headers["content-type"].startswith("application/n-triples")


def test_describe_any_iri(client):
    r = client.get("/describe", params={"iri": "https://schema.org/AdministrativeArea"})
    assert r.status_code == 200 and "subclass of" in r.text
    r = client.get("/describe", params={"iri": "https://schema.org/AdministrativeArea", "format": "turtle"})
    assert r.headers["content-type"].startswith("text/turtle")
    assert client.get("/describe", params={"iri": "nope"}).status_code == 400


def test_home_page(client):
    html = client.get("/").text
    assert "Browse by type" in html and 'href="/search?type=Official"' in html
    assert 'href="/query"' in html and "/export?format=trig" in html and "/.well-known/void" in html
    assert 'name="q"' in html


def test_security_headers(client):
    r = client.get("/")
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/sparql", params={"query": "ASK {}"}).headers["access-control-allow-origin"] == "*"


# -- search --------------------------------------------------------------------------------------

def test_fold():
    assert fold("Huyện ủy Đầm Hà") == "huyen uy dam ha"
    assert fold("  Nguyễn   Văn-An ") == "nguyen van an"


@pytest.mark.parametrize("q,expected", [
    ("hai ha", ID + "place/quang-ninh/hai-ha"),
    ("HẢI HÀ", ID + "place/quang-ninh/hai-ha"),
    ("dam ha", ID + "place/quang-ninh/dam-ha"),
    ("đầm hà", ID + "place/quang-ninh/dam-ha"),
    ("nguyen van an", ID + "person/quang-ninh/nguyen-van-an"),
    ("kcn cang bien", ID + "zone/quang-ninh/khu-cong-nghiep-cang-bien-hai-ha"),  # an altLabel
])
def test_search_diacritics_insensitive(client, q, expected):
    r = client.get("/search", params={"q": q, "format": "json"})
    iris = [h["iri"] for h in r.json()["results"]]
    assert expected in iris


def test_search_ranking_type_filter_and_html(client):
    res = client.get("/search", params={"q": "hai ha", "format": "json"}).json()["results"]
    assert res[0]["iri"] == ID + "place/quang-ninh/hai-ha"  # exact-ish and short first
    assert all("chu-tich" not in h["iri"] for h in res)  # "ha" is a word prefix, not any substring
    offs = client.get("/search", params={"q": "", "type": "Official"}, headers={"accept": "application/json"}).json()
    assert {h["label"] for h in offs["results"]} == {"Nguyễn Văn An", "Trần Thị Bình"}
    zones = client.get("/search", params={"type": "EconomicZone", "format": "json"}).json()  # a superclass
    assert zones["total"] == 1
    figs = client.get("/search", params={"type": "Achievement", "format": "json"}).json()  # unlabelled facts
    assert figs["total"] == 4
    html = client.get("/search", params={"q": "<script>alert(1)</script>"}).text
    no_raw_hostile(html)
    html = client.get("/search", params={"q": "hai ha"}).text
    assert 'href="/page/place/quang-ninh/hai-ha"' in html


# -- query page ----------------------------------------------------------------------------------

def test_query_page_examples_and_results(client):
    html = client.get("/query").text
    assert "<textarea" in html and "Officials by body and term" in html and "/static/query.js" in html
    example = client.get("/query", params={"example": "4-zones-by-province"}).text
    assert "vnkg:IndustrialPark" in example
    from server.app import load_examples
    for e in load_examples():  # every example runs on the fixture
        r = client.get("/query", params={"query": e["query"]})
        assert r.status_code == 200, (e["name"], r.text[:500])
        assert "results-table" in r.text
    r = client.get("/query", params={"query": load_examples()[0]["query"]})
    assert 'href="/page/person/quang-ninh/nguyen-van-an"' in r.text
    assert "format=csv" in r.text and "share this query" in r.text
    bad = client.get("/query", params={"query": "SELECT ?x WHERE {"})
    assert bad.status_code == 400 and "Malformed query" in bad.text


def test_csv_download(client):
    r = client.get("/sparql", params={"query": "SELECT DISTINCT ?n WHERE { ?x <http://xmlns.com/foaf/0.1/name> ?n }",
                                      "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv") and "Trần Thị Bình" in r.text


# -- dumps and VoID ------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt,rdflib_fmt,dataset", [("trig", "trig", True), ("nquads", "nquads", True),
                                                    ("turtle", "turtle", False), ("ntriples", "nt", False),
                                                    ("jsonld", "json-ld", True)])
def test_export_formats_parse_back(client, fmt, rdflib_fmt, dataset):
    r = client.get("/export", params={"format": fmt})
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    if dataset:
        ds = Dataset()
        ds.parse(data=r.content, format=rdflib_fmt)
        names = {str(g.identifier) for g in ds.graphs()}
        assert ID + "graph/test_a1b2c3d4e5f60001" in names
        assert len(ds) >= 300 or sum(len(g) for g in ds.graphs()) >= 300
    else:
        g = Graph().parse(data=r.content, format=rdflib_fmt)
        assert "collapsed" in r.headers["x-vnkg-note"]
        assert len(g) == 346  # distinct triples of the union


def test_export_one_graph(client):
    g1 = ID + "graph/test_a1b2c3d4e5f60001"
    r = client.get("/export", params={"format": "turtle", "graph": g1})
    g = Graph().parse(data=r.content, format="turtle")
    assert (URIRef(ID + "article/test_a1b2c3d4e5f60001"), RDF.type, URIRef(VNKG + "Article")) in g
    assert (URIRef(ID + "article/test_a1b2c3d4e5f60002"), None, None) not in g
    assert client.get("/export", params={"graph": ID + "graph/none"}).status_code == 404
    assert client.get("/export", params={"format": "xlsx"}).status_code == 400


def test_void(client):
    r = client.get("/.well-known/void")
    assert r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    ds = next(g.subjects(RDF.type, URIRef(VOID + "Dataset")))
    assert int(g.value(ds, URIRef(VOID + "triples"))) == 346
    assert int(g.value(ds, URIRef(VOID + "documents"))) == 2
    assert int(g.value(ds, URIRef(VOID + "distinctSubjects"))) > 0
    parts = {str(g.value(p, URIRef(VOID + "class"))): int(g.value(p, URIRef(VOID + "entities")))
             for p in g.objects(ds, URIRef(VOID + "classPartition"))}
    assert parts[VNKG + "Official"] == 2 and parts[VNKG + "Article"] == 2
    assert json.loads(client.get("/void", headers={"accept": "application/ld+json"}).text)


# -- helpers -------------------------------------------------------------------------------------

def test_highlight_escapes_and_marks():
    html = str(highlight("Đạt <b>3.600 USD</b> & hơn", [("3.600 USD", "hl-figure")]))
    assert html == 'Đạt &lt;b&gt;<mark class="hl-figure">3.600 USD</mark>&lt;/b&gt; &amp; hơn'
    # two occurrences: the article offset (from the figure IRI) picks the right one
    s = "Năm 2020 đạt 5%, năm 2021 đạt 5%."
    second = str(highlight(s, [("5%", "hl-figure")], hint=100 + s.rindex("5%"), offsets=(100, 100 + len(s))))
    assert second.endswith('<mark class="hl-figure">5%</mark>.')


def test_ontology_from_package_when_store_has_none():
    import ontology as onto_pkg

    if not list(Path(onto_pkg.__file__).parent.glob("*.ttl")):
        pytest.skip("the ontology package ships no Turtle yet")
    store = LocalStore(None)
    store.ox.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    store.ox.update("DROP GRAPH <https://w3id.org/vnkg/graph/ontology>")
    with TestClient(create_app(store, Settings())) as c:
        html = c.get("/ontology", headers={"accept": "text/html"}).text
        assert 'id="Official"' in html and 'id="PostHolding"' in html
        assert c.get("/ontology/term/Official").status_code == 200
        g = Graph().parse(data=c.get("/ontology?format=turtle").text, format="turtle")
        assert (URIRef(VNKG + "Official"), RDF.type, None) in g
