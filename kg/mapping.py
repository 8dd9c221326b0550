"""The one place where records become RDF.

:func:`article_graph` maps an article and its :class:`~loaders.records.Facts` to the triples of
its named graph; :func:`reference_graph` maps the gazetteer to the reference graph. The graph of
one article is self-contained: every node it references carries its type and label, so it can
be validated alone (with the ontology) and exported alone.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import fields, is_dataclass, replace
from functools import lru_cache
from typing import Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, TIME, XSD

from loaders.article import Article
from loaders.records import (BodyRef, Congress, Discipline, Document, Facts, Figure, Official, PlaceRef,
                             PostHolding, Term, Zone)
from loaders.text import canonical_tones, nfc

from .iri import Minter, national_officials
from .namespaces import INDICATOR, ORG, PREFIXES, SCHEMA, VNKG

INDICATOR_SCHEME = URIRef(str(INDICATOR) + "scheme")
# Units of the two-level administration of 2025, by the first word of their label.
_REFORMED_LEVELS = {"tỉnh": "Province", "thành": "Municipality", "xã": "Commune", "phường": "Ward", "đặc": "SpecialZone"}


def vi(text: str) -> Literal:
    return Literal(nfc(text), lang="vi")


def _date(value: dt.date | dt.datetime) -> Literal:
    if isinstance(value, dt.datetime):
        return Literal(value.replace(tzinfo=None).isoformat(timespec="seconds"), datatype=XSD.dateTime)
    return Literal(value.isoformat(), datatype=XSD.date)


def _year(y: int) -> Literal:
    return Literal(f"{y:04d}", datatype=XSD.gYear)


def new_graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns, override=True)
    return g


class _Mapper:
    def __init__(self, g: Graph, mint: Minter, article_id: str, national: frozenset[Official] = frozenset()):
        self.g, self.mint, self.article_id = g, mint, article_id
        self.national = national  # officials this article shows in a national body (kg.iri)
        self.done: set[URIRef] = set()

    def add(self, s, p, o) -> None:
        if o is not None:
            self.g.add((s, p, o))

    # -- entities ------------------------------------------------------------------
    def place(self, place: PlaceRef) -> URIRef:
        node = self.mint.place(place)
        if node in self.done:
            return node
        self.done.add(node)
        self.add(node, RDF.type, VNKG[place.level])
        self.add(node, RDFS.label, vi(place.label))
        if place.code:
            self.add(node, VNKG.officialCode, Literal(place.code))
        if place.parent is not None:
            self.add(node, VNKG.partOf, self.place(place.parent))
        return node

    def body(self, body: BodyRef) -> URIRef:
        node = self.mint.body(body)
        for alt in sorted(body.alt_labels):  # the same body may be written several ways
            if nfc(alt) != body.label:
                self.add(node, SKOS.altLabel, vi(alt))
        if node in self.done:
            return node
        self.done.add(node)
        self.add(node, RDF.type, VNKG[body.kind])
        self.add(node, RDFS.label, vi(body.label))
        if body.place is not None:
            self.add(node, VNKG.jurisdiction, self.place(body.place))
        if body.parent is not None:
            self.add(node, ORG.unitOf, self.body(body.parent))
        return node

    def official(self, official: Official) -> URIRef:
        node = self.mint.official(official, national=official in self.national)
        if node not in self.done:
            self.done.add(node)
            self.add(node, RDF.type, VNKG.Official)
            self.add(node, FOAF.name, Literal(nfc(official.name)))
            # The family name comes first in a Vietnamese name: a search by name starts from it.
            self.add(node, FOAF.familyName, Literal(nfc(official.name).split()[0]))
            self.add(node, RDFS.label, vi(official.name))
        return node

    def term(self, term: Term) -> URIRef:
        node = self.mint.term(term)
        if node not in self.done:
            self.done.add(node)
            self.add(node, RDF.type, VNKG.Term)
            self.add(node, RDFS.label, Literal(term.label))
            self.add(node, VNKG.startYear, _year(term.start))
            self.add(node, VNKG.endYear, _year(term.end))
        return node

    def congress(self, c: Congress) -> URIRef:
        node = self.mint.congress(c)
        if node not in self.done:
            self.done.add(node)
            self.add(node, RDF.type, VNKG.PartyCongress)
            self.add(node, RDFS.label, vi(f"Đại hội {c.organization.label} lần thứ {c.ordinal}"))
            self.add(node, VNKG.congressOf, self.body(c.organization))
            self.add(node, VNKG.ordinal, Literal(c.ordinal, datatype=XSD.positiveInteger))
            if c.term is not None:
                self.add(node, VNKG["term"], self.term(c.term))
        return node

    def document(self, d: Document) -> URIRef:
        node = self.mint.document(d, self.article_id)
        if node not in self.done:
            self.done.add(node)
            self.add(node, RDF.type, VNKG[d.type])
            label = d.title or (f"Nghị quyết Đại hội {d.congress.organization.label} lần thứ {d.congress.ordinal}"
                                if d.congress else d.type)
            self.add(node, RDFS.label, vi(label))
            if d.number:
                self.add(node, VNKG.documentNumber, Literal(d.number))
            if d.issued:
                self.add(node, DCTERMS.issued, _date(d.issued))
            if d.issuer is not None:
                self.add(node, VNKG.issuedBy, self.body(d.issuer))
            if d.congress is not None:
                self.add(node, VNKG.adoptedAt, self.congress(d.congress))
        return node

    def zone(self, z: Zone) -> URIRef:
        node = self.mint.zone(z)
        for alt in sorted(z.alt_labels):
            self.add(node, SKOS.altLabel, vi(alt))
        if node not in self.done:
            self.done.add(node)
            self.add(node, RDF.type, VNKG[z.type])
            self.add(node, RDFS.label, vi(z.name))
            if z.located_in is not None:
                self.add(node, VNKG.locatedIn, self.place(z.located_in))
        return node

    def subject(self, s) -> URIRef | None:
        if isinstance(s, PlaceRef):
            return self.place(s)
        if isinstance(s, BodyRef):
            return self.body(s)
        return None

    # -- reified facts -------------------------------------------------------------
    def provenance(self, node: URIRef, article: URIRef, ev) -> None:
        self.add(node, PROV.wasDerivedFrom, article)
        self.add(node, VNKG.evidence, Literal(nfc(ev.sentence)))
        self.add(node, VNKG.evidenceStart, Literal(ev.start, datatype=XSD.integer))
        self.add(node, VNKG.evidenceEnd, Literal(ev.end, datatype=XSD.integer))

    def post(self, p: PostHolding, article: URIRef, attested) -> URIRef:
        node = self.mint.post(p, self.article_id)
        self.add(node, RDF.type, VNKG.PostHolding)
        self.add(node, ORG.member, self.official(p.official))
        self.add(node, ORG.role, self.mint.role(p.role))
        self.add(node, ORG.organization, self.body(p.body))
        if attested is not None:
            self.add(node, VNKG.attestedOn, Literal(attested.isoformat(), datatype=XSD.date))
        if p.term is not None:
            self.add(node, ORG.memberDuring, self.term(p.term))
        self.add(node, VNKG.postStatus, VNKG[p.status or "holds"])
        self.provenance(node, article, p.evidence)
        return node

    def discipline(self, d: Discipline, article: URIRef, attested) -> URIRef:
        node = self.mint.discipline(d, self.article_id)
        self.add(node, RDF.type, VNKG.DisciplinaryAction)
        self.add(node, VNKG.disciplined, self.official(d.official))
        self.add(node, VNKG.measure, self.mint.measure(d.measure))
        if d.decided_by is not None:
            self.add(node, VNKG.decidedBy, self.body(d.decided_by))
        if attested is not None:
            self.add(node, VNKG.attestedOn, Literal(attested.isoformat(), datatype=XSD.date))
        self.provenance(node, article, d.evidence)
        return node

    def figure(self, f: Figure, article: URIRef, text: str) -> URIRef:
        node = self.mint.figure(f, self.article_id)
        self.add(node, RDF.type, VNKG[f.kind])
        indicator = self.mint.indicator(f.indicator, f.indicator_label)
        if f.indicator is None:
            self.add(indicator, RDF.type, VNKG.Indicator)
            self.add(indicator, SKOS.prefLabel, vi(canonical_tones(f.indicator_label or "chỉ tiêu")))
            self.add(indicator, SKOS.inScheme, INDICATOR_SCHEME)
        self.add(node, VNKG.indicator, indicator)
        self.add(node, VNKG.value, Literal(f.value.normalize() if f.value == f.value.to_integral() else f.value,
                                           datatype=XSD.decimal))
        self.add(node, VNKG.unit, Literal(f.unit))
        self.add(node, VNKG.comparator, VNKG[f.comparator])
        if f.year is not None:
            self.add(node, VNKG.year, _year(f.year))
        self.add(node, VNKG.subject, self.subject(f.subject))
        if f.set_by is not None and f.kind == "Target":
            target = self.congress(f.set_by) if isinstance(f.set_by, Congress) else self.document(f.set_by)
            self.add(node, VNKG.setBy, target)
        if f.indicator_label:
            self.add(node, VNKG.indicatorText, vi(f.indicator_label))
        self.add(node, VNKG.quantityText, Literal(nfc(text[f.start:f.end])))
        self.provenance(node, article, f.evidence)
        return node


@lru_cache(maxsize=1)
def _committees() -> tuple[dict, ...]:
    from loaders.lexicon import forms, table

    return tuple({"key": r["key"], "levels": set(forms(r["levels"])), "canonical": r["canonical"]}
                 for r in table("committees"))


class _KnownLevels:
    """Records with every provincial-level unit at the level the gazetteer gives it
    (:meth:`loaders.gazetteer.Gazetteer.at_known_level`), and the bodies named after such a unit
    renamed to match: "Tỉnh ủy Hà Nội" is the Thành ủy of thành phố Hà Nội, "Ủy ban nhân dân tỉnh
    Cần Thơ" that of thành phố Cần Thơ. The graph never states a level that neither the text nor
    the gazetteer gives (a unit's IRI does not depend on its level, so no IRI of a place moves)."""

    def __init__(self):
        from loaders.gazetteer import gazetteer

        self.gaz = gazetteer()
        self.memo: dict = {}

    def place(self, p: PlaceRef) -> PlaceRef:
        out = self.gaz.at_known_level(p)
        if p.parent is not None:
            parent = self(p.parent)
            if parent is not p.parent:
                out = replace(out, parent=parent)
        return out

    def body(self, b: BodyRef) -> BodyRef:
        place = self(b.place) if b.place is not None else None
        parent = self(b.parent) if b.parent is not None else None
        if place is b.place and parent is b.parent:
            return b
        key, label = b.key, b.label
        row = next((r for r in _committees() if r["key"] == b.key), None)
        if row is not None and place is not None and place.level not in row["levels"]:
            new = next((r for r in _committees() if place.level in r["levels"]), None)
            if new is not None:
                key, label = new["key"], new["canonical"].format(name=place.name, label=place.label)
        elif parent is not b.parent and b.label.endswith(b.parent.label):
            label = b.label[:len(b.label) - len(b.parent.label)] + parent.label
        elif place is not b.place and b.label.endswith(b.place.label):
            label = b.label[:len(b.label) - len(b.place.label)] + place.label
        alts = frozenset(a for a in b.alt_labels if a != label)
        return replace(b, key=key, label=label, place=place, parent=parent, alt_labels=alts)

    def __call__(self, value):
        if isinstance(value, (PlaceRef, BodyRef)) or (is_dataclass(value) and not isinstance(value, type)):
            hit = self.memo.get(value)
            if hit is not None:
                return hit
            if isinstance(value, PlaceRef):
                out = self.place(value)
            elif isinstance(value, BodyRef):
                out = self.body(value)
            else:
                changed = {}
                for f in fields(value):
                    old = getattr(value, f.name)
                    if isinstance(old, (PlaceRef, BodyRef)) or (is_dataclass(old) and not isinstance(old, type)):
                        new = self(old)
                        if new is not old:
                            changed[f.name] = new
                out = replace(value, **changed) if changed else value
            self.memo[value] = out
            return out
        return value

    def facts(self, facts: Facts) -> Facts:
        out = Facts()
        for f in fields(Facts):
            items = [self(x) for x in getattr(facts, f.name)]
            setattr(out, f.name, list(dict.fromkeys(items)))  # two spellings may now be one record
        return out


def at_known_levels(facts: Facts) -> Facts:
    """``facts`` with provincial-level units at their gazetteer level (see :class:`_KnownLevels`)."""
    return _KnownLevels().facts(facts)


def article_graph(article: Article, facts: Facts, mint: Minter | None = None) -> Graph:
    """The named graph of one article: its metadata, every fact, and what the facts reference."""
    mint = mint or Minter()
    facts = at_known_levels(facts)
    g = new_graph()
    m = _Mapper(g, mint, article.id, national_officials(facts))
    a = mint.article(article.id)
    m.add(a, RDF.type, VNKG.Article)
    m.add(a, DCTERMS.identifier, Literal(article.id))
    if article.title:
        m.add(a, DCTERMS.title, vi(article.title))
    if article.issued:
        m.add(a, DCTERMS.issued, _date(article.issued))
    if article.publisher:
        m.add(a, DCTERMS.publisher, Literal(nfc(article.publisher)))
    if article.author:
        m.add(a, DCTERMS.creator, Literal(nfc(article.author)))
    if article.url and article.url.startswith(("http://", "https://")) and " " not in article.url:
        m.add(a, SCHEMA.url, URIRef(article.url))
    attested = article.issued.date() if isinstance(article.issued, dt.datetime) else article.issued

    mentioned: list[URIRef] = []
    mentioned += [m.place(p) for p in facts.places]
    mentioned += [m.body(b) for b in facts.bodies]
    mentioned += [m.official(o) for o in facts.officials]
    mentioned += [m.term(t) for t in facts.terms]
    mentioned += [m.congress(c) for c in facts.congresses]
    mentioned += [m.document(d) for d in facts.documents]
    mentioned += [m.zone(z) for z in facts.zones]
    for p in facts.posts:
        m.post(p, a, attested)
        mentioned += [m.official(p.official), m.body(p.body)]
    for d in facts.disciplines:
        m.discipline(d, a, attested)
        mentioned.append(m.official(d.official))
        if d.decided_by is not None:
            mentioned.append(m.body(d.decided_by))
    for f in facts.figures:
        m.figure(f, a, article.text)
    for node in mentioned:
        m.add(a, SCHEMA.mentions, node)
    return g


FACT_TYPES = {VNKG.PostHolding, VNKG.Target, VNKG.Achievement, VNKG.DisciplinaryAction}


def split_shared(graph: Graph, article: URIRef, known: Graph | None = None) -> tuple[Graph, Graph]:
    """Split an article's graph into what only this article says (its metadata, mentions, post
    holdings, figures and disciplinary actions) and the descriptions of shared things (officials, bodies, places, terms,
    ...), which are stored once for all articles. Triples already in ``known`` (the reference
    graph) are left out of the shared part."""
    own_nodes = {article} | {s for t in FACT_TYPES for s in graph.subjects(RDF.type, t)}
    own, shared = Graph(bind_namespaces="none"), Graph(bind_namespaces="none")  # written as N-Triples: no prefixes
    for triple in graph:
        if triple[0] in own_nodes:
            own.add(triple)
        elif known is None or triple not in known:
            shared.add(triple)
    return own, shared


def tenure_triples(tenures: Iterable, mint: Minter | None = None, graph: str | None = None) -> list:
    """The triples of the tenures graph (pyoxigraph terms: there are many and they are made often):
    every :class:`kg.tenures.Tenure` with its bounds (OWL-Time instants with their kind and the
    readings they rest on), its readings and their articles, terms, successions and conflicts.
    With ``graph``, the quads of that named graph."""
    import pyoxigraph as ox

    mint = mint or Minter()
    if graph is not None:
        named = ox.NamedNode(graph)

        def make(s, p, o):
            return ox.Quad(s, p, o, named)
    else:
        make = ox.Triple
    n = ox.NamedNode
    a, member, role, organization, during = (n(str(RDF.type)), n(str(ORG.member)), n(str(ORG.role)),
                                             n(str(ORG.organization)), n(str(ORG.memberDuring)))
    derived, instant, in_date, kind = (n(str(PROV.wasDerivedFrom)), n(str(TIME.Instant)), n(str(TIME.inXSDDate)),
                                       n(str(VNKG.boundKind)))
    influenced = n(str(PROV.wasInfluencedBy))
    tenure, first, last = n(str(VNKG.Tenure)), n(str(VNKG.firstAttested)), n(str(VNKG.lastAttested))
    sides = (("beginning", n(str(TIME.hasBeginning))), ("end", n(str(TIME.hasEnd))))
    links = ((n(str(VNKG.succeeds)), "succeeds"), (n(str(VNKG.replaces)), "replaces"),
             (n(str(VNKG.conflictsWith)), "conflicts"))
    succeeded_by = n(str(VNKG.succeededBy))
    xsd_date = n(str(XSD.date))
    tenures = list(tenures)
    iri = {t.key: n(str(mint.tenure(t.official, t.role, t.body))) for t in tenures}
    out = []
    add = out.append
    for t in tenures:
        node = iri[t.key]
        add(make(node, a, tenure))
        add(make(node, member, n(t.official)))
        add(make(node, role, n(t.role)))
        add(make(node, organization, n(t.body)))
        for term in t.terms:
            add(make(node, during, n(term)))
        if t.first is not None:
            add(make(node, first, ox.Literal(t.first.isoformat(), datatype=xsd_date)))
            add(make(node, last, ox.Literal(t.last.isoformat(), datatype=xsd_date)))
        for r in t.readings:
            add(make(node, derived, n(r.post)))
        for article in sorted({r.article for r in t.readings if r.article}):
            add(make(node, influenced, n(article)))
        for (side, prop), bound in zip(sides, (t.beginning, t.end)):
            if bound is None:
                continue
            at = n(str(mint.bound(URIRef(node.value), side)))
            add(make(node, prop, at))
            add(make(at, a, instant))
            add(make(at, in_date, ox.Literal(bound.date.isoformat(), datatype=xsd_date)))
            add(make(at, kind, n(str(VNKG[bound.kind]))))
            for post in bound.readings:
                add(make(at, derived, n(post)))
        for prop, field in links:
            for k in getattr(t, field):
                if k in iri:
                    add(make(node, prop, iri[k]))
                    if field == "succeeds":
                        add(make(iri[k], succeeded_by, node))
    return out


def reference_graph(places: Iterable[PlaceRef], mint: Minter | None = None, successor=None) -> Graph:
    """The gazetteer as RDF: every unit with its type, label, code and containment."""
    mint = mint or Minter()
    g = new_graph()
    m = _Mapper(g, mint, "reference")
    for p in places:
        node = m.place(p)
        if successor is not None:
            nxt = successor(p)
            if nxt:
                label, code = nxt
                new = mint.unit_after_reform(code)
                g.add((node, VNKG.succeededBy, new))
                g.add((new, RDF.type, VNKG[_REFORMED_LEVELS.get(label.split(" ")[0], "AdministrativeUnit")]))
                g.add((new, RDFS.label, vi(label)))
                g.add((new, VNKG.officialCode, Literal(code)))
    return g
