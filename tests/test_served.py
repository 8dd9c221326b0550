"""One store, server and command line together.

While ``vnkg serve`` runs on a store, every command works on the same store: ``ingest`` hands its
graphs to the server (authenticated by the credential in the store folder), the commands that
read open a checkpoint the server makes, and the new article's page is there at once. Where the
store is held by a process that cannot share it, the command says so in one line naming that
process. The write routes refuse anyone without the credential.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient

from kg.owner import CREDENTIAL_FILE, OWNER_FILE, Owner, OwnedStore, StoreHeld, current, recorded
from kg.store import LocalStore

ROOT = Path(__file__).resolve().parent.parent
BASE = "https://w3id.org/vnkg/id/"

ARTICLE_OLD = """Huyện Đầm Hà tổng kết công tác xây dựng Đảng

Thứ Sáu, 12/01/2024, 10:20

Đồng chí Lê Văn Hòa, Bí thư Huyện ủy Đầm Hà, cho biết năm 2023 thu ngân sách đạt 215,4 tỷ đồng.
"""
ARTICLE_NEW = """Đầm Hà đón nhận chuẩn nông thôn mới

Thứ Hai, 04/03/2024, 09:00

Bí thư Huyện ủy Đầm Hà Lê Văn Hòa trao bằng công nhận cho 2 xã đạt chuẩn nông thôn mới nâng cao.
"""


def vnkg(*args: str, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


def one_line(res: subprocess.CompletedProcess, *needles: str) -> str:
    """The command failed with exit status 1 and one line on stderr holding each of ``needles``."""
    assert res.returncode == 1, (res.returncode, res.stdout, res.stderr)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    assert "Traceback" not in res.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]


def start_server(store: Path, *extra: str):
    """``vnkg serve`` on ``store`` on a free port: (process, URL) once it answers."""
    log = open(store.parent / "server.log", "wb")
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--store", str(store), "--port", "0",
                             "--workers", "1", *extra], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, (store.parent / "server.log").read_text(errors="replace")
        owner = recorded(store)
        if owner is not None and owner.pid == proc.pid and owner.url:
            try:
                if httpx.get(owner.url + "/health", timeout=2).status_code == 200:
                    return proc, owner.url
            except httpx.HTTPError:
                pass
        time.sleep(0.2)
    proc.kill()
    raise AssertionError("the server did not start: " + (store.parent / "server.log").read_text(errors="replace"))


def stop(proc) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def small_store(path: Path) -> Path:
    st = LocalStore(path)
    st.ox.add(ox.Quad(ox.NamedNode("http://e.org/s"), ox.NamedNode("http://e.org/p"), ox.Literal("o"),
                      ox.NamedNode("http://e.org/g")))
    st.close()
    return path


# The served store's body cap: an article's graph fits in one update, a large import does not.
MAX_BODY = 300_000

HOLD = ("import sys, time\nfrom kg.owner import OwnedStore\n"
        "store = OwnedStore(sys.argv[1], url=sys.argv[2] or None)\nprint('holding', flush=True)\ntime.sleep(120)\n")


def hold(store: Path, url: str = ""):
    """A process that holds ``store`` (as ``vnkg ingest`` would, or as a server at ``url`` would)."""
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(store), url], cwd=ROOT, stdout=subprocess.PIPE,
                            text=True)
    assert proc.stdout.readline().strip() == "holding"
    return proc


# ------------------------------------------------------------------------------ a served store
@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A store with one article, served by ``vnkg serve``: (store, URL, folder of the new article)."""
    work = tmp_path_factory.mktemp("served")
    (work / "old").mkdir()
    (work / "new").mkdir()
    (work / "old" / "dam-ha-tong-ket.txt").write_text(ARTICLE_OLD, encoding="utf-8")
    (work / "new" / "dam-ha-nong-thon-moi.txt").write_text(ARTICLE_NEW, encoding="utf-8")
    store = work / "store"
    res = vnkg("ingest", "--store", str(store), str(work / "old"))
    assert res.returncode == 0, res.stderr
    proc, url = start_server(store, "--max-body", str(MAX_BODY), "--max-rows", "100")
    yield store, url, work / "new"
    stop(proc)


