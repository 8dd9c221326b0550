"""The README cannot drift: its example queries run over examples/articles and must print the
tables shown under them (``python -m tests.readme_examples --write`` rewrites the tables)."""
from __future__ import annotations

import re

import pytest

import readme_examples as rx  # tests/readme_examples.py (tests/ is on the path under pytest)


@pytest.fixture(scope="module")
def store():
    return rx.store_of_examples()


def test_every_sparql_example_of_the_readme_prints_its_table(store):
    text = rx.README.read_text(encoding="utf-8")
    found = rx.examples(text)
    assert len(found) == text.count("```sparql") >= 4
    diffs = rx.differences(text, store)
    assert not diffs, "\n\n".join(diffs) + "\n\nrun `python -m tests.readme_examples --write`"


def test_a_changed_table_is_caught_and_rewritten(store):
    text = rx.README.read_text(encoding="utf-8")
    first = rx.examples(text)[0]
    row = first.rows[0]
    wrong = text[:first.start] + rx.table(first.header, [row[:-1] + ["1999-01-01"]] + first.rows[1:]) + text[first.end:]
    assert rx.differences(wrong, store)
    assert rx.differences(rx.rewrite(wrong, store), store) == []


def test_the_readme_sends_nobody_to_files_a_clone_lacks():
    text = rx.README.read_text(encoding="utf-8")
    for m in re.finditer(r"\.\./shared/[\w./-]+", text):
        line = text[text.rfind("\n", 0, m.start()) + 1:text.find("\n", m.end())]
        assert "optional" in line.lower() or "if you have" in line.lower(), line
