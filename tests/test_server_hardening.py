"""No request takes the server down, exhausts it, makes it fetch URLs, or is silently rewritten.

A live ``vnkg serve`` (a child process, so that a crash would show as a dead process rather than
a dead test run) on a small on-disk store answers generated deep and long queries, memory and
time bombs, and SERVICE/LOAD to a local listener; in-process apps check the strict input and the
error ids.
"""
from __future__ import annotations

import logging
import random
import re
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kg.querylimits import Limits, QueryRefused, guard, scan
from kg.store import LocalStore
from server.app import create_app
from server.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
JSON = {"accept": "application/sparql-results+json"}
MEMORY_BOMB = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?f LIMIT 10"
TIME_BOMB = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fill(store: LocalStore, n: int = 20000) -> None:
    data = "".join(f'<http://e.org/s{i}> <http://e.org/p{i % 50}> "v{i}" <http://e.org/g{i % 7}> .\n'
                   for i in range(n))
    data += '<http://e.org/s1> <http://www.w3.org/2000/01/rdf-schema#label> "Hải Hà" <http://e.org/g1> .\n'
    store.ox.bulk_load(data.encode(), ox.RdfFormat.N_QUADS)


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A vnkg server in a child process: (base URL, process)."""
    where = tmp_path_factory.mktemp("live") / "store"
    st = LocalStore(where)
    _fill(st)
    st.close()
    port = _free_port()
    log = (where.parent / "server.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(where), "--port", str(port),
                             "--timeout", "3", "--query-memory", "300", "--workers", "2", "--allow-update"],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, (where.parent / "server.log").read_text(errors="replace")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.3)
    yield url, proc
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _alive(url: str, proc) -> None:
    assert proc.poll() is None, f"the server died (exit status {proc.returncode})"
    r = httpx.get(url + "/sparql", params={"query": COUNT}, headers=JSON, timeout=30)
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"][0]["n"]["value"] == "20001"


# ----------------------------------------------------------------------------- generated queries
def _hostile(kind: str, n: int) -> str:
    return {
        "brace": "SELECT * WHERE " + "{" * n + " ?s ?p ?o " + "}" * n,
        "or": "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(["?o = 1"] * n) + ") }",
        "paren": "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * n + "?o" + ")" * n + ") }",
        "not": "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * n + "?o) }",
        "optional": "SELECT * WHERE { ?s ?p ?o " + "OPTIONAL { ?s ?p ?o " * n + "}" * n + " }",
        "subselect": "SELECT * WHERE " + "{ SELECT * WHERE " * n + "{ ?s ?p ?o }" + " }" * n,
        "union": "SELECT * WHERE { " + " UNION ".join(["{ ?s ?p ?o }"] * n) + " }",
        "plus": "SELECT * WHERE { ?s ?p ?o FILTER(" + " + ".join(["1"] * n) + " > 0) }",
        "filters": "SELECT * WHERE { ?s ?p ?o " + " ".join(["FILTER(?o)"] * n) + " }",
        "minus": "SELECT * WHERE { ?s ?p ?o " + " ".join(["MINUS { ?s ?p ?o }"] * n) + " }",
        "alternative": "SELECT * WHERE { ?s " + "|".join(["<http://e.org/p1>"] * n) + " ?o }",
        "brackets": "SELECT * WHERE { ?s ?p " + "[ <http://e.org/p> " * n + "?o" + " ]" * n + " }",
    }[kind]


KINDS = ["brace", "or", "paren", "not", "optional", "subselect", "union", "plus", "filters", "minus",
         "alternative", "brackets"]


def test_the_pre_scan_refuses_what_would_overflow_and_passes_ordinary_queries():
    for kind in KINDS:
        with pytest.raises(QueryRefused):
            scan(_hostile(kind, 10000))
        scan(_hostile(kind, 50))
    with pytest.raises(QueryRefused, match="bytes"):
        scan("SELECT * WHERE { ?s ?p ?o } #" + "x" * 100, Limits(max_bytes=50))
    # Brackets and operators inside strings, IRIs and comments are not counted.
    scan('SELECT * WHERE { ?s ?p "' + "{(||" * 5000 + '" } # ' + "{" * 500)
    s = scan('PREFIX e: <http://e.org/> SELECT * WHERE { SERVICE SILENT e:x { ?s ?p ?o } SERVICE ?v { } }')
    assert s.services == ["http://e.org/x", None]


def test_generated_deep_and_long_queries_never_take_the_server_down(live):
    url, proc = live
    rng = random.Random(7)
    plan = [(k, n) for k in KINDS for n in (40, 99, 101, 1000, 3000, 10000)]
    rng.shuffle(plan)
    with httpx.Client(timeout=60) as c:
        for i, (kind, n) in enumerate(plan):
            q = _hostile(kind, n)
            r = c.post(url + "/sparql", data={"query": q}, headers=JSON) if len(q) > 6000 or i % 2 else \
                c.get(url + "/sparql", params={"query": q}, headers=JSON)
            assert r.status_code in (200, 400, 503), (kind, n, r.status_code, r.text[:200])
            if r.status_code == 400 and n >= 3000:
                assert "Query refused" in r.text and len(r.text.strip().splitlines()) == 1
            assert proc.poll() is None, f"the server died on {kind} × {n}"
    _alive(url, proc)


def _children(pid: int) -> set[int]:
    """The server's live query workers (not multiprocessing's resource tracker)."""
    out = set()
    for p in Path("/proc").iterdir():
        if p.name.isdigit():
            try:
                stat = (p / "stat").read_text()
                cmdline = (p / "cmdline").read_bytes()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid and fields[0] != "Z" and b"spawn_main" in cmdline:
                out.add(int(p.name))
    return out


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def _busy(pids: set[int], seconds: float = 1.0) -> list[int]:
    """The processes that used more than half a core over ``seconds``."""
    before = {k: _cpu_ticks(k) for k in pids}
    time.sleep(seconds)
    return [k for k in pids if _cpu_ticks(k) - before[k] > 50 * seconds]


def _settled(server_pid: int, workers: int = 2) -> set[int]:
    """The worker processes, once all of them are up and idle (replacements start in the background)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        kids = _children(server_pid)
        if len(kids) == workers and not _busy(kids, 0.5):
            return kids
    raise AssertionError(f"the workers did not settle: {_children(server_pid)}")


