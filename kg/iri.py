"""Every IRI of the graph is minted here: readable, deterministic, one per thing.

The same input always yields the same IRIs, and the same official, body,
place, zone or document met in two articles yields one IRI:

==============  ===================================================  =========================================
thing           identity                                             example (under the base IRI)
==============  ===================================================  =========================================
place           names from the province down                         ``place/quang-ninh/hai-ha``
body            its place and its type key                           ``org/quang-ninh/hai-ha/huyen-uy``
national body   its type key                                         ``org/bo-chinh-tri``
official        name within the province (name alone if unknown)     ``person/quang-ninh/nguyen-manh-cuong``
national        name alone, when the article shows the person in a   ``person/pham-minh-chinh``
official        national body (see below)
term            its years                                            ``term/2015-2020``
congress        organisation and ordinal                             ``congress/quang-ninh/hai-ha/dang-bo/21``
document        province, type and number; congress resolution by    ``document/quang-ninh/resolution/08-nq-tu``
                its congress; otherwise local to the article         ``document/article/<id>/scheme/<n>``
zone            province and canonical name                          ``zone/quang-ninh/khu-cong-nghiep-...``
article         its identifier                                       ``article/000_677f511d86b1eaff``
post holding    article, official, role and body                     ``post/<article>/<official>/<role>/<body>``
tenure          official, role and body (across articles)            ``tenure/<official>/<role>/<body>``
discipline      article, official and measure                        ``discipline/<article>/<official>/<measure>``
figure          article and the offset of the quantity               ``figure/<article>/<offset>``
indicator       key of a curated concept, else a slug of the phrase  ``indicator/<slug>``
==============  ===================================================  =========================================

Officials: one person, one IRI
------------------------------
An official is identified by name, and a name alone is ambiguous: two people in two provinces
share it far more often than two in one province. So officials are minted within the province
of the article's locality (``person/<province>/<name>``), and namesakes in one province are
merged (the price of identifying by name). That rule breaks for the people who govern the
whole country: the Prime Minister visiting Quảng Ninh and Cà Mau would be two people.

The key therefore follows the highest body the person is seen in. When an article shows the
person holding a post in a national body, the person is minted nationally,
``person/<name>``, whatever the article's province. A national body is one without a place
(Bộ Chính trị, Ban Bí thư, Ban Chấp hành Trung ương and its departments, Chính phủ, Quốc hội,
the ministries, the supreme court and procuracy: every row of ``lexicon/national_bodies.tsv``,
and any body the text names without a locality). Why this is safe: the national bodies are
small (some hundreds of people), so two namesakes in them are rare, while the provincial key
would split every national figure once per province that writes about them.

The decision is made per article, from that article's facts, when it is mapped
(:func:`national_officials`): a post the article reads decides, nothing stored elsewhere does.
So a provincial secretary who is also a Central Committee member is national in an article
that says so and provincial in one that names only the provincial post; the two IRIs share the
name and can be linked with ``owl:sameAs`` (``vnkg import``).
"""
from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import URIRef

from loaders.records import (BodyRef, Congress, Discipline, Document, Facts, Figure, Official, PlaceRef,
                             PostHolding, Term, Zone)
from loaders.text import slug

from .namespaces import INDICATOR, MEASURE, ROLE

DEFAULT_BASE = "https://w3id.org/vnkg/id/"


@lru_cache(maxsize=1)
def _shared_names() -> frozenset[tuple[tuple[str, ...], str]]:
    """(parent path, name slug) pairs that more than one unit of the gazetteer has."""
    from loaders.gazetteer import gazetteer

    seen: dict[tuple, int] = {}
    paths: dict[PlaceRef, tuple[str, ...]] = {}
    for unit in gazetteer().units():  # provinces first, so parents' paths are known
        head = paths.get(unit.parent, ()) if unit.parent else ()
        key = (head, slug(unit.name))
        seen[key] = seen.get(key, 0) + 1
        paths[unit] = head + (slug(unit.name),)
    return frozenset(k for k, n in seen.items() if n > 1)


@lru_cache(maxsize=1)
def _national_keys() -> frozenset[str]:
    from loaders.lexicon import table

    return frozenset(r["key"] for r in table("national_bodies"))


@lru_cache(maxsize=4096)
def _committee_now(place: PlaceRef) -> str | None:
    """Key of the Party committee of ``place`` at the level the gazetteer gives it today."""
    from loaders.gazetteer import gazetteer
    from loaders.lexicon import forms, table

    known = gazetteer().by_code(place.code) if place.code else None
    level = known.level if known is not None else place.level
    return next((r["key"] for r in table("committees") if level in forms(r["levels"])), None)


def is_national(body: BodyRef) -> bool:
    """A national body: one without a place, or a row of ``lexicon/national_bodies.tsv``."""
    return body.place is None or body.key in _national_keys()


def national_officials(facts: Facts) -> frozenset[Official]:
    """The officials an article shows holding a post in a national body (minted as national persons)."""
    return frozenset(p.official for p in facts.posts if is_national(p.body))


def default_base() -> str:
    base = os.environ.get("VNKG_BASE_IRI", DEFAULT_BASE)
    return base if base.endswith(("/", "#")) else base + "/"


