"""Places: "<level word> <Name>" mentions resolved against the gazetteer, and the article's locality.

Patterns (level words from ``lexicon/admin_levels.tsv``):

- LEVEL_NAME   "huyện Hải Hà", "TP Móng Cái", "thị trấn Quảng Hà", "Phường 3"
- NAME_LIST    a level word governing a list: "các xã Quảng Thắng, Quảng Phong, Đường Hoa", "các xã: A, B",
               "2/2 xã Quảng Đức và Quảng Sơn"
- TITLE_NAME   a bare unit name in the title ("Hiệp Hòa: ...") only votes for the locality

The article's *home* locality is the district-level unit (else the province) named most often,
counting level-word mentions, committee names ("Huyện ủy Hải Hà") and the title. It completes
implicit localities ("Huyện ủy" alone, "UBND tỉnh") everywhere else.
"""
from __future__ import annotations

import re
from collections import Counter

from dataclasses import replace

from ..gazetteer import COMMUNE_LEVELS, DISTRICT_LEVELS, LEVEL_WORDS, TIER, level_word, levels_of_word
from ..lexicon import table, words
from ..records import PlaceRef
from ..text import fold
from .base import NAME_RUN as NAME_RUN_RE, Context, alternation, component, lex, name_run, skip_space

LEVEL_WORD = alternation(f for lw in LEVEL_WORDS for f in lw.forms)
# "TP." and "P." end in a dot: the alternation's (?!\w) would still hold; allow "TP.Hạ Long" too.
LIST_GLUE = re.compile(r"\s*(?:,|và|;)\s*")
SURNAMES = {fold(s) for s in words("surnames")}
COMMITTEE_WORD = lex("committees")
ROLE_WORD = lex("roles")
COMMITTEE_LEVELS = {fold(f): r for r in table("committees") for f in r["form"].split("|")}


def _resolve_run(ctx: Context, run: list[str], levels: frozenset[str]) -> tuple[int, PlaceRef | None]:
    """Longest prefix of ``run`` naming a known unit of ``levels``; else a historical commune."""
    gaz = ctx.gazetteer
    context = ctx.context_places()
    if run and len(run[0]) > 1 and run[0].isupper():  # "TP HCM": an abbreviation that is an alias
        place = gaz.resolve(run[0], level=levels, context=context)
        if place is not None and place.code is not None:
            return 1, place
    for i, syllable in enumerate(run):  # "6 xã NTM nâng cao": an abbreviation is no name
        if len(syllable) > 1 and syllable.isupper():
            run = run[:i]
            break
    for k in range(min(len(run), 5), 0, -1):
        place = gaz.resolve(" ".join(run[:k]), level=levels, context=context)
        if place is not None and place.code is not None:
            return k, place
    # UPGRADED: "thị xã Từ Sơn" (2021) is the unit the 2025 data calls "thành phố Từ Sơn"
    same_tier = _same_tier(levels)
    if same_tier:
        for k in range(min(len(run), 5), 0, -1):
            place = gaz.resolve(" ".join(run[:k]), level=same_tier, context=context)
            if place is not None and place.code is not None:
                return k, as_written(place, levels)
    commune = levels & COMMUNE_LEVELS
    if commune and run and context:
        k = _name_length(run)
        place = gaz.resolve(" ".join(run[:k]), level=commune, context=context)
        if place is not None and TIER[place.level] == 3:
            return k, place
    return 0, None


def _same_tier(levels: frozenset[str]) -> frozenset[str]:
    """The other levels of the one tier a single written level belongs to (else empty)."""
    if len(levels) != 1:
        return frozenset()
    (level,) = levels
    return frozenset(lvl for lvl, t in TIER.items() if t == TIER[level]) - levels


def as_written(place: PlaceRef, levels: frozenset[str]) -> PlaceRef:
    """The unit with the level the article gives it (units keep their identity when upgraded)."""
    (level,) = levels
    return replace(place, level=level, label=f"{level_word(level)} {place.name}")


def _name_length(run: list[str]) -> int:
    """Syllables of a place name not in the gazetteer: stop before a person's name, at most 3."""
    for i in range(1, min(len(run), 3)):
        if fold(run[i]) in SURNAMES and len(run) - i >= 2:
            return i
    return min(len(run), 3 if len(run) != 4 else 2)


