"""The web server: SPARQL 1.1 Protocol endpoint, linked-data pages, search, query page, dumps, VoID.

``create_app(store, settings)`` builds the FastAPI application over an open
store; ``serve(store_location, host, port, **settings)`` opens the store and
runs it under uvicorn (``vnkg serve``).

Routes
------
``/``                       home: counts, search, browse by type, dumps, VoID
``/sparql``                 SPARQL 1.1 Protocol (query: GET / POST form / POST direct; update: POST,
                            403 unless allowed); GET without a query: Service Description
``/query``                  query editor; ``/query?query=...`` runs it and shows a table
``/search?q=&type=``        label search (diacritics and case insensitive), HTML or JSON
``/id/{path}``              a minted IRI: 303 to ``/page/{path}`` (HTML) or ``/data/{path}.ext`` (RDF)
``/page/{path}``            the HTML page of a resource
``/data/{path}[.ttl|.nt|.jsonld|.rdf]``  its RDF (Accept, ``?format=`` or the extension)
``/describe?iri=``          the page (or RDF, with ``format=``) of any IRI the store knows
``/ontology``               the ontology (HTML, or RDF by Accept / ``format=``)
``/ontology/term/{Name}``   a class or property (``vnkg:Name``)
``/ontology/role/{key}``, ``/ontology/indicator/{key}``  concepts
``/export?format=&graph=``  streamed dump (trig by default; nquads, turtle, ntriples, jsonld)
``/tenures.csv?body=&role=&official=``  the tenure table (kg.tenures.COLUMNS)
``/conflicts``              two holders of one single-holder post at once, with the evidence
``/.well-known/void``       VoID description (also ``/void``)
``/health``                 JSON status
``/static/...``             CSS and the query page's small script
"""
from __future__ import annotations

import logging
import queue
import sys
import threading
import time
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import parse_qsl, quote, unquote, urlencode

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kg.namespaces import PREFIXES

from . import conneg, describe
from .conneg import DATASET_FORMATS, GRAPH_FORMATS, RESULT_FORMATS, BOOLEAN_FORMATS, Format
from dataclasses import replace

from kg.querylimits import QueryRefused, guard

from .engine import BadRequest, NotAcceptable, Outcome, QueryTimeout, Runner, ServerBusy, run_query, serialize_triples
from .guard import GuardMiddleware, read_body
from .handover import authorised
from .isolation import Job, QueryMemory, WorkerPool
from .search import local_name
from .settings import Settings
from .site import P, Site
from .sparqltext import DatasetConflict, apply_using
from .svgchart import legend
from .timeline import legend as timeline_legend

log = logging.getLogger("vnkg.server")

HERE = Path(__file__).parent
FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
DATA_EXTENSIONS = {".ttl": "turtle", ".nt": "ntriples", ".jsonld": "jsonld", ".rdf": "rdfxml", ".json": "jsonld"}
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; "
     b"base-uri 'none'; frame-ancestors 'none'; form-action 'self'"),
]
# Classes whose instances are the ontology's own terms: not listed under "browse by type".
ONTOLOGY_ONLY = {"Role", "Indicator", "Comparator"}
CORS_PREFIXES = ("/sparql", "/data/", "/.well-known/void", "/void", "/export", "/ontology", "/search", "/tenures.csv")


