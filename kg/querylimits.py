"""Bounds a SPARQL query or update must keep before it reaches the parser, and where it may reach out.

Oxigraph's SPARQL parser and evaluator recurse once per level of nesting and once per term of an
expression, so a few kilobytes of ``{{{…`` or ``… || … || …`` can overflow a thread's stack and
kill the process (no Python exception is possible there). :func:`scan` is a cheap, linear
pre-scan (a tokenizer that knows strings, IRIs and comments, nothing more) that refuses a text
that is too long, too deeply nested, or has too many operators before anything parses it; the
parse and the evaluation then run on a thread whose stack (:data:`STACK_BYTES`) leaves a wide
margin over what the bounds allow (:func:`call_with_deep_stack`).

The same scan lists every ``SERVICE`` and ``LOAD`` target: :func:`check_outbound` refuses any
that does not start with one of the allowed prefixes (none by default), so the store never
sends a request anywhere unless told to.
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from urllib.parse import urljoin

#: Stack of the threads that parse and evaluate SPARQL. With the default bounds below the
#: deepest query needs well under 8 MB; the margin covers combinations of the bounds.
STACK_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Limits:
    """Size, nesting depth and operator count a query (or update) may have."""

    max_bytes: int = 1 * 2**20     # UTF-8 length of the text
    max_depth: int = 100           # nesting of { } ( ) [ ]
    max_operators: int = 2000      # ||, &&, comparisons, arithmetic, !, path / | ^, UNION, OPTIONAL, MINUS, FILTER, ...


class QueryRefused(ValueError):
    """The text breaks a bound, or reaches out where it may not. The message is one line for the user."""


@dataclass
class Scan:
    depth: int = 0
    operators: int = 0
    services: list[str | None] = field(default_factory=list)  # absolute IRI, or None for a variable or unknown
    loads: list[str | None] = field(default_factory=list)
    prefixes: dict[str, str] = field(default_factory=dict)
    base: str | None = None


_TOKEN = re.compile(r"""
  (?P<ws>\s+)
| (?P<comment>\#[^\n]*)
| (?P<string>"{3}(?:[^"\\]|\\.|"(?!""))*(?:"{3}|\Z) | '{3}(?:[^'\\]|\\.|'(?!''))*(?:'{3}|\Z)
            | "(?:[^"\\\n\r]|\\.)*"? | '(?:[^'\\\n\r]|\\.)*'? )
