"""Scale benchmark of vnkg (prints tables; not a test).

    python -m bench.run --sizes 1000,10000,100000       # full
    python -m bench.run --quick                           # 200 articles, everything, a few minutes

For each corpus size (synthetic articles from :mod:`bench.generate`, mixed .txt/.html/.jsonl):

1. **Ingest**, each variant in a fresh embedded store and a child process: articles/s, triples/s
   into the store, store size on disk, peak RSS (the ingest process, and the largest of its
   worker processes). Variants: ``seq`` (kg.ingest.ingest, what ``vnkg ingest`` runs today) and
   ``jobs=J`` (kg.parallel.ingest_parallel), with and without SHACL validation, ``bulk`` for
   the pyoxigraph bulk loader. The SHACL share is 1 - t(no validation) / t(validation).
2. **Queries**: a mix of five SPARQL queries (an official's posts, a district's figures, the
   secretaries of a province, a name search, congresses by term) with 8 concurrent clients,
   over HTTP against the vnkg server (``vnkg serve``), rdflib-endpoint (rdflib in memory; small
   sizes only), Oxigraph's own server and Virtuoso (loaded from ``vnkg export``, when
   installed), and in process on pyoxigraph (the floor): median and p99 latency, queries/s.
   Clients are threads with one keep-alive ``http.client`` connection each.
3. **Validation** (``--validation``): plain pyshacl vs kg.validate per article graph, and
   whole-store validation of about 100k triples.

Everything runs on 127.0.0.1; servers are stopped at the end. ``--work DIR`` keeps corpora and
stores between runs (default ``bench/out``, git-ignored).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.servers import Unavailable, disk_usage, free_port, start_virtuoso, wait_http  # noqa: E402

PREFIXES = """PREFIX vnkg: <https://w3id.org/vnkg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX role: <https://w3id.org/vnkg/ontology/role/>
"""
MIX = {
    "official-posts": "SELECT ?post ?role ?org ?label WHERE {{ ?post org:member <{official}> ; org:role ?role ; "
                      "org:organization ?org . ?org rdfs:label ?label }}",
    "district-figures": "SELECT ?f ?kind ?value ?unit ?year WHERE {{ ?f vnkg:subject <{place}> ; a ?kind ; "
                        "vnkg:value ?value ; vnkg:unit ?unit . OPTIONAL {{ ?f vnkg:year ?year }} }} "
                        "ORDER BY ?year LIMIT 100",
    # From the province down (its districts, their bodies, the tenures there), not from every
    # secretary reading up: what is read grows with the province, not with the store.
    "province-secretaries": "SELECT DISTINCT ?name ?org WHERE {{ ?d vnkg:partOf <{province}> . "
                            "?org vnkg:jurisdiction ?d . ?t org:organization ?org ; a vnkg:Tenure ; "
                            "org:role role:secretary ; org:member ?m . ?m foaf:name ?name }} LIMIT 200",
    # From the family name (an index lookup), not by a prefix test on every official's name.
    "name-search": "SELECT DISTINCT ?m ?name WHERE {{ ?m foaf:familyName \"{family}\" ; foaf:name ?name "
                   "FILTER(STRSTARTS(?name, \"{surname}\")) ?m a vnkg:Official }} LIMIT 50",
    "congresses-by-term": "SELECT ?term (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a vnkg:PartyCongress ; vnkg:term ?t . "
                          "?t rdfs:label ?term }} GROUP BY ?term ORDER BY ?term",
}


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    import pyoxigraph
    import pyshacl
    import rdflib

    return (f"{os.cpu_count()} CPU ({cpu}){mem}; {platform.system()} {platform.release()}; Python "
            f"{platform.python_version()}; pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}, "
            f"pyshacl {pyshacl.__version__}")


# ------------------------------------------------------------------------------ corpus
def corpus(work: Path, n: int, seed: int) -> Path:
    from bench.generate import generate

    folder = work / f"corpus-{n}-{seed}"
    marker = folder / "DONE"
    if not marker.exists():
        shutil.rmtree(folder, ignore_errors=True)
        t0 = time.perf_counter()
        generate(n, folder, seed=seed, per_jsonl=500)
        dt = time.perf_counter() - t0
        marker.write_text(f"{dt}\n")
        log(f"generated {n} articles in {dt:.1f} s ({n / dt:,.0f}/s)")
    return folder


# ------------------------------------------------------------------------------ ingest
def _ingest_child(args) -> None:
    """Runs in a child process: one ingest variant; prints its numbers as JSON."""
    from kg.store import LocalStore

    store = LocalStore(args.store)
    t0 = time.perf_counter()
    if args.jobs == 0:
        from kg.ingest import ingest

        summary = ingest([args.corpus], store, validate=not args.no_validate)
    else:
        from kg.parallel import ingest_parallel

        summary = ingest_parallel([args.corpus], store, jobs=args.jobs, validate=not args.no_validate,
                                  bulk=args.bulk)
    store.close()
    dt = time.perf_counter() - t0
    quads = None
    st = LocalStore(args.store)
    quads = len(st.ox)
    st.close()
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"seconds": dt, "articles": summary.articles, "triples": summary.triples,
                      "problems": len(summary.problems), "quads": quads, "rss_mb": own / 1024,
                      "worker_rss_mb": kids / 1024}))


def ingest_variant(work: Path, corpus_dir: Path, n: int, jobs: int, validate: bool, bulk: bool,
                   timeout: float) -> dict:
    name = ("seq" if jobs == 0 else f"jobs={jobs}") + ("" if validate else " no-SHACL") + (" bulk" if bulk else "")
    store = work / f"store-{n}-{name.replace(' ', '_').replace('=', '')}"
    shutil.rmtree(store, ignore_errors=True)
    cmd = [sys.executable, "-m", "bench.run", "_ingest", "--corpus", str(corpus_dir / "articles"),
           "--store", str(store), "--jobs", str(jobs)] + ([] if validate else ["--no-validate"]) + \
          (["--bulk"] if bulk else [])
    log(f"ingest {n} articles, {name} ...")
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    except subprocess.TimeoutExpired:
        return {"variant": name, "skipped": f"over {timeout:.0f} s"}
    if done.returncode != 0:
        return {"variant": name, "skipped": f"failed: {done.stderr[-500:]}"}
    res = json.loads(done.stdout.strip().splitlines()[-1])
    res.update(variant=name, jobs=jobs, validate=validate, bulk=bulk, store=str(store),
               store_mb=disk_usage(store) / 1e6, articles_per_s=res["articles"] / res["seconds"],
               triples_per_s=res["quads"] / res["seconds"])
    log(f"  {res['articles_per_s']:.1f} articles/s, {res['triples_per_s']:,.0f} quads/s, "
        f"{res['store_mb']:.0f} MB, RSS {res['rss_mb']:.0f}/{res['worker_rss_mb']:.0f} MB")
    return res


# ------------------------------------------------------------------------------ queries
def sample_params(store_path: str, k: int = 20, seed: int = 0) -> list[dict]:
    """Parameters of the query mix, read from the store (the same for every system)."""
    from kg.store import LocalStore

    st = LocalStore(store_path, read_only=True)
    q = lambda s: [r for r in st.query(PREFIXES + s)]  # noqa: E731
    officials = [r["m"].value for r in q("SELECT DISTINCT ?m WHERE { ?p org:member ?m } LIMIT 2000")]
    places = [r["s"].value for r in q("SELECT DISTINCT ?s WHERE { ?f vnkg:subject ?s . ?s a ?c "
                                      "FILTER(?c IN (vnkg:District, vnkg:UrbanDistrict, vnkg:Town, "
                                      "vnkg:ProvincialCity)) } LIMIT 2000")]
    provinces = [r["p"].value for r in q("SELECT DISTINCT ?p WHERE { ?o org:organization ?b . "
                                         "?b vnkg:jurisdiction ?d . ?d vnkg:partOf ?p } LIMIT 200")]
    del st
    rng = random.Random(seed)
    surnames = ("Nguyễn Văn", "Trần Thị", "Lê Đức", "Phạm Minh", "Hoàng", "Vũ Quang", "Đặng", "Bùi Thị")
    out = [{"official": rng.choice(officials or ["urn:x"]), "place": rng.choice(places or ["urn:x"]),
            "province": rng.choice(provinces or ["urn:x"]), "surname": rng.choice(surnames)} for _ in range(k)]
    for p in out:
        p["family"] = p["surname"].split()[0]
    return out


def workload(params: list[dict], total: int) -> list[tuple[str, str]]:
    names = list(MIX)
    return [(names[i % len(names)], PREFIXES + MIX[names[i % len(names)]].format(**params[i % len(params)]))
            for i in range(total)]


def summarize(name: str, lat: list[float], wall: float, errors: int, note: str = "") -> dict:
    if not lat:
        return {"system": name, "skipped": note or "no answer"}
    lat = sorted(lat)
    p99 = lat[min(len(lat) - 1, int(round(0.99 * (len(lat) - 1))))]
    return {"system": name, "queries": len(lat), "errors": errors, "median_ms": 1000 * statistics.median(lat),
            "p99_ms": 1000 * p99, "qps": len(lat) / wall, "note": note}


def inprocess(store_path: str, work_items, clients: int) -> dict:
    from kg.store import LocalStore

    st = LocalStore(store_path, read_only=True)

    def one(item):
        t0 = time.perf_counter()
        res = st.ox.query(item[1], use_default_graph_as_union=True)
        if hasattr(res, "variables"):
            for _ in res:
                pass
        return time.perf_counter() - t0

    for item in work_items[:5]:
        one(item)
    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        lat = list(pool.map(one, work_items))
    wall = time.perf_counter() - t0
    del st
    return summarize("pyoxigraph in process (floor)", lat, wall, 0, f"{clients} threads")


def _http_load(url: str, work_items, clients: int, cap_s: float, method: str) -> tuple[list, int, float, int]:
    """``clients`` threads, each with one keep-alive connection (``http.client``: a light client,
    so that the two cores measure the server, not the client), sending queries until the list is
    done or ``cap_s`` has passed: (latencies, errors, wall seconds, queries not sent)."""
    import http.client
    import threading
    from urllib.parse import urlencode, urlsplit

    parts = urlsplit(url)
    path = parts.path or "/"
    headers = {"accept": "application/sparql-results+json"}
    lat: list[float] = []
    errors = 0
    queue = list(work_items)
    lock = threading.Lock()
    deadline = time.perf_counter() + cap_s

    def send(conn, q):
        if method == "GET":
            conn.request("GET", f"{path}?{urlencode({'query': q})}", headers=headers)
        else:
            conn.request("POST", path, body=urlencode({"query": q}),
                         headers=dict(headers, **{"content-type": "application/x-www-form-urlencoded"}))
        r = conn.getresponse()
        r.read()
        return r.status

    def connect():
        return http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)

    warm = connect()
    for _, q in work_items[:3]:
        send(warm, q)
    warm.close()

    def worker():
        nonlocal errors
        conn = connect()
        while time.perf_counter() < deadline:
            with lock:
                if not queue:
                    break
                _, q = queue.pop()
            t0 = time.perf_counter()
            try:
                ok = send(conn, q) == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = connect()
            with lock:
                if ok:
                    lat.append(time.perf_counter() - t0)
                else:
                    errors += 1
        conn.close()

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return lat, errors, time.perf_counter() - t0, len(queue)


def http_system(name: str, url: str, work_items, clients: int, cap_s: float, method: str = "POST") -> dict:
    lat, errors, wall, left = _http_load(url, work_items, clients, cap_s, method)
    note = f"stopped after {cap_s:.0f} s, {left} queries not sent" if left else ""
    return summarize(name, lat, wall, errors, note)


def _stop(proc) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()


def vnkg_server(store_path: str, work_items, clients: int, cap_s: float, isolation: bool = True) -> dict:
    """``vnkg serve``: queries in worker processes (the default), or on threads (``isolation=False``)."""
    name = "vnkg server (HTTP)" if isolation else "vnkg server (HTTP), queries on threads"
    port = free_port()
    exe = Path(sys.executable).parent / "vnkg"
    cmd = [str(exe) if exe.exists() else "vnkg", "serve", "--store", store_path, "--port", str(port),
           "--timeout", "60", "--max-rows", "10000"]
    env = dict(os.environ, VNKG_ISOLATION="true" if isolation else "false")
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)
    try:
        wait_http(f"http://127.0.0.1:{port}/health", proc, 120)
        return http_system(name, f"http://127.0.0.1:{port}/sparql", work_items, clients, cap_s)
    except Unavailable as exc:
        return {"system": name, "skipped": str(exc)}
    finally:
        _stop(proc)


def page_samples(store_path: str, k: int = 20, seed: int = 0) -> dict[str, list[str]]:
    """IRIs of officials, bodies and places that pages show (read from the store)."""
    from kg.store import LocalStore

    st = LocalStore(store_path, read_only=True)
    q = lambda s, v: [r[v].value for r in st.query(PREFIXES + s)]  # noqa: E731
    kinds = {
        "person": q("SELECT DISTINCT ?m WHERE { ?p org:member ?m } LIMIT 2000", "m"),
        "body": q("SELECT DISTINCT ?b WHERE { ?b a vnkg:PartyCommittee ; vnkg:jurisdiction ?d } LIMIT 2000", "b"),
        "place": q("SELECT DISTINCT ?s WHERE { ?f vnkg:subject ?s . ?s a ?c FILTER(?c IN (vnkg:District, "
                   "vnkg:UrbanDistrict, vnkg:Town, vnkg:ProvincialCity)) } LIMIT 2000", "s"),
    }
    del st
    rng = random.Random(seed)
    return {kind: [rng.choice(iris) for _ in range(k)] if iris else [] for kind, iris in kinds.items()}


def page_latency(store_path: str, samples: dict[str, list[str]], base: str = "https://w3id.org/vnkg/id/") -> dict:
    """Latency of the pages a visitor opens (home, an official's, a body's, a place's), one client at
    a time, on ``vnkg serve``; the first request builds the label index (reported apart)."""
    import http.client
    from urllib.parse import quote

    port = free_port()
    exe = Path(sys.executable).parent / "vnkg"
    proc = subprocess.Popen([str(exe) if exe.exists() else "vnkg", "serve", "--store", store_path, "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    out: dict = {}
    try:
        wait_http(f"http://127.0.0.1:{port}/health", proc, 300)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

        def get(path: str) -> float:
            t0 = time.perf_counter()
            conn.request("GET", path, headers={"accept": "text/html"})
            r = conn.getresponse()
            r.read()
            if r.status != 200:
                raise RuntimeError(f"{path}: HTTP {r.status}")
            return time.perf_counter() - t0

        out["first request (label index built) ms"] = 1000 * get("/")
        paths = {"home": ["/"] * 20}
        for kind, iris in samples.items():
            paths[kind] = ["/page/" + quote(i[len(base):], safe="/") for i in iris if i.startswith(base)]
        for kind, lst in paths.items():
            for p in lst[:3]:  # warm
                get(p)
            lat = sorted(get(p) for p in lst)
            if lat:
                out[kind] = {"pages": len(lat), "median_ms": 1000 * statistics.median(lat),
                             "p99_ms": 1000 * lat[min(len(lat) - 1, int(round(0.99 * (len(lat) - 1))))]}
        rss = 0
        for pid in [proc.pid] + [int(x) for x in subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True,
                                                                text=True).stdout.split()]:
            try:
                rss += int(next(ln for ln in Path(f"/proc/{pid}/status").read_text().splitlines()
                                if ln.startswith("VmRSS")).split()[1])
            except (OSError, StopIteration):
                pass
        out["server RSS MB"] = rss / 1024
        conn.close()
    except (Unavailable, RuntimeError, OSError) as exc:
        out["skipped"] = str(exc)
    finally:
        _stop(proc)
    return out


def validate_timing(store_path: str) -> dict:
    """``vnkg validate`` on the whole store: wall seconds, peak RSS, what it reported."""
    exe = Path(sys.executable).parent / "vnkg"
    t0 = time.perf_counter()
    done = subprocess.run(["/usr/bin/time", "-f", "%M", str(exe) if exe.exists() else "vnkg", "validate",
                           "--store", store_path], capture_output=True, text=True, cwd=ROOT)
    dt = time.perf_counter() - t0
    lines = done.stderr.strip().splitlines()
    rss = int(lines[-1]) / 1024 if lines and lines[-1].isdigit() else None
    summary = next((ln for ln in reversed(lines) if "checked" in ln), "")
    return {"seconds": dt, "rss_mb": rss, "exit": done.returncode, "summary": summary}


def _rdflib_child(dump: str, port: int) -> None:
    import rdflib
    import uvicorn
    from rdflib_endpoint import SparqlEndpoint

    ds = rdflib.Dataset(default_union=True)
    ds.parse(dump, format="nquads")
    app = SparqlEndpoint(graph=ds, public_url=f"http://127.0.0.1:{port}/")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def rdflib_endpoint_system(dump: Path, quads: int, work_items, clients: int, cap_s: float, max_quads: int) -> dict:
    name = "rdflib-endpoint (HTTP)"
    if quads > max_quads:
        return {"system": name, "skipped": f"{quads:,} quads: loading into rdflib would take too long "
                                           f"(limit --rdflib-max-quads {max_quads:,})"}
    try:
        import rdflib_endpoint  # noqa: F401
    except ImportError:
        return {"system": name, "skipped": "not installed (pip install rdflib-endpoint)"}
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bench.run", "_rdflib", "--dump", str(dump), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    try:
        t0 = time.perf_counter()
        wait_http(f"http://127.0.0.1:{port}/?query=ASK%7B%7D", proc, 900)
        note_load = f"loaded in {time.perf_counter() - t0:.0f} s"
        res = http_system(name, f"http://127.0.0.1:{port}/", work_items, clients, cap_s)
        res["note"] = ", ".join(x for x in (res.get("note"), note_load) if x)
        return res
    except Unavailable as exc:
        return {"system": name, "skipped": str(exc)}
    finally:
        _stop(proc)


def oxigraph_server_system(work: Path, dump: Path, work_items, clients: int, cap_s: float) -> dict:
    from bench.servers import oxigraph_binary

    name = "oxigraph server (HTTP)"
    exe = oxigraph_binary()
    if exe is None:
        return {"system": name, "skipped": "not installed (pip install oxigraph)"}
    folder = work / "oxigraph-server"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    t0 = time.perf_counter()
    done = subprocess.run([exe, "load", "--location", str(folder / "data"), "--file", str(dump)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        return {"system": name, "skipped": f"load failed: {done.stderr[-300:]}"}
    load_s = time.perf_counter() - t0
    port = free_port()
    proc = subprocess.Popen([exe, "serve-read-only", "--location", str(folder / "data"), "--bind", f"127.0.0.1:{port}",
                             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", proc, 60)
        res = http_system(name, f"http://127.0.0.1:{port}/query", work_items, clients, cap_s)
        res["note"] = ", ".join(x for x in (res.get("note"), f"bulk-loaded in {load_s:.0f} s") if x)
        return res
    except Unavailable as exc:
        return {"system": name, "skipped": str(exc)}
    finally:
        _stop(proc)
        shutil.rmtree(folder, ignore_errors=True)


def export_dump(store_path: str, dump: Path) -> None:
    """``vnkg export --format nquads`` of the store to ``dump`` (what a user would load elsewhere)."""
    exe = Path(sys.executable).parent / "vnkg"
    t0 = time.perf_counter()
    subprocess.run([str(exe) if exe.exists() else "vnkg", "export", "--store", store_path, "--format", "nquads",
                    "--output", str(dump)], check=True, cwd=ROOT)
    log(f"  vnkg export in {time.perf_counter() - t0:.0f} s")


def virtuoso_load(srv, folder: Path, dump: Path) -> float:
    """Bulk-load ``dump`` into a started Virtuoso (``ld_dir``, ``rdf_loader_run``); seconds taken."""
    isql = shutil.which("isql-vt") or shutil.which("isql")
    data = folder / "load"
    data.mkdir()
    if dump.stat().st_dev == data.stat().st_dev:
        os.link(dump, data / "data.nq")
    else:
        shutil.copy(dump, data / "data.nq")
    t0 = time.perf_counter()
    cmd = f"ld_dir('{data}', '*.nq', 'urn:vnkg:default'); rdf_loader_run(); checkpoint;"
    done = subprocess.run([isql, f"127.0.0.1:{srv.sql_port}", "dba", "dba", f"exec={cmd}"],
                          capture_output=True, text=True, timeout=3600)
    if done.returncode != 0:
        raise RuntimeError(f"bulk load failed: {done.stdout[-300:]}{done.stderr[-300:]}")
    return time.perf_counter() - t0


def virtuoso_system(work: Path, dump: Path, work_items, clients: int, cap_s: float) -> dict:
    name = "Virtuoso 7 (HTTP)"
    folder = work / "virtuoso"
    shutil.rmtree(folder, ignore_errors=True)
    try:
        srv = start_virtuoso(folder)
    except Unavailable as exc:
        return {"system": name, "skipped": str(exc)}
    try:
        try:
            load_s = virtuoso_load(srv, folder, dump)
        except RuntimeError as exc:
            return {"system": name, "skipped": str(exc)}
        res = http_system(name, srv.query_url, work_items, clients, cap_s)
        res["note"] = ", ".join(x for x in (res.get("note"), f"bulk-loaded in {load_s:.0f} s") if x)
        return res
    finally:
        srv.stop()
        shutil.rmtree(folder, ignore_errors=True)


def queries(work: Path, store_path: str, n: int, args) -> list[dict]:
    from kg.store import LocalStore

    params = sample_params(store_path)
    items = workload(params, args.clients * args.requests)
    rng = random.Random(1)
    rng.shuffle(items)
    st = LocalStore(store_path, read_only=True)
    quads = len(st.ox)
    del st
    dump = work / f"dump-{n}.nq"
    export_dump(store_path, dump)
    out = [inprocess(store_path, items, args.clients)]
    log(f"  {out[-1]}")
    for fn in (lambda: vnkg_server(store_path, items, args.clients, args.cap),
               lambda: vnkg_server(store_path, items, args.clients, args.cap, isolation=False),
               lambda: oxigraph_server_system(work, dump, items, args.clients, args.cap),
               lambda: virtuoso_system(work, dump, items, args.clients, args.cap) if not args.no_virtuoso
               else {"system": "Virtuoso 7 (HTTP)", "skipped": "--no-virtuoso"},
               lambda: rdflib_endpoint_system(dump, quads, items, args.clients, args.cap, args.rdflib_max_quads)):
        try:
            out.append(fn())
        except Exception as exc:  # one system failing must not lose the others' numbers
            out.append({"system": "?", "skipped": repr(exc)[:300]})
        log(f"  {out[-1]}")
    dump.unlink(missing_ok=True)
    return out


def interleaved(work: Path, store_path: str, args) -> list[dict]:
    """The mix on the in-process floor, ``vnkg serve`` and Virtuoso (from ``vnkg export``), all
    started first, then run in ``args.rounds`` rounds, each system once a round in a rotating
    order: on a machine shared with other work, each system meets the same varying load. Reports
    each system's queries/s per round, their median, and latency over all rounds."""
    params = sample_params(store_path)
    items = workload(params, args.clients * args.requests)
    random.Random(1).shuffle(items)
    dump = work / "dump-interleaved.nq"
    export_dump(store_path, dump)
    exe = Path(sys.executable).parent / "vnkg"
    port = free_port()
    vnkg = subprocess.Popen([str(exe) if exe.exists() else "vnkg", "serve", "--store", store_path, "--port", str(port),
                             "--timeout", "60", "--max-rows", "10000"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, cwd=ROOT)
    systems = {"pyoxigraph in process (floor)": lambda: inprocess(store_path, items, args.clients)}
    srv = None
    try:
        wait_http(f"http://127.0.0.1:{port}/health", vnkg, 300)
        systems["vnkg server (HTTP)"] = lambda: http_system("vnkg", f"http://127.0.0.1:{port}/sparql", items,
                                                            args.clients, args.cap)
        if not args.no_virtuoso:
            folder = work / "virtuoso"
            shutil.rmtree(folder, ignore_errors=True)
            try:
                srv = start_virtuoso(folder)
                log(f"  Virtuoso bulk-loaded in {virtuoso_load(srv, folder, dump):.0f} s")
                url = srv.query_url
                systems["Virtuoso 7 (HTTP)"] = lambda: http_system("Virtuoso", url, items, args.clients, args.cap)
            except (Unavailable, RuntimeError) as exc:
                log(f"  Virtuoso skipped: {exc}")
        runs: dict[str, list[dict]] = {name: [] for name in systems}
        names = list(systems)
        for r in range(args.rounds):
            for name in names[r % len(names):] + names[:r % len(names)]:
                runs[name].append(systems[name]())
                log(f"  round {r + 1}: {name}: {runs[name][-1].get('qps', 0):.1f} q/s")
    finally:
        _stop(vnkg)
        if srv is not None:
            srv.stop()
            shutil.rmtree(work / "virtuoso", ignore_errors=True)
        dump.unlink(missing_ok=True)
    out = []
    for name, rs in runs.items():
        ok = [x for x in rs if "qps" in x]
        if not ok:
            out.append({"system": name, "skipped": (rs[0].get("skipped") if rs else "no run")})
            continue
        out.append({"system": name, "qps": statistics.median(x["qps"] for x in ok),
                    "qps_rounds": [round(x["qps"], 1) for x in ok],
                    "median_ms": statistics.median(x["median_ms"] for x in ok),
                    "p99_ms": max(x["p99_ms"] for x in ok), "queries": sum(x["queries"] for x in ok),
                    "errors": sum(x.get("errors", 0) for x in ok)})
    return out


# ------------------------------------------------------------------------------ validation
def validation_numbers(work: Path, args) -> dict:
    from kg import validate as V
    from kg.iri import Minter
    from kg.mapping import article_graph
    from loaders.extract import extract
    from loaders.read import ReadError, read_path
    from rdflib import Graph

    folder = corpus(work, max(args.validation_articles, 500), args.seed)
    graphs = []
    for a in read_path(folder / "articles"):
        if not isinstance(a, ReadError):
            graphs.append(article_graph(a, extract(a), Minter()))
        if len(graphs) >= 500:
            break
    small = graphs[: args.validation_articles]
    V.violations(small[0]), V.reference_violations(small[0])
    t0 = time.perf_counter()
    for g in small:
        V.reference_violations(g)
    ref = (time.perf_counter() - t0) / len(small)
    t0 = time.perf_counter()
    for g in small:
        V.violations(g)
    fast = (time.perf_counter() - t0) / len(small)
    t0 = time.perf_counter()
    V.check_many(small, batch=32)
    batch = (time.perf_counter() - t0) / len(small)
    union = Graph()
    for g in graphs:
        union += g
    t0 = time.perf_counter()
    found = V.violations(union)
    whole = time.perf_counter() - t0
    t0 = time.perf_counter()
    ref_whole = None
    if args.reference_whole:
        V.reference_violations(union)
        ref_whole = time.perf_counter() - t0
    return {"per_graph_reference_ms": 1000 * ref, "per_graph_fast_ms": 1000 * fast,
            "per_graph_batched_ms": 1000 * batch, "graphs": len(small),
            "mean_triples": sum(len(g) for g in small) / len(small),
            "whole_triples": len(union), "whole_articles": len(graphs), "whole_s": whole,
            "whole_violations": len(found), "whole_reference_s": ref_whole}


# ------------------------------------------------------------------------------ report
def table(rows: list[dict], cols: list[tuple[str, str, str]]) -> str:
    head = "| " + " | ".join(c[1] for c in cols) + " |"
    sep = "|" + "|".join("---:" if c[2] else "---" for c in cols) + "|"
    lines = [head, sep]
    for r in rows:
        cells = []
        for key, _, fmt in cols:
            v = r.get(key)
            cells.append("" if v is None else (format(v, fmt) if fmt and isinstance(v, (int, float)) else str(v)))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report(results: dict) -> str:
    out = [f"Machine: {results['machine']}", ""]
    for size in results["sizes"]:
        out.append(f"### {size['n']:,} articles")
        ing = [dict(r, **{"shacl": r.get("shacl_share")}) for r in size["ingest"]]
        out.append(table(ing, [("variant", "ingest", ""), ("articles_per_s", "articles/s", ".1f"),
                               ("triples_per_s", "quads/s into store", ",.0f"), ("seconds", "wall s", ".0f"),
                               ("shacl", "SHACL share", ".0%"), ("store_mb", "store MB", ".0f"),
                               ("rss_mb", "peak RSS MB (parent)", ".0f"),
                               ("worker_rss_mb", "peak RSS MB (largest worker)", ".0f"),
                               ("quads", "quads", ",d"), ("problems", "problems", "d"), ("skipped", "note", "")]))
        out.append("")
        if size.get("queries"):
            out.append(f"Query mix ({', '.join(MIX)}), {results['clients']} concurrent clients:")
            out.append("")
            out.append(table(size["queries"], [("system", "system", ""), ("median_ms", "median ms", ".1f"),
                                               ("p99_ms", "p99 ms", ".1f"), ("qps", "queries/s", ".1f"),
                                               ("queries", "queries", "d"), ("errors", "errors", "d"),
                                               ("note", "note", ""), ("skipped", "skipped", "")]))
            out.append("")
        if size.get("pages"):
            pg = size["pages"]
            rows = [dict(kind=k, **v) for k, v in pg.items() if isinstance(v, dict)]
            out.append(f"Pages on `vnkg serve` (one client; first request, which builds the label index: "
                       f"{pg.get('first request (label index built) ms', 0):,.0f} ms; server RSS "
                       f"{pg.get('server RSS MB', 0):,.0f} MB):")
            out.append("")
            out.append(table(rows, [("kind", "page", ""), ("median_ms", "median ms", ".1f"), ("p99_ms", "p99 ms", ".1f"),
                                    ("pages", "pages", "d")]))
            out.append("")
        if size.get("validate"):
            v = size["validate"]
            out.append(f"`vnkg validate` (whole store): {v['seconds']:.0f} s, peak RSS {v.get('rss_mb') or 0:,.0f} MB, "
                       f"exit {v['exit']}: {v['summary']}")
            out.append("")
    v = results.get("validation")
    if v:
        out.append("### SHACL validation")
        out.append(f"Per article graph (mean {v['mean_triples']:.0f} triples, {v['graphs']} graphs): plain pyshacl "
                   f"with the ontology mixed in {v['per_graph_reference_ms']:.0f} ms; kg.validate.violations "
                   f"{v['per_graph_fast_ms']:.0f} ms; kg.validate.check_many (32 per run) "
                   f"{v['per_graph_batched_ms']:.0f} ms.")
        ref = f"; plain pyshacl {v['whole_reference_s']:.1f} s" if v.get("whole_reference_s") else ""
        out.append(f"Whole store: {v['whole_triples']:,} triples ({v['whole_articles']} article graphs) validated in "
                   f"one run in {v['whole_s']:.1f} s ({v['whole_violations']} violations){ref}.")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_ingest":
        ap = argparse.ArgumentParser()
        ap.add_argument("_cmd")
        ap.add_argument("--corpus", required=True)
        ap.add_argument("--store", required=True)
        ap.add_argument("--jobs", type=int, default=1)
        ap.add_argument("--no-validate", action="store_true")
        ap.add_argument("--bulk", action="store_true")
        _ingest_child(ap.parse_args(argv))
        return 0
    if argv and argv[0] == "_rdflib":
        ap = argparse.ArgumentParser()
        ap.add_argument("_cmd")
        ap.add_argument("--dump", required=True)
        ap.add_argument("--port", type=int, required=True)
        a = ap.parse_args(argv)
        _rdflib_child(a.dump, a.port)
        return 0
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000", help="corpus sizes, comma-separated")
    ap.add_argument("--quick", action="store_true", help="one small size (200), a few minutes in all")
    ap.add_argument("--variants", default=None,
                    help="ingest variants, e.g. 'seq,1,2,1n,2n,2b' (n: no SHACL, b: bulk); default by size")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out")
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--requests", type=int, default=25, help="queries per client")
    ap.add_argument("--cap", type=float, default=120, help="seconds at most per system for the query mix")
    ap.add_argument("--ingest-timeout", type=float, default=3600)
    ap.add_argument("--no-queries", action="store_true")
    ap.add_argument("--no-virtuoso", action="store_true")
    ap.add_argument("--rdflib-max-quads", type=int, default=1_500_000)
    ap.add_argument("--validation", action="store_true", help="also measure SHACL validation alone")
    ap.add_argument("--validation-articles", type=int, default=30)
    ap.add_argument("--reference-whole", action="store_true", help="also time plain pyshacl on the whole store")
    ap.add_argument("--json", type=Path, help="write the raw numbers here")
    ap.add_argument("--servers-only", type=Path, metavar="STORE",
                    help="only the vnkg server's query mix on this store, with and without query isolation")
    ap.add_argument("--queries-only", type=Path, metavar="STORE",
                    help="only the query mix on this store (in process, vnkg serve, Virtuoso, in rounds) and pages")
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the mix per system with --queries-only")
    args = ap.parse_args(argv)
    if args.queries_only:
        args.work.mkdir(parents=True, exist_ok=True)
        print(json.dumps({"queries": interleaved(args.work, str(args.queries_only), args),
                          "pages": page_latency(str(args.queries_only), page_samples(str(args.queries_only)))},
                         indent=1))
        return 0
    if args.servers_only:
        items = workload(sample_params(str(args.servers_only)), args.clients * args.requests)
        random.Random(1).shuffle(items)
        for isolation in (False, True, False, True):  # alternated: the machine's load drifts
            log(f"  {vnkg_server(str(args.servers_only), items, args.clients, args.cap, isolation)}")
        return 0
    sizes = [200] if args.quick else [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.quick:
        args.requests = min(args.requests, 10)
        args.validation = True
    args.work.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "clients": args.clients, "sizes": []}
    for n in sizes:
        folder = corpus(args.work, n, args.seed)
        if args.variants:
            variants = args.variants.split(",")
        elif n <= 2000:
            variants = ["seq", "1", "2", "1n", "2n", "2b"]
        else:
            variants = ["2b", "2nb"]
        rows = []
        for v in variants:
            jobs = 0 if v.startswith("seq") else int(v.rstrip("nb"))
            rows.append(ingest_variant(args.work, folder, n, jobs, "n" not in v, "b" in v, args.ingest_timeout))
        by = {(r.get("jobs"), r.get("validate"), r.get("bulk")): r for r in rows if "seconds" in r}
        for r in rows:
            if r.get("validate") and "seconds" in r:
                base = by.get((r["jobs"], False, r["bulk"]))
                if base:
                    r["shacl_share"] = max(0.0, 1 - base["seconds"] / r["seconds"])
        size = {"n": n, "ingest": rows,
                "generate_s": float((folder / "DONE").read_text().strip() or 0)}
        target = next((r for r in rows if r.get("validate") and "store" in r), None) or \
            next((r for r in rows if "store" in r), None)
        if target and not args.no_queries:
            log(f"query mix on {target['store']} ...")
            size["queries"] = queries(args.work, target["store"], n, args)
            log("pages ...")
            size["pages"] = page_latency(target["store"], page_samples(target["store"]))
            log(f"  {size['pages']}")
        if target:
            size["validate"] = validate_timing(target["store"])
            log(f"  vnkg validate: {size['validate']}")
        results["sizes"].append(size)
        if args.json:  # the numbers so far, should a later size not finish
            args.json.write_text(json.dumps(results, indent=1, default=str))
        for r in rows:  # stores are large: keep only the one queried
            if "store" in r and r is not target:
                shutil.rmtree(r["store"], ignore_errors=True)
    if args.validation:
        log("validation ...")
        results["validation"] = validation_numbers(args.work, args)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