def _span_end(text: str, start: int, syllables: int) -> int:
    pos = skip_space(text, start)
    m = re.match(r"\S+(?:[ \u00a0]\S+){%d}" % (syllables - 1), text[pos:])
    end = pos + len(m.group(0)) if m else pos
    while end > pos and not text[end - 1].isalnum():
        end -= 1
    return end


def parse_place_at(ctx: Context, pos: int, bare_levels: frozenset[str] | None = None,
                   implicit: bool = True) -> tuple[int, PlaceRef | None]:
    """Read a place starting at ``pos``: a level word and a name, a level word alone (the
    article's own unit of that level, when ``implicit``), or, with ``bare_levels``, a bare name."""
    pos = skip_space(ctx.folded, pos)
    m = LEVEL_WORD.match(ctx.folded, pos)
    if m:
        levels = levels_of_word(ctx.text[m.start():m.end()])
        run = name_run(ctx.text, m.end())
        person = _is_person(run)
        k, place = _resolve_run(ctx, run, levels)
        if place is None and run and run[0].isdigit():  # NUMBERED: "phường 8, quận 8", "phường 2 (quận 4)"
            k, place = 1, _numbered(ctx, run[0], levels, _span_end(ctx.text, m.end(), 1))
        if place is not None and (not person or place.code is not None and k == len(run)):
            return _span_end(ctx.text, m.end(), k), place
        if person:  # LEVEL_PERSON: "Chủ tịch xã Nguyễn Xuân Trường": the level word alone, then a name
            run = []
        if run and not implicit:
            return pos, None
        if run and any(ch.isupper() for ch in run[0]):  # a name we cannot place (foreign, unknown)
            return pos, None
        return (m.end(), ctx.implicit_place(levels, at=pos)) if implicit else (pos, None)
    if bare_levels:
        run = name_run(ctx.text, pos)
        k, place = _resolve_run(ctx, run, bare_levels)
        if place is not None:
            return _span_end(ctx.text, pos, k), place
    return pos, None


NUMBERED_PARENT = re.compile(r"\s*(?:,|\()\s*")


def _numbered(ctx: Context, number: str, levels: frozenset[str], end: int) -> PlaceRef | None:
    """A numbered ward or district named with the unit that contains it, right after: "phường 8,
    quận 8", "phường 2 (quận 4)"."""
    g = NUMBERED_PARENT.match(ctx.text, end)
    if g is None:
        return None
    _, parent = parse_place_at(ctx, g.end(), implicit=False)
    if parent is None or TIER.get(parent.level, 0) >= min(TIER[lvl] for lvl in levels):
        return None
    found = ctx.gazetteer.find(number, level=levels, within=parent)
    if not found and len(levels) == 1 and parent.level in DISTRICT_LEVELS:
        # a numbered ward merged away before the gazetteer's data ("phường 8, quận 8" until 2024)
        (level,) = levels
        return PlaceRef(level, number, f"{level_word(level)} {number}", parent, None)
    return found[0] if len(found) == 1 else None


def _is_person(run: list[str]) -> bool:
    """Three or four capitalised syllables after a level word, led by a family name, are a person's
    name ("xã Hồ Văn Hồng" is "xã" and "Hồ Văn Hồng")."""
    return 3 <= len(run) <= 4 and fold(run[0]) in SURNAMES


