"""Benchmark of the web server (not a test): page latency and SPARQL throughput over HTTP vs in process.

    python bench/bench_server.py [--articles 2000] [--clients 8] [--requests 200]

Builds an in-memory store (the test fixture plus synthetic articles, one named
graph each, shaped like the real ones), serves it with uvicorn on 127.0.0.1 in
a child process, and measures with httpx from this process:

* the median (and p90) latency of an official's HTML page, requests one after another;
* queries per second with N concurrent clients (bounded: each sends a fixed number of requests)
  on a simple SELECT, against the same query run in process on pyoxigraph (one thread, and N threads).

Prints a table. Traffic goes only to 127.0.0.1.
"""
from __future__ import annotations

import argparse
import asyncio
import multiprocessing as mp
import socket
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIXTURE = ROOT / "tests" / "data" / "server" / "fixture.trig"
ID = "https://w3id.org/vnkg/id/"
V = "https://w3id.org/vnkg/ontology#"
# A simple query: the posts of one official, with their bodies.
QUERY = """PREFIX org: <http://www.w3.org/ns/org#>
SELECT ?post ?org WHERE { ?post org:member <https://w3id.org/vnkg/id/person/quang-ninh/nguyen-van-an> ;
                                org:organization ?org } LIMIT 50"""
PAGE = "/page/person/bench/official-0001"          # an ordinary official: 4 articles, 4 posts
BUSY_PAGE = "/page/person/quang-ninh/nguyen-van-an"  # in every article: 200 posts, 2,000 mentions


