"""The README's example queries and the tables printed under them, against the real output.

Each ```sparql block of README.md is followed by the table of what it returns over
``examples/articles``. This module ingests those articles into a store in memory, runs each
query as ``vnkg query`` does (union default graph, the prefixes predeclared) and compares the
rows. When the extraction changes what the examples give, one command rewrites the tables:

    python -m tests.readme_examples --write

Without ``--write`` it prints the differences and exits 1 when there are any.
"""
from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
ARTICLES = ROOT / "examples" / "articles"

_BLOCK = re.compile(r"```sparql\n(.*?)\n```\n", re.S)
_TABLE = re.compile(r"\n*((?:\|[^\n]*\|\n)+)")


@dataclass
class Example:
    query: str
    header: list[str]
    rows: list[list[str]]
    start: int  # of the table in the README text
    end: int


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", inner)]


def examples(text: str) -> list[Example]:
    """The ```sparql blocks of ``text``, each with the table that follows it."""
    found = []
    for m in _BLOCK.finditer(text):
        t = _TABLE.match(text, m.end())
        if t is None:
            raise ValueError(f"README: no result table after the query\n{m.group(1)}")
        lines = t.group(1).splitlines()
        header = _cells(lines[0])
        rows = [_cells(x) for x in lines[2:]]
        found.append(Example(m.group(1), header, rows, t.start(1), t.end(1)))
    return found


def store_of_examples():
    """The example articles ingested (validated) into a store in memory."""
    from kg.ingest import ingest
    from kg.store import LocalStore

    store = LocalStore(None)
    ingest([ARTICLES], store)
    return store


def run(store, query: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of ``query`` as `vnkg query` answers it (values as written)."""
    from kg.namespaces import PREFIXES

    result = store.ox.query(query, use_default_graph_as_union=True,
                            prefixes={p: str(n) for p, n in PREFIXES.items()})
    names = [v.value for v in result.variables]
    return names, [["" if row[n] is None else row[n].value for n in names] for row in result]


def table(header: list[str], rows: list[list[str]]) -> str:
    def cell(v: str) -> str:
        return " ".join(v.split()).replace("|", "\\|")

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def differences(text: str, store) -> list[str]:
    """What differs between each printed table and the live result (empty: all agree)."""
    out = []
    for i, ex in enumerate(examples(text), 1):
        header, rows = run(store, ex.query)
        printed, live = table(ex.header, ex.rows).splitlines(), table(header, rows).splitlines()
        if printed != live:
            diff = "\n".join(difflib.unified_diff(printed, live, "README", "live", lineterm=""))
            out.append(f"example {i} ({ex.query.splitlines()[0].strip()} …):\n{diff}")
    return out


def rewrite(text: str, store) -> str:
    """``text`` with every example's table replaced by the live result."""
    pieces, pos = [], 0
    for ex in examples(text):
        header, rows = run(store, ex.query)
        pieces += [text[pos:ex.start], table(header, rows)]
        pos = ex.end
    pieces.append(text[pos:])
    return "".join(pieces)


def main(argv: list[str]) -> int:
    text = README.read_text(encoding="utf-8")
    store = store_of_examples()
    if "--write" in argv:
        new = rewrite(text, store)
        if new != text:
            README.write_text(new, encoding="utf-8")
            print("README.md: example tables rewritten from the live output")
        else:
            print("README.md: example tables already match")
        return 0
    diffs = differences(text, store)
    for d in diffs:
        print(d, end="\n\n")
    print(f"{len(examples(text))} example(s), {len(diffs)} differ"
          + ("; `python -m tests.readme_examples --write` rewrites them" if diffs else ""))
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main(sys.argv[1:]))
