"""Figures: quantities a locality reports (Achievement) or aims at (Target), in base units.

Patterns (units, magnitudes, comparators, cue words, count nouns and indicators are tables in
``lexicon/``):

- MEASURE     "2.822 USD/người/năm", "1.357,5 tỷ đồng", "khoảng 750ha", "21 nghìn tỷ đồng", "1,76%"
- COUNT       "429 doanh nghiệp", "15,8 nghìn lao động", "26/26 thôn" (x of y: the value is x)
- RANGE       "từ 40-41%" (the lower bound, at least)
- NOT_FIGURE  dates ("12/5"), years, ordinals, time spans ("2 ngày", "90 năm"), ratings ("3 sao"),
              document numbers and terms, quoted slogans ("“3 con”"), compositions ("(bao gồm 17 xã ...)")
- KIND        a Target cue ("phấn đấu", "mục tiêu:", "sẽ", "đến năm 2025" in the future) governs its
              clause, or the rest of the sentence when it introduces a list (":" or "như");
              everything else is an Achievement
- INDICATOR   the curated concept whose phrase stands nearest before the quantity in its clause, or in
              the noun phrase after a count
"""
from __future__ import annotations

import re
from decimal import Decimal

from ..lexicon import forms, table
from ..records import Figure
from ..text import fold, fold_keep_length
from .base import Context, alternation, component, lex, skip_space
from .numbers import NUMBER, parse_number

QUANTITY = re.compile(rf"(?<![\w/\-.,])({NUMBER})(?:\s*[-–]\s*({NUMBER}))?(?:/({NUMBER}))?(?![\d])")
UNIT_ROWS = {fold_keep_length(f): r for r in table("units") for f in forms(r["form"])}
UNIT = re.compile("|".join(re.escape(f) for f in sorted(UNIT_ROWS, key=len, reverse=True)) + r"(?![^\W\d_])")
MAGNITUDE_ROWS = {fold(f): Decimal(r["factor"]) for r in table("magnitudes") for f in forms(r["form"])}
MAGNITUDE = lex("magnitudes")
COUNT_NOUN = lex("count_nouns")
TIME_WORD = lex("time_words")
CMP_BEFORE = {fold(f): r["comparator"] for r in table("comparators") if r["position"] == "before" for f in forms(r["form"])}
CMP_AFTER = alternation(f for r in table("comparators") if r["position"] == "after" for f in forms(r["form"]))
CMP_BEFORE_FORMS = sorted({fold_keep_length(f) for r in table("comparators") if r["position"] == "before"
                           for f in forms(r["form"])}, key=len, reverse=True)
CMP_BEFORE_RE = re.compile(r"(?:^|\s)(" + "|".join(re.escape(f) for f in CMP_BEFORE_FORMS) + r")\s*$")
TARGET_CUE = alternation(f for r in table("cues") if r["kind"] == "Target" for f in forms(r["form"]))
ACHIEVED_CUE = alternation(f for r in table("cues") if r["kind"] == "Achievement" for f in forms(r["form"]))
REALITY_CUE = alternation(f for r in table("cues") if r["kind"] == "Reality" for f in forms(r["form"]))
# "tỉ lệ" is "tỷ lệ" spelled with i: every form is matched in both spellings
INDICATOR_ROWS = [(fold_keep_length(v), r["key"]) for r in table("indicators") for f in forms(r["form"])
                  for v in {f, f.replace("tỷ", "tỉ")}]
