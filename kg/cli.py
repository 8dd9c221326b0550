"""The ``vnkg`` command: ingest, validate, export, query, import, stats, tenures, conflicts, serve."""
from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path
from typing import Optional

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .iri import Minter, default_base
from .store import default_location, open_store

app = typer.Typer(help="vnkg: a knowledge graph of Vietnamese local Party governance, read out of news articles.",
                  no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False)
out = Console(emoji=False)
err = Console(stderr=True, emoji=False)

STORE = typer.Option(None, "--store", help="Store directory, or the URL of a SPARQL store (default: $VNKG_STORE or ./vnkg-data)")
BASE = typer.Option(None, "--base-iri", help="Base IRI of minted resources (default: $VNKG_BASE_IRI or https://w3id.org/vnkg/id/)")
# Without a terminal (a log, CI) ingest prints a progress line this often (seconds).
PROGRESS_EVERY = 10.0


def fail(message: str, code: int = 2, what: str = "error"):
    """Print one line and stop with ``code`` (2: a usage mistake, 1: the work failed)."""
    err.print(f"[red]{what}:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def _is_url(location: str) -> bool:
    from .store import is_url

    return is_url(location)


def _store(location: Optional[str], *, must_exist: bool = False):
    """Open the store; ``must_exist`` for commands that only read (they refuse to create one, and
    read a checkpoint when a server holds the store; the others hand their writes to it)."""
    from .owner import OwnedStore, StoreHeld

    loc = location or default_location()
    if _is_url(loc):
        try:
            return open_store(loc)
        except (OSError, ValueError) as exc:
            fail(f"cannot open the store at {loc}: {exc}", 1)
    path = Path(loc)
    if path.exists() and not path.is_dir():
        fail(f"--store {loc} is a file, not a store directory")
    if must_exist and (not path.exists() or not any(path.iterdir())):
        fail(f"no store at {loc}; make one with: vnkg ingest --store {loc} ARTICLES…")
    if path.is_dir() and any(path.iterdir()) and not (path / "CURRENT").is_file():
        fail(f"{loc} is a folder but not a vnkg store (no Oxigraph database in it)")
    try:
        return OwnedStore(loc)
    except StoreHeld as held:
        return _through_owner(loc, held, read_only=must_exist)
    except OSError as exc:
        fail(f"cannot open the store at {loc}: {exc}", 1)


def _through_owner(loc: str, held, *, read_only: bool):
    """The store another process holds: through it when it is a server, else one line naming it."""
    from .served import ServerUnreachable, reach

    owner = held.owner
    if owner is None or not owner.url:
        fail(f"{held}; only a running `vnkg serve` can share a store: wait until that process ends and "
             "run the command again", 1)
    try:
        st = reach(loc, owner, read_only=read_only,
                   notice=lambda text: err.print(text, markup=False, highlight=False, soft_wrap=True))
    except ServerUnreachable as exc:
        fail(str(exc), 1)
    if not read_only:
        err.print(f"the store is served by process {owner.pid} at {owner.url}: the graphs are handed to it",
                  markup=False, highlight=False, soft_wrap=True)
    return st


def _valid_iri(iri: str, option: str) -> str:
    try:
        ox.NamedNode(iri)
    except ValueError as exc:
        fail(f"{option} {iri!r} is not an absolute IRI ({exc}); write e.g. urn:x-my-links or https://example.org/g")
    return iri


def _count_inputs(paths: list[Path]) -> int:
    """How many items ingest will report: one per article (a JSONL line) or per unreadable file."""
    from loaders.read import input_files

    n = 0
    for p in paths:
        files = input_files(p) if p.is_dir() else [p]
        for f in files:
            n += _count_file(f)
    return n


def _count_file(path: Path) -> int:
    if path.suffix.lower() != ".jsonl" or not path.is_file():
        return 1
    try:
        with path.open("rb") as f:
            return max(1, sum(1 for line in f if line.strip()))
    except OSError:
        return 1


class _Ticker:
    """Progress without a terminal: one line every PROGRESS_EVERY seconds, and one at the end."""

    def __init__(self, total: int):
        self.total, self.done, self.start = total, 0, time.monotonic()
        self.last = self.start

    def __call__(self, src: str) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.last >= PROGRESS_EVERY:
            self.last = now
            self.line(Path(src).name[:60])

    def line(self, what: str = "") -> None:
        elapsed = time.monotonic() - self.start
        pct = f" ({100 * self.done // self.total}%)" if self.total else ""
        err.print(f"ingest: {self.done}/{self.total}{pct}, {elapsed:.0f} s {what}".rstrip(), highlight=False, soft_wrap=True,
                  markup=False)


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Article files (.txt, .html, .jsonl) and folders"),
           store: Optional[str] = STORE, base_iri: Optional[str] = BASE,
           no_validate: bool = typer.Option(False, "--no-validate", help="Store without SHACL validation"),
           jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for extraction and validation"),
           bulk: bool = typer.Option(False, "--bulk", help="First load of a large corpus into a new store (bulk loader)"),
           spark: Optional[str] = typer.Option(None, "--spark", metavar="MASTER",
                                               help="Extract and validate as an Apache Spark job on MASTER (local[2], "
                                                    "spark://host:7077; pip install 'vnkg[spark]'), then load the store"),
           spark_parts: Optional[Path] = typer.Option(None, "--spark-parts", metavar="DIR",
                                                      help="Folder for the job's N-Quads parts, kept (on a cluster: "
                                                           "shared by the executors and this machine)")):
    """Read articles, extract facts, validate them and store one graph per article."""
    from functools import partial

    from .ingest import ingest

    if spark_parts is not None and spark is None:
        fail("--spark-parts goes with --spark MASTER")
    if spark is not None:
        from .spark import ingest_spark

        if jobs > 1:
            err.print("--jobs does not apply with --spark: Spark's cores do the work", markup=False)
        run = partial(ingest_spark, master=spark, bulk=bulk, parts=spark_parts)
    elif jobs > 1 or bulk:
        from .parallel import ingest_parallel

        run = partial(ingest_parallel, jobs=jobs, bulk=bulk)
    else:
        run = ingest

    existing = [p for p in paths if p.exists()]
    missing = [p for p in paths if not p.exists()]
    for p in missing:  # reported, and the batch goes on with the rest
        err.print(f"[red]rejected:[/] {escape(str(p))}: no such file or folder", highlight=False, soft_wrap=True)
    if not existing:
        fail("nothing to ingest: none of the paths exists", 1)
    st = _store(store)
    if bulk and getattr(st, "served_by", None):
        err.print("--bulk does not apply: the server writes each article's graph in its own transaction",
                  markup=False, highlight=False, soft_wrap=True)
    total = _count_inputs(existing)
    mint = Minter(base_iri or default_base())
    try:
        if err.is_terminal:
            with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          TextColumn("{task.description}"), console=err, transient=True) as progress:
                task = progress.add_task("", total=total or None)
                summary = run(existing, st, mint=mint, validate=not no_validate,
                              on_item=lambda src: progress.update(task, advance=1, description=Path(src).name[:40]))
        else:
            ticker = _Ticker(total)
            err.print(f"ingest: {total} article(s) or file(s) to read; a line every {PROGRESS_EVERY:g} s", markup=False)
            summary = run(existing, st, mint=mint, validate=not no_validate, on_item=ticker)
            ticker.line("done")
    except OSError as exc:  # the store (or the server that holds it) failed: nothing more can be written
        fail(f"the store failed: {exc}; the articles stored before this stay stored", 1)
    except RuntimeError as exc:  # Spark could not start (kg.spark.SparkUnavailable): nothing was written
        if type(exc).__name__ != "SparkUnavailable":
            raise
        fail(str(exc), 1)
    finally:
        st.close()
    for p in summary.problems:
        err.print(f"[{'red' if p.fatal else 'yellow'}]{'rejected' if p.fatal else 'partial'}:[/] {escape(str(p))}", highlight=False, soft_wrap=True)
    table = Table(title="ingest summary", show_header=False)
    table.add_row("articles stored", str(summary.articles))
    table.add_row("triples written", str(summary.triples))
    if summary.entities:
        table.add_row("distinct resources:", "")
    for kind, n in sorted(summary.entities.items()):
        table.add_row(f"  {kind}", str(n))
    table.add_row("files or lines rejected", str(summary.rejected + len(missing)))
    table.add_row("articles partly held back", str(len(summary.problems) - summary.rejected))
    err.print(table)
    if summary.problems or missing:
        raise typer.Exit(1)


