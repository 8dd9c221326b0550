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
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from ..lexicon import forms, table
from ..records import BodyRef, PlaceRef
from ..text import fold, nfc, slug
from .base import RECENT_WINDOW, Context, alternation, component, lex, skip_space
from .places import LEVEL_WORD, ROLE_WORD, parse_place_at

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
THAT_DEPARTMENT = re.compile(r"sở(?!\w)(?!\s+[A-ZĐ])")  # lower case, and no name after it
GENERIC = re.compile(r"(?:các cấp|cấp (?:tỉnh|huyện|xã|cơ sở)|cơ sở)(?!\w)")


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
    """BODY_COMMITTEE: the Party committee of a state body: "Đảng ủy Sở Xây dựng tỉnh Thanh Hóa"."""
    end, body = department_at(ctx, after)
    if body is None or body.place is None:
        return pos, None
    return end, committee_of_body(body)


def committee_of_body(body: BodyRef) -> BodyRef:
    """The Party committee inside a state body ("Đảng ủy Sở Xây dựng tỉnh Thanh Hóa"): unit of no
    Party organisation (its superior committee appoints it)."""
    return BodyRef("PartyCommittee", f"dang-uy-{body.key}", f"Đảng ủy {body.label}", body.place, None)


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
    """THAT_DEPARTMENT: "sở" in lower case, named no further ("ông A, giám đốc sở, cho biết"), is the
    department named last before it, close by."""
    pos = skip_space(ctx.folded, pos)
    m = THAT_DEPARTMENT.match(ctx.text, pos)
    if not m:
        return pos, None
    for start in sorted((s for s in ctx.bodies_at if pos - RECENT_WINDOW <= s < pos), reverse=True):
        body = ctx.bodies_at[start][1]
        if body.kind == "StateBody" and body.key.startswith("so-"):
            return m.end(), body
    return pos, None


def body_at(ctx: Context, pos: int) -> tuple[int, BodyRef | None]:
    """Any body starting at ``pos`` (national, headed, a department or a committee)."""
    pos = skip_space(ctx.folded, pos)
    for reader in (_national_at, head_at, department_at, committee_at):
        end, body = reader(ctx, pos)
        if body is not None:
            return end, body
    return pos, None


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
    starts = sorted({m.start() for pat in (NATIONAL_WORD, HEAD_WORD, DEPARTMENT_WORD, COMMITTEE_WORD)
                     for m in pat.finditer(ctx.folded)})
    # IN_ROLE: "Thường trực" in "Phó Bí thư Thường trực Thành ủy" is part of the role, no body
    roles = [(m.start(), m.end(), m.group(0)) for m in ROLE_WORD.finditer(ctx.folded)]
    for start in starts:
        if _in_role(roles, start):
            continue
        end, body = body_at(ctx, start)
        if body is not None and body.key not in POST_ONLY:
            note_body(ctx, start, end, body)