INDICATOR = alternation(f for f, _ in INDICATOR_ROWS)
INDICATOR_KEY = {f: k for f, k in sorted(INDICATOR_ROWS, key=lambda x: len(x[0]))}
YEAR = re.compile(r"(?:năm|đến năm|trước năm|vào năm|cuối năm|hết năm)\s+((?:19|20)\d\d)")
DEADLINE = re.compile(r"(?:đến|trước|vào|tới)\s+(?:cuối\s+)?năm\s+((?:19|20)\d\d)|kết thúc nhiệm kỳ")
NOT_BEFORE = re.compile(r"(?:thứ|lần|loại|(?<!tổng )số|khóa|năm|ngày|tháng|quý|covid|top|nhóm)\s*$")
COMPOSITION = re.compile(r"\((?:bao gồm|gồm)[^()]*$")
CLAUSE_SEP = re.compile(r";")
MONEY = {"VND", "USD"}
STRONG_CUES = {"phấn đấu", "dự kiến", "sẽ", "mục tiêu là", "mục tiêu:", "chỉ tiêu:"}
LIST_HEAD = alternation(["chỉ tiêu", "mục tiêu", "nhiệm vụ", "phương hướng", "đề ra", "đặt ra", "kế hoạch năm"])
MEASURE_HEAD = alternation(f for r in table("measure_words") if r["kind"] == "head" for f in forms(r["form"]))
MEASURE_STOP = alternation(f for r in table("measure_words") if r["kind"] == "stop" for f in forms(r["form"]))
NOT_FIGURE = alternation(f for r in table("measure_words") if r["kind"] == "not" for f in forms(r["form"]))
COUNTED = {fold(f) for r in table("measure_words") if r["kind"] == "counted" for f in forms(r["form"])}
COUNTED_MODIFIED = {fold(f) for r in table("measure_words") if r["kind"] == "counted-modified" for f in forms(r["form"])}
# where the words saying what a counted noun is end: punctuation, a digit, or a word of the table
# (a conjunction, a verb or a preposition: lexicon/measure_words.tsv, kind "modifier-stop")
MODIFIER_STOP = re.compile(r"[,;:()\.…\d]|\s(?:%s)(?!\w)" % "|".join(
    re.escape(fold_keep_length(f)) for r in table("measure_words") if r["kind"] == "modifier-stop" for f in forms(r["form"])))
MODIFIER_WORDS = 4
# words a measure's phrase does not end on (kind "loose-end"): conjunctions, prepositions, quantifiers
LOOSE_ENDS = {fold(f) for r in table("measure_words") if r["kind"] == "loose-end" for f in forms(r["form"])}
PEOPLE_NOUNS = {fold(f) for r in table("measure_words") if r["kind"] == "people" for f in forms(r["form"])}
NOT_FIGURE_AFTER = 25  # chars after a quantity in which "người vào", "tuổi" ... still count
MAX_INDICATOR_WORDS = 9
LAND = alternation(f for r in table("measure_words") if r["kind"] == "land" for f in forms(r["form"]))
AREA_HEAD = "diện tích "
AREA_WORDS = 3  # words of the land named after an area ("ha đất nông nghiệp", "ha rừng phòng hộ")
GROWTH_BEFORE = re.compile(r"(?:tăng|giảm)\s*(?:khoảng|hơn|trên|gần)?\s*$")
VERBS = re.compile(r"^(?:.*?\b)?(?:đạt|ước đạt|tăng|giảm xuống còn|giảm còn|giảm|chiếm|là|còn|với|có)\s*$")


def _clause(text: str, sent_start: int, sent_text: str, at: int) -> tuple[int, int]:
    rel = at - sent_start
    a = max((m.end() for m in CLAUSE_SEP.finditer(sent_text, 0, rel)), default=0)
    b = CLAUSE_SEP.search(sent_text, rel)
    return sent_start + a, sent_start + (b.start() if b else len(sent_text))


def _unit_at(ctx: Context, pos: int) -> tuple[int, str, Decimal, bool] | None:
    """(end, unit code, factor, per person) of a unit, magnitude or count noun at ``pos``."""
    factor = Decimal(1)
    pos0 = pos
    mg = MAGNITUDE.match(ctx.folded, skip_space(ctx.folded, pos))
    if mg:
        factor = MAGNITUDE_ROWS[fold(mg.group(0))]
        pos = mg.end()
    if TIME_WORD.match(ctx.folded, skip_space(ctx.folded, pos)) and not COUNT_NOUN.match(ctx.folded, skip_space(ctx.folded, pos)):
        return None
    at = pos if ctx.folded.startswith("%", pos) else skip_space(ctx.folded, pos)
    u = UNIT.match(ctx.folded, at)
    noun = COUNT_NOUN.match(ctx.folded, skip_space(ctx.folded, pos))
    if u and noun and noun.end() > u.end():  # "7.640 đồng chí" counts comrades, not đồng
        u = None
    if u:
        row = UNIT_ROWS[u.group(0)]
        return u.end(), row["code"], factor * Decimal(row["factor"]), row["per"] == "person"
    c = COUNT_NOUN.match(ctx.folded, skip_space(ctx.folded, pos))
    if c and not TIME_WORD.match(ctx.folded, c.start(), c.end() + 1):
        return c.end(), "count", factor, False
    if mg and pos0 != pos:  # "15,8 nghìn" alone
        return pos, "count", factor, False
    return None


