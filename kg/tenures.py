"""Tenures: who held which post, when, read across every article that mentions it.

Each article's reading of a post is a ``vnkg:PostHolding`` with the article's date and a
``vnkg:postStatus`` (``holds``, ``starts``, ``ends``, ``former``). A :class:`Tenure` gathers the
readings of one official in one role of one body and says when the post began and ended, each
bound a date with its kind (``attested``, ``noLaterThan``, ``noEarlierThan``) and the readings it
rests on. :func:`derive` is the whole derivation, from :class:`Reading` records to tenures; it
knows nothing of RDF. :func:`kg.mapping.tenure_triples` maps the result; the functions below it read
the readings out of a store and write the graph ``<https://w3id.org/vnkg/graph/tenures>``.

The rules (the README's "Tenures" section says them for users; ``tests/test_tenures.py`` pins
each one):

* **Beginning.** Attested on the date of a ``starts`` reading (elected, appointed) when no reading
  is older; otherwise no later than the oldest reading. A re-election (a ``starts`` reading after
  the post was already read held) neither splits the tenure nor moves its beginning.
* **End.** Attested on the date of the first ``ends`` reading (relieved, dismissed, moved) not
  older than the last reading of the post held. Otherwise no later than the first later reading
  of it as ``former`` ("nguyên Bí thư") or, in a single-holder role, of another official holding
  it. Otherwise no earlier than the last reading of it held: nothing read says it ended.
* **First and last attested.** The oldest and newest date a reading says the post is held
  (``holds``, ``starts``, and the attested end: a post is held until the day it is left).
* **Succession.** ``vnkg:replaces`` (and ``vnkg:succeeds``) where one sentence of an article has
  one official starting the post another leaves ("được bầu giữ chức Bí thư thay ông B"). In a
  single-holder role (``vnkg:SingleHolderRole`` in the role scheme), also the order of the
  tenures: U succeeds T when T's readings all come no later than U's first and no other tenure
  of the post comes between them, unless the two conflict or a stated replacement says otherwise.
* **Conflict.** In a single-holder role, two officials read holding the post (``holds`` or
  ``starts``) where their spans overlap: one read holding it strictly between the other's first
  and last reading, or both read holding it the same way on the same day. Shown, never resolved.

A tenure depends only on the readings of its role and body (its *group*), so every ingest batch
ends by recomputing the groups its articles touch (:func:`after_ingest`): those of the readings
their graphs hold now, and those of the stored tenures that rest on them (a tenure names its
articles with ``prov:wasInfluencedBy``, so a re-ingest that reads an article differently is found
by index). ``vnkg tenures --rebuild`` recomputes every group (:func:`rebuild`).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations
from typing import Container, Iterable, Iterator

import pyoxigraph as ox

from .iri import Minter
from .namespaces import TENURES_GRAPH, sparql_prefixes

HELD = ("holds", "starts")        # the reading says the post is held at its date
ATTESTED, NO_LATER_THAN, NO_EARLIER_THAN = "attested", "noLaterThan", "noEarlierThan"
VNKG = "https://w3id.org/vnkg/ontology#"
#: :func:`refresh` derives and writes this many groups at a time, each chunk's readings read by
#: naming its groups: memory stays that of one chunk however many groups a batch touches.
CHUNK_GROUPS = 250

Group = tuple[str, str]  # (role IRI, body IRI)
Key = tuple[str, str, str]  # (official IRI, role IRI, body IRI)


# ------------------------------------------------------------------------------ records
@dataclass(frozen=True)
class Reading:
    """One ``vnkg:PostHolding``, as the derivation needs it."""

    post: str
    official: str
    role: str
    body: str
    status: str = "holds"
    date: dt.date | None = None
    article: str | None = None
    term: str | None = None
    sentence: int | None = None  # where the evidence sentence starts: one sentence, one statement

    @property
    def group(self) -> Group:
        return self.role, self.body


@dataclass(frozen=True)
class Bound:
    """A tenure's beginning or end: a date, what kind of date it is, and the readings it rests on."""

    date: dt.date
    kind: str
    readings: tuple[str, ...]


@dataclass
class Tenure:
    official: str
    role: str
    body: str
    readings: list[Reading]
    beginning: Bound | None = None
    end: Bound | None = None
    first: dt.date | None = None
    last: dt.date | None = None
    terms: tuple[str, ...] = ()
    succeeds: set = field(default_factory=set)   # keys of the tenures this one follows
    replaces: set = field(default_factory=set)   # ... of which an article states these
    conflicts: set = field(default_factory=set)  # keys of the tenures that overlap it

    @property
    def key(self) -> Key:
        return self.official, self.role, self.body

    def held(self) -> list[Reading]:
        return [r for r in self.readings if r.date is not None and r.status in HELD]