| (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
| (?P<open>[{(\[])
| (?P<close>[})\]])
| (?P<var>[?$][\w\u00B7-\uFFFF]+)
| (?P<pname>(?P<ns>[A-Za-z\u00B7-\uFFFF][\w\u00B7-\uFFFF.-]*)?:
             (?P<local>(?:[\w\u00B7-\uFFFF:%-]|\\.|\.(?=[\w\u00B7-\uFFFF:%-]))*))
| (?P<word>[A-Za-z_][\w-]*)
| (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
| (?P<datatype>\^\^)
| (?P<op>\|\||&&|!=|<=|>=|[=<>+\-*/|^!])
| (?P<other>.)
""", re.X | re.S)
_COMBINING = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "SERVICE", "GRAPH", "SELECT", "EXISTS",
                        "NOT", "IF", "COALESCE"})
_NEXT = {"SERVICE": "service", "LOAD": "load", "PREFIX": "prefix", "BASE": "base"}


def scan(text: str, limits: Limits = Limits()) -> Scan:
    """Check ``text`` against ``limits``; raise :class:`QueryRefused` naming the bound it breaks.

    Returns what was seen: maximum depth, operator count, the targets of SERVICE and LOAD (with
    the query's PREFIX and BASE declarations applied)."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise QueryRefused(f"the query is {size:,} bytes long; the limit is {limits.max_bytes:,} bytes")
    out = Scan()
    depth = 0
    expect: str | None = None  # what the next token names: "service", "load", "prefix", "prefix-iri", "base"
    pending_prefix = ""
    for m in _TOKEN.finditer(text):
        kind = m.lastgroup
        if kind == "ws" or kind == "comment":
            continue
        if kind == "iri":
            iri = m.group()[1:-1]
            if expect == "prefix-iri":
                out.prefixes[pending_prefix] = _absolute(iri, out.base)
            elif expect == "base":
                out.base = _absolute(iri, out.base)
            elif expect == "service":
                out.services.append(_absolute(iri, out.base))
            elif expect == "load":
                out.loads.append(_absolute(iri, out.base))
            expect = None
            continue
        if kind == "pname":
            if expect == "prefix":
                pending_prefix = m.group("ns") or ""
                expect = "prefix-iri"
                continue
            if expect in ("service", "load"):
                ns = out.prefixes.get(m.group("ns") or "")
                target = ns + m.group("local").replace("\\", "") if ns is not None else None
                (out.services if expect == "service" else out.loads).append(target)
            expect = None
            continue
        if kind == "word":
            word = m.group().upper()
            if word in _COMBINING:
                _count(out, limits)
            if word == "SILENT" and expect in ("service", "load"):
                continue
            _unresolved(out, expect)
            expect = _NEXT.get(word)
            continue
        _unresolved(out, expect)
        expect = None
        if kind == "open":
            depth += 1
            if depth > out.depth:
                out.depth = depth
                if depth > limits.max_depth:
                    raise QueryRefused(f"the query nests deeper than {limits.max_depth} levels of brackets")
        elif kind == "close":
            depth = max(0, depth - 1)
        elif kind == "op":
            _count(out, limits)
    _unresolved(out, expect)
    return out


def _count(out: Scan, limits: Limits) -> None:
    out.operators += 1
    if out.operators > limits.max_operators:
        raise QueryRefused(f"the query has more than {limits.max_operators} operators and clauses "
                           "(||, &&, comparisons, arithmetic, paths, UNION, OPTIONAL, FILTER, ...)")


def _unresolved(out: Scan, expect: str | None) -> None:
    """A SERVICE or LOAD followed by something that is not an IRI (a variable, a bracket): unknown target."""
    if expect == "service":
        out.services.append(None)
    elif expect == "load":
        out.loads.append(None)


def _absolute(iri: str, base: str | None) -> str:
    if base and not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", iri):
        return urljoin(base, iri)
    return iri


def check_outbound(found: Scan, allowed: tuple[str, ...] | list[str], option: str = "--allow-service") -> None:
    """Refuse SERVICE and LOAD unless their target starts with an allowed prefix."""
    for kind, targets in (("SERVICE", found.services), ("LOAD", found.loads)):
        for target in targets:
            if target is None:
                raise QueryRefused(f"{kind} with a variable or an unresolvable target is not allowed: name the "
                                   f"endpoint by IRI and list it with {option}")
            if not any(target.startswith(p) for p in allowed):
                if not allowed:
                    raise QueryRefused(f"{kind} <{target}> refused: outbound requests are off (start with "
                                       f"{option} URL-PREFIX to allow some)")
                raise QueryRefused(f"{kind} <{target}> refused: not under a prefix given with {option}")


def guard(text: str, limits: Limits = Limits(), allowed: tuple[str, ...] | list[str] = (),
          base_iri: str | None = None, option: str = "--allow-service") -> Scan:
    """:func:`scan` then :func:`check_outbound`; relative targets resolve against ``base_iri``."""
    found = scan(text, limits)
    if base_iri:
        found.services = [None if t is None else _absolute(t, found.base or base_iri) for t in found.services]
        found.loads = [None if t is None else _absolute(t, found.base or base_iri) for t in found.loads]
    check_outbound(found, allowed, option)
    return found


_stack_lock = threading.Lock()


def deep_thread(target, *, name: str, daemon: bool = True) -> threading.Thread:
    """A started thread with a :data:`STACK_BYTES` stack (the process-wide setting is restored)."""
    with _stack_lock:
        old = threading.stack_size(STACK_BYTES)
        try:
            t = threading.Thread(target=target, name=name, daemon=daemon)
            t.start()
        finally:
            threading.stack_size(old)
    return t


def call_with_deep_stack(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` on a thread with a :data:`STACK_BYTES` stack; its result, or its exception."""
    box: dict = {}

    def run():
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc

    deep_thread(run, name="vnkg-sparql").join()
    if "error" in box:
        raise box.pop("error")
    return box.get("value")