@pytest.fixture(scope="module")
def handed_over(served):
    """``vnkg ingest`` of the new article into the served store."""
    store, url, new = served
    res = vnkg("ingest", "--store", str(store), str(new))
    return res


def test_ingest_hands_its_graphs_to_the_server(served, handed_over):
    store, url, _ = served
    assert handed_over.returncode == 0, handed_over.stderr
    assert "served by process" in handed_over.stderr and "handed to it" in handed_over.stderr
    assert "Traceback" not in handed_over.stderr
    # the server still holds the store: nobody else opened it read-write
    assert recorded(store).url == url


def test_the_new_article_has_its_page_at_once(served, handed_over):
    _, url, _ = served
    r = httpx.get(url + "/page/article/dam-ha-nong-thon-moi", timeout=30)
    assert r.status_code == 200, r.text[:500]
    assert "Đầm Hà đón nhận chuẩn nông thôn mới" in r.text
    hits = httpx.get(url + "/search", params={"q": "dam ha don nhan", "format": "json"}, timeout=30).json()
    assert any(h["iri"] == BASE + "article/dam-ha-nong-thon-moi" for h in hits["results"]), hits
    # the SPARQL endpoint's workers read a fresh checkpoint
    ask = f"ASK {{ GRAPH <{BASE}graph/dam-ha-nong-thon-moi> {{ ?s ?p ?o }} }}"
    r = httpx.get(url + "/sparql", params={"query": ask}, headers={"accept": "application/sparql-results+json"},
                  timeout=30)
    assert r.json()["boolean"] is True


def test_reading_commands_see_the_live_data(served, handed_over):
    store, _, _ = served
    graph = f"{BASE}graph/dam-ha-nong-thon-moi"
    res = vnkg("query", "--store", str(store), "-f", "json",
               "SELECT ?g WHERE { GRAPH ?g { ?a a vnkg:Article } } ORDER BY ?g")
    assert res.returncode == 0, res.stderr
    graphs = [b["g"]["value"] for b in json.loads(res.stdout)["results"]["bindings"]]
    assert graphs == [f"{BASE}graph/dam-ha-nong-thon-moi", f"{BASE}graph/dam-ha-tong-ket"]

    res = vnkg("stats", "--store", str(store), "--json")
    assert res.returncode == 0, res.stderr
    assert json.loads(res.stdout)["classes"]["Article"] == 2

    res = vnkg("export", "--store", str(store), "-f", "nquads", "--graph", graph)
    assert res.returncode == 0, res.stderr
    assert "Đầm Hà đón nhận chuẩn nông thôn mới" in res.stdout and f"<{graph}> ." in res.stdout

    res = vnkg("validate", "--store", str(store))
    assert res.returncode == 0, res.stderr
    assert "; 0 do not conform" in res.stderr, res.stderr

    # each reading command removed its checkpoint
    assert not [p for p in store.parent.iterdir() if p.name.startswith(f".{store.name}-read-")]


def test_the_server_brings_the_derived_graphs_up_to_date_after_the_ingest(served, handed_over):
    store, _, _ = served
    # the tenure of the post both articles read now ends its attested span on the new article's date
    res = vnkg("query", "--store", str(store), "-f", "csv",
               "SELECT ?last WHERE { ?t a vnkg:Tenure ; org:member ?who ; vnkg:lastAttested ?last . "
               "?who rdfs:label ?name FILTER(STR(?name) = 'Lê Văn Hòa') }")
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["last", "2024-03-04"], res.stdout


