"""Split an article's text into sentences with character offsets.

Boundaries are line breaks (paragraphs, the title) and ``.``, ``!``, ``?``,
``…`` (with any closing quote or bracket) followed by white space and a capital
letter, an opening quote before a capital, or the end of the paragraph. A
boundary is never taken

* inside a number: "2.822", "1.357,5", "17/12/2019" (no space follows the dot);
* after an abbreviation ("TP.", "TS.", "PGS.TS.", "Th.S", "T.Ư", "v.v.") or an
  initial ("Nguyễn V. A"), see :data:`ABBREVIATIONS`;
* inside parentheses or curly quotes that close later in the paragraph;
* on ``;`` or ``:``: clauses joined by them stay one sentence.

A digit after the dot starts a sentence only when the dot follows a word in
lower case, a "%" or a year ("... năm 2023. 15 xã ...").

``text[s.start:s.end] == s.text`` for every sentence, with no surrounding white space.
"""
from __future__ import annotations

import re

from loaders.article import Sentence

# Abbreviations that take a period (compared case-sensitively, without the final ".").
ABBREVIATIONS = frozenset(
    """
    TP Tp tp TX Tx TT Tt Q P H X T Th Ths ThS Th.S TS Ts PGS PGS.TS GS GS.TS GS.TSKH TSKH BS BSCK KS CN KTS
    NXB Nxb Tr tr St Mr Mrs Ms Dr Jr Sr No no Co Ltd Inc Corp St vs etc v.v v.v.v T.Ư T.W TW
    Đ/c đ/c Đc ĐC Tel tel ĐT Fax Ph p
    """.split()
)

_BOUNDARY = re.compile(r"[.!?…]+[\"”’'»)\]]*(?=\s|$)")
_PUNCT = re.compile(r"[.!?…]+")
_OPEN_TO_CLOSE = {"(": ")", "“": "”", "[": "]", "«": "»"}
_CLOSE_TO_OPEN = {v: k for k, v in _OPEN_TO_CLOSE.items()}
_OPENING = "\"“'‘«("
_YEAR = re.compile(r"(?:19|20|21)\d{2}")
# dotted abbreviations and initials: "T.Ư", "Th.S", "N.V", "P.V" (not "TP.HCM")
_DOTTED = re.compile(r"(?:[^\W\d_]{1,3}\.)+[^\W\d_]{0,2}")


def _token_before(par: str, pos: int) -> str:
    """The non-space token ending at ``pos``."""
    start = pos
    while start > 0 and not par[start - 1].isspace():
        start -= 1
    return par[start:pos].lstrip(_OPENING + "[")


def _is_abbreviation(token: str) -> bool:
    if not token:
        return False
    if token in ABBREVIATIONS:
        return True
    if len(token) == 1 and token.isalpha():  # an initial: "Nguyễn V. A"
        return True
    return "." in token and bool(_DOTTED.fullmatch(token))


def _boundary_ok(par: str, m: re.Match, inside: bool) -> bool:
    rest = par[m.end() :].lstrip()
    if not rest:
        return True
    if inside:
        return False
    core = _PUNCT.match(m.group(0)).group(0)
    token = _token_before(par, m.start())
    if core == ".":
        if _is_abbreviation(token):
            return False
        if token.isdigit() and len(token) <= 2 and not par[: m.start() - len(token)].strip():
            return False  # "1. Tăng cường ...": an enumerator
    nxt = rest[0]
    if nxt in _OPENING and len(rest) > 1:
        nxt = rest[1]
    if nxt.isupper():
        return True
    if nxt.isdigit():
        if core != "." and not core.startswith(".."):
            return True
        prev = par[m.start() - 1] if m.start() else ""
        return prev.islower() or prev == "%" or bool(_YEAR.fullmatch(token))
    return False


_BRACKETS = re.compile(r"[(“\[«)”\]»]")


def _split_paragraph(par: str, offset: int, out: list[Sentence]) -> None:
    brackets = [(b.start(), b.group(0)) for b in _BRACKETS.finditer(par)]
    stack: list[str] = []  # open brackets and curly quotes
    start = k = 0
    for m in _BOUNDARY.finditer(par):
        while k < len(brackets) and brackets[k][0] < m.end():
            ch = brackets[k][1]
            if ch in _OPEN_TO_CLOSE:
                stack.append(ch)
            elif _CLOSE_TO_OPEN[ch] in stack:
                while stack and stack.pop() != _CLOSE_TO_OPEN[ch]:
                    pass
            k += 1
        # inside a bracket or quote only when it really closes later in the paragraph
        inside = bool(stack) and any(par.find(_OPEN_TO_CLOSE[ch], m.end()) != -1 for ch in stack)
        if _boundary_ok(par, m, inside):
            _emit(par, start, m.end(), offset, out)
            start = m.end()
    _emit(par, start, len(par), offset, out)


def _emit(par: str, start: int, end: int, offset: int, out: list[Sentence]) -> None:
    while start < end and par[start].isspace():
        start += 1
    while end > start and par[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Sentence(offset + start, offset + end, par[start:end]))


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of ``text`` in order, with offsets into it."""
    out: list[Sentence] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            _split_paragraph(line, pos, out)
        pos += len(line) + 1
    return out