@app.command()
def validate(store: Optional[str] = STORE,
             reasoner: bool = typer.Option(False, "--reasoner", help="Also run the OWL reasoner HermiT (Java) over the "
                                           "ontology and the graphs imported with `vnkg import`")):
    """Validate the articles' graphs (with the shared descriptions) against the shapes, in one pass."""
    from .validate import validate_store

    st = _store(store, must_exist=True)
    report = validate_store(st)
    reasoned = None
    if reasoner:
        from .reason import ReasonerUnavailable, reason_over_store

        try:
            reasoned = reason_over_store(st)
        except ReasonerUnavailable as exc:
            st.close()
            fail(str(exc), 1)
    st.close()
    for graph, found in sorted(report.by_graph.items()):
        err.print(f"[red]{escape(graph)}[/]: {len(found)} violation(s)")
        for v in found[:20]:
            err.print(f"    {v}", highlight=False, markup=False)
    err.print(f"{report.graphs} graph(s), {report.triples} triples checked; {len(report.by_graph)} do not conform")
    if reasoned is not None:
        for line in reasoned.lines():
            err.print(line, highlight=False, soft_wrap=True, markup=False)
    if report.by_graph or (reasoned is not None and not reasoned.ok):
        raise typer.Exit(1)


@app.command()
def export(format: str = typer.Option("trig", "--format", "-f", help="turtle, trig, nquads, ntriples or jsonld"),
           graph: Optional[str] = typer.Option(None, "--graph", help="Only this named graph"),
           output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)"),
           store: Optional[str] = STORE,
           tenures: Optional[str] = typer.Option(None, "--tenures", metavar="csv",
                                                 help="The tenure table instead of RDF (csv: one row per tenure)")):
    """Export the dataset (ontology and reference data included) or one graph."""
    from .export import FORMATS, export as run

    if tenures is not None:
        return _export_tenures(tenures, output, store)
    if format not in FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if graph is not None:
        _valid_iri(graph, "--graph")
    _writable(output)
    st = _store(store, must_exist=True)
    if graph is not None and graph not in st.graphs():
        st.close()
        fail(f"no graph <{graph}> in the store; nothing written (`vnkg stats` counts the graphs, "
             "`vnkg query 'SELECT DISTINCT ?g WHERE { GRAPH ?g {} }'` lists them)", 1)
    try:
        if output:  # written as it is read: the dataset is never held in memory
            with output.open("wb") as out:
                run(st, format, graph, out=out)
        else:
            run(st, format, graph, out=sys.stdout.buffer)
    except OSError as exc:
        fail(f"cannot write {output or 'to standard output'}: {exc.strerror or exc}", 1)
    finally:
        st.close()