def _kind(ctx: Context, sent, clause: tuple[int, int], at: int, year: int | None) -> str:
    text = ctx.folded
    a, b = clause
    aims = [m.end() for m in TARGET_CUE.finditer(text, sent.start, at)]
    if aims and REALITY_CUE.search(text, aims[-1], at):  # REALITY: "mục tiêu là 20%, nhưng chỉ đạt 9,5%"
        return "Achievement"
    for m in TARGET_CUE.finditer(text, sent.start, sent.end):
        in_clause = a <= m.start() < b
        introduces = m.start() < at and re.search(r":|\bnhư\b", text[m.end():at]) is not None \
            and ";" not in text[m.end():m.end() + 1]
        if in_clause or introduces:
            if m.start() > at:  # "3 xã phấn đấu về đích ...": the cue follows its subject ...
                if "," in text[at:m.start()]:  # ... with no comma between ("16%, ..., mục tiêu là 20%")
                    continue
                if ACHIEVED_CUE.search(text, at, m.start()) and "phấn đấu" not in m.group(0):
                    continue
            return "Target"
    # MAIN_VERB: "Thành phố phấn đấu đón ...; doanh thu ...; thu ngân sách ...": a cue in the
    # sentence's first clause is its main verb and governs every clause after it
    first_clause_end = text.find(";", sent.start, sent.end)
    first_clause_end = sent.end if first_clause_end < 0 else first_clause_end
    if any(c.group(0) in STRONG_CUES for c in TARGET_CUE.finditer(text, sent.start, min(first_clause_end, at))):
        return "Target"
    # LIST_HEAD: "Nghị quyết đề ra các chỉ tiêu chủ yếu: ...; ...": a list announced as aims
    colon = text.rfind(":", sent.start, at)
    if colon >= 0:
        head = text[sent.start:colon]
        aims = list(LIST_HEAD.finditer(head)) + list(TARGET_CUE.finditer(head))
        if aims:
            last_aim = max(m.end() for m in aims)
            if not ACHIEVED_CUE.search(head, last_aim):
                return "Target"
    issued = ctx.article.issued
    d = DEADLINE.search(text, a, b)
    if d and d.group(1) and issued is not None and int(d.group(1)) > issued.year:
        return "Target"
    if d and d.group(0).startswith("kết thúc"):
        return "Target"
    return "Achievement"


def _indicator(ctx: Context, clause: tuple[int, int], start: int, end: int, unit: str) -> tuple[str | None, str]:
    a, b = clause
    after = ctx.folded[end:b]
    after_words = re.split(r"[,;:()]", after, maxsplit=1)[0]
    before = ctx.text[a:start]
    before_f = ctx.folded[a:start]
    last = max(before_f.rfind(","), before_f.rfind(":"), before_f.rfind("("))
    phrase = before[last + 1:].strip() if last >= 0 else before.strip()
    if unit == "count" or len(phrase) < 3:
        phrase = ctx.text[end:end + len(after_words)].strip() or phrase
    phrase = re.sub(r"\s+", " ", phrase)[:160]
    key = None
    window = ctx.folded[a:start] if unit != "count" else after_words
    hits = list(INDICATOR.finditer(window))
    if unit == "count" and not hits:
        hits = list(INDICATOR.finditer(ctx.folded[a:start]))
    if hits:  # counts: the longest phrase of their noun phrase; measures: the nearest before
        best = max(hits, key=lambda h: len(h.group(0))) if unit == "count" else hits[-1]
        key = INDICATOR_KEY.get(best.group(0))
    return key, phrase


