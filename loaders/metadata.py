"""Article metadata read from the text: publication date, author, publisher.

The cue words live in ``lexicon/chrome.tsv`` (kinds ``datecue``, ``datefill``,
``weekday``, ``byline``, ``orgword``, ``tag``, ``copyright``) and the publisher
tags in ``lexicon/publishers.tsv``; this module only holds the matching code.

Dates
-----
:func:`parse_date` reads the first date of a string in the forms the portals
use: ``17/12/2019``, ``5/3/2024``, ``05-03-2024``, ``05.03.2024``,
``2024-03-05`` (ISO, with an optional ``T08:15:00+07:00``), ``ngày 05 tháng 3
năm 2024``; with a time (``11:18``, ``08h15``, ``8 giờ 15``, ``AM/PM``,
``SA/CH``) anywhere in the same string it returns a :class:`datetime.datetime`,
else a :class:`datetime.date`. Times are wall-clock (Vietnam) time: a UTC
offset is read but dropped, so values stay naive.

:func:`dateline` says whether a whole line is a dateline (a date, maybe a time,
a weekday, a cue such as "Cập nhật:" and nothing else), and :func:`pick_issued`
chooses the article's date among the datelines the cleaner met:

1. a cued dateline ("Cập nhật: 10:57 ngày 26/06/2023", "Đăng ngày ...") in the header;
2. a dateline after the title ("Thứ Ba, 17/12/2019, 11:18 [GMT+7]", "19/01/2022 09:25");
3. a dateline above the title that carries a time;
4. a cued dateline further down (some portals print it under the article).

A date-only line above the title ("Chủ nhật, 14/04/2024") is the portal's
"today" banner, the day the page was saved, and is never the article's date.
Dates inside the body ("Nghị quyết ... ngày 25/11/2021") are never looked at.
Nothing found gives ``None``: absent rather than guessed.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from loaders.lexicon import table
from loaders.text import fold

LEXICON = Path(__file__).parent / "lexicon"

# kinds whose regexes are case-sensitive (everything else is matched ignoring case)
_CASE_SENSITIVE = {"tag"}


# --------------------------------------------------------------------------- tables
load_table = table  # rows of lexicon/<name>.tsv (header row, "#" comments)


@lru_cache(maxsize=None)
def cue_patterns(kind: str) -> tuple[str, ...]:
    """The regexes of one kind of ``chrome.tsv``, in table order."""
    return tuple(r["pattern"] for r in load_table("chrome") if r["kind"] == kind)


@lru_cache(maxsize=None)
def cue_regex(kind: str, whole: bool = True) -> re.Pattern:
    """One compiled alternation of a kind's regexes (``whole``: anchored for fullmatch use)."""
    pats = cue_patterns(kind)
    if not pats:
        return re.compile(r"(?!x)x")
    alt = "|".join(f"(?:{p})" for p in pats)
    flags = 0 if kind in _CASE_SENSITIVE else re.IGNORECASE
    return re.compile(alt, flags)


@lru_cache(maxsize=None)
def cue_regexes(kind: str) -> tuple[re.Pattern, ...]:
    """The kind's regexes compiled one by one (for kinds with named groups)."""
    flags = 0 if kind in _CASE_SENSITIVE else re.IGNORECASE
    return tuple(re.compile(p, flags) for p in cue_patterns(kind))


@lru_cache(maxsize=None)
def _publishers() -> dict[str, str]:
    return {r["tag"]: r["publisher"] for r in load_table("publishers")}