def _writable(output: Optional[Path]) -> None:
    """Stop with one line when ``-o`` names a folder, or a file in a folder that does not exist."""
    if output is not None:
        folder = output.parent if str(output.parent) else Path(".")
        if output.is_dir():
            fail(f"-o {output} is a folder; name a file to write")
        if not folder.is_dir():
            fail(f"cannot write {output}: the folder {folder} does not exist")


def _export_tenures(fmt: str, output: Optional[Path], store: Optional[str]) -> None:
    from .tenures import csv_text, table

    if fmt != "csv":
        fail(f"--tenures {fmt!r}: the tenure table is written as csv")
    _writable(output)
    st = _store(store, must_exist=True)
    text = csv_text(table(st))
    st.close()
    if output:
        try:
            output.write_text(text, encoding="utf-8", newline="")
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}", 1)
    else:
        sys.stdout.buffer.write(text.encode("utf-8"))


@app.command()
def tenures(store: Optional[str] = STORE, base_iri: Optional[str] = BASE,
            rebuild: bool = typer.Option(False, "--rebuild", help="Recompute every tenure from the post readings"),
            check: bool = typer.Option(False, "--check", help="Check each tenure's bounds against its readings")):
    """Tenures (who held which post, when, read across articles): what the tenures graph holds."""
    from . import tenures as T

    loc = store or default_location()
    if not _is_url(loc) and (not Path(loc).is_dir() or not any(Path(loc).iterdir())):
        fail(f"no store at {loc}; make one with: vnkg ingest --store {loc} ARTICLES…")
    st = _store(store, must_exist=not rebuild)
    if rebuild:
        forward = getattr(st, "after_ingest", None)
        if forward is not None:  # a server owns the store: it recomputes them on its own store
            forward([g for g in st.graphs() if "/graph/" in g])
            err.print("the store's server has recomputed the tenures of every article", markup=False)
        else:
            done = T.rebuild(st, Minter(base_iri or default_base()))
            err.print(f"{done.tenures:,} tenures from {done.readings:,} post readings of {done.groups:,} posts "
                      f"in {done.seconds:.1f} s", markup=False)
    counts = T.counts(st)
    problems = T.disagreements(T.stored(st, evidence=False)) if check else []
    st.close()
    table = Table("what", "count")
    for what in ("tenures", "beginning attested", "beginning noLaterThan", "end attested", "end noLaterThan",
                 "end noEarlierThan", "successions", "stated replacements", "conflicts"):
        table.add_row(what, f"{counts.get(what, 0):,}")
    out.print(table)
    if check:
        for p in problems[:50]:
            err.print(p, markup=False, highlight=False, soft_wrap=True)
        err.print(f"{len(problems)} tenure bound(s) disagree with their readings", markup=False)
        if problems:
            raise typer.Exit(1)


