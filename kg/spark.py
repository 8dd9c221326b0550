"""Ingest as an Apache Spark job: ``vnkg ingest --spark MASTER PATH…`` (``pip install vnkg[spark]``).

For corpora past one machine, reading, extraction, mapping to RDF and SHACL validation run on
Spark's executors, as the DBpedia extraction framework does, instead of in local worker
processes; the store is then loaded once, on the driver:

1. The driver lists the input files (a ``.txt``/``.html`` file is one article; a ``.jsonl`` file
   is read whole by one executor: split a very large one) and sends them to Spark in order,
   in about four partitions per core.
2. Each partition runs what a local worker runs (:func:`kg.parallel._work`: the same code, so
   the same graphs and the same problems) on chunks of its files, and writes one N-Quads part,
   ``part-NNNNN.nq``: for each stored article, its own graph, then its shared descriptions in
   the entities graph. It sends back one small record per article (source, graph, line counts,
   resources, the problem if any), never the triples.
3. The driver reads the parts back in input order and writes each article as a local ingest
   does (:func:`kg.parallel.store_results`): into the embedded store (``--bulk``: the bulk loader
   for new graphs) or to a remote store (``--store virtuoso+http://…``), then derives the
   tenures. The store ends byte for byte as after ``vnkg ingest`` of the same input (tested on
   ``local[2]``).

On a cluster every node needs Python with ``vnkg`` installed (``pip install vnkg``: the
lexicons, the gazetteer tables, the ontology and the shapes are package data), the input files
at the same path, and ``--spark-parts`` a folder on storage that the executors write and the
driver reads (a shared file system). Without ``--spark-parts`` the parts go to a temporary
folder that is removed once loaded, which only works where the executors share the driver's
disk (``local[N]``).
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Callable, Iterable, Iterator

from loaders.read import ReadError, read_path

from .ingest import Problem, Summary, ensure_reference
from .iri import Minter
from .namespaces import ENTITIES_GRAPH
from .parallel import CHUNK, Result, _files, store_results

#: Partitions per core of the Spark context (several, so that a slow partition does not hold the job).
PARTITIONS_PER_CORE = 4


class SparkUnavailable(RuntimeError):
    """pyspark is not installed, or Spark (Java) cannot start; the message says which."""


@dataclass
class Record:
    """What an executor sends back for one article (or for a file that gave none)."""

    source: str
    graph_iri: str | None = None
    own: int = 0  # lines of the article's graph in the part
    shared: int = 0  # then lines of its shared descriptions
    triples: int = 0
    entities: dict = field(default_factory=dict)
    problem: Problem | None = None


def spark_units(paths: Iterable[str | Path]) -> Iterator[str | ReadError]:
    """The input files in the order :func:`loaders.read.read_path` reads them (paths as given), and
    a :class:`ReadError` for a path that does not exist."""
    for p in paths:
        p = Path(p)
        if not p.exists():
            yield from read_path(p)
            continue
        for f in _files(p):
            yield str(f)


def _quads(nt: str, graph: str) -> tuple[str, int]:
    """N-Triples text as N-Quads lines of ``graph``, and their number."""
    suffix = f" <{graph}> .\n"
    lines = [line[:-2] + suffix for line in nt.split("\n") if line.endswith(" .")]
    return "".join(lines), len(lines)


def _partition(index: int, units: Iterable, *, base: str, validate: bool, parts: str, chunk: int) -> Iterator[Record]:
    """One Spark partition: its files through the local worker's code, one part file, one record per article."""
    from . import parallel

    if parallel._state.get("mint") is None or parallel._state["mint"].base != base or \
            parallel._state.get("validate") != validate:
        parallel._init(base, validate)  # once per executor process: gazetteer, lexicons, shapes
    units = list(units)
    out = Path(parts) / f"part-{index:05d}.nq"
    tmp = out.with_suffix(".nq.tmp")
    records: list[Record] = []
    with tmp.open("w", encoding="utf-8") as f:
        for i in range(0, len(units), chunk):
            for r in parallel._work(units[i:i + chunk]):
                rec = Record(r.source, r.graph_iri, triples=r.triples, entities=r.entities, problem=r.problem)
                if r.graph_iri is not None:
                    text, rec.own = _quads(r.nt, r.graph_iri)
                    f.write(text)
                    if r.shared is not None:
                        text, rec.shared = _quads(r.shared[1], r.shared[0])
                        f.write(text)
                records.append(rec)
    os.replace(tmp, out)  # a task run again (a lost executor) writes the same part whole
    return iter(records)


