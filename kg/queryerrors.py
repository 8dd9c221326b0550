"""Parser messages a person can read.

Oxigraph's SPARQL parser answers an unknown prefix with the character classes it
expected ("expected one of Prefix not found, ['%'], ['-' | '0' ..= '9' …"), and
some mistakes with a message about the wrong place ("expected OPTIONAL"). Before
showing a parser message we look at the query ourselves: a prefixed name whose
prefix is neither predeclared nor declared in the query is named as such, with
the prefixes that are declared. Other messages are kept, shortened, with the
line they point at and a caret under the column.
"""
from __future__ import annotations

import re

# Strings, IRIs and comments hide colons that are not prefixes.
_HIDE = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
                   r'|<[^<>"{}|^`\\\x00-\x20]*>|#[^\n]*')
_NAME_CHARS = r"\w\u00B7\u00C0-\uFFFF.-"
# A prefixed name's prefix (possibly empty) right before its colon.
_PNAME = re.compile(rf"(?<![{_NAME_CHARS}?$:])((?:[A-Za-z\u00C0-\uFFFF][{_NAME_CHARS}]*)?):")
_DECL = re.compile(r"(?i)\bPREFIX\s+((?:[A-Za-z\u00C0-\uFFFF][\w\u00B7\u00C0-\uFFFF.-]*)?):")
_AT = re.compile(r"error at (\d+):(\d+)")
_MAX = 160


def _hidden(text: str) -> str:
    return _HIDE.sub(lambda m: " " * len(m.group(0)), text)


def unknown_prefixes(text: str, predeclared=()) -> list[str]:
    """Prefixes used in ``text`` that neither ``predeclared`` nor the query's PREFIX lines declare."""
    plain = _hidden(text)
    declared = set(predeclared) | set(_DECL.findall(plain))
    body = _DECL.sub(" ", plain)
    seen: list[str] = []
    for m in _PNAME.finditer(body):
        p = m.group(1)
        if p.rstrip(".") != p:  # "x.:" is not a prefix; the parser will say what is wrong
            continue
        if p not in declared and p not in seen and not p.lower() in ("http", "https", "urn", "mailto"):
            seen.append(p)
    return seen


def declared_prefixes(text: str, predeclared=()) -> list[str]:
    return list(dict.fromkeys([*predeclared, *_DECL.findall(_hidden(text))]))


def explain(text: str, message: str, predeclared=()) -> str:
    """One readable paragraph for the parser's ``message`` about the query ``text``."""
    unknown = unknown_prefixes(text, predeclared)
    if unknown:
        names = ", ".join(f"`{p}:`" for p in unknown)
        declared = ", ".join(f"{p}:" for p in declared_prefixes(text, predeclared)) or "none"
        word = "prefix" if len(unknown) == 1 else "prefixes"
        return f"unknown {word} {names}; declared: {declared}"
    short = " ".join(message.split())
    cut = short.find("expected one of ")
    if cut >= 0:  # the parser's character classes mean "some name": say so
        items = [x.strip() for x in re.findall(r"\[[^\]]*\]|[^,\[]+", short[cut + 16:]) if x.strip()]
        words = [x for x in items if not x.startswith("[")]
        if len(words) < len(items):
            words.append("a name")
        short = short[:cut] + "expected " + (" or ".join(words) if len(words) < 3 else
                                             ", ".join(words[:-1]) + " or " + words[-1])
    if len(short) > _MAX:
        short = short[:_MAX] + " …"
    m = _AT.search(message)
    if m:
        line, col = int(m.group(1)), int(m.group(2))
        lines = text.splitlines()
        if 1 <= line <= len(lines):
            src = lines[line - 1]
            return f"{short}\n  {src}\n  {' ' * max(0, col - 1)}^"
    return short
