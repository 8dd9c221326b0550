"""Parallel ingest (kg.parallel) stores exactly what sequential ingest stores, and keeps going.

Inputs: the example articles plus bad files in the middle (binary, empty, an English page, a
broken JSONL line). The store content (every quad, exported as sorted N-Quads) must be the same
with kg.ingest.ingest, with ingest_parallel at jobs=1 and jobs=2, and with the bulk path; the
bad files are reported as problems, the same ones, in the same order.
"""
from __future__ import annotations

import multiprocessing as mp
import shutil
import sys
from pathlib import Path

import pytest

from kg.export import export
from kg.ingest import ingest
from kg.parallel import _Writer, ingest_parallel
from kg.parallel import _work as _real_work
from kg.store import LocalStore

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples" / "articles"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("corpus")
    for f in sorted(EXAMPLES.iterdir()):
        shutil.copy(f, d / f.name)
    (d / "c-binary.txt").write_bytes(bytes(range(256)) * 40)
    (d / "d-empty.html").write_bytes(b"")
    (d / "e-english.txt").write_text("This page is in English and has nothing Vietnamese in it. " * 20)
    lines = (EXAMPLES / "batch.jsonl").read_text(encoding="utf-8").splitlines()
    (d / "f-mixed.jsonl").write_text("\n".join([lines[0], "{not json", lines[-1].replace('"id"', '"id_"')]) + "\n",
                                     encoding="utf-8")
    return d


def _run(fn, corpus: Path, where: Path, **kw):
    st = LocalStore(where)
    seen: list[str] = []
    summary = fn([corpus], st, on_item=seen.append, **kw)
    data = export(st, "nquads")
    st.close()
    return summary, data, seen


@pytest.fixture(scope="module")
def sequential(corpus, tmp_path_factory):
    return _run(ingest, corpus, tmp_path_factory.mktemp("seq"))


def _problems(summary):
    return [(p.source, p.message, p.fatal, [str(v) for v in p.violations]) for p in summary.problems]


def _same(a, b):
    (sa, da, seen_a), (sb, db, seen_b) = a, b
    assert da == db, "stores differ"
    assert (sa.articles, sa.triples, +sa.entities) == (sb.articles, sb.triples, +sb.entities)
    assert _problems(sa) == _problems(sb)
    assert seen_a == seen_b


def test_the_bad_files_are_reported_and_the_rest_is_stored(sequential):
    summary, data, seen = sequential
    sources = [p.source for p in summary.problems if p.fatal]
    for bad in ("c-binary.txt", "d-empty.html", "e-english.txt", "f-mixed.jsonl:2"):
        assert any(s.endswith(bad) for s in sources), (bad, sources)
    assert summary.articles >= 8 and data


def test_one_job_stores_what_sequential_ingest_stores(corpus, sequential, tmp_path):
    _same(_run(ingest_parallel, corpus, tmp_path / "s", jobs=1), sequential)


def test_two_jobs_store_what_sequential_ingest_stores(corpus, sequential, tmp_path):
    _same(_run(ingest_parallel, corpus, tmp_path / "s", jobs=2, chunk=3), sequential)


def test_the_bulk_path_stores_the_same_and_a_second_run_changes_nothing(corpus, sequential, tmp_path):
    first = _run(ingest_parallel, corpus, tmp_path / "s", jobs=2, bulk=True)
    _same(first, sequential)
    again = _run(ingest_parallel, corpus, tmp_path / "s", jobs=1, bulk=True)  # graphs exist: replaced
    assert again[1] == sequential[1]


def test_without_validation_the_same_articles_are_stored(corpus, sequential, tmp_path):
    summary, data, _ = _run(ingest_parallel, corpus, tmp_path / "s", jobs=1, validate=False)
    assert summary.articles >= sequential[0].articles


def test_an_article_met_twice_in_a_bulk_load_ends_as_the_last_one(tmp_path):
    st = LocalStore(tmp_path / "s")
    w = _Writer(st, bulk=True)
    g = "https://w3id.org/vnkg/id/graph/x"
    one = '<https://e.org/a> <https://e.org/p> "1" .\n'
    two = '<https://e.org/a> <https://e.org/p> "2" .\n'
    w.write(g, one, 1)
    w.write(g, two, 1)
    w.flush()
    assert [q.object.value for q in st.quads(g)] == ["2"]
    st.close()


def _crashing_work(units):
    import os

    if any(str(u).endswith("kien-giang-phu-quoc-tong-ket.txt") for u in units):
        os._exit(3)  # a worker dying in native code
    return _real_work(units)


@pytest.mark.skipif(sys.platform != "linux" or "fork" not in mp.get_all_start_methods(),
                    reason="needs the fork start method to hand the workers a patched function")
def test_a_worker_that_dies_costs_only_the_article_that_killed_it(corpus, sequential, tmp_path, monkeypatch):
    import kg.parallel as par

    monkeypatch.setenv("VNKG_MP_START", "fork")
    monkeypatch.setattr(par, "_work", _crashing_work)
    summary, data, seen = _run(ingest_parallel, corpus, tmp_path / "s", jobs=2, chunk=4)
    died = [p.source for p in summary.problems if p.message == "worker process died"]
    assert len(died) == 1 and died[0].endswith("kien-giang-phu-quoc-tong-ket.txt")
    assert summary.articles == sequential[0].articles - 1
    assert seen == sequential[2]
