"""An in-memory label index: search insensitive to case and Vietnamese diacritics, and labels for pages.

Built from the store (rdfs:label, skos:prefLabel, skos:altLabel, foaf:name,
dcterms:title; rdf:type; rdfs:subClassOf for filtering by a superclass) and
rebuilt when the store changes. User strings never reach SPARQL: a search
is a scan of this index.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import pyoxigraph as ox

RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS_PREF = "http://www.w3.org/2004/02/skos/core#prefLabel"
SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
FOAF_NAME = "http://xmlns.com/foaf/0.1/name"
DC_TITLE = "http://purl.org/dc/terms/title"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"

LABEL_PROPS = (RDFS_LABEL, SKOS_PREF, FOAF_NAME, DC_TITLE, SKOS_ALT)
# Preference for the display label: (property, language) pairs, best first; "*" is any language.
_PREFERENCE = [(RDFS_LABEL, "vi"), (SKOS_PREF, "vi"), (FOAF_NAME, ""), (FOAF_NAME, "*"), (RDFS_LABEL, ""),
               (SKOS_PREF, ""), (DC_TITLE, "vi"), (DC_TITLE, ""), (DC_TITLE, "*"), (RDFS_LABEL, "*"),
               (SKOS_PREF, "*"), (SKOS_ALT, "vi"), (SKOS_ALT, "*"), (SKOS_ALT, "")]

_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower case, no diacritics, "đ" as "d", punctuation as spaces: "Huyện ủy Đầm Hà" -> "huyen uy dam ha"."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(c for c in decomposed if unicodedata.category(c) != "Mn")
    return _NON_WORD.sub(" ", bare.lower()).strip()


def local_name(iri: str) -> str:
    for sep in ("#", "/"):
        if sep in iri:
            tail = iri.rsplit(sep, 1)[1]
            if tail:
                return tail
    return iri


@dataclass
class Hit:
    iri: str
    label: str
    matched: str          # the label that matched (may be an altLabel)
    types: list[str]
    score: tuple


@dataclass
class LabelIndex:
    # iri -> list of (property, language, text)
    labels: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    types: dict[str, set[str]] = field(default_factory=dict)
    superclasses: dict[str, set[str]] = field(default_factory=dict)
    # search entries: (folded label, iri, label)
    _entries: list[tuple[str, str, str]] = field(default_factory=list)
    _type_names: dict[str, set[str]] = field(default_factory=dict)  # iri -> local names of types and ancestors
    # labels made up for unlabelled facts (posts, figures): shown, not searched
    synthetic: dict[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, select) -> "LabelIndex":
        """``select(sparql)`` returns rows (dicts of pyoxigraph terms) over the union of all graphs."""
        idx = cls()
        for row in select(
                "SELECT DISTINCT ?s ?p ?l WHERE { VALUES ?p { <%s> } ?s ?p ?l FILTER(isLiteral(?l)) }"
                % "> <".join(LABEL_PROPS)):
            s, p, l = row["s"], row["p"], row["l"]
            if not isinstance(s, ox.NamedNode) or not isinstance(l, ox.Literal):
                continue
            idx.labels.setdefault(s.value, []).append((p.value, l.language or "", l.value))
        for row in select("SELECT DISTINCT ?s ?t WHERE { ?s a ?t FILTER(isIRI(?s) && isIRI(?t)) }"):
            idx.types.setdefault(row["s"].value, set()).add(row["t"].value)
        direct: dict[str, set[str]] = {}
        for row in select("SELECT DISTINCT ?c ?d WHERE { ?c <%s> ?d FILTER(isIRI(?c) && isIRI(?d)) }" % SUBCLASS):
            direct.setdefault(row["c"].value, set()).add(row["d"].value)
        idx.superclasses = _closure(direct)
        idx._finish()
        return idx

    def _finish(self) -> None:
        entries = []
        for iri, labels in self.labels.items():
            seen = set()
            for prop, _lang, text in labels:
                if text in seen:
                    continue
                seen.add(text)
                entries.append((fold(text), iri, text))
        self._entries = entries
        names: dict[str, set[str]] = {}
        for iri, ts in self.types.items():
            out = set()
            for t in ts:
                out.add(local_name(t).lower())
                for sup in self.superclasses.get(t, ()):
                    out.add(local_name(sup).lower())
            names[iri] = out
        self._type_names = names

    # -- labels -------------------------------------------------------------------------------
    def label(self, iri: str, lang: str = "vi") -> str | None:
        """The display label (Vietnamese first), or None."""
        labels = self.labels.get(iri)
        if not labels:
            return self.synthetic.get(iri)
        if lang != "vi":
            for prop, l, text in labels:
                if l == lang and prop in (RDFS_LABEL, SKOS_PREF):
                    return text
        for want_prop, want_lang in _PREFERENCE:
            for prop, l, text in labels:
                if prop == want_prop and (l == want_lang or (want_lang == "*" and l)):
                    return text
        return labels[0][2]

    def english(self, iri: str) -> str | None:
        for prop, l, text in self.labels.get(iri, ()):
            if l == "en" and prop in (RDFS_LABEL, SKOS_PREF):
                return text
        return None

    def type_names(self, iri: str) -> set[str]:
        return self._type_names.get(iri, set())

    def is_a(self, iri: str, *class_names: str) -> bool:
        names = self.type_names(iri)
        return any(c.lower() in names for c in class_names)

    # -- search -------------------------------------------------------------------------------
    def search(self, query: str, type_name: str | None = None, limit: int = 20,
               offset: int = 0) -> tuple[int, list[Hit]]:
        """Entities with a label in which every word of ``query`` starts a word (case and diacritics
        folded); exact labels first, then the whole phrase, then shorter labels. With ``type_name``
        only instances of that class (local name; superclasses count); an empty query then lists
        every instance, labelled or not."""
        q = fold(query or "")
        words = q.split()
        tname = (type_name or "").strip().lower() or None
        best: dict[str, Hit] = {}
        if not words and tname:
            for iri, names in self._type_names.items():
                if tname in names:
                    text = self.label(iri) or iri
                    best[iri] = Hit(iri, "", text, [], (0, len(text), fold(text)))
        for folded, iri, text in (self._entries if words or not tname else ()):
            if tname and tname not in self._type_names.get(iri, ()):
                continue
            if words:
                padded = " " + folded
                # every query word must start a word of the label ("ha" finds "Hà", not "chairperson")
                if not all((" " + w) in padded for w in words):
                    continue
                if folded == q:
                    rank = 0
                elif (" " + q + " ") in (padded + " "):
                    rank = 1  # the whole phrase, as words
                else:
                    rank = 2
            else:
                rank = 0
            score = (rank, len(folded), folded)
            hit = best.get(iri)
            if hit is None or score < hit.score:
                best[iri] = Hit(iri, "", text, [], score)
        hits = sorted(best.values(), key=lambda h: (h.score, h.iri))
        total = len(hits)
        page = hits[offset:offset + limit]
        for h in page:
            h.label = self.label(h.iri) or h.matched
            h.types = sorted(self.types.get(h.iri, ()))
        return total, page

    def class_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for ts in self.types.values():
            for t in ts:
                counts[t] = counts.get(t, 0) + 1
        return counts


def _closure(direct: dict[str, set[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for c in direct:
        seen: set[str] = set()
        stack = list(direct[c])
        while stack:
            d = stack.pop()
            if d in seen or d == c:
                continue
            seen.add(d)
            stack.extend(direct.get(d, ()))
        out[c] = seen
    return out
