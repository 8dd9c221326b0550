"""Turn a portal dump into the article's main text.

What goes and what stays is decided line by line with the cue table
``lexicon/chrome.tsv`` (see its head for the kinds); this module holds only the
logic around it:

* **Header** (the lines before the body): chrome, banners, menus and datelines
  are dropped (datelines feed :func:`loaders.metadata.pick_issued`); the title is
  the first remaining line when it looks like one (not too long, no final
  period, not a date); a short kicker ending in ":" ("Móng Cái:") above it is
  prefixed to it. A line that does not look like a title starts the body and the
  article has no title.
* **Body**: chrome lines are dropped; the first ``cut`` line ("Tin liên quan",
  "Ý kiến bạn đọc (0)", footers) and an explicit byline ("Hữu Việt (thực
  hiện)") end the main text; a publisher tag opens the lead ("(BGĐT) - ", read as
  the publisher and removed) while a later tagged line is a related-news teaser
  that ends the main text together with its title line; interview bullets
  ("- ", "+ ") are removed but their text kept; repeated lines (a caption
  printed twice) are kept once; a trailing name-only line is the byline.
* Template residue (``{keywords}``) is removed inside lines; lines that end up
  empty go.

The cleaned text is the title, a blank line, then the paragraphs joined by
blank lines, so offsets are stable and no sentence straddles two paragraphs.
Everything is deterministic.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from loaders import metadata as md
from loaders.text import fold, nfc

_MAX_CUE_LINE = 300  # longer lines are never chrome
# one kind of space, one kind of newline, no invisible characters (applied with str.translate)
_TRANSLATE = {ord(c): " " for c in "\t\u00a0\u1680\u202f\u205f\u3000"}
_TRANSLATE.update({cp: " " for cp in range(0x2000, 0x200B)})
_TRANSLATE.update({ord(c): "\n" for c in "\u2028\u2029\x0b\x0c\x85"})
_TRANSLATE.update({ord(c): None for c in "\u00ad\u200b\u200c\u200d\u2060\ufeff"})
_SPECIAL = re.compile("[" + "".join(chr(cp) for cp in sorted(_TRANSLATE)) + "]")
_SPACES = re.compile(r" {2,}")
_GAP_BEFORE_PUNCT = re.compile(r" ([.,;:!?…)\]”])")
_BULLET = re.compile(r"^[-+–—•*●▪►◆■□○◦]\s+")
_TERMINAL = ".!?:;…\"”'’)]»"

# Vietnamese-specific letters: those with a Vietnamese tone or vowel mark, and đ.
_VI_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}


def _vi_letters() -> str:
    chars = {"đ", "Đ"}
    for cp in range(0x00C0, 0x1EFA):
        ch = chr(cp)
        if ch.isalpha() and any(c in _VI_MARKS for c in unicodedata.normalize("NFD", ch)[1:]):
            base = unicodedata.normalize("NFD", ch)[0]
            if base.lower() in "aeiouy":
                chars.add(ch)
    return "".join(sorted(chars))


_VI_SET = frozenset(_vi_letters())


_SAMPLE = 4000  # characters looked at by the language check


def _shares(text: str) -> tuple[int, int]:
    sample = text[:_SAMPLE]
    return sum(map(str.isalpha, sample)), sum(map(_VI_SET.__contains__, sample))


def vietnamese_share(text: str) -> float:
    """Share of Vietnamese-specific letters (marked vowels, đ) among all letters
    (of the first few thousand characters)."""
    letters, vi = _shares(text)
    return vi / letters if letters else 0.0


def looks_vietnamese(text: str, *, min_share: float = 0.08, min_letters: int = 20) -> bool:
    """Vietnamese prose has 25-35 % marked letters; English none, French a few percent."""
    letters, vi = _shares(text)
    return letters >= min_letters and vi / letters >= min_share


# --------------------------------------------------------------------------- lines
def normalize(raw: str) -> str:
    """NFC, one kind of newline, no invisible characters, single spaces."""
    text = nfc(raw)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _SPECIAL.search(text):  # rare: str.translate is slow on non-ASCII text
        text = _SPECIAL.sub(lambda m: _TRANSLATE[ord(m.group(0))] or "", text)
    return _SPACES.sub(" ", text) if "  " in text else text


def _lines(raw: str) -> list[str]:
    """Non-empty, stripped lines of ``raw`` with residue removed and hard wraps joined."""
    residue = md.cue_regex("residue")
    out: list[str] = []
    prev_blank = True
    for line in normalize(raw).split("\n"):
        line = line.strip()
        if line and ("{" in line or "[" in line or "<" in line):
            cut = residue.sub(" ", line)
            if cut != line:
                line = _GAP_BEFORE_PUNCT.sub(r"\1", _SPACES.sub(" ", cut)).strip()
        if not line:
            prev_blank = True
            continue
        # a hard-wrapped line goes on in lower case: join it to the line before
        if (
            out
            and not prev_blank
            and line[0].islower()
            and len(out[-1]) >= 40
            and out[-1][-1] not in _TERMINAL
        ):
            out[-1] = out[-1] + " " + line
        else:
            out.append(line)
        prev_blank = False
    return out


def _unbullet(line: str) -> str:
    return _BULLET.sub("", line, count=1) if line[:1] in "-+–—•*●▪►◆■□○◦" else line


def classify(line: str) -> str | None:
    """The chrome kind of a whole line (``cut``, ``drop``, ``header``, ``menu``) or None."""
    if len(line) > _MAX_CUE_LINE:
        return None
    for kind in ("cut", "drop", "header", "menu"):
        if md.cue_regex(kind).fullmatch(line):
            return kind
    return None


def _title_like(line: str) -> bool:
    if not 3 <= len(line) <= 250 or len(line.split()) > 40:
        return False
    if line.endswith(".") and not line.endswith(".."):
        return False
    if line[-1] in ",;:" or md.lead_tag(line):
        return False
    first = line[0]
    return first.isupper() or first.isdigit() or first in "\"“'‘«("


def _kicker(line: str) -> bool:
    return line.endswith(":") and len(line) <= 40 and len(line.split()) <= 6 and not md.cue_regex("datecue").search(line)


def _same_title(a: str, b: str) -> bool:
    fa, fb = fold(a).strip(" .:"), fold(b).strip(" .:")
    if fa == fb:
        return True
    return min(len(fa), len(fb)) >= 20 and (fa.startswith(fb) or fb.startswith(fa))


@dataclass
class Cleaned:
    """The cleaner's result: the main text and what it learned on the way."""

    text: str
    title: str | None
    paragraphs: list[str]
    issued: dt.date | dt.datetime | None = None
    author: str | None = None
    publisher: str | None = None
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (reason, line), for inspection