# --------------------------------------------------------------------------- dates
_DMY = re.compile(r"(?<![\d.,/-])(?P<d>\d{1,2})([/.-])(?P<m>\d{1,2})\2(?P<y>(?:19|20|21)\d{2})(?![\d.,/-]\d)")
_YMD = re.compile(
    r"(?<![\d.,/-])(?P<y>(?:19|20|21)\d{2})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:[T ](?P<H>\d{2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d])"
)
_WORDY = re.compile(
    r"\bngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>(?:19|20|21)\d{2})\b", re.IGNORECASE
)
_TIME = re.compile(
    r"(?<![\d.,/])(?P<H>\d{1,2})\s*(?::|h|giờ)\s*(?P<M>\d{2})(?!\d)(?:\s*:\s*(?P<S>\d{2}))?"
    r"(?:\s*phút)?(?:\s*(?P<ap>AM|PM|SA|CH)\b)?",
    re.IGNORECASE,
)


_DIGIT = re.compile(r"\d")


def _mk_date(y: str, m: str, d: str) -> dt.date | None:
    try:
        return dt.date(int(y), int(m), int(d))
    except ValueError:
        return None


def _date_matches(s: str) -> list[tuple[int, int, dt.date, re.Match]]:
    out = []
    for rx in (_DMY, _YMD, _WORDY):
        for m in rx.finditer(s):
            d = _mk_date(m["y"], m["m"], m["d"])
            if d is not None:
                out.append((m.start(), m.end(), d, m))
    out.sort(key=lambda t: t[0])
    return out


def _time_in(s: str) -> tuple[dt.time, tuple[int, int]] | None:
    for m in _TIME.finditer(s):
        h, mi = int(m["H"]), int(m["M"])
        ap = (m["ap"] or "").upper()
        if ap in ("PM", "CH") and h < 12:
            h += 12
        elif ap in ("AM", "SA") and h == 12:
            h = 0
        if h < 24 and mi < 60:
            sec = int(m["S"]) if m["S"] and int(m["S"]) < 60 else 0
            return dt.time(h, mi, sec), (m.start(), m.end())
    return None


def parse_date(s: str | None) -> dt.date | dt.datetime | None:
    """The first date in ``s`` (with its time when one is given), or None."""
    if not s:
        return None
    s = str(s).strip()
    found = _date_matches(s)
    if not found:
        return None
    start, end, d, m = found[0]
    if m.re is _YMD and m["H"]:
        return dt.datetime(d.year, d.month, d.day, int(m["H"]) % 24, int(m["M"]) % 60, int(m["S"] or 0) % 60)
    rest = s[:start] + " " * (end - start) + s[end:]
    t = _time_in(rest)
    if t:
        return dt.datetime.combine(d, t[0])
    return d


@dataclass(frozen=True)
class Dateline:
    """A line that is nothing but a date (and time, weekday, cue)."""

    value: dt.date | dt.datetime
    cued: bool  # "Cập nhật", "Đăng ngày", ...
    weekday: bool  # "Thứ Ba", "Chủ nhật"
    has_time: bool


def dateline(line: str) -> Dateline | None:
    """Read ``line`` as a dateline, or None when it holds anything besides date words."""
    if len(line) > 120 or not _DIGIT.search(line):
        return None
    found = _date_matches(line)
    if not found:
        return None
    value = parse_date(line)
    rest = line
    for start, end, _, _ in reversed(found):
        rest = rest[:start] + " " + rest[end:]
    rest = _TIME.sub(" ", rest)
    cued = bool(cue_regex("datecue").search(rest))
    rest = cue_regex("datecue").sub(" ", rest)
    weekday = bool(cue_regex("weekday").search(rest))
    rest = cue_regex("weekday").sub(" ", rest)
    rest = cue_regex("datefill").sub(" ", rest)
    if rest.strip():
        return None
    return Dateline(value, cued, weekday, isinstance(value, dt.datetime))


@dataclass(frozen=True)
class DateCandidate:
    line: Dateline
    zone: str  # "header" | "body"
    before_title: bool  # above the title line (header only)
    titled: bool  # whether the article has a title at all


def pick_issued(cands: list[DateCandidate]) -> dt.date | dt.datetime | None:
    """The article's publication date among the datelines met (see the module doc)."""
    header = [c for c in cands if c.zone == "header"]
    rules = (
        lambda c: c.line.cued,
        lambda c: not c.before_title and (c.titled or c.line.has_time or not c.line.weekday),
        lambda c: c.before_title and c.line.has_time,
    )
    for rule in rules:
        for c in header:
            if rule(c):
                return c.line.value
    for c in cands:
        if c.zone == "body" and c.line.cued:
            return c.line.value
    return None


