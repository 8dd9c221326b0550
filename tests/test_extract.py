"""Specifications of the extractors, one pattern at a time, on sentences written for these tests."""
from __future__ import annotations

from decimal import Decimal

import pytest

from loaders.extract import extract
from loaders.read import read_text


def facts(body: str, title: str = "Tin hoạt động của địa phương", date: str = "Thứ Hai, 06/03/2023, 08:15"):
    return extract(read_text(f"{title}\n\n{date}\n\n{body}\n", id="t"))


def posts(f):
    return {(p.official.name, p.role, p.body.label) for p in f.posts}


# -- officials and posts -----------------------------------------------------------------
def test_name_then_role_with_honorific():
    f = facts("Sáng nay, đồng chí Trần Văn Minh, Bí thư Huyện ủy Tiên Yên, đã làm việc với xã Đông Ngũ.")
    assert posts(f) == {("Trần Văn Minh", "secretary", "Huyện ủy Tiên Yên")}


def test_role_then_name():
    f = facts("Phó Chủ tịch UBND huyện Tiên Yên Lê Thị Hoa kiểm tra tiến độ các công trình.")
    assert ("Lê Thị Hoa", "vice-chair", "Ủy ban nhân dân huyện Tiên Yên") in posts(f)


def test_several_posts_and_implicit_province():
    f = facts("Huyện Tiên Yên tổng kết năm. Đồng chí Phạm Quốc Bảo – Tỉnh ủy viên, Bí thư Huyện ủy phát biểu.")
    assert posts(f) == {("Phạm Quốc Bảo", "member", "Tỉnh ủy Quảng Ninh"),
                        ("Phạm Quốc Bảo", "secretary", "Huyện ủy Tiên Yên")}


def test_appointment_names_the_post_taken():
    f = facts("Huyện ủy Tiên Yên trao quyết định điều động, bổ nhiệm đồng chí Vũ Đức Long giữ chức vụ "
              "Bí thư Đảng ủy xã Đông Ngũ.")
    assert ("Vũ Đức Long", "secretary", "Đảng ủy xã Đông Ngũ") in posts(f)


def test_member_of_the_standing_committee():
    f = facts("Đồng chí Đỗ Thị Lan, Ủy viên Ban Thường vụ Tỉnh ủy Quảng Ninh, dự hội nghị tại huyện Tiên Yên.")
    assert ("Đỗ Thị Lan", "member", "Ban Thường vụ Tỉnh ủy Quảng Ninh") in posts(f)


def test_reporters_are_not_officials():
    f = facts("Huyện Tiên Yên phát triển du lịch cộng đồng.\n\nTrần Hoa (thực hiện)")
    assert f.officials == []


# -- bodies and places ------------------------------------------------------------------
def test_bodies_get_canonical_labels_and_localities():
    f = facts("Đảng bộ, chính quyền và nhân dân huyện Tiên Yên quyết tâm; BTV Huyện ủy và UBND huyện "
              "đã ban hành kế hoạch. BCH Đảng bộ tỉnh thông qua nghị quyết.")
    labels = {b.label for b in f.bodies}
    assert {"Đảng bộ huyện Tiên Yên", "Ban Thường vụ Huyện ủy Tiên Yên", "Ủy ban nhân dân huyện Tiên Yên",
            "Tỉnh ủy Quảng Ninh"} <= labels


def test_executive_committee_is_the_committee_with_an_alt_label():
    f = facts("Ban Chấp hành Đảng bộ huyện Tiên Yên họp phiên thường kỳ.")
    committee = next(b for b in f.bodies if b.kind == "PartyCommittee")
    assert committee.label == "Huyện ủy Tiên Yên"
    assert "Ban Chấp hành Đảng bộ huyện Tiên Yên" in committee.alt_labels


