"""The gazetteer of administrative units before the 2025 reform (loaders/gazetteer.py)."""
from __future__ import annotations

import importlib.util
import time

import pytest

from loaders import gazetteer as gz
from loaders.gazetteer import Gazetteer, is_within, split_level
from loaders.records import PlaceRef
from loaders.text import canonical_tones, fold, nfc


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return gz.gazetteer()


def one(found: list[PlaceRef]) -> PlaceRef:
    assert len(found) == 1, found
    return found[0]


@pytest.fixture(scope="module")
def quang_ninh(g):
    return one(g.find("Quảng Ninh", level="Province"))


@pytest.fixture(scope="module")
def hai_ha(g):
    return one(g.find("Hải Hà", level="District"))


# ---------------------------------------------------------------- level words


def test_level_words_table():
    rows = {lw.level: lw for lw in gz.LEVEL_WORDS}
    assert set(rows) == {"Province", "Municipality", "ProvincialCity", "Town", "District",
                         "UrbanDistrict", "Township", "Commune", "Ward"}
    assert gz.level_word("District") == "huyện"
    assert gz.level_word("Municipality") == gz.level_word("ProvincialCity") == "thành phố"
    assert gz.levels_of_word("TP") == gz.levels_of_word("tp.") == {"Municipality", "ProvincialCity"}
    assert gz.levels_of_word("TX") == {"Town"}
    assert gz.levels_of_word("TT") == {"Township"}
    assert gz.levels_of_word("P.") == {"Ward"}
    assert gz.levels_of_word("Huyện") == {"District"}
    assert gz.PROVINCE_LEVELS == {"Province", "Municipality"}
    assert gz.COMMUNE_LEVELS == {"Commune", "Ward", "Township"}


def test_split_level():
    assert split_level("huyện Hải Hà") == ({"District"}, "Hải Hà")
    assert split_level("Thị xã  Quảng Yên") == ({"Town"}, "Quảng Yên")
    assert split_level("TP.HCM") == ({"Municipality", "ProvincialCity"}, "HCM")
    assert split_level("Hải Hà") == (frozenset(), "Hải Hà")
    assert split_level("thành phố") == (frozenset(), "thành phố")
    assert split_level("Xã Quảng Sơn")[0] == {"Commune"}


# ---------------------------------------------------------------- contents


def test_counts_and_order(g):
    units = g.units()
    assert len(g.provinces()) == 63
    tiers = [gz.TIER[u.level] for u in units]
    assert tiers == sorted(tiers)  # provinces, then districts, then communes
    assert tiers.count(2) == 696 and tiers.count(3) == 10051
    assert units[0].label == "thành phố Hà Nội"
    assert [u.code for u in g.units()] == [u.code for u in gz.Gazetteer.build().units()]


def test_levels_from_prefixes(g):
    cases = {
        ("Quảng Ninh", "tỉnh Quảng Ninh"): "Province",
        ("Hà Nội", "thành phố Hà Nội"): "Municipality",
        ("Móng Cái", "thành phố Móng Cái"): "ProvincialCity",
        ("Thủ Đức", "thành phố Thủ Đức"): "ProvincialCity",  # city inside a municipality
        ("Quảng Yên", "thị xã Quảng Yên"): "Town",
        ("Hải Hà", "huyện Hải Hà"): "District",
        ("Ba Đình", "quận Ba Đình"): "UrbanDistrict",
        ("Quảng Hà", "thị trấn Quảng Hà"): "Township",
        ("Đường Hoa", "xã Đường Hoa"): "Commune",
        ("Ka Long", "phường Ka Long"): "Ward",
    }
    for (name, label), level in cases.items():
        u = one(g.find(name, level=level))
        assert (u.name, u.label, u.level) == (name, label, level)
    assert one(g.find("Bắc Kạn", level="ProvincialCity")).label == "thành phố Bắc Kạn"  # "Thành Phố" in the data


def test_municipalities(g):
    munis = [u.label for u in g.units() if u.level == "Municipality"]
    assert munis == ["thành phố Hà Nội", "thành phố Hải Phòng", "thành phố Đà Nẵng",
                     "thành phố Hồ Chí Minh", "thành phố Cần Thơ"]
    # province 46 is the province of the period, not the municipality of 2025
    hue = g.by_code("46")
    assert (hue.level, hue.label) == ("Province", "tỉnh Thừa Thiên Huế")


