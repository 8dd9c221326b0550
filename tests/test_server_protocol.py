"""The SPARQL endpoint: protocol, content negotiation, errors, updates, time limit, row cap."""
from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.store import LocalStore
from server.app import create_app
from server.conneg import GRAPH_FORMATS, RESULT_FORMATS, choose, negotiate, parse_accept, prefers_html, quality
from server.settings import Settings
from server.sparqltext import DatasetConflict, apply_using, has_dataset_clause

FIXTURE = Path(__file__).parent / "data" / "server" / "fixture.trig"
VNKG = "https://w3id.org/vnkg/ontology#"
SD = "http://www.w3.org/ns/sparql-service-description#"
OFFICIALS = f"SELECT DISTINCT ?o ?n WHERE {{ ?o a <{VNKG}Official> ; <http://xmlns.com/foaf/0.1/name> ?n }} ORDER BY ?n"


def fixture_store() -> LocalStore:
    store = LocalStore(None)
    store.ox.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    return store


@pytest.fixture(scope="module")
def client():
    app = create_app(fixture_store(), Settings(timeout=10, workers=2))
    with TestClient(app) as c:
        yield c


# -- Accept parsing -----------------------------------------------------------------------------

def test_accept_parser_q_values_and_specificity():
    ranges = parse_accept("text/*;q=0.3, text/html;q=0.7, text/html;level=1, */*;q=0.5")
    assert quality(ranges, "text/html") == 0.7
    assert quality(ranges, "text/plain") == 0.3
    assert quality(ranges, "image/png") == 0.5
    assert negotiate("application/json;q=0.2, text/csv", ["application/json", "text/csv"]) == "text/csv"
    assert negotiate("text/csv;q=0", ["text/csv"]) is None
    assert negotiate(None, ["a/b", "c/d"]) == "a/b"  # no header: anything, server order
    assert negotiate("garbage, text/csv", ["text/csv"]) == "text/csv"


def test_choose_formats_by_alias_and_wildcard():
    assert choose("application/json", RESULT_FORMATS).key == "json"
    assert choose("text/xml", RESULT_FORMATS).key == "xml"
    assert choose("*/*", GRAPH_FORMATS).key == "turtle"
    assert choose("application/ld+json, text/turtle;q=0.5", GRAPH_FORMATS).key == "jsonld"
    assert choose("image/png", RESULT_FORMATS) is None
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert choose(browser, RESULT_FORMATS, html=True).key == "html"
    assert choose("*/*", RESULT_FORMATS, html=True).key == "json"  # html only when named
    assert prefers_html(browser, ["application/sparql-results+json"])
    assert not prefers_html("*/*", ["application/sparql-results+json"])


def test_sparqltext_scan():
    assert has_dataset_clause("SELECT * FROM <http://g> WHERE { ?s ?p ?o }")
    assert not has_dataset_clause("SELECT * WHERE { ?s ?p 'FROM' } # FROM <x>")
    assert not has_dataset_clause("PREFIX from: <http://x/> SELECT * WHERE { ?s from:p ?o }")
    out = apply_using("INSERT { ?s a <http://c> } WHERE { ?s ?p ?o } ; DELETE WHERE { ?a ?b ?c }", ["http://g"], [])
    assert out.count("USING <http://g>") == 1 and "DELETE WHERE" in out
    with pytest.raises(DatasetConflict):
        apply_using("WITH <http://a> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", [], ["http://g"])


# -- queries ------------------------------------------------------------------------------------

def test_get_post_form_post_direct_agree(client):
    a = client.get("/sparql", params={"query": OFFICIALS})
    b = client.post("/sparql", data={"query": OFFICIALS})
    c = client.post("/sparql", content=OFFICIALS.encode(), headers={"content-type": "application/sparql-query"})
    for r in (a, b, c):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("application/sparql-results+json")
    names = [x["n"]["value"] for x in a.json()["results"]["bindings"]]
    assert names == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert a.json() == b.json() == c.json()


