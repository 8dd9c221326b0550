"""Officials and the posts they hold.

Patterns (role words from ``lexicon/roles.tsv``, links from ``post_links.tsv``, honorifics and
family names from ``honorifics.tsv`` and ``surnames.tsv``):

- NAME_ROLES     "đồng chí Nguyễn Mạnh Cường, Bí thư Huyện ủy Hải Hà";
                 "Nguyễn Thị Thu Hà – Tỉnh ủy viên, Bí thư Huyện ủy" (several posts, implicit locality)
- ROLES_NAME     "Bí thư Thành ủy Móng Cái Hoàng Bá Nam"; "Bí thư Thành ủy Móng Cái, Hoàng Bá Nam (thứ 4...)"
- APPOINTMENT    "bổ nhiệm đồng chí Nguyễn Mạnh Hùng giữ chức vụ Bí thư Đảng ủy xã Quảng Sơn";
                 "bà X được bầu giữ chức Bí thư Huyện ủy"
- COMRADE        "Đồng chí Ngô Tiến Dũng (thứ hai từ trái sang) thăm ..." — a named comrade is an official

A role implies its body where the lexicon says so ("Tỉnh ủy viên" = Ủy viên of the province's
Tỉnh ủy; "Bí thư Trung ương Đảng" = Ủy viên of Ban Bí thư). An official is identified by name
within the article's province.
"""
from __future__ import annotations

import re

from ..lexicon import forms, table, words
from ..records import BodyRef, Official, PostHolding, Term
from ..text import fold
from .base import Context, NAME_RUN, alternation, component, lex, skip_space
from .bodies import COMMITTEE_WORD, HEAD_WORD, NATIONAL_WORD, body_at, national, note_body, party_committee

ROLE_WORD = lex("roles")
ROLE_ROWS = {fold(f): r for r in table("roles") for f in forms(r["form"])}
COMMITTEE_BY_KEY = {r["key"]: r for r in table("committees")}
HONORIFIC = lex("honorifics")
PARTY_HONORIFICS = {fold(f) for r in table("honorifics") if r["party"] == "yes" for f in forms(r["form"])}
SURNAMES = {fold(s) for s in words("surnames")}
LINK = alternation(f for r in table("post_links") if r["kind"] == "link" for f in forms(r["form"]))
ADVERB = alternation(f for r in table("post_links") if r["kind"] == "adverb" for f in forms(r["form"]))
SEPARATOR = re.compile(r"\s*(?:,|–|—|-|:)\s*|\s+")
ROLE_GLUE = re.compile(r"\s*(?:,|;)?\s*(?:kiêm|và|,)\s*|\s*,\s*")
PAREN = re.compile(r"\s*\([^()\n]{0,60}\)")
ROLE_LOOKBACK = 160
FOLLOW_WINDOW = 60
POST_TERM = re.compile(r"\s*,?\s*\(?\s*nhiệm kỳ\s+((?:19|20)\d\d)\s*[-–]\s*((?:19|20)\d\d)")
ELECTED = re.compile(r"(?<!\w)(?:bầu|đắc cử|trúng cử)(?!\w)")
CLAUSE_END = re.compile(r"[;.!?\n]")


def role_at(ctx: Context, pos: int) -> tuple[int, tuple[str, BodyRef] | None]:
    """One role and its body at ``pos``: "Bí thư Huyện ủy Hải Hà", "Tỉnh ủy viên"."""
    pos = skip_space(ctx.folded, pos)
    m = ROLE_WORD.match(ctx.folded, pos)
    if not m:
        return pos, None
    row = ROLE_ROWS[fold(m.group(0))]
    how = row["body"]
    if how.startswith("fixed:"):
        return m.end(), (row["key"], national(how[len("fixed:"):]))
    if how in COMMITTEE_BY_KEY:  # "Tỉnh ủy viên": the role names its committee
        place = ctx.implicit_place(COMMITTEE_BY_KEY[how]["levels"].split("|"))
        return (m.end(), (row["key"], party_committee(place))) if place else (pos, None)
    end, body = body_at(ctx, m.end())
    if body is None:
        return pos, None
    return end, (row["key"], body)


def roles_at(ctx: Context, pos: int) -> tuple[int, list[tuple[str, BodyRef, int, int]]]:
    """A list of roles: "Ủy viên Ban Thường vụ Tỉnh ủy, Bí thư Huyện ủy X kiêm ..."."""
    found: list[tuple[str, BodyRef, int, int]] = []
    end = pos
    while True:
        start = skip_space(ctx.folded, pos)
        stop, got = role_at(ctx, start)
        if got is None:
            break
        found.append((got[0], got[1], start, stop))
        end = stop
        glue = ROLE_GLUE.match(ctx.folded, stop)
        if not glue:
            break
        pos = glue.end()
    return end, found


def person_at(ctx: Context, pos: int) -> tuple[int, str | None, bool]:
    """A person's name at ``pos``: (end, name, addressed as a comrade)."""
    pos = skip_space(ctx.folded, pos)
    comrade = False
    h = HONORIFIC.match(ctx.folded, pos)
    if h:
        comrade = fold(ctx.text[h.start():h.end()]) in PARTY_HONORIFICS
        pos = skip_space(ctx.folded, h.end())
    m = NAME_RUN.match(ctx.text, pos)
    if not m:
        return pos, None, False
    names, cursor = [], pos
    for syllable in m.group(0).split():
        at = ctx.text.index(syllable, cursor)
        if names and any(p.match(ctx.folded, at) for p in (ROLE_WORD, HEAD_WORD, COMMITTEE_WORD, NATIONAL_WORD)):
            break
        if syllable.isdigit() or (len(syllable) > 1 and syllable.isupper()):
            break
        names.append(syllable)
        cursor = at + len(syllable)
        if len(names) == 4:
            break
    if len(names) < 2 or (not h and fold(names[0]) not in SURNAMES):
        return pos, None, False
    return cursor, " ".join(names), comrade


