"""Extraction quality against gold annotations, in one command.

    python -m bench.quality --dev DIR              # the 30-article development set (texts built locally)
    python -m bench.quality --articles DIR --gold GOLD [--scorer score.py] [-v]

It ingests the articles into a fresh temporary store (with SHACL, exactly as ``vnkg ingest``),
exports the dataset as TriG and runs the scorer over it, printing its table (P, R, F1 per
list, post-status accuracy). The scorer is ``eval/score.py`` of the shared evaluation folder
beside the repository unless ``--scorer`` names another. It asserts nothing.
"""
from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

from kg.export import export
from kg.ingest import ingest
from kg.store import open_store

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


def score(articles: Path, gold: Path, scorer: Path, verbose: bool = False, keep: Path | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="vnkg-quality-") as tmp:
        store = open_store(str(Path(tmp) / "store"))
        summary = ingest([articles], store)
        dump = keep or Path(tmp) / "dump.trig"
        with open(dump, "wb") as out:
            export(store, "trig", out=out)
        held = [p for p in summary.problems if getattr(p, "fatal", True)]
        print(f"{summary.articles} articles ingested, {len(held)} held back whole")
        cmd = [sys.executable, str(scorer), "--gold", str(gold), "--kg", str(dump)] + (["-v"] if verbose else [])
        return subprocess.call(cmd)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dev", type=Path, help="folder of the development-set texts (gold: shared/dev/gold)")
    ap.add_argument("--articles", type=Path, help="folder of articles to score")
    ap.add_argument("--gold", type=Path, help="folder of gold JSON files")
    ap.add_argument("--scorer", type=Path, default=SHARED / "eval" / "score.py")
    ap.add_argument("--keep", type=Path, help="also write the exported TriG here")
    ap.add_argument("-v", "--verbose", action="store_true", help="list misses and extras")
    args = ap.parse_args()
    if args.dev:
        articles, gold = args.dev, args.gold or SHARED / "dev" / "gold"
    elif args.articles and args.gold:
        articles, gold = args.articles, args.gold
    else:
        ap.error("give --dev DIR, or --articles DIR and --gold DIR")
    for what, path in (("articles", articles), ("gold", gold), ("scorer", args.scorer)):
        if not path.exists():
            ap.error(f"{what} not found: {path}")
    sys.exit(score(articles, gold, args.scorer, args.verbose, args.keep))


if __name__ == "__main__":
    main()