# ------------------------------------------------------------------------------ derivation
def derive(readings: Iterable[Reading], single_holder: Container[str] = frozenset()) -> list[Tenure]:
    """Tenures from readings, one per official, role and body (see the module doc).
    ``single_holder``: the IRIs of the roles one official at a time holds in a body."""
    groups: dict[Group, dict[str, list[Reading]]] = defaultdict(lambda: defaultdict(list))
    seen: set[str] = set()
    for r in readings:
        if r.post not in seen:
            seen.add(r.post)
            groups[r.group][r.official].append(r)
    out: list[Tenure] = []
    for (role, body), by_official in sorted(groups.items()):
        tenures = [_own_bounds(o, role, body, rs) for o, rs in sorted(by_official.items())]
        single = role in single_holder
        if single:
            _ended_by_later_holders(tenures)
            _conflicts(tenures)
        _stated_successions(tenures)
        if single:
            _ordered_successions(tenures)
        out += tenures
    return out


def _bound(readings: list[Reading], date: dt.date, kind: str) -> Bound:
    return Bound(date, kind, tuple(sorted(r.post for r in readings if r.date == date)))


def _own_bounds(official: str, role: str, body: str, readings: list[Reading]) -> Tenure:
    """A tenure's bounds from its own readings."""
    rs = sorted(readings, key=lambda r: (r.date or dt.date.max, r.post))
    t = Tenure(official, role, body, rs, terms=tuple(sorted({r.term for r in rs if r.term})))
    dated = [r for r in rs if r.date is not None]
    if not dated:
        return t
    held = [r for r in dated if r.status in HELD]
    starts = [r for r in held if r.status == "starts"]
    oldest = dated[0].date
    t.beginning = (_bound(starts, oldest, ATTESTED) if starts and starts[0].date == oldest
                   else _bound(dated, oldest, NO_LATER_THAN))
    last_held = held[-1].date if held else None
    ends = [r for r in dated if r.status == "ends" and (last_held is None or r.date >= last_held)]
    former = [r for r in dated if r.status == "former" and (last_held is None or r.date >= last_held)]
    if ends:
        t.end = _bound(ends, ends[0].date, ATTESTED)
    elif former:
        t.end = _bound(former, former[0].date, NO_LATER_THAN)
    else:
        t.end = _bound(held, last_held, NO_EARLIER_THAN)
    in_post = sorted([r.date for r in held] + ([ends[0].date] if ends else []))
    if in_post:
        t.first, t.last = in_post[0], in_post[-1]
    return t


def _ended_by_later_holders(tenures: list[Tenure]) -> None:
    """In a single-holder role, another official read holding the post after a tenure's last
    reading ends it no later than that day (starting it the same day counts)."""
    for t in tenures:
        held = t.held()
        if t.end is None or t.end.kind == ATTESTED or not held:
            continue
        last = held[-1].date
        later = [r for u in tenures if u is not t for r in u.held()
                 if r.date > last or (r.status == "starts" and r.date == last)]
        if not later:
            continue
        day = min(r.date for r in later)
        if t.end.kind == NO_EARLIER_THAN or day < t.end.date:
            t.end = _bound(later, day, NO_LATER_THAN)


def overlap(a: list[Reading], b: list[Reading]) -> bool:
    """Two officials' readings of one single-holder post overlap (see the module doc)."""
    if not a or not b:
        return False
    (a0, a1), (b0, b1) = (a[0].date, a[-1].date), (b[0].date, b[-1].date)
    if any(b0 < r.date < b1 for r in a) or any(a0 < r.date < a1 for r in b):
        return True
    return bool({(r.date, r.status) for r in a} & {(r.date, r.status) for r in b})


def _conflicts(tenures: list[Tenure]) -> None:
    held = {id(t): t.held() for t in tenures}
    for a, b in combinations(tenures, 2):
        if overlap(held[id(a)], held[id(b)]):
            a.conflicts.add(b.key)
            b.conflicts.add(a.key)


def _stated_successions(tenures: list[Tenure]) -> None:
    """One sentence of one article: this official starts the post, that one ends it."""
    ends = defaultdict(list)
    for t in tenures:
        for r in t.readings:
            if r.status == "ends" and r.article and r.sentence is not None:
                ends[(r.article, r.sentence)].append(t)
    for t in tenures:
        for r in t.readings:
            if r.status == "starts" and r.article and r.sentence is not None:
                for other in ends.get((r.article, r.sentence), ()):
                    if other is not t:
                        t.replaces.add(other.key)
                        t.succeeds.add(other.key)


