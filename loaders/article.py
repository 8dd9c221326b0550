"""The cleaned article: what every extractor reads."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Sentence:
    """A sentence of the article's main text with its character offsets in ``Article.text``."""

    start: int
    end: int
    text: str


@dataclass
class Article:
    """One article after reading and cleaning.

    ``text`` is the main text (title first, then lead, body, interview answers and
    photo captions), NFC-normalised, with portal chrome, related-news teasers,
    comment boxes and template residue removed. Offsets everywhere refer to it.
    """

    id: str
    text: str
    title: str | None = None
    issued: dt.date | dt.datetime | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None
    source: str | None = None  # the file it came from (path), for messages
    sentences: list[Sentence] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what reading changed (reported, not fatal)

    def sentence_at(self, offset: int) -> Sentence | None:
        """The sentence containing a character offset."""
        for s in self.sentences:
            if s.start <= offset < s.end:
                return s
        return None
