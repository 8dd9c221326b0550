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
from dataclasses import replace

from ..gazetteer import COMMUNE_LEVELS, DISTRICT_LEVELS
from ..lexicon import forms, table, words
from ..records import Zone
from ..text import canonical_tones, fold, fold_keep_length
from .base import Context, alternation, component, lex, name_run, skip_space
from .places import LEVEL_WORD

ZONE_WORD = lex("zones")
ZONE_ROWS = {fold(f): r for r in table("zones") for f in forms(r["form"])}
QUALIFIER = alternation(f for r in table("zone_qualifiers") if r["position"] == "before" for f in forms(r["form"]))
SUFFIX = alternation(f for r in table("zone_qualifiers") if r["position"] == "after" for f in forms(r["form"]))
COASTAL = {fold(f) for f in words("coastal_zones")}
PLURAL = re.compile(r"(?:các|những|nhiều)\s*$")


def _locate(ctx: Context, name: str):
    gaz = ctx.gazetteer
    for unit in gaz.find(name, level=DISTRICT_LEVELS | COMMUNE_LEVELS, within=ctx.province) if ctx.province else []:
        return unit if unit.level in DISTRICT_LEVELS else unit.parent
    return ctx.home if ctx.home and ctx.home.level in DISTRICT_LEVELS else None


@component("zones")
def zones(ctx: Context) -> None:
    found = []  # (type, folded proper name, qualified, zone), in text order
    for m in ZONE_WORD.finditer(ctx.folded):
        row = ZONE_ROWS[fold(m.group(0))]
        pos = skip_space(ctx.folded, m.end())
        if PLURAL.search(ctx.folded, max(0, m.start() - 6), m.start()):  # "các khu công nghiệp": no one zone
            continue
        qualifiers = []  # QUALIFIED: "KCN cơ khí ô tô Chu Lai": descriptors may stack
        while row["type"] not in ("BorderGateEconomicZone", "CoastalEconomicZone"):
            q = QUALIFIER.match(ctx.folded, pos)
            if not q:
                break
            qualifiers.append(fold_keep_length(ctx.text[q.start():q.end()]))
            pos = skip_space(ctx.folded, q.end())
        run = name_run(ctx.text, pos, 4)
        if not run or LEVEL_WORD.match(fold_keep_length(run[0])):  # "Khu công nghiệp TP. Đà Nẵng"
            continue
        name = canonical_tones(" ".join(run))
        end = ctx.text.index(run[-1], pos) + len(run[-1])
        s = SUFFIX.match(ctx.folded, skip_space(ctx.folded, end))  # "... Chu Lai mở rộng"
        if s:
            end = s.end()
            name = f"{name} {fold_keep_length(ctx.text[s.start():s.end()])}"
        zone_type = row["type"]
        if zone_type == "EconomicZone" and fold(name) in COASTAL:
            zone_type = "CoastalEconomicZone"
        label = " ".join(p for p in (row["canonical"], *qualifiers, name) if p)
        alt = frozenset({ctx.text[m.start():end]} - {label})
        ctx.zone_spans.append((m.start(), end))
        ctx.claim(m.start(), end)
        found.append((zone_type, fold(name), bool(qualifiers), Zone(zone_type, label, _locate(ctx, name), alt,
                                                                     ctx.province)))
    for zone in _one_per_name(found):
        ctx.facts.add("zones", zone)


def _one_per_name(found: list) -> list[Zone]:
    """SAME_ZONE: in one article, "khu kinh tế Chu Lai" is the "Khu kinh tế mở Chu Lai" named with its
    descriptor: a zone of one type and proper name written without descriptors is the one written
    with them, and its form is an alternative label."""
    groups: dict[tuple[str, str], list[tuple[bool, Zone]]] = {}
    for zone_type, name, qualified, zone in found:
        groups.setdefault((zone_type, name), []).append((qualified, zone))
    out = []
    for zones_of_name in groups.values():
        qualified = [z for q, z in zones_of_name if q]
        if not qualified:
            out.extend(z for _, z in zones_of_name)
            continue
        head, alts = qualified[0], set(qualified[0].alt_labels)
        for q, z in zones_of_name:
            if not q:
                alts |= {z.name} | z.alt_labels
        out.append(replace(head, alt_labels=frozenset(alts - {head.name})))
        out.extend(qualified[1:])
    return out
