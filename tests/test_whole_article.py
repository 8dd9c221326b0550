"""A new article, written for this test, comes out whole and resolved.

It names officials and their posts, bodies, a congress with its term, a numbered resolution,
an industrial park and reported and targeted figures; a second article about the same district
names the same official, committee, resolution and zone, which must be the same resources.
"""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.ingest import ingest
from kg.store import LocalStore
from loaders.extract import extract
from loaders.read import read_text

FIRST = """Hà Trung tổ chức thành công Đại hội Đảng bộ huyện lần thứ XXVI

Thứ Bảy, 18/07/2020, 16:40

Sau hai ngày làm việc, Đại hội đại biểu Đảng bộ huyện Hà Trung lần thứ XXVI, nhiệm kỳ 2020-2025 đã bế mạc. Đồng chí Lê Văn Phúc, Tỉnh ủy viên, tiếp tục được bầu giữ chức Bí thư Huyện ủy Hà Trung; ông Mai Đức Trọng - Chủ tịch UBND huyện được bầu làm Phó Bí thư Huyện ủy.

Nhiệm kỳ qua, tốc độ tăng trưởng giá trị sản xuất bình quân đạt 11,2%/năm; thu ngân sách trên địa bàn năm 2020 ước đạt 152,7 tỷ đồng; toàn huyện có 18/20 xã đạt chuẩn nông thôn mới. Khu công nghiệp Hà Long đã thu hút 12 dự án đi vào hoạt động.

Huyện tiếp tục thực hiện Nghị quyết số 58-NQ/TW ngày 05/8/2020 của Bộ Chính trị. Nghị quyết Đại hội đề ra các chỉ tiêu chủ yếu: đến năm 2025, thu nhập bình quân đầu người đạt trên 65 triệu đồng; tỷ lệ hộ nghèo giảm xuống dưới 1,5%.
"""
SECOND = """Bí thư Huyện ủy Hà Trung Lê Văn Phúc kiểm tra tiến độ Khu công nghiệp Hà Long

09/03/2022 10:05

Bí thư Huyện ủy Hà Trung Lê Văn Phúc đề nghị đẩy nhanh giải phóng mặt bằng tại KCN Hà Long, tiếp tục quán triệt Nghị quyết số 58-NQ/TW của Bộ Chính trị.
"""


@pytest.fixture(scope="module")
def facts():
    return extract(read_text(FIRST, id="ha-trung-1"))


def test_officials_and_posts(facts):
    posts = {(p.official.name, p.role, p.body.label) for p in facts.posts}
    assert posts == {
        ("Lê Văn Phúc", "member", "Tỉnh ủy Thanh Hóa"),
        ("Lê Văn Phúc", "secretary", "Huyện ủy Hà Trung"),
        ("Mai Đức Trọng", "chair", "Ủy ban nhân dân huyện Hà Trung"),
        ("Mai Đức Trọng", "deputy-secretary", "Huyện ủy Hà Trung"),
    }


def test_places_bodies_and_terms(facts):
    assert {p.label for p in facts.places} == {"huyện Hà Trung", "tỉnh Thanh Hóa"}
    assert {"Đảng bộ huyện Hà Trung", "Huyện ủy Hà Trung", "Ủy ban nhân dân huyện Hà Trung",
            "Tỉnh ủy Thanh Hóa", "Bộ Chính trị"} <= {b.label for b in facts.bodies}
    assert [t.label for t in facts.terms] == ["2020-2025"]


def test_congress_and_documents(facts):
    (congress,) = facts.congresses
    assert (congress.organization.label, congress.ordinal, congress.term.label) == ("Đảng bộ huyện Hà Trung", 26, "2020-2025")
    docs = {(d.type, d.number, d.congress.ordinal if d.congress else None) for d in facts.documents}
    assert docs == {("Resolution", "58-NQ/TW", None), ("Resolution", None, 26)}
    numbered = next(d for d in facts.documents if d.number)
    assert numbered.issuer.label == "Bộ Chính trị" and str(numbered.issued) == "2020-08-05"


def test_zone(facts):
    (zone,) = facts.zones
    assert (zone.name, zone.type, zone.located_in.label) == ("Khu công nghiệp Hà Long", "IndustrialPark", "huyện Hà Trung")


def test_figures(facts):
    got = {(f.kind, f.value, f.unit, f.comparator) for f in facts.figures}
    assert got == {
        ("Achievement", Decimal("11.2"), "%", "exactly"),
        ("Achievement", Decimal("152700000000"), "VND", "about"),
        ("Achievement", Decimal("18"), "count", "exactly"),
        ("Achievement", Decimal("12"), "count", "exactly"),
        ("Target", Decimal("65000000"), "VND/person/year", "atLeast"),
        ("Target", Decimal("1.5"), "%", "atMost"),
    }
    targets = [f for f in facts.figures if f.kind == "Target"]
    assert all(f.year == 2025 and f.set_by is not None and f.set_by.ordinal == 26 for f in targets)


def test_two_articles_resolve_to_the_same_resources(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "one.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "in" / "two.txt").write_text(SECOND, encoding="utf-8")
    store = LocalStore(tmp_path / "s")
    summary = ingest([tmp_path / "in"], store)
    assert summary.articles == 2 and not summary.problems

    def mentioned_by_both(cls: str) -> set[str]:
        rows = store.query(f"""SELECT DISTINCT ?x WHERE {{
            ?a1 <https://schema.org/mentions> ?x . ?a2 <https://schema.org/mentions> ?x .
            ?x a <https://w3id.org/vnkg/ontology#{cls}> FILTER(?a1 != ?a2) }}""")
        return {r["x"].value for r in rows}

    base = "https://w3id.org/vnkg/id/"
    assert mentioned_by_both("Official") == {base + "person/thanh-hoa/le-van-phuc"}
    assert base + "org/thanh-hoa/ha-trung/huyen-uy" in mentioned_by_both("PartyCommittee")
    assert mentioned_by_both("Resolution") == {base + "document/thanh-hoa/resolution/58-nq-tw"}
    assert mentioned_by_both("IndustrialPark") == {base + "zone/thanh-hoa/khu-cong-nghiep-ha-long"}
