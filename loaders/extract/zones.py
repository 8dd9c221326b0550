"""Economic zones, industrial parks and clusters, tourism areas.

Patterns (zone words from ``lexicon/zones.tsv``, descriptors from ``zone_qualifiers.tsv``):

- ZONE       "KCN cảng biển Hải Hà" -> "Khu công nghiệp cảng biển Hải Hà"; "KKT Cửa khẩu Móng Cái" ->
             "Khu kinh tế cửa khẩu Móng Cái"; "Khu du lịch Quốc gia Trà Cổ"; "Cụm công nghiệp Hợp Thịnh"
- LOCATED    the zone's name resolved in the article's province: a district-level unit is where it lies,
             a commune puts it in its district; otherwise the article's own locality
- COASTAL    "Khu kinh tế Vân Đồn": a government-designated coastal zone (``coastal_zones.tsv``)
"""
from __future__ import annotations

import re

from ..gazetteer import COMMUNE_LEVELS, DISTRICT_LEVELS
from ..lexicon import forms, table, words
from ..records import Zone
from ..text import canonical_tones, fold, fold_keep_length
from .base import Context, component, lex, name_run, skip_space
from .places import LEVEL_WORD

ZONE_WORD = lex("zones")
ZONE_ROWS = {fold(f): r for r in table("zones") for f in forms(r["form"])}
QUALIFIER = lex("zone_qualifiers")
COASTAL = {fold(f) for f in words("coastal_zones")}
PLURAL = re.compile(r"(?:các|những|nhiều)\s*$")


def _locate(ctx: Context, name: str):
    gaz = ctx.gazetteer
    for unit in gaz.find(name, level=DISTRICT_LEVELS | COMMUNE_LEVELS, within=ctx.province) if ctx.province else []:
        return unit if unit.level in DISTRICT_LEVELS else unit.parent
    return ctx.home if ctx.home and ctx.home.level in DISTRICT_LEVELS else None


@component("zones")
def zones(ctx: Context) -> None:
    for m in ZONE_WORD.finditer(ctx.folded):
        row = ZONE_ROWS[fold(m.group(0))]
        pos = skip_space(ctx.folded, m.end())
        if PLURAL.search(ctx.folded, max(0, m.start() - 6), m.start()):  # "các khu công nghiệp": no one zone
            continue
        q = QUALIFIER.match(ctx.folded, pos)
        qualifier = ""
        if q and row["type"] not in ("BorderGateEconomicZone", "CoastalEconomicZone"):
            qualifier = fold_keep_length(ctx.text[q.start():q.end()])
            pos = skip_space(ctx.folded, q.end())
        run = name_run(ctx.text, pos, 4)
        if not run or LEVEL_WORD.match(fold_keep_length(run[0])):  # "Khu công nghiệp TP. Đà Nẵng"
            continue
        name = canonical_tones(" ".join(run))
        end = ctx.text.index(run[-1], pos) + len(run[-1])
        zone_type = row["type"]
        if zone_type == "EconomicZone" and fold(name) in COASTAL:
            zone_type = "CoastalEconomicZone"
        label = " ".join(p for p in (row["canonical"], qualifier, name) if p)
        alt = frozenset({ctx.text[m.start():end]} - {label})
        ctx.zone_spans.append((m.start(), end))
        ctx.claim(m.start(), end)
        ctx.facts.add("zones", Zone(zone_type, label, _locate(ctx, name), alt, ctx.province))
