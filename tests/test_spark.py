"""``vnkg ingest --spark MASTER``: the same store, byte for byte, as a local ingest of the same input.

Runs Spark in local mode (``local[2]``); skipped, with the reason, where pyspark (the ``spark``
extra) or Java is missing.
"""
from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # bench/ is not an installed package
    sys.path.insert(0, str(ROOT))

if importlib.util.find_spec("pyspark") is None:
    pytest.skip("pyspark is not installed (pip install -e '.[spark]')", allow_module_level=True)
if shutil.which("java") is None:
    pytest.skip("Java is not installed (Spark needs Java 17)", allow_module_level=True)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """Generated articles in the three formats, our example articles, and a file that cannot be read."""
    from bench.generate import generate

    folder = tmp_path_factory.mktemp("spark-corpus")
    generate(30, folder, per_jsonl=7, density="rich")
    articles = folder / "articles"
    for p in (ROOT / "examples" / "articles").iterdir():
        if p.is_file():
            shutil.copy(p, articles / p.name)
    (articles / "broken.html").write_bytes(b"\x00\x01\x02 not an article")
    return articles


def test_a_spark_ingest_stores_what_a_local_ingest_stores_and_reports_the_same_problems(tmp_path, corpus):
    from kg.export import export
    from kg.ingest import ingest
    from kg.spark import ingest_spark
    from kg.store import LocalStore

    spark_store, local_store = LocalStore(tmp_path / "spark"), LocalStore(tmp_path / "local")
    parts = tmp_path / "parts"
    by_spark = ingest_spark([corpus], spark_store, "local[2]", bulk=True, parts=parts)
    by_hand = ingest([corpus], local_store)
    assert by_spark.articles == by_hand.articles > 30
    assert by_spark.triples == by_hand.triples and by_spark.entities == by_hand.entities
    problem = lambda p: (p.source, p.message, p.fatal, [str(v) for v in p.violations])  # noqa: E731
    assert sorted(map(problem, by_spark.problems)) == sorted(map(problem, by_hand.problems))
    assert any(p.source.endswith("broken.html") for p in by_spark.problems)
    assert export(spark_store, "nquads") == export(local_store, "nquads")
    # the parts kept hold the article graphs and the shared descriptions, nothing else
    files = sorted(parts.glob("part-*.nq"))
    assert len(files) > 1 and not list(parts.glob("*.tmp"))
    graphs = {line.rsplit(" ", 2)[-2] for f in files for line in f.read_text(encoding="utf-8").splitlines()}
    assert "<https://w3id.org/vnkg/graph/entities>" in graphs and len(graphs) == by_spark.articles + 1


def test_ingesting_again_with_spark_replaces_the_graphs_as_a_local_ingest_does(tmp_path, corpus):
    from kg.export import export
    from kg.ingest import ingest
    from kg.spark import ingest_spark
    from kg.store import LocalStore

    once, twice = LocalStore(tmp_path / "once"), LocalStore(tmp_path / "twice")
    ingest([corpus], once)
    ingest([corpus], twice)
    ingest_spark([corpus], twice, "local[2]", bulk=True)  # every graph exists: replaced, not added to
    assert export(twice, "nquads") == export(once, "nquads")


def test_the_command_line_runs_the_job_and_says_what_goes_with_what(tmp_path, corpus):
    exe = Path(sys.executable).parent / "vnkg"
    done = subprocess.run([str(exe), "ingest", "--spark", "local[2]", "--store", str(tmp_path / "s"), str(corpus)],
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr[-2000:]  # broken.html is rejected, the rest stored
    assert "broken.html" in done.stderr and "articles stored" in done.stderr
    wrong = subprocess.run([str(exe), "ingest", "--spark-parts", str(tmp_path / "p"), "--store", str(tmp_path / "t"),
                            str(corpus)], capture_output=True, text=True, timeout=120)
    assert wrong.returncode == 2 and "--spark-parts goes with --spark" in wrong.stderr
