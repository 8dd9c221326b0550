"""What the pages show: resources read out of the store, labelled, grouped and linked.

Every query here is a fixed text; the resource being shown (and any IRI the
user passed) goes in through pyoxigraph ``substitutions`` after validation
as a ``NamedNode``, never by pasting strings into SPARQL.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from urllib.parse import quote, urlencode

import pyoxigraph as ox

from kg.namespaces import ONTOLOGY_GRAPH, PREFIXES, REFERENCE_GRAPH, TENURES_GRAPH

from .highlight import highlight
from .search import RDF_TYPE, LabelIndex, local_name
from .settings import Settings
from .svgchart import Point, chart
from .timeline import STATUS_TEXT, Mark, Row, span, timeline

ONTOLOGY_NS = "https://w3id.org/vnkg/ontology#"
ONTOLOGY_BASE = "https://w3id.org/vnkg/ontology"  # the ontology itself; /role/... /indicator/... under it
VNKG = ONTOLOGY_NS
XSD = "http://www.w3.org/2001/XMLSchema#"

P = {k: str(v) for k, v in PREFIXES.items()}
PREFIX_BLOCK = "".join(f"PREFIX {k}: <{v}>\n" for k, v in P.items())

PLACE_CLASSES = ("AdministrativeUnit", "Province", "Municipality", "ProvincialCity", "Town", "District",
                 "UrbanDistrict", "Township", "Commune", "Ward")
BODY_CLASSES = ("PartyOrganization", "PartyCommittee", "StandingCommittee", "StandingOffice", "PartyDepartment",
                "StateBody", "FormalOrganization", "OrganizationalUnit", "Organization")
DOC_CLASSES = ("PolicyDocument", "Resolution", "Directive", "Conclusion", "Decision", "Scheme", "Programme", "Plan")
ZONE_CLASSES = ("EconomicZone", "BorderGateEconomicZone", "CoastalEconomicZone", "IndustrialPark",
                "IndustrialCluster", "TourismArea")
FIGURE_CLASSES = ("IndicatorValue", "Target", "Achievement")
DISCIPLINE_CLASSES = ("DisciplinaryAction",)
CLASS_TYPES = ("http://www.w3.org/2002/07/owl#Class", "http://www.w3.org/2000/01/rdf-schema#Class")
PROPERTY_TYPES = ("http://www.w3.org/2002/07/owl#ObjectProperty", "http://www.w3.org/2002/07/owl#DatatypeProperty",
                  "http://www.w3.org/2002/07/owl#AnnotationProperty", "http://www.w3.org/1999/02/22-rdf-syntax-ns#Property",
                  "http://www.w3.org/2002/07/owl#FunctionalProperty", "http://www.w3.org/2002/07/owl#TransitiveProperty")

BUILTIN_LABELS = {
    RDF_TYPE: "type",
    "http://www.w3.org/2000/01/rdf-schema#label": "label",
    "http://www.w3.org/2000/01/rdf-schema#comment": "comment",
    "http://www.w3.org/2000/01/rdf-schema#subClassOf": "subclass of",
    "http://www.w3.org/2000/01/rdf-schema#subPropertyOf": "subproperty of",
    "http://www.w3.org/2000/01/rdf-schema#domain": "domain",
    "http://www.w3.org/2000/01/rdf-schema#range": "range",
    "http://www.w3.org/2000/01/rdf-schema#seeAlso": "see also",
    "http://www.w3.org/2004/02/skos/core#prefLabel": "preferred label",
    "http://www.w3.org/2004/02/skos/core#altLabel": "other label",
    "http://www.w3.org/2004/02/skos/core#inScheme": "in scheme",
    "http://www.w3.org/2004/02/skos/core#definition": "definition",
    "http://xmlns.com/foaf/0.1/name": "name",
    "http://purl.org/dc/terms/title": "title",
    "http://purl.org/dc/terms/issued": "issued",
    "http://purl.org/dc/terms/identifier": "identifier",
    "http://purl.org/dc/terms/publisher": "publisher",
    "https://schema.org/url": "URL",
    "https://schema.org/mentions": "mentions",
    "http://www.w3.org/ns/prov#wasDerivedFrom": "derived from",
    "http://www.w3.org/ns/org#member": "member",
    "http://www.w3.org/ns/org#role": "role",
    "http://www.w3.org/ns/org#organization": "organisation",
    "http://www.w3.org/ns/org#memberDuring": "during",
    "http://www.w3.org/ns/org#unitOf": "unit of",
    "http://www.w3.org/2002/07/owl#sameAs": "same as",
}

COMPARATOR_SIGNS = {"atLeast": "≥", "atMost": "≤", "about": "≈", "exactly": "="}
# vnkg:postStatus as shown beside a post: what the article says of it at its date.
POST_STATUS_TEXT = {"holds": "holds", "starts": "starts (elected, appointed)", "ends": "ends (relieved, dismissed, left)",
                    "former": "former (held before)"}


def _camel_words(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).lower()


def _int(term) -> int | None:
    if term is None:
        return None
    try:
        return int(Decimal(term.value))
    except (InvalidOperation, AttributeError, ValueError):
        return None


def _year(term) -> int | None:
    if term is None:
        return None
    m = re.match(r"-?\d{1,4}", term.value)
    return int(m.group(0)) if m else None


def _decimal(term) -> Decimal | None:
    if term is None:
        return None
    try:
        return Decimal(term.value)
    except (InvalidOperation, AttributeError):
        return None


def format_number(value: Decimal | None) -> str:
    if value is None:
        return ""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    text = f"{value:,.6f}".rstrip("0").rstrip(".")
    return text


@dataclass
class TermView:
    kind: str                     # "iri" | "bnode" | "literal" | "triple"
    value: str
    label: str | None = None      # display label (IRIs)
    en: str | None = None
    href: str | None = None       # a page on this server, or the IRI itself for external resources
    local: bool = False           # href is a page of this server
    lang: str | None = None
    datatype: str | None = None   # CURIE of a non-string datatype
    curie: str | None = None

    @property
    def text(self) -> str:
        return self.label or self.curie or self.value


@dataclass
class Group:
    prop: TermView
    values: list
    count: int = 0
    more: str | None = None


@dataclass
class Resource:
    iri: str
    label: str
    en: str | None
    types: list[TermView]
    kinds: set[str]
    alt_labels: list[str]
    outgoing: list[Group]
    incoming: list[Group]
    sections: dict = field(default_factory=dict)
    is_graph: bool = False
    graph_size: int = 0



def _evidence_of(var: str, limit: int) -> str:
    """The end of a fact query: the fact's evidence sentence and its offsets, where it has them."""
    return (f"      OPTIONAL {{ ?{var} vnkg:evidence ?evidence }}\n"
            f"      OPTIONAL {{ ?{var} vnkg:evidenceStart ?es }}\n"
            f"      OPTIONAL {{ ?{var} vnkg:evidenceEnd ?ee }}\n"
            f"    }} LIMIT {limit}")

