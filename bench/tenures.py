"""Tenures at scale: what keeping them up to date costs ingest, and how the derived ones match planted ones.

    python -m bench.tenures --generated 1000 [--districts 40] [--seed 0] [--jobs 2] [--out DIR]
    python -m bench.tenures --articles DIR [--jobs 2] [--out DIR]

``--generated N`` writes a corpus of N articles with planted secretaries' tenures
(``bench/generate.py --tenures``), ingests it and scores the derived tenures against the planted
ones; ``--articles DIR`` ingests a folder of articles (no planted truth: costs, counts, conflicts).

Printed, one line each (and all of it as JSON at the end):

* **ingest**: the wall time of the ingest (``kg.parallel.ingest_parallel``, ``--jobs``) and the
  time of the tenure recomputation that ends it (``kg.tenures.after_ingest``), as a share of the
  rest: the slow-down of ingest with tenures on.
* **small batches**: ``--incremental K`` articles ingested again one call each, as ``vnkg ingest
  FILE`` does (the worst case: every call recomputes what its one article touches); the same
  share per call.
* **rebuild**: ``vnkg tenures --rebuild`` (every tenure of the store).
* **check**: tenure bounds that disagree with their own readings (``kg.tenures.disagreements``).
* **planted** (generated only): of the planted tenures read at least once, how many were derived;
  for their beginnings and ends, how many agree with the truth as their kind says (an attested
  date is the true one, "no later than" is on or after it, "no earlier than" on or before it) and
  by how many days a bound misses the true date (the attestation gap); and the precision and
  recall of the succession links (``vnkg:succeeds``) against the planted order.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROLE_SECRETARY = "https://w3id.org/vnkg/ontology/role/secretary"


def _ingest(paths, store, jobs: int):
    from kg.ingest import ingest
    from kg.parallel import ingest_parallel

    t0 = time.perf_counter()
    summary = ingest_parallel(paths, store, jobs=jobs) if jobs > 1 else ingest(paths, store)
    return summary, time.perf_counter() - t0


def costs(articles: Path, store_dir: Path, jobs: int, incremental: int) -> dict:
    """Ingest ``articles`` into a new store at ``store_dir``; the cost of tenures, and what they are."""
    from kg import tenures as T
    from kg.store import LocalStore

    if store_dir.exists():
        shutil.rmtree(store_dir)
    store = LocalStore(store_dir)
    out: dict = {}
    summary, wall = _ingest([articles], store, jobs)
    ten = summary.tenures.seconds if summary.tenures else 0.0
    out["ingest"] = {"articles": summary.articles, "wall_s": round(wall, 2), "tenures_s": round(ten, 3),
                     "groups": summary.tenures.groups if summary.tenures else 0,
                     "overhead_pct": round(100 * ten / max(1e-9, wall - ten), 2)}
    print(f"ingest: {summary.articles} articles in {wall:.1f} s, of which tenures {ten:.2f} s "
          f"({out['ingest']['groups']} posts recomputed): +{out['ingest']['overhead_pct']:.2f}% over ingest without",
          flush=True)
    files = sorted(p for p in articles.rglob("*") if p.suffix.lower() in (".txt", ".html"))[:incremental]
    if files:
        walls, tens = [], []
        for f in files:
            s, w = _ingest([f], store, 1)
            walls.append(w)
            tens.append(s.tenures.seconds if s.tenures else 0.0)
        per, per_ten = statistics.mean(walls), statistics.mean(tens)
        out["small_batches"] = {"calls": len(files), "mean_wall_s": round(per, 3), "mean_tenures_s": round(per_ten, 4),
                                "max_tenures_s": round(max(tens), 4),
                                "overhead_pct": round(100 * per_ten / max(1e-9, per - per_ten), 2)}
        print(f"small batches: {len(files)} articles ingested again one call each: {per:.2f} s per call, of which "
              f"tenures {per_ten * 1000:.1f} ms (max {max(tens) * 1000:.1f} ms): "
              f"+{out['small_batches']['overhead_pct']:.2f}%", flush=True)
    done = T.rebuild(store)
    out["rebuild"] = {"tenures": done.tenures, "readings": done.readings, "posts": done.groups,
                      "seconds": round(done.seconds, 2)}
    print(f"rebuild: {done.tenures:,} tenures from {done.readings:,} readings of {done.groups:,} posts in "
          f"{done.seconds:.2f} s", flush=True)
    stored = T.stored(store, evidence=False)
    bad = T.disagreements(stored)
    out["check"] = {"tenures": len(stored), "disagreements": len(bad), "examples": bad[:5]}
    print(f"check: {len(bad)} of {len(stored):,} tenures have a bound that disagrees with their readings", flush=True)
    out["counts"] = T.counts(store)
    print("counts: " + ", ".join(f"{k} {v:,}" for k, v in sorted(out["counts"].items())), flush=True)
    out["store"] = store
    return out


def score(store, planted: list[dict]) -> dict:
    """The derived secretaries' tenures of the planted districts against the planted ones."""
    import datetime as dt

    from kg import tenures as T

    day = dt.date.fromisoformat
    rows = T.table(store, role=ROLE_SECRETARY)
    truth = {(p["province"], p["committee"], p["name"]): p for p in planted}
    committees = {(p["province"], p["committee"]) for p in planted}
    derived = {(r["province"], r["body"], r["official"]): r for r in rows if (r["province"], r["body"]) in committees}
    matched = {k: (r, truth[k]) for k, r in derived.items() if k in truth}
    extra = sorted(k for k in derived if k not in truth)

    agree = defaultdict(lambda: [0, 0])  # (side, kind) -> [agree, total]
    gaps = defaultdict(list)             # (side, kind) -> days the bound misses the truth by
    for r, p in matched.values():
        true_start = day(p["start"])
        true_end = day(p["end"]) if p["end"] else None
        for side, value, kind, true in (("start", r["start"], r["start_kind"], true_start),
                                        ("end", r["end"], r["end_kind"], true_end)):
            if not value:
                continue
            d = day(value)
            if true is None:  # still held when the corpus ends: only "no earlier than" can be right
                ok = kind == "noEarlierThan"
            elif kind == "attested":
                ok = d == true
            elif kind == "noLaterThan":
                ok = d >= true
            else:
                ok = d <= true
            a = agree[(side, kind)]
            a[0] += ok
            a[1] += 1
            if true is not None:
                gaps[(side, kind)].append(abs((d - true).days))
    # successions: derived vnkg:succeeds among matched tenures, against the planted predecessor
    iri = {r["tenure_iri"]: k for k, r in derived.items()}
    found = set()
    for t in T.stored(store, role=ROLE_SECRETARY, evidence=False):
        if t.iri in iri:
            for before in t.succeeds:
                if before in iri:
                    found.add((iri[before], iri[t.iri]))
    planted_links = {((p["province"], p["committee"], p["predecessor"]), (p["province"], p["committee"], p["name"]))
                     for p in planted if p["predecessor"]}
    observed = {(a, b) for a, b in planted_links if a in matched and b in matched}
    right = found & planted_links
    read = sum(1 for p in planted if (p["province"], p["committee"], p["name"]) in matched)
    return {
        "planted_tenures": len(planted), "planted_read": read, "derived_secretary_tenures": len(derived),
        "unplanted_derived": len(extra), "unplanted_examples": [list(k) for k in extra[:5]],
        "bounds": {f"{side} {kind}": {"agree": a, "of": n, "median_gap_days": statistics.median(gaps[(side, kind)])
                                      if gaps[(side, kind)] else None}
                   for (side, kind), (a, n) in sorted(agree.items())},
        "successions": {"derived": len(found), "right": len(right),
                        "precision": round(len(right) / len(found), 3) if found else None,
                        "planted": len(planted_links), "planted_both_read": len(observed),
                        "recall_of_both_read": round(len(right & observed) / len(observed), 3) if observed else None,
                        "recall_of_all": round(len(right) / len(planted_links), 3) if planted_links else None},
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--generated", type=int, metavar="N", help="generate N articles with planted tenures")
    src.add_argument("--articles", type=Path, help="a folder of articles")
    ap.add_argument("--districts", type=int, default=40, help="districts with planted tenures (--generated)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--incremental", type=int, default=20, help="articles ingested again one call each")
    ap.add_argument("--out", type=Path, default=None, help="working folder (default: a temporary one)")
    args = ap.parse_args(argv)
    work = args.out or Path(tempfile.mkdtemp(prefix="vnkg-tenures-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.generated:
        from bench.generate import generate

        corpus = work / f"corpus-{args.generated}-{args.seed}-t{args.districts}"
        if not (corpus / "tenures.json").is_file():
            generate(args.generated, corpus, seed=args.seed, tenures=args.districts)
        articles = corpus / "articles"
    else:
        corpus, articles = None, args.articles
    result = costs(articles, work / "store", args.jobs, args.incremental)
    store = result.pop("store")
    if corpus is not None:
        planted = json.loads((corpus / "tenures.json").read_text(encoding="utf-8"))
        result["planted"] = s = score(store, planted)
        print(f"planted: {s['planted_read']} of {s['planted_tenures']} planted tenures read at least once; "
              f"{s['derived_secretary_tenures']} derived in their committees ({s['unplanted_derived']} not planted)")
        for what, b in s["bounds"].items():
            print(f"  {what}: {b['agree']} of {b['of']} agree with the truth; median gap {b['median_gap_days']} days")
        sc = s["successions"]
        print(f"  successions: precision {sc['precision']} ({sc['right']} of {sc['derived']} derived links right), "
              f"recall {sc['recall_of_both_read']} of the {sc['planted_both_read']} planted links whose two tenures "
              f"were read ({sc['recall_of_all']} of all {sc['planted']})")
    store.close()
    print(json.dumps(result, ensure_ascii=False, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
