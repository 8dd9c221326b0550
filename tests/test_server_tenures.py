"""The pages of tenures: a body's office-holders and an official's career as server-drawn
timelines, a tenure's own page, the conflicts page and the tenure table as CSV; everything an
article wrote is escaped.

The store is built by ingesting our own articles (tests/tenure_articles.py), plus one whose
sentence carries markup.
"""
from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient

from kg.ingest import ingest
from kg.store import LocalStore
from kg.tenures import COLUMNS
from server.app import create_app
from server.settings import Settings
from tenure_articles import ARTICLES, write  # tests/ is on the path under pytest

HOSTILE = "<script>alert(1)</script>"
MORE = [("qn-2018", "2018-06-06", "Quảng Ninh đón nhà đầu tư",
         "Ông Trần Văn Sơn, Ủy viên Ban Chấp hành Trung ương Đảng, Bí thư Tỉnh ủy Quảng Ninh tiếp các nhà đầu tư."),
        ("ls-2021", "2021-02-02", "Lạng Sơn có tân Bí thư Tỉnh ủy",
         "Bộ Chính trị điều động ông Trần Văn Sơn, Ủy viên Ban Chấp hành Trung ương Đảng, giữ chức Bí thư Tỉnh ủy "
         "Lạng Sơn."),
        ("qy-2019", "2019-05-05", f"Quảng Yên {HOSTILE}",
         f"Bí thư Thị ủy Quảng Yên Lê Văn Tư dự lễ {HOSTILE} tại thị xã Quảng Yên (Quảng Ninh).")]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    st = LocalStore(None)
    summary = ingest([write(tmp_path_factory.mktemp("pages"), ARTICLES + MORE)], st)
    assert summary.articles == len(ARTICLES) + len(MORE)
    with TestClient(create_app(st, Settings(workers=2))) as c:
        yield c


def rows_of(svg: str) -> list[str]:
    return re.findall(r'<text class="label"[^>]*>([^<]*)<title>', svg)


def test_a_body_page_draws_its_office_holders_on_a_timeline(client):
    html = client.get("/page/org/quang-ninh/tien-yen/huyen-uy").text
    assert "Office-holders over time" in html
    svgs = re.findall(r'<svg class="timeline".*?</svg>', html, re.S)
    assert len(svgs) == 1
    svg = svgs[0]
    assert rows_of(svg) == ["Lê Văn An", "Phạm Văn Bình"]
    assert svg.count('class="bar"') == 2 and 'class="cap"' in svg and 'class="whisker open"' in svg
    # each reading is a mark linked to its reading; the row to the official, the bar to the tenure
    assert svg.count('<g class="mark') == 5
    assert 'href="/page/post/ty-2019/pham-van-binh/secretary/quang-ninh.tien-yen.huyen-uy"' in svg
    assert 'href="/page/person/quang-ninh/le-van-an"' in svg
    assert 'href="/page/tenure/quang-ninh.le-van-an/secretary/quang-ninh.tien-yen.huyen-uy"' in svg
    assert "thay ông Lê Văn An" in svg  # the evidence is the mark's tooltip
    assert 'href="/tenures.csv?body=https%3A%2F%2Fw3id.org%2Fvnkg%2Fid%2Forg%2Fquang-ninh%2Ftien-yen%2Fhuyen-uy"' in html


def test_an_official_page_draws_the_career(client):
    html = client.get("/page/person/quang-ninh/le-van-an").text
    assert "<h2>Career</h2>" in html
    svg = re.search(r'<svg class="timeline".*?</svg>', html, re.S).group(0)
    assert rows_of(svg) == ["Bí thư, Huyện ủy Tiên Yên"]
    assert "began 2015-10-20; ended 2019-03-15; 4 reading(s)" in svg


def test_a_tenure_has_a_page_with_its_bounds_successions_and_readings(client):
    html = client.get("/page/tenure/quang-ninh.pham-van-binh/secretary/quang-ninh.tien-yen.huyen-uy").text
    assert "<h2>Tenure</h2>" in html and "stated: replaces" in html
    assert "Lê Văn An: Bí thư, Huyện ủy Tiên Yên (2015-10-20 – 2019-03-15)" in html
    assert "The readings it rests on" in html and "thay ông Lê Văn An" in html
    an = client.get("/page/tenure/quang-ninh.le-van-an/secretary/quang-ninh.tien-yen.huyen-uy").text
    assert "followed by" in an and "Phạm Văn Bình: Bí thư" in an


