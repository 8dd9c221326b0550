"""Terms of office and Party congresses.

Patterns (words from ``lexicon/term_words.tsv`` and ``congress_words.tsv``):

- TERM           "nhiệm kỳ 2015-2020", "nhiệm kỳ 2020 – 2025", "nhiệm kỳ XXIV (2015- 2020)"
- PERIOD         "giai đoạn 2020-2025" when it is a congress term (five years from a year ending in 0 or 5)
                 or an election term (from a year ending in 1 or 6), not a plan's or a scheme's period
- CONGRESS       "Đại hội Đảng bộ huyện Hải Hà lần thứ XXI", "Đại hội đại biểu lần thứ XXV của Đảng bộ
                 huyện Đầm Hà", "Đại hội XXI Đảng bộ huyện Hải Hà", "Nghị quyết Đại hội XXIV" (the
                 article's own Đảng bộ), with the term written right after it
- NATIONAL_CONGRESS "Đại hội XII của Đảng", "Đại hội Đảng toàn quốc lần thứ XIII": the Party's own
- TERM_ORDINAL   "nhiệm kỳ XXIV (2015- 2020)", "BCH Đảng bộ huyện khóa XXIV": a congress by its ordinal,
                 of the locality in focus
- OF_PLACE       "Đại hội lần thứ mười sáu của tỉnh Hà Giang": ordinals in words, the place's Đảng bộ
"""
from __future__ import annotations

import re

from ..lexicon import forms, table
from ..records import Congress, Term
from ..text import fold, fold_keep_length
from .base import Context, alternation, component, lex, skip_space
from .bodies import HEAD_ROWS, HEAD_WORD, national, party_organization
from .places import parse_place_at

YEARS = re.compile(r"\(?\s*((?:19|20)\d\d)\s*[-–—]\s*((?:19|20)\d\d)\s*\)?")
TERM_WORD = lex("term_words")
TERM_KIND = {fold(f): r["kind"] for r in table("term_words") for f in forms(r["form"])}
CONGRESS_WORD = alternation(f for r in table("congress_words") if r["kind"] == "congress" for f in forms(r["form"]))
ORDINAL_WORD = alternation(f for r in table("congress_words") if r["kind"] == "ordinal" for f in forms(r["form"]))
# Numbers written in words (lexicon/congress_words.tsv, kind "digit"): "lần thứ mười sáu"
DIGIT_WORDS = {fold_keep_length(f): int(r["value"]) for r in table("congress_words") if r["kind"] == "digit" for f in forms(r["form"])}
NUMBER_WORDS = re.compile(r"(?:(?:%s)(?:\s+|(?!\w)))+" % "|".join(sorted(map(re.escape, set(DIGIT_WORDS) | {"mười", "mươi"}),
                                                                      key=len, reverse=True)))
TERM_ORDINAL_WINDOW = 200  # how far back "Ban Chấp hành khóa XIX" looks for its locality
ROMAN = re.compile(r"(?<!\w)([IVXLC]{1,7})(?!\w)")
PLAN_BEFORE = re.compile(r"(?:đề án|kế hoạch|chương trình|quy hoạch|chiến lược|dự án)[^;.:]{0,120}$")
# "Ủy viên Ban Chấp hành Trung ương Đảng khóa X", "Bộ Chính trị khóa XII": the Party's, not the article's
NATIONAL_BEFORE = re.compile(r"(?:trung ương|bộ chính trị|ban bí thư)(?:\s+đảng)?\s*$")
PARTY_BEFORE = re.compile(r"(?:đảng bộ|cấp ủy|ủy|bch|btv|ban chấp hành)[^;.,]{0,25}$")
# The Party as a whole: "Đảng", "Đảng toàn quốc", "Đảng Cộng sản Việt Nam" (not "Đảng bộ ...", "Đảng ủy ...").
NATIONAL_PARTY = re.compile(r"đảng(?:\s+toàn\s+quốc|\s+cộng\s+sản\s+việt\s+nam)?(?!\w)(?!\s+(?:bộ|ủy|viên|đoàn))")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def spelled_number(text: str) -> int | None:
    """"mười sáu" -> 16, "hai mươi mốt" -> 21, "mười lăm" -> 15; None when the words make no number."""
    total, digit = 0, None
    for word in text.split():
        if word == "mười":
            total += 10
        elif word == "mươi":
            if digit is None:
                return None
            total, digit = total + digit * 10, None
        elif word in DIGIT_WORDS:
            if digit is not None:
                return None
            digit = DIGIT_WORDS[word]
        else:
            return None
    return (total + (digit or 0)) or None


