"""A real browser over a real server: Debian's chromium driven by playwright.

Starts uvicorn on 127.0.0.1 (a free port) over the fixture, opens the home
page, searches without diacritics, runs an example query, follows a link to
an official, looks at the timelines of a body's office-holders and of an
official's career (over our own articles, ingested) and saves screenshots (to pytest's tmp path, or to
$VNKG_SCREENSHOT_DIR when set). Skipped when chromium or playwright is
missing: ``apt-get install -y chromium`` and ``pip install playwright`` (no
``playwright install``: the system chromium is used).
"""
from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.store import LocalStore
from server.app import create_app
from server.settings import Settings

FIXTURE = Path(__file__).parent / "data" / "server" / "fixture.trig"
CHROMIUM = os.environ.get("VNKG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if CHROMIUM is None:
    pytest.skip("chromium is not installed (apt-get install -y chromium)", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_url():
    store = LocalStore(None)
    store.ox.load(path=str(FIXTURE), format=ox.RdfFormat.TRIG)
    yield from _serve(store)


@pytest.fixture(scope="module")
def tenure_url(tmp_path_factory):
    """A server over our own articles of tenures (tests/tenure_articles.py), ingested."""
    from kg.ingest import ingest
    from tenure_articles import ARTICLES, write  # tests/ is on the path under pytest

    store = LocalStore(None)
    assert ingest([write(tmp_path_factory.mktemp("tenure-pages"), ARTICLES)], store).articles == len(ARTICLES)
    yield from _serve(store)


def _serve(store):
    import uvicorn

    port = _free_port()
    config = uvicorn.Config(create_app(store, Settings(workers=2)), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        pg.on("dialog", lambda d: (errors.append("dialog opened: " + d.message), d.dismiss()))
        pg.errors = errors
        yield pg
        browser.close()


def _shot_dir(tmp_path: Path) -> Path:
    d = os.environ.get("VNKG_SCREENSHOT_DIR")
    if d:
        Path(d).mkdir(parents=True, exist_ok=True)
        return Path(d)
    return tmp_path


def test_browse_search_query_and_official(server_url, page, tmp_path):
    shots = _shot_dir(tmp_path)
    page.goto(server_url + "/")
    assert "Vietnamese local Party governance" in page.inner_text("h1")
    page.screenshot(path=str(shots / "home.png"), full_page=True)

    # search without diacritics
    page.fill("main input[name=q]", "hai ha")
    page.press("main input[name=q]", "Enter")
    page.wait_for_url("**/search?q=hai+ha*")
    hits = page.inner_text("ol.hits")
    assert "huyện Hải Hà" in hits and "Huyện ủy Hải Hà" in hits
    page.screenshot(path=str(shots / "search.png"), full_page=True)

    # an example query: the link fills the editor (Yasqe, query.js), Ctrl+Enter runs it
    page.goto(server_url + "/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.click("a[data-example='1-officials-by-body-and-term']")
    assert "PostHolding" in page.input_value("#query")
    assert "PostHolding" in page.evaluate("document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()")
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("table.results-table")
    assert "Nguyễn Văn An" in page.inner_text("table.results-table")
    page.screenshot(path=str(shots / "query.png"), full_page=True)

    # follow a result link to the official's page
    page.click("table.results-table a[href='/page/person/quang-ninh/nguyen-van-an']")
    page.wait_for_url("**/page/person/quang-ninh/nguyen-van-an")
    assert page.inner_text("h1") == "Nguyễn Văn An"
    assert "Posts over time" in page.content()
    assert page.locator("mark.hl-who").count() >= 2
    page.screenshot(path=str(shots / "official.png"), full_page=True)
    assert (shots / "official.png").stat().st_size > 10_000

    # the article with a hostile title: the script never runs, it is shown as text
    page.goto(server_url + "/page/article/test_a1b2c3d4e5f60002")
    assert "<script>alert(1)</script>" in page.inner_text("h1")
    page.goto(server_url + "/page/place/quang-ninh/hai-ha")
    assert page.locator("svg.chart").count() == 2
    page.screenshot(path=str(shots / "place.png"), full_page=True)
    assert not page.errors, page.errors


def test_the_query_editor_is_yasqe_served_here_typing_and_running_a_query(server_url, page):
    """YASGUI's editor, vendored: our prefixes are declared as they are typed, Ctrl+Enter runs the
    query through the page (table, limits, shareable URL), and nothing is fetched from elsewhere."""
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith((server_url, "data:")) else elsewhere.append(r.url))
    page.goto(server_url + "/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    assert "rows" in page.inner_text(".hint") and " s" in page.inner_text(".hint")  # the visible limits
    page.click(".yasqe .CodeMirror")
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.type("SELECT ?name WHERE { ?o a vnkg:Official ; foaf:name ?name } ORDER BY ?name ")
    text = page.evaluate("document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()")
    assert "PREFIX vnkg: <https://w3id.org/vnkg/ontology#>" in text, text
    assert "PREFIX foaf: <http://xmlns.com/foaf/0.1/>" in text, text
    page.keyboard.press("Control+Enter")
    page.wait_for_selector("table.results-table")
    assert "/query?query=" in page.url and "PREFIX" in page.evaluate("decodeURIComponent(location.search)")
    assert "Nguyễn Văn An" in page.inner_text("table.results-table")
    assert "share this query" in page.inner_text("section.results")
    # the shared URL opens with the query in the editor and its table
    page.goto(page.url)
    page.wait_for_selector(".yasqe .CodeMirror")
    assert "foaf:name ?name" in page.evaluate("document.querySelector('.yasqe .CodeMirror').CodeMirror.getValue()")
    assert "Nguyễn Văn An" in page.inner_text("table.results-table")
    assert not elsewhere, elsewhere
    assert not page.errors, page.errors


def _box(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, f"{selector} is not shown"
    return box


def _labels(page) -> list[str]:
    """The rows' labels as drawn (an SVG text has no innerText; its tooltip is a child element)."""
    return page.eval_on_selector_all("svg.timeline text.label", "els => els.map(e => e.firstChild.nodeValue)")


def test_the_timelines_of_a_body_and_of_an_official_render(tenure_url, page, tmp_path):
    shots = _shot_dir(tmp_path)
    page.goto(tenure_url + "/page/org/quang-ninh/tien-yen/huyen-uy")
    svg = page.locator("svg.timeline")
    assert svg.count() == 1 and "Office-holders over time" in page.inner_text("main")
    box = _box(page, "svg.timeline")
    assert box["width"] > 600 and box["height"] > 60  # drawn at a readable size, not collapsed
    assert _labels(page) == ["Lê Văn An", "Phạm Văn Bình"]
    assert page.locator("svg.timeline rect.bar").count() == 2
    assert page.locator("svg.timeline .mark").count() == 5
    # the bars lie in the plot, the first holder's to the left of the second's
    first, second = (b.bounding_box() for b in page.locator("svg.timeline rect.bar").all())
    assert box["x"] < first["x"] < second["x"] < box["x"] + box["width"]
    assert first["width"] > 5 * second["width"]
    page.screenshot(path=str(shots / "body-timeline.png"), full_page=True)
    assert (shots / "body-timeline.png").stat().st_size > 20_000
    # a reading's mark leads to the reading, with its sentence
    page.locator("svg.timeline a:has(.mark.ends)").first.click()
    page.wait_for_url("**/page/post/ty-2019/le-van-an/**")
    assert "thay ông" in page.inner_text("blockquote")

    page.goto(tenure_url + "/page/org/quang-ninh/dam-ha/huyen-uy")
    assert page.locator("svg.timeline g.tenure.conflict").count() == 2
    page.screenshot(path=str(shots / "body-conflict.png"), full_page=True)

    page.goto(tenure_url + "/page/person/quang-ninh/le-van-an")
    assert "Career" in page.inner_text("main")
    assert _labels(page) == ["Bí thư, Huyện ủy Tiên Yên"]
    assert _box(page, "svg.timeline")["width"] > 600
    page.screenshot(path=str(shots / "official-timeline.png"), full_page=True)
    page.locator("svg.timeline a.span").first.click()
    page.wait_for_url("**/page/tenure/quang-ninh.le-van-an/**")
    assert "followed by" in page.inner_text("main")

    page.goto(tenure_url + "/conflicts")
    assert "Hoàng Văn Dũng" in page.inner_text("ol.conflicts")
    page.screenshot(path=str(shots / "conflicts.png"), full_page=True)
    assert not page.errors, page.errors
