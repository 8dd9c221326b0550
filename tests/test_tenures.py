"""Tenures: who held which post, when, read across articles (kg/tenures.py).

Each rule of the derivation is pinned on small articles of our own, written in Vietnamese and
read by the whole pipeline (extraction, mapping, SHACL, store, tenures after the ingest), one
district per rule so that the rules do not meet; then on readings built by hand for the cases
the extraction does not produce on purpose.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg import tenures as T
from kg.ingest import ingest
from kg.iri import Minter
from kg.namespaces import TENURES_GRAPH
from kg.store import LocalStore
from kg.validate import validate_store
from tenure_articles import ARTICLES, write  # tests/tenure_articles.py (tests/ is on the path under pytest)

BASE = Minter().base
ROLE = "https://w3id.org/vnkg/ontology/role/"
ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    st = LocalStore(None)
    summary = ingest([write(tmp_path_factory.mktemp("tenures"), ARTICLES)], st)
    assert summary.articles == len(ARTICLES) and not summary.problems, [str(p) for p in summary.problems]
    assert summary.tenures.tenures >= 12
    return st


def iri(person: str, role: str, body: str) -> str:
    return str(Minter().tenure(f"{BASE}person/quang-ninh/{person}", ROLE + role, f"{BASE}org/quang-ninh/{body}"))


def one(store, person: str, role: str, body: str) -> T.StoredTenure:
    found = T.stored(store, tenures=[iri(person, role, body)])
    assert len(found) == 1, f"no tenure of {person} as {role} of {body}"
    return found[0]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def post(article: str, person: str, role: str, body: str) -> str:
    return f"{BASE}post/{article}/{person}/{role}/quang-ninh.{body.replace('/', '.')}"


# ------------------------------------------------------------------------------ the rules, read from articles
def test_an_election_attests_the_beginning(store):
    an = one(store, "le-van-an", "secretary", "tien-yen/huyen-uy")
    assert an.beginning == (d("2015-10-20"), "attested")
    assert an.first == d("2015-10-20")
    assert len(an.readings) == 4 and an.articles == ["ty-2015", "ty-2017", "ty-2019", "ty-2021"]


def test_thay_ong_b_ends_the_one_and_starts_the_other_and_states_the_succession(store):
    an = one(store, "le-van-an", "secretary", "tien-yen/huyen-uy")
    binh = one(store, "pham-van-binh", "secretary", "tien-yen/huyen-uy")
    assert an.end == (d("2019-03-15"), "attested")  # not the later "nguyên Bí thư": the end is known
    assert binh.beginning == (d("2019-03-15"), "attested")
    assert binh.replaces == [an.iri] and binh.succeeds == [an.iri]
    succeeded_by = "https://w3id.org/vnkg/ontology#succeededBy"
    assert bool(store.query(f"ASK {{ GRAPH <{TENURES_GRAPH}> {{ <{an.iri}> <{succeeded_by}> <{binh.iri}> }} }}"))


def test_a_dismissal_attests_the_end_and_the_next_holder_follows(store):
    hung = one(store, "do-van-hung", "chair", "ba-che/ubnd")
    long_ = one(store, "vu-duc-long", "chair", "ba-che/ubnd")
    assert hung.beginning == (d("2016-06-01"), "noLaterThan")
    assert hung.end == (d("2018-07-20"), "attested")
    assert (hung.first, hung.last) == (d("2016-06-01"), d("2018-07-20"))
    assert long_.succeeds == [hung.iri] and long_.replaces == []  # read from the order, not stated


def test_a_former_reading_bounds_the_end(store):
    hai = one(store, "dinh-van-hai", "chair", "co-to/ubnd")
    assert hai.beginning == (d("2016-04-04"), "noLaterThan")
    assert hai.end == (d("2020-04-04"), "noLaterThan")
    assert hai.last == d("2016-04-04")


def test_a_later_holder_of_a_single_holder_post_ends_the_tenure_before_it(store):
    tam = one(store, "ha-van-tam", "secretary", "binh-lieu/huyen-uy")
    hang = one(store, "la-thi-hang", "secretary", "binh-lieu/huyen-uy")
    assert (tam.first, tam.last) == (d("2016-09-09"), d("2017-09-09"))
    assert tam.end == (d("2020-09-09"), "noLaterThan")
    assert hang.succeeds == [tam.iri] and not tam.conflicts
    derived = "http://www.w3.org/ns/prov#wasDerivedFrom"
    ends = store.query(f"SELECT ?p WHERE {{ GRAPH <{TENURES_GRAPH}> {{ <{tam.iri}/end> <{derived}> ?p }} }}")
    assert [r["p"].value for r in ends] == [post("bl-2020", "la-thi-hang", "secretary", "binh-lieu/huyen-uy")]


def test_a_re_election_neither_splits_the_tenure_nor_moves_its_beginning(store):
    hoa = T.stored(store, official=f"{BASE}person/quang-ninh/tran-thi-hoa")
    assert len(hoa) == 1
    hoa = hoa[0]
    assert hoa.beginning == (d("2018-04-11"), "noLaterThan")
    assert hoa.end == (d("2022-11-03"), "noEarlierThan")
    assert [r.status for r in hoa.readings] == ["holds", "starts", "holds"]
    assert hoa.terms == [f"{BASE}term/2020-2025"]


def test_two_secretaries_at_once_are_a_conflict_shown_with_its_evidence(store):
    cuong = one(store, "nguyen-van-cuong", "secretary", "dam-ha/huyen-uy")
    dung = one(store, "hoang-van-dung", "secretary", "dam-ha/huyen-uy")
    assert cuong.conflicts == [dung.iri] and dung.conflicts == [cuong.iri]
    assert not cuong.succeeds and not dung.succeeds  # no order between conflicting tenures
    found = T.conflicts(store, body=f"{BASE}org/quang-ninh/dam-ha/huyen-uy")
    assert len(found) == 1
    c = found[0]
    assert (c.start, c.end) == (d("2020-05-05"), d("2020-05-05"))
    evidence = [(t.official.rsplit("/", 1)[-1], r.article_id) for t, r in c.evidence()]
    assert evidence == [("nguyen-van-cuong", "dh-2019"), ("hoang-van-dung", "dh-2020"), ("nguyen-van-cuong", "dh-2021")]
    assert "Hoàng Văn Dũng" in [r.evidence for _, r in c.evidence()][1]
    assert T.conflicts(store, official=f"{BASE}person/quang-ninh/nguyen-van-cuong")[0].a.iri == c.a.iri
    assert T.conflicts(store, body=f"{BASE}org/quang-ninh/tien-yen/huyen-uy") == []


def test_a_post_many_hold_at_once_has_no_conflict_and_no_order(store):
    lan = one(store, "mai-thi-lan", "deputy-secretary", "van-don/huyen-uy")
    nam = one(store, "ly-van-nam", "deputy-secretary", "van-don/huyen-uy")
    assert not lan.conflicts and not nam.conflicts and not lan.succeeds and not nam.succeeds
    assert lan.end == (d("2021-03-03"), "noEarlierThan")


def test_every_bound_agrees_with_the_readings_and_the_graph_conforms(store):
    tenures = T.stored(store)
    assert len(tenures) >= 12
    assert T.disagreements(tenures) == []
    report = validate_store(store)
    assert report.by_graph == {}, report.by_graph


def test_rebuilding_gives_the_graph_ingest_left(store):
    before = sorted(str(q) for q in store.quads(TENURES_GRAPH))
    done = T.rebuild(store)
    assert done.tenures == len(T.stored(store))
    assert sorted(str(q) for q in store.quads(TENURES_GRAPH)) == before


def test_rebuilding_a_group_at_a_time_gives_the_same_graph(store, monkeypatch):
    # Groups are derived and written in chunks so that memory stays that of one chunk.
    before = sorted(str(q) for q in store.quads(TENURES_GRAPH))
    monkeypatch.setattr(T, "CHUNK_GROUPS", 1)
    done = T.rebuild(store)
    assert done.groups > 1 and done.tenures == len(T.stored(store))
    assert sorted(str(q) for q in store.quads(TENURES_GRAPH)) == before


def test_re_ingesting_an_article_read_differently_recomputes_what_it_touched(tmp_path):
    st = LocalStore(None)
    dam_ha = [a for a in ARTICLES if a[0].startswith("dh-")]
    ingest([write(tmp_path, dam_ha)], st)
    assert T.conflicts(st)
    # the second article, corrected: the secretary is the one the other articles name
    fixed = [("dh-2020", "2020-05-05", "Đầm Hà trồng rừng",
              "Bí thư Huyện ủy Đầm Hà Nguyễn Văn Cường phát động Tết trồng cây tại huyện Đầm Hà (Quảng Ninh).")]
    summary = ingest([write(tmp_path, fixed, "fixed.jsonl")], st)
    assert summary.tenures.groups == 1
    assert T.conflicts(st) == []
    tenures = T.stored(st)
    assert [t.official.rsplit("/", 1)[-1] for t in tenures] == ["nguyen-van-cuong"]
    assert len(tenures[0].readings) == 3


def test_the_table_opens_in_pandas_with_the_documented_columns(store, tmp_path):
    pd = pytest.importorskip("pandas", reason="pandas is not installed (pip install -e '.[test]')")
    rows = T.table(store, body=f"{BASE}org/quang-ninh/tien-yen/huyen-uy")
    path = tmp_path / "tenures.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        T.write_csv(rows, f)
    frame = pd.read_csv(path)
    assert tuple(frame.columns) == T.COLUMNS
    assert list(frame["official"]) == ["Lê Văn An", "Phạm Văn Bình"]
    an = frame.iloc[0]
    assert (an["role"], an["body"], an["place"], an["province"]) == ("Bí thư", "Huyện ủy Tiên Yên", "huyện Tiên Yên",
                                                                     "tỉnh Quảng Ninh")
    assert (an["start"], an["start_kind"], an["end"], an["end_kind"]) == ("2015-10-20", "attested", "2019-03-15",
                                                                          "attested")
    assert an["readings"] == 4 and an["articles"].split() == ["ty-2015", "ty-2017", "ty-2019", "ty-2021"]
    assert frame.iloc[1]["succeeds"] == "Lê Văn An"
    every = T.table(store)
    assert len(every) == len(T.stored(store)) and {r["role"] for r in every} >= {"Bí thư", "Chủ tịch", "Phó Bí thư"}


def test_a_csv_cell_a_spreadsheet_would_run_is_quoted():
    text = T.csv_text([{"official": "=HYPERLINK(\"http://x\")", "role": "Bí thư", "readings": 1}])
    assert "'=HYPERLINK" in text and text.splitlines()[0].split(",")[:3] == ["official", "role", "body"]


# ------------------------------------------------------------------------------ the rules, on readings by hand
SEC, B = ROLE + "secretary", f"{BASE}org/x/huyen-uy"


def r(post: str, who: str, status: str, day: str | None, **kw) -> T.Reading:
    return T.Reading(post, who, kw.pop("role", SEC), kw.pop("body", B), status, d(day) if day else None, **kw)


def by_official(tenures):
    return {t.official: t for t in tenures}


def test_an_ending_older_than_a_later_reading_of_the_post_held_is_not_its_end():
    ts = by_official(T.derive([r("p1", "A", "ends", "2015-01-01"), r("p2", "A", "holds", "2018-01-01")]))
    assert ts["A"].end == T.Bound(d("2018-01-01"), "noEarlierThan", ("p2",))
    assert ts["A"].beginning == T.Bound(d("2015-01-01"), "noLaterThan", ("p1",))


def test_readings_without_a_date_bound_nothing():
    ts = by_official(T.derive([r("p1", "A", "starts", None)]))
    assert ts["A"].beginning is None and ts["A"].end is None and ts["A"].first is None


def test_two_tenures_that_tie_are_put_in_no_order():
    single = {SEC}
    ts = by_official(T.derive([r("p1", "A", "holds", "2015-01-01"), r("p2", "B", "holds", "2018-01-01"),
                               r("p3", "C", "holds", "2018-01-01")], single))
    assert ts["B"].conflicts == {("C", SEC, B)}  # both read as the secretary on one day
    assert not ts["B"].succeeds and not ts["C"].succeeds


def test_a_chain_of_three_holders_in_order():
    single = {SEC}
    ts = by_official(T.derive([r("p1", "A", "starts", "2010-01-01"), r("p2", "B", "holds", "2014-01-01"),
                               r("p3", "C", "holds", "2019-01-01"), r("p4", "A", "holds", "2012-01-01")], single))
    assert ts["B"].succeeds == {("A", SEC, B)} and ts["C"].succeeds == {("B", SEC, B)} and not ts["A"].succeeds
    assert ts["A"].end == T.Bound(d("2014-01-01"), "noLaterThan", ("p2",))
    assert ts["C"].end.kind == "noEarlierThan"


def test_a_same_day_handover_without_a_stated_end_bounds_the_end_that_day():
    single = {SEC}
    ts = by_official(T.derive([r("p1", "A", "holds", "2015-01-01"), r("p2", "B", "starts", "2015-01-01")], single))
    assert ts["A"].end == T.Bound(d("2015-01-01"), "noLaterThan", ("p2",))
    assert not ts["A"].conflicts and ts["B"].succeeds == {("A", SEC, B)}


def test_a_starting_and_an_ending_in_different_sentences_state_no_replacement():
    ts = by_official(T.derive([r("p1", "A", "starts", "2015-01-01", article="a1", sentence=10),
                               r("p2", "B", "ends", "2015-01-01", article="a1", sentence=99)]))
    assert not ts["A"].replaces
    ts = by_official(T.derive([r("p1", "A", "starts", "2015-01-01", article="a1", sentence=10),
                               r("p2", "B", "ends", "2015-01-01", article="a1", sentence=10)]))
    assert ts["A"].replaces == {("B", SEC, B)}


# ------------------------------------------------------------------------------ real and example articles
MISMATCHED = """SELECT ?t ?post WHERE {
  GRAPH <%s> { ?t a vnkg:Tenure ; org:member ?m ; org:role ?r ; org:organization ?o ; prov:wasDerivedFrom ?post }
  FILTER NOT EXISTS { ?post a vnkg:PostHolding ; org:member ?m ; org:role ?r ; org:organization ?o }
}"""


def _agree(folder: Path) -> list[T.StoredTenure]:
    from kg.namespaces import sparql_prefixes

    st = LocalStore(None)
    summary = ingest([folder], st)
    assert summary.articles > 0
    tenures = T.stored(st)
    assert T.disagreements(tenures) == []
    # every reading a tenure rests on is a reading of that official, role and body; every reading has its tenure
    assert list(st.query(sparql_prefixes() + MISMATCHED % TENURES_GRAPH)) == []
    assert sum(len(t.readings) for t in tenures) == len(T.readings(st))
    assert validate_store(st).by_graph == {}
    return tenures


def test_tenure_bounds_agree_with_their_readings_on_the_example_articles():
    tenures = _agree(ROOT / "examples" / "articles")
    assert any(t.beginning and t.beginning[1] == "attested" for t in tenures)


@pytest.mark.skipif(not SEEDS.is_dir(), reason="../shared/seeds (real articles, not in the repository) is not beside it")
def test_tenure_bounds_agree_with_their_readings_on_the_seed_articles():
    tenures = _agree(SEEDS)
    assert len(tenures) >= 5 and sum(bool(t.beginning and t.end) for t in tenures) >= len(tenures) // 2  # most are dated


# ------------------------------------------------------------------------------ the command line
def test_the_commands_list_tenures_conflicts_and_the_table(tmp_path):
    import csv
    import io

    from typer.testing import CliRunner

    from kg.cli import app

    runner = CliRunner()
    store = str(tmp_path / "store")
    dam_ha = [a for a in ARTICLES if a[0].startswith(("dh-", "ty-"))]
    assert runner.invoke(app, ["ingest", "--store", store, str(write(tmp_path, dam_ha))]).exit_code == 0
    res = runner.invoke(app, ["tenures", "--store", store, "--check"])
    assert res.exit_code == 0, res.output
    assert "0 tenure bound(s) disagree" in res.output and "stated replacements" in res.output
    res = runner.invoke(app, ["tenures", "--store", store, "--rebuild"])
    assert res.exit_code == 0 and "tenures from" in res.output
    res = runner.invoke(app, ["conflicts", "--store", store, "--format", "csv"])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [(r["official"], r["date"], r["article"]) for r in rows] == [
        ("Nguyễn Văn Cường", "2019-02-12", "dh-2019"), ("Hoàng Văn Dũng", "2020-05-05", "dh-2020"),
        ("Nguyễn Văn Cường", "2021-01-08", "dh-2021")]
    assert all(r["body"] == "Huyện ủy Đầm Hà" and r["role"] == "Bí thư" for r in rows)
    res = runner.invoke(app, ["conflicts", "--store", store, "--body", "org/quang-ninh/tien-yen/huyen-uy"])
    assert res.exit_code == 0 and "0 conflict(s)" in res.output
    out = tmp_path / "tenures.csv"
    assert runner.invoke(app, ["export", "--store", store, "--tenures", "csv", "-o", str(out)]).exit_code == 0
    table = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    assert len(table) == 4 and tuple(table[0]) == T.COLUMNS
    assert runner.invoke(app, ["export", "--store", store, "--tenures", "xlsx"]).exit_code == 2
    assert runner.invoke(app, ["conflicts", "--store", store, "--format", "xml"]).exit_code == 2
    missing = runner.invoke(app, ["tenures", "--store", str(tmp_path / "none")])
    assert missing.exit_code == 2 and "no store at" in missing.output