def roman(text: str) -> int | None:
    """"XXIV" -> 24; None when it is not a well-formed numeral."""
    total, prev = 0, 0
    for ch in reversed(text.upper()):
        v = ROMAN_VALUES.get(ch)
        if v is None:
            return None
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total or None


def term_at(ctx: Context, pos: int) -> tuple[int, Term | None]:
    """"(2015- 2020)" or "2015-2020" at ``pos``, a well-formed span of 1 to 10 years."""
    m = YEARS.match(ctx.text, skip_space(ctx.text, pos))
    if not m:
        return pos, None
    a, b = int(m.group(1)), int(m.group(2))
    if not 0 < b - a <= 10:
        return pos, None
    return m.end(), Term(a, b)


def _ordinal_at(ctx: Context, pos: int, digits: bool = False) -> tuple[int, int | None]:
    """An ordinal at ``pos``: "XXI", "lần thứ 21", "lần thứ hai mươi mốt"; "21" alone with ``digits``
    (after "khóa")."""
    pos = skip_space(ctx.folded, pos)
    o = ORDINAL_WORD.match(ctx.folded, pos)
    if o:
        pos = skip_space(ctx.folded, o.end())
    r = ROMAN.match(ctx.text, pos)
    if r:
        return r.end(), roman(r.group(1))
    w = NUMBER_WORDS.match(ctx.folded, pos) if o else None
    if w:  # "lần thứ mười sáu"
        value = spelled_number(w.group(0))
        if value:
            return w.end(), value
    d = re.match(r"(\d{1,2})(?!\d)", ctx.text[pos:])
    if (o or digits) and d:
        return pos + d.end(), int(d.group(1))
    return pos, None


def _organization_before(ctx: Context, pos: int):
    """TERM_ORDINAL's organisation: the Đảng bộ of the locality in focus at ``pos`` ("Ban Chấp hành
    Đảng bộ tỉnh Nam Định khóa XIX" in an article that goes from province to province)."""
    place = next(ctx.recent_places(pos, window=TERM_ORDINAL_WINDOW), None)
    return party_organization(place) if place is not None else None


def _organization_at(ctx: Context, pos: int):
    """"Đảng bộ huyện Hải Hà" (or "của Đảng bộ ...", "của tỉnh X") right at ``pos``."""
    pos = start = skip_space(ctx.folded, pos)
    if ctx.folded.startswith("của ", pos):
        pos = skip_space(ctx.folded, pos + 4)
    n = NATIONAL_PARTY.match(ctx.folded, pos)
    if n:  # NATIONAL_CONGRESS: "Đại hội XII của Đảng", "Đại hội Đảng toàn quốc lần thứ XIII"
        return n.end(), national("dang")
    if ctx.folded.startswith("của ", start):  # OF_PLACE: "Đại hội lần thứ XVI của tỉnh Hà Giang"
        end, place = parse_place_at(ctx, pos, implicit=False)
        if place is not None:
            return end, party_organization(place)
    m = HEAD_WORD.match(ctx.folded, pos)
    if not m or HEAD_ROWS[fold(m.group(0))]["key"] != "dang-bo":
        return pos, None
    end, place = parse_place_at(ctx, m.end())
    return (end, party_organization(place)) if place else (pos, None)