@dataclass(frozen=True)
class Minter:
    """Mints IRIs under one base IRI."""

    base: str = DEFAULT_BASE

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    @staticmethod
    @lru_cache(maxsize=65536)
    def _place_path(place: PlaceRef) -> tuple[str, ...]:
        """Names from the province down; a name two units share under one parent (huyện and
        thị xã Kỳ Anh) takes the unit's official code: ``ky-anh-436``."""
        head = Minter._place_path(place.parent) if place.parent else ()
        seg = slug(place.name)
        plain = tuple(slug(n) for n in place.parent.path()) if place.parent else ()
        if place.code and (plain, seg) in _shared_names():
            seg = f"{seg}-{place.code}"
        return head + (seg,)

    def place(self, place: PlaceRef) -> URIRef:
        return self._iri("place", *self._place_path(place))

    def unit_after_reform(self, code: str) -> URIRef:
        """A unit of the two-level administration of 2025, by its official code."""
        return self._iri("place", "2025", code)

    def body(self, body: BodyRef) -> URIRef:
        """``org/<place path>/<key>``; a unit of a Party committee named at a level its place no
        longer has is told apart by its committee: the Ban Thường vụ of Quận ủy Thủ Đức (a quận until
        2021) is ``org/ho-chi-minh/thu-duc/quan-uy/ban-thuong-vu``, that of Thành ủy Thủ Đức
        ``org/ho-chi-minh/thu-duc/ban-thuong-vu``."""
        where = self._place_path(body.place) if body.place else []
        parent = body.parent
        if parent is not None and parent.kind == "PartyCommittee" and body.place is not None \
                and parent.key != _committee_now(body.place):
            return self._iri("org", *where, parent.key, body.key)
        return self._iri("org", *where, body.key)

    def official(self, official: Official, national: bool = False) -> URIRef:
        """``person/<province>/<name>``; ``person/<name>`` for a national official (see the module doc)."""
        where = [slug(official.province.name)] if official.province and not national else []
        return self._iri("person", *where, slug(official.name))

    def term(self, term: Term) -> URIRef:
        return self._iri("term", term.label)

    def congress(self, congress: Congress) -> URIRef:
        org = self.body(congress.organization)[len(self.base) + len("org/"):]
        return self._iri("congress", org, str(congress.ordinal))

    def document(self, doc: Document, article_id: str) -> URIRef:
        kind = slug(doc.type)
        if doc.number:
            where = [slug(doc.province.name)] if doc.province else []
            return self._iri("document", *where, kind, slug(doc.number))
        if doc.congress:
            return self._iri("document", self.congress(doc.congress)[len(self.base):], kind)
        name = slug(doc.title or "untitled")[:80]
        return self._iri("document", "article", article_id, kind, name)

    def zone(self, zone: Zone) -> URIRef:
        where = [slug(zone.province.name)] if zone.province else []
        return self._iri("zone", *where, slug(zone.name))

    def article(self, article_id: str) -> URIRef:
        return self._iri("article", article_id)

    def post(self, post: PostHolding, article_id: str) -> URIRef:
        return self._iri("post", article_id, slug(post.official.name), post.role,
                         self.body(post.body)[len(self.base) + len("org/"):].replace("/", "."))

    def tenure(self, official: str, role: str, body: str) -> URIRef:
        """``tenure/<official>/<role>/<body>``: one per official, role and body, from the IRIs of the three
        (``tenure/quang-ninh.nguyen-van-an/secretary/quang-ninh.hai-ha.huyen-uy``); a part minted
        under another base is written as a digest of its IRI."""
        def tail(iri: str, kind: str) -> str:
            head = self.base + kind + "/"
            if iri.startswith(head) and re.fullmatch(r"[a-z0-9./-]+", iri[len(head):]):
                return iri[len(head):].replace("/", ".")
            return "x-" + hashlib.sha256(iri.encode("utf-8")).hexdigest()[:16]
        role_key = role.rsplit("/", 1)[-1] if role.startswith(str(ROLE)) else tail(role, "role")
        return self._iri("tenure", tail(official, "person"), slug(role_key), tail(body, "org"))

    @staticmethod
    def bound(tenure: URIRef, side: str) -> URIRef:
        """The beginning or the end (``side``) of a tenure: ``<tenure>/beginning``, ``<tenure>/end``."""
        return URIRef(f"{tenure}/{side}")

    def discipline(self, d: Discipline, article_id: str) -> URIRef:
        return self._iri("discipline", article_id, slug(d.official.name), d.measure)

    @staticmethod
    def measure(key: str) -> URIRef:
        return MEASURE[key]

    def figure(self, figure: Figure, article_id: str) -> URIRef:
        return self._iri("figure", article_id, str(figure.start))

    def indicator(self, key: str | None, label: str) -> URIRef:
        if key:
            return INDICATOR[key]
        return self._iri("indicator", slug(label)[:80])

    @staticmethod
    def role(key: str) -> URIRef:
        return ROLE[key]

    def graph(self, article_id: str) -> URIRef:
        """The named graph holding one article's facts."""
        return self._iri("graph", article_id)