@pytest.mark.parametrize("accept,fmt,ox_fmt", [
    ("application/sparql-results+json", None, ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", None, ox.QueryResultsFormat.XML),
    ("text/csv", None, ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", None, ox.QueryResultsFormat.TSV),
    (None, "xml", ox.QueryResultsFormat.XML),
    (None, "tsv", ox.QueryResultsFormat.TSV),
])
def test_select_formats_parse_back(client, accept, fmt, ox_fmt):
    params = {"query": OFFICIALS + " LIMIT 5"}
    if fmt:
        params["format"] = fmt
    r = client.get("/sparql", params=params, headers={"accept": accept} if accept else {})
    assert r.status_code == 200
    if ox_fmt == ox.QueryResultsFormat.CSV:  # pyoxigraph does not read CSV results (lossy): use csv
        import csv
        import io
        rows = list(csv.DictReader(io.StringIO(r.text)))
        assert r.text.startswith("o,n\r\n")
        assert {row["n"] for row in rows} == {"Nguyễn Văn An", "Trần Thị Bình"}
        return
    rows = list(ox.parse_query_results(r.content, ox_fmt))
    assert {str(row["n"].value) for row in rows} == {"Nguyễn Văn An", "Trần Thị Bình"}


def test_ask_json_and_xml(client):
    q = f"ASK {{ ?x a <{VNKG}Official> }}"
    assert client.get("/sparql", params={"query": q}).json()["boolean"] is True
    r = client.get("/sparql", params={"query": q}, headers={"accept": "application/sparql-results+xml"})
    assert "<boolean>true</boolean>" in r.text
    r = client.get("/sparql", params={"query": q}, headers={"accept": "text/csv"})
    assert r.status_code == 406


@pytest.mark.parametrize("accept,rdflib_fmt", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                               ("application/rdf+xml", "xml"), ("application/ld+json", "json-ld")])
def test_construct_formats_parse_back(client, accept, rdflib_fmt):
    q = f"CONSTRUCT {{ ?o a <{VNKG}Official> ; <http://xmlns.com/foaf/0.1/name> ?n }} WHERE {{ ?o a <{VNKG}Official> ; <http://xmlns.com/foaf/0.1/name> ?n }}"
    r = client.get("/sparql", params={"query": q}, headers={"accept": accept})
    assert r.status_code == 200 and r.headers["content-type"].startswith(accept)
    g = Graph().parse(data=r.content, format=rdflib_fmt)
    assert len(set(g.subjects(RDF.type, URIRef(VNKG + "Official")))) == 2


def test_describe(client):
    r = client.get("/sparql", params={"query": "DESCRIBE <https://w3id.org/vnkg/id/place/quang-ninh/hai-ha>",
                                      "format": "ntriples"})
    assert r.status_code == 200 and "huyện Hải Hà" in r.text


def test_errors(client):
    r = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert "error at" in r.text  # the parser's own message
    assert client.put("/sparql", params={"query": "ASK {}"}).status_code == 405
    assert client.delete("/sparql").status_code == 405
    r = client.post("/sparql", content=b"ASK {}", headers={"content-type": "text/plain"})
    assert r.status_code == 415
    r = client.post("/sparql", content="ASK {}".encode("utf-16"),
                    headers={"content-type": "application/sparql-query; charset=UTF-16"})
    assert r.status_code == 415
    r = client.post("/sparql", content=b"\xff\xfeA", headers={"content-type": "application/sparql-query"})
    assert r.status_code == 400
    assert client.post("/sparql", data={"query": "ASK {}", "update": "CLEAR ALL"}).status_code == 400
    assert client.post("/sparql", data={"foo": "bar"}).status_code == 400
    assert client.get("/sparql", params=[("query", "ASK {}"), ("query", "ASK {}")]).status_code == 400
    r = client.get("/sparql", params={"query": OFFICIALS}, headers={"accept": "image/png"})
    assert r.status_code == 406
    assert client.get("/sparql", params={"query": "ASK {}", "default-graph-uri": "not an iri"}).status_code == 400


def test_union_default_graph_and_protocol_dataset(client):
    q = f"SELECT (COUNT(DISTINCT ?a) AS ?n) WHERE {{ ?a a <{VNKG}Article> }}"
    assert client.get("/sparql", params={"query": q}).json()["results"]["bindings"][0]["n"]["value"] == "2"
    g1 = "https://w3id.org/vnkg/id/graph/test_a1b2c3d4e5f60001"
    r = client.get("/sparql", params={"query": q, "default-graph-uri": g1})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"
    # A query's own FROM is respected (the union default graph does not override it).
    r = client.get("/sparql", params={"query": q.replace("WHERE", f"FROM <{g1}> WHERE")})
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "1"
    r = client.get("/sparql", params={"query": "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                                      "named-graph-uri": g1})
    assert [b["g"]["value"] for b in r.json()["results"]["bindings"]] == [g1]


def test_service_description(client):
    r = client.get("/sparql")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/turtle")
    g = Graph().parse(data=r.text, format="turtle")
    svc = next(g.subjects(RDF.type, URIRef(SD + "Service")))
    assert (svc, URIRef(SD + "endpoint"), None) in g
    assert (svc, URIRef(SD + "supportedLanguage"), URIRef(SD + "SPARQL11Query")) in g
    assert len(list(g.objects(svc, URIRef(SD + "resultFormat")))) >= 4
    assert (svc, URIRef(SD + "defaultDataset"), None) in g
    html = client.get("/sparql", headers={"accept": "text/html"})
    assert html.headers["content-type"].startswith("text/html") and "<textarea" in html.text
    jsonld = client.get("/sparql", headers={"accept": "application/ld+json"})
    assert jsonld.status_code == 200 and json.loads(jsonld.text)


def test_browser_gets_html_table(client):
    r = client.get("/sparql", params={"query": OFFICIALS},
                   headers={"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert r.headers["content-type"].startswith("text/html")
    assert 'href="/page/person/quang-ninh/nguyen-van-an"' in r.text


# -- updates ------------------------------------------------------------------------------------

def test_update_refused_by_default(client):
    r = client.post("/sparql", data={"update": "CLEAR ALL"})
    assert r.status_code == 403
    r = client.post("/sparql", content=b"CLEAR ALL", headers={"content-type": "application/sparql-update"})
    assert r.status_code == 403
    assert client.get("/sparql", params={"update": "CLEAR ALL"}).status_code == 405
    assert client.get("/sparql", params={"query": "ASK { ?s ?p ?o }"}).json()["boolean"] is True


def test_update_with_token_and_index_refresh():
    app = create_app(fixture_store(), Settings(update_token="s3cret", workers=2))
    ins = ('INSERT DATA { GRAPH <https://w3id.org/vnkg/id/graph/x> { <https://w3id.org/vnkg/id/person/x/le-van-cuong> '
           'a <https://w3id.org/vnkg/ontology#Official> ; <http://www.w3.org/2000/01/rdf-schema#label> "Lê Văn Cường"@vi } }')
    with TestClient(app) as c:
        assert c.get("/search", params={"q": "le van cuong", "format": "json"}).json()["total"] == 0
        r = c.post("/sparql", data={"update": ins}, headers={"authorization": "Bearer wrong"})
        assert r.status_code == 403
        r = c.post("/sparql", data={"update": ins}, headers={"authorization": "Bearer s3cret"})
        assert r.status_code == 204
        r = c.post("/sparql", data={"update": "INSERT DATA {"}, headers={"authorization": "Bearer s3cret"})
        assert r.status_code == 400
        hits = c.get("/search", params={"q": "le van cuong", "format": "json"}).json()
        assert hits["total"] == 1 and hits["results"][0]["label"] == "Lê Văn Cường"
        assert c.get("/page/person/x/le-van-cuong").status_code == 200


# -- limits -------------------------------------------------------------------------------------

def test_row_cap_header():
    app = create_app(fixture_store(), Settings(max_rows=3, workers=1))
    with TestClient(app) as c:
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert len(r.json()["results"]["bindings"]) == 3
        assert r.headers["x-vnkg-truncated"] == "true" and r.headers["x-vnkg-row-limit"] == "3"
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"})
        assert "x-vnkg-truncated" not in r.headers and r.headers["x-vnkg-row-limit"] == "3"
        page = c.get("/query", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert "truncated at 3" in page.text and page.headers["x-vnkg-truncated"] == "true"


def test_slow_query_times_out_while_cheap_query_answers():
    """A streaming runaway (a triple cross product) is cut at the deadline; a cheap query meanwhile succeeds."""
    app = create_app(fixture_store(), Settings(timeout=0.5, max_rows=10**9, workers=2))
    slow = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
            async def timed(q):
                t0 = time.monotonic()
                r = await c.get("/sparql", params={"query": q})
                return r, time.monotonic() - t0

            async def cheap():
                await asyncio.sleep(0.05)
                return await timed(OFFICIALS)
            return await asyncio.gather(timed(slow), cheap())

    (slow_r, slow_t), (cheap_r, cheap_t) = asyncio.run(scenario())
    assert slow_r.status_code == 503 and "time limit" in slow_r.text
    assert cheap_r.status_code == 200 and len(cheap_r.json()["results"]["bindings"]) == 2
    assert cheap_t < slow_t
    assert slow_t < 5


def test_runaway_keeps_its_worker_and_server_answers_busy():
    """An aggregate cannot be interrupted: the request gets 503 at the limit, the thread runs on and holds
    its worker, so with one worker the next query is told the server is busy; afterwards all is well."""
    store = LocalStore(None)
    store.ox.extend([ox.Quad(ox.NamedNode(f"http://e/{i}"), ox.NamedNode("http://e/p"), ox.Literal(i))
                     for i in range(120)])
    app = create_app(store, Settings(timeout=0.1, workers=1, queue_wait=0.05))
    agg = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 1.7M rows, no row until done
    with TestClient(app) as c:
        r = c.get("/sparql", params={"query": agg})
        assert r.status_code == 503 and "time limit" in r.text
        busy = c.get("/sparql", params={"query": "ASK {}"})
        if app.state.runner.busy:  # the runaway is still running (it normally is)
            assert busy.status_code == 503 and "busy" in busy.text
        deadline = time.monotonic() + 30
        while app.state.runner.busy and time.monotonic() < deadline:
            time.sleep(0.05)
        assert c.get("/sparql", params={"query": "ASK {}"}).json()["boolean"] is True
        assert c.get("/health").json()["abandoned_queries"] >= 1


def test_settings_from_env():
    s = Settings.from_env({"VNKG_QUERY_TIMEOUT": "2.5", "VNKG_MAX_ROWS": "7", "VNKG_ALLOW_UPDATE": "yes",
                           "VNKG_BASE_IRI": "http://example.org/kg"}, max_rows=None, update_token="t")
    assert (s.timeout, s.max_rows, s.allow_update, s.base_iri, s.update_token) == (
        2.5, 7, True, "http://example.org/kg/", "t")
    assert Settings.from_env({}).base_iri == "https://w3id.org/vnkg/id/"
    with pytest.raises(TypeError):
        Settings.from_env({}, nonsense=1)
