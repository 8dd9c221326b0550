"""The ``vnkg`` command as a person meets it: answers for every query form and format, one-line
errors for every mistake, read-only commands that never create a store, ingest that goes on,
progress that counts what it advances on, counts that mean what they say."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kg.cli
from kg.cli import app
from kg.queryerrors import explain, unknown_prefixes

ARTICLE_A = """Huyện Tiên Yên đẩy mạnh phát triển kinh tế

Thứ Hai, 06/03/2023, 08:15

Đồng chí Trần Văn Minh, Bí thư Huyện ủy Tiên Yên, cho biết năm 2022 thu ngân sách đạt 312,5 tỷ đồng.
Huyện phấn đấu đến năm 2025 thu ngân sách đạt trên 400 tỷ đồng.
"""
ARTICLE_B = """Tiên Yên đón nhận chuẩn nông thôn mới

19/01/2024 09:25

Bí thư Huyện ủy Tiên Yên Trần Văn Minh trao bằng công nhận cho 3 xã đạt chuẩn nông thôn mới.
"""
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def one_line_error(res, code: int | None = None):
    """The command failed with a message, not with a traceback."""
    assert res.exit_code != 0, res.output
    if code is not None:
        assert res.exit_code == code, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), repr(res.exception)
    assert "Traceback" not in res.output
    assert "error" in res.output.lower() and "error: error" not in res.output


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("in")
    (d / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    (d / "b.txt").write_text(ARTICLE_B, encoding="utf-8")
    return d


@pytest.fixture(scope="module")
def ingested(articles, tmp_path_factory):
    store = tmp_path_factory.mktemp("store") / "s"
    res = run("ingest", "--store", str(store), str(articles))
    assert res.exit_code == 0, res.output
    return store, res.output


# ------------------------------------------------------------------------------ query

@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "xml"])
def test_ask_answers_in_every_format(ingested, fmt):
    store, _ = ingested
    res = run("query", "--store", str(store), "--format", fmt, "ASK { ?o a vnkg:Official }")
    assert res.exit_code == 0, res.output
    if fmt == "json":
        assert json.loads(res.stdout)["boolean"] is True
    elif fmt == "xml":
        assert "<boolean>true</boolean>" in res.stdout
    else:
        assert res.stdout.strip() == "true"
    res = run("query", "--store", str(store), "--format", fmt, "ASK { ?o a vnkg:Nothing }")
    assert res.exit_code == 0 and "false" in res.stdout


def test_an_unknown_format_is_refused_and_json_ends_with_a_newline(ingested):
    store, _ = ingested
    res = run("query", "--store", str(store), "--format", "yaml", "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    one_line_error(res, 2)
    assert "unknown format 'yaml'" in res.output and "csv" in res.output
    res = run("query", "--store", str(store), "--format", "json", "SELECT ?o WHERE { ?o a vnkg:Official }")
    assert res.exit_code == 0 and res.stdout.endswith("}\n")
    assert json.loads(res.stdout)["results"]["bindings"]
    res = run("query", "--store", str(store), "--format", "turtle", "SELECT * WHERE { ?s ?p ?o } LIMIT 1")
    one_line_error(res, 2)
    assert "CONSTRUCT" in res.output
    res = run("query", "--store", str(store), "--format", "ntriples",
              "CONSTRUCT { ?o a vnkg:Official } WHERE { ?o a vnkg:Official }")
    assert res.exit_code == 0 and res.stdout.endswith(" .\n"), res.output


def test_an_unknown_prefix_is_named_with_the_declared_ones(ingested):
    store, _ = ingested
    for q in ("SELECT * WHERE { ?s x:p ?o }", "SELECT * WHERE { ?s a x:Thing }"):
        res = run("query", "--store", str(store), q)
        one_line_error(res, 2)
        text = " ".join(res.output.split())
        assert "unknown prefix `x:`; declared: vnkg:" in text and "foaf:" in text, text
        assert "u{" not in text and "expected OPTIONAL" not in text


def test_other_syntax_errors_point_at_the_place():
    msg = explain("SELECT ?x WHERE {\n  ?x a ?y\n", "error at 3:1: expected one of '}', ['A' ..= 'Z']")
    assert "['A'" not in msg and "error at 3:1" in msg
    assert unknown_prefixes('SELECT * WHERE { ?s <http://x/a:b> "c:d" } # e:f', ()) == []
    assert unknown_prefixes("PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:p ?o ; ey:q 1 }", ()) == ["ey"]
    assert unknown_prefixes("SELECT * WHERE { ?s :p ?o }", ("vnkg",)) == [""]
    assert unknown_prefixes("SELECT * WHERE { ?s vnkg:p ?o FILTER(?o = xsd:integer(1)) }", ("vnkg", "xsd")) == []


def test_a_missing_query_file_is_one_line(ingested, tmp_path):
    store, _ = ingested
    one_line_error(run("query", "--store", str(store), f"@{tmp_path / 'missing.rq'}"), 2)
    q = tmp_path / "q.rq"
    q.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?o a vnkg:Official }", encoding="utf-8")
    res = run("query", "--store", str(store), "--format", "csv", f"@{q}")
    assert res.exit_code == 0 and res.stdout.split() == ["n", "1"]


# ------------------------------------------------------------------------------ stores

@pytest.mark.parametrize("command", [["stats"], ["query", "ASK {}"], ["export"], ["validate"]])
def test_read_only_commands_refuse_a_store_that_does_not_exist(tmp_path, command):
    missing = tmp_path / "mistyped"
    res = run(*command, "--store", str(missing))
    one_line_error(res, 2)
    assert "no store at" in res.output and "vnkg ingest" in res.output
    assert not missing.exists()


def test_a_store_that_is_a_regular_file_is_one_line(tmp_path):
    f = tmp_path / "notes.txt"
    f.write_text("x")
    for command in (["stats"], ["ingest", str(f)], ["query", "ASK {}"]):
        res = run(*command, "--store", str(f))
        one_line_error(res, 2)
        assert "is a file" in res.output


# ------------------------------------------------------------------------------ export, import

def test_export_to_a_missing_folder_or_a_folder_is_one_line(ingested, tmp_path):
    store, _ = ingested
    one_line_error(run("export", "--store", str(store), "-o", str(tmp_path / "no" / "such" / "x.trig")))
    one_line_error(run("export", "--store", str(store), "-o", str(tmp_path)))
    blocker = tmp_path / "file"
    blocker.write_text("")
    one_line_error(run("export", "--store", str(store), "-o", str(blocker / "x.trig")))
    res = run("export", "--store", str(store), "-o", str(tmp_path / "ok.nq"), "--format", "nquads")
    assert res.exit_code == 0 and (tmp_path / "ok.nq").stat().st_size > 0


def test_export_of_an_unknown_graph_fails(ingested, tmp_path):
    store, _ = ingested
    res = run("export", "--store", str(store), "--graph", "urn:x-nothing-here", "-o", str(tmp_path / "g.trig"))
    one_line_error(res, 1)
    assert "no graph <urn:x-nothing-here>" in res.output and not (tmp_path / "g.trig").exists()
    res = run("export", "--store", str(store), "--graph", "https://w3id.org/vnkg/id/graph/a", "-f", "ntriples")
    assert res.exit_code == 0 and res.stdout.count("\n") > 5


def test_import_into_a_graph_that_is_not_an_iri_is_one_line(ingested, tmp_path):
    store, _ = ingested
    links = tmp_path / "links.ttl"
    links.write_text("<urn:a> <urn:b> <urn:c> .\n")
    res = run("import", str(links), "--graph", "not an iri", "--store", str(store))
    one_line_error(res, 2)
    assert "not an absolute IRI" in res.output


# ------------------------------------------------------------------------------ ingest

def test_a_missing_path_is_reported_and_the_batch_goes_on(articles, tmp_path):
    store = tmp_path / "s"
    res = run("ingest", "--store", str(store), str(tmp_path / "nowhere.txt"), str(articles / "a.txt"))
    assert res.exit_code == 1, res.output
    assert "nowhere.txt" in res.output and "no such file" in res.output
    res = run("query", "--store", str(store), "--format", "csv", "SELECT (COUNT(*) AS ?n) WHERE { ?a a vnkg:Article }")
    assert res.stdout.split() == ["n", "1"]


def test_progress_counts_articles_and_prints_lines_without_a_terminal(tmp_path, monkeypatch):
    monkeypatch.setattr(kg.cli, "PROGRESS_EVERY", 0.0)
    d = tmp_path / "in"
    d.mkdir()
    (d / "a.txt").write_text(ARTICLE_A, encoding="utf-8")
    lines = [json.dumps({"id": f"j{i}", "text": ARTICLE_B}, ensure_ascii=False) for i in range(3)]
    (d / "batch.jsonl").write_text("\n".join(lines[:2]) + "\n{broken\n\n" + lines[2] + "\n", encoding="utf-8")
    res = run("ingest", "--store", str(tmp_path / "s"), str(d))
    assert res.exit_code == 1  # the broken line
    progress = [ln for ln in res.output.splitlines() if ln.startswith("ingest: ")]
    assert progress.pop(0).startswith("ingest: 5 article(s) or file(s) to read")
    assert progress[0].startswith("ingest: 1/5 (20%)")
    assert progress[-1].startswith("ingest: 5/5 (100%)")
    assert all(int(ln.split()[1].split("/")[0]) <= 5 for ln in progress)
    # a broken JSONL line is named once: file:line, then what is wrong with it
    broken = [ln for ln in res.output.splitlines() if "batch.jsonl:3" in ln and ln.startswith("rejected:")]
    assert broken and "line 3" not in broken[0] and "invalid JSON" in broken[0]


def test_the_summary_counts_distinct_resources_as_stats_does(ingested):
    store, output = ingested
    row = next(ln for ln in output.splitlines() if " Official " in ln)
    assert row.split("│")[2].strip() == "1"  # Trần Văn Minh, named in both articles
    assert "distinct resources" in output
    stats = json.loads(run("stats", "--store", str(store), "--json").stdout)
    assert stats["classes"]["Official"] == 1


def test_an_unforeseen_failure_is_one_line(monkeypatch, capsys):
    def boom():
        raise RuntimeError("something\nbroke")

    monkeypatch.setattr(kg.cli, "app", boom)
    monkeypatch.delenv("VNKG_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exc:
        kg.cli.main()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "RuntimeError: something broke" in " ".join(err.split()) and "Traceback" not in err


# ------------------------------------------------------------------------------ reasoner

needs_java = pytest.mark.skipif(shutil.which("java") is None, reason="the reasoner (HermiT) needs Java")


@needs_java
def test_the_reasoner_names_an_inconsistent_graph_and_an_unsatisfiable_class(ingested, tmp_path):
    src, _ = ingested
    store = tmp_path / "s"
    shutil.copytree(src, store)
    res = run("validate", "--reasoner", "--store", str(store))
    assert "reasoner (HermiT): the ontology" in res.output and "consistent, and every class" in res.output
    target = run("query", "--store", str(store), "-f", "csv", "SELECT ?x WHERE { ?x a vnkg:Target } LIMIT 1")
    done = run("query", "--store", str(store), "-f", "csv", "SELECT ?x WHERE { ?x a vnkg:Achievement } LIMIT 1")
    t, a = target.stdout.split()[-1], done.stdout.split()[-1]
    if t == "x" or a == "x":
        pytest.skip("the example article gave no target and achievement to link")
    unsat = tmp_path / "mine.ttl"
    unsat.write_text("@prefix vnkg: <https://w3id.org/vnkg/ontology#> .\n"
                     "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
                     "<urn:x:Both> rdfs:subClassOf vnkg:Target, vnkg:Achievement .\n")
    assert run("import", str(unsat), "--graph", "urn:x-mine", "--store", str(store)).exit_code == 0
    res = run("validate", "--reasoner", "--store", str(store))
    assert res.exit_code == 1
    assert "unsatisfiable class <urn:x:Both>" in " ".join(res.output.split())
    links = tmp_path / "links.nt"
    links.write_text(f"<{t}> <http://www.w3.org/2002/07/owl#sameAs> <{a}> .\n")
    assert run("import", str(links), "--graph", "urn:x-links", "--store", str(store)).exit_code == 0
    res = run("validate", "--reasoner", "--store", str(store))
    text = " ".join(res.output.split())
    assert res.exit_code == 1 and "inconsistent" in text
    assert "<urn:x-links> contradicts the ontology by itself" in text
    assert "<urn:x-mine> contradicts" not in text
