"""Soak test of the server under normal and hostile load (prints numbers; not a unit test).

    python -m bench.soak [--articles 1000] [--minutes 10] [--clients 16] [--timeout 5] [--json FILE]
    python -m bench.soak --articles 60 --minutes 1 --clients 4      # CI-sized

1. A synthetic corpus (:mod:`bench.generate`) is ingested into an embedded store (kept under
   ``--work`` between runs), and ``vnkg serve`` is started on it (a child process, 127.0.0.1).
2. ``--clients`` asynchronous clients send requests for ``--minutes``, drawn at random from a
   mix: SPARQL queries of the benchmark mix (:data:`bench.run.MIX`), pages of officials, places
   and articles, ``/id/`` redirects, search, and hostile requests: queries nested thousands deep
   or with thousands of operators, memory and time bombs, SERVICE and LOAD towards a local
   listener, invalid UTF-8, ``..`` in paths.
3. Every second the resident memory (RSS) of the server and its worker processes is sampled.

It reports throughput, p50/p99 latency and status codes per kind of request, the RSS curve, and
checks: the server never died, no 5xx other than the documented 503s (time limit, memory limit,
server busy), every hostile request got the answer it should, the local listener received
nothing, the server still answers at the end, and, after the load stops, RSS returns within
``--rss-factor`` (1.5) of its value after warm-up. Exit status 1 when a check fails.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import MIX, PREFIXES, corpus, sample_params  # noqa: E402
from bench.servers import free_port, wait_http  # noqa: E402

JSON = {"accept": "application/sparql-results+json"}
MEMORY_BOMB = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f LIMIT 10"
TIME_BOMB = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------ the store
def store_for(work: Path, n: int, seed: int) -> Path:
    folder = corpus(work, n, seed)
    store = work / f"soak-store-{n}-{seed}"
    if not (store / "DONE").exists():
        import shutil

        shutil.rmtree(store, ignore_errors=True)
        log(f"ingesting {n} articles into {store} ...")
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "kg.cli", "ingest", "--jobs", "2", "--no-validate", "--store",
                        str(store), str(folder / "articles")], cwd=ROOT, check=False,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        (store / "DONE").write_text(f"{time.perf_counter() - t0:.1f}\n")
    return store


def page_paths(store: Path, k: int = 50) -> dict[str, list[str]]:
    from kg.store import LocalStore

    st = LocalStore(store, read_only=True)
    base = "https://w3id.org/vnkg/id/"

    def iris(q: str) -> list[str]:
        return [r["x"].value[len(base):] for r in st.query(PREFIXES + q) if r["x"].value.startswith(base)]

    out = {"official": iris("SELECT DISTINCT ?x WHERE { ?x a vnkg:Official } LIMIT %d" % k),
           "article": iris("SELECT DISTINCT ?x WHERE { ?x a vnkg:Article } LIMIT %d" % k),
           "place": iris("SELECT DISTINCT ?x WHERE { ?f vnkg:subject ?x } LIMIT %d" % k)}
    del st
    return out


# ------------------------------------------------------------------------------ a listener that must hear nothing
class Listener:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}/"
        self.connections = 0
        self._stop = threading.Event()
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self.sock.close()


# ------------------------------------------------------------------------------ the mix
def hostile_requests(listener_url: str) -> list[tuple[str, str, dict, set[int]]]:
    """(name, method, request kwargs, expected statuses)."""
    deep = "SELECT * WHERE " + "{" * 3000 + " ?s ?p ?o " + "}" * 3000
    ors = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * 10000) + ") }"
    nots = "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 10000 + "?o) }"
    optional = "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * 10000 + "}" * 10000 + " }"
    sub = "SELECT * WHERE " + "{ SELECT * WHERE " * 10000 + "{ ?s ?p ?o }" + " }" * 10000
    return [
        ("deep-braces", "GET", {"url": "/sparql", "params": {"query": deep}, "headers": JSON}, {400}),
        ("long-or", "POST", {"url": "/sparql", "data": {"query": ors}, "headers": JSON}, {400}),
        ("deep-not", "POST", {"url": "/sparql", "data": {"query": nots}, "headers": JSON}, {400}),
        ("deep-optional", "POST", {"url": "/sparql", "data": {"query": optional}, "headers": JSON}, {400}),
        ("deep-subselect", "POST", {"url": "/sparql", "data": {"query": sub}, "headers": JSON}, {400}),
        ("service", "GET", {"url": "/sparql", "params": {
            "query": f"SELECT * WHERE {{ SERVICE <{listener_url}sparql> {{ ?s ?p ?o }} }}"}, "headers": JSON}, {400}),
        ("service-var", "GET", {"url": "/sparql", "params": {
            "query": "SELECT * WHERE { SERVICE ?x { ?s ?p ?o } }"}, "headers": JSON}, {400}),
        ("load", "POST", {"url": "/sparql", "data": {"update": f"LOAD <{listener_url}x.html>"}}, {400, 403}),
        ("bad-utf8-query", "GET", {"url": "/sparql?query=SELECT%FF%20*"}, {400}),
        ("bad-utf8-search", "GET", {"url": "/search?q=%C3%28"}, {400}),
        ("dotdot", "GET", {"url": "/id/article/..%2F..%2Fetc%2Fpasswd"}, {404}),
    ]


BOMBS = [("memory-bomb", "GET", {"url": "/sparql", "params": {"query": MEMORY_BOMB}, "headers": JSON}, {503}),
         ("time-bomb", "GET", {"url": "/sparql", "params": {"query": TIME_BOMB}, "headers": JSON}, {503})]


def normal_requests(params: list[dict], pages: dict[str, list[str]], rng: random.Random):
    names = list(MIX)

    def query():
        name = rng.choice(names)
        q = PREFIXES + MIX[name].format(**rng.choice(params))
        return f"query:{name}", "GET", {"url": "/sparql", "params": {"query": q}, "headers": JSON}, {200}

    def page():
        kind = rng.choice([k for k in pages if pages[k]])
        path = rng.choice(pages[kind])
        return f"page:{kind}", "GET", {"url": f"/page/{path}"}, {200}

    def redirect():
        path = rng.choice(pages["official"] or ["x"])
        return "id-redirect", "GET", {"url": f"/id/{path}", "follow_redirects": False}, {303}

    def search():
        term = rng.choice(["hai ha", "nguyen", "huyen uy", "bi thu", "tran", "quang", "khu cong nghiep"])
        return "search", "GET", {"url": "/search", "params": {"q": term, "format": "json"}}, {200}

    return [(query, 55), (page, 20), (redirect, 5), (search, 10)]


# ------------------------------------------------------------------------------ RSS
def tree_rss(pid: int) -> int:
    """Resident memory of ``pid`` and its descendants, bytes."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            fields = (p / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(p.name))
        rss[int(p.name)] = int(fields[21]) * page
    total, todo = 0, [pid]
    while todo:
        q = todo.pop()
        total += rss.get(q, 0)
        todo += children.get(q, [])
    return total