def test_municipality_vs_provincial_city(g, quang_ninh):
    hanoi = g.resolve("thành phố Hà Nội")
    assert (hanoi.level, hanoi.parent) == ("Municipality", None)
    mc = g.resolve("TP Móng Cái")
    assert (mc.level, mc.parent, mc.label) == ("ProvincialCity", quang_ninh, "thành phố Móng Cái")
    assert g.resolve("Hà Tĩnh").level == "Province"  # contains thành phố Hà Tĩnh
    assert g.resolve("thành phố Hà Tĩnh").level == "ProvincialCity"


def test_tone_canonicalisation(g):
    hh = [u for u in g.find("Hải Hòa") if u.parent.name == "Móng Cái"]
    assert one(hh).label == "phường Hải Hòa"  # "Phường Hải Hoà" in the data
    assert g.find("hải hoà") == g.find("Hải Hòa") == g.find("HẢI HÒA")
    assert one(g.find("Hòa Bình", level="Province")).label == "tỉnh Hòa Bình"
    for u in g.units():
        assert u.name == nfc(canonical_tones(u.name)), u
        assert u.label == f"{gz.level_word(u.level)} {u.name}"


def test_codes(g, quang_ninh, hai_ha):
    widths = {1: 2, 2: 3, 3: 5}
    for u in g.units():
        assert u.code.isdigit() and len(u.code) == widths[gz.TIER[u.level]], u
    assert quang_ninh.code == "22" and hai_ha.code == "201"
    assert g.by_code("01").name == "Hà Nội"
    assert g.by_code("201") is hai_ha


def test_containment(g, quang_ninh, hai_ha):
    qs = one(g.find("Quảng Sơn", within=hai_ha))
    assert qs.parent is hai_ha and hai_ha.parent is quang_ninh and quang_ninh.parent is None
    assert qs.province is quang_ninh and qs.path() == ("Quảng Ninh", "Hải Hà", "Quảng Sơn")
    assert is_within(qs, quang_ninh) and not is_within(quang_ninh, qs)
    assert qs in g.children(hai_ha) and hai_ha in g.children(quang_ninh)
    assert {u.name for u in g.children(hai_ha)} >= {"Quảng Hà", "Quảng Sơn", "Đường Hoa", "Cái Chiên"}
    assert g.children(qs) == []


def test_punctuation_insensitive_keys(g):
    assert one(g.find("Ia H'Drai")).label == "huyện Ia H' Drai"
    assert one(g.find("Phan Rang - Tháp Chàm")).level == "ProvincialCity"
    assert one(g.find("Bà Rịa-Vũng Tàu")).code == "77"


# ---------------------------------------------------------------- resolution


def test_same_named_communes_resolved_by_context(g, hai_ha):
    # xã Quảng Sơn exists in huyện Hải Hà (Quảng Ninh) and in thị xã Ba Đồn (Quảng Bình), among others
    both = g.find("Quảng Sơn", level="Commune")
    assert {u.province.name for u in both} >= {"Quảng Ninh", "Quảng Bình"}
    quang_binh = one(g.find("Quảng Bình", level="Province"))
    in_qb = g.resolve("Quảng Sơn", level="Commune", context=[quang_binh])
    assert in_qb.parent.label == "thị xã Ba Đồn"
    in_hh = g.resolve("xã Quảng Sơn", context=[hai_ha])
    assert in_hh.parent is hai_ha
    assert g.resolve("Quảng Sơn") is None
    assert g.resolve("Quảng Sơn", level="Commune") is None


def test_synthesized_historical_commune(g, hai_ha):
    # xã Quảng Thắng was merged before 2025: not in the data
    assert g.find("Quảng Thắng", level="Commune", within=hai_ha.parent) == []
    u = g.resolve("Quảng Thắng", level="Commune", context=[hai_ha, hai_ha.parent])
    assert u == PlaceRef("Commune", "Quảng Thắng", "xã Quảng Thắng", hai_ha, None)
    assert g.resolve("xã Quảng Thắng", context=[hai_ha]) == u
    assert g.resolve("Quảng Thắng", level="Commune") is None  # no context, no unit
    assert g.resolve("Quảng Thắng", level="Commune", context=[hai_ha.parent]) is None  # which district?
    assert g.children(u) == [] and g.successor(u) is None


