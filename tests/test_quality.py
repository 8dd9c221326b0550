"""Extraction quality, measured the way acceptance measures it.

The seeds (real articles, ../shared/seeds) are ingested, exported as TriG and scored by
../shared/eval/score.py against the hand-made gold. The bar: overall F1 >= 0.90 and every
list >= 0.80. Our own example articles (examples/articles, gold in examples/gold) were written
apart from the extraction rules and serve as a held-out check with the same scorer.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kg.cli import app

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "eval" / "score.py"
LISTS = ["officials", "posts", "organizations", "places", "terms", "congresses", "documents", "zones", "figures"]


def _score(tmp_path: Path, articles: Path, gold: Path) -> tuple[dict, str]:
    store = tmp_path / "store"
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", "--store", str(store), str(articles)])
    assert res.exit_code in (0, 1), res.output
    dump = tmp_path / "dump.trig"
    res = runner.invoke(app, ["export", "--store", str(store), "--format", "trig", "--output", str(dump)])
    assert res.exit_code == 0, res.output
    table = subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--kg", str(dump)],
                           capture_output=True, text=True, check=True).stdout
    scores = json.loads(subprocess.run([sys.executable, str(SCORER), "--gold", str(gold), "--kg", str(dump), "--json"],
                                       capture_output=True, text=True, check=True).stdout.split("\noverall")[0])
    return scores, table


def _overall(table: str) -> float:
    return float(re.search(r"overall precision \S+ recall \S+ F1 (\S+)", table).group(1))


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py not available")
def test_seed_articles_meet_the_quality_bar(tmp_path):
    """Overall F1 >= 0.90 and every list >= 0.80 on the real seed articles."""
    scores, table = _score(tmp_path, SHARED / "seeds", SHARED / "gold")
    print("\nseed articles scored by ../shared/eval/score.py\n" + table)
    assert _overall(table) >= 0.90
    for name in LISTS:
        assert scores[name]["f1"] >= 0.80, f"{name}: F1 {scores[name]['f1']:.3f} below 0.80"


@pytest.mark.skipif(not SCORER.exists(), reason="../shared/eval/score.py not available")
def test_held_out_example_articles_are_read_well(tmp_path):
    """Our own example articles, written apart from the rules: overall F1 >= 0.80."""
    scores, table = _score(tmp_path, ROOT / "examples" / "articles", ROOT / "examples" / "gold")
    print("\nexample articles (held out) scored by ../shared/eval/score.py\n" + table)
    assert _overall(table) >= 0.80
