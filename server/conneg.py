"""Content negotiation: an HTTP ``Accept`` parser (RFC 9110 §12.5.1) and the formats we speak.

``negotiate(accept, offers)`` returns the offer the client prefers: each offer
gets the q of the most specific media range that matches it (``type/sub`` over
``type/*`` over ``*/*``; a range with more parameters over one with fewer), an
offer with q=0 is refused, and ties go to the server's order of ``offers``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox


@dataclass(frozen=True)
class MediaRange:
    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float

    def specificity(self) -> tuple[int, int]:
        if self.type == "*":
            return (0, 0)
        if self.subtype == "*":
            return (1, 0)
        return (2, len(self.params))

    def matches(self, media_type: str) -> bool:
        """Our offers carry no parameters: a range with parameters (other than charset) names some
        other variant ("text/html;level=1") and matches none of them."""
        if any(k != "charset" for k, _ in self.params):
            return False
        t, _, s = media_type.partition("/")
        if self.type == "*":
            return True
        if self.type != t:
            return False
        return self.subtype in ("*", s)


def _split_unquoted(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside double-quoted strings."""
    out, cur, quoted = [], [], False
    for ch in text:
        if ch == '"':
            quoted = not quoted
        if ch == sep and not quoted:
            out.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    out.append("".join(cur))
    return out


def _split_params(text: str) -> list[str]:
    return _split_unquoted(text, ";")


def _split_ranges(header: str) -> list[str]:
    return _split_unquoted(header, ",")


def parse_accept(header: str | None) -> list[MediaRange]:
    """Parse an Accept header; a missing or empty header means ``*/*``. Malformed ranges are skipped."""
    if header is None or not header.strip():
        return [MediaRange("*", "*", (), 1.0)]
    ranges: list[MediaRange] = []
    for part in _split_ranges(header):
        pieces = _split_params(part)
        mt = pieces[0].strip().lower()
        if not mt:
            continue
        if mt == "*":  # some clients send a bare "*"
            mt = "*/*"
        t, sep, s = mt.partition("/")
        if not sep or not t or not s or (t == "*" and s != "*"):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for p in pieces[1:]:
            k, eq, v = p.strip().partition("=")
            k = k.strip().lower()
            v = v.strip().strip('"')
            if not eq or not k:
                continue
            if k == "q":
                try:
                    q = float(v)
                except ValueError:
                    q = 0.0
                q = min(max(q, 0.0), 1.0)
                break  # parameters after q are accept-extensions
            params.append((k, v))
        ranges.append(MediaRange(t, s, tuple(params), q))
    return ranges


def quality(ranges: list[MediaRange], media_type: str) -> float:
    """q of the most specific range matching ``media_type`` (0 when none matches)."""
    best: MediaRange | None = None
    for r in ranges:
        if r.matches(media_type) and (best is None or r.specificity() > best.specificity()):
            best = r
    return best.q if best else 0.0


def negotiate(accept: str | None, offers: list[str]) -> str | None:
    """The offer (a media type) the client prefers, or None when none is acceptable."""
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for offer in offers:
        q = quality(ranges, offer)
        if q > best_q:
            best, best_q = offer, q
    return best


def prefers_html(accept: str | None, others: list[str]) -> bool:
    """True when text/html is acceptable and at least as preferred as every one of ``others``.

    A missing Accept header (``*/*``) does not count as asking for HTML."""
    if accept is None or not accept.strip():
        return False
    ranges = parse_accept(accept)
    qh = quality(ranges, "text/html")
    if qh <= 0:
        return False
    # Explicit text/html (or xhtml) beats a wildcard match of the same q.
    explicit = any(r.type == "text" and r.subtype == "html" for r in ranges) or any(
        r.type == "application" and r.subtype == "xhtml+xml" for r in ranges)
    for o in others:
        qo = quality(ranges, o)
        if qo > qh or (qo == qh and not explicit):
            return False
    return True


# --- the formats ---------------------------------------------------------------------------

@dataclass(frozen=True)
class Format:
    key: str            # the ?format= name
    media_type: str     # what we answer with
    extension: str
    aliases: tuple[str, ...] = ()  # other media types that ask for it

    @property
    def content_type(self) -> str:
        if self.media_type.startswith("text/") or self.media_type.endswith(("+json", "+xml", "/json", "/xml")) \
                or self.media_type in ("application/n-triples", "application/n-quads", "application/trig"):
            return f"{self.media_type}; charset=utf-8"
        return self.media_type


RESULT_FORMATS = [
    Format("json", "application/sparql-results+json", "srj", ("application/json",)),
    Format("xml", "application/sparql-results+xml", "srx", ("application/xml", "text/xml")),
    Format("csv", "text/csv", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv"),
]
BOOLEAN_FORMATS = RESULT_FORMATS[:2]
GRAPH_FORMATS = [
    Format("turtle", "text/turtle", "ttl", ("application/x-turtle", "application/turtle")),
    Format("ntriples", "application/n-triples", "nt", ("text/plain",)),
    Format("rdfxml", "application/rdf+xml", "rdf", ("application/xml", "text/xml")),
    Format("jsonld", "application/ld+json", "jsonld", ("application/json",)),
]
DATASET_FORMATS = [
    Format("trig", "application/trig", "trig"),
    Format("nquads", "application/n-quads", "nq"),
    Format("turtle", "text/turtle", "ttl"),
    Format("jsonld", "application/ld+json", "jsonld"),
]
HTML = Format("html", "text/html", "html", ("application/xhtml+xml",))

FORMAT_ALIASES = {
    "srj": "json", "sparql-results+json": "json", "srx": "xml", "ttl": "turtle", "nt": "ntriples",
    "n-triples": "ntriples", "rdf": "rdfxml", "rdf+xml": "rdfxml", "xml-rdf": "rdfxml",
    "json-ld": "jsonld", "nq": "nquads", "n-quads": "nquads", "text": "ntriples",
}

RDF_FORMAT = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}


def by_format_param(value: str, formats: list[Format]) -> Format | None:
    """The format a ``format=`` parameter names: a key (json, turtle...), an alias, or a media type."""
    v = value.strip().lower()
    v = FORMAT_ALIASES.get(v, v)
    for f in formats:
        if v == f.key:
            return f
    mt = v.split(";")[0].strip()
    for f in formats:
        if mt == f.media_type:
            return f
    for f in formats:
        if mt in f.aliases:
            return f
    return None


def choose(accept: str | None, formats: list[Format], *, html: bool = False) -> Format | None:
    """Pick a format by Accept: each format is offered under its media type, then its aliases."""
    offers: list[tuple[str, Format]] = []
    if html:
        offers.append((HTML.media_type, HTML))
    for f in formats:
        offers.append((f.media_type, f))
    for f in formats:
        for a in f.aliases:
            offers.append((a, f))
    ranges = parse_accept(accept)
    best, best_q = None, 0.0
    for i, (mt, f) in enumerate(offers):
        q = quality(ranges, mt)
        if f is HTML and not any(r.type == "text" and r.subtype == "html" for r in ranges):
            continue  # HTML only when asked for by name (never for */*)
        if q > best_q:
            best, best_q = f, q
    return best


def by_extension(ext: str, formats: list[Format]) -> Format | None:
    ext = ext.lower().lstrip(".")
    for f in formats:
        if ext in (f.extension, f.key):
            return f
    return None
