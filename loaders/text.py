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

# Combining tone marks (the five Vietnamese tones besides level).
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
_WORD = re.compile(r"\w+", re.UNICODE)

# New-style placements -> traditional placement for the syllables where the two
# conventions disagree: "oa", "oe", "uy" without a final consonant.
_NEW_TO_OLD = {}
for _tone in _TONES:
    for _a, _b in (("o", "a"), ("o", "e"), ("u", "y"), ("O", "A"), ("O", "E"), ("U", "Y")):
        _NEW_TO_OLD[_a + _b + _tone] = _a + _tone + _b


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
    text = text.lower()
    return _WORD.sub(lambda m: canonical_tones(m.group(0)), text)


def canonical_tones(text: str) -> str:
    """Rewrite "hoà"/"uỷ"-style syllables to "hòa"/"ủy" (length preserved, NFC in/out)."""
    def fix(m: re.Match) -> str:
        w = m.group(0)
        d = unicodedata.normalize("NFD", w)
        # only open syllables ending in the vowel pair take the traditional placement
        for new, old in _NEW_TO_OLD.items():
            if d.endswith(new) and not d[: -len(new)].lower().endswith("q"):
                d = d[: -len(new)] + old
                break
        return unicodedata.normalize("NFC", d)
    return _WORD.sub(fix, text)


def strip_diacritics(text: str) -> str:
    """ASCII-ish form: "Đảng ủy Hải Hà" -> "Dang uy Hai Ha"."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def slug(text: str) -> str:
    """Readable IRI segment: "Hải Hà" -> "hai-ha", "08-NQ/TU" -> "08-nq-tu"."""
    s = strip_diacritics(nfc(text)).lower()
    s = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    return s or "x"
