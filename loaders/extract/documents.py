"""Policy documents: resolutions, directives, conclusions, decisions, schemes, programmes, plans.

Patterns (document words from ``lexicon/documents.tsv``, issuer codes from ``issuer_codes.tsv``):

- NUMBERED       "Nghị quyết 08-NQ/TU ngày 25/11/2021 của BCH Đảng bộ tỉnh", "Chỉ thị số 26-CT/TU
                 ngày 02/6/2023 của BTV Tỉnh ủy", "Đề án 196 của tỉnh", "Chương trình 135"
- CONGRESS_DOC   "Nghị quyết Đại hội Đảng bộ huyện lần thứ XXI": the resolution adopted at that congress;
                 "Nghị quyết Đại hội Đảng bộ huyện" without an ordinal is the organisation's latest one
- ISSUER_CODE    with no "của ..." the code after the slash names the issuer ("/TU" = the Tỉnh ủy)
"""
from __future__ import annotations

import datetime as dt
import re

from ..lexicon import forms, table
from ..records import Congress, Document
from ..text import fold
from .base import Context, component, lex, skip_space
from .bodies import COMMITTEE_BY_LEVEL, body_at, national, party_committee

DOC_WORD = lex("documents")
DOC_TYPE = {fold(f): r["type"] for r in table("documents") for f in forms(r["form"])}
ISSUER_CODE = {r["code"]: r["committee"] for r in table("issuer_codes")}
COMMITTEE_LEVELS = {r["key"]: r["levels"].split("|") for r in table("committees")}
# "08-NQ/TU", "26-CT/TU", "05/2021/NQ-HĐND", "1234/QĐ-UBND", "196"
NUMBER = re.compile(r"(?:số\s+)?(\d{1,5}(?:[-/][\w\-]*[A-ZĐa-zđ][\w\-]*)?(?:/[\w\-]+)*)(?![\w/])")
DATE = re.compile(r"\s*,?\s*ngày\s+(\d{1,2})[/\-.](\d{1,2})[/\-.]((?:19|20)\d\d)")
OF = re.compile(r"\s*(?:,\s*)?(?:của|do)\s+")


def _issuer_from_code(ctx: Context, number: str):
    code = number.rsplit("/", 1)[-1].upper() if "/" in number else ""
    key = ISSUER_CODE.get(code)
    if key is None:
        return None
    if key in COMMITTEE_LEVELS:
        place = ctx.implicit_place(COMMITTEE_LEVELS[key])
        return party_committee(place) if place else None
    return national(key)


def _latest_congress(ctx: Context, org) -> Congress | None:
    mine = [c for c in ctx.facts.congresses if c.organization == org]
    return max(mine, key=lambda c: c.ordinal) if mine else None


def _congress_after(ctx: Context, pos: int):
    """The congress mention starting right after a document word ("Nghị quyết Đại hội ...")."""
    for at, what in ctx.congress_mentions:
        if 0 <= at - pos <= 2:
            return what
    return False


@component("documents")
def documents(ctx: Context) -> None:
    for m in DOC_WORD.finditer(ctx.folded):
        kind = DOC_TYPE[fold(m.group(0))]
        pos = skip_space(ctx.text, m.end())
        congress = _congress_after(ctx, pos) if kind == "Resolution" else False
        if congress is False and not ctx.text[m.start()].isupper():
            continue  # "các nghị quyết, chỉ thị chuyên đề": generic mentions
        if congress is not False:  # CONGRESS_DOC
            if congress is None:
                continue
            if not isinstance(congress, Congress):
                congress = _latest_congress(ctx, congress)
            if congress is not None:
                ctx.facts.add("documents", Document("Resolution", congress=congress,
                                                    title=f"Nghị quyết {_congress_label(congress)}"))
            continue
        n = NUMBER.match(ctx.text, pos)
        if not n:
            continue
        number = n.group(1)
        end = n.end()
        issued = None
        d = DATE.match(ctx.text, end)
        if d:
            try:
                issued = dt.date(int(d.group(3)), int(d.group(2)), int(d.group(1)))
                end = d.end()
            except ValueError:
                pass
        issuer = None
        of = OF.match(ctx.folded, end)
        if of:
            stop, issuer = body_at(ctx, of.end())
            if issuer is not None:
                ctx.facts.add("bodies", issuer)
                end = stop
        if issuer is None:
            issuer = _issuer_from_code(ctx, number)
        ctx.claim(m.start(), end)
        title = f"{ctx.text[m.start():m.end()]} {number}"
        ctx.facts.add("documents", Document(kind, number=number, issued=issued, issuer=issuer,
                                            title=title, province=ctx.province))


def _congress_label(c: Congress) -> str:
    return f"Đại hội {c.organization.label} lần thứ {c.ordinal}"