def test_synthesized_historical_district(g, quang_ninh):
    # huyện Hoành Bồ was merged into thành phố Hạ Long in 2019 (a phường Hoành Bồ remains)
    u = g.resolve("huyện Hoành Bồ", context=[quang_ninh])
    assert u == PlaceRef("District", "Hoành Bồ", "huyện Hoành Bồ", quang_ninh, None)
    assert g.resolve("Hoành Bồ", context=[quang_ninh]).level == "Ward"


def test_province_names(g, quang_ninh):
    assert g.resolve("Quảng Ninh") is quang_ninh  # also a huyện in Quảng Bình
    quang_binh = one(g.find("Quảng Bình", level="Province"))
    assert g.resolve("Quảng Ninh", context=[quang_binh]).label == "huyện Quảng Ninh"
    assert g.resolve("Quảng Ninh", context=[g.find("Hải Hà", level="District")[0]]) is quang_ninh
    assert g.resolve("tỉnh Quảng Ninh") is quang_ninh


def test_container_preferred(g):
    assert g.resolve("Tiên Yên").label == "huyện Tiên Yên"  # not thị trấn Tiên Yên inside it
    assert g.resolve("Tiên Yên", level="Township").label == "thị trấn Tiên Yên"


def test_aliases(g):
    hcm = g.resolve("Hồ Chí Minh")
    assert hcm.label == "thành phố Hồ Chí Minh" and hcm.level == "Municipality"
    for alias in ("TP.HCM", "TP HCM", "TPHCM", "tp. Hồ Chí Minh", "Thành phố Hồ Chí Minh", "Sài Gòn"):
        assert g.resolve(alias) is hcm, alias
    tth = g.resolve("Huế")
    assert tth.label == "tỉnh Thừa Thiên Huế"
    assert g.resolve("TT-Huế") is tth and g.resolve("Thừa Thiên - Huế") is tth
    # the provincial city of Huế (split into two quận in 2025) is synthesized
    city = g.resolve("thành phố Huế", context=[tth])
    assert (city.level, city.parent, city.code) == ("ProvincialCity", tth, None)
    assert g.resolve("Đắc Lắc").label == "tỉnh Đắk Lắk"


def test_find_levels_and_errors(g):
    assert all(u.level in {"Ward", "Commune"} for u in g.find("Hải Hòa", level={"Ward", "Commune"}))
    assert g.find("Hải Hòa", level="Township") == []
    assert g.find("Không Có Nơi Này") == []
    with pytest.raises(ValueError):
        g.find("Hải Hà", level="Village")


def test_name_index(g, hai_ha):
    idx = g.name_index()
    assert hai_ha in idx[fold("Hải Hà")] and hai_ha in idx[fold("hải hà")]
    assert any(u.label == "phường Hải Hòa" for u in idx[fold("Hải Hoà")])
    assert "1" not in idx  # "phường 1" only makes sense with its level word
    assert fold("TP.HCM") in idx
    assert g.is_place_name("Hải Hà") and g.is_place_name("TP.HCM") and g.is_place_name("phường 1")
    assert not g.is_place_name("1") and not g.is_place_name("Nguyễn Văn A")


# ---------------------------------------------------------------- 2025 successors


needs_vau = pytest.mark.skipif(importlib.util.find_spec("vietnamadminunits") is None,
                               reason="vietnamadminunits not installed")


@needs_vau
def test_successor_province(g, quang_ninh):
    assert g.successor(quang_ninh) == ("tỉnh Quảng Ninh", "22")
    hd = one(g.find("Hải Dương", level="Province"))
    assert g.successor(hd) == ("thành phố Hải Phòng", "31")


@needs_vau
def test_successor_commune(g, hai_ha):
    qs = one(g.find("Quảng Sơn", within=hai_ha))
    label, code = g.successor(qs)
    assert label == "xã Đường Hoa" and len(code) == 5
    assert g.successor(hai_ha) is None  # districts were abolished


# ---------------------------------------------------------------- speed and cache


def test_build_time_and_cache(tmp_path, monkeypatch):
    t0 = time.perf_counter()
    built = Gazetteer.build()
    assert time.perf_counter() - t0 < 5.0  # typically ~0.15 s
    monkeypatch.setenv("VNKG_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("VNKG_GAZETTEER_CACHE", raising=False)
    first = Gazetteer.load()
    assert list(tmp_path.glob("gazetteer-*.pickle"))
    again = Gazetteer.load()
    assert again.units() == first.units() == built.units()
    assert again.resolve("TP.HCM").code == "79"
