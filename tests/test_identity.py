"""Identity: one person one IRI (officials of national bodies), and places that keep their level."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.export import export
from kg.ingest import ingest
from kg.iri import Minter, is_national, national_officials
from kg.mapping import article_graph
from kg.namespaces import VNKG
from kg.store import LocalStore
from kg.validate import violations
from loaders.article import Article
from loaders.gazetteer import gazetteer
from loaders.records import BodyRef, Discipline, Evidence, Facts, Official, PlaceRef, PostHolding

BASE = Minter().base
EV = Evidence("Câu thử nghiệm.", 0, 15)


def province(name: str) -> PlaceRef:
    (p,) = [u for u in gazetteer().find(name) if u.parent is None]
    return p


def government() -> BodyRef:
    return BodyRef("StateBody", "chinh-phu", "Chính phủ")


def committee(p: PlaceRef) -> BodyRef:
    key, word = ("thanh-uy", "Thành ủy") if p.level == "Municipality" else ("tinh-uy", "Tỉnh ủy")
    return BodyRef("PartyCommittee", key, f"{word} {p.name}", p)


def graph_of(article_id: str, facts: Facts):
    article = Article(article_id, "Câu thử nghiệm.", issued=dt.date(2023, 1, 2))
    return article_graph(article, facts)


def officials_in(g) -> set[str]:
    return {str(s) for s in g.subjects(RDF.type, VNKG.Official)}


# ---------------------------------------------------------------- officials

def test_a_national_body_is_one_without_a_place_or_in_the_national_table():
    qn = province("Quảng Ninh")
    assert is_national(government())
    assert is_national(BodyRef("StateBody", "bo-noi-vu", "Bộ Nội vụ", None, government()))
    assert is_national(BodyRef("StandingCommittee", "bo-chinh-tri", "Bộ Chính trị"))
    assert not is_national(committee(qn))
    assert not is_national(BodyRef("StateBody", "doan-dbqh", "Đoàn đại biểu Quốc hội tỉnh Quảng Ninh", qn))


def test_the_prime_minister_is_one_person_whatever_the_province_of_the_article():
    iris = set()
    for name in ("Quảng Ninh", "Cà Mau", "Hà Nội"):
        p = province(name)
        pm = Official("Phạm Minh Chính", p)
        facts = Facts(places=[p], bodies=[government()], officials=[pm],
                      posts=[PostHolding(pm, "prime-minister", government(), EV)])
        g = graph_of(f"pm_{p.code}", facts)
        assert violations(g) == []
        iris |= officials_in(g)
    assert iris == {BASE + "person/pham-minh-chinh"}


def test_a_local_official_keeps_the_province_key_and_namesakes_in_one_province_are_merged():
    qn = province("Quảng Ninh")
    a, b = Official("Nguyễn Văn An", qn), Official("Nguyễn Văn An", qn)
    g1 = graph_of("local_1", Facts(officials=[a], posts=[PostHolding(a, "secretary", committee(qn), EV)]))
    g2 = graph_of("local_2", Facts(officials=[b], posts=[PostHolding(b, "chair", committee(qn), EV)]))
    assert officials_in(g1) == officials_in(g2) == {BASE + "person/quang-ninh/nguyen-van-an"}
    other = Official("Nguyễn Văn An", province("Cà Mau"))
    g3 = graph_of("local_3", Facts(officials=[other]))
    assert officials_in(g3) == {BASE + "person/ca-mau/nguyen-van-an"}


def test_the_decision_is_made_per_article_from_its_own_posts():
    qn = province("Quảng Ninh")
    secretary = Official("Trần Văn Bảy", qn)
    central = BodyRef("PartyCommittee", "ban-chap-hanh-trung-uong", "Ban Chấp hành Trung ương")
    both = Facts(officials=[secretary],
                 posts=[PostHolding(secretary, "member", central, EV),
                        PostHolding(secretary, "secretary", committee(qn), EV)],
                 disciplines=[Discipline(secretary, "canh-cao", EV)])
    assert national_officials(both) == {secretary}
    g = graph_of("both", both)
    assert officials_in(g) == {BASE + "person/tran-van-bay"}
    # every fact of the article about the person points at the one IRI
    for p in (VNKG.disciplined,):
        assert {str(o) for o in g.objects(None, p)} == {BASE + "person/tran-van-bay"}
    members = {str(o) for o in g.objects(None, URIRef("http://www.w3.org/ns/org#member"))}
    assert members == {BASE + "person/tran-van-bay"}
    only_local = Facts(officials=[secretary], posts=[PostHolding(secretary, "secretary", committee(qn), EV)])
    assert officials_in(graph_of("local", only_local)) == {BASE + "person/quang-ninh/tran-van-bay"}


def test_the_minter_mints_national_officials_without_a_province():
    qn = province("Quảng Ninh")
    mint = Minter()
    assert mint.official(Official("Võ Văn Thưởng", qn), national=True) == URIRef(BASE + "person/vo-van-thuong")
    assert mint.official(Official("Võ Văn Thưởng", qn)) == URIRef(BASE + "person/quang-ninh/vo-van-thuong")


# ---------------------------------------------------------------- places keep their level

def test_a_centrally_run_city_written_as_a_province_stays_a_municipality():
    hn = province("Hà Nội")
    assert hn.level == "Municipality"
    as_province = PlaceRef("Province", "Hà Nội", "tỉnh Hà Nội", None, hn.code)
    district = PlaceRef("UrbanDistrict", "Hoàn Kiếm", "quận Hoàn Kiếm", as_province, None)
    tinh_uy = BodyRef("PartyCommittee", "tinh-uy", "Tỉnh ủy Hà Nội", as_province)
    standing = BodyRef("StandingCommittee", "ban-thuong-vu", "Ban Thường vụ Tỉnh ủy Hà Nội", as_province, tinh_uy)
    ubnd = BodyRef("StateBody", "ubnd", "Ủy ban nhân dân tỉnh Hà Nội", as_province)
    who = Official("Đinh Tiến Dũng", as_province)
    facts = Facts(places=[as_province, district], bodies=[tinh_uy, standing, ubnd], officials=[who],
                  posts=[PostHolding(who, "secretary", tinh_uy, EV)])
    g = graph_of("hanoi", facts)
    place = URIRef(BASE + "place/ha-noi")
    assert set(g.objects(place, RDF.type)) == {VNKG.Municipality}
    assert set(g.objects(place, RDFS.label)) == {Literal("thành phố Hà Nội", lang="vi")}
    labels = {str(o) for o in g.objects(None, RDFS.label)}
    assert not any("tỉnh Hà Nội" in t or "Tỉnh ủy Hà Nội" in t for t in labels), labels
    assert {"Thành ủy Hà Nội", "Ban Thường vụ Thành ủy Hà Nội", "Ủy ban nhân dân thành phố Hà Nội"} <= labels
    assert (URIRef(BASE + "org/ha-noi/thanh-uy"), RDF.type, VNKG.PartyCommittee) in g
    assert (None, None, URIRef(BASE + "org/ha-noi/tinh-uy")) not in g
    assert list(g.subjects(RDF.type, VNKG.Province)) == []
    assert violations(g) == []


def test_a_district_keeps_the_level_its_article_writes():
    """Below the province, units are upgraded: "thị xã Từ Sơn" in 2021 stays a town in that article."""
    (tu_son,) = [u for u in gazetteer().find("Từ Sơn") if u.level in ("ProvincialCity", "Town")]
    as_town = PlaceRef("Town", tu_son.name, f"thị xã {tu_son.name}", tu_son.parent, tu_son.code)
    g = graph_of("tu_son", Facts(places=[as_town]))
    node = Minter().place(as_town)
    assert set(g.objects(node, RDF.type)) == {VNKG.Town}


ARTICLE = """Cần Thơ tổng kết công tác năm 2022

