"""Disciplinary measures decided against named officials ("cảnh cáo ông X").

Reads the mentions the officials component left for each sentence, plus the measure words of
``lexicon/measures.tsv``. Frames, each with the person it names:

- MEASURE_TARGET   "thi hành kỷ luật cảnh cáo đối với ông A và ông B": the names after "đối với"
- MEASURE_OBJECT   "cảnh cáo ông A", "kỷ luật cảnh cáo Phó Bí thư Tỉnh ủy X Lê Văn A": the name right after
- SUBJECT_MEASURE  "ông A bị kỷ luật cảnh cáo", "kỷ luật ông A bằng hình thức khiển trách": the names
                   before the measure, after any earlier measure of the sentence

A measure only proposed ("đề nghị kỷ luật", "xem xét kỷ luật": a BLOCK cue close before it) is not
decided and is not read. The deciding body is the body named last before the measure in the sentence,
outside the people's own titles ("Ủy ban Kiểm tra Tỉnh ủy quyết định thi hành kỷ luật ...").
"""
from __future__ import annotations

from ..lexicon import forms, table
from ..records import Discipline, Official
from ..text import fold
from .base import Context, alternation, component
from .officials import People, people_lists

MEASURE_WORD = alternation(f for r in table("measures") for f in forms(r["form"]))
MEASURE_KEY = {fold(f): r["key"] for r in table("measures") for f in forms(r["form"])}
BLOCK_REACH = 6  # mentions before a measure in which "đề nghị" makes it a proposal
OBJECT_REACH = 3  # mentions between a measure and the name it governs (titles aside)


def _names_after(ms, i: int, lists: dict[int, People]) -> list[str]:
    """MEASURE_TARGET / MEASURE_OBJECT: the names starting right after mention ``i`` (titles, "đối
    với" and a few words such as "về mặt Đảng" may come between; a comma ends the measure's clause)."""
    words, target = 0, False
    for j in range(i, len(ms)):
        m = ms[j]
        if m.kind == "PERSON":
            return lists[j].names if j in lists else [m.value[0]]
        if m.kind == "TARGET":
            target = True
        elif m.kind == "WORD" and words < OBJECT_REACH:
            words += 1
        elif m.kind == "POST" or m.kind == "SEP" and target:
            continue
        else:
            return []
    return []


def _names_before(ms, lo: int, hi: int, lists: dict[int, People]) -> list[str]:
    """SUBJECT_MEASURE: the last name (or list of names) between mentions ``lo`` and ``hi``."""
    for j in range(hi - 1, lo - 1, -1):
        if ms[j].kind == "PERSON":
            for p in lists.values():
                if j in p.at and p.first >= lo:
                    return p.names
            return [ms[j].value[0]]
    return []


@component("discipline")
def discipline(ctx: Context) -> None:
    for s in ctx.article.sentences:
        ms = ctx.mentions.get(s.start)
        if not ms:
            continue
        previous = -1  # index of the last mention before the previous measure
        lists = {p.first: p for p in people_lists(ms)}
        for m in MEASURE_WORD.finditer(ctx.folded, s.start, s.end):
            key = MEASURE_KEY[fold(m.group(0))]
            after = next((i for i, x in enumerate(ms) if x.start >= m.end()), len(ms))
            before = next((i for i, x in enumerate(ms) if x.end > m.start()), len(ms))
            lead = ms[max(0, before - BLOCK_REACH):before]
            if any(x.kind == "BLOCK" for x in lead):
                previous = after - 1
                continue
            names = _names_after(ms, after, lists) or _names_before(ms, previous + 1, before, lists)
            previous = after - 1
            if not names:
                continue
            posts = [(x.start, x.end) for x in ms if x.kind == "POST"]
            bodies = [(a, b) for a, (_, b) in ctx.bodies_at.items()
                      if s.start <= a < m.start() and not any(p <= a < q for p, q in posts)]
            # the outermost of the bodies ending last: "Ủy ban Kiểm tra Tỉnh ủy", not its "Tỉnh ủy"
            by = max(bodies, key=lambda t: (ctx.bodies_at[t[0]][0], -t[0]))[1] if bodies else None
            for name in names:
                _add(ctx, Discipline(Official(name, ctx.province), key, ctx.evidence(s.start), by))


def _add(ctx: Context, d: Discipline) -> None:
    """One measure per (official, measure) in an article: the first reading, or the first that names
    the deciding body."""
    ctx.facts.add("officials", d.official)
    if d.decided_by is not None:
        ctx.facts.add("bodies", d.decided_by)
    for i, old in enumerate(ctx.facts.disciplines):
        if old.official == d.official and old.measure == d.measure:
            if old.decided_by is None and d.decided_by is not None:
                ctx.facts.disciplines[i] = d
            return
    ctx.facts.disciplines.append(d)