def test_import_hands_a_graph_larger_than_one_request_to_the_server_in_pieces(served, tmp_path):
    store, _, _ = served
    links = tmp_path / "links.nt"
    links.write_text("".join(f'<http://e.org/r{i}> <http://www.w3.org/2000/01/rdf-schema#label> "nhãn số {i}" .\n'
                             for i in range(8000)), encoding="utf-8")
    assert links.stat().st_size > 2 * MAX_BODY
    for _ in range(2):  # a second import replaces the graph: no triple twice, none left over
        res = vnkg("import", "--store", str(store), "--graph", "urn:x-links", str(links))
        assert res.returncode == 0, res.stderr
    res = vnkg("query", "--store", str(store), "-f", "csv",
               "SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:x-links> { ?s ?p ?o } }")
    assert res.returncode == 0 and res.stdout.split() == ["n", "8000"], (res.stdout, res.stderr)
    # what an ingest reads through the server is never cut at the row cap (100 here), unlike a
    # query from anyone else
    token = (store / CREDENTIAL_FILE).read_text().strip()
    owner = recorded(store)
    rows = "SELECT ?s WHERE { GRAPH <urn:x-links> { ?s ?p ?o } }"
    for auth, n, cut in (({"authorization": f"Bearer {token}"}, 8000, None), ({}, 100, "true")):
        r = httpx.post(owner.url + "/sparql", data={"query": rows}, timeout=60,
                       headers={"accept": "application/sparql-results+json", **auth})
        assert len(r.json()["results"]["bindings"]) == n and r.headers.get("x-vnkg-truncated") == cut


def test_a_second_server_on_a_served_store_says_who_serves_it(served):
    store, url, _ = served
    owner = recorded(store)
    one_line(vnkg("serve", "--store", str(store), "--port", "0"), f"process {owner.pid}", url)


def test_the_credential_is_the_owners_alone(served):
    store, url, _ = served
    mode = stat.S_IMODE((store / CREDENTIAL_FILE).stat().st_mode)
    assert mode == 0o600, oct(mode)
    token = (store / CREDENTIAL_FILE).read_text().strip()
    assert len(token) >= 40
    update = f"INSERT DATA {{ GRAPH <http://e.org/x> {{ <http://e.org/a> <http://e.org/b> 'c' }} }}"
    for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": f"Basic {token}"},
                    {"authorization": f"Bearer {token[:-1]}"}):
        r = httpx.post(url + "/sparql", content=update,
                       headers={"content-type": "application/sparql-update", **headers}, timeout=30)
        assert r.status_code == 403, (headers, r.status_code)
        for path, body in (("/-/after-ingest", {"graphs": []}), ("/-/checkpoint", {"path": "/tmp/x/checkpoint"})):
            r = httpx.post(url + path, json=body, headers=headers, timeout=30)
            assert r.status_code == 401, (path, headers, r.status_code)
        assert httpx.get(url + "/-/owner", headers=headers, timeout=30).status_code == 401
    ask = "ASK { GRAPH <http://e.org/x> { ?s ?p ?o } }"
    r = httpx.get(url + "/sparql", params={"query": ask}, headers={"accept": "application/sparql-results+json"},
                  timeout=30)
    assert r.json()["boolean"] is False
    # with it: a body past the cap is refused before it is read whole
    auth = {"authorization": f"Bearer {token}"}
    r = httpx.post(url + "/-/checkpoint", content=b"{" + b" " * 70_000 + b"}", headers=auth, timeout=30)
    assert r.status_code == 413
    # and a checkpoint only where the client may have one
    for path in ("/tmp/checkpoint", str(store / "checkpoint"), "relative/checkpoint", 42):
        r = httpx.post(url + "/-/checkpoint", json={"path": path}, headers=auth, timeout=30)
        assert r.status_code == 400, (path, r.status_code)


