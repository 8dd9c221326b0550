"""Stage one of reading posts: the mentions of a clause, in order.

A sentence becomes a list of :class:`Mention` s, each with a kind:

=========  ===========================================================================
PERSON     a person's name, with or without an honorific: "ông Trần Văn Nam", "Lê Thị Hoa";
           "ông Nam" when the article named "Trần Văn Nam" before
POST       a role and its body: "Bí thư Huyện ủy Hải Hà", "phó chủ tịch UBND tỉnh",
           "Tỉnh ủy viên", "Chủ tịch tỉnh Gia Lai", "Bí thư Bắc Ninh", a bare "Phó Bí thư"
TERM       a term or committee session after a post: "khóa XVI", "nhiệm kỳ 2015-2020"
cue kinds  FORMER, NEW, START, END, REPLACE, BLOCK, TARGET, LINK, ADVERB, CONJ, EACH (``lexicon/post_cues.tsv``)
SEP        "," ";" ":" "–"      OPEN, CLOSE  "(" ")"
WORD       any other word
=========  ===========================================================================

Stage two (:mod:`loaders.extract.officials`) attaches posts to people by named constructions
over this sequence. Keyword matching is on the folded text; names are read where capitals are kept.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..gazetteer import is_within
from ..lexicon import forms, table, words
from ..records import BodyRef
from ..text import fold
from .base import NAME_RUN, Context, alternation, lex, skip_space
from .bodies import (COMMITTEE_ROWS, COMMITTEE_WORD, HEAD_ROWS, HEAD_WORD, NATIONAL_WORD, PARTY_OF, ROLE_ROWS,
                     UNIT_ROWS, UNIT_WORD, body_at, committee_for, department_named_before, national,
                     national_after_role, state_body_for, unit_at, unit_title)
from .places import ROLE_WORD, parse_place_at

COMMITTEE_BY_KEY = {r["key"]: r for r in table("committees")}
HONORIFIC = lex("honorifics")
PARTY_HONORIFICS = {fold(f) for r in table("honorifics") if r["party"] == "yes" for f in forms(r["form"])}
SURNAMES = {fold(s) for s in words("surnames")}
CUE_ROWS = {fold(f): r["kind"].upper() for r in table("post_cues") for f in forms(r["form"])}
CUE_WORD = alternation(f for r in table("post_cues") for f in forms(r["form"]))
# "khóa XVI", "khoá 16", "khóa X, XI, XII", "nhiệm kỳ 2015-2020", "(2015 - 2020)": a term written after a post
TERM = re.compile(r"(?:khóa|khoá)\s+(?:[ivxlc]+|\d{1,2})(?!\w)(?:\s*,\s*(?:[ivxlc]+|\d{1,2})(?!\w))*|nhiệm kỳ\s+(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d"
                  r"|nhiệm kỳ mới|(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d")
ANCESTOR_GLUE = re.compile(r"[ \t]*[,(][ \t]*")
CLOSE_PAREN = re.compile(r"[ \t]*\)")
PUNCT = {",": "SEP", ";": "SEP", ":": "SEP", "–": "SEP", "—": "SEP", "(": "OPEN", ")": "CLOSE", "+": "SEP"}
WORD = re.compile(r"[^\s,;:()–—]+")
# Province-level units may be named bare after a role: "Bí thư Bắc Ninh", "Chủ tịch Hà Nội".
PROVINCE_LEVELS = frozenset({"Province", "Municipality"})
MAX_NAME_SYLLABLES = 4
LEAD_WORDS = 8  # words of an adverbial before a pronoun that still opens its sentence
MINISTERS = {"minister", "deputy-minister"}  # "Bộ trưởng Giao thông Vận tải": the ministry without "Bộ"
LAST = ""  # key of ``known`` holding the full name named last
# Bodies one joins as a member ("tham gia Ban Chấp hành, Ban Thường vụ"): executive and standing
# committees, inspection commissions.
MEMBER_KINDS = {"PartyCommittee", "StandingCommittee", "PartyDepartment"}
MEMBER_HEADS = {"ban-chap-hanh", "ban-thuong-vu", "uy-ban-kiem-tra"}
VILLAGE_WORD = lex("villages")
CUE_TAIL = re.compile(rf"(?:{CUE_WORD.pattern})\s+$")
MEMBER_GLUE = re.compile(r"\s*(?:,|và)\s*")


@dataclass(frozen=True)
class Mention:
    kind: str
    start: int
    end: int
    value: object = None  # PERSON: (name, comrade); POST: (role, body | None); TERM: text


# -- posts ---------------------------------------------------------------------------
def post_at(ctx: Context, pos: int) -> tuple[int, tuple[str, BodyRef | None] | None]:
    """A role and its body at ``pos``.

    - ROLE_BODY     "Bí thư Huyện ủy Hải Hà", "Phó Chủ tịch UBND tỉnh"
    - ROLE_IMPLIES  "Tỉnh ủy viên" (member of the province's Tỉnh ủy), "Bí thư Trung ương Đảng"
    - ROLE_THAT     "giám đốc sở" (the department named last before it)
    - ROLE_PLACE    "Bí thư phường 8" (the ward's Đảng ủy), "Chủ tịch tỉnh Gia Lai" (its UBND),
                    "Bí thư Bắc Ninh" (a province named bare)
    - ROLE_ALONE    "Phó Bí thư", "Chủ tịch HĐND": the body is left to the context (``None``)
    """
    m = ROLE_WORD.match(ctx.folded, pos)
    if not m:
        return pos, None
    row = ROLE_ROWS[fold(m.group(0))]
    how, after = row["body"], m.end()
    if how.startswith("fixed:"):
        return after, (row["key"], national(how[len("fixed:"):]))
    if how in COMMITTEE_BY_KEY:
        place = ctx.implicit_place(COMMITTEE_BY_KEY[how]["levels"].split("|"), at=pos)
        return (after, (row["key"], committee_for(place))) if place else (pos, None)
    if how == "follows-last":  # "Trưởng đoàn ĐBQH tỉnh", "Trưởng phòng Nội vụ": the last word heads the body
        end, body = _titled_body(ctx, after - len(m.group(0).split()[-1]))
        if body is not None:
            return end, (row["key"], body)
    if how == "included" and _suffix(ctx, pos):  # "Kế toán trưởng Ban Quản lý ...": no title we read
        return after, (row["key"], None, "unread")
    end, body = _titled_body(ctx, after)
    if body is not None and how == "included":  # "Trưởng Phòng Nội vụ" is the Trưởng phòng
        return _past_ancestor(ctx, end, body), (unit_title(row["key"], ctx, after), body)
    if body is None:  # "Ủy viên Trung ương Đảng": a national body that only follows a role
        end, body = national_after_role(ctx, after, minister=row["key"] in MINISTERS)
    if body is None:  # "giám đốc sở": the department named last
        end, body = department_named_before(ctx, after)
    if body is not None:
        return _past_ancestor(ctx, end, body), (row["key"], body)
    if row["bare"]:
        end, place = parse_place_at(ctx, after, bare_levels=PROVINCE_LEVELS, implicit=False)
        if place is None:  # "Phó Chủ tịch tỉnh": the level word alone
            end, place = parse_place_at(ctx, after, implicit=True)
        if place is not None:
            body = committee_for(place) if row["bare"] == "committee" else state_body_for(row["bare"], place)
            if body is not None:
                return end, (row["key"], body)
    # BODY_OF_NEXT: "Bí thư Đảng ủy, Giám đốc Sở Xây dựng", "Bí thư chi bộ, Phó Giám đốc Chi nhánh ...":
    # the Đảng ủy (chi bộ) of the body of the next title
    c = COMMITTEE_WORD.match(ctx.folded, skip_space(ctx.folded, after))
    if c and COMMITTEE_ROWS[fold(c.group(0))]["key"] == "dang-uy":
        return c.end(), (row["key"], None, "dang-uy")
    c = UNIT_WORD.match(ctx.folded, skip_space(ctx.folded, after))
    party = UNIT_ROWS[fold(c.group(0))]["key"] if c else None
    if party in PARTY_OF and not ctx.text[skip_space(ctx.text, c.end()):][:1].isalnum():  # nothing named after it
        return c.end(), (row["key"], None, party)
    # ROLE_ALONE: the body comes from the next title ("Phó Giám đốc, Giám đốc Sở Tài chính") or the context
    if how != "included" and _stands_alone(ctx, after):  # "Chánh" alone is no title ("Chánh Hưng")
        return after, (row["key"], None)
    # UNREAD: a role before a body we cannot read ("Bí thư Thị ủy" with no town in view) or do not
    # model ("trưởng thôn") keeps its place in a title list, and is no post
    w = next((m for m in (p.match(ctx.folded, skip_space(ctx.folded, after))
                           for p in (COMMITTEE_WORD, HEAD_WORD, UNIT_WORD, VILLAGE_WORD)) if m), None)
    return (w.end(), (row["key"], None, "unread")) if w else (pos, None)


def _suffix(ctx: Context, pos: int) -> bool:
    """SUFFIX: "trưởng" in lower case right after a word ends another title ("Kế toán trưởng", "Tổ
    trưởng"); after a link ("làm trưởng Ban") it is the title itself."""
    if not ctx.text[pos].islower():
        return False
    before = ctx.folded[max(0, pos - 40):pos]
    return bool(re.search(r"\w\s+$", before)) and not CUE_TAIL.search(before)


def _titled_body(ctx: Context, at: int) -> tuple[int, BodyRef | None]:
    """The body after a title: any body, or a unit whose head a title may write in lower case."""
    end, body = body_at(ctx, at)
    return (end, body) if body is not None else unit_at(ctx, at, titled=True)


def _past_ancestor(ctx: Context, end: int, body: BodyRef) -> int:
    """IN_PROVINCE: "Bí thư Huyện ủy Tiên Yên, tỉnh Quảng Ninh Nguyễn Văn An": the unit that contains
    the body's place, written after it, belongs to the title."""
    g = ANCESTOR_GLUE.match(ctx.text, end)
    if body.place is None or g is None:
        return end
    stop, place = parse_place_at(ctx, g.end(), bare_levels=PROVINCE_LEVELS, implicit=False)
    if place is None or place == body.place or not is_within(body.place, place):
        return end
    if g.group(0).strip() == "(":
        close = CLOSE_PAREN.match(ctx.text, stop)
        return close.end() if close else end
    return stop


def _stands_alone(ctx: Context, pos: int) -> bool:
    """ROLE_ALONE only when the role is not followed by a body we cannot read ("Bí thư chi bộ"):
    what follows is punctuation, the end, a name, a term or a cue word."""
    pos = skip_space(ctx.folded, pos)
    if COMMITTEE_WORD.match(ctx.folded, pos) or HEAD_WORD.match(ctx.folded, pos) or UNIT_WORD.match(ctx.folded, pos):
        return False  # a body we could not read ("Bí thư Đảng ủy Khối ...", "Bí thư Chi bộ Z")
    if pos >= len(ctx.text) or not ctx.text[pos].isalpha() or ctx.text[pos].isupper():
        return True
    return bool(TERM.match(ctx.folded, pos) or CUE_WORD.match(ctx.folded, pos))


# -- people --------------------------------------------------------------------------
def person_at(ctx: Context, pos: int, known: dict[str, str], sentence_start: int = -1
              ) -> tuple[int, tuple[str, bool] | None]:
    """A person at ``pos``: HONORIFIC? NAME, where a name without honorific starts with a family
    name; "ông Nam" alone is the "... Nam" the article named before (``known``: given name -> name)."""
    comrade = False
    cursor = pos
    h = HONORIFIC.match(ctx.folded, pos)
    if h:
        comrade = fold(ctx.text[h.start():h.end()]) in PARTY_HONORIFICS
        cursor = skip_space(ctx.folded, h.end())
    m = NAME_RUN.match(ctx.text, cursor)
    if not m:  # PRONOUN: "Ông sinh năm 1961, từng giữ ..." opening a sentence: the person named last
        # ("Bà" the woman named last, "Ông" the man, when the article said so)
        opens = h and _opens(ctx.text, sentence_start, pos)
        last = known.get(LAST + pronoun_key(ctx, pos)) or known.get(LAST) if opens else None
        return (h.end(), (last, comrade)) if last else (pos, None)
    names, at = [], cursor
    for syllable in m.group(0).split():
        at = ctx.text.index(syllable, at)
        if names and any(p.match(ctx.folded, at) for p in (ROLE_WORD, HEAD_WORD, COMMITTEE_WORD, NATIONAL_WORD)):
            break
        if syllable.isdigit() or (len(syllable) > 1 and syllable.isupper()):
            break
        names.append((syllable, at + len(syllable)))
        at += len(syllable)
        if len(names) == MAX_NAME_SYLLABLES:
            break
    if not names:
        return pos, None
    if len(names) == 1:  # SHORT_NAME: "ông Cường" after "Nguyễn Phú Cường"
        full = known.get(fold(names[0][0])) if h else None
        return (names[0][1], (full, comrade)) if full else (pos, None)
    if not h and fold(names[0][0]) not in SURNAMES:
        return pos, None
    name = " ".join(s for s, _ in names)
    if not h and fold(name) in ctx.gazetteer.name_index():  # "Hoàng Su Phì", "Thái Bình": places
        return pos, None
    return names[-1][1], (name, comrade)


def pronoun_key(ctx: Context, pos: int) -> str:
    """The honorific at ``pos`` as a key of ``known`` ("ông", "bà"; "" for none)."""
    h = HONORIFIC.match(ctx.folded, pos)
    return ctx.folded[pos:h.end()].lower() if h else ""


def _opens(text: str, sentence_start: int, pos: int) -> bool:
    """A pronoun is the sentence's subject when it opens the sentence, or follows only a short
    adverbial set off by a comma ("Từ năm 1997, ông là ...", "Sau đó, ông giữ chức ...")."""
    if sentence_start < 0:
        return False
    lead = text[sentence_start:pos].strip()
    if not lead:
        return True
    return lead.endswith(",") and "," not in lead[:-1] and len(lead.split()) <= LEAD_WORDS


# -- the sequence --------------------------------------------------------------------
def _blocked_spans(ctx: Context) -> list[tuple[int, int]]:
    """Spans where no person is read: places, zones (a name inside them is no person)."""
    spans = [(a, b) for a, (b, _) in ctx.places_at.items()]
    return spans + list(ctx.zone_spans)


def clause_mentions(ctx: Context, start: int, end: int, known: dict[str, str]) -> list[Mention]:
    """The mentions of ``text[start:end]``, in order."""
    out: list[Mention] = []
    blocked = {i for a, b in _blocked_spans(ctx) if a < end and start < b for i in range(max(a, start), min(b, end))}
    text, folded = ctx.text, ctx.folded
    # where each kind of mention may start (one regex pass each, instead of a try at every word)
    roles = {m.start() for m in ROLE_WORD.finditer(folded, start, end)}
    cues = {m.start() for m in CUE_WORD.finditer(folded, start, end)}
    terms = {m.start() for m in TERM.finditer(folded, start, end)}
    pos = start
    while True:
        pos = skip_space(text, pos)
        while pos < end and text[pos] in "\n\r":
            pos = skip_space(text, pos + 1)
        if pos >= end:
            break
        ch = text[pos]
        if ch in PUNCT:
            out.append(Mention(PUNCT[ch], pos, pos + 1, ch))
            pos += 1
            continue
        if ch == "-" and pos + 1 < end and text[pos + 1] in " \u00a0" and pos > 0 and text[pos - 1] in " \u00a0":
            out.append(Mention("SEP", pos, pos + 1, ch))
            pos += 1
            continue
        stop, post = post_at(ctx, pos) if pos in roles else (pos, None)
        if post is not None:
            out.append(Mention("POST", pos, stop, post))
            pos = stop
            continue
        if pos not in blocked and (ch.isupper() or HONORIFIC.match(folded, pos)):
            stop, person = person_at(ctx, pos, known, start)
            if person is not None:
                out.append(Mention("PERSON", pos, stop, person))
                pos = stop
                continue
        t = TERM.match(folded, pos) if pos in terms else None
        if t:
            out.append(Mention("TERM", pos, t.end(), text[pos:t.end()]))
            pos = t.end()
            continue
        c = CUE_WORD.match(folded, pos) if pos in cues else None
        if c:
            kind = CUE_ROWS[fold(c.group(0))]
            joined = _memberships(ctx, c.end(), end) if kind == "JOIN" else []
            if kind == "JOIN" and joined:
                out.append(Mention(kind, pos, c.end(), c.group(0)))
                out.extend(joined)
                pos = joined[-1].end
                continue
            if kind not in ("NONE", "JOIN"):
                out.append(Mention(kind, pos, c.end(), c.group(0)))
                pos = c.end()
                continue
        w = WORD.match(text, pos)
        stop = w.end() if w else pos + 1
        word = text[pos:stop]
        if word.endswith(".") and len(word) > 1 and not word[:-1].isupper():
            stop -= 1  # a full stop glued to a word
        out.append(Mention("WORD", pos, max(stop, pos + 1), word))
        pos = max(stop, pos + 1)
    return out


def _memberships(ctx: Context, pos: int, end: int) -> list[Mention]:
    """MEMBERSHIP: the bodies after "tham gia" / "được bầu vào", each a post "Ủy viên": "tham gia Ban
    Chấp hành Đảng bộ tỉnh", "tham gia Ban Chấp hành, Ban Thường vụ và giữ chức Phó Bí thư Thị ủy X"
    (written alone, a body waits for the committee named next: value (role, None, head key))."""
    out: list[Mention] = []
    while pos < end:
        pos = skip_space(ctx.folded, pos)
        stop, body = body_at(ctx, pos)
        if body is not None and body.kind in MEMBER_KINDS:
            out.append(Mention("POST", pos, stop, ("member", body)))
        else:
            h = HEAD_WORD.match(ctx.folded, pos)
            key = HEAD_ROWS[fold(h.group(0))]["key"] if h else None
            if key not in MEMBER_HEADS:
                break
            stop = h.end()
            out.append(Mention("POST", pos, stop, ("member", None, key)))
        g = MEMBER_GLUE.match(ctx.folded, stop)
        if not g or not (HEAD_WORD.match(ctx.folded, g.end()) or COMMITTEE_WORD.match(ctx.folded, g.end())):
            break
        word = ctx.folded[stop:g.end()].strip()
        out.append(Mention("SEP" if word == "," else "CONJ", stop + ctx.folded[stop:g.end()].index(word),
                           g.end(), word))
        pos = g.end()
    return out


def known_names(ctx: Context) -> list[tuple[int, str]]:
    """Full names (two syllables or more, with an honorific or a family name) in text order."""
    found = []
    for m in NAME_RUN.finditer(ctx.text):
        lead = ctx.folded.rfind(" ", 0, max(m.start() - 1, 0)) + 1
        h = HONORIFIC.match(ctx.folded, lead)
        start = lead if h and h.end() <= m.start() and not ctx.folded[h.end():m.start()].strip() else m.start()
        stop, person = person_at(ctx, start, {})
        if person is not None and " " in person[0]:
            found.append((start, person[0]))
    return found