def test_place_lists_and_context_resolution():
    f = facts("Huyện Tiên Yên có 2 xã Đông Ngũ và Đông Hải đạt chuẩn nông thôn mới nâng cao.")
    labels = {p.label for p in f.places}
    assert {"huyện Tiên Yên", "xã Đông Ngũ", "xã Đông Hải", "tỉnh Quảng Ninh"} <= labels
    assert all(p.province.name == "Quảng Ninh" for p in f.places)


def test_places_listed_after_a_colon_and_named_bare_after_a_locative_word():
    f = facts("Huyện Tiên Yên (Quảng Ninh) có thêm các xã: Đông Ngũ, Đông Hải đạt chuẩn. "
              "Đoàn về thăm bà con ở Cẩm Phả và Móng Cái.")
    labels = {p.label for p in f.places}
    assert {"xã Đông Ngũ", "xã Đông Hải", "thành phố Cẩm Phả", "thành phố Móng Cái"} <= labels


def test_national_bodies_and_generic_mentions():
    f = facts("Thủ tướng Chính phủ phê duyệt đề án; đại biểu HĐND các cấp của huyện Tiên Yên tiếp xúc cử tri.")
    labels = {b.label for b in f.bodies}
    assert "Chính phủ" in labels
    assert not any(label.startswith("Hội đồng nhân dân") for label in labels)


def test_a_body_word_inside_a_role_is_no_body():
    f = facts("Ông Trần Văn Quang, Phó Bí thư Thường trực Thành ủy Hà Nội, dự hội nghị.")
    labels = {b.label for b in f.bodies}
    assert "Thành ủy Hà Nội" in labels
    assert not any(label.startswith("Thường trực") for label in labels)
    assert posts(f) == {("Trần Văn Quang", "standing-deputy-secretary", "Thành ủy Hà Nội")}


# -- terms and congresses ---------------------------------------------------------------
def test_congress_with_roman_ordinal_and_term():
    f = facts("Đại hội đại biểu Đảng bộ huyện Tiên Yên lần thứ XXIII, nhiệm kỳ 2020 – 2025 đã bế mạc.")
    (c,) = f.congresses
    assert (c.organization.label, c.ordinal, c.term.label) == ("Đảng bộ huyện Tiên Yên", 23, "2020-2025")


def test_congress_ordinals_in_words_of_a_place_and_from_the_committee_it_elected():
    f = facts("Đại hội lần thứ mười sáu của tỉnh Hà Giang bế mạc. Chiều 13/10, Đại hội Đảng bộ tỉnh Bình Thuận đã "
              "bầu Ban Chấp hành khóa 13. Đại hội lần thứ hai mươi mốt của huyện Tiên Yên khai mạc. "
              "Ban Chấp hành Đảng bộ tỉnh Nam Định khóa 19 họp phiên thứ nhất.")
    got = {(c.organization.label, c.ordinal) for c in f.congresses}
    assert got == {("Đảng bộ tỉnh Hà Giang", 16), ("Đảng bộ tỉnh Bình Thuận", 13), ("Đảng bộ huyện Tiên Yên", 21)}


def test_plan_period_is_not_a_term():
    f = facts("Huyện Tiên Yên triển khai Đề án phát triển nông nghiệp giai đoạn 2021-2025; nhiệm kỳ 2020-2025 "
              "đã đi qua nửa chặng đường.")
    assert [t.label for t in f.terms] == ["2020-2025"]


# -- documents --------------------------------------------------------------------------
def test_numbered_document_with_date_and_issuer():
    f = facts("Huyện Tiên Yên quán triệt Nghị quyết số 17-NQ/TU ngày 05/8/2022 của Ban Thường vụ Tỉnh ủy.")
    (d,) = f.documents
    assert (d.type, d.number, str(d.issued), d.issuer.label) == (
        "Resolution", "17-NQ/TU", "2022-08-05", "Ban Thường vụ Tỉnh ủy Quảng Ninh")