def clean_text(raw: str, *, title: str | None = None) -> Cleaned:
    """Clean a portal dump. ``title``, when known (HTML, JSONL), is not searched for."""
    lines = _lines(raw)
    dropped: list[tuple[str, str]] = []
    dates: list[md.DateCandidate] = []
    author: str | None = None
    publisher: str | None = None

    # publisher from a copyright footer, wherever it stands
    for ln in lines:
        if ("©" in ln or "opyright" in ln or "ản quyền" in ln or "(c)" in ln.lower()) and publisher is None:
            publisher = md.publisher_from_copyright(_unbullet(ln))

    given_title = nfc(title).strip() if title else None
    title_out = given_title
    n = len(lines)

    # ---------------------------------------------------------------- header
    title_line_ahead = False
    if given_title:
        title_line_ahead = any(_same_title(ln, given_title) for ln in lines[:15])
    seen_title = False
    kicker: str | None = None
    kicker_at = 0
    i = 0
    while i < n:
        ln = _unbullet(lines[i])
        d = md.dateline(ln)
        if d:
            before = not seen_title and (title_line_ahead if given_title else True)
            dates.append(md.DateCandidate(d, "header", before, True))
            dropped.append(("dateline", ln))
            i += 1
            continue
        kind = classify(ln)
        if kind:
            dropped.append((kind, ln))
            i += 1
            continue
        is_byline, name = md.parse_byline(ln)
        if is_byline:
            author = author or name
            dropped.append(("byline", ln))
            i += 1
            continue
        if given_title is not None:
            if _same_title(ln, given_title):
                seen_title = True
                dropped.append(("title", ln))
                i += 1
                continue
            break
        if title_out is None:
            if kicker is None and _kicker(ln) and i + 1 < n:
                kicker, kicker_at = ln, i
                i += 1
                continue
            if _title_like(ln):
                title_out = f"{kicker} {ln}" if kicker else ln
                kicker = None
                seen_title = True
                i += 1
                continue
            break
        break
    body_start = i
    if kicker is not None:  # a kicker with no title under it is body text
        body_start = kicker_at
    titled = title_out is not None
    if not titled:  # datelines above an untitled body are not "before the title"
        dates = [md.DateCandidate(c.line, c.zone, False, False) for c in dates]

    # ---------------------------------------------------------------- body
    paras: list[str] = []
    kinds: list[str | None] = []
    for j in range(body_start, n):
        ln = _unbullet(lines[j])
        kind = classify(ln)
        if kind == "cut":
            dropped.append(("cut", ln))
            dropped.extend(("after cut", rest) for rest in lines[j + 1 :])
            break
        if kind == "drop":
            dropped.append((kind, ln))
            continue
        is_byline, name = md.parse_byline(ln)
        if is_byline:
            author = author or name
            dropped.append(("byline", ln))
            if paras:
                dropped.extend(("after byline", rest) for rest in lines[j + 1 :])
                break
            continue
        d = md.dateline(ln)
        if d:
            dates.append(md.DateCandidate(d, "body", False, titled))
            dropped.append(("dateline", ln))
            continue
        tag = md.lead_tag(ln)
        if tag:
            if not paras:
                known = md.publisher_for_tag(tag["tag"])
                if known:
                    publisher = known
                    dropped.append(("tag", tag.group(0).strip()))
                ln = ln[tag.end() :].strip()
                if not ln:
                    continue
            else:  # a related-news teaser: its title line and all that follows go
                if len(paras) > 1 and _title_like(paras[-1]) and len(paras[-1]) <= 200:
                    dropped.append(("teaser", paras.pop()))
                    kinds.pop()
                dropped.append(("teaser", ln))
                dropped.extend(("after teaser", rest) for rest in lines[j + 1 :])
                break
        if paras and ln == paras[-1]:
            dropped.append(("repeat", ln))
            continue
        paras.append(ln)
        kinds.append(kind)

    # trailing menu items, then a name-only byline
    while paras and kinds[-1] == "menu":
        dropped.append(("menu", paras.pop()))
        kinds.pop()
    if len(paras) >= 2:
        name = md.bare_byline(paras[-1])
        if name:
            author = author or name
            dropped.append(("byline", paras.pop()))
            kinds.pop()

    parts = ([title_out] if title_out else []) + paras
    return Cleaned(
        text="\n\n".join(parts),
        title=title_out,
        paragraphs=paras,
        issued=md.pick_issued(dates),
        author=author,
        publisher=publisher,
        dropped=dropped,
    )