# ------------------------------------------------------------------------------ held stores
def test_a_store_held_by_a_process_that_cannot_share_it_is_named_in_one_line(tmp_path):
    store = small_store(tmp_path / "store")
    holder = hold(store)
    try:
        one_line(vnkg("serve", "--store", str(store), "--port", "0"), f"process {holder.pid}", "cannot serve")
        one_line(vnkg("query", "--store", str(store), "ASK {}"), f"process {holder.pid}")
        one_line(vnkg("import", "--store", str(store), "--graph", "http://e.org/g2",
                      str(ROOT / "ontology" / "vnkg.ttl")), f"process {holder.pid}")
    finally:
        holder.kill()
        holder.wait()
    # once it has ended, its stale record does not stand in the way
    res = vnkg("query", "--store", str(store), "-f", "csv", "SELECT ?o WHERE { ?s ?p ?o }")
    assert res.returncode == 0 and res.stdout.split() == ["o", "o"], res.stderr
    assert not (store / OWNER_FILE).exists()


def test_a_server_that_does_not_answer_is_named_in_one_line(tmp_path):
    store = small_store(tmp_path / "store")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{s.getsockname()[1]}"
    holder = hold(store, closed)
    try:
        start = time.monotonic()
        one_line(vnkg("stats", "--store", str(store), env={"VNKG_CONNECT_WAIT": "1"}),
                 f"process {holder.pid}", f"does not answer at {closed}")
        assert time.monotonic() - start < 30
    finally:
        holder.kill()
        holder.wait()


def test_a_stopped_server_leaves_the_store_to_the_command_line(tmp_path):
    store = small_store(tmp_path / "store")
    proc, _ = start_server(store)
    stop(proc)
    assert not (store / OWNER_FILE).exists() and not (store / CREDENTIAL_FILE).exists()
    res = vnkg("stats", "--store", str(store), "--json")
    assert res.returncode == 0 and json.loads(res.stdout)["triples"] == 1, res.stderr


# ------------------------------------------------------------------------------ the records
def test_an_owner_is_recorded_while_it_holds_the_store_and_a_dead_record_is_ignored(tmp_path):
    store = OwnedStore(tmp_path / "s")
    me = recorded(tmp_path / "s")
    assert me.pid == os.getpid() and me.alive() and me.url is None
    assert not (tmp_path / "s" / CREDENTIAL_FILE).exists()
    with pytest.raises(StoreHeld) as held:
        OwnedStore(tmp_path / "s")
    assert f"process {os.getpid()}" in str(held.value)
    store.close()
    assert recorded(tmp_path / "s") is None
    # a record whose process has ended (or whose id a later process got) is not an owner
    dead = Owner(me.pid, "vnkg ingest x", me.since, (me.ticks or 0) + 1)
    (tmp_path / "s" / OWNER_FILE).write_text(json.dumps(dead.__dict__))
    assert current(tmp_path / "s", wait=0) is None


def test_the_server_runs_the_after_ingest_hook_on_its_own_store(tmp_path, monkeypatch):
    import kg.ingest
    from server.app import create_app
    from server.settings import Settings

    calls = []
    monkeypatch.setattr(kg.ingest, "after_ingest", lambda store, graphs: calls.append((store, graphs)))
    store = LocalStore(small_store(tmp_path / "s"))
    app = create_app(store, Settings(isolation=False), credential="s3cret")
    with TestClient(app) as client:
        before = app.state.site.generation
        auth = {"authorization": "Bearer s3cret"}
        r = client.post("/-/after-ingest", json={"graphs": [BASE + "graph/a"]}, headers=auth)
        assert r.status_code == 204, r.text
        assert calls == [(store, [BASE + "graph/a"])]
        assert app.state.site.generation > before  # pages read afresh
        assert client.post("/-/after-ingest", json={"graphs": ["not an iri"]}, headers=auth).status_code == 400
        assert client.post("/-/after-ingest", content=b"[", headers=auth).status_code == 400
    store.close()