def _nothing_left_running(server_pid: int, before: set[int]) -> None:
    """The worker that ran the query is gone, and no other worker of before is still computing."""
    after = _children(server_pid)
    assert before - after, "the worker that ran the query is still there"
    busy = _busy(before & after)
    assert not busy, f"worker processes still computing: {busy}"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="memory limits and /proc are Linux's")
def test_a_memory_bomb_is_stopped_with_503_and_leaves_nothing_running(live):
    url, proc = live
    before = _settled(proc.pid)
    r = httpx.get(url + "/sparql", params={"query": MEMORY_BOMB}, headers=JSON, timeout=60)
    assert r.status_code == 503 and "too much memory" in r.text, r.text
    _nothing_left_running(proc.pid, before)
    _alive(url, proc)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_a_runaway_query_is_killed_at_the_time_limit(live):
    url, proc = live
    before = _settled(proc.pid)
    t0 = time.monotonic()
    r = httpx.get(url + "/sparql", params={"query": TIME_BOMB}, headers=JSON, timeout=60)
    assert r.status_code == 503 and "time limit" in r.text
    assert time.monotonic() - t0 < 15
    _nothing_left_running(proc.pid, before)
    _alive(url, proc)


def test_four_runaways_do_not_disable_the_endpoint(live):
    url, proc = live

    def bomb(q):
        return httpx.get(url + "/sparql", params={"query": q}, headers=JSON, timeout=60).status_code

    with ThreadPoolExecutor(4) as pool:
        codes = list(pool.map(bomb, [TIME_BOMB, MEMORY_BOMB, TIME_BOMB, MEMORY_BOMB]))
    assert set(codes) <= {503}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:  # replacement workers start in the background
        r = httpx.get(url + "/sparql", params={"query": COUNT}, headers=JSON, timeout=30)
        if r.status_code == 200:
            break
        time.sleep(0.5)
    assert r.status_code == 200, r.text
    _alive(url, proc)


