"""Highlight the phrase a fact was read from inside its evidence sentence, escaping everything.

The spans come from what the graph knows: the quantity as written
(``vnkg:quantityText``), the indicator phrase, the official's name, the role
and body labels; ``vnkg:evidenceStart``/``End`` (the sentence's offsets in the
article) and the offset in a figure's IRI pick the right occurrence when a
phrase occurs twice. Matching ignores case; when the sentence holds a
decomposed (NFD) form it is normalised to NFC first.
"""
from __future__ import annotations

import unicodedata

from markupsafe import Markup, escape


def find(sentence: str, needle: str, hint: int | None = None) -> tuple[int, int] | None:
    """The span of ``needle`` in ``sentence`` (case-insensitive); the occurrence nearest ``hint``."""
    if not needle or not sentence:
        return None
    hay, pin = sentence.casefold(), needle.casefold()
    if len(hay) != len(sentence) or len(pin) != len(needle):  # casefold changed lengths: plain lower
        hay, pin = sentence.lower(), needle.lower()
        if len(hay) != len(sentence):
            hay, pin = sentence, needle
    found = []
    i = hay.find(pin)
    while i >= 0:
        found.append(i)
        i = hay.find(pin, i + 1)
    if not found:
        return None
    if hint is not None:
        start = min(found, key=lambda x: abs(x - hint))
    else:
        start = found[0]
    return start, start + len(needle)


def spans_for(sentence: str, needles: list[tuple[str | None, str]], hint: int | None = None) -> list[tuple[int, int, str]]:
    """Spans (start, end, css class) of each (phrase, class) found in the sentence."""
    out = []
    for text, cls in needles:
        if not text:
            continue
        span = find(sentence, text, hint if cls == "hl-figure" else None)
        if span:
            out.append((span[0], span[1], cls))
    return out


def render(sentence: str, spans: list[tuple[int, int, str]]) -> Markup:
    """The sentence as HTML with ``<mark class=...>`` around the spans (overlaps: first/longest wins)."""
    sentence = unicodedata.normalize("NFC", sentence or "")
    chosen: list[tuple[int, int, str]] = []
    for s, e, cls in sorted(spans, key=lambda x: (x[0], -(x[1] - x[0]))):
        if s < 0 or e > len(sentence) or s >= e:
            continue
        if any(s < ce and e > cs for cs, ce, _ in chosen):
            continue
        chosen.append((s, e, cls))
    chosen.sort()
    out = []
    pos = 0
    for s, e, cls in chosen:
        out.append(escape(sentence[pos:s]))
        out.append(Markup('<mark class="%s">%s</mark>') % (cls, sentence[s:e]))
        pos = e
    out.append(escape(sentence[pos:]))
    return Markup("").join(out)


def highlight(sentence: str, needles: list[tuple[str | None, str]], *, hint: int | None = None,
              offsets: tuple[int | None, int | None] = (None, None)) -> Markup:
    """Render ``sentence`` with the ``needles`` marked.

    ``offsets`` are vnkg:evidenceStart/End. When they delimit the whole sentence they are its
    position in the article (used with ``hint``, an article offset, to pick an occurrence); when
    they fall inside the sentence and cover only part of it they are taken as the span itself.
    """
    sentence = unicodedata.normalize("NFC", sentence or "")
    start, end = offsets
    rel_hint = None
    spans: list[tuple[int, int, str]] = []
    if start is not None and end is not None:
        width = end - start
        if hint is not None and start <= hint <= end:
            rel_hint = hint - start
        elif 0 <= start < end <= len(sentence) and width < 0.8 * len(sentence):
            spans.append((start, end, "hl-span"))
    spans += spans_for(sentence, needles, rel_hint)
    return render(sentence, spans)
