"""What every extractor shares: the per-article context, the component registry, and matching helpers.

Extractors are small functions registered with :func:`component`; :func:`loaders.extract.extract`
runs them in registration order over one :class:`Context`. Keyword patterns are matched on
``Context.folded`` (lower-cased, tone placement unified, same offsets as the text); proper names
are read from ``Context.text`` where capitalisation is kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Callable, Iterable

from ..article import Article
from ..lexicon import words
from ..records import BodyRef, Evidence, Facts, PlaceRef
from ..text import fold_keep_length

# Upper-case letters of Vietnamese (and Latin) text, for proper names.
UPPER = "".join(c for c in map(chr, range(0x41, 0x1EFA)) if c.isalpha() and c.isupper())
_UP = f"[{re.escape(UPPER)}]"
# A capitalised syllable: "Hải", "Đường", "OCOP" (also digits for "Phường 3", "Quận 1").
SYLLABLE = rf"(?:{_UP}[^\W\d_]*|\d{{1,2}}(?!\d))"
NAME_RUN = re.compile(rf"{SYLLABLE}(?:[ \u00a0]{SYLLABLE})*")
SPACE = re.compile(r"[ \t\u00a0]*")
# How far back a bare committee word ("Tỉnh ủy") looks for the locality of a body named before it.
RECENT_WINDOW = 700
# A year written in the text; a span ("2015-2020") counts by its first year, its end is a term's end.
YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?:\s*[-–]\s*(?:19|20)\d\d)?(?!\d)")


@lru_cache(maxsize=None)
def lex(table_name: str, column: str = "form") -> re.Pattern:
    """A pattern matching any form of a lexicon table as whole words, on the folded text."""
    forms = words(table_name, column)
    return alternation(forms)


def alternation(forms: Iterable[str]) -> re.Pattern:
    parts = sorted({fold_keep_length(f) for f in forms}, key=lambda s: (-len(s), s))
    body = "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in parts)
    return re.compile(rf"(?<!\w)(?:{body})(?!\w)")


def name_run(text: str, pos: int, max_syllables: int = 6) -> list[str]:
    """The capitalised syllables starting at ``pos`` (after spaces), at most ``max_syllables``."""
    m = NAME_RUN.match(text, pos + len(SPACE.match(text, pos).group(0)))
    if not m:
        return []
    return m.group(0).split()[:max_syllables]


def skip_space(text: str, pos: int) -> int:
    return pos + len(SPACE.match(text, pos).group(0))


@dataclass
class Context:
    """One article being read: text views, what has been found so far, and the article's locality."""

    article: Article
    gazetteer: object
    facts: Facts = field(default_factory=Facts)
    home: PlaceRef | None = None  # the locality the article is about (a district, city or province)
    places_at: dict[int, tuple[int, PlaceRef]] = field(default_factory=dict)  # start -> (end, place)
    bodies_at: dict[int, tuple[int, BodyRef]] = field(default_factory=dict)  # start -> (end, body)
    congress_mentions: list = field(default_factory=list)  # (offset, Congress | organisation | None)
    zone_spans: list[tuple[int, int]] = field(default_factory=list)  # spans of zone names
    claimed: list[tuple[int, int]] = field(default_factory=list)  # spans no figure may come from
    mentions: dict[int, list] = field(default_factory=dict)  # sentence start -> its mentions (officials)

    def __post_init__(self) -> None:
        self.text = self.article.text
        self.folded = fold_keep_length(self.text)

    # -- locality -------------------------------------------------------------
    @property
    def province(self) -> PlaceRef | None:
        return self.home.province if self.home else None

    def context_places(self) -> list[PlaceRef]:
        """Most specific first: the home locality, then its ancestors."""
        out, p = [], self.home
        while p is not None:
            out.append(p)
            p = p.parent
        return out

    def implicit_place(self, levels: Iterable[str], at: int | None = None) -> PlaceRef | None:
        """The unit of one of ``levels`` that a bare word means ("Tỉnh ủy", "huyện" alone).

        RECENT_BODY: at offset ``at``, the locality of the nearest body named before it, or one of
        that locality's ancestors ("Đại hội Đảng bộ tỉnh Phú Thọ ... Ông X tái cử chức Bí thư Tỉnh
        ủy": Phú Thọ, in an article that moves from province to province). Otherwise the article's
        own unit ("huyện" alone in an article about a district)."""
        levels = set(levels)
        if at is not None:
            for p in self.recent_places(at):
                if p.level in levels:
                    return p
        for p in self.context_places():
            if p.level in levels:
                return p
        return None

    def recent_places(self, at: int, window: int = RECENT_WINDOW):
        """Localities of the bodies named before ``at`` (nearest first, within ``window``), each followed
        by its ancestors."""
        for start in sorted((s for s in self.bodies_at if at - window <= s < at), reverse=True):
            p = self.bodies_at[start][1].place
            while p is not None:
                yield p
                p = p.parent

    @cached_property
    def reference_year(self) -> int | None:
        """The year the article speaks from: its date's, else the latest year its text names (a
        term's end year, "2015-2020", is the future and does not count)."""
        if self.article.issued is not None:
            return self.article.issued.year
        years = [int(m.group(1)) for m in YEAR.finditer(self.text)]
        return max(years) if years else None

    # -- provenance -----------------------------------------------------------
    def evidence(self, start: int, end: int | None = None) -> Evidence:
        s = self.article.sentence_at(start)
        if s is None:  # offsets outside any sentence: use the line
            a = self.text.rfind("\n", 0, start) + 1
            b = self.text.find("\n", start)
            b = len(self.text) if b < 0 else b
            return Evidence(self.text[a:b].strip(), a, b)
        return Evidence(s.text, s.start, s.end)

    def claim(self, start: int, end: int) -> None:
        self.claimed.append((start, end))

    def is_claimed(self, start: int, end: int) -> bool:
        return any(a < end and start < b for a, b in self.claimed)


Component = Callable[[Context], None]
COMPONENTS: dict[str, Component] = {}


def component(name: str) -> Callable[[Component], Component]:
    """Register an extractor under ``name``; components run in registration order."""

    def register(fn: Component) -> Component:
        COMPONENTS[name] = fn
        return fn

    return register
