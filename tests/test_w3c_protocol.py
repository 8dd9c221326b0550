"""The 34 cases of the W3C SPARQL 1.1 Protocol test manifest, run against the server in process.

The manifest (tests/data/w3c/sparql11-protocol/manifest.ttl, copied from the W3C test suite
with its licence in tests/data/w3c/LICENSE.md) describes each case as
HTTP requests (method, path under /sparql/, headers, body and its encoding)
with the expected status class, result format and, for ASK, boolean. It is
read with rdflib; each case becomes one parametrized test named after the
case. Paths are rewritten from ``/sparql/`` to this server's ``/sparql``, the
case's ``ut:graphData`` (data1.nt...) is loaded into the named graphs it
names, and the server allows updates (local mode) so the update cases can run.
"""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDFS

from kg.store import LocalStore
from server.app import create_app
from server.settings import Settings

fastapi_testclient = pytest.importorskip("fastapi.testclient")

SUITE = Path(__file__).resolve().parent / "data" / "w3c" / "sparql11-protocol"

MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

RESULT_TYPES = {"application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"}
RDF_TYPES = {"text/turtle": "turtle", "application/n-triples": "nt", "application/rdf+xml": "xml",
             "application/ld+json": "json-ld"}


def _cases():
    g = Graph()
    g.parse(SUITE / "manifest.ttl", format="turtle", publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest")
    manifest = next(g.subjects(MF.entries, None))
    entries = list(Collection(g, g.value(manifest, MF.entries)))
    cases = []
    for test in entries:
        name = str(g.value(test, MF.name))
        data = []
        for gd in g.objects(test, UT.graphData):
            data.append((str(g.value(gd, UT.graph)).rsplit("/", 1)[-1], str(g.value(gd, RDFS.label))))
        action = g.value(test, MF.action)
        requests = []
        for req in Collection(g, g.value(action, HT.requests)):
            body = g.value(req, HT.body)
            headers = {}
            hlist = g.value(req, HT.headers)
            if hlist is not None:
                for h in Collection(g, hlist):
                    headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            resp = g.value(req, HT.resp)
            statuses = {str(s).rsplit("#", 1)[-1] for s in g.objects(resp, MF.expectedStatus)}
            fmt = g.value(resp, MF.expectedFormat)
            boolean = g.value(resp, MF.expectedBoolean)
            requests.append({
                "method": str(g.value(req, HT.methodName)),
                "path": str(g.value(req, HT.absolutePath)),
                "body": None if body is None else str(g.value(body, CNT.chars)),
                "encoding": None if body is None else str(g.value(body, CNT.characterEncoding) or "UTF-8"),
                "headers": headers,
                "statuses": statuses,
                "format": None if fmt is None else str(fmt),
                "boolean": None if boolean is None else boolean.toPython(),
            })
        cases.append(pytest.param(name, data, requests, id=str(test).rsplit("#", 1)[-1]))
    return cases


CASES = _cases()


def test_manifest_has_34_cases():
    assert len(CASES) == 34


def _status_ok(code: int, statuses: set[str]) -> bool:
    return f"StatusCode{code // 100}xx" in statuses


def _check_format(resp, expected: str | None, boolean):
    ctype = resp.headers.get("content-type", "").split(";")[0].strip()
    if expected in ("boolean", "tabular"):
        assert ctype in RESULT_TYPES, f"expected SPARQL results, got {ctype}"
        if ctype == "text/csv":  # pyoxigraph does not parse CSV results (lossy)
            assert expected == "tabular" and resp.text.strip()
            return
        fmt = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
               "application/sparql-results+xml": ox.QueryResultsFormat.XML,
               "text/tab-separated-values": ox.QueryResultsFormat.TSV}[ctype]
        parsed = ox.parse_query_results(resp.content, fmt)
        if expected == "boolean":
            assert isinstance(parsed, ox.QueryBoolean)
            if boolean is not None:
                assert bool(parsed) is bool(boolean)
        else:
            assert isinstance(parsed, ox.QuerySolutions)
            list(parsed)
    elif expected == "RDF":
        assert ctype in RDF_TYPES, f"expected RDF, got {ctype}"
        Graph().parse(data=resp.content, format=RDF_TYPES[ctype])


@pytest.mark.parametrize("name,data,requests", CASES)
def test_protocol_case(name, data, requests):
    store = LocalStore(None)
    for filename, graph in data:
        store.ox.load(path=str(SUITE / filename), format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    app = create_app(store, Settings(allow_update=True, timeout=10, workers=2))
    with fastapi_testclient.TestClient(app, base_url="http://www.example") as client:
        for i, req in enumerate(requests):
            path = req["path"].replace("/sparql/", "/sparql", 1)
            content = None
            if req["body"] is not None:
                content = req["body"].encode(req["encoding"])
            resp = client.request(req["method"], path, content=content, headers=req["headers"])
            assert _status_ok(resp.status_code, req["statuses"]), (
                f"{name} (request {i + 1}): status {resp.status_code}, expected {sorted(req['statuses'])}: "
                f"{resp.text[:300]}")
            if resp.status_code < 300:
                _check_format(resp, req["format"], req["boolean"])