def load_examples() -> list[dict]:
    """Example queries of server/queries/*.rq: ``# title:`` and ``# description:`` header lines, then SPARQL."""
    out = []
    for path in sorted((HERE / "queries").glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        meta = {"name": path.stem, "title": path.stem.replace("-", " "), "description": ""}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            key, _, value = line[1:].strip().partition(":")
            if key.strip() in ("title", "description") and value.strip():
                meta[key.strip()] = value.strip()
        meta["query"] = text
        out.append(meta)
    return out


class HeadersMiddleware:
    """Security headers on every response; CORS (read-only) on the data routes."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        cors = path.startswith(CORS_PREFIXES)
        head = scope.get("method") == "HEAD"
        if head:  # HEAD is GET without the body, on every route
            scope = dict(scope, method="GET")

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                for k, v in SECURITY_HEADERS:
                    if k not in names:
                        headers.append((k, v))
                if cors:
                    headers.append((b"access-control-allow-origin", b"*"))
                    headers.append((b"access-control-expose-headers", b"X-VNKG-Truncated, X-VNKG-Row-Limit"))
                message = dict(message, headers=headers)
            elif message["type"] == "http.response.body" and head:
                message = dict(message, body=b"")
            await send(message)

        await self.app(scope, receive, send_with_headers)


def create_app(store, settings: Settings | None = None, credential: str | None = None) -> FastAPI:
    """The app over ``store``; with ``credential`` (the server owns the on-disk store) the command
    line may write and read through it (:mod:`server.handover`)."""
    settings = settings or Settings.from_env()
    site = Site(store, settings)
    runner = Runner(settings.workers, settings.queue_wait)
    pool = isolated_pool(store, settings)
    examples = load_examples()
    export_slots = threading.BoundedSemaphore(2)

    env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.globals.update(site=site, settings=settings, legend=legend, timeline_legend=timeline_legend, quote=quote)

    @asynccontextmanager
    async def lifespan(app):
        try:
            site.index  # build the label index before the first request
        except Exception:  # noqa: BLE001 - a broken store should still let the server answer
            log.exception("could not build the label index")
        if pool is not None:
            import anyio

            await anyio.to_thread.run_sync(pool.start)
        yield
        runner.shutdown()
        if pool is not None:
            pool.close()

    app = FastAPI(title="vnkg", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan)
    app.state.site = site
    app.state.runner = runner
    app.state.pool = pool
    app.state.settings = settings
    app.add_middleware(GuardMiddleware, page=lambda scope, status, title, message:
                       error_page(Request(scope), status, title, message))
    app.add_middleware(HeadersMiddleware)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    if credential:
        from .handover import install

        install(app, store, credential, settings=settings, site=site, pool=pool)

    # -- helpers ------------------------------------------------------------------------
    def site_url(request: Request) -> str:
        return settings.public_url or str(request.base_url).rstrip("/")

    def render(name: str, request: Request, status: int = 200, headers: dict | None = None, **ctx) -> HTMLResponse:
        tpl = env.get_template(name)
        html = tpl.render(request=request, path=request.url.path, **ctx)
        return HTMLResponse(html, status_code=status, headers=headers)

    def error_page(request: Request, status: int, title: str, message: str) -> HTMLResponse:
        return render("error.html", request, status=status, title=title, message=message)

    def text_error(status: int, message: str, headers: dict | None = None) -> PlainTextResponse:
        return PlainTextResponse(message + ("\n" if not message.endswith("\n") else ""), status_code=status,
                                 headers=headers)

    def valid_iris(values: list[str]) -> list[str]:
        out = []
        for v in values:
            try:
                out.append(ox.NamedNode(v).value)
            except ValueError as e:
                raise BadRequest(f"not an IRI: {v!r} ({e})") from None
        return out

    def result_headers(outcome: Outcome) -> dict:
        h = {"X-VNKG-Row-Limit": str(settings.max_rows), "Vary": "Accept"}
        if outcome.truncated:
            h["X-VNKG-Truncated"] = "true"
        return h

    def picker(accept: str | None, fmt_param: str | None, *, html: bool):
        def pick(kind: str) -> Format | None:
            formats = {"select": RESULT_FORMATS, "ask": BOOLEAN_FORMATS, "graph": GRAPH_FORMATS}[kind]
            if fmt_param:
                if html and fmt_param.lower() == "html":
                    return conneg.HTML
                return conneg.by_format_param(fmt_param, formats)
            return conneg.choose(accept, formats, html=html)
        return pick

    async def execute(request: Request, query: str, *, default_graphs, named_graphs, pick) -> Outcome:
        """Run a query: pre-scanned (QueryRefused), then in a worker process when the pool runs.
        The store owner's own reads (``vnkg ingest`` on a served store) have no row cap; the time
        and memory limits hold for every query."""
        deadline_s = settings.timeout
        base = site_url(request) + "/sparql"
        guard(query, settings.limits, settings.allow_service, base)
        max_rows = sys.maxsize if authorised(request, credential) else settings.max_rows
        if pool is not None:
            formats = {k: pick(k) for k in ("select", "ask", "graph")}
            if any(f is conneg.HTML for f in formats.values()):  # the table shows labels from the index
                await anyio_check()
            return await pool.run(Job(query, formats, max_rows, deadline_s, default_graphs, named_graphs, base))

        def job():
            deadline = time.monotonic() + deadline_s
            site.check()
            return run_query(store, query, pick=pick, max_rows=max_rows, deadline=deadline,
                             default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base)
        return await runner.run(job, timeout=deadline_s)

    async def anyio_check() -> None:
        import anyio

        await anyio.to_thread.run_sync(site.check)

    def memory_error() -> str:
        return (f"The query used too much memory (more than {settings.query_memory_mb} MiB) and was stopped. "
                "Narrow it (LIMIT, more specific patterns) and try again.")

    def table(outcome: Outcome) -> dict:
        """Rows of an outcome as TermViews for the HTML table."""
        if outcome.kind == "select":
            return {"vars": outcome.variables,
                    "rows": [[site.term(t) if t is not None else None for t in row] for row in outcome.rows]}
        if outcome.kind == "graph":
            return {"vars": ["subject", "predicate", "object"],
                    "rows": [[site.term(t.subject), site.term(t.predicate), site.term(t.object)]
                             for t in outcome.triples]}
        return {"vars": [], "rows": []}

    # -- SPARQL 1.1 Protocol --------------------------------------------------------------
    async def sparql(request: Request):
        method = request.method
        if method == "OPTIONS":
            return Response(status_code=204, headers={
                "Allow": "GET, POST, OPTIONS", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
                "Access-Control-Allow-Headers": "Content-Type, Accept, Authorization",
                "Access-Control-Max-Age": "86400"})
        if method not in ("GET", "POST", "HEAD"):
            return text_error(405, f"{method} is not allowed on the SPARQL endpoint: use GET or POST.",
                              {"Allow": "GET, POST, OPTIONS"})
        params: list[tuple[str, str]] = list(request.query_params.multi_items())
        direct_query = direct_update = None
        if method == "POST":
            ctype = request.headers.get("content-type")
            if not ctype:
                return text_error(415, "A POST to the SPARQL endpoint needs a Content-Type: "
                                       f"{FORM}, {SPARQL_QUERY} or {SPARQL_UPDATE}.")
            mt, _, rest = ctype.partition(";")
            mt = mt.strip().lower()
            charset = None
            for p in rest.split(";"):
                k, _, v = p.strip().partition("=")
                if k.strip().lower() == "charset":
                    charset = v.strip().strip('"').lower()
            if mt not in (FORM, SPARQL_QUERY, SPARQL_UPDATE):
                return text_error(415, f"Unsupported Content-Type {mt!r}: use {FORM}, {SPARQL_QUERY} "
                                       f"or {SPARQL_UPDATE}.")
            if charset and charset not in ("utf-8", "utf8"):
                return text_error(415, f"Unsupported charset {charset!r}: the endpoint reads UTF-8.")
            raw = await read_body(request, settings.max_body)
            if raw is None:
                return text_error(413, f"The request body is larger than {settings.max_body:,} bytes.")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                return text_error(400, "The request body is not valid UTF-8.")
            if mt == FORM:
                try:
                    params += parse_qsl(text, keep_blank_values=True, strict_parsing=False, errors="strict")
                except (ValueError, UnicodeDecodeError) as e:
                    return text_error(400, f"Malformed form body: {e}")
            elif mt == SPARQL_QUERY:
                direct_query = text
            else:
                direct_update = text
        queries = [v for k, v in params if k == "query"] + ([direct_query] if direct_query is not None else [])
        updates = [v for k, v in params if k == "update"] + ([direct_update] if direct_update is not None else [])
        if queries and updates:
            return text_error(400, "A request carries either a query or an update, not both.")
        if len(queries) > 1:
            return text_error(400, "More than one query in the request.")
        if len(updates) > 1:
            return text_error(400, "More than one update in the request.")
        fmt_params = [v for k, v in params if k in ("format", "output")]
        fmt_param = fmt_params[0] if fmt_params else None
        if updates:
            if method != "POST":
                return text_error(405, "Updates are sent by POST.", {"Allow": "POST"})
            return await do_update(request, updates[0], params)
        if queries:
            return await do_query(request, queries[0], params, fmt_param)
        if method == "POST":
            return text_error(400, "The request has no query and no update.")
        return service_description(request, fmt_param)

    async def do_query(request: Request, query: str, params, fmt_param):
        try:
            dgs = valid_iris([v for k, v in params if k == "default-graph-uri"])
            ngs = valid_iris([v for k, v in params if k == "named-graph-uri"])
        except BadRequest as e:
            return text_error(400, str(e))
        accept = request.headers.get("accept")
        html = fmt_param is None and conneg.prefers_html(accept, [f.media_type for f in RESULT_FORMATS + GRAPH_FORMATS])
        pick = picker(accept, fmt_param, html=html or (fmt_param or "").lower() == "html")
        try:
            outcome = await execute(request, query, default_graphs=dgs or None, named_graphs=ngs or None, pick=pick)
        except QueryRefused as e:
            return text_error(400, f"Query refused: {e}.")
        except QueryMemory:
            return text_error(503, memory_error(), {"Retry-After": "5"})
        except BadRequest as e:
            return text_error(400, f"Malformed query: {e}")
        except NotAcceptable as e:
            kind = str(e)
            offered = {"select": RESULT_FORMATS, "ask": BOOLEAN_FORMATS, "graph": GRAPH_FORMATS}.get(kind, [])
            return text_error(406, "None of the requested formats fits this query's result; available: "
                                   + ", ".join(f"{f.media_type} (format={f.key})" for f in offered) + ".")
        except QueryTimeout:
            return text_error(503, f"The query ran past the time limit of {settings.timeout:g} s and was "
                                   "abandoned. Narrow it (LIMIT, more specific patterns) and try again.",
                              {"Retry-After": "5"})
        except ServerBusy:
            return text_error(503, "Server busy: every query worker is taken. Try again shortly.",
                              {"Retry-After": "5"})
        except OSError as e:
            return text_error(500, f"The store failed to read: {e}")
        if outcome.format is conneg.HTML:
            return render("query.html", request, **query_context(request, query, outcome=outcome),
                          headers=result_headers(outcome))
        return Response(outcome.body, media_type=outcome.format.content_type, headers=result_headers(outcome))

    async def do_update(request: Request, update: str, params):
        if not update_allowed(request):
            return text_error(403, "Updates are not allowed on this endpoint (start the server with "
                                   "--allow-update, or send the update token as a bearer token).")
        try:
            using = valid_iris([v for k, v in params if k == "using-graph-uri"])
            using_named = valid_iris([v for k, v in params if k == "using-named-graph-uri"])
            text = apply_using(update, using, using_named)
        except (BadRequest, DatasetConflict) as e:
            return text_error(400, str(e))
        base = site_url(request) + "/sparql"
        try:
            guard(text, replace(settings.limits, max_bytes=settings.max_body), settings.allow_service, base)
        except QueryRefused as e:
            return text_error(400, f"Update refused: {e}.")

        def job():
            oxs = getattr(store, "ox", None)
            try:
                if oxs is not None:
                    oxs.update(text, base_iri=base)
                else:
                    store.update(text)
            finally:
                site.changed()
                if pool is not None:
                    pool.changed()
        try:
            await runner.run(job, timeout=None)
        except SyntaxError as e:
            return text_error(400, f"Malformed update: {e}")
        except ServerBusy:
            return text_error(503, "Server busy: every worker is taken. Try again shortly.", {"Retry-After": "5"})
        except (OSError, ValueError) as e:
            return text_error(500, f"The update failed: {e}")
        return Response(status_code=204)

    def update_allowed(request: Request) -> bool:
        """--allow-update, the update token, or the store owner's credential (``vnkg ingest``)."""
        return settings.allow_update or authorised(request, settings.update_token) or authorised(request, credential)

    def service_description(request: Request, fmt_param: str | None):
        accept = request.headers.get("accept")
        if fmt_param is None and conneg.prefers_html(accept, [f.media_type for f in GRAPH_FORMATS]):
            return render("query.html", request, **query_context(request, None))
        fmt = conneg.by_format_param(fmt_param, GRAPH_FORMATS) if fmt_param else conneg.choose(accept, GRAPH_FORMATS)
        if fmt is None:
            return text_error(406, "The service description is available as Turtle, N-Triples, RDF/XML, JSON-LD.")
        url = site_url(request)
        body = site.cached(("sd", url, fmt.key, settings.allow_update), lambda: describe.serialize(
            describe.service_description(url + "/sparql", url, site.stats(),
                                         allow_update=settings.allow_update or bool(settings.update_token)), fmt))
        return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})

    for path in ("/sparql", "/sparql/"):
        app.add_api_route(path, sparql, methods=["GET", "POST", "HEAD", "PUT", "DELETE", "PATCH", "OPTIONS"],
                          include_in_schema=False, name="sparql" if path == "/sparql" else "sparql_slash")

    # -- query page -----------------------------------------------------------------------
    def query_context(request: Request, query: str | None, *, outcome: Outcome | None = None,
                      error: str | None = None, example: str | None = None) -> dict:
        ctx = {"examples": examples, "query": query, "outcome": outcome, "error": error,
               "max_rows": settings.max_rows, "timeout": settings.timeout,
               "prefixes": {p: str(ns) for p, ns in PREFIXES.items()}}  # the editor declares them
        if query:
            ctx["share"] = "/query?" + urlencode({"query": query})
            ctx["csv"] = "/sparql?" + urlencode({"query": query, "format": "csv"})
            ctx["json"] = "/sparql?" + urlencode({"query": query, "format": "json"})
            ctx["turtle"] = "/sparql?" + urlencode({"query": query, "format": "turtle"})
        if outcome is not None:
            ctx["table"] = table(outcome)
        if query is None:
            chosen = next((e for e in examples if e["name"] == example), None) or (examples[0] if examples else None)
            ctx["editor"] = chosen["query"] if chosen else "SELECT * WHERE { ?s ?p ?o } LIMIT 10"
        else:
            ctx["editor"] = query
        return ctx

    @app.get("/query", response_class=HTMLResponse, include_in_schema=False)
    async def query_page(request: Request, query: str | None = None, example: str | None = None):
        if not query or not query.strip():
            return render("query.html", request, **query_context(request, None, example=example))
        pick = picker(None, "html", html=True)
        status, error, outcome = 200, None, None
        try:
            outcome = await execute(request, query, default_graphs=None, named_graphs=None, pick=pick)
        except QueryRefused as e:
            status, error = 400, f"Query refused: {e}."
        except QueryMemory:
            status, error = 503, memory_error()
        except BadRequest as e:
            status, error = 400, f"Malformed query: {e}"
        except QueryTimeout:
            status, error = 503, f"The query ran past the time limit of {settings.timeout:g} s and was abandoned."
        except ServerBusy:
            status, error = 503, "Server busy: every query worker is taken. Try again shortly."
        except OSError as e:
            status, error = 500, f"The store failed to read: {e}"
        headers = result_headers(outcome) if outcome else None
        return render("query.html", request, status=status, headers=headers,
                      **query_context(request, query, outcome=outcome, error=error))

    # -- home, search -----------------------------------------------------------------------
    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def home(request: Request):
        site.check()
        stats = site.stats()
        classes = [(site.term(ox.NamedNode(c)), n, local_name(c)) for c, n in stats["classes"]
                   if c.startswith("https://w3id.org/vnkg/ontology#") and local_name(c) not in ONTOLOGY_ONLY]
        return render("home.html", request, stats=stats, classes=classes, examples=examples)

    @app.get("/search", include_in_schema=False)
    def search(request: Request, q: str = "", type: str = "", format: str | None = None,
               offset: int = 0, limit: int = 20):
        site.check()
        limit = max(1, min(limit, 200))
        offset = max(0, offset)
        total, hits = site.index.search(q, type or None, limit=limit, offset=offset)
        accept = request.headers.get("accept")
        as_json = (format or "").lower() == "json" or (
            format is None and conneg.negotiate(accept, ["text/html", "application/json"]) == "application/json"
            and not conneg.prefers_html(accept, ["application/json"]))
        if as_json:
            return JSONResponse({
                "query": q, "type": type or None, "total": total, "offset": offset, "limit": limit,
                "results": [{"iri": h.iri, "label": h.label, "matched": h.matched, "en": site.index.english(h.iri),
                             "types": [site.curie(t) or t for t in h.types], "page": site.link(h.iri)}
                            for h in hits]}, headers={"Vary": "Accept"})
        types = sorted(((local_name(c), site.term(ox.NamedNode(c)), n) for c, n in site.stats()["classes"]
                        if c.startswith("https://w3id.org/vnkg/ontology#")), key=lambda x: x[0])
        views = [{"term": site.term(ox.NamedNode(h.iri)), "matched": h.matched,
                  "types": [site.term(ox.NamedNode(t)) for t in h.types]} for h in hits]
        nav = {}
        if offset + limit < total:
            nav["next"] = "/search?" + urlencode({"q": q, "type": type, "offset": offset + limit, "limit": limit})
        if offset > 0:
            nav["prev"] = "/search?" + urlencode({"q": q, "type": type, "offset": max(0, offset - limit),
                                                  "limit": limit})
        return render("search.html", request, q=q, type=type, total=total, hits=views, offset=offset,
                      types=types, nav=nav, headers={"Vary": "Accept"})

    # -- linked data ------------------------------------------------------------------------
    def raw_rest(request: Request, prefix: str, rest: str) -> str:
        raw = request.scope.get("raw_path")
        if raw:
            path = raw.decode("latin-1")
            if path.startswith(prefix):
                return path[len(prefix):]
        return quote(rest, safe="/:@!$&'()*+,;=-._~%")

    def explicit_rdf(accept: str | None) -> Format | None:
        """The RDF format the client asks for by name (not through */*), unless it prefers HTML."""
        fmt = conneg.choose(accept, GRAPH_FORMATS, html=True)
        if fmt is None or fmt.key == "html":
            return None
        for rg in conneg.parse_accept(accept):
            if rg.type != "*" and (rg.matches(fmt.media_type) or any(rg.matches(a) for a in fmt.aliases)):
                return fmt
        return None

    def resolve(candidates: list[str]) -> str | None:
        for iri in candidates:
            try:
                if site.exists(iri):
                    return ox.NamedNode(iri).value
            except ValueError:
                continue
        return None

    def id_candidates(rest: str) -> list[str]:
        out = [site.base + rest]
        decoded = unquote(rest)
        if decoded != rest:
            out.append(site.base + decoded)
        return out

    @app.get("/id/{rest:path}", include_in_schema=False)
    def dereference(request: Request, rest: str):
        site.check()
        r = raw_rest(request, "/id/", rest)
        iri = resolve(id_candidates(r))
        if iri is None:
            return error_page(request, 404, "Not found", f"No resource {site.base + unquote(r)} in this graph.")
        fmt = explicit_rdf(request.headers.get("accept"))
        tail = _path_quote(iri[len(site.base):])
        if fmt is not None:
            location = f"/data/{tail}.{fmt.extension}"
        else:
            location = f"/page/{tail}"
        return RedirectResponse(location, status_code=303, headers={"Vary": "Accept"})

    def page_for(request: Request, iri: str):
        incoming = request.query_params.get("incoming")
        if incoming:
            try:
                prop = ox.NamedNode(incoming).value
                offset = max(0, int(request.query_params.get("offset", "0")))
            except ValueError:
                return error_page(request, 400, "Bad request", "incoming= must be an IRI, offset= a number.")
            k = settings.incoming_per_property * 5
            items = site.incoming_page(iri, prop, offset, k)
            total = site.incoming_count(iri, prop)
            href = site.describe_href(iri)
            sep = "&" if "?" in href else "?"
            nav = {}
            if offset + k < total:
                nav["next"] = f"{href}{sep}incoming={quote(prop, safe='')}&offset={offset + k}"
            if offset > 0:
                nav["prev"] = f"{href}{sep}incoming={quote(prop, safe='')}&offset={max(0, offset - k)}"
            return render("incoming.html", request, subject=site.term(ox.NamedNode(iri)), prop=site.prop(prop),
                          items=items, total=total, offset=offset, nav=nav, back=href)
        res = site.resource(iri)
        return render("resource.html", request, res=res, data_href=site.data_href(iri),
                      describe_data="/describe?" + urlencode({"iri": iri, "format": "turtle"}))

    @app.get("/page/{rest:path}", response_class=HTMLResponse, include_in_schema=False)
    def page(request: Request, rest: str):
        site.check()
        r = raw_rest(request, "/page/", rest)
        iri = resolve(id_candidates(r))
        if iri is None:
            return error_page(request, 404, "Not found", f"No resource {site.base + unquote(r)} in this graph.")
        return page_for(request, iri)

    def rdf_response(request: Request, triples: list, fmt: Format, truncated: bool = False) -> Response:
        prefixes = dict(P)
        prefixes["id"] = site.base
        body = serialize_triples(triples, fmt, prefixes=prefixes)
        headers = {"Vary": "Accept"}
        if truncated:
            headers["X-VNKG-Truncated"] = "true"
            headers["X-VNKG-Row-Limit"] = str(settings.max_rows)
        return Response(body, media_type=fmt.content_type, headers=headers)

    def data_format(request: Request, ext_key: str | None) -> Format | None:
        fmt_param = request.query_params.get("format")
        if fmt_param:
            return conneg.by_format_param(fmt_param, GRAPH_FORMATS)
        if ext_key:
            return conneg.by_format_param(ext_key, GRAPH_FORMATS)
        return conneg.choose(request.headers.get("accept"), GRAPH_FORMATS)

    @app.get("/data/{rest:path}", include_in_schema=False)
    def data(request: Request, rest: str):
        site.check()
        r = raw_rest(request, "/data/", rest)
        iri = resolve(id_candidates(r))
        ext_key = None
        if iri is None:
            for ext, key in DATA_EXTENSIONS.items():
                if r.endswith(ext):
                    iri = resolve(id_candidates(r[: -len(ext)]))
                    ext_key = key if iri else None
                    break
        if iri is None:
            return text_error(404, f"No resource {site.base + unquote(r)} in this graph.")
        fmt = data_format(request, ext_key)
        if fmt is None:
            return text_error(406, "Available: text/turtle, application/n-triples, application/ld+json, "
                                   "application/rdf+xml (or ?format=turtle|ntriples|jsonld|rdfxml).")
        oxs = getattr(store, "ox", None)
        if oxs is not None and oxs.contains_named_graph(ox.NamedNode(iri)):
            # A named graph (one article's facts) dereferences to its content.
            quads = oxs.quads_for_pattern(None, None, None, ox.NamedNode(iri))
            triples = [ox.Triple(q.subject, q.predicate, q.object) for q in quads]
            return rdf_response(request, triples, fmt)
        triples, truncated = site.describe_triples(iri, settings.max_rows)
        return rdf_response(request, triples, fmt, truncated)

    @app.get("/describe", include_in_schema=False)
    def describe_any(request: Request, iri: str = "", format: str | None = None):
        site.check()
        try:
            node = ox.NamedNode(iri)
        except ValueError:
            return error_page(request, 400, "Bad request", "iri= must be an absolute IRI.")
        if not site.exists(node.value):
            return error_page(request, 404, "Not found", f"No resource {node.value} in this graph.")
        if format:
            fmt = conneg.by_format_param(format, GRAPH_FORMATS)
            if fmt is None:
                return text_error(406, "format= must be turtle, ntriples, jsonld or rdfxml.")
        else:
            fmt = explicit_rdf(request.headers.get("accept"))
        if fmt is not None:
            triples, truncated = site.describe_triples(node.value, settings.max_rows)
            return rdf_response(request, triples, fmt, truncated)
        return page_for(request, node.value)

    # -- ontology ---------------------------------------------------------------------------
    def ontology_format(request: Request) -> Format:
        fmt_param = request.query_params.get("format")
        if fmt_param:
            return conneg.by_format_param(fmt_param, GRAPH_FORMATS) or conneg.HTML
        return explicit_rdf(request.headers.get("accept")) or conneg.HTML

    @app.get("/ontology", include_in_schema=False)
    def ontology_page(request: Request):
        site.check()
        fmt = ontology_format(request)
        if fmt.key != "html":
            return rdf_response(request, site.ontology_triples(), fmt)
        return render("ontology.html", request, onto=site.ontology(), headers={"Vary": "Accept"})

    def ontology_resource(request: Request, iri: str):
        site.check()
        try:
            ox.NamedNode(iri)
        except ValueError:
            return error_page(request, 404, "Not found", "Not an ontology term.")
        if not site.exists(iri):
            return error_page(request, 404, "Not found", f"No term {iri} in the ontology.")
        fmt = ontology_format(request)
        if fmt.key != "html":
            triples, truncated = site.describe_triples(iri, settings.max_rows)
            return rdf_response(request, triples, fmt, truncated)
        return page_for(request, iri)

    @app.get("/ontology/term/{name}", include_in_schema=False)
    def ontology_term(request: Request, name: str):
        return ontology_resource(request, "https://w3id.org/vnkg/ontology#" + name)

    @app.get("/ontology/{rest:path}", include_in_schema=False)
    def ontology_concept(request: Request, rest: str):
        r = raw_rest(request, "/ontology/", rest)
        return ontology_resource(request, "https://w3id.org/vnkg/ontology/" + unquote(r))

    # -- dumps, VoID, health ----------------------------------------------------------------
    @app.get("/export", include_in_schema=False)
    def export(request: Request, format: str = "trig", graph: str | None = None):
        site.check()
        fmt = conneg.by_format_param(format, DATASET_FORMATS + [GRAPH_FORMATS[1]])
        if fmt is None:
            return text_error(400, "format= must be trig, nquads, turtle, ntriples or jsonld.")
        oxs = getattr(store, "ox", None)
        gnode = None
        if graph:
            try:
                gnode = ox.NamedNode(graph)
            except ValueError:
                return text_error(400, "graph= must be an IRI.")
            if oxs is not None and not oxs.contains_named_graph(gnode):
                return text_error(404, f"No named graph {graph}.")
        if not export_slots.acquire(blocking=False):
            return text_error(503, "Two exports are already running; try again shortly.", {"Retry-After": "10"})
        rdf_format = conneg.RDF_FORMAT[fmt.key]
        headers = {"Content-Disposition": f'attachment; filename="vnkg.{fmt.extension}"'}
        collapse = gnode is None and rdf_format in (ox.RdfFormat.TURTLE, ox.RdfFormat.N_TRIPLES)
        if collapse:
            headers["X-VNKG-Note"] = ("named graphs collapsed: this is the union of all graphs, without "
                                      "provenance; use format=trig or nquads to keep them")

        def produce(writer):
            if oxs is None:
                writer.write(store.dump(rdf_format, gnode.value if gnode else None))
            else:  # what `vnkg export` writes, streamed
                from kg.export import export as write_export

                write_export(store, fmt.key, gnode.value if gnode else None, out=writer)

        return StreamingResponse(_stream(produce, export_slots), media_type=fmt.content_type, headers=headers)

    @app.get("/tenures.csv", include_in_schema=False)
    def tenures_csv(request: Request, body: str | None = None, role: str | None = None, official: str | None = None):
        from kg.tenures import csv_text

        site.check()
        if not export_slots.acquire(blocking=False):  # a whole table is an export: two at a time
            return text_error(503, "Two exports are already running; try again shortly.", {"Retry-After": "10"})
        try:
            rows = site.tenure_table(body=body or None, role=role or None, official=official or None)
        except ValueError as e:
            return text_error(400, f"Bad request: {e}")
        finally:
            export_slots.release()
        return Response(csv_text(rows), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="tenures.csv"'})

    @app.get("/conflicts", response_class=HTMLResponse, include_in_schema=False)
    def conflicts_page(request: Request):
        site.check()
        return render("conflicts.html", request, conflicts=site.conflict_list())

    def void_response(request: Request):
        site.check()
        fmt = conneg.by_format_param(request.query_params.get("format"), GRAPH_FORMATS) \
            if request.query_params.get("format") else conneg.choose(request.headers.get("accept"), GRAPH_FORMATS)
        if fmt is None:
            fmt = GRAPH_FORMATS[0]
        url = site_url(request)
        body = site.cached(("void", url, fmt.key), lambda: describe.serialize(
            describe.void_description(url, site.base, site.stats()), fmt))
        return Response(body, media_type=fmt.content_type, headers={"Vary": "Accept"})

    app.add_api_route("/.well-known/void", void_response, methods=["GET"], include_in_schema=False)
    app.add_api_route("/void", void_response, methods=["GET"], include_in_schema=False)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return RedirectResponse("/static/favicon.svg", status_code=301)

    @app.get("/health", include_in_schema=False)
    def health():
        return {"status": "ok", "store": getattr(store, "location", "?"), "generation": site.generation,
                "workers": settings.workers, "busy_workers": runner.busy, "abandoned_queries": runner.abandoned,
                "timeout_s": settings.timeout, "max_rows": settings.max_rows,
                "updates": bool(settings.allow_update or settings.update_token),
                "isolation": None if pool is None else {
                    "busy": pool.busy, "killed_at_time_limit": pool.killed_time,
                    "killed_for_memory": pool.killed_memory, "crashed": pool.crashed,
                    "memory_mb_per_query": settings.query_memory_mb}}

    @app.exception_handler(404)
    async def not_found(request: Request, exc):
        if request.url.path.startswith(("/sparql", "/data", "/export")):
            return text_error(404, "Not found.")
        return error_page(request, 404, "Not found", "There is no page here.")

    return app


def isolated_pool(store, settings: Settings) -> WorkerPool | None:
    """The worker-process pool for an embedded on-disk store (None: queries run on threads)."""
    from kg.store import LocalStore

    if not settings.isolation or not isinstance(store, LocalStore) or store.location == ":memory:":
        return None
    return WorkerPool(store, settings.workers, settings.query_memory_mb * 2**20, settings.queue_wait)


def _path_quote(rest: str) -> str:
    return quote(rest, safe="/:@!$&'()*+,;=-._~%")


class _QueueWriter:
    """A file-like object handing written bytes to a bounded queue; raises once the reader has gone."""

    def __init__(self, q: queue.Queue, cancelled: threading.Event):
        self.q, self.cancelled = q, cancelled

    def write(self, data) -> int:
        chunk = bytes(data)
        while True:
            if self.cancelled.is_set():
                raise BrokenPipeError("client went away")
            try:
                self.q.put(chunk, timeout=0.5)
                return len(chunk)
            except queue.Full:
                continue

    def flush(self) -> None:
        pass


def _stream(produce, slots: threading.BoundedSemaphore):
    """Run ``produce(writer)`` in a thread and yield what it writes (bounded buffer, stops if the client leaves)."""
    q: queue.Queue = queue.Queue(maxsize=32)
    cancelled = threading.Event()
    done = object()

    def run():
        try:
            produce(_QueueWriter(q, cancelled))
        except Exception as e:  # noqa: BLE001 - logged; the response is cut short
            if not cancelled.is_set():
                log.exception("export failed")
                _put(q, e, cancelled)
        finally:
            slots.release()
            _put(q, done, cancelled)

    threading.Thread(target=run, name="vnkg-export", daemon=True).start()

    async def gen():
        import anyio
        try:
            while True:
                item = await anyio.to_thread.run_sync(_get, q, cancelled, done)
                if item is done:
                    break
                if isinstance(item, Exception):
                    break
                yield item
        finally:
            cancelled.set()
    return gen()


def _get(q: queue.Queue, cancelled: threading.Event, done):
    """Next chunk; gives up (returns ``done``) once the response was abandoned."""
    while True:
        try:
            return q.get(timeout=0.5)
        except queue.Empty:
            if cancelled.is_set():
                return done


def _put(q: queue.Queue, item, cancelled: threading.Event) -> None:
    while not cancelled.is_set():
        try:
            q.put(item, timeout=0.5)
            return
        except queue.Full:
            continue


def listen(host: str, port: int):
    """A listening socket on ``host``:``port`` (port 0: any free port); OSError when it cannot be had."""
    import socket

    family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                         flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def local_url(host: str, port: int) -> str:
    """The URL by which a process on this machine reaches a server listening on ``host``."""
    if host in ("", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def open_for_serving(store_location: str | None, url: str | None = None):
    """Open the store for the server: an on-disk store read-write, recorded as owned by this
    process with ``url`` (the command line then reaches it through the server, :mod:`kg.served`);
    raises :class:`kg.owner.StoreHeld` when another process holds it. Returns (store, credential)."""
    from kg.owner import OwnedStore
    from kg.store import default_location, is_url, open_store

    location = store_location or default_location()
    if is_url(location):
        return open_store(location), None
    store = OwnedStore(location, url=url)
    return store, store.token


def serve(store_location: str | None = None, host: str = "127.0.0.1", port: int = 8000, *,
          log_level: str = "info", on_listen=None, **settings) -> None:
    """Open the store at ``store_location`` and serve it with uvicorn until interrupted.

    ``settings`` are :class:`server.settings.Settings` fields (base_iri, timeout, max_rows,
    allow_update, update_token, workers, ...); None values fall back to ``VNKG_*`` variables.
    ``on_listen(url)`` is called once the port is taken. Raises OSError when the port cannot be
    had, :class:`kg.owner.StoreHeld` when another process holds the store.
    """
    import uvicorn

    cfg = Settings.from_env(**settings)
    sock = listen(host, port)
    port = sock.getsockname()[1]
    try:
        store, credential = open_for_serving(store_location, local_url(host, port))
    except BaseException:
        sock.close()
        raise
    try:
        app = create_app(store, cfg, credential)
        if on_listen:
            on_listen(f"http://{f'[{host}]' if ':' in host else host}:{port}/")
        uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level=log_level)).run(sockets=[sock])
    finally:
        sock.close()
        close = getattr(store, "close", None)
        if close:
            close()