@component("figures")
def figures(ctx: Context) -> None:
    seen = set()
    for m in QUANTITY.finditer(ctx.text):
        start, num_end = m.start(), m.end()
        if ctx.is_claimed(start, num_end):
            continue
        sent = ctx.article.sentence_at(start)
        if sent is None:
            continue
        before = ctx.folded[max(sent.start, start - 12):start]
        if NOT_BEFORE.search(before) or COMPOSITION.search(ctx.folded, sent.start, start):
            continue
        if _quoted(ctx.text, sent.start, start):
            continue
        unit = _unit_at(ctx, num_end)
        if unit is None:
            continue
        end, code, factor, per_person = unit
        if m.group(3) and code != "count":
            continue  # "12/5": a date, not a ratio
        value = parse_number(m.group(1))
        if value is None:
            continue
        comparator = "exactly"
        cb = CMP_BEFORE_RE.search(ctx.folded, max(sent.start, start - 20), start)
        if cb:
            comparator = CMP_BEFORE[fold(cb.group(1))]
        if CMP_AFTER.match(ctx.folded, skip_space(ctx.folded, end)):
            comparator = "atLeast"
        if m.group(2) and comparator == "exactly":
            comparator = "atLeast"
        clause = _clause(ctx.text, sent.start, sent.text, start)
        kind = _kind(ctx, sent, clause, start, None)
        year = _year_of(ctx, sent, clause, start)
        if year is None and kind == "Achievement" and ctx.article.issued is not None:
            year = ctx.article.issued.year
        # NOT_FIGURE: tallies, bribes, ages, casualties, head counts ("bầu 15 người vào Ban Thường vụ")
        if NOT_FIGURE.search(ctx.folded, clause[0], min(clause[1], end + NOT_FIGURE_AFTER)):
            continue
        key, phrase = _indicator(ctx, clause, start, num_end if code == "count" else end, code)
        if key is None:  # MEASURE_PHRASE: no curated concept, so the phrase must name a measure
            phrase = _measure_phrase(ctx, clause, start, num_end, code, end)
            if phrase is None:
                continue
            if code == "ha" and phrase.startswith(AREA_HEAD):  # AREA_OF: an area given to a use
                key = "land-area"
        if code in MONEY and (key == "per-capita-income" or per_person
                              or "bình quân đầu người" in ctx.folded[clause[0]:start]):
            code = f"{code}/person/year"
        value = value * factor
        dedup = (kind, value, code, key or phrase)
        if dedup in seen:
            continue
        seen.add(dedup)
        ctx.facts.add("figures", Figure(
            kind=kind, value=value, unit=code, indicator_label=phrase, evidence=ctx.evidence(start),
            start=start, end=end, indicator=key, comparator=comparator, year=year, subject=ctx.home,
            set_by=_set_by(ctx, kind, sent.start)))
    _headline_repeats(ctx)


def _headline_repeats(ctx: Context) -> None:
    """HEADLINE: a title sums the body up ("TP sẽ đấu giá 26.000 ha đất"); a quantity the body states
    again is read from the body, where its clause says what it is."""
    first = ctx.article.sentences[0] if ctx.article.sentences else None
    if first is None or not ctx.article.title:
        return
    title = [f for f in ctx.facts.figures if f.start < first.end]
    body = {(f.value, f.unit) for f in ctx.facts.figures if f.start >= first.end}
    for f in title:
        if (f.value, f.unit) in body:
            ctx.facts.figures.remove(f)