@app.command()
def conflicts(store: Optional[str] = STORE, base_iri: Optional[str] = BASE,
              body: Optional[str] = typer.Option(None, "--body", help="Only this body (IRI, or org/… under the base IRI)"),
              official: Optional[str] = typer.Option(None, "--official", help="Only this official (IRI)"),
              format: str = typer.Option("table", "--format", "-f", help="table, csv or json")):
    """Two officials read holding one single-holder post (Bí thư, Chủ tịch, …) on overlapping dates, with the evidence."""
    from . import tenures as T

    if format not in ("table", "csv", "json"):
        fail(f"unknown format {format!r}; choose one of table, csv, json")
    base = base_iri or default_base()
    try:
        body_iri = T.body_iri(body, base) if body else None
        official_iri = T.body_iri(official, base) if official else None
    except ValueError as exc:
        fail(f"not an IRI: {exc}")
    st = _store(store, must_exist=True)
    found = T.conflicts(st, body=body_iri, official=official_iri)
    names = T.labels(st, [x for c in found for t in (c.a, c.b) for x in (t.official, t.role, t.body)])
    st.close()
    rows = [{"conflict": i + 1, "body": names.get(t.body, t.body), "role": names.get(t.role, t.role),
             "official": names.get(t.official, t.official), "overlap_from": c.start.isoformat(),
             "overlap_to": c.end.isoformat(), "date": r.date.isoformat(), "status": r.status,
             "article": r.article_id or r.article or "", "evidence": r.evidence or "", "tenure": t.iri}
            for i, c in enumerate(found) for t, r in c.evidence()]
    if format == "json":
        _write(json.dumps(rows, ensure_ascii=False, indent=1).encode("utf-8"))
    elif format == "csv":
        import csv
        import io

        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else ["conflict"], lineterminator="\r\n")
        w.writeheader()
        w.writerows({k: T._cell(v) for k, v in row.items()} for row in rows)
        sys.stdout.buffer.write(buf.getvalue().encode("utf-8"))
    else:
        table = Table("#", "body", "role", "official", "date", "article", "evidence", show_lines=True)
        for row in rows:
            table.add_row(str(row["conflict"]), Text(row["body"]), Text(row["role"]), Text(row["official"]),
                          row["date"], Text(row["article"]), Text(row["evidence"]))
        out.print(table)
    err.print(f"{len(found)} conflict(s)", markup=False)


