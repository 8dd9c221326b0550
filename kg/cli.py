"""The ``vnkg`` command: ingest, validate, export, query, import, stats, serve."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from .iri import Minter, default_base
from .store import default_location, open_store

app = typer.Typer(help="vnkg: a knowledge graph of Vietnamese local Party governance, read out of news articles.",
                  no_args_is_help=True, add_completion=False)
out = Console()
err = Console(stderr=True)

STORE = typer.Option(None, "--store", help="Store directory, or the URL of a SPARQL store (default: $VNKG_STORE or ./vnkg-data)")
BASE = typer.Option(None, "--base-iri", help="Base IRI of minted resources (default: $VNKG_BASE_IRI or https://w3id.org/vnkg/id/)")


def _store(location: Optional[str]):
    return open_store(location or default_location())


def _count_inputs(paths: list[Path]) -> int:
    from loaders.read import SUFFIXES

    n = 0
    for p in paths:
        if p.is_dir():
            n += sum(1 for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUFFIXES)
        else:
            n += 1
    return n


@app.command()
def ingest(paths: list[Path] = typer.Argument(..., help="Article files (.txt, .html, .jsonl) and folders"),
           store: Optional[str] = STORE, base_iri: Optional[str] = BASE,
           no_validate: bool = typer.Option(False, "--no-validate", help="Store without SHACL validation"),
           jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="Worker processes for extraction and validation"),
           bulk: bool = typer.Option(False, "--bulk", help="First load of a large corpus into a new store (bulk loader)")):
    """Read articles, extract facts, validate them and store one graph per article."""
    from functools import partial

    from .ingest import ingest

    if jobs > 1 or bulk:
        from .parallel import ingest_parallel

        run = partial(ingest_parallel, jobs=jobs, bulk=bulk)
    else:
        run = ingest

    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        err.print(f"[red]error:[/] no such file or folder: {', '.join(missing)}")
        raise typer.Exit(2)
    st = _store(store)
    total = _count_inputs(paths)
    with Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err, transient=True) as progress:
        task = progress.add_task("", total=total or None)
        summary = run(paths, st, mint=Minter(base_iri or default_base()), validate=not no_validate,
                      on_item=lambda src: progress.update(task, advance=1, description=Path(src).name[:40]))
    st.close()
    for p in summary.problems:
        err.print(f"[{'red' if p.fatal else 'yellow'}]{'rejected' if p.fatal else 'partial'}:[/] {p}", highlight=False)
    table = Table(title="ingest summary", show_header=False)
    table.add_row("articles stored", str(summary.articles))
    table.add_row("triples", str(summary.triples))
    for kind, n in sorted(summary.entities.items()):
        table.add_row(f"  {kind}", str(n))
    table.add_row("rejected", str(summary.rejected))
    table.add_row("partially held back", str(len(summary.problems) - summary.rejected))
    err.print(table)
    if summary.problems:
        raise typer.Exit(1)


@app.command()
def validate(store: Optional[str] = STORE):
    """Validate the articles' graphs (with the shared descriptions) against the shapes, in one pass."""
    from .validate import validate_store

    st = _store(store)
    report = validate_store(st)
    st.close()
    for graph, found in sorted(report.by_graph.items()):
        err.print(f"[red]{graph}[/]: {len(found)} violation(s)")
        for v in found[:20]:
            err.print(f"    {v}", highlight=False)
    err.print(f"{report.graphs} graph(s), {report.triples} triples checked; {len(report.by_graph)} do not conform")
    if report.by_graph:
        raise typer.Exit(1)


@app.command()
def export(format: str = typer.Option("trig", "--format", "-f", help="turtle, trig, nquads, ntriples or jsonld"),
           graph: Optional[str] = typer.Option(None, "--graph", help="Only this named graph"),
           output: Optional[Path] = typer.Option(None, "--output", "-o", help="File to write (default: stdout)"),
           store: Optional[str] = STORE):
    """Export the dataset (ontology and reference data included) or one graph."""
    from .export import FORMATS, export as run

    if format not in FORMATS:
        err.print(f"[red]error:[/] unknown format {format!r}; choose one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    st = _store(store)
    data = run(st, format, graph)
    st.close()
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)


@app.command()
def query(sparql: str = typer.Argument(..., help="A SPARQL query, or @file.rq"),
          format: str = typer.Option("table", "--format", "-f", help="table, csv, json (SELECT/ASK); turtle for CONSTRUCT"),
          store: Optional[str] = STORE):
    """Run a SPARQL query over the union of all graphs."""
    from .namespaces import PREFIXES

    text = Path(sparql[1:]).read_text(encoding="utf-8") if sparql.startswith("@") else sparql
    st = _store(store)
    try:
        result = st.query(text, union_default_graph=True) if not hasattr(st, "ox") else \
            st.ox.query(text, use_default_graph_as_union=True, prefixes={p: str(n) for p, n in PREFIXES.items()})
    except SyntaxError as exc:
        err.print(f"[red]query error:[/] {exc}")
        raise typer.Exit(2)
    if isinstance(result, bool):
        out.print("true" if result else "false")
    elif isinstance(result, ox.QuerySolutions):
        if format in ("csv", "json"):
            f = ox.QueryResultsFormat.CSV if format == "csv" else ox.QueryResultsFormat.JSON
            sys.stdout.buffer.write(result.serialize(format=f))
        else:
            names = [v.value for v in result.variables]
            table = Table(*names)
            for row in result:
                table.add_row(*[("" if row[n] is None else row[n].value) for n in names])
            out.print(table)
    else:
        sys.stdout.buffer.write(ox.serialize(list(result), format=ox.RdfFormat.TURTLE))
    st.close()


@app.command("import")
def import_(file: Path = typer.Argument(..., help="An RDF file (format from its extension)"),
            graph: str = typer.Option(..., "--graph", help="IRI of the named graph to put it in (replaced)"),
            store: Optional[str] = STORE):
    """Add any RDF (e.g. a researcher's own links) as a named graph."""
    from rdflib import Graph
    from rdflib.util import guess_format

    if not file.exists():
        err.print(f"[red]error:[/] no such file: {file}")
        raise typer.Exit(2)
    try:
        g = Graph().parse(file, format=guess_format(str(file)) or "turtle")
    except Exception as exc:  # rdflib raises many kinds of parse errors
        err.print(f"[red]error:[/] {file}: cannot parse as RDF: {exc}")
        raise typer.Exit(2)
    st = _store(store)
    st.replace_graph(graph, g)
    st.close()
    err.print(f"{len(g)} triples imported into <{graph}>")


@app.command()
def stats(store: Optional[str] = STORE, as_json: bool = typer.Option(False, "--json")):
    """Counts: graphs, triples, entities by class."""
    st = _store(store)
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
          update_token: Optional[str] = typer.Option(None, "--update-token", help="Bearer token that enables SPARQL Update")):
    """Serve the store: SPARQL endpoint, linked-data pages, search, query page, dumps."""
    from server.app import serve as run

    err.print(f"serving {store or default_location()} on http://{host}:{port}/")
    run(store or default_location(), host=host, port=port, base_iri=base_iri, timeout=timeout,
        max_rows=max_rows, allow_update=allow_update or None, update_token=update_token)


if __name__ == "__main__":
    app()