def test_an_update_is_seen_by_the_next_query(live):
    url, proc = live
    r = httpx.post(url + "/sparql", data={"update": 'INSERT DATA { GRAPH <http://e.org/new> { '
                                                    '<http://e.org/x> <http://e.org/y> "written" } }'}, timeout=30)
    assert r.status_code == 204, r.text
    for _ in range(3):  # whichever worker answers
        r = httpx.get(url + "/sparql", params={"query": "SELECT ?o WHERE { <http://e.org/x> <http://e.org/y> ?o }"},
                      headers=JSON, timeout=30)
        assert [b["o"]["value"] for b in r.json()["results"]["bindings"]] == ["written"]
    r = httpx.post(url + "/sparql", data={"update": "DROP GRAPH <http://e.org/new>"}, timeout=30)
    assert r.status_code == 204


# ----------------------------------------------------------------------------- outbound requests
class Listener:
    """A TCP listener on 127.0.0.1 that records every connection (and answers nothing useful)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.received: list[bytes] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                try:
                    self.received.append(conn.recv(65536))
                    conn.sendall(b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 5\r\n\r\nhello")
                except OSError:
                    pass

    def close(self):
        self.stop.set()
        self.thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    ln = Listener()
    yield ln
    ln.close()


def test_service_and_load_are_refused_and_nothing_is_sent(live, listener):
    url, proc = live
    cases = [
        ("get", {"query": f"SELECT * WHERE {{ SERVICE <{listener.url}sparql> {{ ?s ?p ?o }} }}"}),
        ("get", {"query": f"PREFIX x: <{listener.url}> SELECT * WHERE {{ SERVICE SILENT x:q {{ ?s ?p ?o }} }}"}),
        ("get", {"query": "SELECT * WHERE { SERVICE ?where { ?s ?p ?o } }"}),
        ("post", {"query": f"SELECT * WHERE {{ ?s ?p ?o SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"}),
        ("post", {"update": f"LOAD <{listener.url}page.html>"}),
        ("post", {"update": f"LOAD SILENT <{listener.url}data.ttl> INTO GRAPH <http://e.org/g>"}),
        ("post", {"update": f"INSERT {{ ?s ?p ?o }} WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}"}),
    ]
    for how, params in cases:
        r = httpx.get(url + "/sparql", params=params, headers=JSON, timeout=30) if how == "get" else \
            httpx.post(url + "/sparql", data=params, headers=JSON, timeout=30)
        assert r.status_code == 400, (params, r.status_code, r.text)
        assert "--allow-service" in r.text and len(r.text.strip().splitlines()) == 1
    time.sleep(0.5)
    assert listener.received == []
    _alive(url, proc)


def test_an_allowed_service_prefix_is_reached_and_others_are_not(listener):
    other = Listener()
    try:
        app = create_app(LocalStore(None), Settings(workers=1, timeout=10, allow_service=(listener.url,)))
        with TestClient(app) as c:
            r = c.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE SILENT <{listener.url}sparql> "
                                                  "{ ?s ?p ?o } }"}, headers=JSON)
            assert r.status_code == 200, r.text
            r = c.get("/sparql", params={"query": f"SELECT * WHERE {{ SERVICE <{other.url}> {{ ?s ?p ?o }} }}"})
            assert r.status_code == 400 and "--allow-service" in r.text
        time.sleep(0.3)
        assert listener.received and listener.received[0].startswith(b"POST /sparql")
        assert other.received == []
    finally:
        other.close()


def test_the_cli_refuses_deep_queries_and_outbound_requests(tmp_path, listener):
    st = LocalStore(tmp_path / "s")
    _fill(st, 10)
    st.close()
    for q, what in ((_hostile("brace", 3000), "nests deeper"), (_hostile("or", 10000), "operators"),
                    (f"SELECT * WHERE {{ SERVICE <{listener.url}> {{ ?s ?p ?o }} }}", "--allow-service")):
        r = subprocess.run([sys.executable, "-m", "kg.cli", "query", "--store", str(tmp_path / "s"), q],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert r.returncode == 2, (r.returncode, r.stderr[-500:])
        assert what in r.stderr and "query refused" in r.stderr
    # At the bounds, the query runs.
    r = subprocess.run([sys.executable, "-m", "kg.cli", "query", "--store", str(tmp_path / "s"),
                        _hostile("brace", 99).replace("SELECT *", "SELECT (COUNT(*) AS ?n)")],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert listener.received == []


def test_guard_resolves_relative_and_prefixed_targets():
    with pytest.raises(QueryRefused, match="outbound requests are off"):
        guard("SELECT * WHERE { SERVICE <rel> { } }", base_iri="http://127.0.0.1:1/sparql")
    guard("SELECT * WHERE { SERVICE <rel> { } }", allowed=("http://h/",), base_iri="http://h/sparql")
    with pytest.raises(QueryRefused, match="not under a prefix"):
        guard("BASE <http://evil/> SELECT * WHERE { SERVICE <x> { } }", allowed=("http://h/",),
              base_iri="http://h/sparql")


# ----------------------------------------------------------------------------- strict input, error ids
@pytest.fixture(scope="module")
def client():
    store = LocalStore(None)
    _fill(store, 100)
    with TestClient(create_app(store, Settings(workers=1)), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize("path", ["/sparql?query=SELECT%FF", "/sparql?query=SELECT%20*%20WHERE%20%7B%7D%C3",
                                  "/search?q=%C3%28", "/search?q=ok&type=%FF", "/query?query=%ED%A0%80",
                                  "/page/x%FF"])
def test_invalid_utf8_in_a_get_is_400(client, path):
    r = client.get(path)
    assert r.status_code == 400, (path, r.status_code)
    assert "not valid UTF-8" in r.text and len(r.text.strip().splitlines()) == 1


def test_invalid_utf8_in_a_post_is_400(client):
    form = {"content-type": "application/x-www-form-urlencoded"}
    assert client.post("/sparql", content=b"query=SELECT%FF", headers=form).status_code == 400
    assert client.post("/sparql", content=b"query=SELECT \xff", headers=form).status_code == 400
    r = client.post("/sparql", content=b"SELECT * WHERE { ?s ?p \"\xff\" }",
                    headers={"content-type": "application/sparql-query"})
    assert r.status_code == 400 and "UTF-8" in r.text


def test_search_with_valid_utf8_still_works(client):
    r = client.get("/search", params={"q": "hai ha", "format": "json"})
    assert r.status_code == 200 and r.json()["total"] >= 1


def test_an_unknown_error_is_a_500_with_an_id_the_log_shows(client, caplog, monkeypatch):
    site = client.app.state.site

    def broken(*a, **k):
        raise RuntimeError("something nobody foresaw")

    monkeypatch.setattr(site.index, "search", broken)
    with caplog.at_level(logging.ERROR, logger="vnkg.server"):
        page = client.get("/search", params={"q": "x"}, headers={"accept": "text/html"})
        data = client.get("/search", params={"q": "x", "format": "json"})
    for r in (page, data):
        assert r.status_code == 500 and "Internal Server Error" not in r.text
        error_id = re.search(r"id ([0-9a-f]{12})", r.text).group(1)
        assert error_id in caplog.text and "something nobody foresaw" in caplog.text
    assert page.headers["content-type"].startswith("text/html")


def test_a_body_over_the_limit_is_413(tmp_path):
    with TestClient(create_app(LocalStore(None), Settings(workers=1, max_body=100))) as c:
        r = c.post("/sparql", content=b"SELECT * WHERE { ?s ?p ?o } #" + b"x" * 200,
                   headers={"content-type": "application/sparql-query"})
        assert r.status_code == 413


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_checkpoints_left_by_a_killed_server_are_removed(tmp_path):
    from server.isolation import WorkerPool

    (tmp_path / "store").mkdir()
    stale = tmp_path / ".store-snapshots-999999999-abc"
    (stale / "g1").mkdir(parents=True)
    root = WorkerPool._snapshot_root(str(tmp_path / "store"))
    assert not stale.exists() and Path(root).parent == tmp_path