# Result formats of `vnkg query`: for SELECT and ASK, and for CONSTRUCT/DESCRIBE.
SOLUTION_FORMATS = {"table": None, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                    "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES}


def _write(data: bytes) -> None:
    sys.stdout.buffer.write(data if data.endswith(b"\n") else data + b"\n")
    sys.stdout.buffer.flush()


@app.command()
def query(sparql: str = typer.Argument(..., help="A SPARQL query, or @file.rq"),
          format: str = typer.Option("table", "--format", "-f",
                                     help="table, csv, tsv, json, xml (SELECT/ASK); turtle, ntriples (CONSTRUCT/DESCRIBE)"),
          store: Optional[str] = STORE,
          allow_service: list[str] = typer.Option([], "--allow-service", metavar="URL-PREFIX",
                                                  help="Let SERVICE and LOAD reach IRIs under this prefix (repeatable; none by default)")):
    """Run a SPARQL query over the union of all graphs."""
    from .querylimits import call_with_deep_stack

    # Parsing and evaluation recurse per level of nesting: a thread with a large stack.
    call_with_deep_stack(_query, sparql, format, store, tuple(allow_service))


def _query(sparql: str, format: str, store: Optional[str], allow_service: tuple[str, ...] = ()) -> None:
    from .namespaces import PREFIXES, sparql_prefixes
    from .queryerrors import explain
    from .querylimits import QueryRefused, guard

    if format not in SOLUTION_FORMATS and format not in GRAPH_FORMATS:
        fail(f"unknown format {format!r}; choose one of {', '.join([*SOLUTION_FORMATS, *GRAPH_FORMATS])}")
    if sparql.startswith("@"):
        path = Path(sparql[1:])
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            fail(f"no such query file: {path}")
        except (OSError, UnicodeDecodeError) as exc:
            fail(f"cannot read the query file {path}: {getattr(exc, 'strerror', None) or exc}")
    else:
        text = sparql
    try:
        guard(text, allowed=allow_service)
    except QueryRefused as exc:
        fail(str(exc), what="query refused")
    st = _store(store, must_exist=True)
    try:
        if hasattr(st, "ox"):
            result = st.ox.query(text, use_default_graph_as_union=True,
                                 prefixes={p: str(n) for p, n in PREFIXES.items()})
        else:  # a remote store: the predeclared prefixes are written out
            result = st.query(sparql_prefixes() + text, union_default_graph=True)
    except SyntaxError as exc:
        st.close()
        fail(explain(text, str(exc), PREFIXES), what="query error")
    except OSError as exc:
        st.close()
        fail(f"the store failed to answer: {exc}", 1)
    try:
        if isinstance(result, (bool, ox.QueryBoolean)):
            answer = bool(result)
            if format in GRAPH_FORMATS:
                fail(f"--format {format} is for CONSTRUCT and DESCRIBE; an ASK answer is written as "
                     "table, csv, tsv, json or xml")
            if format in ("json", "xml"):
                _write(ox.QueryBoolean(answer).serialize(format=SOLUTION_FORMATS[format])
                       if isinstance(result, bool) else result.serialize(format=SOLUTION_FORMATS[format]))
            else:
                out.print("true" if answer else "false")
        elif isinstance(result, ox.QuerySolutions):
            if format in GRAPH_FORMATS:
                fail(f"--format {format} is for CONSTRUCT and DESCRIBE; a SELECT result is written as "
                     "table, csv, tsv, json or xml")
            if format != "table":
                _write(result.serialize(format=SOLUTION_FORMATS[format]))
            else:
                names = [v.value for v in result.variables]
                table = Table(*names)
                for row in result:
                    table.add_row(*[Text("" if row[n] is None else row[n].value) for n in names])
                out.print(table)
        else:
            if format not in GRAPH_FORMATS and format != "table":
                fail(f"--format {format} is for SELECT and ASK; a graph result is written as turtle or ntriples")
            rdf = GRAPH_FORMATS.get(format, ox.RdfFormat.TURTLE)
            kwargs = {"prefixes": {p: str(n) for p, n in PREFIXES.items()}} if rdf == ox.RdfFormat.TURTLE else {}
            _write(ox.serialize(list(result), format=rdf, **kwargs))
    except OSError as exc:
        fail(f"the store failed to answer: {exc}", 1)
    finally:
        result = None  # results hold the store open until they are gone
        st.close()


@app.command("import")
def import_(file: Path = typer.Argument(..., help="An RDF file (format from its extension)"),
            graph: str = typer.Option(..., "--graph", help="IRI of the named graph to put it in (replaced)"),
            store: Optional[str] = STORE):
    """Add any RDF (e.g. a researcher's own links) as a named graph."""
    from rdflib import Graph
    from rdflib.util import guess_format

    _valid_iri(graph, "--graph")
    if not file.exists():
        fail(f"no such file: {file}")
    if not file.is_file():
        fail(f"{file} is not a file")
    try:
        g = Graph().parse(file, format=guess_format(str(file)) or "turtle")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        fail(f"{file}: cannot parse as RDF: {' '.join(str(exc).split())[:300]}")
    st = _store(store)
    st.replace_graph(graph, g)
    st.close()
    err.print(f"{len(g)} triples imported into <{graph}>", markup=False)


@app.command()
def stats(store: Optional[str] = STORE, as_json: bool = typer.Option(False, "--json")):
    """Counts: graphs, triples, entities by class."""
    st = _store(store, must_exist=True)
    rows = st.query("PREFIX vnkg: <https://w3id.org/vnkg/ontology#> SELECT ?c (COUNT(DISTINCT ?x) AS ?n) WHERE "
                    "{ ?x a ?c FILTER(STRSTARTS(STR(?c), STR(vnkg:))) } GROUP BY ?c ORDER BY ?c")
    counts = {r["c"].value.split("#")[-1]: int(r["n"].value) for r in rows}
    data = {"graphs": len(st.graphs()), "triples": st.count(), "classes": counts}
    st.close()
    if as_json:
        out.print_json(json.dumps(data))
        return
    table = Table("what", "count")
    table.add_row("named graphs", str(data["graphs"]))
    table.add_row("triples", str(data["triples"]))
    for c, n in counts.items():
        table.add_row(f"vnkg:{c}", str(n))
    out.print(table)


@app.command()
def serve(store: Optional[str] = STORE, host: str = typer.Option("127.0.0.1", "--host"),
          port: int = typer.Option(8000, "--port"), base_iri: Optional[str] = BASE,
          timeout: Optional[float] = typer.Option(None, "--timeout", help="Query time limit in seconds (default 30)"),
          max_rows: Optional[int] = typer.Option(None, "--max-rows", help="Row cap of SELECT results (default 10000)"),
          allow_update: bool = typer.Option(False, "--allow-update", help="Accept SPARQL Update without a token (local use)"),
          update_token: Optional[str] = typer.Option(None, "--update-token", help="Bearer token that enables SPARQL Update"),
          allow_service: list[str] = typer.Option([], "--allow-service", metavar="URL-PREFIX",
                                                  help="Let SERVICE and LOAD reach IRIs under this prefix (repeatable; none by default)"),
          query_memory: Optional[int] = typer.Option(None, "--query-memory", metavar="MIB",
                                                     help="Memory one query may use, in MiB (default 1024)"),
          max_depth: Optional[int] = typer.Option(None, "--max-depth", help="Nesting of brackets a query may have (default 100)"),
          max_operators: Optional[int] = typer.Option(None, "--max-operators",
                                                      help="Operators and clauses a query may have (default 2000)"),
          max_query_bytes: Optional[int] = typer.Option(None, "--max-query-bytes", help="Bytes of a query (default 1 MiB)"),
          max_body: Optional[int] = typer.Option(None, "--max-body", help="Bytes of a request body (default 16 MiB)"),
          workers: Optional[int] = typer.Option(None, "--workers", help="Query worker processes (default 4, or one per core if fewer)")):
    """Serve the store: SPARQL endpoint, linked-data pages, search, query page, dumps."""
    from server.app import serve as run

    from .owner import StoreHeld

    loc = store or default_location()
    if not _is_url(loc):
        path = Path(loc)
        if path.exists() and not path.is_dir():
            fail(f"--store {loc} is a file, not a store directory")
        if not (allow_update or update_token) and (not path.is_dir() or not any(path.iterdir())):
            fail(f"no store at {loc}; make one with: vnkg ingest --store {loc} ARTICLES… "
                 "(or serve an empty one with --allow-update)")
    try:
        run(loc, host=host, port=port, base_iri=base_iri, timeout=timeout,
            max_rows=max_rows, allow_update=allow_update or None, update_token=update_token,
            allow_service=tuple(allow_service) or None, query_memory_mb=query_memory, max_depth=max_depth,
            max_operators=max_operators, max_query_bytes=max_query_bytes, max_body=max_body, workers=workers,
            on_listen=lambda url: err.print(f"serving {loc} on {url}", markup=False, highlight=False))
    except StoreHeld as held:
        fail(f"cannot serve: {held}; wait until it ends, or stop it, and start the server again", 1)
    except OSError as exc:
        fail(f"cannot serve {loc} on {host}:{port}: {exc.strerror or exc}", 1)


def main() -> None:
    """The console script: a mistake nobody foresaw still ends in one line, not a traceback
    (set VNKG_DEBUG=1 to see it)."""
    import os

    try:
        app()
    except Exception as exc:  # noqa: BLE001 - the last resort of a command line
        if os.environ.get("VNKG_DEBUG"):
            raise
        err.print(f"[red]error:[/] {type(exc).__name__}: {escape(' '.join(str(exc).split())[:500])}"
                  " (set VNKG_DEBUG=1 for the traceback)", highlight=False, soft_wrap=True)
        raise SystemExit(1)


if __name__ == "__main__":
    main()