def _ordered_successions(tenures: list[Tenure]) -> None:
    """In a single-holder role: consecutive tenures that do not overlap follow each other."""
    placed = [t for t in tenures if t.first is not None]

    def starts_first(t: Tenure) -> bool:
        return any(r.status == "starts" and r.date == t.first for r in t.readings)

    def before(t: Tenure, u: Tenure) -> bool:
        if t is u or t.last > u.first or u.key in t.conflicts:
            return False
        if (t.first, t.last) == (u.first, u.last):  # one day each: the one that starts that day comes second
            return starts_first(u) and not starts_first(t)
        return True

    def nearest(items: list[Tenure], key) -> Tenure | None:
        if not items:
            return None
        best = max(items, key=key)
        return best if sum(1 for x in items if key(x) == key(best)) == 1 else None  # a tie: no order

    stated_before = {k for t in tenures for k in t.replaces}
    for u in placed:
        if u.replaces:
            continue  # the article says whom u followed
        t = nearest([t for t in placed if before(t, u)], key=lambda t: (t.last, t.first))
        if t is None or t.key in stated_before:
            continue
        nxt = nearest([v for v in placed if before(t, v)], key=lambda v: (-v.first.toordinal(), -v.last.toordinal()))
        if nxt is u:
            u.succeeds.add(t.key)


# ------------------------------------------------------------------------------ the store
@lru_cache(maxsize=1)
def single_holder_roles() -> frozenset[str]:
    """The IRIs of the roles typed ``vnkg:SingleHolderRole`` in the role scheme (``ontology/roles.ttl``)."""
    from ontology import ROLE_NS, single_holder_role_keys

    return frozenset(ROLE_NS + key for key in single_holder_role_keys())


def _iri(iri: str) -> str:
    """``<iri>``, after pyoxigraph has checked that it is one (a ValueError otherwise)."""
    return str(ox.NamedNode(iri))


def _values(names: tuple[str, ...], rows: Iterable[tuple[str, ...]]) -> str:
    """A VALUES block of IRIs, each checked as an IRI first (so nothing else can get in)."""
    body = " ".join("(" + " ".join(_iri(x) for x in row) + ")" for row in rows)
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ {body} }}"


def _value(term):
    return None if term is None else term.value


def _date(term) -> dt.date | None:
    try:
        return dt.date.fromisoformat(term.value[:10]) if term is not None else None
    except ValueError:
        return None


# The body first: Oxigraph joins in the order written, and a body has few readings. The type is
# tested per row (a triple pattern for it would be joined against every post holding of the store).
READINGS = """SELECT ?post ?m ?role ?org WHERE {
  %s
  ?post org:organization ?org .
  ?post org:role ?role .
  ?post org:member ?m .
  FILTER EXISTS { ?post a vnkg:PostHolding }
}"""
# A reading's attributes, read by the readings' IRIs once their core is known (an OPTIONAL per
# attribute beside the core makes Oxigraph join each against all post holdings of the store).
READING_ATTRIBUTE = """SELECT ?post ?o WHERE {
  %s
  ?post %s ?o .
}"""
ATTRIBUTES = {"status": "vnkg:postStatus", "date": "vnkg:attestedOn", "article": "prov:wasDerivedFrom",
              "term": "org:memberDuring", "es": "vnkg:evidenceStart"}


def readings(store, groups: Iterable[Group] | None = None) -> list[Reading]:
    """The post readings of the store (of the given groups only, when given). Where a reading has
    two values of an attribute (two articles said it differently), the least is taken."""
    if groups is not None:
        groups = sorted(set(groups))
        if not groups:
            return []
    pre = sparql_prefixes()
    values = "" if groups is None else _values(("role", "org"), groups)
    core: dict[str, tuple[str, str, str]] = {}
    for r in store.query(pre + READINGS % values):
        if isinstance(r["post"], ox.NamedNode):
            core.setdefault(r["post"].value, (r["m"].value, r["role"].value, r["org"].value))
    attributes: dict[str, dict[str, ox.Literal | ox.NamedNode]] = defaultdict(dict)
    posts = sorted(core)
    for i in range(0, len(posts), 5000):
        chosen = _values(("post",), [(x,) for x in posts[i:i + 5000]])
        for name, prop in ATTRIBUTES.items():
            for r in store.query(pre + READING_ATTRIBUTE % (chosen, prop)):
                seen = attributes[r["post"].value]
                if name not in seen or r["o"].value < seen[name].value:
                    seen[name] = r["o"]
    out = []
    for post in posts:
        m, role, org = core[post]
        a = attributes.get(post, {})
        status, es = _value(a.get("status")), _value(a.get("es"))
        out.append(Reading(
            post, m, role, org, status.rsplit("#", 1)[-1] if status else "holds", _date(a.get("date")),
            _value(a.get("article")), _value(a.get("term")),
            int(es) if es is not None and es.lstrip("-").isdigit() else None))
    return out


@dataclass
class Refreshed:
    """What a recomputation did: groups, readings read, tenures written, and the time it took."""

    groups: int = 0
    readings: int = 0
    tenures: int = 0
    seconds: float = 0.0