# --------------------------------------------------------------------------- people, publishers
_SPLIT_PARTS = re.compile(r"\s+[-–—]\s+|\s*[,;/]\s*|\s+và\s+|\s+[-–—](?=\S)|(?<=\S)[-–—]\s+")
_NAME_WORD = re.compile(r"^[^\W\d_][^\W\d_'’.]*\.?$|^(?:[^\W\d_]\.)+[^\W\d_]?$")


def person_name(s: str) -> str | None:
    """``s`` as a person's name (2 to 5 capitalised words, no digits, no organisation word)."""
    s = s.strip(" .,:;-–—\t")
    words = s.split()
    if not 2 <= len(words) <= 5 or len(s) > 50:
        return None
    for w in words:
        if not _NAME_WORD.match(w) or not w[0].isupper():
            return None
    if cue_regex("orgword").search(s):
        return None
    return " ".join(words)


def _is_org(s: str) -> bool:
    s = s.strip(" .,:;-–—")
    return bool(s) and len(s) <= 80 and bool(cue_regex("orgword").search(s))


def author_from_parts(part: str) -> tuple[bool, str | None]:
    """Read the author part of a byline ("Thanh Nga – Trung tâm TT&VH").

    Returns (is_byline, author): every ``-``/``,``-separated part must be a person's
    name or an organisation; the persons, joined by ", ", are the author (None when
    the byline names only an organisation).
    """
    parts = [p for p in _SPLIT_PARTS.split(part.strip()) if p and p.strip(" .,:;-–—")]
    if not parts:
        return False, None
    names = []
    for p in parts:
        name = person_name(p)
        if name:
            names.append(name)
        elif not _is_org(p):
            return False, None
    return True, (", ".join(names) or None)


def parse_byline(line: str) -> tuple[bool, str | None]:
    """Whether ``line`` is an explicit byline ("Hữu Việt (thực hiện)", "Bài và ảnh: X") and its author."""
    if len(line) > 140:
        return False, None
    for rx in cue_regexes("byline"):
        m = rx.fullmatch(line)
        if m:
            ok, author = author_from_parts(m["name"])
            if ok:
                return True, author
    return False, None


def bare_byline(line: str) -> str | None:
    """A last line that is only a name ("Hữu Việt", "Thu Hà - Quang Minh"): the author, else None."""
    if len(line) > 60 or line.rstrip()[-1:] in ".!?:;…\"”" or any(ch.isdigit() for ch in line):
        return None
    ok, author = author_from_parts(line)
    return author if ok else None


def publisher_for_tag(tag: str) -> str | None:
    """The outlet of a lead tag ("BGĐT" -> "Báo Bắc Giang"); None when the table does not know it."""
    table = _publishers()
    if tag in table:
        return table[tag]
    folded = {fold(k): v for k, v in table.items()}
    return folded.get(fold(tag))


def lead_tag(line: str) -> re.Match | None:
    """A publisher tag opening ``line`` ("(BGĐT) - "), as a match with group ``tag``."""
    for rx in cue_regexes("tag"):
        m = rx.match(line)
        if m:
            return m
    return None


def publisher_from_copyright(line: str) -> str | None:
    """The outlet named by a footer line ("© Cổng thông tin điện tử tỉnh Quảng Ninh")."""
    if len(line) > 300:
        return None
    for rx in cue_regexes("copyright"):
        m = rx.fullmatch(line)
        if m and m["name"]:
            name = m["name"].strip(" .,:;-–—")
            if len(name) >= 3 and any(ch.isalpha() for ch in name) and not re.search(
                r"all rights|reserved|\bby\b", name, re.IGNORECASE
            ):
                return name
    return None