# ------------------------------------------------------------------------------ the run
async def load(url: str, clients: int, seconds: float, draw, stats: dict) -> None:
    import httpx

    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as c:
        async def client(i: int):
            while time.monotonic() < deadline:
                name, method, kw, expected = draw()
                t0 = time.perf_counter()
                try:
                    r = await c.request(method, **kw)
                    status = r.status_code
                    body = r.text[:200]
                except httpx.HTTPError as e:
                    status, body = 0, repr(e)
                dt = time.perf_counter() - t0
                s = stats.setdefault(name, {"lat": [], "codes": {}, "unexpected": []})
                s["lat"].append(dt)
                s["codes"][status] = s["codes"].get(status, 0) + 1
                ok = status in expected or (status == 503 and "busy" in body)
                if not ok and len(s["unexpected"]) < 5:
                    s["unexpected"].append((status, body))
        await asyncio.gather(*(client(i) for i in range(clients)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--minutes", type=float, default=10)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--timeout", type=float, default=5, help="the server's query time limit (s)")
    ap.add_argument("--query-memory", type=int, default=512, help="the server's memory per query (MiB)")
    ap.add_argument("--workers", type=int, help="the server's query workers (default: the server's)")
    ap.add_argument("--hostile", type=float, default=0.10, help="share of hostile requests (cheap ones)")
    ap.add_argument("--bombs", type=float, default=0.01, help="share of memory and time bombs")
    ap.add_argument("--settle", type=float, default=15, help="seconds of quiet before the last RSS sample")
    ap.add_argument("--rss-factor", type=float, default=1.5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)

    store = store_for(args.work, args.articles, args.seed)
    params = sample_params(str(store))
    pages = page_paths(store)
    listener = Listener()
    port = free_port()
    server_log = args.work / "soak-server.log"
    cmd = [sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", str(port),
           "--timeout", str(args.timeout), "--query-memory", str(args.query_memory)] + \
        (["--workers", str(args.workers)] if args.workers else [])
    with server_log.open("wb") as logf:
        proc = subprocess.Popen(cmd, cwd=ROOT, stdout=logf, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    rng = random.Random(args.seed)
    normal = normal_requests(params, pages, rng)
    hostile = hostile_requests(listener.url)
    weights = [w for _, w in normal]
    normal_share = 1 - args.hostile - args.bombs

    def draw():
        x = rng.random()
        if x < args.bombs:
            return rng.choice(BOMBS)
        if x < args.bombs + args.hostile:
            return rng.choice(hostile)
        return rng.choices([f for f, _ in normal], weights)[0]()

    stats: dict = {}
    curve: list[tuple[float, int]] = []
    from server.settings import default_workers

    results: dict = {"articles": args.articles, "minutes": args.minutes, "clients": args.clients,
                     "timeout_s": args.timeout, "query_memory_mb": args.query_memory,
                     "workers": args.workers or default_workers(),
                     "shares": {"normal": normal_share, "hostile": args.hostile, "bombs": args.bombs}}
    try:
        wait_http(url + "/health", proc, 120)
        import httpx

        for _ in range(3):  # warm up: index, workers, caches
            for f, _w in normal:
                name, method, kw, _e = f()
                httpx.request(method, url + kw.pop("url"), timeout=60, **kw)
        rss_start = tree_rss(proc.pid)
        t0 = time.monotonic()
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                curve.append((time.monotonic() - t0, tree_rss(proc.pid)))
                stop.wait(1.0)
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        log(f"soak: {args.clients} clients for {args.minutes:g} min on {url} ({args.articles} articles) ...")
        asyncio.run(load(url, args.clients, args.minutes * 60, draw, stats))
        wall = time.monotonic() - t0
        alive_after_load = proc.poll() is None
        time.sleep(args.settle)
        stop.set()
        sampler.join()
        rss_end = tree_rss(proc.pid)
        final = httpx.get(url + "/sparql", params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"},
                          headers=JSON, timeout=60)
        health = httpx.get(url + "/health", timeout=30).json()
    finally:
        alive = proc.poll() is None
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
        listener.close()

    total = sum(len(s["lat"]) for s in stats.values())
    per = {}
    for name, s in sorted(stats.items()):
        lat = sorted(s["lat"])
        per[name] = {"n": len(lat), "per_s": len(lat) / wall, "p50_ms": 1000 * statistics.median(lat),
                     "p99_ms": 1000 * lat[min(len(lat) - 1, int(0.99 * (len(lat) - 1)))],
                     "codes": s["codes"], "unexpected": s["unexpected"]}
    other_5xx = sum(n for s in stats.values() for c, n in s["codes"].items() if c >= 500 and c != 503)
    failures = sum(n for s in stats.values() for c, n in s["codes"].items() if c == 0)
    unexpected = {k: v["unexpected"] for k, v in per.items() if v["unexpected"]}
    peak = max((r for _, r in curve), default=rss_start)
    checks = {
        "server alive throughout": alive and alive_after_load,
        "no 5xx other than 503": other_5xx == 0,
        "no failed connections": failures == 0,
        "every request answered as expected": not unexpected,
        "listener received nothing": listener.connections == 0,
        "answers at the end": final.status_code == 200,
        f"RSS back within {args.rss_factor}x of start": rss_end <= args.rss_factor * rss_start,
    }
    results.update(wall_s=wall, requests=total, per_s=total / wall, per_kind=per, other_5xx=other_5xx,
                   rss_start_mb=rss_start / 2**20, rss_peak_mb=peak / 2**20, rss_end_mb=rss_end / 2**20,
                   rss_curve_mb=[(round(t), round(r / 2**20)) for t, r in curve[:: max(1, len(curve) // 60)]],
                   health=health, checks=checks)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    print(report(results))
    return 0 if all(checks.values()) else 1


def report(r: dict) -> str:
    out = [f"## Soak: {r['clients']} clients, {r['wall_s'] / 60:.1f} min, {r['articles']} articles "
           f"(time limit {r['timeout_s']:g} s, {r['query_memory_mb']} MiB per query, {r['workers']} workers)", "",
           f"{r['requests']:,} requests, {r['per_s']:.1f}/s overall.", "",
           "| request | n | per s | p50 ms | p99 ms | statuses |", "|---|---:|---:|---:|---:|---|"]
    for name, s in r["per_kind"].items():
        codes = ", ".join(f"{c}: {n}" for c, n in sorted(s["codes"].items()))
        out.append(f"| {name} | {s['n']:,} | {s['per_s']:.2f} | {s['p50_ms']:.0f} | {s['p99_ms']:.0f} | {codes} |")
    out += ["", f"RSS of the server and its workers: {r['rss_start_mb']:.0f} MB after warm-up, peak "
                f"{r['rss_peak_mb']:.0f} MB, {r['rss_end_mb']:.0f} MB after the load stopped.",
            "RSS curve (s, MB): " + " ".join(f"{t}:{m}" for t, m in r["rss_curve_mb"]), "",
            "Workers killed: at the time limit {killed_at_time_limit}, for memory {killed_for_memory}; "
            "crashed {crashed}.".format(**(r["health"].get("isolation") or
                                         {"killed_at_time_limit": "-", "killed_for_memory": "-", "crashed": "-"})),
            ""]
    out += [f"- {'PASS' if ok else 'FAIL'}: {name}" for name, ok in r["checks"].items()]
    for name, s in r["per_kind"].items():
        for status, body in s["unexpected"]:
            out.append(f"  - unexpected {name}: {status} {body!r}")
    return "\n".join(out)


if __name__ == "__main__":
    raise SystemExit(main())