def test_the_conflicts_page_lists_two_secretaries_at_once_with_their_sentences(client):
    html = client.get("/conflicts").text
    assert "1 conflict." in html
    item = html[html.index('<ol class="conflicts">'):]
    assert "Huyện ủy Đầm Hà" in item and "Nguyễn Văn Cường" in item and "Hoàng Văn Dũng" in item
    assert "phát động Tết trồng cây" in item and '<mark class="hl-who">Hoàng Văn Dũng</mark>' in item
    body = client.get("/page/org/quang-ninh/dam-ha/huyen-uy").text
    assert 'class="tenure conflict"' in body and "2 tenure(s) in conflict" in body


def test_the_tenure_table_as_csv_by_body_and_role(client):
    r = client.get("/tenures.csv", params={"body": "org/quang-ninh/ba-che/ubnd", "role": "Chủ tịch"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert tuple(rows[0]) == COLUMNS
    assert [(x["official"], x["start_kind"], x["end"], x["end_kind"]) for x in rows] == [
        ("Đỗ Văn Hùng", "noLaterThan", "2018-07-20", "attested"), ("Vũ Đức Long", "noLaterThan", "2019-09-09",
                                                                    "noEarlierThan")]
    assert r.headers["access-control-allow-origin"] == "*"
    every = list(csv.DictReader(io.StringIO(client.get("/tenures.csv").text)))
    assert len(every) > len(rows) and {x["province"] for x in every} >= {"tỉnh Quảng Ninh", "tỉnh Lạng Sơn"}


@pytest.mark.parametrize("query", [{"role": "Bí thư Tổng"}, {"body": "org/a b"}, {"official": "<x>"}])
def test_a_bad_filter_is_a_400_that_says_why(client, query):
    r = client.get("/tenures.csv", params=query)
    assert r.status_code == 400 and r.text.startswith("Bad request:")


def test_what_an_article_wrote_is_escaped_in_the_timeline(client):
    html = client.get("/page/org/quang-ninh/quang-yen/thi-uy").text
    assert '<svg class="timeline"' in html
    assert HOSTILE not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    career = client.get("/page/person/quang-ninh/le-van-tu").text
    assert HOSTILE not in career and "&lt;script&gt;" in career


def example(name: str) -> str:
    from server.app import load_examples

    return next(e["query"] for e in load_examples() if e["name"] == name)


def results(client, query: str) -> list[dict]:
    r = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return [{k: v["value"] for k, v in b.items()} for b in r.json()["results"]["bindings"]]


def test_the_example_succession_of_district_secretaries(client):
    rows = results(client, example("8-succession-of-district-secretaries"))
    tien_yen = [(r["secretary"], r["began"], r["beginning"], r.get("follows"), r.get("how"))
                for r in rows if r["committee"] == "Huyện ủy Tiên Yên"]
    assert tien_yen == [("Lê Văn An", "2015-10-20", "attested", None, None),
                        ("Phạm Văn Bình", "2019-03-15", "attested", "Lê Văn An", "stated")]
    binh_lieu = [(r["secretary"], r.get("how")) for r in rows if r["committee"] == "Huyện ủy Bình Liêu"]
    assert binh_lieu == [("Hà Văn Tâm", None), ("La Thị Hằng", "in order")]
    assert all(r["district"].startswith(("huyện", "thị xã", "thành phố", "quận")) for r in rows)
    assert "Tỉnh ủy Lạng Sơn" not in {r["committee"] for r in rows}  # a province is no district
    assert client.get("/query", params={"query": example("8-succession-of-district-secretaries")}).status_code == 200


def test_the_example_officials_in_two_provinces(client):
    rows = results(client, example("9-officials-in-two-provinces"))
    assert [(r["name"], r["provinces"]) for r in rows] == [("Trần Văn Sơn", "2")]
    assert "Bí thư Tỉnh ủy Lạng Sơn (2021-02-02 – 2021-02-02)" in rows[0]["posts"]
    assert "Bí thư Tỉnh ủy Quảng Ninh (2018-06-06 – 2018-06-06)" in rows[0]["posts"]
