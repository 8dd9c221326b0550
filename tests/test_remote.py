"""kg.remote.RemoteStore against real SPARQL servers: Oxigraph's server and Virtuoso Open Source.

Each server is started on 127.0.0.1 (a free port, a temporary database) by bench/servers.py;
a test is skipped, with the reason, where its server is not installed or cannot start:

* Oxigraph: ``pip install 'oxigraph>=0.5,<0.6'`` (the ``oxigraph serve`` CLI);
* Virtuoso: ``apt-get install -y virtuoso-opensource`` (``virtuoso-t``, ``isql-vt``).

The example articles (and the seeds, when shared/ is beside the repository) are ingested into
the server and into an embedded store; what the server holds must be what the embedded store
holds (every quad), and queries must give the same answers.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # bench/ is not an installed package
    sys.path.insert(0, str(ROOT))

from bench.servers import Unavailable, start_oxigraph, start_virtuoso  # noqa: E402
from kg.export import export  # noqa: E402
from kg.ingest import ingest  # noqa: E402
from kg.remote import RemoteStore, parse_location, query_form  # noqa: E402
from kg.store import LocalStore, open_store  # noqa: E402

INPUTS = [ROOT / "examples" / "articles"] + [p for p in [ROOT.parent / "shared" / "seeds"] if p.is_dir()]
XSD = "http://www.w3.org/2001/XMLSchema#"
STATS = ("PREFIX vnkg: <https://w3id.org/vnkg/ontology#> SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE "
         "{ ?x a ?c FILTER(STRSTARTS(STR(?c), STR(vnkg:))) } GROUP BY ?c ORDER BY ?c")


# ----------------------------------------------------------------------------- no server needed
def test_store_urls_name_the_endpoints():
    ox_ = parse_location("oxigraph+http://127.0.0.1:7878")
    assert (ox_["query"], ox_["update"], ox_["gsp"]) == ("http://127.0.0.1:7878/query", "http://127.0.0.1:7878/update",
                                                       "http://127.0.0.1:7878/store")
    assert parse_location("http://127.0.0.1:7878/query#oxigraph") == ox_
    v = parse_location("virtuoso+http://127.0.0.1:8890/sparql")
    assert (v["query"], v["update"], v["gsp"]) == ("http://127.0.0.1:8890/sparql", "http://127.0.0.1:8890/sparql",
                                                  "http://127.0.0.1:8890/sparql-graph-crud")
    va = parse_location("virtuoso+http://dba:secret@127.0.0.1:8890/sparql#auth=digest")
    assert va["auth"] == ("dba", "secret") and va["auth_kind"] == "digest" and va["query"].endswith("/sparql-auth")
    g = parse_location("https://example.org/sparql#update=https://example.org/update")
    assert (g["query"], g["update"], g["gsp"]) == ("https://example.org/sparql", "https://example.org/update", None)
    with pytest.raises(ValueError):
        parse_location("blazegraph+http://127.0.0.1:9999/sparql")


def test_the_query_form_decides_what_is_asked_for():
    assert query_form("PREFIX s: <http://x/select#> CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form('# SELECT\nASK { ?s <http://p> "SELECT" }') == "ASK"
    assert query_form("describe <http://x>") == "DESCRIBE"


def test_open_store_gives_a_remote_store_for_http_urls():
    st = open_store("http://127.0.0.1:9/query#oxigraph")
    assert isinstance(st, RemoteStore) and st.flavor == "oxigraph"
    st.close()


# ----------------------------------------------------------------------------- servers
@pytest.fixture(scope="module")
def local(tmp_path_factory):
    st = LocalStore(tmp_path_factory.mktemp("local"))
    summary = ingest(INPUTS, st)
    assert summary.articles >= 5
    yield st
    st.close()


def _server(kind, tmp_path_factory):
    start = {"oxigraph": start_oxigraph, "virtuoso": start_virtuoso}[kind]
    try:
        return start(tmp_path_factory.mktemp(kind))
    except Unavailable as exc:
        pytest.skip(f"{kind} server unavailable: {exc}")


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def remote(request, tmp_path_factory):
    srv = _server(request.param, tmp_path_factory)
    st = RemoteStore(srv.url)
    try:
        summary = ingest(INPUTS, st)
        assert summary.articles >= 5
        yield st
    finally:
        st.close()
        srv.stop()


def _normal(data: bytes) -> set[str]:
    # Oxigraph stores the derived integer types as xsd:integer (a "21"^^xsd:positiveInteger comes
    # back as "21"^^xsd:integer); Virtuoso keeps them. Compare modulo that.
    return {line.replace(f"<{XSD}positiveInteger>", f"<{XSD}integer>") for line in data.decode().splitlines()}


def test_the_server_holds_every_quad_the_embedded_store_holds(remote, local):
    assert remote.graphs() == local.graphs()
    assert _normal(export(remote, "nquads")) == _normal(export(local, "nquads"))
    g = next(g for g in local.graphs() if "/graph/" in g and g.rsplit("/", 1)[-1] not in ("ontology", "reference"))
    assert remote.count(g) == local.count(g) > 0
    assert _normal(remote.dump(ox.RdfFormat.N_TRIPLES, g)) == _normal(local.dump(ox.RdfFormat.N_TRIPLES, g))


def test_queries_answer_as_on_the_embedded_store(remote, local):
    ours = {r["c"].value: int(r["n"].value) for r in remote.query(STATS)}
    theirs = {r["c"].value: int(r["n"].value) for r in local.query(STATS)}
    assert ours == theirs and ours
    assert bool(remote.query("ASK { ?s a <https://w3id.org/vnkg/ontology#Article> }"))
    assert not bool(remote.query("ASK { ?s a <https://w3id.org/vnkg/ontology#NoSuchClass> }"))
    triples = remote.query("CONSTRUCT { ?a a <https://w3id.org/vnkg/ontology#Article> } "
                           "WHERE { ?a a <https://w3id.org/vnkg/ontology#Article> }")
    assert all(isinstance(t, ox.Triple) for t in triples)
    assert len(triples) == len(list(local.query("SELECT DISTINCT ?a WHERE { ?a a <https://w3id.org/vnkg/ontology#Article> }")))
    rows = list(remote.query("SELECT ?g ?fp WHERE { GRAPH ?g { ?g <https://w3id.org/vnkg/graph/fingerprint> ?fp } }",
                             union_default_graph=False))
    assert {r["g"].value for r in rows} == {r["g"].value for r in local.query(
        "SELECT ?g WHERE { GRAPH ?g { ?g <https://w3id.org/vnkg/graph/fingerprint> ?fp } }")}


def test_ingesting_again_changes_nothing_and_graphs_can_be_removed(remote, local):
    before = export(remote, "nquads")
    ingest(INPUTS, remote)
    assert export(remote, "nquads") == before
    g = "https://w3id.org/vnkg/id/graph/test-remove-me"
    from rdflib import Graph, Literal, URIRef

    one = Graph()
    one.add((URIRef("https://e.org/a"), URIRef("https://e.org/p"), Literal("một", lang="vi")))
    remote.replace_graph(g, one)
    assert remote.has_graph(g) and remote.count(g) == 1
    two = Graph()
    two.add((URIRef("https://e.org/a"), URIRef("https://e.org/p"), Literal("hai", lang="vi")))
    remote.replace_graph(g, two)
    assert [q.object.value for q in remote.quads(g)] == ["hai"]
    remote.remove_graph(g)
    assert not remote.has_graph(g)
    assert export(remote, "nquads") == before


def test_parallel_ingest_writes_to_the_server(remote, local, tmp_path):
    from kg.parallel import ingest_parallel

    g = next(g for g in local.graphs() if "/graph/" in g and g.rsplit("/", 1)[-1] not in
             ("ontology", "reference", "entities"))
    remote.remove_graph(g)
    assert not remote.has_graph(g)
    summary = ingest_parallel(INPUTS, remote, jobs=1)
    assert summary.articles >= 5 and remote.has_graph(g)
    assert _normal(export(remote, "nquads")) == _normal(export(local, "nquads"))