def test_congress_resolution_is_tied_to_its_congress():
    f = facts("Huyện Tiên Yên thực hiện Nghị quyết Đại hội Đảng bộ huyện lần thứ XXIII đạt nhiều kết quả.")
    (d,) = f.documents
    assert d.type == "Resolution" and d.congress.ordinal == 23


# -- zones ------------------------------------------------------------------------------
def test_zone_abbreviations_are_expanded():
    f = facts("Huyện Tiên Yên kêu gọi đầu tư vào KCN Hải Yên và KKT ven biển Quảng Yên.")
    names = {z.name: z.type for z in f.zones}
    assert names["Khu công nghiệp Hải Yên"] == "IndustrialPark"
    assert names["Khu kinh tế ven biển Quảng Yên"] == "CoastalEconomicZone"


# -- figures ----------------------------------------------------------------------------
def figure(f, value):
    return next(x for x in f.figures if x.value == Decimal(value))


def test_zone_descriptors_stack_and_a_zone_named_without_them_is_the_same_zone():
    f = facts("Tỉnh Quảng Nam khởi công KCN cơ khí ô tô Tam Hiệp mở rộng trong KKT mở Chu Lai. "
              "Ban quản lý khu kinh tế Chu Lai cho biết dự án đúng tiến độ.")
    zones = {z.name: z for z in f.zones}
    assert set(zones) == {"Khu công nghiệp cơ khí ô tô Tam Hiệp mở rộng", "Khu kinh tế mở Chu Lai"}
    assert "khu kinh tế Chu Lai" in zones["Khu kinh tế mở Chu Lai"].alt_labels


def test_vietnamese_numbers_magnitudes_and_units():
    f = facts("Năm 2022, thu ngân sách của huyện Tiên Yên đạt 1.234,5 tỷ đồng; thu nhập bình quân đầu người "
              "đạt 3.105 USD/người/năm; tỷ lệ hộ nghèo giảm còn 0,85%; tạo việc làm cho 2,4 nghìn lao động.")
    assert figure(f, "1234500000000").unit == "VND"
    assert figure(f, "3105").unit == "USD/person/year"
    assert figure(f, "0.85").indicator == "poverty-rate"
    assert figure(f, "2400").unit == "count"
    assert {x.kind for x in f.figures} == {"Achievement"}


def test_targets_from_cue_words_and_comparators():
    f = facts("Huyện Tiên Yên phấn đấu đến năm 2025: tốc độ tăng trưởng kinh tế từ 12% trở lên; "
              "thu nhập bình quân đầu người khoảng 90 triệu đồng; tỷ lệ che phủ rừng trên 60%.")
    growth, income, forest = figure(f, "12"), figure(f, "90000000"), figure(f, "60")
    assert {growth.kind, income.kind, forest.kind} == {"Target"}
    assert (growth.comparator, income.comparator, forest.comparator) == ("atLeast", "about", "atLeast")
    assert growth.year == 2025 and income.unit == "VND/person/year"


def test_what_was_reached_against_an_aim_is_an_achievement():
    f = facts("Tỷ lệ che phủ rừng của huyện Tiên Yên mới đạt 52%, tỷ lệ đô thị hóa mục tiêu là 40%, "
              "nhưng chỉ đạt 31%.")
    assert figure(f, "52").kind == "Achievement"  # a Target cue after it, past a comma, is not its own
    assert figure(f, "40").kind == "Target"
    assert figure(f, "31").kind == "Achievement"


def test_an_area_of_land_is_a_measure_named_by_the_land():
    f = facts("Huyện Tiên Yên hiện có 1.250 ha đất nông nghiệp và 30 ha sân golf.")
    area = figure(f, "1250")
    assert (area.indicator, area.indicator_label) == ("land-area", "diện tích đất nông nghiệp")
    assert not any(x.value == 30 for x in f.figures)  # a golf course is no land use we know