def _context(master: str):
    try:
        from pyspark import SparkConf, SparkContext
    except ImportError as exc:
        raise SparkUnavailable("pyspark is not installed: pip install 'vnkg[spark]' (and Java 17)") from exc
    conf = (SparkConf().setMaster(master).setAppName("vnkg ingest").set("spark.ui.enabled", "false")
            .set("spark.python.worker.reuse", "true"))
    if master.startswith("local") and "PYSPARK_PYTHON" not in os.environ:
        os.environ["PYSPARK_PYTHON"] = sys.executable  # the executors run this Python, where vnkg is installed
    try:
        sc = SparkContext.getOrCreate(conf)
    except Exception as exc:  # no Java, a master that cannot be reached
        raise SparkUnavailable(f"Spark could not start with --spark {master}: {' '.join(str(exc).split())[:300]} "
                               "(it needs Java 17 on the PATH or JAVA_HOME)") from exc
    sc.setLogLevel("ERROR")
    return sc


def _results(parts: Path, records: list[tuple[int, Record]]) -> Iterator[Result]:
    """The records with their triples read back from the parts, in input order."""
    by_part: dict[int, list[Record]] = {}
    for index, rec in records:
        by_part.setdefault(index, []).append(rec)
    for index in sorted(by_part):
        path = parts / f"part-{index:05d}.nq"
        with path.open(encoding="utf-8") as f:
            for rec in by_part[index]:
                if rec.graph_iri is None:
                    yield Result(rec.source, problem=rec.problem)
                    continue
                own = "".join(_triple(f.readline(), rec.graph_iri) for _ in range(rec.own))
                shared = "".join(_triple(f.readline(), ENTITIES_GRAPH) for _ in range(rec.shared))
                yield Result(rec.source, rec.graph_iri, own, (ENTITIES_GRAPH, shared) if rec.shared else None,
                             rec.triples, rec.entities, rec.problem)


def _triple(line: str, graph: str) -> str:
    suffix = f" <{graph}> .\n"
    if not line.endswith(suffix):
        raise ValueError(f"a part does not hold what its record says (expected a quad of <{graph}>, got {line[:200]!r})")
    return line[:-len(suffix)] + " .\n"


def ingest_spark(paths: Iterable[str | Path], store, master: str, *, mint: Minter | None = None,
                 validate: bool = True, on_item: Callable[[str], None] | None = None, bulk: bool = False,
                 parts: str | Path | None = None, chunk: int = CHUNK) -> Summary:
    """Ingest files and folders into ``store`` with a Spark job on ``master`` (see the module doc);
    the same summary, problems and store content as :func:`kg.ingest.ingest`."""
    mint = mint or Minter()
    ensure_reference(store, mint)
    units = list(spark_units(paths))
    missing = [u for u in units if isinstance(u, ReadError)]
    files = [u for u in units if not isinstance(u, ReadError)]
    own_parts = parts is None
    folder = Path(tempfile.mkdtemp(prefix="vnkg-spark-")) if own_parts else Path(parts)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("part-*.nq"):  # parts of an earlier run would be read as this one's
        old.unlink()
    try:
        records: list[tuple[int, Record]] = []
        if files:
            sc = _context(master)
            try:
                slices = max(1, min(len(files), sc.defaultParallelism * PARTITIONS_PER_CORE))
                base, folder_text = mint.base, str(folder.resolve())

                def run(index, it):
                    return ((index, r) for r in _partition(index, it, base=base, validate=validate,
                                                           parts=folder_text, chunk=chunk))

                records = sc.parallelize(files, slices).mapPartitionsWithIndex(run).collect()
            finally:
                sc.stop()
        gone = (Result(e.source, problem=Problem(e.source, e.message)) for e in missing)  # reported first
        summary = store_results(chain(gone, _results(folder, records)), store, bulk=bulk, on_item=on_item)
    finally:
        if own_parts:
            shutil.rmtree(folder, ignore_errors=True)
    return summary
