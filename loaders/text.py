"""Vietnamese text normalisation shared by every stage.

- :func:`nfc` normalises to NFC (composed tone marks), as stored and shown.
- :func:`fold` is the matching key: case folded and with the old/new tone
  placement unified ("uỷ" and "ủy", "hoà" and "hòa" give the same key).
  Evidence and labels keep their NFC spelling; only comparisons fold.
- :func:`strip_diacritics` gives ASCII for slugs and diacritic-insensitive search.
- :func:`canonical_tones` rewrites the new-style placement ("hoà", "uỷ") into the
  traditional one the press and our canonical labels use ("hòa", "ủy").
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Combining tone marks (the five Vietnamese tones besides level).
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}

# New-style placements -> traditional placement for the syllables where the two conventions
# disagree: open syllables ending in "oa", "oe", "uy" ("hoà" -> "hòa", "uỷ" -> "ủy"; not "quý").
_NEW_TO_OLD: dict[str, str] = {}
for _tone in _TONES:
    for _a, _b in (("o", "a"), ("o", "e"), ("u", "y"), ("O", "A"), ("O", "E"), ("U", "Y"),
                   ("O", "a"), ("O", "e"), ("U", "y")):
        _NEW_TO_OLD[unicodedata.normalize("NFC", _a + _b + _tone)] = unicodedata.normalize("NFC", _a + _tone + _b)
_NEW_STYLE = re.compile("(?<![qQ])(?:" + "|".join(map(re.escape, _NEW_TO_OLD)) + r")(?!\w)")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _word_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = "".join(ch for ch in decomposed if ch in _TONES)
    base = "".join(ch for ch in decomposed if ch not in _TONES)
    return unicodedata.normalize("NFC", base) + tones


def fold(text: str) -> str:
    """Matching key: NFC, case folded, tone placement unified, spaces collapsed."""
    words = unicodedata.normalize("NFC", text).casefold().split()
    return " ".join(_word_key(w) for w in words)


def fold_keep_length(text: str) -> str:
    """A case-folded, tone-placement-unified copy with the SAME length and offsets.

    Used to search with patterns written in one convention over text written in
    either: each syllable is rewritten in place to the traditional placement.
    """
    return canonical_tones(text.lower())


def canonical_tones(text: str) -> str:
    """Rewrite "hoà"/"uỷ"-style syllables to "hòa"/"ủy" (length preserved; NFC in and out)."""
    return _NEW_STYLE.sub(lambda m: _NEW_TO_OLD[m.group(0)], text)


def strip_diacritics(text: str) -> str:
    """ASCII-ish form: "Đảng ủy Hải Hà" -> "Dang uy Hai Ha"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """Readable IRI segment: "Hải Hà" -> "hai-ha", "08-NQ/TU" -> "08-nq-tu"."""
    s = strip_diacritics(nfc(text)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "x"