def refresh(store, groups: Iterable[Group], mint: Minter | None = None) -> Refreshed:
    """Recompute the tenures of these groups and replace them in the tenures graph (see :func:`_write`),
    :data:`CHUNK_GROUPS` groups at a time (a tenure depends on its group's readings only)."""
    groups = sorted(set(groups))
    mint = mint or Minter()
    single = single_holder_roles()
    done = Refreshed()
    for i in range(0, len(groups), CHUNK_GROUPS):
        chunk = groups[i:i + CHUNK_GROUPS]
        rs = readings(store, chunk)
        tenures = derive(rs, single)
        _write(store, tenures, mint, set(chunk))
        done.groups, done.readings, done.tenures = done.groups + len(chunk), done.readings + len(rs), done.tenures + len(tenures)
    return done


ALL_GROUPS = """SELECT DISTINCT ?role ?org WHERE {
  { ?post a vnkg:PostHolding ; org:role ?role ; org:organization ?org ; org:member ?m }
  UNION
  { GRAPH <%s> { ?t a vnkg:Tenure ; org:role ?role ; org:organization ?org } }
}"""


def rebuild(store, mint: Minter | None = None) -> Refreshed:
    """Recompute every tenure of the store: every group with a reading or a stored tenure."""
    import time

    t0 = time.perf_counter()
    groups = {(r["role"].value, r["org"].value)
              for r in store.query(sparql_prefixes() + ALL_GROUPS % TENURES_GRAPH)
              if isinstance(r["role"], ox.NamedNode) and isinstance(r["org"], ox.NamedNode)}
    done = refresh(store, groups, mint)
    done.seconds = time.perf_counter() - t0
    return done


DELETE_GROUPS = """DELETE { GRAPH <%s> { ?s ?p ?o } } WHERE {
  %s
  GRAPH <%s> { ?t a vnkg:Tenure ; org:role ?role ; org:organization ?org .
               ?t (time:hasBeginning|time:hasEnd)? ?s . ?s ?p ?o } } ;
"""
ORG_ROLE, ORG_ORGANIZATION = "http://www.w3.org/ns/org#role", "http://www.w3.org/ns/org#organization"
#: Up to this many quads to add, a change of the tenures graph is one SPARQL update (removal and
#: addition in one transaction). Above (a first load, a rebuild), the addition parses no text: the
#: bulk loader where the tenures touched had none (as ``vnkg ingest --bulk`` loads new articles: a
#: crash in it leaves tenures that the next ingest touching them, or ``--rebuild``, puts right),
#: else a transactional extend after the removal.
ONE_UPDATE = 20_000


def _old_quads(oxs, groups: set[Group]) -> set:
    """The quads of the tenures graph that describe the tenures of these groups (with their bounds)."""
    g = ox.NamedNode(TENURES_GRAPH)
    role_p, org_p = ox.NamedNode(ORG_ROLE), ox.NamedNode(ORG_ORGANIZATION)
    roles_of: dict[str, set[str]] = defaultdict(set)
    for role, body in groups:
        roles_of[body].add(role)
    out = set()
    for body, roles in roles_of.items():
        for q in oxs.quads_for_pattern(None, org_p, ox.NamedNode(body), g):
            t = q.subject
            if not any(r.object.value in roles for r in oxs.quads_for_pattern(t, role_p, None, g)):
                continue
            out.update(oxs.quads_for_pattern(t, None, None, g))
            if isinstance(t, ox.NamedNode):
                for side in ("beginning", "end"):
                    out.update(oxs.quads_for_pattern(ox.NamedNode(f"{t.value}/{side}"), None, None, g))
    return out


def _data(quads) -> str:
    return "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in quads)


def _write(store, tenures: list[Tenure], mint: Minter, groups: set[Group]) -> None:
    """Replace the tenures of ``groups`` by ``tenures``. On the embedded store
    only what changed is written (a re-ingest that changes nothing writes nothing), in one
    transaction unless it is large (:data:`ONE_UPDATE`); elsewhere, one SPARQL update."""
    from .mapping import tenure_triples

    g = ox.NamedNode(TENURES_GRAPH)
    new = set(tenure_triples(tenures, mint, TENURES_GRAPH))
    oxs = getattr(store, "ox", None)
    if oxs is not None:
        old = _old_quads(oxs, groups)
        gone, added = old - new, new - old
        if len(added) <= ONE_UPDATE:  # removal and addition in one transaction
            parts = [f"DELETE DATA {{ GRAPH <{TENURES_GRAPH}> {{\n{_data(gone)}\n}} }}"] if gone else []
            if added:
                parts.append(f"INSERT DATA {{ GRAPH <{TENURES_GRAPH}> {{\n{_data(added)}\n}} }}")
            if parts:
                oxs.update(" ;\n".join(parts))
        elif not old:  # many tenures where there were none (a first load): the bulk loader
            oxs.bulk_extend(added)
        else:  # many new quads (a rebuild): the removal, then the addition, each atomic
            if gone:
                oxs.update(f"DELETE DATA {{ GRAPH <{TENURES_GRAPH}> {{\n{_data(gone)}\n}} }}")
            oxs.extend(added)
        return
    head = DELETE_GROUPS % (TENURES_GRAPH, _values(("role", "org"), sorted(groups)), TENURES_GRAPH)
    insert = f"INSERT DATA {{ GRAPH <{TENURES_GRAPH}> {{\n{_data(new)}\n}} }}" if new else ""
    store.update(sparql_prefixes() + (head + insert if insert else head.rstrip(" ;\n")))


