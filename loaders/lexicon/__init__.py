"""Vietnamese lexical knowledge, kept as data tables apart from the matching code.

Each ``*.tsv`` here has a header row; ``#`` starts a comment line. Columns that
hold several written forms separate them with ``|``. Tables are read once and
cached. Nothing in this package matches text: it only says what words mean.
"""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

HERE = Path(__file__).parent


@lru_cache(maxsize=None)
def table(name: str) -> tuple[dict[str, str], ...]:
    """Rows of ``<name>.tsv`` as dicts (header row gives the keys; empty cells are "")."""
    path = HERE / f"{name}.tsv"
    with path.open(encoding="utf-8") as f:
        lines = [line for line in f if line.strip() and not line.lstrip().startswith("#")]
    rows = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return tuple({k: (v or "").strip() for k, v in row.items()} for row in rows)


def forms(cell: str) -> list[str]:
    """The ``|``-separated written forms of a cell."""
    return [f.strip() for f in cell.split("|") if f.strip()]


@lru_cache(maxsize=None)
def words(name: str, column: str = "form") -> tuple[str, ...]:
    """All forms in one column of a table, longest first (for regex alternations)."""
    out = {f for row in table(name) for f in forms(row[column])}
    return tuple(sorted(out, key=lambda s: (-len(s), s)))
