"""Bodies: Party organisations and committees, their standing committees and departments,
People's Committees and Councils, and national bodies, with canonical labels.

Patterns (words from ``lexicon/committees.tsv``, ``body_heads.tsv``, ``national_bodies.tsv``):

- COMMITTEE       "Huyện ủy Hải Hà", "Thành ủy Móng Cái", "Đảng ủy xã Quảng Sơn", "Tỉnh ủy" (implicit locality)
- ORG_OF_PLACE    "Đảng bộ huyện Hải Hà", "UBND tỉnh", "HĐND huyện Hiệp Hòa"
- ELLIPSIS        a head whose locality comes later in the clause: "Đảng bộ, chính quyền và nhân dân
                  huyện Hải Hà", "thường trực HĐND, lãnh đạo UBND tỉnh"
- EXECUTIVE       "BCH Đảng bộ TP Móng Cái" is the Thành ủy (its label kept as an altLabel)
- UNIT_OF         "Ban Thường vụ Huyện ủy Hải Hà", "Ủy ban Kiểm tra Tỉnh ủy", "Ban Tổ chức Trung ương"
- NATIONAL        "Bộ Chính trị", "Chính phủ", "Quốc hội" (also via "ĐBQH"), "Bộ Nội vụ"
- UNIT            a unit below or beside those (``unit_heads.tsv``): a head word, its name up to where it
                  ends, then the place or body it belongs to: "Phòng Nội vụ huyện Cẩm Xuyên", "Phòng Quản lý
                  đô thị UBND thành phố Đà Nẵng", "Cục X, Tổng cục Y, Bộ Công an", "Chi bộ thôn Đông 2"
- PARTY_OF_UNIT   the Party organisation or committee of a unit or state body: "Đảng ủy Khối ... thành phố
                  Đà Nẵng", "Đảng bộ Sở Xây dựng tỉnh X", "Chi bộ Chi nhánh Văn phòng Đăng ký đất đai ..."
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ..gazetteer import DISTRICT_LEVELS
from ..lexicon import forms, table, words
from ..records import BodyRef, PlaceRef
from ..text import fold, nfc, slug
from .base import NAME_RUN, RECENT_WINDOW, Context, alternation, component, lex, skip_space
from .places import LEVEL_WORD, ROLE_WORD, SURNAMES, parse_place_at

COMMITTEE_WORD = lex("committees")
HEAD_WORD = lex("body_heads")
NATIONAL_ROWS = {fold(f): r for r in table("national_bodies") for f in forms(r["form"])}
NATIONAL_WORD = alternation(f for r in table("national_bodies") for f in forms(r["form"]))
HEAD_ROWS = {fold(f): r for r in table("body_heads") for f in forms(r["form"])}
COMMITTEE_ROWS = {fold(f): r for r in table("committees") for f in forms(r["form"])}
HEAD_BY_KEY = {r["key"]: r for r in table("body_heads")}
ROLE_TAIL = re.compile(rf"(?:{ROLE_WORD.pattern})\s+$")  # a title right before
ROLE_ROWS = {fold(f): r for r in table("roles") for f in forms(r["form"])}  # a role's written form -> its row
POST_ONLY = {r["key"] for r in table("body_heads") if r["mention"] == "no"}
COMMITTEE_BY_LEVEL = {lvl: r for r in table("committees") for lvl in r["levels"].split("|")}
# A province's departments ("Sở") carry the names of the ministries ("Bộ") they answer to.
DEPARTMENTS = {fold("Sở " + f[len("Bộ "):]): "Sở " + r["label"][len("Bộ "):]
               for r in table("national_bodies") if r["parent"] == "chinh-phu"
               for f in forms(r["form"]) if f.startswith("Bộ ")}
DEPARTMENTS.update({fold(f): r["label"] for r in table("departments") for f in forms(r["form"])})
DEPARTMENT_WORD = alternation(["Sở " + f[len("Bộ "):] for r in table("national_bodies") if r["parent"] == "chinh-phu"
                               for f in forms(r["form"]) if f.startswith("Bộ ")]
                              + [f for r in table("departments") for f in forms(r["form"])])
MINISTRY_KEY = {fold(f[len("Bộ "):]): r["key"] for r in table("national_bodies") if r["parent"] == "chinh-phu"
                for f in forms(r["form"]) if f.startswith("Bộ ")}
MINISTRY_NAME = alternation(f[len("Bộ "):] for r in table("national_bodies") if r["parent"] == "chinh-phu"
                            for f in forms(r["form"]) if f.startswith("Bộ "))
CLAUSE_END = re.compile(r"[;.!?\n:]")
ELLIPSIS_WINDOW = 70
PROVINCE_LEVELS = frozenset({"Province", "Municipality"})
UNIT_KINDS = {"StandingCommittee", "StandingOffice", "PartyDepartment"}  # units of a Party committee
STATE_BODY_WINDOW = 200  # how far back "UBND" alone looks for the locality of a body named before it
THAT_DEPARTMENT = re.compile(r"(?:sở|Sở(?=\s*[.,;)]|\s+này))(?!\w)(?!\s+[A-ZĐ])")  # no name after it
UNIT_ROWS = {fold(f): r for r in table("unit_heads") for f in forms(r["form"])}
UNIT_WORD = lex("unit_heads")
UNIT_BY_KEY = {r["key"]: r for r in table("unit_heads")}
_TITLED = [(t, r["key"]) for r in table("unit_heads") for t in forms(r["titles"])]
# a title only the head (or deputy) of one kind of unit holds -> that kind's key ("team-leader" -> "doi")
# (not "Trưởng ban", which heads a Party committee's boards too: the roles written into a body's name)
_INCLUDED = {r["key"] for r in table("roles") if r["body"] == "included"}
UNIT_OF_TITLE = {t: k for t, k in _TITLED if sum(t == u for u, _ in _TITLED) == 1 and t not in _INCLUDED}
NAME_ENDS = alternation(f for r in table("unit_name_ends") if r["kind"] == "word" for f in forms(r["form"]))
PREDICATE = alternation(f for r in table("unit_name_ends") if r["kind"] == "verb" for f in forms(r["form"]))
HONORIFIC = lex("honorifics")
CUE_WORD = lex("post_cues")
# cues of several words that say what happens to a post ("được bổ nhiệm", "từng giữ"): no unit's name
# holds them; one-word cues may ("Phòng Tài nguyên", "Phòng Quy hoạch")
CUE_STOP = alternation(f for r in table("post_cues") if r["kind"] not in ("conj", "adverb", "none", "block")
                       for f in forms(r["form"]) if " " in f)
MIDDLE_NAMES = {fold(f) for f in words("middle_names")}
NATIONAL_NAME = {fold(f) for f in words("national_names")}
NATIONAL_NAME_END = re.compile(r"(?<!\w)(?:%s)$" % "|".join(re.escape(f).replace(r"\ ", r"\s+") for f in NATIONAL_NAME))
UNIT_NAME_WORDS = 10  # a unit's name longer than this is no name we read
UNIT_WORD_RE = re.compile(r"[^\s,;:()\"“”'‘’–—]+")
DASH = re.compile(r"[ \t\u00a0]+[-–][ \t\u00a0]+")
COMMA = re.compile(r"[ \t\u00a0]*(?:\([^()\n]{1,20}\)[ \t\u00a0]*)?,[ \t\u00a0]*")  # "Cục B41 (...), Tổng cục"
AND = fold("và")
OF = re.compile(r"[ \t\u00a0]+của[ \t\u00a0]+")
OPEN_PAREN = re.compile(r"[ \t\u00a0]*\([ \t\u00a0]*")
CLOSE_PAREN = re.compile(r"[ \t\u00a0]*\)")
# Party words that name the Party body of the unit or state body after them (PARTY_OF_UNIT)
PARTY_OF = {"dang-uy": ("PartyCommittee", "Đảng ủy"), "dang-bo": ("PartyOrganization", "Đảng bộ"),
            "chi-bo": ("PartyOrganization", "Chi bộ"), "dang-bo-bo-phan": ("PartyOrganization", "Đảng bộ bộ phận")}
GENERIC = re.compile(r"(?:các cấp|cấp (?:tỉnh|huyện|xã|cơ sở|cao)|cơ sở)(?!\w)")  # "TAND cấp cao": no locality's


def _key(folded_surface: str, rows: dict) -> dict:
    return rows[fold(folded_surface)]


# -- canonical bodies ----------------------------------------------------------------
def party_organization(place: PlaceRef) -> BodyRef:
    return BodyRef("PartyOrganization", "dang-bo", f"Đảng bộ {place.label}", place)


def party_committee(place: PlaceRef, *written: str) -> BodyRef:
    row = COMMITTEE_BY_LEVEL[place.level]
    label = row["canonical"].format(name=place.name, label=place.label)
    if place.level == "Municipality":  # "Thành ủy TP HCM": also "Thành ủy thành phố Hồ Chí Minh"
        written = written + (f"{row['canonical'].split(' {')[0]} {place.label}",)
    alts = frozenset(nfc(w) for w in written if w and fold(w) != fold(label))
    return BodyRef("PartyCommittee", row["key"], label, place, party_organization(place), alts)


def committee_for(place: PlaceRef | None) -> BodyRef | None:
    """The Party committee of a place ("Bí thư phường 8" is the Bí thư of Đảng ủy phường 8)."""
    if place is None or place.level not in COMMITTEE_BY_LEVEL:
        return None
    return party_committee(place)


def state_body_for(key: str, place: PlaceRef | None) -> BodyRef | None:
    """A state body of a place by its head key ("ubnd": "Chủ tịch tỉnh Gia Lai" is the Chủ tịch of
    Ủy ban nhân dân tỉnh Gia Lai)."""
    row = HEAD_BY_KEY.get(key)
    return of_place(row, place) if row is not None and place is not None else None


@lru_cache(maxsize=None)
def national(key: str) -> BodyRef:
    row = next(r for r in table("national_bodies") if r["key"] == key)
    parent = national(row["parent"]) if row["parent"] else None
    if key == "trung-uong":  # "Trung ương" after a department head is the Central Committee
        return national("ban-chap-hanh-trung-uong")
    return BodyRef(row["kind"], row["key"], row["label"], None, parent)


def unit_of(row: dict, over: BodyRef) -> BodyRef:
    """A body that is a unit of another: "Ban Thường vụ" + "Huyện ủy Hải Hà", "Văn phòng" + "UBND tỉnh".

    A unit of a state body is a state office ("Văn phòng Ủy ban nhân dân tỉnh"), except a Party
    committee set inside it ("Ban cán sự đảng Ủy ban nhân dân tỉnh"), which is unit of no Party
    organisation (its superior committee appoints it)."""
    kind, parent = row["kind"], over
    if over.kind in UNIT_KINDS and kind in UNIT_KINDS:  # "Văn phòng Ban Tổ chức Trung ương": of its committee
        parent = over.parent
    if over.kind == "StateBody":
        if kind == "PartyCommittee":
            parent = None
        else:
            kind = "StateBody"
    if over.place is None:  # national: "Ban Tổ chức" + "Trung ương", "Văn phòng" + "Chính phủ"
        if over.key == "ban-chap-hanh-trung-uong":
            return BodyRef(kind, f'{row["key"]}-trung-uong', f'{row["canonical"]} Trung ương', None, parent)
        return BodyRef(kind, f'{row["key"]}-{over.key}', f'{row["canonical"]} {over.label}', None, parent)
    alts = frozenset(f'{row["canonical"]} {a}' for a in over.alt_labels if a.startswith(over.label.split()[0]))
    key = row["key"] if over.kind != "StateBody" else f'{row["key"]}-{over.key}'
    return BodyRef(kind, key, f'{row["canonical"]} {over.label}', over.place, parent, alts)


def of_place(row: dict, place: PlaceRef) -> BodyRef:
    if row["kind"] == "PartyOrganization":
        return party_organization(place)
    return BodyRef(row["kind"], row["key"], f'{row["canonical"]} {place.label}', place)


# -- reading -------------------------------------------------------------------------
def committee_at(ctx: Context, pos: int, national_ok: bool = False) -> tuple[int, BodyRef | None]:
    """COMMITTEE at ``pos``: a committee word and its locality (named, or the article's own).
    With ``national_ok``, "Trung ương" (after a department head) is the Central Committee."""
    pos = skip_space(ctx.folded, pos)
    m = COMMITTEE_WORD.match(ctx.folded, pos)
    if not m:
        if not national_ok:
            return pos, None
        national_end, body = _national_at(ctx, pos, standalone_only=False)
        if body is not None and body.kind == "PartyCommittee":
            return national_end, body
        return pos, None
    if ctx.folded.startswith(" viên", m.end()):  # "Tỉnh ủy viên" is a role, read by officials
        return pos, None
    row = _key(m.group(0), COMMITTEE_ROWS)
    levels = frozenset(row["levels"].split("|"))
    if row["key"] == "dang-uy":  # "Đảng ủy xã Quảng Sơn", "Đảng ủy xã": the level word is written
        end, place = parse_place_at(ctx, m.end())
        if place is None or place.level not in levels:
            return _committee_of_body(ctx, pos, m.end())
    else:
        end, place = parse_place_at(ctx, m.end(), bare_levels=levels, implicit=False)
        if place is None or place.level not in levels:  # ELLIPSIS, else the locality in focus
            end, place = m.end(), _ellipsis_place(ctx, m.end(), levels) or ctx.implicit_place(levels, at=pos)
    if place is None:
        return pos, None
    return end, party_committee(place, ctx.text[pos:end])


def national_after_role(ctx: Context, pos: int, minister: bool = False) -> tuple[int, BodyRef | None]:
    """"Ủy viên Trung ương Đảng", "Ủy viên Trung ương": forms that name a national body only after a role;
    "Bộ trưởng Giao thông Vận tải": a ministry named without "Bộ" after its minister's title."""
    pos = skip_space(ctx.folded, pos)
    if minister:
        m = MINISTRY_NAME.match(ctx.folded, pos)
        if m:
            return m.end(), national(MINISTRY_KEY[fold(m.group(0))])
    end, body = _national_at(ctx, pos, standalone_only=False)
    if body is not None and ctx.folded.startswith(" đảng", end):
        end += len(" đảng")
    return end, body


def _committee_of_body(ctx: Context, pos: int, after: int) -> tuple[int, BodyRef | None]:
    """BODY_COMMITTEE: the Party committee of a state body or unit: "Đảng ủy Sở Xây dựng tỉnh Thanh
    Hóa", "Đảng ủy Khối các cơ quan tỉnh X", "Đảng ủy Cục Thuế tỉnh Y"."""
    end, body = department_at(ctx, after)
    if body is None:  # a unit: also a national one ("Đảng ủy Khối các cơ quan Trung ương")
        end, body = unit_at(ctx, after, titled=True, party=True)
    if body is None:
        return pos, None
    return end, committee_of_body(body)


def committee_of_body(body: BodyRef) -> BodyRef:
    """The Party committee inside a state body ("Đảng ủy Sở Xây dựng tỉnh Thanh Hóa"): unit of no
    Party organisation (its superior committee appoints it)."""
    return party_of("dang-uy", body)


def party_of(key: str, body: BodyRef) -> BodyRef:
    """PARTY_OF_UNIT: the Party body (``key`` of ``PARTY_OF``) of a unit or a state body: "Đảng ủy Sở
    Xây dựng tỉnh X" (a committee, unit of no Party organisation: its superior committee appoints it),
    "Chi bộ Chi nhánh Văn phòng Đăng ký đất đai ...", "Đảng bộ Khối ..."; "Đảng ủy Khối X" is the
    committee of the Party organisation "Đảng bộ Khối X"."""
    kind, head = PARTY_OF[key]
    khoi = body.kind == "PartyOrganization" and body.key.startswith("khoi-")  # a Party unit read bare
    if khoi:
        org = BodyRef("PartyOrganization", f"dang-bo-{body.key}", f"Đảng bộ {body.label}", body.place,
                      None, frozenset(f"Đảng bộ {a}" for a in body.alt_labels))
        if key != "dang-uy":
            return org
        return BodyRef(kind, f"dang-uy-{body.key}", f"Đảng ủy {body.label}", body.place, org,
                       frozenset(f"Đảng ủy {a}" for a in body.alt_labels))
    return BodyRef(kind, f"{key}-{body.key}", f"{head} {body.label}", body.place, None,
                   frozenset(f"{head} {a}" for a in body.alt_labels))


def _national_at(ctx: Context, pos: int, standalone_only: bool = True) -> tuple[int, BodyRef | None]:
    m = NATIONAL_WORD.match(ctx.folded, pos)
    if not m:
        return pos, None
    row = NATIONAL_ROWS[fold(m.group(0))]
    if standalone_only and row["standalone"] != "yes":
        return pos, None
    return m.end(), national(row["key"])


def _ellipsis_place(ctx: Context, pos: int, levels=None) -> PlaceRef | None:
    """ELLIPSIS: the first locality named later in the same clause, close by (of ``levels``, or an
    ancestor of it of those levels: "Bí thư Tỉnh ủy, Chủ tịch HĐND tỉnh Hòa Bình")."""
    stop = CLAUSE_END.search(ctx.folded, pos)
    limit = min(pos + ELLIPSIS_WINDOW, stop.start() if stop else len(ctx.folded))
    for m in LEVEL_WORD.finditer(ctx.folded, pos, limit):
        _, place = parse_place_at(ctx, m.start(), implicit=False)
        while levels is not None and place is not None and place.level not in levels:
            place = place.parent
        if place is not None:
            return place
    return None


def head_at(ctx: Context, pos: int) -> tuple[int, BodyRef | None]:
    """ORG_OF_PLACE, EXECUTIVE or UNIT_OF at ``pos``."""
    pos = skip_space(ctx.folded, pos)
    m = HEAD_WORD.match(ctx.folded, pos)
    if not m:
        return pos, None
    row = _key(m.group(0), HEAD_ROWS)
    if row.get("cased") == "yes" and not ctx.text[pos].isupper() and not ROLE_TAIL.search(ctx.folded, max(0, pos - 40), pos):
        return pos, None  # "lực lượng công an": no body; "Giám đốc công an tỉnh": the title says it is one
    if row["over"] == "place":
        if GENERIC.match(ctx.folded, skip_space(ctx.folded, m.end())):  # "HĐND các cấp": no one body
            return pos, None
        end, place = parse_place_at(ctx, m.end(), bare_levels=PROVINCE_LEVELS)  # also "Đảng bộ Hà Giang"
        if place is None and row["key"] == "dang-bo":  # PARTY_OF_UNIT: "Đảng bộ Khối ...", "Đảng bộ Sở ..."
            end, unit = unit_at(ctx, m.end(), titled=True, party=True)
            if unit is None:
                end, unit = department_at(ctx, m.end())
            if unit is not None:
                return end, party_of("dang-bo", unit)
        if place is None:
            end, place = m.end(), _ellipsis_place(ctx, m.end())
            if place is None and row["kind"] == "StateBody":  # "Chủ tịch HĐND" after "Tỉnh ủy Quảng Nam"
                place = next(ctx.recent_places(pos, STATE_BODY_WINDOW), None) or ctx.home
        return (end, of_place(row, place)) if place is not None else (pos, None)
    if row["over"] == "organization":  # "BCH Đảng bộ huyện X" = Huyện ủy X; "BCH Trung ương"
        inner = skip_space(ctx.folded, m.end())
        sub = HEAD_WORD.match(ctx.folded, inner)
        if sub and _key(sub.group(0), HEAD_ROWS)["key"] == "dang-bo":
            end, place = parse_place_at(ctx, sub.end())
            if place is not None:
                surface = f'Ban Chấp hành Đảng bộ {place.label}'
                return end, party_committee(place, surface, ctx.text[pos:end])
        end, body = _national_at(ctx, inner, standalone_only=False)
        if body is not None and body.kind == "PartyCommittee":
            return end, body
        return pos, None
    end, over = committee_at(ctx, m.end(), national_ok=True)
    if over is None and row["over"] == "body":  # UNIT_OF_BODY: "Văn phòng UBND thành phố Đà Nẵng"
        end, over = body_at(ctx, m.end())
    if over is None:
        return pos, None
    return end, unit_of(row, over)


def department_at(ctx: Context, pos: int) -> tuple[int, BodyRef | None]:
    """DEPARTMENT: "Sở Nội vụ (tỉnh Bắc Ninh)" — a province's department mirrors a ministry."""
    pos = skip_space(ctx.folded, pos)
    m = DEPARTMENT_WORD.match(ctx.folded, pos)
    if not m or ctx.text[pos] != "S":  # "cơ sở y tế" is no department: the name is capitalised
        return pos, None
    name = DEPARTMENTS[fold(m.group(0))]
    end, place = parse_place_at(ctx, m.end(), bare_levels=PROVINCE_LEVELS)  # also "Sở Tài chính Nam Định"
    if place is None or place.level not in PROVINCE_LEVELS:  # the province in focus, else the article's
        end, place = m.end(), _ellipsis_place(ctx, m.end(), PROVINCE_LEVELS) or ctx.implicit_place(PROVINCE_LEVELS, at=pos)
    if place is None:
        return pos, None
    return end, BodyRef("StateBody", slug(name), f"{name} {place.label}", place)


def department_named_before(ctx: Context, pos: int) -> tuple[int, BodyRef | None]:
    """THAT_DEPARTMENT: "sở" named no further ("ông A, giám đốc sở, cho biết", "Phó Giám đốc Sở này") is
    the department named last before it (or the department of the unit named last), close by."""
    pos = skip_space(ctx.folded, pos)
    m = THAT_DEPARTMENT.match(ctx.text, pos)
    if not m:
        return pos, None
    for start in sorted((s for s in ctx.bodies_at if pos - RECENT_WINDOW <= s < pos), reverse=True):
        body = ctx.bodies_at[start][1]
        while body is not None and body.kind == "StateBody":  # a unit's department: "Phòng X (Sở Y)"
            if body.key.startswith("so-"):
                return m.end(), body
            body = body.parent
    return pos, None


def body_at(ctx: Context, pos: int) -> tuple[int, BodyRef | None]:
    """Any body starting at ``pos`` (national, headed, a department or a committee)."""
    pos = skip_space(ctx.folded, pos)
    for reader in (_national_at, head_at, department_at, committee_at, unit_at):
        end, body = reader(ctx, pos)
        if body is not None:
            return end, body
    return pos, None


# -- units ---------------------------------------------------------------------------
def unit_at(ctx: Context, pos: int, titled: bool = False, party: bool = False) -> tuple[int, BodyRef | None]:
    """UNIT at ``pos``: a head word of ``unit_heads.tsv``, its name, then what it belongs to.

    Written alone the head is capitalised ("Phòng Nội vụ", not "phòng họp"); ``titled``: a title
    (or a Party word) before it names a unit, so the head may be written in lower case ("Trưởng
    phòng Quản lý đô thị UBND thành phố", "đội trưởng đội cơ động"). ``party``: after a Party word,
    where "Khối ..." is a unit too."""
    pos = skip_space(ctx.folded, pos)
    m = UNIT_WORD.match(ctx.folded, pos)
    if not m:
        return pos, None
    row = UNIT_ROWS[fold(m.group(0))]
    if row["party"] == "yes" and not party or not titled and (not ctx.text[pos].isupper() or row["mention"] == "no"):
        return pos, None
    anchored = titled or row["mention"] == "yes"  # else its place or body must be written
    if row["kind"] != "StateBody" and row["party"] != "yes":  # "Chi bộ" + a unit or state body
        end, body = body_at(ctx, m.end())
        if body is None:
            end, body = unit_at(ctx, m.end(), titled=True)
        if body is not None and body.kind == "StateBody":
            return end, party_of(row["key"], body)
    name_end, words_read = (
        _unit_name(ctx, m.end(), row["name"] == "proper" and not titled, row["name"] == "any")
        if row["name"] != "none" else (m.end(), 0))
    if not words_read and row["name"] != "none":
        return pos, None
    name = ctx.text[skip_space(ctx.text, m.end()):name_end] if words_read else ""
    head = f'{row["canonical"]} {name}'.strip()
    end, place, parent = name_end, None, None
    at = skip_space(ctx.folded, name_end)
    if LEVEL_WORD.match(ctx.folded, at):  # "... huyện Cẩm Xuyên", "... thành phố" (the one in focus)
        end, place = parse_place_at(ctx, at)
        if place is None:  # a locality we cannot place: not the one in focus either
            return pos, None
    elif words_read:  # "Đội Thanh tra giao thông Cờ Đỏ": a district of the province named bare
        end, place = _bare_unit_place(ctx, at)
        end = end if place is not None else name_end
    if place is None:  # "... UBND thành phố Đà Nẵng", "... Sở Giao thông vận tải thành phố Cần Thơ"
        stop, parent = body_at(ctx, at) if _opens_body(ctx, at) else (at, None)
        if parent is not None and parent.kind == "StateBody":
            end = stop
        else:
            parent = None
    if place is None and parent is None and words_read:  # "Cục X, Tổng cục Y, Bộ Công an"
        end, parent = _unit_within(ctx, name_end, row)
    if place is None and parent is None and words_read:  # "Phòng Quản lý công sản (Sở Tài chính)"
        end, parent = _body_in_parentheses(ctx, name_end)
    if place is None and parent is None and words_read:  # "Phòng kinh tế của Viện KSND tỉnh"
        end, parent = _body_of(ctx, name_end)
    if place is None and parent is None and row["name"] == "none":
        return pos, None
    if place is None and parent is None and NATIONAL_NAME_END.search(fold(name)):
        return end, _unit(row, head, None, None, ctx.text[pos:end])  # "Khối các cơ quan Trung ương"
    if place is None and parent is None:
        if name.isdigit() or not anchored:  # "chi bộ 2" of what, the text does not say here
            return pos, None
        levels = row["levels"].split("|") if row["levels"] else []
        place = ctx.implicit_place(levels, at=pos) if levels else None
        if place is None and levels:  # a local unit with no locality in view
            return pos, None
    return end, _unit(row, head, place, parent, ctx.text[pos:end])


def unit_title(role: str, ctx: Context, at: int) -> str:
    """The role "Trưởng" / "Phó Trưởng" written before a unit stands for ("Trưởng Phòng Nội vụ" is the
    Trưởng phòng): the ``titles`` of the unit's head word."""
    m = UNIT_WORD.match(ctx.folded, skip_space(ctx.folded, at))
    titles = UNIT_ROWS[fold(m.group(0))]["titles"].split("|") if m else []
    if len(titles) != 2:
        return role
    return titles[1] if role.startswith("deputy") else titles[0]


def _unit(row: dict, head: str, place: PlaceRef | None, parent: BodyRef | None, written: str) -> BodyRef:
    """The unit's canonical record: label "<head> <name> <body or place>", key from its head and name
    (and its body's key), the written form and the name without its ministry as other labels."""
    key = slug(f'{row["key"]} {head[len(row["canonical"]):]}'.strip())
    written = nfc(written) if not re.search(r"[(),]", written) else ""  # the form as written, when plain
    if parent is not None:
        label = f"{head} {parent.label}"
        alts = {f"{head} {a}" for a in parent.alt_labels}
        if _is_ministry(parent):  # "Tổng cục Tình báo": its ministry need not be written
            alts.add(head)
        if row["unique"] == "yes" and _is_ministry(parent):  # one resource however it is written
            return BodyRef(row["kind"], key, head, None, parent, frozenset(alts | {label, written}) - {head, ""})
        return BodyRef(row["kind"], f"{key}-{parent.key}", label,
                       parent.place, parent, frozenset(alts | {written}) - {label, ""})
    label = f"{head} {place.label}" if place is not None else head
    return BodyRef(row["kind"], key, label, place, None, frozenset({written}) - {label, ""})


def _is_ministry(body: BodyRef) -> bool:
    return body.parent is not None and body.parent.key == "chinh-phu"


def _unit_within(ctx: Context, end: int, row: dict) -> tuple[int, BodyRef | None]:
    """WITHIN: a comma, then the unit, ministry or state body the unit is part of ("Cục X, Tổng cục Y, Bộ
    Công an", "Phòng X, Sở Y tỉnh Z")."""
    g = COMMA.match(ctx.text, end)
    if g is None or not row["within"]:
        return end, None
    within = set(row["within"].split("|"))
    at = g.end()
    m = UNIT_WORD.match(ctx.folded, at)
    if m and UNIT_ROWS[fold(m.group(0))]["key"] in within:
        stop, body = unit_at(ctx, at, titled=True)
        if body is not None and body.kind == "StateBody":
            return stop, body
    stop, body = _national_at(ctx, at)
    if body is not None and "ministry" in within and _is_ministry(body):
        return stop, body
    if "body" in within and _opens_body(ctx, at):  # "Phòng X, Sở Xây dựng Hà Tĩnh"
        stop, body = body_at(ctx, at)
        if body is not None and body.kind == "StateBody" and body.place is not None:
            return stop, body
    return end, None


def _body_in_parentheses(ctx: Context, end: int) -> tuple[int, BodyRef | None]:
    """IN_PARENTHESES: the state body a unit belongs to, in parentheses right after its name."""
    g = OPEN_PAREN.match(ctx.text, end)
    if g is None:
        return end, None
    stop, body = body_at(ctx, g.end())
    close = CLOSE_PAREN.match(ctx.text, stop) if body is not None else None
    if close is None or body.kind != "StateBody":
        return end, None
    return close.end(), body


def _body_of(ctx: Context, end: int) -> tuple[int, BodyRef | None]:
    """OF_BODY: "của" and the state body a unit belongs to ("phòng kinh tế của Viện KSND tỉnh X")."""
    g = OF.match(ctx.folded, end)
    if g is None or not _opens_body(ctx, g.end()):
        return end, None
    stop, body = body_at(ctx, g.end())
    if body is None or body.kind != "StateBody" or body.place is None:
        return end, None
    return stop, body


def _opens_body(ctx: Context, at: int) -> bool:
    return any(p.match(ctx.folded, at) for p in (NATIONAL_WORD, HEAD_WORD, DEPARTMENT_WORD, COMMITTEE_WORD)) \
        or bool(UNIT_WORD.match(ctx.folded, at)) and ctx.text[at:at + 1].isupper()


def _bare_unit_place(ctx: Context, at: int) -> tuple[int, PlaceRef | None]:
    """A district-level unit of the article's province, or a province, named bare after a unit's name."""
    end, place = parse_place_at(ctx, at, bare_levels=PROVINCE_LEVELS | DISTRICT_LEVELS, implicit=False)
    if place is None or place.code is None:
        return at, None
    if place.level not in PROVINCE_LEVELS and (ctx.province is None or place.province != ctx.province):
        return at, None
    if fold(ctx.text[at:end]) != fold(place.name):
        return at, None
    return end, place


def _unit_name(ctx: Context, pos: int, proper: bool, common: bool = False) -> tuple[int, int]:
    """The end of a unit's name from ``pos`` and how many words it has (0: no name).

    The name runs word by word and ends before punctuation (a spaced dash joins: "Chính trị - Hậu
    cần"), a place, a body, a title, a cue, an honorific, a person's name (a family name opening three
    or four capitalised syllables) or a word no name holds after its first (``unit_name_ends.tsv``).
    A ``common`` name (one that may open in lower case, "dự án ...", "khu kinh tế mở Chu Lai") ends
    with a proper name of two syllables or more that it holds after a lower-case word: "Ban quản lý
    khu kinh tế mở Chu Lai nộp đơn"."""
    text, folded = ctx.text, ctx.folded
    end, n = pos, 0
    cur = pos
    lower, proper_inside, caps = False, False, 0  # a lower-case word read; a proper name after it
    while n <= UNIT_NAME_WORDS:
        at = skip_space(text, cur)
        if n:
            d = DASH.match(text, cur)
            if d:
                at = d.end()
        if at >= len(text) or not (text[at].isalnum()):
            break
        if any(p.match(folded, at) for p in (LEVEL_WORD, ROLE_WORD, CUE_STOP, HONORIFIC)):
            break
        if NAME_ENDS.match(folded, at) or n and (PREDICATE.match(folded, at)
                                                 or _opens_body(ctx, at) and body_at(ctx, at)[1] is not None):
            break
        if n and _bare_unit_place(ctx, at)[1] is not None:
            break
        if text[at].isupper() and _person_starts(text, at):
            break
        w = UNIT_WORD_RE.match(text, at)
        if w is None:
            break
        word = w.group(0)
        if word.endswith(".") and not word[:-1].isupper():
            break_after = True
            word = word[:-1]
        else:
            break_after = False
        if not n and proper and not word[:1].isupper():
            return pos, 0
        if word[:1].isupper() and lower and at == skip_space(text, cur):
            caps += 1
            proper_inside = proper_inside or caps >= 2
        elif word[:1].islower() and proper_inside and common:
            break
        else:
            caps = 0
        lower = lower or word[:1].islower()
        if n and fold(word) == AND:  # "Phòng Tài nguyên và Môi trường", not "chi bộ thôn X và ông Y"
            nxt = skip_space(text, at + len(word))
            if nxt >= len(text) or not text[nxt].isalnum() or _person_starts(text, nxt) \
                    or any(p.match(folded, nxt) for p in (HONORIFIC, LEVEL_WORD, ROLE_WORD, NAME_ENDS)) \
                    or _opens_body(ctx, nxt) and body_at(ctx, nxt)[1] is not None:
                break
        n += 1
        end = cur = at + len(word)
        if break_after or NATIONAL_NAME_END.search(folded, pos, end):  # "Khối doanh nghiệp Trung ương"
            break
    if n > UNIT_NAME_WORDS:
        return pos, 0
    return end, n


def _person_starts(text: str, at: int) -> bool:
    """A person's name opens at ``at``: a family name and two or three more capitalised syllables."""
    run = NAME_RUN.match(text, at)
    syllables = run.group(0).split() if run else []
    if not 3 <= len(syllables) <= 4:
        return False
    return fold(syllables[0]) in SURNAMES or fold(syllables[1]) in MIDDLE_NAMES  # "Cầm Thị Bun Sọn"


def _ancestors(body: BodyRef) -> set[BodyRef]:
    out = set()
    while body.parent is not None:
        body = body.parent
        out.add(body)
    return out


def _in_role(roles: list[tuple[int, int, str]], pos: int) -> bool:
    """IN_ROLE: ``pos`` lies inside a role's words ("Thường trực" in "Phó Bí thư Thường trực") that do
    not name a body themselves ("Thủ tướng Chính phủ" names the Chính phủ)."""
    k = bisect_left(roles, (pos,)) - 1
    if k < 0:
        return False
    a, b, form = roles[k]
    return a < pos < b and not ROLE_ROWS[fold(form)]["body"].startswith("fixed:")


def note_body(ctx: Context, start: int, end: int, body: BodyRef) -> None:
    """Record a mentioned body (and where it was written)."""
    ctx.bodies_at.setdefault(start, (end, body))
    ctx.facts.add("bodies", body)


@component("bodies")
def bodies(ctx: Context) -> None:
    starts = sorted({m.start() for pat in (NATIONAL_WORD, HEAD_WORD, DEPARTMENT_WORD, COMMITTEE_WORD, UNIT_WORD)
                     for m in pat.finditer(ctx.folded)})
    # IN_ROLE: "Thường trực" in "Phó Bí thư Thường trực Thành ủy" is part of the role, no body
    roles = [(m.start(), m.end(), m.group(0)) for m in ROLE_WORD.finditer(ctx.folded)]
    units = {m.start() for m in UNIT_WORD.finditer(ctx.folded)}
    for start in starts:
        if _in_role(roles, start):
            continue
        end, body = body_at(ctx, start)
        if start in units and body is not None and any(a < start < b and body not in _ancestors(outer)
                                                       for a, (b, outer) in ctx.bodies_at.items()):
            continue  # "Thanh tra" in "Đội Thanh tra giao thông quận X" is part of a name, "Tổng cục Y" in
            # "Cục X, Tổng cục Y" the body X belongs to
        if body is not None and body.key not in POST_ONLY:
            note_body(ctx, start, end, body)