def _measure_phrase(ctx: Context, clause: tuple[int, int], start: int, num_end: int, code: str,
                    end: int) -> str | None:
    """The noun phrase naming what a quantity measures, when no curated concept does.

    - HEADED  a measure word before the number, up to the verb: "thu ngân sách của quận lên đến hơn
              13.000 tỷ đồng" -> "thu ngân sách của quận"
    - COUNTED a count of a locality's units: "4 cụm công nghiệp" -> "số cụm công nghiệp"
    - COUNTED_MODIFIED a count of things said what they are: "20 điểm ngập" -> "số điểm ngập"
    - TOTAL   a count after a total: "nâng tổng số đảng viên lên 7.640 đồng chí" -> "tổng số đảng viên"
              (a bare count with no curated concept, "123 đơn", names no measure and is no figure)
    - GROWTH_OF "..., tăng 12,7%" right after a figure: the growth of that figure's measure
    - RATE_OF a share of counted things: "100% xã đạt chuẩn nông thôn mới" -> "tỷ lệ xã đạt chuẩn ..."
    - AREA_OF an area of land: "26.000 ha đất nông nghiệp" -> "diện tích đất nông nghiệp"
    Phrases are cased and punctuated alike, so that one measure is one indicator."""
    a = clause[0]
    seg_start = max(a, max((ctx.folded.rfind(c, a, start) + 1 for c in ",:("), default=a))
    heads = list(MEASURE_HEAD.finditer(ctx.folded, seg_start, start))
    noun = COUNT_NOUN.match(ctx.folded, skip_space(ctx.folded, num_end))
    if code == "count" and not (heads and fold(heads[0].group(0)).startswith("tổng")):
        if noun is not None and fold(noun.group(0)) in COUNTED_MODIFIED:
            # COUNTED_MODIFIED: "20 điểm ngập" -> "số điểm ngập", but "20 điểm" alone names nothing
            stop = MODIFIER_STOP.search(ctx.folded, noun.end(), clause[1])
            modifier = ctx.text[noun.end():stop.start() if stop else clause[1]].split()[:MODIFIER_WORDS]
            while modifier and fold(modifier[-1]) in LOOSE_ENDS:
                modifier.pop()
            return ("số " + " ".join([noun.group(0), *modifier]).lower()) if modifier else None
        if noun is None or fold(noun.group(0)) not in COUNTED:
            return None  # a count of anything else ("123 đơn", "20 điểm") names no measure
        return "số " + noun.group(0).lower()  # COUNTED: "4 cụm công nghiệp" -> "số cụm công nghiệp"
    if heads:  # HEADED, TOTAL
        h = heads[0]
        stop = MEASURE_STOP.search(ctx.folded, h.end(), start)
        phrase = ctx.text[h.start():stop.start() if stop else start]
    elif code == "%" and GROWTH_BEFORE.search(ctx.folded, seg_start, start):
        # GROWTH_OF: "thu ngân sách đạt 684 tỷ đồng, tăng 12,7%": the growth of the figure just read
        prev = [f for f in ctx.facts.figures if clause[0] <= f.start < start]
        if not prev:
            return None
        phrase = "tăng trưởng " + (prev[-1].indicator_label or "")
    elif code == "%" and noun is not None:  # RATE_OF: "100% trường học đạt chuẩn quốc gia"
        tail = re.split(r"[,;:()]", ctx.text[noun.start():clause[1]], maxsplit=1)[0].split()
        phrase = "tỷ lệ " + " ".join(tail[:MAX_INDICATOR_WORDS - 2])
    elif code == "ha" and LAND.match(ctx.folded, skip_space(ctx.folded, end)):
        # AREA_OF: "có 26.000 ha đất nông nghiệp" -> "diện tích đất nông nghiệp"
        at = skip_space(ctx.folded, end)
        stop = MODIFIER_STOP.search(ctx.folded, at, clause[1])
        tail = ctx.text[at:stop.start() if stop else clause[1]].split()
        phrase = AREA_HEAD + " ".join(tail[:AREA_WORDS])
    else:
        return None
    phrase = re.sub(r"\s+", " ", phrase).strip(" .,;:-–\"“”'").replace("tỉ lệ", "tỷ lệ")
    words = phrase.split()
    digit = next((i for i, w in enumerate(words) if any(ch.isdigit() for ch in w)), None)
    if digit is not None:  # "công suất 25 triệu hành khách": the measure ends before a number
        words = words[:digit]
    while words and fold(words[-1]) in LOOSE_ENDS:  # "sản lượng dầu thô và" -> "sản lượng dầu thô"
        words.pop()
    phrase = " ".join(words)
    if not words or len(words) > MAX_INDICATOR_WORDS:
        return None
    if MEASURE_HEAD.fullmatch(fold_keep_length(phrase)) and not (len(phrase) > 1 and phrase.isupper()):
        return None  # a head alone ("tăng trưởng 7%", "tỷ lệ 80%") does not say what it measures
    # one case: "Tổng vốn" and "tổng vốn", "ngân sách Nhà nước" and "ngân sách nhà nước" are one measure;
    # acronyms ("GRDP", "ODA") keep their capitals
    return " ".join(w if len(w) > 1 and w.isupper() else w.lower() for w in words)


def _year_of(ctx: Context, sent, clause: tuple[int, int], at: int) -> int | None:
    """The year a figure refers to: one named in its clause, else the nearest one before it in
    the sentence ("phấn đấu đến năm 2025 ...; thu nhập ... đạt 75 triệu"), else the first after."""
    y = YEAR.search(ctx.folded, clause[0], clause[1])
    if y is None:
        before = list(YEAR.finditer(ctx.folded, sent.start, at))
        y = before[-1] if before else YEAR.search(ctx.folded, at, sent.end)
    return int(y.group(1)) if y else None


def _quoted(text: str, sent_start: int, at: int) -> bool:
    """Inside a short quotation ("“3 con”"): a slogan, not a figure."""
    opened = text.rfind("“", sent_start, at)
    return opened >= 0 and text.rfind("”", opened, at) < 0 and at - opened < 30


def _set_by(ctx: Context, kind: str, sent_start: int):
    """A Target's source: the congress the article reports on, when it has one."""
    if kind != "Target":
        return None
    congresses = [c for c in ctx.facts.congresses if ctx.home and c.organization.place == ctx.home]
    return max(congresses, key=lambda c: c.ordinal) if congresses else None
