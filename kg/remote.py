"""A store on any SPARQL 1.1 server (Query + Update, Graph Store Protocol when known).

:class:`RemoteStore` implements the store interface of :mod:`kg.store` over HTTP (httpx), so that
``vnkg ingest/export/query/stats/validate --store URL`` work against an external triple store.

Store URLs
----------
``FLAVOR+http(s)://host:port[/path]`` or ``http(s)://host:port/path#FLAVOR``, where FLAVOR says
where the endpoints are:

==============  ===============================  ==========================  ==============================
flavor          query endpoint                   update endpoint             Graph Store Protocol
==============  ===============================  ==========================  ==============================
``oxigraph``    ``<base>/query``                 ``<base>/update``           ``<base>/store`` (``?graph=``)
``virtuoso``    ``<base>/sparql``                ``<base>/sparql``           ``<base>/sparql-graph-crud``
``fuseki``      ``<base>/query``                 ``<base>/update``           ``<base>/data`` (``?graph=``)
(none)          the URL itself                   the URL itself              none (SPARQL Update instead)
==============  ===============================  ==========================  ==============================

For oxigraph and fuseki ``<base>`` is the server (oxigraph) or the dataset URL (fuseki,
``http://host:3030/ds``); for virtuoso a trailing ``/sparql`` is allowed. Any endpoint can be set
in the fragment: ``http://host/sparql#update=http://host/update&gsp=http://host/rdf-graph-store``
(the fragment is never sent). ``user:password@`` in the URL is sent as HTTP basic auth
(``#auth=digest`` for digest, as Virtuoso's ``/sparql-auth`` wants: with credentials the
virtuoso flavor uses ``/sparql-auth`` and ``/sparql-graph-crud-auth``).

Semantics
---------
* ``replace_graph`` replaces one named graph: a GSP ``PUT`` of N-Triples (as ``text/turtle``,
  which every GSP server reads) when the flavor has GSP, else one SPARQL Update request
  ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }``. With ``shared`` (triples to add
  to a graph that accumulates) it is always that one Update request, so both land together
  (atomically on servers that run one request in one transaction, as Oxigraph and Virtuoso do).
  Large graphs are sent in INSERT DATA pieces of :data:`INSERT_CHUNK` triples after the DROP.
* ``query`` returns pyoxigraph objects, as :class:`kg.store.LocalStore` does: ``QuerySolutions``
  (rows indexed by variable name, terms with ``.value``), ``QueryBoolean``, or for CONSTRUCT and
  DESCRIBE a list of ``Triple``. ``union_default_graph=True`` asks Oxigraph for its
  ``union-default-graph``; Virtuoso's default graph is already the union of all graphs; other
  servers must be configured so (e.g. Fuseki's ``tdb2:unionDefaultGraph``).
* ``graphs``/``quads``/``dump``/``count`` read named graphs only (vnkg writes nothing to the
  default graph); Virtuoso's own system graphs are left out.
* Virtuoso caps result rows by ``ResultSetMaxRows`` (``[SPARQL]`` in ``virtuoso.ini``): raise
  it above the size of the largest graph to export.
"""
from __future__ import annotations

import re
import urllib.parse
from typing import Iterable, Iterator

import pyoxigraph as ox
from rdflib import Graph

from .store import ntriples

FLAVORS = {
    # flavor: (query, update, gsp) relative to the base
    "oxigraph": ("/query", "/update", "/store"),
    "virtuoso": ("/sparql", "/sparql", "/sparql-graph-crud"),
    "fuseki": ("/query", "/update", "/data"),
}
# The graph parameter name of each GSP implementation.
GSP_PARAM = {"virtuoso": "graph-uri"}
SYSTEM_GRAPHS = {
    "virtuoso": ("http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
                 "http://localuriqaserver/", "http://www.w3.org/2002/07/owl#", "urn:activitystreams-owl:map",
                 "http://www.openlinksw.com/", "http://localhost:8890/"),
}
#: Triples per INSERT DATA request when a graph is sent by SPARQL Update.
INSERT_CHUNK = 50_000