def test_a_count_of_things_said_what_they_are_is_a_measure():
    f = facts("Năm 2023, quận Bình Tân khởi công 1.200 căn hộ chung cư thương mại; phường bàn giao 300 căn hộ.")
    assert figure(f, "1200").indicator_label == "số căn hộ chung cư thương mại"
    assert not any(x.value == 300 for x in f.figures)  # "300 căn hộ" alone says nothing of what is counted


def test_a_headline_quantity_is_read_from_the_body_that_repeats_it():
    f = facts("Huyện Tiên Yên hiện có 1.250 ha đất nông nghiệp.", title="Tiên Yên sẽ chuyển đổi 1.250 ha đất nông nghiệp")
    assert [x.kind for x in f.figures if x.value == 1250] == ["Achievement"]


def test_counts_of_things_but_not_dates_or_spans():
    f = facts("Sau 3 ngày làm việc, ngày 12/5 hội nghị bế mạc. Huyện Tiên Yên có 26/26 thôn đạt chuẩn, "
              "thu hút 35 doanh nghiệp; “2 không” là khẩu hiệu của 4 nhóm giải pháp.")
    assert sorted(x.value for x in f.figures) == [Decimal(26), Decimal(35)]


def test_every_figure_keeps_its_sentence():
    f = facts("Huyện Tiên Yên có 12 sản phẩm OCOP đạt 3 sao.")
    (x,) = f.figures
    assert "12 sản phẩm OCOP" in x.evidence.sentence


def test_a_unit_keeps_the_level_the_article_gives_it():
    """Từ Sơn was a thị xã in 2021; the 2025 data knows it as a thành phố: the article's word wins."""
    f = facts("Thị ủy Từ Sơn công bố quyết định; HĐND, UBND thị xã Từ Sơn tổ chức tiếp xúc cử tri.")
    assert {"thị xã Từ Sơn"} <= {p.label for p in f.places}
    assert "Ủy ban nhân dân thị xã Từ Sơn" in {b.label for b in f.bodies}


def test_a_place_name_is_never_a_person():
    f = facts("Bí thư Thị ủy Từ Sơn Ngô Quang Huy dự hội nghị tại thị xã Từ Sơn.")
    assert [o.name for o in f.officials] == ["Ngô Quang Huy"]


def test_post_after_adverbs_and_a_body():
    f = facts("Huyện Diên Khánh kiện toàn nhân sự: ông Võ Đình Khang vừa được HĐND huyện bầu giữ chức "
              "Phó Chủ tịch UBND huyện Diên Khánh.")
    assert ("Võ Đình Khang", "vice-chair", "Ủy ban nhân dân huyện Diên Khánh") in posts(f)


def test_an_article_about_a_commune_is_set_in_it():
    f = facts("Đảng ủy xã Diên Phú học tập nghị quyết. Đảng ủy xã Diên Phú và UBND xã ra quân; "
              "BCH Đảng bộ xã bầu bổ sung Phó Bí thư Đảng ủy xã.", title="Xã Diên Phú (huyện Diên Khánh) ra quân đầu năm")
    labels = {b.label for b in f.bodies}
    assert {"Ủy ban nhân dân xã Diên Phú", "Đảng ủy xã Diên Phú"} <= labels


def test_comrades_are_counted_not_paid():
    f = facts("Đảng bộ huyện Tiên Yên hiện có 4.512 đồng chí đảng viên.")
    (x,) = f.figures
    assert (x.value, x.unit) == (Decimal(4512), "count")


def test_posts_carry_their_term():
    f = facts("Đại hội đại biểu Đảng bộ huyện Tiên Yên lần thứ XXIII, nhiệm kỳ 2020-2025 bế mạc. Đồng chí "
              "Trần Văn Minh tái đắc cử Bí thư Huyện ủy Tiên Yên; đồng chí Vũ Đức Long giữ chức Bí thư "
              "Đảng ủy xã Đông Ngũ nhiệm kỳ 2015-2020.")
    terms = {p.official.name: p.term.label for p in f.posts}
    assert terms == {"Trần Văn Minh": "2020-2025", "Vũ Đức Long": "2015-2020"}
