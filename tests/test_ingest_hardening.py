"""One article never stops a batch: odd characters round-trip, bad ids are reported alone, a worker's
failure is its article's, and workers end with their parent."""
from __future__ import annotations

import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.ingest import ingest
from kg.namespaces import TENURES_GRAPH
from kg.parallel import _work as _real_work
from kg.parallel import ingest_parallel
from kg.store import LocalStore, ntriples, without_surrogates
from loaders.read import read_path

ROOT = Path(__file__).resolve().parent.parent
BATCH = ROOT / "examples" / "articles" / "batch.jsonl"
GOOD = [json.loads(line) for line in BATCH.read_text(encoding="utf-8").splitlines() if line.strip()]

# Characters that broke a line or a parser: C0/C1 controls, separators, quotes, backslashes, surrogates.
HOSTILE = list("\x00\x01\x1c\x1d\x1e\x1f\x7f\x85\x9f\u2028\u2029\r\n\t\"'\\<>{}") + ["\ud800", "\udfff", "\\u0041"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.characters(), st.sampled_from(HOSTILE)), max_size=40).map("".join))
def test_any_string_round_trips_through_the_ntriples_path(text):
    g = Graph()
    g.add((URIRef("https://e.org/s"), URIRef("https://e.org/p"), Literal(text)))
    g.add((URIRef("https://e.org/s"), URIRef("https://e.org/q"), Literal(text, lang="vi")))
    nt = ntriples(g)
    assert nt.count("\n") == 2 and len(nt.splitlines()) == 2  # one line per triple, whatever splits lines
    store = LocalStore(None)
    store.replace_graph("https://e.org/g", g)
    got = {q.predicate.value: q.object for q in store.quads("https://e.org/g")}
    want = without_surrogates(text)
    assert got["https://e.org/p"].value == want
    assert got["https://e.org/q"].value == want and got["https://e.org/q"].language == "vi"


# Graphs derived from all the articles of the store (an added article changes them).
DERIVED = {TENURES_GRAPH}


def _write(folder: Path, records: list[dict], name: str = "batch.jsonl") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                               encoding="utf-8")
    return folder


def _graphs(store: LocalStore) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for q in store.quads():
        out.setdefault(q.graph_name.value, set()).add(f"{q.subject} {q.predicate} {q.object}")
    return out


def _ingest(folder: Path, where: Path, jobs: int = 0, **kw):
    store = LocalStore(where)
    if jobs:
        summary = ingest_parallel([folder], store, jobs=jobs, **kw)
    else:
        summary = ingest([folder], store, **kw)
    graphs = _graphs(store)
    store.close()
    return summary, graphs


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    d = tmp_path_factory.mktemp("clean")
    return _ingest(_write(d / "in", GOOD), d / "store", validate=False)


BAD_IDS = ["bad id with space", "x>y", 'say"hi', "../escape", "a..b"]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_a_bad_id_is_one_rejection_and_the_rest_is_stored(bad, clean, tmp_path):
    poisoned = GOOD[:1] + [dict(GOOD[1], id=bad)] + GOOD[1:]
    summary, graphs = _ingest(_write(tmp_path / "in", poisoned), tmp_path / "store", validate=False)
    fatal = [p for p in summary.problems if p.fatal]
    assert len(fatal) == 1 and "bad article id" in fatal[0].message and fatal[0].source.endswith(":2")
    assert graphs == clean[1]
    assert not any(".." in g for g in graphs)


def test_with_two_jobs_a_bad_id_costs_only_its_article(clean, tmp_path):
    poisoned = GOOD[:1] + [dict(GOOD[1], id="x y")] + GOOD[1:]
    summary, graphs = _ingest(_write(tmp_path / "in", poisoned), tmp_path / "store", jobs=2, validate=False)
    assert [p.source.endswith(":2") for p in summary.problems if p.fatal] == [True]
    assert summary.articles == len(GOOD)
    # Worker processes import the code afresh: the graphs are compared by name here (their
    # content is the same as sequential ingest's, see tests/test_parallel.py).
    assert graphs.keys() == clean[1].keys()