def _note(ctx: Context, congress: Congress) -> Congress:
    """Keep one congress per (organisation, ordinal), completing its term when a later mention has it."""
    for i, c in enumerate(ctx.facts.congresses):
        if c.organization == congress.organization and c.ordinal == congress.ordinal:
            if c.term is None and congress.term is not None:
                ctx.facts.congresses[i] = congress
                return congress
            return c
    ctx.facts.congresses.append(congress)
    return congress


@component("terms")
def terms(ctx: Context) -> None:
    home_org = party_organization(ctx.home) if ctx.home else None
    # TERM, PERIOD, TERM_ORDINAL
    for m in TERM_WORD.finditer(ctx.folded):
        kind = TERM_KIND[fold(m.group(0))]
        pos, ordinal = _ordinal_at(ctx, m.end(), digits="khóa" in m.group(0))
        end, term = term_at(ctx, pos)
        if term is None:
            # "Đại hội Đảng bộ tỉnh X đã bầu Ban Chấp hành khóa 13": the congress the sentence names;
            # without one, only the article's own Đảng bộ ("BCH Đảng bộ huyện khóa XXIV")
            sent = ctx.article.sentence_at(m.start())
            named = sent is not None and CONGRESS_WORD.search(ctx.folded, sent.start, m.start())
            org = (_organization_before(ctx, m.start()) if named else None) or home_org
            if not named and not ROMAN.match(ctx.text, skip_space(ctx.text, m.end())):
                ordinal = None  # "khóa 19" alone: a committee's term, no congress named
            if ordinal and kind == "term" and org and "khóa" in m.group(0) \
                    and PARTY_BEFORE.search(ctx.folded, max(0, m.start() - 40), m.start()) \
                    and not NATIONAL_BEFORE.search(ctx.folded, max(0, m.start() - 40), m.start()):
                ctx.congress_mentions.append((m.start(), _note(ctx, Congress(org, ordinal))))
            continue
        if kind == "period":
            span, start = term.end - term.start, term.start % 5
            if span != 5 or start not in (0, 1) or PLAN_BEFORE.search(ctx.folded, max(0, m.start() - 120), m.start()):
                continue
        ctx.claim(m.start(), end)
        ctx.facts.add("terms", term)
        if ordinal and home_org:
            ctx.congress_mentions.append((m.start(), _note(ctx, Congress(home_org, ordinal, term))))
    # CONGRESS
    for m in CONGRESS_WORD.finditer(ctx.folded):
        pos, ordinal = _ordinal_at(ctx, m.end())  # "Đại hội XXI Đảng bộ ..."
        pos, org = _organization_at(ctx, pos)
        if ordinal is None:
            pos, ordinal = _ordinal_at(ctx, pos)
            if org is None:  # "Đại hội đại biểu lần thứ XXV của Đảng bộ huyện Đầm Hà"
                pos, org = _organization_at(ctx, pos)
        if org is None and ordinal is not None:
            org = home_org
        if org is None:  # "Nghị quyết Đại hội đề ra ...": the article's own Đảng bộ
            if ordinal is None:
                ctx.congress_mentions.append((m.start(), home_org))
            continue
        ctx.facts.add("bodies", org)
        if ordinal is None:
            ctx.congress_mentions.append((m.start(), org))
            continue
        glue = re.match(r"\s*[,(]?\s*(?:\(?\s*nhiệm kỳ)?", ctx.folded[pos:])
        end, term = term_at(ctx, pos + glue.end()) if glue and "nhiệm kỳ" in glue.group(0) else (pos, None)
        if term is not None:
            ctx.facts.add("terms", term)
        ctx.claim(m.start(), max(pos, end))
        ctx.congress_mentions.append((m.start(), _note(ctx, Congress(org, ordinal, term))))