def _vote_home(ctx: Context) -> PlaceRef | None:
    """The district-level unit (else the province) the article names most often."""
    gaz = ctx.gazetteer
    votes: Counter = Counter()
    first: dict = {}

    def vote(cands: list[PlaceRef], weight: float, at: int) -> None:
        for c in cands:
            unit = c if TIER[c.level] <= 2 else c.parent
            if unit is None:
                continue
            votes[unit] += weight / len(cands) * (1 if TIER[c.level] <= 2 else 0.3)
            first.setdefault(unit, at)

    def candidates(run: list[str], levels) -> list[PlaceRef]:
        for k in range(min(len(run), 4), 0, -1):
            found = gaz.find(" ".join(run[:k]), level=levels)
            if found:
                return found
        same_tier = _same_tier(frozenset(levels))
        for k in range(min(len(run), 4), 0, -1) if same_tier else ():
            found = gaz.find(" ".join(run[:k]), level=same_tier)
            if found:
                return [as_written(p, frozenset(levels)) for p in found]
        return []

    for m in LEVEL_WORD.finditer(ctx.folded):
        run = name_run(ctx.text, m.end())
        if run:
            vote(candidates(run, levels_of_word(ctx.text[m.start():m.end()])), 1.0, m.start())
    for m in COMMITTEE_WORD.finditer(ctx.folded):
        levels = frozenset(COMMITTEE_LEVELS[fold(ctx.text[m.start():m.end()])]["levels"].split("|"))
        run = name_run(ctx.text, m.end())
        if run and not (levels & COMMUNE_LEVELS):
            vote(candidates(run, levels), 1.0, m.start())
    title = ctx.article.title or ""
    # bare unit names in the title ("Hiệp Hòa: ...", "Hải Hà phấn đấu ...")
    i = 0
    while i < len(title):
        run = name_run(title, i, 4)
        if run:
            cands = candidates(run, DISTRICT_LEVELS)
            vote(cands, 2.0, -1)
            i = title.find(run[0], i) + len(run[0])
        else:
            i += 1
            nxt = re.search(r"\s", title[i:])
            i = i + nxt.end() if nxt else len(title)
    if not votes:
        return None
    districts = [u for u in votes if TIER[u.level] == 2]
    pool = districts or list(votes)
    home = max(pool, key=lambda u: (votes[u], -first.get(u, 0)))
    return _home_commune(ctx, home, votes[home]) or home


def _home_commune(ctx: Context, district: PlaceRef, district_votes: float) -> PlaceRef | None:
    """An article about one commune (named, title included, as often as its district) is set there."""
    if TIER[district.level] != 2:
        return None
    title_end = len(ctx.article.title or "")
    votes: Counter = Counter()
    for m in LEVEL_WORD.finditer(ctx.folded):
        levels = levels_of_word(ctx.text[m.start():m.end()]) & COMMUNE_LEVELS
        run = name_run(ctx.text, m.end(), 4)
        for k in range(min(len(run), 4), 0, -1) if levels else ():
            found = ctx.gazetteer.find(" ".join(run[:k]), level=levels, within=district)
            if found:
                votes[found[0]] += 2 if m.start() < title_end else 1
                break
    if not votes:
        return None
    (best, n), *rest = votes.most_common(2) + [(None, 0)]
    return best if n >= max(district_votes, 3) and n >= 2 * rest[0][1] else None


@component("places")
def places(ctx: Context) -> None:
    ctx.home = _vote_home(ctx)
    _bare_places(ctx)
    for m in LEVEL_WORD.finditer(ctx.folded):
        if m.start() in ctx.places_at:
            continue
        levels = levels_of_word(ctx.text[m.start():m.end()])
        end, place = parse_place_at(ctx, m.start(), implicit=False)
        start = m.start()
        colon = COLON_LIST.match(ctx.text, m.end())
        if place is None and colon:  # COLON_LIST: "các xã: Xuân Hòa, Xuân Lai"
            run = name_run(ctx.text, colon.end(), 4)
            k, place = _resolve_run(ctx, run, levels) if run else (0, None)
            start = colon.end()
            end = _span_end(ctx.text, start, k) if place is not None else end
        if place is None:
            continue
        ctx.places_at[start] = (end, place)
        # NAME_LIST: ", Quảng Phong", " và Quảng Sơn" after the first name, same level
        while True:
            g = LIST_GLUE.match(ctx.text, end)
            if not g or ctx.text[end:g.end()].strip() == ";":
                break
            run = name_run(ctx.text, g.end(), 4)
            if not run or fold(run[0]) in SURNAMES and len(run) >= 3:
                break
            k, nxt = _resolve_run(ctx, run, levels & frozenset({place.level}))
            if nxt is None:
                break
            start = skip_space(ctx.text, g.end())
            end = _span_end(ctx.text, start, k)
            ctx.places_at[start] = (end, nxt)