RESULTS_JSON = "application/sparql-results+json"
ACCEPT = f"{RESULTS_JSON}, application/sparql-results+xml;q=0.9, application/n-triples;q=0.8, text/turtle;q=0.7"
RDF_TYPES = {
    "application/n-triples": ox.RdfFormat.N_TRIPLES, "text/plain": ox.RdfFormat.N_TRIPLES,
    "text/turtle": ox.RdfFormat.TURTLE, "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/rdf+xml": ox.RdfFormat.RDF_XML, "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
RESULT_TYPES = {
    RESULTS_JSON: ox.QueryResultsFormat.JSON, "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV, "text/csv": ox.QueryResultsFormat.CSV,
}


class RemoteStoreError(RuntimeError):
    """The server refused a request (the message holds its answer)."""


def parse_location(location: str) -> dict:
    """The endpoints, flavor and credentials of a store URL (see the module doc)."""
    flavor = None
    url = location
    scheme, sep, rest = location.partition("://")
    if "+" in scheme:
        flavor, _, scheme = scheme.partition("+")
        url = f"{scheme}{sep}{rest}"
    url, _, fragment = url.partition("#")
    opts = dict(urllib.parse.parse_qsl(fragment)) if "=" in fragment else {}
    if fragment and "=" not in fragment:
        flavor = fragment
    flavor = (flavor or opts.pop("flavor", None) or "").lower() or None
    if flavor is not None and flavor not in FLAVORS:
        raise ValueError(f"unknown SPARQL server flavor {flavor!r}; choose one of {', '.join(FLAVORS)}")
    parts = urllib.parse.urlsplit(url)
    auth = None
    if parts.username:
        auth = (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or ""))
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
    base = url.rstrip("/")
    if flavor:
        q, u, g = FLAVORS[flavor]
        for suffix in {q, u, "/sparql"}:
            if base.endswith(suffix):
                base = base[: -len(suffix)]
                break
        if flavor == "virtuoso" and base.endswith("-auth"):
            base = base[: -len("/sparql-auth")]
        query, update, gsp = base + q, base + u, base + g
        if flavor == "virtuoso" and auth:  # Virtuoso's authenticated endpoints
            query = update = base + "/sparql-auth"
            gsp = base + "/sparql-graph-crud-auth"
    else:
        query = update = url
        gsp = None
    return {"flavor": flavor, "query": opts.get("query", query), "update": opts.get("update", update),
            "gsp": opts.get("gsp", gsp), "auth": auth, "auth_kind": opts.get("auth", "basic")}


_FORM = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
_NOISE = re.compile(r"#[^\n]*|<[^<>\s]*>|\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")