# ------------------------------------------------------------------------------ reading tenures back
@dataclass
class StoredReading:
    post: str
    date: dt.date | None
    status: str
    article: str | None
    article_id: str | None
    evidence: str | None


@dataclass
class StoredTenure:
    """A tenure as the tenures graph holds it, with its readings."""

    iri: str
    official: str
    role: str
    body: str
    beginning: tuple[dt.date, str] | None
    end: tuple[dt.date, str] | None
    first: dt.date | None
    last: dt.date | None
    readings: list[StoredReading] = field(default_factory=list)
    succeeds: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return sorted({r.article_id or r.article for r in self.readings if r.article})


# A tenure's core first, then each attribute by the tenures' IRIs: plain patterns with bound subjects
# stay fast as the store grows, where OPTIONALs over the tenures graph are joined against all of it.
STORED = """SELECT ?t ?m ?role ?org WHERE {
  %s
  GRAPH <%s> { ?t org:organization ?org ; org:member ?m ; org:role ?role ; a vnkg:Tenure }
} ORDER BY ?t LIMIT %d"""

STORED_ATTESTED = """SELECT ?t ?date WHERE { %s GRAPH <%s> { ?t %s ?date } }"""

STORED_BOUND = """SELECT ?t ?date ?kind WHERE { %s GRAPH <%s> { ?t %s ?b . ?b time:inXSDDate ?date ; vnkg:boundKind ?kind } }"""

LINKS = """SELECT ?t ?p ?o WHERE {
  %s
  GRAPH <%s> { ?t ?p ?o FILTER(?p IN (vnkg:succeeds, vnkg:replaces, vnkg:conflictsWith, org:memberDuring)) }
}"""

STORED_READINGS = """SELECT ?t ?post ?date ?status ?article ?id ?evidence WHERE {
  %s
  GRAPH <%s> { ?t prov:wasDerivedFrom ?post }
  OPTIONAL { ?post vnkg:attestedOn ?date }
  OPTIONAL { ?post vnkg:postStatus ?status }
  OPTIONAL { ?post prov:wasDerivedFrom ?article OPTIONAL { ?article dcterms:identifier ?id } }
  OPTIONAL { ?post vnkg:evidence ?evidence }
}"""


def stored(store, *, body: str | None = None, role: str | None = None, official: str | None = None,
           tenures: Iterable[str] | None = None, limit: int = 100_000, evidence: bool = True) -> list[StoredTenure]:
    """The stored tenures of a body, a role, an official (any combination), or by IRI; sorted by
    beginning. At most ``limit`` tenures are read."""
    where = []
    if body is not None:
        where.append(_values(("org",), [(body,)]))
    if role is not None:
        where.append(_values(("role",), [(role,)]))
    if official is not None:
        where.append(_values(("m",), [(official,)]))
    if tenures is not None:
        where.append(_values(("t",), [(t,) for t in tenures]) if tenures else "FILTER(false)")
    pre = sparql_prefixes()
    core: dict[str, tuple[str, str, str]] = {}
    for r in store.query(pre + STORED % ("\n  ".join(where), TENURES_GRAPH, int(limit))):
        core.setdefault(r["t"].value, (r["m"].value, r["role"].value, r["org"].value))
    if not core:
        return []
    chosen = _values(("t",), [(t,) for t in sorted(core)])
    attested = {}
    for prop in ("vnkg:firstAttested", "vnkg:lastAttested"):
        attested[prop] = {r["t"].value: _date(r["date"]) for r in store.query(pre + STORED_ATTESTED % (chosen, TENURES_GRAPH, prop))}
    bounds = {}
    for prop in ("time:hasBeginning", "time:hasEnd"):
        bounds[prop] = {r["t"].value: (_date(r["date"]), r["kind"].value.rsplit("#", 1)[-1])
                        for r in store.query(pre + STORED_BOUND % (chosen, TENURES_GRAPH, prop))}
    out: dict[str, StoredTenure] = {
        t: StoredTenure(t, m, role, org, bounds["time:hasBeginning"].get(t), bounds["time:hasEnd"].get(t),
                        attested["vnkg:firstAttested"].get(t), attested["vnkg:lastAttested"].get(t))
        for t, (m, role, org) in core.items()}
    for r in store.query(pre + LINKS % (chosen, TENURES_GRAPH)):
        t, p, o = out[r["t"].value], r["p"].value, r["o"].value
        {VNKG + "succeeds": t.succeeds, VNKG + "replaces": t.replaces, VNKG + "conflictsWith": t.conflicts,
         "http://www.w3.org/ns/org#memberDuring": t.terms}[p].append(o)
    seen = set()
    for r in store.query(pre + STORED_READINGS % (chosen, TENURES_GRAPH)):
        key = (r["t"].value, r["post"].value)
        if key in seen:
            continue
        seen.add(key)
        status = _value(r["status"])
        out[key[0]].readings.append(StoredReading(
            key[1], _date(r["date"]), status.rsplit("#", 1)[-1] if status else "holds", _value(r["article"]),
            _value(r["id"]), _value(r["evidence"]) if evidence else None))
    for t in out.values():
        t.readings.sort(key=lambda x: (x.date or dt.date.max, x.post))
        for lst in (t.succeeds, t.replaces, t.conflicts, t.terms):
            lst.sort()
    return sorted(out.values(), key=lambda t: (_start(t) or dt.date.max, t.iri))