COLON_LIST = re.compile(r"[ \t]*:[ \t]*")
PAREN = re.compile(r"\(([^()\n]{2,60})\)")
# Words after which a province's bare name is a place: "quê ở Hà Tĩnh", "công tác tại Gia Lai".
BARE_CUE = re.compile(r"(?<!\w)(?:tại|ở|về|quê|quê quán|thuộc|đến|rời)\s+$")
PROVINCES = frozenset({"Province", "Municipality"})
BELOW_PROVINCE = frozenset(DISTRICT_LEVELS | COMMUNE_LEVELS)


def _note_bare(ctx: Context, start: int, end: int, place: PlaceRef) -> None:
    if not any(a <= start < b for a, (b, _) in ctx.places_at.items()):
        ctx.places_at[start] = (end, place)


def _bare_places(ctx: Context) -> None:
    """Places named without their level word.

    - PAREN_PLACE  "(Hoàng Su Phì, Hà Giang)", "(Nam Định)": a district and its province, or a province
    - BARE_PROVINCE "quê ở Hà Tĩnh", "về công tác tại Gia Lai": a province after a locative word
    - BARE_DISTRICT "về thăm Cẩm Phả": a district-level unit of the article's province, likewise
    - BARE_LIST     "ở Cẩm Phả và Móng Cái": the names joined to one of those
    """
    gaz = ctx.gazetteer
    for m in PAREN.finditer(ctx.text):
        parts = [p.strip() for p in m.group(1).split(",")]
        if not 1 <= len(parts) <= 3 or not all(p[:1].isupper() and len(p.split()) <= 4 for p in parts):
            continue
        province = gaz.resolve(parts[-1], level=PROVINCES)
        if province is None or fold(province.name) != fold(parts[-1]):
            continue
        at = m.start(1) + m.group(1).rindex(parts[-1])
        _note_bare(ctx, at, at + len(parts[-1]), province)
        for part in parts[:-1]:
            inner = gaz.resolve(part, level=BELOW_PROVINCE, context=[province])
            if inner is not None and inner.province == province and fold(inner.name) == fold(part):
                at = m.start(1) + m.group(1).index(part)
                _note_bare(ctx, at, at + len(part), inner)
    for m in NAME_RUN_RE.finditer(ctx.text):
        if not BARE_CUE.search(ctx.folded, max(0, m.start() - 12), m.start()):
            continue
        start, end = m.start(), _bare_at(ctx, m.start(), m.group(0))
        while end is not None:  # BARE_LIST: "ở Cẩm Phả và Móng Cái"
            g = LIST_GLUE.match(ctx.text, end)
            nxt = NAME_RUN_RE.match(ctx.text, g.end()) if g and ctx.text[end:g.end()].strip() != ";" else None
            end = _bare_at(ctx, nxt.start(), nxt.group(0)) if nxt else None


def _bare_at(ctx: Context, start: int, run_text: str) -> int | None:
    """BARE_PROVINCE, else BARE_DISTRICT: a district-level unit of the article's province named
    without its level ("về thăm Cẩm Phả"). Returns the end of the name read, or None."""
    gaz = ctx.gazetteer
    run = run_text.split()[:4]
    for k in range(len(run), 0, -1):
        name = " ".join(run[:k])
        place = gaz.resolve(name, level=PROVINCES)
        if place is None and ctx.province is not None and k >= 2:
            place = gaz.resolve(name, level=DISTRICT_LEVELS, context=[ctx.province])
            if place is not None and place.province != ctx.province:
                place = None
        if place is not None and place.code is not None and fold(place.name) == fold(name):
            _note_bare(ctx, start, start + len(name), place)
            return start + len(name)
    return None


def finish_places(ctx: Context) -> None:
    """Mentioned places: those named outside a body's or zone's name, plus the home and its province."""
    # a title's span ("Chủ tịch thị xã Cửa Lò") names the place itself, not a body's name
    inside = [(a, b) for a, (b, _) in ctx.bodies_at.items() if not ROLE_WORD.match(ctx.folded, a)] + ctx.zone_spans
    for start in sorted(ctx.places_at):
        end, place = ctx.places_at[start]
        if any(a <= start and end <= b for a, b in inside):
            continue
        ctx.facts.add("places", place)
    for p in (ctx.home, ctx.province):
        if p is not None:
            ctx.facts.add("places", p)