def query_form(sparql: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE (the first such keyword outside IRIs, strings and comments)."""
    m = _FORM.search(_NOISE.sub(" ", sparql))
    return m.group(1).upper() if m else "SELECT"


def _media(content_type: str | None) -> str:
    return (content_type or "").split(";")[0].strip().lower()


class RemoteStore:
    """The vnkg store interface on a SPARQL 1.1 server (see the module doc)."""

    def __init__(self, location: str, *, timeout: float = 300.0, client=None):
        import httpx

        self.location = location
        cfg = parse_location(location)
        self.flavor: str | None = cfg["flavor"]
        self.query_url, self.update_url, self.gsp_url = cfg["query"], cfg["update"], cfg["gsp"]
        auth = None
        if cfg["auth"]:
            auth = httpx.DigestAuth(*cfg["auth"]) if cfg["auth_kind"] == "digest" else httpx.BasicAuth(*cfg["auth"])
        self.http = client or httpx.Client(timeout=timeout, auth=auth, follow_redirects=True)

    # ------------------------------------------------------------------ http
    def _check(self, r, what: str):
        if r.status_code >= 400:
            raise RemoteStoreError(f"{what}: HTTP {r.status_code} from {r.request.url}: {r.text[:500]}")
        return r

    def update(self, sparql: str) -> None:
        r = self.http.post(self.update_url, data={"update": sparql},
                           headers={"accept": "*/*"})
        self._check(r, "SPARQL update")

    def _query_params(self, union_default_graph: bool, default_graph, named_graphs) -> list[tuple[str, str]]:
        params: list[tuple[str, str]] = []
        if default_graph is not None:
            params += [("default-graph-uri", g) for g in default_graph]
        elif union_default_graph and self.flavor == "oxigraph":
            params.append(("union-default-graph", ""))
        if named_graphs is not None:
            params += [("named-graph-uri", g) for g in named_graphs]
        return params

    def _post_query(self, sparql: str, params, accept: str = ACCEPT):
        body = [("query", sparql)] + list(params)
        r = self.http.post(self.query_url, content=urllib.parse.urlencode(body).encode(),
                           headers={"accept": accept, "content-type": "application/x-www-form-urlencoded"})
        return self._check(r, "SPARQL query")

    # ------------------------------------------------------------------ reading
    def query(self, sparql: str, *, union_default_graph: bool = True,
              default_graph: list[str] | None = None, named_graphs: list[str] | None = None):
        """Run a query; pyoxigraph result objects, as the embedded store gives them."""
        graph_form = query_form(sparql) in ("CONSTRUCT", "DESCRIBE")
        accept = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5" if graph_form else ACCEPT
        r = self._post_query(sparql, self._query_params(union_default_graph, default_graph, named_graphs), accept)
        media = _media(r.headers.get("content-type"))
        if media in RDF_TYPES:
            return [ox.Triple(t.subject, t.predicate, t.object) if isinstance(t, ox.Quad) else t
                    for t in ox.parse(r.content, format=RDF_TYPES[media])]
        if media in RESULT_TYPES:
            return ox.parse_query_results(r.content, format=RESULT_TYPES[media])
        # some servers answer an untyped body: try results, then N-Triples
        try:
            return ox.parse_query_results(r.content, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, ValueError):
            return list(ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES))

    def _select(self, sparql: str) -> Iterator[ox.QuerySolution]:
        res = self.query(sparql, union_default_graph=False)
        if not isinstance(res, ox.QuerySolutions):
            raise RemoteStoreError(f"expected rows from {sparql!r}")
        return iter(res)

    def _is_system(self, iri: str) -> bool:
        return iri.startswith(SYSTEM_GRAPHS.get(self.flavor or "", ()))

    def graphs(self) -> list[str]:
        rows = self._select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return sorted(g for g in (r["g"].value for r in rows if isinstance(r["g"], ox.NamedNode))
                      if not self._is_system(g))

    def has_graph(self, graph_iri: str) -> bool:
        res = self.query(f"ASK {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}", union_default_graph=False)
        return bool(res)

    def count(self, graph_iri: str | None = None) -> int:
        if graph_iri:
            q = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
            return int(next(self._select(q))["n"].value)
        return sum(self.count(g) for g in self.graphs())

    def quads(self, graph_iri: str | None = None) -> Iterable[ox.Quad]:
        """Every quad of one named graph, or of every named graph (system graphs left out)."""
        graphs = [graph_iri] if graph_iri else self.graphs()
        for g in graphs:
            if self.flavor == "oxigraph":
                r = self.http.get(self.gsp_url, params={"graph": g}, headers={"accept": "application/n-triples"})
                if r.status_code == 404:
                    continue
                self._check(r, "GSP GET")
                gnode = ox.NamedNode(g)
                for t in ox.parse(r.content, format=ox.RdfFormat.N_TRIPLES):
                    yield ox.Quad(t.subject, t.predicate, t.object, gnode)
                continue
            gnode = ox.NamedNode(g)
            for row in self._select(f"SELECT ?s ?p ?o WHERE {{ GRAPH <{g}> {{ ?s ?p ?o }} }}"):
                yield ox.Quad(row["s"], row["p"], row["o"], gnode)

    def quads_for(self, subject: str, graph_iri: str) -> Iterable[ox.Quad]:
        """The quads of one subject in one graph."""
        s, g = ox.NamedNode(subject), ox.NamedNode(graph_iri)
        for row in self._select(f"SELECT ?p ?o WHERE {{ GRAPH <{graph_iri}> {{ <{subject}> ?p ?o }} }}"):
            yield ox.Quad(s, row["p"], row["o"], g)

    def dump(self, fmt: ox.RdfFormat, graph_iri: str | None = None) -> bytes:
        quads = list(self.quads(graph_iri))
        if graph_iri or fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
            return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=fmt)
        return ox.serialize(quads, format=fmt)

    # ------------------------------------------------------------------ writing
    def replace_graph(self, graph_iri: str, graph: Graph, shared: tuple[str, Graph] | None = None) -> None:
        """Replace one named graph (and add ``shared`` = (graph IRI, triples) in the same request)."""
        extra = (shared[0], ntriples(shared[1])) if shared and len(shared[1]) else None
        self.replace_graph_ntriples(graph_iri, ntriples(graph), shared=extra)

    def replace_graph_ntriples(self, graph_iri: str, nt: str, shared: tuple[str, str] | None = None) -> None:
        """:meth:`replace_graph` with N-Triples text (what the parallel ingest sends)."""
        if shared is None and self.gsp_url:
            param = GSP_PARAM.get(self.flavor or "", "graph")
            r = self.http.put(self.gsp_url, params={param: graph_iri}, content=nt.encode("utf-8"),
                              headers={"content-type": "text/turtle; charset=utf-8"})
            self._check(r, "GSP PUT")
            return
        lines = [line for line in nt.splitlines() if line.strip()]
        extra = f" GRAPH <{shared[0]}> {{\n{shared[1]}}}" if shared and shared[1].strip() else ""
        if len(lines) <= INSERT_CHUNK:
            self.update(f"DROP SILENT GRAPH <{graph_iri}> ;\n"
                        f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{nt}}}{extra} }}")
            return
        self.update(f"DROP SILENT GRAPH <{graph_iri}>")
        for i in range(0, len(lines), INSERT_CHUNK):
            body = "\n".join(lines[i:i + INSERT_CHUNK])
            self.update(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{body}\n}}{extra if i == 0 else ''} }}")

    def remove_graph(self, graph_iri: str) -> None:
        self.update(f"DROP SILENT GRAPH <{graph_iri}>")

    def bulk_load_ntriples(self, graph_iri: str, nt: str) -> None:
        """Add triples to a graph without replacing it (GSP POST, else INSERT DATA)."""
        if self.gsp_url:
            param = GSP_PARAM.get(self.flavor or "", "graph")
            r = self.http.post(self.gsp_url, params={param: graph_iri}, content=nt.encode("utf-8"),
                               headers={"content-type": "text/turtle; charset=utf-8"})
            self._check(r, "GSP POST")
            return
        self.update(f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{nt}}} }}")

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.http.close()