_UNKNOWN = object()  # a fingerprint not taken yet


class Site:
    """The store seen through the web server: labels, mapping of IRIs to pages, page data, stats."""

    def __init__(self, store, settings: Settings):
        self.store = store
        self.settings = settings
        self.base = settings.base_iri
        self.generation = 0
        self._lock = threading.RLock()
        self._index: LabelIndex | None = None
        self._index_gen = -1
        self._stats: dict | None = None
        self._stats_gen = -1
        self._cache: dict[tuple, object] = {}
        self._cache_gen = -1
        self._fingerprint = self._store_fingerprint()
        self._last_check = time.monotonic()
        self.ontology_store = self._fallback_ontology()

    # -- the store ------------------------------------------------------------------------
    @property
    def ox(self):
        return getattr(self.store, "ox", None)

    def _store_fingerprint(self):
        try:
            if self.ox is not None:
                return len(self.ox)
        except Exception:  # noqa: BLE001 - a store that cannot count: no external-change detection
            return None
        return None

    def changed(self) -> None:
        """The store was written (an update through the server): drop every cache. The store's
        fingerprint (a count of every quad, slow on a large store) is taken again at the next
        check, not on the write's path: an ingest through the server writes once per article."""
        with self._lock:
            self.generation += 1
            self._fingerprint = _UNKNOWN

    def check(self) -> None:
        """Cheap check for changes made outside the server (at most every refresh_interval seconds)."""
        now = time.monotonic()
        if now - self._last_check < self.settings.refresh_interval:
            return
        self._last_check = now
        fp = self._store_fingerprint()
        if self._fingerprint is _UNKNOWN:  # written through the server since the last check
            self._fingerprint = fp
        elif fp != self._fingerprint:
            with self._lock:
                self._fingerprint = fp
                self.generation += 1

    def select(self, sparql: str, store=None, **bindings) -> list[dict]:
        """Rows of a fixed SELECT over the union of all graphs; ``bindings`` are substituted terms."""
        target = store or self.store
        q = PREFIX_BLOCK + sparql
        oxs = getattr(target, "ox", target if isinstance(target, ox.Store) else None)
        subs = {ox.Variable(k): v for k, v in bindings.items() if v is not None}
        # Bound with VALUES (terms are validated pyoxigraph terms), not pyoxigraph's substitutions:
        # the planner starts from VALUES (an official's posts: a lookup by the official), while
        # substituted variables are planned as free (every post holding of the store first).
        if subs:
            vals = " ".join(f"?{k.value}" for k in subs)
            terms = " ".join(str(v) for v in subs.values())
            q = q.replace("WHERE {", f"WHERE {{ VALUES ({vals}) {{ ({terms}) }} ", 1)
        if oxs is not None:
            res = oxs.query(q, use_default_graph_as_union=True)
        else:
            res = target.query(q)
        names = [v.value for v in res.variables]
        return [{n: sol[i] for i, n in enumerate(names) if sol[i] is not None} for sol in res]

    # -- caches ---------------------------------------------------------------------------
    @property
    def index(self) -> LabelIndex:
        with self._lock:
            if self._index is None or self._index_gen != self.generation:
                gen = self.generation
                idx = LabelIndex.build(self.select)
                if self.ontology_store is not None:
                    extra = LabelIndex.build(lambda q: self.select(q, store=self.ontology_store))
                    for k, v in extra.labels.items():
                        idx.labels.setdefault(k, v)
                    for k, v in extra.superclasses.items():
                        idx.superclasses.setdefault(k, v)
                    for k, v in extra.types.items():
                        idx.types.setdefault(k, set()).update(v)
                    idx._finish()
                self._synthesize(idx)
                self._index, self._index_gen = idx, gen
            return self._index

    def _synthesize(self, idx: LabelIndex) -> None:
        """Readable labels for posts and figures, which have none of their own."""
        def lab(t):
            return idx.label(t.value) or local_name(t.value) if isinstance(t, ox.NamedNode) else (t.value if t else "")

        def who(m):  # an official's name as the index knows it
            return next((t for p, _l, t in idx.labels.get(getattr(m, "value", ""), ()) if p.endswith("/name")),
                        None) or lab(m)

        def when(r):
            return f" ({r['date'].value})" if "date" in r else ""
        for r in self.select("""SELECT ?t ?m ?role ?org ?first ?last WHERE { GRAPH <%s> {
                ?t a vnkg:Tenure ; org:member ?m ; org:role ?role ; org:organization ?org .
                OPTIONAL { ?t vnkg:firstAttested ?first ; vnkg:lastAttested ?last } } }""" % TENURES_GRAPH):
            if not isinstance(r.get("t"), ox.NamedNode):
                continue
            seen = f" ({r['first'].value} – {r['last'].value})" if "first" in r and "last" in r else ""
            idx.synthetic[r["t"].value] = f"{who(r['m'])}: {lab(r['role'])}, {lab(r['org'])}{seen}"
        # No join on the official's name here: with the union default graph, a name repeated in many
        # article graphs would multiply the rows; the index already knows every name.
        for r in self.select("""SELECT DISTINCT ?post ?m ?role ?org ?date WHERE {
                ?post org:member ?m ; org:role ?role ; org:organization ?org .
                OPTIONAL { ?post vnkg:attestedOn ?date } }"""):
            if not isinstance(r.get("post"), ox.NamedNode) or r["post"].value in idx.synthetic:
                continue
            idx.synthetic[r["post"].value] = f"{who(r['m'])}: {lab(r['role'])}, {lab(r['org'])}{when(r)}"
        for r in self.select("""SELECT ?f ?kind ?ind ?value ?unit ?year ?comp WHERE {
                ?f a ?kind ; vnkg:indicator ?ind ; vnkg:value ?value .
                FILTER(?kind IN (vnkg:Target, vnkg:Achievement))
                OPTIONAL { ?f vnkg:unit ?unit } OPTIONAL { ?f vnkg:year ?year }
                OPTIONAL { ?f vnkg:comparator ?comp } }"""):
            if not isinstance(r.get("f"), ox.NamedNode) or r["f"].value in idx.synthetic:
                continue
            ind = idx.english(r["ind"].value) or lab(r["ind"])
            sign = COMPARATOR_SIGNS.get(local_name(r["comp"].value), "") if "comp" in r else ""
            year = f" {_year(r['year'])}" if "year" in r else ""
            unit = f" {r['unit'].value}" if "unit" in r else ""
            idx.synthetic[r["f"].value] = (f"{local_name(r['kind'].value)}: {ind}{year} {sign} "
                                          f"{format_number(_decimal(r['value']))}{unit}").replace("  ", " ")
        for r in self.select("""SELECT DISTINCT ?d ?m ?measure ?date WHERE {
                ?d a vnkg:DisciplinaryAction ; vnkg:disciplined ?m ; vnkg:measure ?measure .
                OPTIONAL { ?d vnkg:attestedOn ?date } }"""):
            if not isinstance(r.get("d"), ox.NamedNode) or r["d"].value in idx.synthetic:
                continue
            idx.synthetic[r["d"].value] = f"{who(r['m'])}: {lab(r['measure'])}{when(r)}"

    def cached(self, key: tuple, compute):
        with self._lock:
            if self._cache_gen != self.generation:
                self._cache.clear()
                self._cache_gen = self.generation
            if key in self._cache:
                return self._cache[key]
        value = compute()
        with self._lock:
            if self._cache_gen == self.generation:
                self._cache[key] = value
        return value

    def _fallback_ontology(self):
        """The packaged ontology files, when the store does not hold the ontology."""
        try:
            if self.ox is not None and self.select(
                    "SELECT ?s WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), \"%s\")) } LIMIT 1" % ONTOLOGY_BASE):
                return None
        except Exception:  # noqa: BLE001
            return None
        try:
            import ontology as onto_pkg
        except ImportError:
            return None
        files = sorted(Path(onto_pkg.__file__).parent.glob("*.ttl"))
        if not files:
            return None
        side = ox.Store()
        for f in files:
            try:
                side.load(path=str(f), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(ONTOLOGY_GRAPH))
            except (SyntaxError, OSError, ValueError):
                continue
        return side if len(side) else None

    # -- IRIs and pages -------------------------------------------------------------------
    def href(self, iri: str) -> str | None:
        """The page of an IRI on this server, when it has one of its own."""
        if iri.startswith(self.base):
            return "/page/" + _path_quote(iri[len(self.base):])
        if iri.startswith(ONTOLOGY_NS):
            return "/ontology/term/" + _path_quote(iri[len(ONTOLOGY_NS):])
        if iri == ONTOLOGY_BASE:
            return "/ontology"
        if iri.startswith(ONTOLOGY_BASE + "/"):
            return "/ontology/" + _path_quote(iri[len(ONTOLOGY_BASE) + 1:])
        return None

    def data_href(self, iri: str) -> str | None:
        if iri.startswith(self.base):
            return "/data/" + _path_quote(iri[len(self.base):])
        return None

    def describe_href(self, iri: str) -> str:
        return self.href(iri) or "/describe?iri=" + quote(iri, safe="")

    def link(self, iri: str) -> str:
        """Where a link to ``iri`` goes: its page here, the generic page when the store knows it, else the IRI."""
        h = self.href(iri)
        if h:
            return h
        if iri in self.index.labels or iri in self.index.types or not iri.startswith(("http://", "https://")):
            return "/describe?iri=" + quote(iri, safe="")
        return iri

    def curie(self, iri: str) -> str | None:
        if iri.startswith(self.base):
            return "id:" + iri[len(self.base):]
        best = None
        for p, ns in P.items():
            if iri.startswith(ns) and (best is None or len(ns) > len(P[best])):
                best = p
        if best is None:
            return None
        rest = iri[len(P[best]):]
        return f"{best}:{rest}"

    def term(self, t) -> TermView:
        if isinstance(t, ox.NamedNode):
            iri = t.value
            idx = self.index
            label = idx.label(iri)
            h = self.link(iri)
            return TermView("iri", iri, label=label, en=idx.english(iri), href=h,
                            local=not h.startswith(("http://", "https://")), curie=self.curie(iri))
        if isinstance(t, ox.BlankNode):
            return TermView("bnode", t.value, label="_:" + t.value)
        if isinstance(t, ox.Literal):
            dt = t.datatype.value if t.datatype else None
            datatype = None
            if not t.language and dt and dt != XSD + "string":
                datatype = self.curie(dt) or dt
            return TermView("literal", t.value, lang=t.language or None, datatype=datatype)
        if isinstance(t, ox.Triple):
            return TermView("triple", str(t))
        return TermView("literal", str(t))

    def prop(self, iri: str) -> TermView:
        idx = self.index
        label = idx.english(iri) or BUILTIN_LABELS.get(iri) or idx.label(iri)
        if not label:
            label = _camel_words(local_name(iri))
        h = self.link(iri)
        return TermView("iri", iri, label=label, href=h, local=not h.startswith(("http://", "https://")),
                        curie=self.curie(iri))

    def label(self, iri: str | None) -> str | None:
        return self.index.label(iri) if iri else None

    def exists(self, iri: str) -> bool:
        node = ox.NamedNode(iri)
        if self.select("SELECT ?x ?p WHERE { ?x ?p ?o } LIMIT 1", x=node):
            return True
        if self.select("SELECT ?x ?p WHERE { ?s ?p ?x } LIMIT 1", x=node):
            return True
        if self.ox is not None and self.ox.contains_named_graph(node):
            return True
        if self.ontology_store is not None and self.select("SELECT ?x ?p WHERE { ?x ?p ?o } LIMIT 1",
                                                          store=self.ontology_store, x=node):
            return True
        return False

    def kinds(self, iri: str) -> set[str]:
        idx = self.index
        k = set()
        if idx.is_a(iri, "Official", "Person"):
            k.add("official")
        if idx.is_a(iri, "Article", "NewsArticle"):
            k.add("article")
        if idx.is_a(iri, *PLACE_CLASSES):
            k.add("place")
        if idx.is_a(iri, *DOC_CLASSES):
            k.add("document")
        if idx.is_a(iri, *ZONE_CLASSES):
            k.add("zone")
        if idx.is_a(iri, *BODY_CLASSES):
            k.add("body")
        if idx.is_a(iri, "Tenure"):
            k.add("tenure")
        elif idx.is_a(iri, "PostHolding", "Membership"):
            k.add("post")
        if idx.is_a(iri, *FIGURE_CLASSES):
            k.add("figure")
        if idx.is_a(iri, *DISCIPLINE_CLASSES):
            k.add("discipline")
        if idx.is_a(iri, "Term"):
            k.add("term")
        if idx.is_a(iri, "PartyCongress"):
            k.add("congress")
        if idx.is_a(iri, "Role"):
            k.add("role")
        if idx.is_a(iri, "Indicator"):
            k.add("indicator")
        types = idx.types.get(iri, set())
        if any(t in CLASS_TYPES for t in types):
            k.add("class")
        if any(t in PROPERTY_TYPES for t in types):
            k.add("property")
        return k

    # -- a resource page ------------------------------------------------------------------
    def resource(self, iri: str) -> Resource:
        node = ox.NamedNode(iri)
        idx = self.index
        stores = [None] + ([self.ontology_store] if self.ontology_store is not None else [])
        out_rows = []
        for st in stores:
            out_rows = self.select("SELECT DISTINCT ?x ?p ?o WHERE { ?x ?p ?o }", store=st, x=node)
            if out_rows:
                break
        groups: dict[str, list] = {}
        for r in out_rows:
            groups.setdefault(r["p"].value, []).append(r["o"])
        outgoing = []
        for p, objs in groups.items():
            views = [self.term(o) for o in objs]
            views.sort(key=lambda v: (v.kind != "iri", (v.label or v.value).casefold()))
            outgoing.append(Group(self.prop(p), views, len(views)))
        order = {RDF_TYPE: 0, "http://www.w3.org/2000/01/rdf-schema#label": 1, "http://xmlns.com/foaf/0.1/name": 2,
                 "http://www.w3.org/2004/02/skos/core#prefLabel": 3, "http://www.w3.org/2004/02/skos/core#altLabel": 4}
        outgoing.sort(key=lambda g: (order.get(g.prop.value, 9), g.prop.text.casefold()))
        outgoing = [g for g in outgoing if g.prop.value != RDF_TYPE]

        types = [self.term(ox.NamedNode(t)) for t in sorted(idx.types.get(iri, ()))]
        labels = idx.labels.get(iri, [])
        alt = sorted({text for prop, _l, text in labels if prop.endswith("altLabel")})
        label = idx.label(iri) or self.curie(iri) or iri
        res = Resource(iri=iri, label=label, en=idx.english(iri), types=types, kinds=self.kinds(iri),
                       alt_labels=alt, outgoing=outgoing, incoming=self.incoming(iri))
        if self.ox is not None and self.ox.contains_named_graph(node):
            res.is_graph = True
            res.graph_size = sum(1 for _ in self.ox.quads_for_pattern(None, None, None, node))
        s = res.sections
        if "official" in res.kinds:
            s["career"] = self.career(node)
            s["posts"] = self.posts(person=node)
            s["disciplines"] = self.disciplines(person=node)
        if "tenure" in res.kinds:
            s["tenure"] = self.tenure(node)
        if "article" in res.kinds:
            s["article_posts"] = self.posts(article=node)
            s["article_disciplines"] = self.disciplines(article=node)
            s["article_figures"] = self.figures(article=node)
            s["mentions"] = self.mentions(node)
        if "place" in res.kinds:
            s["place"] = self.place(node)
        if "body" in res.kinds:
            s["body"] = self.body(node)
        if "document" in res.kinds or "congress" in res.kinds:
            s["set_targets"] = self.figures(set_by=node)
        if "document" in res.kinds:
            s["issuers"] = [self.term(r["b"]) for r in self.select(
                "SELECT DISTINCT ?x ?b WHERE { ?x vnkg:issuedBy ?b }", x=node)]
        if "zone" in res.kinds:
            s["zone_places"] = [self.term(r["p"]) for r in self.select(
                "SELECT DISTINCT ?x ?p WHERE { ?x vnkg:locatedIn ?p }", x=node)]
            if s["zone_places"]:
                s["zone_chain"] = self.chain(ox.NamedNode(s["zone_places"][0].value))
        if "term" in res.kinds:
            s["posts"] = self.posts(term=node)
        if "post" in res.kinds:
            s["post_detail"] = self.posts(post=node)
        if "figure" in res.kinds:
            s["figure_detail"] = self.figures(figure=node)
        if "discipline" in res.kinds:
            s["discipline_detail"] = self.disciplines(action=node)
        if "role" in res.kinds:
            s["posts"] = self.posts(role=node)
        if "indicator" in res.kinds:
            figs = self.figures(indicator=node)
            s["indicator_figures"] = figs
        return res

    def incoming(self, iri: str) -> list[Group]:
        node = ox.NamedNode(iri)
        k = self.settings.incoming_per_property
        rows = self.select("SELECT ?x ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?x } GROUP BY ?x ?p ORDER BY DESC(?n) ?p",
                           x=node)
        groups = []
        for r in rows:
            n = int(r["n"].value)
            subj = self.incoming_page(iri, r["p"].value, 0, k)
            more = None
            if n > k:
                more = f"{self.describe_href(iri)}{'&' if '?' in self.describe_href(iri) else '?'}incoming=" \
                       + quote(r["p"].value, safe="") + f"&offset={k}"
            groups.append(Group(self.prop(r["p"].value), subj, n, more))
        return groups

    def incoming_page(self, iri: str, prop: str, offset: int, limit: int) -> list[TermView]:
        rows = self.select(
            f"SELECT DISTINCT ?x ?p ?s WHERE {{ ?s ?p ?x }} ORDER BY ?s LIMIT {int(limit)} OFFSET {int(offset)}",
            x=ox.NamedNode(iri), p=ox.NamedNode(prop))
        views = [self.term(r["s"]) for r in rows]
        return views

    def incoming_count(self, iri: str, prop: str) -> int:
        rows = self.select("SELECT ?x ?p (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?x } GROUP BY ?x ?p",
                           x=ox.NamedNode(iri), p=ox.NamedNode(prop))
        return int(rows[0]["n"].value) if rows else 0

    # -- facts ----------------------------------------------------------------------------
    POSTS = """SELECT DISTINCT ?post ?person ?role ?org ?term ?date ?status ?article ?evidence ?es ?ee ?tenure WHERE {
      ?post a vnkg:PostHolding ; org:member ?person ; org:role ?role ; org:organization ?org .
      %s
      OPTIONAL { ?post org:memberDuring ?term }
      OPTIONAL { ?post vnkg:postStatus ?status }
      OPTIONAL { ?post vnkg:attestedOn ?date }
      %s
""" + _evidence_of("post", 2000)

    def posts(self, *, person=None, article=None, org=None, term=None, post=None, role=None,
              tenure=None) -> list[dict]:
        required = ""
        if term is not None:
            required += "?post org:memberDuring ?term ."
        if tenure is not None:
            required += "?tenure prov:wasDerivedFrom ?post ."
        art = "?post prov:wasDerivedFrom ?article ." if article is not None else \
            "OPTIONAL { ?post prov:wasDerivedFrom ?article }"
        rows = self.select(self.POSTS % (required, art), person=person, article=article, org=org, term=term,
                           post=post, role=role, tenure=tenure)
        merged: dict[str, dict] = {}
        for r in rows:
            key = r["post"].value if isinstance(r["post"], ox.NamedNode) else str(r["post"])
            if key in merged:
                continue
            name = self._name(r.get("person"))
            role_label = self.label(getattr(r.get("role"), "value", None))
            org_label = self.label(getattr(r.get("org"), "value", None))
            org_alts = [t for p, _l, t in self.index.labels.get(getattr(r.get("org"), "value", ""), [])]
            sentence = r["evidence"].value if "evidence" in r else None
            needles = [(name, "hl-who"), (role_label, "hl-role"), (org_label, "hl-body")]
            needles += [(a, "hl-body") for a in org_alts if a != org_label]
            merged[key] = {
                "iri": self.term(r["post"]),
                "person": self.term(r["person"]),
                "role": self.term(r["role"]),
                "org": self.term(r["org"]),
                "term": self.term(r["term"]) if "term" in r else None,
                "date": r["date"].value if "date" in r else "",
                "status": local_name(r["status"].value) if isinstance(r.get("status"), ox.NamedNode) else "holds",
                "article": self.term(r["article"]) if "article" in r else None,
                "evidence": highlight(sentence, needles, offsets=(_int(r.get("es")), _int(r.get("ee"))))
                if sentence else None,
            }
            merged[key]["status_text"] = POST_STATUS_TEXT.get(merged[key]["status"], merged[key]["status"])
        return sorted(merged.values(), key=lambda d: (d["date"], d["person"].text, d["iri"].value))

    DISCIPLINES = """SELECT DISTINCT ?action ?person ?measure ?body ?date ?severity ?article ?evidence ?es ?ee WHERE {
      ?action a vnkg:DisciplinaryAction ; vnkg:disciplined ?person ; vnkg:measure ?measure .
      %s
      OPTIONAL { ?action vnkg:attestedOn ?date }
      OPTIONAL { ?measure vnkg:severity ?severity }
      %s
""" + _evidence_of("action", 2000)

    def disciplines(self, *, person=None, body=None, article=None, action=None) -> list[dict]:
        """Disciplinary actions (vnkg:DisciplinaryAction) against an official, decided by a body,
        read from an article, or one action; newest first."""
        by = "?action vnkg:decidedBy ?body ." if body is not None else "OPTIONAL { ?action vnkg:decidedBy ?body }"
        art = "?action prov:wasDerivedFrom ?article ." if article is not None else \
            "OPTIONAL { ?action prov:wasDerivedFrom ?article }"
        rows = self.select(self.DISCIPLINES % (by, art), person=person, body=body, article=article, action=action)
        merged: dict[str, dict] = {}
        for r in rows:
            key = r["action"].value if isinstance(r["action"], ox.NamedNode) else str(r["action"])
            if key in merged:
                continue
            name = self._name(r.get("person"))
            measure = self.label(getattr(r.get("measure"), "value", None))
            body_label = self.label(getattr(r.get("body"), "value", None)) if "body" in r else None
            sentence = r["evidence"].value if "evidence" in r else None
            merged[key] = {
                "iri": self.term(r["action"]),
                "person": self.term(r["person"]),
                "measure": self.term(r["measure"]),
                "severity": _int(r.get("severity")) or 0,
                "body": self.term(r["body"]) if "body" in r else None,
                "date": r["date"].value if "date" in r else "",
                "article": self.term(r["article"]) if "article" in r else None,
                "evidence": highlight(sentence, [(name, "hl-who"), (measure, "hl-role"), (body_label, "hl-body")],
                                      offsets=(_int(r.get("es")), _int(r.get("ee"))))
                if sentence else None,
            }
        return sorted(merged.values(), key=lambda d: (d["date"], d["severity"], d["iri"].value), reverse=True)

    FIGURES = """SELECT DISTINCT ?f ?kind ?indicator ?value ?unit ?comparator ?year ?subject ?setBy
                   ?itext ?qtext ?article ?evidence ?es ?ee ?place WHERE {
      ?f a ?kind ; vnkg:indicator ?indicator ; vnkg:value ?value .
      FILTER(?kind IN (vnkg:Target, vnkg:Achievement, vnkg:IndicatorValue))
      %s
      OPTIONAL { ?f vnkg:unit ?unit }
      OPTIONAL { ?f vnkg:comparator ?comparator }
      OPTIONAL { ?f vnkg:year ?year }
      %s
      %s
      OPTIONAL { ?f vnkg:indicatorText ?itext }
      OPTIONAL { ?f vnkg:quantityText ?qtext }
      %s
""" + _evidence_of("f", 5000)

    def figures(self, *, article=None, set_by=None, subject=None, place=None, figure=None,
                indicator=None) -> list[dict]:
        extra = ""
        if place is not None:
            extra = "{ ?f vnkg:subject ?place } UNION { ?f vnkg:subject ?b . ?b vnkg:jurisdiction ?place }"
        subj = "?f vnkg:subject ?subject ." if subject is not None else "OPTIONAL { ?f vnkg:subject ?subject }"
        sb = "?f vnkg:setBy ?setBy ." if set_by is not None else "OPTIONAL { ?f vnkg:setBy ?setBy }"
        art = "?f prov:wasDerivedFrom ?article ." if article is not None else \
            "OPTIONAL { ?f prov:wasDerivedFrom ?article }"
        rows = self.select(self.FIGURES % (extra, subj, sb, art), article=article, setBy=set_by,
                           subject=subject, place=place, f=figure, indicator=indicator)
        merged: dict[str, dict] = {}
        for r in rows:
            key = r["f"].value if isinstance(r["f"], ox.NamedNode) else str(r["f"])
            if key in merged:
                # prefer the most specific kind (Target / Achievement over IndicatorValue)
                if local_name(r["kind"].value) != "IndicatorValue":
                    merged[key]["kind"] = local_name(r["kind"].value)
                continue
            value = _decimal(r.get("value"))
            sentence = r["evidence"].value if "evidence" in r else None
            hint = None
            tail = key.rsplit("/", 1)[-1]
            if tail.isdigit():
                hint = int(tail)
            comp = local_name(r["comparator"].value) if "comparator" in r else None
            merged[key] = {
                "iri": self.term(r["f"]),
                "kind": local_name(r["kind"].value),
                "indicator": self.term(r["indicator"]),
                "value": value,
                "value_text": format_number(value),
                "unit": r["unit"].value if "unit" in r else "",
                "comparator": comp,
                "sign": COMPARATOR_SIGNS.get(comp or "", ""),
                "year": _year(r.get("year")),
                "subject": self.term(r["subject"]) if "subject" in r else None,
                "set_by": self.term(r["setBy"]) if "setBy" in r else None,
                "itext": r["itext"].value if "itext" in r else None,
                "qtext": r["qtext"].value if "qtext" in r else None,
                "article": self.term(r["article"]) if "article" in r else None,
                "evidence": highlight(sentence, [(r["qtext"].value if "qtext" in r else None, "hl-figure"),
                                                 (r["itext"].value if "itext" in r else None, "hl-indicator")],
                                      hint=hint, offsets=(_int(r.get("es")), _int(r.get("ee"))))
                if sentence else None,
            }
        return sorted(merged.values(), key=lambda d: (d["indicator"].text, d["year"] or 0, d["kind"], d["iri"].value))

    def mentions(self, article) -> list[tuple[str, list[TermView]]]:
        rows = self.select("SELECT DISTINCT ?x ?m WHERE { ?x schema:mentions ?m }", x=article)
        by_kind: dict[str, list[TermView]] = {}
        for r in rows:
            v = self.term(r["m"])
            kinds = self.kinds(r["m"].value) if isinstance(r["m"], ox.NamedNode) else set()
            k = _kind_title(kinds)
            by_kind.setdefault(k, []).append(v)
        return sorted(((k, sorted(vs, key=lambda v: v.text.casefold())) for k, vs in by_kind.items()),
                      key=lambda kv: kv[0])

    def _name(self, term) -> str | None:
        if term is None:
            return None
        for prop, _l, text in self.index.labels.get(term.value, []):
            if prop.endswith("/name"):
                return text
        return self.label(term.value)

    def chain(self, node) -> list[TermView]:
        """The partOf chain upwards, nearest first (cycles and depth bounded)."""
        out, seen, cur = [], {node.value}, node
        for _ in range(10):
            rows = self.select("SELECT DISTINCT ?x ?up WHERE { ?x vnkg:partOf ?up } ORDER BY ?up LIMIT 1", x=cur)
            if not rows or not isinstance(rows[0]["up"], ox.NamedNode) or rows[0]["up"].value in seen:
                break
            cur = rows[0]["up"]
            seen.add(cur.value)
            out.append(self.term(cur))
        return out

    def place(self, node) -> dict:
        children = [self.term(r["c"]) for r in self.select(
            "SELECT DISTINCT ?x ?c WHERE { ?c vnkg:partOf ?x } LIMIT 1000", x=node)]
        bodies = [self.term(r["b"]) for r in self.select(
            "SELECT DISTINCT ?x ?b WHERE { ?b vnkg:jurisdiction ?x } LIMIT 1000", x=node)]
        zones = [self.term(r["z"]) for r in self.select(
            "SELECT DISTINCT ?x ?z WHERE { ?z vnkg:locatedIn ?x } LIMIT 1000", x=node)]
        for lst in (children, bodies, zones):
            lst.sort(key=lambda v: v.text.casefold())
        figures = self.figures(place=node)
        return {"chain": self.chain(node), "children": children, "bodies": bodies, "zones": zones,
                "figures": figures, "charts": self.charts(figures)}

    def charts(self, figures: list[dict]) -> list[dict]:
        series: dict[tuple[str, str], list[Point]] = {}
        names: dict[tuple[str, str], str] = {}
        for f in figures:
            if f["year"] is None or f["value"] is None:
                continue
            key = (f["indicator"].value, f["unit"])
            names[key] = f["indicator"].en or f["indicator"].text
            who = f["subject"].text if f["subject"] else ""
            title = f"{f['year']}: {f['sign']} {f['value_text']} {f['unit']} ({f['kind']}{', ' + who if who else ''})"
            series.setdefault(key, []).append(Point(f["year"], float(f["value"]), f["kind"], title))
        out = []
        for key, pts in sorted(series.items(), key=lambda kv: names[kv[0]].casefold()):
            out.append({"title": names[key], "unit": key[1], "svg": chart(names[key], key[1], pts),
                        "points": len(pts)})
        return out

    def body(self, node) -> dict:
        rows = lambda q: self.select(q, x=node)  # noqa: E731
        posts = self.posts(org=node)
        return {
            "jurisdiction": [self.term(r["p"]) for r in rows("SELECT DISTINCT ?x ?p WHERE { ?x vnkg:jurisdiction ?p }")],
            "unit_of": [self.term(r["p"]) for r in rows("SELECT DISTINCT ?x ?p WHERE { ?x org:unitOf ?p }")],
            "units": [self.term(r["u"]) for r in rows("SELECT DISTINCT ?x ?u WHERE { ?u org:unitOf ?x } LIMIT 500")],
            "documents": [self.term(r["d"]) for r in rows("SELECT DISTINCT ?x ?d WHERE { ?d vnkg:issuedBy ?x } LIMIT 500")],
            "congresses": [self.term(r["c"]) for r in rows(
                "SELECT DISTINCT ?x ?c WHERE { ?c vnkg:congressOf ?x } LIMIT 500")],
            "posts": posts,
            # who came and who left: the readings that report a post starting or ending
            "started": [p for p in posts if p["status"] == "starts"],
            "ended": [p for p in posts if p["status"] == "ends"],
            "disciplines": self.disciplines(body=node),
            "office_holders": self.office_holders(node),
        }

    # -- tenures --------------------------------------------------------------------------
    #: Rows of one timeline (the rest are in the table and the CSV).
    TIMELINE_ROWS = 60
    #: Tenures read for one page.
    PAGE_TENURES = 2000

    def _bound_text(self, bound, what: str) -> str:
        if bound is None:
            return f"{what} unknown"
        day, kind = bound
        return {"attested": f"{what} {day}", "noLaterThan": f"{what} no later than {day}",
                "noEarlierThan": f"{what} no earlier than {day}"}.get(kind, f"{what} {day}")

    def _rows(self, tenures, label) -> list[Row]:
        """Timeline rows of stored tenures (kg.tenures.StoredTenure); ``label(t)`` -> (text, href)."""
        rows = []
        for t in tenures:
            text, href = label(t)
            marks = []
            for r in t.readings:
                if r.date is None:
                    continue
                said = (r.evidence or "")[:400]
                marks.append(Mark(r.date, r.status, self.link(r.post),
                                  f"{r.date} · {STATUS_TEXT.get(r.status, r.status)} · {r.article_id or ''}\n{said}"))
            title = (f"{self.label(t.official) or t.official}: {self.label(t.role) or t.role}, "
                     f"{self.label(t.body) or t.body}; {self._bound_text(t.beginning, 'began')}; "
                     f"{self._bound_text(t.end, 'ended')}; {len(t.readings)} reading(s)"
                     + ("; in conflict with another holder" if t.conflicts else ""))
            rows.append(Row(text, href, self.link(t.iri), t.beginning, t.end, t.first, t.last, marks,
                            bool(t.conflicts), title))
        return rows

    def _tenure_views(self, tenures) -> list[dict]:
        return [{"iri": self.term(ox.NamedNode(t.iri)), "official": self.term(ox.NamedNode(t.official)),
                 "role": self.term(ox.NamedNode(t.role)), "body": self.term(ox.NamedNode(t.body)),
                 "beginning": t.beginning, "end": t.end, "first": t.first, "last": t.last,
                 "readings": len(t.readings), "conflicts": len(t.conflicts),
                 "succeeds": [self.term(ox.NamedNode(x)) for x in t.succeeds]} for t in tenures]

    def office_holders(self, node) -> dict:
        """A body's office-holders per role: a timeline each, on one axis (single-holder roles first)."""
        from kg.tenures import single_holder_roles, stored

        tenures = stored(self.store, body=node.value, limit=self.PAGE_TENURES)
        single = single_holder_roles()
        by_role: dict[str, list] = {}
        for t in tenures:
            by_role.setdefault(t.role, []).append(t)

        def person(t):
            return self._name(ox.NamedNode(t.official)) or t.official, self.link(t.official)
        between = span(self._rows(tenures, person))
        roles = []
        for role, ts in sorted(by_role.items(), key=lambda kv: (kv[0] not in single, -len(kv[1]),
                                                                 (self.label(kv[0]) or kv[0]).casefold())):
            shown = ts[:self.TIMELINE_ROWS]
            name = self.label(role) or local_name(role)
            roles.append({"role": self.term(ox.NamedNode(role)), "count": len(ts), "shown": len(shown),
                          "single": role in single, "tenures": self._tenure_views(ts),
                          "svg": timeline(f"{name}: {self.label(node.value) or node.value}",
                                          self._rows(shown, person), between),
                          "csv": "/tenures.csv?" + urlencode({"body": node.value, "role": role})})
        return {"roles": roles, "count": len(tenures), "csv": "/tenures.csv?" + urlencode({"body": node.value}),
                "conflicts": sum(1 for t in tenures if t.conflicts)}

    def career(self, node) -> dict:
        """An official's tenures on one timeline."""
        from kg.tenures import stored

        tenures = stored(self.store, official=node.value, limit=self.PAGE_TENURES)

        def post(t):
            return f"{self.label(t.role) or local_name(t.role)}, {self.label(t.body) or t.body}", self.link(t.body)
        shown = tenures[:self.TIMELINE_ROWS]
        return {"count": len(tenures), "shown": len(shown), "tenures": self._tenure_views(tenures),
                "svg": timeline(f"Career of {self._name(node) or node.value}", self._rows(shown, post)),
                "csv": "/tenures.csv?" + urlencode({"official": node.value}),
                "conflicts": sum(1 for t in tenures if t.conflicts)}

    def tenure(self, node) -> dict:
        """One tenure: its bounds and what they rest on, its successions, conflicts and readings."""
        from kg.tenures import stored

        found = stored(self.store, tenures=[node.value])
        if not found:
            return {}
        t = found[0]

        def post(x):
            return f"{self.label(x.role) or local_name(x.role)}, {self.label(x.body) or x.body}", self.link(x.body)
        after = [self.term(r["t"]) for r in self.select(
            "SELECT ?x ?t WHERE { ?t vnkg:succeeds ?x } ORDER BY ?t", x=node)]
        return {"view": self._tenure_views([t])[0], "svg": timeline(self.label(node.value) or "tenure", self._rows([t], post)),
                "beginning": self._bound_text(t.beginning, "began"), "end": self._bound_text(t.end, "ended"),
                "succeeds": [self.term(ox.NamedNode(x)) for x in t.succeeds],
                "replaces": [self.term(ox.NamedNode(x)) for x in t.replaces],
                "succeeded_by": after,
                "conflicts": [self.term(ox.NamedNode(x)) for x in t.conflicts],
                "terms": [self.term(ox.NamedNode(x)) for x in t.terms],
                "readings": self.posts(tenure=node)}

    def conflict_list(self, limit: int = 500) -> list[dict]:
        """Every conflict (two holders of one single-holder post at once), with the readings in the overlap."""
        from kg.tenures import conflicts

        def compute():
            out = []
            for c in conflicts(self.store, limit=limit):
                evidence = [{"tenure": self.term(ox.NamedNode(t.iri)), "official": self.term(ox.NamedNode(t.official)),
                             "date": r.date, "status": STATUS_TEXT.get(r.status, r.status),
                             "post": self.term(ox.NamedNode(r.post)),
                             "article": self.term(ox.NamedNode(r.article)) if r.article else None,
                             "evidence": highlight(r.evidence, [(self._name(ox.NamedNode(t.official)), "hl-who"),
                                                                (self.label(t.role), "hl-role")])
                             if r.evidence else None} for t, r in c.evidence()]
                out.append({"body": self.term(ox.NamedNode(c.a.body)), "role": self.term(ox.NamedNode(c.a.role)),
                            "a": self.term(ox.NamedNode(c.a.official)), "b": self.term(ox.NamedNode(c.b.official)),
                            "ta": self.term(ox.NamedNode(c.a.iri)), "tb": self.term(ox.NamedNode(c.b.iri)),
                            "start": c.start, "end": c.end, "evidence": evidence})
            return out
        return self.cached(("conflicts", limit), compute)

    def tenure_table(self, *, body: str | None = None, role: str | None = None,
                     official: str | None = None, limit: int = 200_000) -> list[dict]:
        """The tenure table (kg.tenures.table) of a body, role and/or official named by a user: a body by
        its IRI or its path under the base IRI, a role by its key, label or IRI (a ValueError says why not)."""
        from kg.tenures import body_iri, role_iri, table

        return table(self.store, body=body_iri(body, self.base) if body else None,
                     role=role_iri(role) if role else None,
                     official=body_iri(official, self.base) if official else None, limit=limit)

    # -- ontology -------------------------------------------------------------------------
    def ontology(self) -> dict:
        def compute():
            st = self.ontology_store
            f = 'FILTER(STRSTARTS(STR(?c), "%s"))' % ONTOLOGY_BASE
            classes = self.select("SELECT DISTINCT ?c WHERE { VALUES ?t { owl:Class rdfs:Class } ?c a ?t %s }" % f,
                                  store=st)
            props = self.select("SELECT DISTINCT ?c WHERE { VALUES ?t { owl:ObjectProperty owl:DatatypeProperty "
                                "owl:AnnotationProperty rdf:Property } ?c a ?t %s }" % f, store=st)
            schemes = self.select("SELECT DISTINCT ?c WHERE { ?c a skos:ConceptScheme %s }" % f, store=st)
            concepts = self.select("SELECT DISTINCT ?k ?c WHERE { ?k skos:inScheme ?c %s }" % f, store=st)
            comments = {r["c"].value: r["d"].value for r in self.select(
                "SELECT ?c ?d WHERE { ?c rdfs:comment|skos:definition ?d %s FILTER(LANG(?d) = \"en\" || LANG(?d) = \"\") }"
                % f, store=st)}
            onto = self.select("SELECT ?c WHERE { ?c a owl:Ontology } LIMIT 1", store=st)
            by_scheme: dict[str, list] = {}
            for r in concepts:
                by_scheme.setdefault(r["c"].value, []).append(self.term(r["k"]))

            def items(rows):
                out = []
                for r in rows:
                    v = self.term(r["c"])
                    out.append({"term": v, "anchor": local_name(v.value), "comment": comments.get(v.value)})
                return sorted(out, key=lambda d: d["anchor"].casefold())

            return {
                "iri": onto[0]["c"].value if onto else ONTOLOGY_BASE,
                "label": self.label(onto[0]["c"].value) if onto else "vnkg ontology",
                "classes": items(classes),
                "properties": items(props),
                "schemes": [{"term": self.term(r["c"]),
                             "concepts": sorted(by_scheme.get(r["c"].value, []), key=lambda v: v.text.casefold())}
                            for r in schemes],
            }
        return self.cached(("ontology",), compute)

    def ontology_triples(self) -> list:
        st = self.ontology_store or self.store
        q = PREFIX_BLOCK + ("CONSTRUCT { ?s ?p ?o } WHERE { { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), \"%s\")) }"
                            " UNION { ?x ?q ?s . ?s ?p ?o FILTER(isBlank(?s) && isIRI(?x) && "
                            "STRSTARTS(STR(?x), \"%s\")) } }" % (ONTOLOGY_BASE, ONTOLOGY_BASE))
        oxs = getattr(st, "ox", st)
        return list(oxs.query(q, use_default_graph_as_union=True))

    def describe_triples(self, iri: str, limit: int) -> tuple[list, bool]:
        """What /data/ serves: the resource's triples, its blank nodes' triples, and incoming links (capped)."""
        node = ox.NamedNode(iri)
        q = PREFIX_BLOCK + """CONSTRUCT { ?x ?p ?o . ?o ?bp ?bo . ?s ?ip ?x } WHERE {
            { ?x ?p ?o OPTIONAL { ?o ?bp ?bo FILTER(isBlank(?o)) } } UNION { ?s ?ip ?x } }"""
        targets = [self.store] + ([self.ontology_store] if self.ontology_store is not None else [])
        for st in targets:
            oxs = getattr(st, "ox", st)
            res = oxs.query(q, use_default_graph_as_union=True, substitutions={ox.Variable("x"): node})
            triples, seen, truncated = [], set(), False
            for t in res:
                key = str(t)
                if key in seen:
                    continue
                if len(triples) >= limit:
                    truncated = True
                    break
                seen.add(key)
                triples.append(t)
            if triples:
                return triples, truncated
        return [], False

    # -- stats ----------------------------------------------------------------------------
    def stats(self) -> dict:
        def compute():
            idx = self.index
            counts = idx.class_counts()
            one = lambda q: int(self.select(q)[0]["n"].value)  # noqa: E731
            graphs = self.store.graphs() if hasattr(self.store, "graphs") else []
            quads = len(self.ox) if self.ox is not None else None
            triples = one("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }")
            subjects = one("SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")
            properties = one("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")
            objects = one("SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }")
            per_class = sorted(((c, n) for c, n in counts.items()), key=lambda cn: (-cn[1], cn[0]))
            base_graphs = [g for g in graphs if g.startswith(self.base)]
            return {
                "triples": triples, "quads": quads, "subjects": subjects, "properties": properties,
                "objects": objects, "graphs": len(graphs), "article_graphs": len(base_graphs),
                "graph_list": graphs, "classes": per_class,
                "articles": counts.get(VNKG + "Article", 0),
                "key": {name: counts.get(VNKG + name, 0) for name in (
                    "Article", "Official", "PostHolding", "Target", "Achievement", "PartyCommittee",
                    "PartyOrganization", "StateBody", "Province", "District", "Commune", "PolicyDocument",
                    "Resolution", "EconomicZone", "IndustrialPark", "PartyCongress", "Term")},
                "has_ontology": ONTOLOGY_GRAPH in graphs, "has_reference": REFERENCE_GRAPH in graphs,
                "entities": sum(1 for i in idx.types if i.startswith(self.base)),
            }
        return self.cached(("stats",), compute)


def _kind_title(kinds: set[str]) -> str:
    for k, title in (("official", "Officials"), ("body", "Bodies"), ("place", "Places"), ("zone", "Economic zones"),
                     ("document", "Documents"), ("congress", "Congresses"), ("term", "Terms"),
                     ("article", "Articles")):
        if k in kinds:
            return title
    return "Other"


def _path_quote(rest: str) -> str:
    return quote(rest, safe="/:@!$&'()*+,;=-._~%")
