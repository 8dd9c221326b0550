"""Typed records: what extractors produce and :mod:`kg.mapping` turns into RDF.

Records describe *what the article says*, resolved to canonical names; they
carry no IRIs (those are minted in :mod:`kg.iri`). Class-like fields hold the
local name of the ontology class (``"District"``, ``"PartyCommittee"``,
``"Resolution"``, ``"IndustrialPark"``) so that the mapping stays a lookup.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from, verbatim (NFC), and its offsets in the article text."""

    sentence: str
    start: int
    end: int


@dataclass(frozen=True)
class PlaceRef:
    """An administrative unit as it stood when the article was written.

    ``level`` is a class of the ontology: Province, Municipality, ProvincialCity,
    Town, District, UrbanDistrict, Township, Commune, Ward. ``name`` is the bare
    name ("Hải Hà"); ``label`` the canonical "<level word> <Name>" ("huyện Hải Hà").
    ``code`` is the official code where the gazetteer knows the unit.
    """

    level: str
    name: str
    label: str
    parent: "PlaceRef | None" = None
    code: str | None = None

    @property
    def province(self) -> "PlaceRef":
        p = self
        while p.parent is not None:
            p = p.parent
        return p

    def path(self) -> tuple[str, ...]:
        """Names from the province down: ("Quảng Ninh", "Hải Hà")."""
        return (self.parent.path() if self.parent else ()) + (self.name,)


@dataclass(frozen=True)
class BodyRef:
    """A Party or State body.

    ``kind``: PartyOrganization, PartyCommittee, StandingCommittee, StandingOffice,
    PartyDepartment or StateBody. ``key`` is the body's type within its locality
    ("dang-bo", "huyen-uy", "ban-thuong-vu", "ubnd", "ban-to-chuc", ...), unique
    per place, used for the IRI. ``parent`` is what it is ``org:unitOf``.
    """

    kind: str
    key: str
    label: str
    place: PlaceRef | None = None
    parent: "BodyRef | None" = None
    alt_labels: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Official:
    """A named official; identified by name within a province (see README)."""

    name: str
    province: PlaceRef | None = None


@dataclass(frozen=True)
class Term:
    start: int
    end: int

    @property
    def label(self) -> str:
        return f"{self.start}-{self.end}"


@dataclass(frozen=True)
class Congress:
    """"Đại hội Đảng bộ huyện Hải Hà lần thứ XXI": organisation, ordinal, term."""

    organization: BodyRef
    ordinal: int
    term: Term | None = None


@dataclass(frozen=True)
class Document:
    """A policy document. ``type``: Resolution, Directive, Conclusion, Decision, Scheme, Programme, Plan."""

    type: str
    number: str | None = None
    issued: dt.date | None = None
    issuer: BodyRef | None = None
    congress: Congress | None = None
    title: str | None = None
    province: PlaceRef | None = None  # the province whose numbering it belongs to


@dataclass(frozen=True)
class Zone:
    """An economic zone. ``type``: EconomicZone, BorderGateEconomicZone, CoastalEconomicZone,
    IndustrialPark, IndustrialCluster, TourismArea."""

    type: str
    name: str  # canonical, abbreviations expanded
    located_in: PlaceRef | None = None
    alt_labels: frozenset[str] = frozenset()
    province: PlaceRef | None = None


@dataclass(frozen=True)
class PostHolding:
    """One reading "official holds role in body"; ``role`` is a key of the role scheme."""

    official: Official
    role: str
    body: BodyRef
    evidence: Evidence
    term: Term | None = None
    status: str = "holds"  # holds | starts | ends | former: what the article says of the post at its date


# What a PostHolding's status may be (the ontology's vnkg:holds, vnkg:starts, vnkg:ends, vnkg:former).
POST_STATUSES = ("holds", "starts", "ends", "former")


@dataclass(frozen=True)
class Discipline:
    """A disciplinary measure decided against a named official ("cảnh cáo ông X").

    ``measure`` is a key of the measure scheme (``lexicon/measures.tsv``, ``ontology/measures.ttl``):
    khien-trach, canh-cao, cach-chuc, khai-tru, ... ``decided_by`` is the deciding body where the
    text names it. A proposed measure ("đề nghị kỷ luật") is not one.
    """

    official: Official
    measure: str
    evidence: Evidence
    decided_by: BodyRef | None = None


@dataclass(frozen=True)
class Figure:
    """One quantity, reported (Achievement) or aimed at (Target), in base units."""

    kind: str  # "Target" | "Achievement"
    value: Decimal
    unit: str  # %, VND, USD, count, ha, km, tonne; per-capita appends "/person/year"
    indicator_label: str  # the phrase naming what is measured, as written (NFC)
    evidence: Evidence
    start: int  # offsets of the quantity in the article text
    end: int
    indicator: str | None = None  # key of the indicator scheme, None when not curated
    comparator: str = "exactly"  # atLeast | atMost | about | exactly
    year: int | None = None
    subject: PlaceRef | BodyRef | None = None
    set_by: Document | Congress | None = None


@dataclass
class Facts:
    """Everything read from one article. Lists are in text order, without duplicates."""

    places: list[PlaceRef] = field(default_factory=list)
    bodies: list[BodyRef] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    posts: list[PostHolding] = field(default_factory=list)
    terms: list[Term] = field(default_factory=list)
    congresses: list[Congress] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    zones: list[Zone] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    disciplines: list[Discipline] = field(default_factory=list)

    def add(self, kind: str, item) -> None:
        """Append to a list unless an equal record is already there."""
        lst = getattr(self, kind)
        if item not in lst:
            lst.append(item)
