"""Specifications of the knowledge-graph core: IRIs, ingest into the store, validation, export, CLI."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import RDF
from typer.testing import CliRunner

from kg.cli import app
from kg.export import export
from kg.ingest import ingest
from kg.iri import Minter
from kg.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH, VNKG
from kg.store import LocalStore
from loaders.gazetteer import gazetteer
from loaders.records import Official, Term

ARTICLE_A = """Huyện Tiên Yên đẩy mạnh phát triển kinh tế

Thứ Hai, 06/03/2023, 08:15

Đồng chí Trần Văn Minh, Bí thư Huyện ủy Tiên Yên, cho biết năm 2022 thu ngân sách đạt 312,5 tỷ đồng.
Huyện quán triệt Nghị quyết số 17-NQ/TU ngày 05/8/2022 của Ban Thường vụ Tỉnh ủy.
"""
ARTICLE_B = """Tiên Yên đón nhận chuẩn nông thôn mới

19/01/2024 09:25

Bí thư Huyện ủy Tiên Yên Trần Văn Minh trao bằng công nhận cho 3 xã đạt chuẩn nông thôn mới.
"""
runner = CliRunner()


@pytest.fixture
def articles(tmp_path: Path) -> Path:
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (d / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    return d


def test_iris_are_readable_and_deterministic():
    mint = Minter()
    hai_ha = gazetteer().resolve("Hải Hà", level="District")
    assert mint.place(hai_ha) == URIRef("https://w3id.org/vnkg/id/place/quang-ninh/hai-ha")
    assert mint.term(Term(2015, 2020)) == URIRef("https://w3id.org/vnkg/id/term/2015-2020")
    assert mint.official(Official("Nguyễn Văn A", hai_ha.province)) == mint.official(Official("Nguyễn Văn A", hai_ha.province))
    assert Minter("http://example.org/kg/").term(Term(2020, 2025)) == URIRef("http://example.org/kg/term/2020-2025")


def test_the_same_official_in_two_articles_is_one_resource(articles, tmp_path):
    store = LocalStore(tmp_path / "s")
    ingest([articles], store)
    rows = list(store.query("SELECT DISTINCT ?p WHERE { ?p a <https://w3id.org/vnkg/ontology#Official> }"))
    assert [r["p"].value for r in rows] == ["https://w3id.org/vnkg/id/person/quang-ninh/tran-van-minh"]
    posts = list(store.query("SELECT ?x WHERE { ?x a <https://w3id.org/vnkg/ontology#PostHolding> }"))
    assert len(posts) == 2  # one reading per article, each with its own provenance


def test_one_named_graph_per_article_plus_ontology_and_reference(articles, tmp_path):
    store = LocalStore(tmp_path / "s")
    summary = ingest([articles], store)
    assert summary.articles == 2 and summary.rejected == 0
    graphs = store.graphs()
    assert ONTOLOGY_GRAPH in graphs and REFERENCE_GRAPH in graphs
    assert {"https://w3id.org/vnkg/id/graph/a", "https://w3id.org/vnkg/id/graph/b"} <= set(graphs)


def test_ingesting_twice_changes_nothing(articles, tmp_path):
    store = LocalStore(tmp_path / "s")
    ingest([articles], store)
    first = export(store, "nquads")
    ingest([articles], store)
    assert export(store, "nquads") == first


def test_a_failed_write_leaves_the_previous_graph_intact(articles, tmp_path, monkeypatch):
    store = LocalStore(tmp_path / "s")
    ingest([articles], store)
    before = export(store, "nquads", "https://w3id.org/vnkg/id/graph/a")
    (articles / "a.txt").write_text(ARTICLE_A.replace("312,5", "999"), encoding="utf-8")

    original = store.ox
    class Crashing:
        def __getattr__(self, name):
            return getattr(original, name)
        def update(self, sparql):
            raise OSError("disk full")
    store.ox = Crashing()
    with pytest.raises(OSError):
        ingest([articles / "a.txt"], store)
    store.ox = original
    assert export(store, "nquads", "https://w3id.org/vnkg/id/graph/a") == before


def test_export_is_byte_identical_and_includes_the_ontology(articles, tmp_path):
    s1, s2 = LocalStore(tmp_path / "s1"), LocalStore(tmp_path / "s2")
    ingest([articles], s1)
    ingest([articles / "b.txt", articles / "a.txt"], s2)
    for fmt in ("trig", "nquads", "turtle", "jsonld"):
        assert export(s1, fmt) == export(s2, fmt), fmt
    ds = Dataset()
    ds.parse(data=export(s1, "trig"), format="trig")
    assert (VNKG.Official, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in ds.graph(URIRef(ONTOLOGY_GRAPH))


def test_cli_reports_bad_files_by_name_and_goes_on(articles, tmp_path):
    (articles / "empty.txt").write_text("", encoding="utf-8")
    (articles / "blob.txt").write_bytes(bytes(range(256)) * 8)
    res = runner.invoke(app, ["ingest", "--store", str(tmp_path / "s"), str(articles)])
    assert res.exit_code == 1
    assert "empty.txt" in res.output and "blob.txt" in res.output
    res = runner.invoke(app, ["query", "--store", str(tmp_path / "s"), "--format", "csv",
                              "SELECT (COUNT(*) AS ?n) WHERE { ?a a vnkg:Article }"])
    assert res.exit_code == 0 and res.output.strip().splitlines()[-1] == "2"


def test_cli_import_stats_validate_and_query_errors(articles, tmp_path):
    store = str(tmp_path / "s")
    assert runner.invoke(app, ["ingest", "--store", store, str(articles)]).exit_code == 0
    links = tmp_path / "links.ttl"
    links.write_text("<https://w3id.org/vnkg/id/person/quang-ninh/tran-van-minh> "
                     "<http://www.w3.org/2002/07/owl#sameAs> <http://www.wikidata.org/entity/Q1> .\n")
    assert runner.invoke(app, ["import", str(links), "--graph", "urn:x-links", "--store", store]).exit_code == 0
    res = runner.invoke(app, ["stats", "--store", store, "--json"])
    assert '"Official": 1' in res.output.replace("\n", "").replace("  ", " ") or '"Official":1' in res.output
    assert runner.invoke(app, ["validate", "--store", store]).exit_code == 0
    bad = runner.invoke(app, ["query", "--store", store, "SELECT WHERE {"])
    assert bad.exit_code == 2 and "query error" in bad.output


def test_a_graph_that_breaks_the_shapes_is_held_back_with_a_message(tmp_path, monkeypatch):
    import kg.ingest as ingest_module

    real = ingest_module.article_graph

    def broken(article, facts, mint):
        g = real(article, facts, mint)
        art = mint.article(article.id)
        g.add((art, URIRef("http://purl.org/dc/terms/identifier"), Literal("second-id")))
        return g

    monkeypatch.setattr(ingest_module, "article_graph", broken)
    (tmp_path / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    store = LocalStore(tmp_path / "s")
    summary = ingest([tmp_path / "a.txt"], store)
    assert summary.rejected == 1 and summary.articles == 0
    text = str(summary.problems[0])
    assert "a.txt" in text and "identifier" in text
    assert "https://w3id.org/vnkg/id/graph/a" not in store.graphs()


def test_a_stored_congress_still_conforms(tmp_path):
    """Oxigraph stores xsd:positiveInteger as xsd:integer; whole-store validation must accept it."""
    (tmp_path / "c.txt").write_text(
        "Đại hội Đảng bộ huyện Tiên Yên\n\n06/03/2020 08:15\n\n"
        "Đại hội đại biểu Đảng bộ huyện Tiên Yên lần thứ XXIII, nhiệm kỳ 2020-2025 đã bế mạc.\n", encoding="utf-8")
    store = str(tmp_path / "s")
    assert runner.invoke(app, ["ingest", "--store", store, str(tmp_path / "c.txt")]).exit_code == 0
    res = runner.invoke(app, ["validate", "--store", store])
    assert res.exit_code == 0, res.output