def _term_of(ctx: Context, evidence, end: int):
    """TERM_OF_POST: "giữ chức Bí thư Đảng ủy xã X nhiệm kỳ 2020-2025" (the term written after the
    post), or, for a post won by election ("được bầu", "tái đắc cử"), the term of the congress
    the article reports on."""
    m = POST_TERM.match(ctx.text, end)
    if m:
        return Term(int(m.group(1)), int(m.group(2)))
    if ELECTED.search(ctx.folded, evidence.start, end) and ctx.home is not None:
        own = [c for c in ctx.facts.congresses if c.organization.place == ctx.home and c.term]
        if own:
            return max(own, key=lambda c: c.ordinal).term
    return None


def _add_posts(ctx: Context, name: str, roles, evidence_at: int) -> None:
    official = Official(name, ctx.province)
    ctx.facts.add("officials", official)
    evidence = ctx.evidence(evidence_at)
    for role, body, start, end in roles:
        note_body(ctx, start, end, body) if body.place or body.parent else ctx.facts.add("bodies", body)
        if not any(p.official == official and p.role == role and p.body.label == body.label
                   for p in ctx.facts.posts):  # one reading per (official, role, body): the first
            ctx.facts.add("posts", PostHolding(official, role, body, evidence, _term_of(ctx, evidence, end)))


def _follow_on(ctx: Context, pos: int) -> list:
    """FOLLOW_ON: a post taken after the posts held, in the same clause:
    "X, Phó Chủ nhiệm Ủy ban Kiểm tra, giữ chức Chủ nhiệm ...", "X - Chủ tịch UBND huyện tiếp tục
    được bầu làm Phó Bí thư Huyện ủy"."""
    stop = CLAUSE_END.search(ctx.folded, pos)
    limit = min(pos + FOLLOW_WINDOW, stop.start() if stop else len(ctx.folded))
    for m in LINK.finditer(ctx.folded, pos, limit):
        _, more = roles_at(ctx, m.end())
        if more:
            return more
    return []


def _linked(ctx: Context, pos: int) -> list:
    """Roles after a verbal link separated from the name only by adverbs and body names."""
    stop = CLAUSE_END.search(ctx.folded, pos)
    limit = min(pos + FOLLOW_WINDOW, stop.start() if stop else len(ctx.folded))
    cursor = skip_space(ctx.folded, pos)
    while cursor < limit:
        link = LINK.match(ctx.folded, cursor)
        if link:
            _, roles = roles_at(ctx, link.end())
            if roles:
                return roles
        adverb = ADVERB.match(ctx.folded, cursor)
        if adverb:
            cursor = skip_space(ctx.folded, adverb.end())
            continue
        end, body = body_at(ctx, cursor)
        if body is None or end <= cursor:
            return []
        cursor = skip_space(ctx.folded, end)
    return []


def _people(ctx: Context):
    """Every person's name: at the start of a capitalised run, or inside one at a family name
    ("... huyện Tiên Yên Lê Thị Hoa"); never inside a place's or body's name ("Thị ủy Từ Sơn")."""
    names = [(a, b) for a, (b, _) in ctx.bodies_at.items()] + [(a, b) for a, (b, _) in ctx.places_at.items()]
    names += ctx.zone_spans
    index = ctx.gazetteer.name_index()
    for m in NAME_RUN.finditer(ctx.text):
        pos, limit = m.start(), m.end()
        first = True
        while pos < limit:
            start = pos
            if first:  # an honorific right before the run belongs to the name
                lead = ctx.folded.rfind(" ", 0, max(pos - 1, 0)) + 1
                h = HONORIFIC.match(ctx.folded, lead)
                if h and h.end() <= pos and ctx.folded[h.end():pos].strip() == "":
                    start = lead
            syllable_end = ctx.text.find(" ", pos, limit)
            syllable_end = limit if syllable_end < 0 else syllable_end
            inside = any(a <= pos < b for a, b in names)
            if not inside and (first or fold(ctx.text[pos:syllable_end]) in SURNAMES):
                end, name, comrade = person_at(ctx, start)
                if name is not None and (comrade or start != pos or fold(name) not in index):
                    yield start, end, name, comrade
                    pos = end
                    first = False
                    continue
            first = False
            pos = skip_space(ctx.text, syllable_end)


@component("officials")
def officials(ctx: Context) -> None:
    role_starts = [m.start() for m in ROLE_WORD.finditer(ctx.folded)]
    for start, end, name, comrade in _people(ctx):
        # NAME_ROLES / APPOINTMENT: separator or verbal link, then roles
        after = PAREN.match(ctx.text, end)
        cursor = after.end() if after else end
        link = SEPARATOR.match(ctx.folded, cursor)
        posts = []
        if link:
            verb = LINK.match(ctx.folded, link.end())
            stop, posts = roles_at(ctx, verb.end() if verb else link.end())
            if posts:
                posts += _follow_on(ctx, stop)
        # LINKED: "X vừa được HĐND huyện bầu giữ chức Phó Chủ tịch UBND huyện"
        if not posts:
            posts = _linked(ctx, cursor)
        # ROLES_NAME: a role list ending right before the name
        if not posts:
            for r in [r for r in role_starts if start - ROLE_LOOKBACK <= r < start]:
                stop, before = roles_at(ctx, r)
                gap = ctx.text[stop:start]
                if before and re.fullmatch(r"\s*,?\s*", gap):
                    posts = before
                    break
        if posts:
            _add_posts(ctx, name, posts, start)
        elif comrade:
            ctx.facts.add("officials", Official(name, ctx.province))