def _start(t: StoredTenure) -> dt.date | None:
    return t.beginning[0] if t.beginning else t.first


# ------------------------------------------------------------------------------ labels, the table, conflicts
LABELS = """SELECT ?x (SAMPLE(?l) AS ?label) WHERE {
  %s
  { ?x foaf:name ?l } UNION { ?x skos:prefLabel ?l FILTER(LANG(?l) = "vi") }
  UNION { ?x rdfs:label ?l FILTER(LANG(?l) = "vi" || LANG(?l) = "") }
} GROUP BY ?x"""

PLACES = """SELECT ?org (SAMPLE(?pl) AS ?place) (SAMPLE(?prl) AS ?province) WHERE {
  %s
  ?org vnkg:jurisdiction ?p . ?p rdfs:label ?pl .
  OPTIONAL { ?p vnkg:partOf* ?pr . ?pr a ?c ; rdfs:label ?prl FILTER(?c IN (vnkg:Province, vnkg:Municipality)) }
} GROUP BY ?org"""


def labels(store, iris: Iterable[str]) -> dict[str, str]:
    """A label for each IRI: an official's name, a role's Vietnamese preferred label, a body's label."""
    iris = sorted(set(iris))
    out: dict[str, str] = {}
    for i in range(0, len(iris), 2000):
        for r in store.query(sparql_prefixes() + LABELS % _values(("x",), [(x,) for x in iris[i:i + 2000]])):
            if r["label"] is not None:
                out[r["x"].value] = r["label"].value
    return out


def places(store, bodies: Iterable[str]) -> dict[str, tuple[str, str]]:
    """body -> (its jurisdiction's label, the label of the province that contains it)."""
    bodies = sorted(set(bodies))
    out: dict[str, tuple[str, str]] = {}
    for i in range(0, len(bodies), 2000):
        q = PLACES % _values(("org",), [(b,) for b in bodies[i:i + 2000]])
        for r in store.query(sparql_prefixes() + q):
            out[r["org"].value] = (_value(r["place"]) or "", _value(r["province"]) or "")
    return out


#: The columns of the tenure table (``vnkg export --tenures csv``, ``/tenures.csv``), in order.
COLUMNS = ("official", "role", "body", "place", "province", "start", "start_kind", "end", "end_kind",
           "first_attested", "last_attested", "readings", "articles", "terms", "succeeds", "conflicts",
           "official_iri", "role_iri", "body_iri", "tenure_iri")


def table(store, *, body: str | None = None, role: str | None = None, official: str | None = None,
          limit: int = 1_000_000) -> list[dict]:
    """The tenure table: one row per tenure with labelled columns (:data:`COLUMNS`)."""
    ts = stored(store, body=body, role=role, official=official, limit=limit, evidence=False)
    names = labels(store, [x for t in ts for x in (t.official, t.role, t.body)])
    where = places(store, [t.body for t in ts])
    by_iri = {t.iri: t for t in ts}

    def who(iri: str) -> str:
        t = by_iri.get(iri)
        return names.get(t.official, t.official) if t else iri

    rows = []
    for t in ts:
        place, province = where.get(t.body, ("", ""))
        rows.append({
            "official": names.get(t.official, t.official), "role": names.get(t.role, t.role.rsplit("/", 1)[-1]),
            "body": names.get(t.body, t.body), "place": place, "province": province,
            "start": t.beginning[0].isoformat() if t.beginning else "", "start_kind": t.beginning[1] if t.beginning else "",
            "end": t.end[0].isoformat() if t.end else "", "end_kind": t.end[1] if t.end else "",
            "first_attested": t.first.isoformat() if t.first else "",
            "last_attested": t.last.isoformat() if t.last else "",
            "readings": len(t.readings), "articles": " ".join(t.articles),
            "terms": " ".join(x.rsplit("/", 1)[-1] for x in t.terms),
            "succeeds": "; ".join(who(x) for x in t.succeeds), "conflicts": "; ".join(who(x) for x in t.conflicts),
            "official_iri": t.official, "role_iri": t.role, "body_iri": t.body, "tenure_iri": t.iri})
    rows.sort(key=lambda r: (r["province"], r["body"], r["role"], r["start"] or r["first_attested"], r["official"]))
    return rows


