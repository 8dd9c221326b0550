"""Extraction speed: seed-sized articles per second on one core (read, clean, extract, map to RDF).

    python -m bench.extract_speed [--rounds 20] [--path ../shared/seeds]

Prints one table; it asserts nothing (the aim is >= 50 seed-sized articles a second).
"""
from __future__ import annotations

import argparse
import time
from pathlib import Path

from kg.iri import Minter
from kg.mapping import article_graph
from loaders.extract import extract
from loaders.read import read_path

HERE = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=20)
    ap.add_argument("--path", default=str(HERE.parent / "shared" / "seeds"))
    args = ap.parse_args()
    paths = [p for p in [Path(args.path), HERE / "examples" / "articles"] if p.exists()]
    articles = [a for p in paths for a in read_path(p) if not hasattr(a, "message")]
    mint = Minter()
    for a in articles:  # warm caches (gazetteer, lexicon patterns)
        article_graph(a, extract(a), mint)
    timings = {"read": 0.0, "extract": 0.0, "map": 0.0}
    n = 0
    for _ in range(args.rounds):
        for p in paths:
            t0 = time.perf_counter()
            batch = [a for a in read_path(p) if not hasattr(a, "message")]
            timings["read"] += time.perf_counter() - t0
            for a in batch:
                t1 = time.perf_counter()
                facts = extract(a)
                t2 = time.perf_counter()
                article_graph(a, facts, mint)
                timings["map"] += time.perf_counter() - t2
                timings["extract"] += t2 - t1
                n += 1
    total = sum(timings.values())
    chars = sum(len(a.text) for a in articles) / len(articles)
    print(f"{n} articles ({len(articles)} distinct, {chars:,.0f} characters on average), one core")
    print(f"{'stage':<10}{'ms/article':>12}{'share':>8}")
    for stage, t in timings.items():
        print(f"{stage:<10}{1000 * t / n:>12.2f}{t / total:>8.0%}")
    print(f"{'total':<10}{1000 * total / n:>12.2f}")
    print(f"articles/s: {n / total:.1f}")


if __name__ == "__main__":
    main()