10/12/2022 10:00

Ngày 10/12, Tỉnh ủy Cần Thơ tổ chức hội nghị tổng kết. UBND tỉnh Cần Thơ báo cáo tăng trưởng kinh tế đạt 7,5%.
Đảng bộ tỉnh Cần Thơ có hơn 60.000 đảng viên.
"""


def test_an_exported_article_about_can_tho_never_calls_it_a_province(tmp_path: Path):
    (tmp_path / "can-tho.txt").write_text(ARTICLE, encoding="utf-8")
    store = LocalStore(tmp_path / "s")
    summary = ingest([tmp_path / "can-tho.txt"], store)
    assert summary.articles == 1 and summary.rejected == 0
    ds = Dataset(default_union=True)
    ds.parse(data=export(store, "trig"), format="trig")
    city = URIRef(BASE + "place/can-tho")
    assert (city, RDF.type, VNKG.Municipality) in ds
    assert (city, RDF.type, VNKG.Province) not in ds
    labels = {str(o) for o in ds.objects(None, RDFS.label)}
    assert "thành phố Cần Thơ" in labels
    assert not any("tỉnh Cần Thơ" in t or "Tỉnh ủy Cần Thơ" in t for t in labels)


def test_the_units_of_a_committee_named_at_a_level_its_place_no_longer_has_are_other_bodies():
    from loaders.extract import extract
    from loaders.read import read_text

    text = "Ban Thường vụ Quận ủy Thủ Đức (TP HCM) họp năm 2019. Năm 2022, Ban Thường vụ Thành ủy Thủ Đức họp."
    facts = extract(read_text(f"Tin\n\nThứ Ba, 14/11/2023, 09:00\n\n{text}\n", id="t"))
    standing = {b.label: Minter().body(b) for b in facts.bodies if b.kind == "StandingCommittee"}
    assert standing["Ban Thường vụ Quận ủy Thủ Đức"] == URIRef(BASE + "org/ho-chi-minh/thu-duc/quan-uy/ban-thuong-vu")
    assert standing["Ban Thường vụ Thành ủy Thủ Đức"] == URIRef(BASE + "org/ho-chi-minh/thu-duc/ban-thuong-vu")