def write_csv(rows: Iterable[dict], out) -> None:
    """The table as CSV (RFC 4180, UTF-8, header row): what pandas' ``read_csv`` and R's ``read.csv`` load."""
    w = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n", extrasaction="ignore")
    w.writeheader()
    for row in rows:
        w.writerow({k: _cell(v) for k, v in row.items()})


def _cell(value):
    """A cell a spreadsheet will not run: text opening with = + - @ (or a tab or CR) gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def csv_text(rows: Iterable[dict]) -> str:
    buf = io.StringIO()
    write_csv(rows, buf)
    return buf.getvalue()


@dataclass
class Conflict:
    """Two tenures of one single-holder post that overlap, and the readings in the overlap."""

    a: StoredTenure
    b: StoredTenure
    start: dt.date
    end: dt.date

    def evidence(self) -> Iterator[tuple[StoredTenure, StoredReading]]:
        """The readings that make the conflict, by date: each holder's readings of the post held in
        the overlap, and the nearest one before and after it (those that bracket the other's)."""
        out = []
        for t in (self.a, self.b):
            held = [r for r in t.readings if r.date is not None and r.status in HELD]
            inside = [r for r in held if self.start <= r.date <= self.end]
            before = [r for r in held if r.date < self.start][-1:]
            after = [r for r in held if r.date > self.end][:1]
            out += [(t, r) for r in before + inside + after]
        yield from sorted(out, key=lambda tr: (tr[1].date, tr[0].iri, tr[1].post))


def conflicts(store, *, body: str | None = None, official: str | None = None, limit: int = 10_000) -> list[Conflict]:
    """The conflicts of the store (of one body or one official), newest overlap first."""
    where = []
    if body is not None:
        where.append(_values(("org",), [(body,)]))
    if official is not None:
        where.append(_values(("who",), [(official,)]) + " { ?a org:member ?who } UNION { ?b org:member ?who }")
    q = sparql_prefixes() + (
        "SELECT DISTINCT ?a ?b WHERE { GRAPH <%s> { ?a vnkg:conflictsWith ?b ; org:organization ?org . %s "
        "FILTER(STR(?a) < STR(?b)) } } ORDER BY ?a ?b LIMIT %d" % (TENURES_GRAPH, "\n".join(where), int(limit)))
    pairs = [(r["a"].value, r["b"].value) for r in store.query(q)]
    if not pairs:
        return []
    ts = {t.iri: t for t in stored(store, tenures={x for p in pairs for x in p})}
    out = []
    for a, b in pairs:
        if a not in ts or b not in ts:
            continue
        ta, tb = ts[a], ts[b]
        ha = [r.date for r in ta.readings if r.date and r.status in HELD]
        hb = [r.date for r in tb.readings if r.date and r.status in HELD]
        if not ha or not hb:
            continue
        lo, hi = max(min(ha), min(hb)), min(max(ha), max(hb))  # a reading of one inside the other's span
        out.append(Conflict(ta, tb, lo, hi))
    return sorted(out, key=lambda c: (c.end, c.a.iri), reverse=True)


def counts(store) -> dict[str, int]:
    """How many tenures, bounds of each kind, successions and conflicts the tenures graph holds."""
    pre = sparql_prefixes()
    q = pre + ("SELECT ?what (COUNT(*) AS ?n) WHERE { GRAPH <%s> { "
               "{ ?x a vnkg:Tenure BIND(\"tenures\" AS ?what) } "
               "UNION { ?t time:hasBeginning/vnkg:boundKind ?k BIND(CONCAT(\"beginning \", STRAFTER(STR(?k), \"#\")) AS ?what) } "
               "UNION { ?t time:hasEnd/vnkg:boundKind ?k BIND(CONCAT(\"end \", STRAFTER(STR(?k), \"#\")) AS ?what) } "
               "UNION { ?a vnkg:succeeds ?b BIND(\"successions\" AS ?what) } "
               "UNION { ?a vnkg:replaces ?b BIND(\"stated replacements\" AS ?what) } "
               "UNION { ?a vnkg:conflictsWith ?b FILTER(STR(?a) < STR(?b)) BIND(\"conflicts\" AS ?what) } "
               "} } GROUP BY ?what ORDER BY ?what" % TENURES_GRAPH)
    return {r["what"].value: int(r["n"].value) for r in store.query(q)}



BEFORE = """SELECT DISTINCT ?role ?org WHERE {
  %s
  GRAPH <%s> { ?t prov:wasInfluencedBy ?a ; org:role ?role ; org:organization ?org }
}"""

WRITTEN = """SELECT DISTINCT ?role ?org WHERE {
  %s
  GRAPH ?g { ?p a vnkg:PostHolding ; org:role ?role ; org:organization ?org }
}"""


def touched(store, graphs: Iterable[str]) -> set[Group]:
    """The groups whose tenures a batch of article graphs just written may have changed: those of
    the readings the graphs hold now, and those of the stored tenures that rest on their articles
    (``prov:wasInfluencedBy``: what a re-ingest may have read differently)."""
    pre = sparql_prefixes()
    graphs = sorted(set(graphs))
    out: set[Group] = set()
    for i in range(0, len(graphs), 1000):
        chunk = graphs[i:i + 1000]
        q = pre + WRITTEN % _values(("g",), [(g,) for g in chunk])
        out |= {(r["role"].value, r["org"].value) for r in store.query(q, union_default_graph=False)}
        articles = [(_article_of(g),) for g in chunk if "/graph/" in g]
        if articles:
            q = pre + BEFORE % (_values(("a",), articles), TENURES_GRAPH)
            out |= {(r["role"].value, r["org"].value) for r in store.query(q)}
    return out


def _article_of(graph_iri: str) -> str:
    """The article whose graph is ``<base>graph/<id>``: ``<base>article/<id>`` (both minted in kg.iri)."""
    base, _, article_id = graph_iri.rpartition("graph/")
    return str(Minter(base).article(article_id))


def base_of(graphs: Iterable[str]) -> str | None:
    """The base IRI article graphs were minted under (``<base>graph/<article id>``)."""
    for g in graphs:
        if "/graph/" in g:
            return g[:g.rindex("graph/")]
    return None


def after_ingest(store, graphs: list[str], mint: Minter | None = None) -> Refreshed:
    """Bring the tenures graph up to date after ``graphs`` were written (see :func:`touched`)."""
    import time

    t0 = time.perf_counter()
    if mint is None:
        base = base_of(graphs)
        mint = Minter(base) if base else Minter()
    done = refresh(store, touched(store, graphs), mint)
    done.seconds = time.perf_counter() - t0
    return done


def disagreements(tenures: Iterable[StoredTenure]) -> list[str]:
    """Where a stored tenure's bounds do not agree with its own readings (empty when all agree):
    a beginning after a reading, an attested bound without a reading of that kind on that day, a
    reading of the post held after its end, first and last attested that are not the readings'."""
    out = []
    for t in tenures:
        dated = [r for r in t.readings if r.date is not None]
        held = [r.date for r in dated if r.status in HELD]
        where = t.iri

        def said(status: str, day: dt.date) -> bool:
            return any(r.status == status and r.date == day for r in dated)

        if not dated:
            if t.beginning or t.end:
                out.append(f"{where}: bounds without a dated reading")
            continue
        if t.beginning is None or t.end is None:
            out.append(f"{where}: dated readings but no beginning or end")
            continue
        (b, bk), (e, ek) = t.beginning, t.end
        if b > min(r.date for r in dated):
            out.append(f"{where}: begins {b} after a reading of {min(r.date for r in dated)}")
        if bk == ATTESTED and not said("starts", b):
            out.append(f"{where}: beginning {b} attested, but no reading starts the post that day")
        if ek == ATTESTED and not said("ends", e):
            out.append(f"{where}: end {e} attested, but no reading ends the post that day")
        if ek in (ATTESTED, NO_LATER_THAN) and held and max(held) > e:
            out.append(f"{where}: ends {e} ({ek}) before a reading of it held on {max(held)}")
        if ek == NO_EARLIER_THAN and (not held or max(held) != e):
            out.append(f"{where}: ends no earlier than {e}, but its last reading of it held is {max(held) if held else None}")
        days = held + ([e] if ek == ATTESTED else [])
        if days and (t.first, t.last) != (min(days), max(days)):
            out.append(f"{where}: first and last attested {t.first}, {t.last}; its readings say {min(days)}, {max(days)}")
    return out


def role_iri(text: str) -> str:
    """A role named by its IRI, its key (``secretary``) or its Vietnamese or English label
    (``Bí thư``, case and tone placement aside); a ValueError names the keys when none fits."""
    from rdflib import URIRef
    from rdflib.namespace import SKOS

    from loaders.text import canonical_tones, nfc
    from ontology import ROLE_NS, ontology_graph, role_keys

    text = text.strip()
    if text.startswith(("http://", "https://")):
        return ox.NamedNode(text).value
    keys = role_keys()
    if text in keys:
        return ROLE_NS + text
    want = canonical_tones(nfc(text)).casefold()
    g = ontology_graph()
    for key in sorted(keys):
        for label in g.objects(URIRef(ROLE_NS + key), SKOS.prefLabel):
            if canonical_tones(nfc(str(label))).casefold() == want:
                return ROLE_NS + key
    raise ValueError(f"no role {text!r}; a role is a key of the role scheme ({', '.join(sorted(keys))}), "
                     "its label (Bí thư, Chủ tịch, …) or its IRI")


def body_iri(text: str, base: str) -> str:
    """A body named by its IRI or by its path under the base IRI (``org/quang-ninh/hai-ha/huyen-uy``)."""
    text = text.strip()
    iri = text if text.startswith(("http://", "https://")) else base + text.lstrip("/")
    return ox.NamedNode(iri).value