def test_a_file_name_that_is_no_id_is_reported_by_name(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    (d / "bài viết.txt").write_text(GOOD[0]["text"], encoding="utf-8")
    (d / "ok.txt").write_text(GOOD[0]["text"], encoding="utf-8")
    items = list(read_path(d))
    assert [getattr(i, "id", None) for i in items] == [None, "ok"]
    assert "bad article id 'bài viết'" in items[0].message


def test_separators_and_controls_in_a_title_are_stored_and_nothing_stops(clean, tmp_path):
    title = "Tiêu đề\x1dcó\x1c ký tự\u2028lạ\x85 và\x00 NUL"
    poisoned = GOOD + [dict(GOOD[0], id="odd-title", title=title)]
    for jobs in (0, 2):
        summary, graphs = _ingest(_write(tmp_path / f"in{jobs}", poisoned), tmp_path / f"store{jobs}",
                                  jobs=jobs, validate=False)
        assert not [p for p in summary.problems if p.fatal]
        assert summary.articles == len(GOOD) + 1
        for g, triples in clean[1].items():
            if g in DERIVED:  # derived from all articles: the odd article's readings are in it too
                continue
            assert g in graphs and (jobs or graphs[g] == triples)
        odd = graphs["https://w3id.org/vnkg/id/graph/odd-title"]
        store = LocalStore(tmp_path / f"store{jobs}")
        titles = [q.object.value for q in store.quads("https://w3id.org/vnkg/id/graph/odd-title")
                  if q.predicate.value.endswith("/title") or q.predicate.value.endswith("#title")]
        store.close()
        assert title in titles, (titles, len(odd))


def test_a_lone_surrogate_is_replaced_and_reported(clean, tmp_path):
    poisoned = GOOD + [dict(GOOD[0], id="surrogate", title="Tiêu đề \ud800 lạ")]
    (tmp_path / "in").mkdir()
    line = json.dumps(poisoned[-1])  # ASCII escapes: "\ud800" as JSON writes it
    (tmp_path / "in" / "batch.jsonl").write_text(
        "\n".join([json.dumps(r, ensure_ascii=False) for r in GOOD] + [line]) + "\n", encoding="utf-8")
    summary, graphs = _ingest(tmp_path / "in", tmp_path / "store", validate=False)
    assert [p.fatal for p in summary.problems] == [False]
    assert "lone surrogate" in summary.problems[0].message and summary.problems[0].source.endswith(":4")
    assert summary.articles == len(GOOD) + 1
    for g, triples in clean[1].items():
        if g not in DERIVED:  # derived from all articles: the added article's readings are in it too
            assert graphs[g] == triples


def _work_failing_on_surrogate_id(units):
    if any(getattr(u, "id", "") == "poison" for u in units):
        raise RuntimeError("worker blew up on the poisoned article")
    return _real_work(units)


@pytest.mark.skipif(sys.platform != "linux" or "fork" not in mp.get_all_start_methods(),
                    reason="needs the fork start method to hand the workers a patched function")
def test_a_worker_failure_is_its_articles_not_its_chunks(clean, tmp_path, monkeypatch):
    import kg.parallel as par

    monkeypatch.setenv("VNKG_MP_START", "fork")
    monkeypatch.setattr(par, "_work", _work_failing_on_surrogate_id)
    poisoned = GOOD[:1] + [dict(GOOD[1], id="poison")] + GOOD[1:]
    summary, graphs = _ingest(_write(tmp_path / "in", poisoned), tmp_path / "store", jobs=2, validate=False,
                              chunk=16)
    fatal = [p for p in summary.problems if p.fatal]
    assert len(fatal) == 1 and fatal[0].source.endswith(":2") and "blew up" in fatal[0].message
    assert graphs == clean[1]  # forked workers run the code this process imported


def _children(pid: int) -> list[int]:
    out = []
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(p.name))
    return out


def _alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_workers_end_when_the_ingest_is_killed(tmp_path):
    records = [dict(GOOD[i % len(GOOD)], id=f"a{i}") for i in range(60)]
    _write(tmp_path / "in", records)
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "ingest", "--jobs", "2", "--store",
                             str(tmp_path / "store"), str(tmp_path / "in")], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        kids: list[int] = []
        while time.monotonic() < deadline and len(kids) < 2:
            time.sleep(0.2)
            kids = _children(proc.pid)
            assert proc.poll() is None, "the ingest ended before its workers started"
        assert len(kids) >= 2, kids
        time.sleep(1.0)
        kids = _children(proc.pid)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and any(_alive(k) for k in kids):
            time.sleep(0.2)
        assert not [k for k in kids if _alive(k)], "worker processes outlived the ingest"
    finally:
        if proc.poll() is None:
            proc.kill()