def build_store(articles: int):
    import pyoxigraph as ox

    from kg.store import LocalStore

    store = LocalStore(None)
    store.ox.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    N = ox.NamedNode
    T = N("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    label = N("http://www.w3.org/2000/01/rdf-schema#label")
    name = N("http://xmlns.com/foaf/0.1/name")
    quads = []
    an = N(ID + "person/quang-ninh/nguyen-van-an")
    for a in range(articles):
        g = N(f"{ID}graph/bench{a:06d}")
        art = N(f"{ID}article/bench{a:06d}")
        person = N(f"{ID}person/bench/official-{a % 500:04d}")
        place = N(f"{ID}place/bench/district-{a % 50:02d}")
        body = N(f"{ID}org/bench/district-{a % 50:02d}/huyen-uy")
        add = quads.append
        add(ox.Quad(art, T, N(V + "Article"), g))
        add(ox.Quad(art, N("http://purl.org/dc/terms/title"), ox.Literal(f"Bài thử {a}", language="vi"), g))
        add(ox.Quad(art, N("http://purl.org/dc/terms/issued"),
                    ox.Literal(f"20{10 + a % 15}-0{1 + a % 9}-15", datatype=N("http://www.w3.org/2001/XMLSchema#date")), g))
        for who, nm in ((person, f"Cán Bộ {a % 500}"), (an, "Nguyễn Văn An")):
            add(ox.Quad(who, T, N(V + "Official"), g))
            add(ox.Quad(who, name, ox.Literal(nm), g))
            add(ox.Quad(art, N("https://schema.org/mentions"), who, g))
        add(ox.Quad(place, T, N(V + "District"), g))
        add(ox.Quad(place, label, ox.Literal(f"huyện Thử {a % 50}", language="vi"), g))
        add(ox.Quad(body, T, N(V + "PartyCommittee"), g))
        add(ox.Quad(body, label, ox.Literal(f"Huyện ủy Thử {a % 50}", language="vi"), g))
        add(ox.Quad(body, N(V + "jurisdiction"), place, g))
        for k, who in enumerate((person, an) if a % 10 == 0 else (person,)):
            post = N(f"{ID}post/bench{a:06d}/{k}")
            add(ox.Quad(post, T, N(V + "PostHolding"), g))
            add(ox.Quad(post, N("http://www.w3.org/ns/org#member"), who, g))
            add(ox.Quad(post, N("http://www.w3.org/ns/org#role"), N("https://w3id.org/vnkg/ontology/role/bi-thu"), g))
            add(ox.Quad(post, N("http://www.w3.org/ns/org#organization"), body, g))
            add(ox.Quad(post, N("http://www.w3.org/ns/prov#wasDerivedFrom"), art, g))
            add(ox.Quad(post, N(V + "evidence"), ox.Literal(f"Câu thử số {a}: Nguyễn Văn An, Bí thư."), g))
        fig = N(f"{ID}figure/bench{a:06d}/1")
        add(ox.Quad(fig, T, N(V + "Achievement"), g))
        add(ox.Quad(fig, N(V + "indicator"), N("https://w3id.org/vnkg/ontology/indicator/income-per-capita"), g))
        add(ox.Quad(fig, N(V + "value"), ox.Literal(str(1000 + a), datatype=N("http://www.w3.org/2001/XMLSchema#decimal")), g))
        add(ox.Quad(fig, N(V + "subject"), place, g))
        add(ox.Quad(fig, N("http://www.w3.org/ns/prov#wasDerivedFrom"), art, g))
    store.ox.extend(quads)
    return store


def run_server(port: int, articles: int, ready) -> None:
    import uvicorn

    from server.app import create_app
    from server.settings import Settings

    store = build_store(articles)
    app = create_app(store, Settings(workers=4, timeout=30))
    app.state.site.index  # build the label index before serving
    app.state.site.stats()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    ready.set()
    server.run()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def page_latency(base: str, n: int, page: str) -> list[float]:
    import httpx

    times = []
    with httpx.Client(base_url=base, timeout=60) as c:
        c.get(page)  # warm
        for _ in range(n):
            t0 = time.perf_counter()
            r = c.get(page)
            times.append(time.perf_counter() - t0)
            assert r.status_code == 200
    return times


async def http_throughput(base: str, clients: int, per_client: int) -> tuple[float, list[float]]:
    import httpx

    lat: list[float] = []
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as c:
        await c.get("/sparql", params={"query": QUERY})

        async def worker():
            for _ in range(per_client):
                t0 = time.perf_counter()
                r = await c.get("/sparql", params={"query": QUERY},
                                headers={"accept": "application/sparql-results+json"})
                lat.append(time.perf_counter() - t0)
                assert r.status_code == 200, r.text
        t0 = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        return clients * per_client / (time.perf_counter() - t0), lat


def inprocess_throughput(store, total: int, threads: int) -> float:
    from server.results import select_json

    def one():
        res = store.ox.query(QUERY, use_default_graph_as_union=True)
        names = [v.value for v in res.variables]
        rows = [tuple(s[i] for i in range(len(names))) for s in res]
        select_json(names, rows)

    one()
    t0 = time.perf_counter()
    if threads == 1:
        for _ in range(total):
            one()
    else:
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda _: one(), range(total)))
    return total / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=2000)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=100, help="requests per client (and page requests)")
    args = ap.parse_args()

    port = free_port()
    ctx = mp.get_context("spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=run_server, args=(port, args.articles, ready), daemon=True)
    proc.start()
    try:
        if not ready.wait(300):
            raise SystemExit("server did not start")
        base = f"http://127.0.0.1:{port}"
        import httpx
        for _ in range(200):
            try:
                httpx.get(base + "/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        store = build_store(args.articles)
        quads = len(store.ox)
        pages = page_latency(base, args.requests, PAGE)
        busy_pages = page_latency(base, max(10, args.requests // 4), BUSY_PAGE)
        qps_http, lat = asyncio.run(http_throughput(base, args.clients, args.requests))
        qps_1 = inprocess_throughput(store, args.clients * args.requests, 1)
        qps_n = inprocess_throughput(store, args.clients * args.requests, args.clients)
    finally:
        proc.terminate()
        proc.join(10)

    ms = lambda xs, q: 1000 * statistics.quantiles(xs, n=10)[q] if len(xs) >= 10 else float("nan")  # noqa: E731
    print(f"store: {args.articles} synthetic articles + fixture = {quads:,} quads; "
          f"{args.clients} clients x {args.requests} requests")
    print(f"{'measure':<58} {'value':>12}")
    print("-" * 71)
    print(f"{'HTML page of an official (4 posts), median latency (ms)':<58} {1000 * statistics.median(pages):>12.1f}")
    print(f"{'HTML page of an official (4 posts), p90 latency (ms)':<58} {ms(pages, 8):>12.1f}")
    print(f"{'HTML page of an official (200 posts), median (ms)':<58} {1000 * statistics.median(busy_pages):>12.1f}")
    print(f"{'SPARQL over HTTP, ' + str(args.clients) + ' concurrent clients (queries/s)':<58} {qps_http:>12.1f}")
    print(f"{'SPARQL over HTTP, median latency under load (ms)':<58} {1000 * statistics.median(lat):>12.1f}")
    print(f"{'same query in process, pyoxigraph, 1 thread (queries/s)':<58} {qps_1:>12.1f}")
    print(f"{'same query in process, pyoxigraph, ' + str(args.clients) + ' threads (queries/s)':<58} {qps_n:>12.1f}")


if __name__ == "__main__":
    main()
