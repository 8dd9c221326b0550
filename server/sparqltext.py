"""A small lexical scan of SPARQL text: enough to find top-level keywords safely.

The server needs two facts that pyoxigraph does not expose before running a
request: whether a query names its own dataset (``FROM`` / ``FROM NAMED``:
then the union default graph must not override it), and where the ``WHERE``
of each update operation starts (to apply the protocol's ``using-graph-uri``
/ ``using-named-graph-uri`` as ``USING`` clauses). The scanner skips strings,
IRIs, comments, variables and prefixed names, and tracks brace depth; the
parser proper (pyoxigraph) still validates everything.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

_IRIREF = re.compile(r'<[^<>"{}|^`\\\x00-\x20]*>')
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_PNAME_REST = re.compile(r"[^\s{}()\[\];,<>\"'#]*")
_NAME = re.compile(r"[A-Za-z0-9_\u00B7-\uFFFF]*")


@dataclass(frozen=True)
class Token:
    kind: str   # "word", "{", "}"
    value: str  # upper-cased keyword for words
    start: int
    end: int
    depth: int  # brace depth where the token stands (for "}", the depth after it)


def scan(text: str):
    """Yield keyword and brace tokens of SPARQL ``text``."""
    i, n, depth = 0, len(text), 0
    while i < n:
        c = text[i]
        if c == "#":
            j = text.find("\n", i)
            i = n if j < 0 else j + 1
        elif c in "\"'":
            triple = text[i:i + 3]
            if triple in ('"""', "'''"):
                j = i + 3
                while j < n and text[j:j + 3] != triple:
                    j += 2 if text[j] == "\\" else 1
                i = min(n, j + 3)
            else:
                j = i + 1
                while j < n and text[j] != c and text[j] != "\n":
                    j += 2 if text[j] == "\\" else 1
                i = j + 1
        elif c == "<":
            m = _IRIREF.match(text, i)
            i = m.end() if m else i + 1
        elif c in "?$":
            m = _NAME.match(text, i + 1)
            i = m.end()
        elif c == "_" and text[i:i + 2] == "_:":
            m = _PNAME_REST.match(text, i + 2)
            i = m.end()
        elif c == ":":
            m = _PNAME_REST.match(text, i + 1)
            i = m.end()
        elif c == "{":
            yield Token("{", "{", i, i + 1, depth)
            depth += 1
            i += 1
        elif c == "}":
            depth = max(0, depth - 1)
            yield Token("}", "}", i, i + 1, depth)
            i += 1
        elif c.isalpha() or c == "_":
            m = _WORD.match(text, i)
            if m is None:  # a non-ASCII letter: part of some name, skip it
                i += 1
                continue
            end = m.end()
            if end < n and text[end] == ":":  # a prefixed name (prefix:local)
                m2 = _PNAME_REST.match(text, end + 1)
                i = m2.end()
                continue
            yield Token("word", m.group(0).upper(), i, end, depth)
            i = end
        else:
            i += 1


def has_dataset_clause(query: str) -> bool:
    """True when the query has a top-level FROM (or FROM NAMED) clause."""
    return any(t.kind == "word" and t.depth == 0 and t.value == "FROM" for t in scan(query))


class DatasetConflict(ValueError):
    """The protocol named a dataset and the update has its own USING / WITH."""


def apply_using(update: str, using: list[str], using_named: list[str]) -> str:
    """Insert ``USING <g>`` / ``USING NAMED <g>`` before the WHERE of each modify operation.

    Graph IRIs must already be validated (``pyoxigraph.NamedNode``). Raises
    :class:`DatasetConflict` when the update already has USING or WITH clauses
    (SPARQL 1.1 Protocol §2.2.3: such a request is an error).
    """
    if not using and not using_named:
        return update
    clause = " ".join([f"USING <{g}>" for g in using] + [f"USING NAMED <{g}>" for g in using_named]) + " "
    inserts: list[int] = []
    prev: Token | None = None
    for t in scan(update):
        if t.depth == 0:
            if t.kind == "word" and t.value in ("USING", "WITH"):
                raise DatasetConflict(
                    "the request names a dataset (using-graph-uri / using-named-graph-uri) "
                    f"and the update has a {t.value} clause")
            if t.kind == "word" and t.value == "WHERE":
                if not (prev is not None and prev.kind == "word" and prev.value == "DELETE"):
                    inserts.append(t.start)
            prev = t
    out = update
    for pos in reversed(inserts):
        out = out[:pos] + clause + out[pos:]
    return out
