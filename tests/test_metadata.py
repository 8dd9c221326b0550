"""Publication date, author and publisher read from the text (loaders.metadata)."""
import datetime as dt

import pytest

from loaders import metadata as md
from loaders.clean import clean_text

D, DT = dt.date, dt.datetime


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Thứ Ba, 17/12/2019, 11:18 [GMT+7]", DT(2019, 12, 17, 11, 18)),
        ("19/01/2022 09:25", DT(2022, 1, 19, 9, 25)),
        ("Cập nhật: 10:57 ngày 26/06/2023", DT(2023, 6, 26, 10, 57)),
        ("Ngày 5/3/2024", D(2024, 3, 5)),
        ("Thứ hai, 05/03/2024 - 08:15", DT(2024, 3, 5, 8, 15)),
        ("2024-03-05", D(2024, 3, 5)),
        ("2024-03-05T08:15:00+07:00", DT(2024, 3, 5, 8, 15)),
        ("05-03-2024 08:15", DT(2024, 3, 5, 8, 15)),
        ("Cập nhật lúc 08:15, 05/03/2024", DT(2024, 3, 5, 8, 15)),
        ("Đăng ngày: 05/03/2024", D(2024, 3, 5)),
        ("Ngày đăng: 05.03.2024 | 08h15", DT(2024, 3, 5, 8, 15)),
        ("ngày 05 tháng 3 năm 2024", D(2024, 3, 5)),
        ("Chủ nhật, 14/04/2024", D(2024, 4, 14)),
        ("05/03/2024 02:30 PM", DT(2024, 3, 5, 14, 30)),
        ("T2, 05/03/2024 8 giờ 15", DT(2024, 3, 5, 8, 15)),
    ],
)
def test_date_forms_are_datelines(line, expected):
    d = md.dateline(line)
    assert d is not None, line
    assert d.value == expected
    assert type(d.value) is type(expected)  # datetime only when a time is given


@pytest.mark.parametrize(
    "line",
    [
        "Nghị quyết số 08-NQ/TU ngày 25/11/2021 của Tỉnh ủy về nhiệm vụ năm 2022.",
        "Sáng 20/6, Huyện ủy tổ chức hội thảo.",
        "Tỷ lệ đạt 1.357,5 tỷ đồng",
        "Hôm nay: 11892",
        "31/02/2024",  # no such day
        "March 5, 2024",  # English month names are not read
    ],
)
def test_not_datelines(line):
    assert md.dateline(line) is None


def test_parse_date_of_free_strings():
    assert md.parse_date("2023-06-26") == D(2023, 6, 26)
    assert md.parse_date("Đăng lúc 7:05 SA ngày 1/2/2020") == DT(2020, 2, 1, 7, 5)
    assert md.parse_date("không có ngày") is None
    assert md.parse_date(None) is None


def test_cued_dateline_beats_the_today_banner_above_the_title():
    text = (
        "Thứ Sáu, 19/04/2024\nHotline: 0203 999 888\n\n"
        "Tiêu đề bài viết về hội nghị huyện ủy\n\n"
        "Cập nhật: 09:12 ngày 02/01/2024\n"
        "Huyện ủy Ba Chẽ tổ chức hội nghị ngày 28/12/2023 để tổng kết năm.\n"
    )
    assert clean_text(text).issued == DT(2024, 1, 2, 9, 12)


def test_date_only_banner_above_the_title_is_not_the_issue_date():
    text = "Chủ nhật, 14/04/2024\n\nTiêu đề về xây dựng Đảng ở cơ sở\n\nĐảng bộ xã Quảng Long kết nạp 12 đảng viên mới trong năm 2023.\n"
    assert clean_text(text).issued is None


def test_dateline_after_title_is_the_issue_date():
    text = "Tiêu đề về kinh tế huyện\n\nNgày 5/3/2024\n\nNăm 2023, kinh tế huyện tăng trưởng 10,2%.\n"
    assert clean_text(text).issued == D(2024, 3, 5)


def test_body_dates_are_never_the_issue_date():
    text = (
        "Tiêu đề về nghị quyết của tỉnh\n\n"
        "Ngày 25/11/2021, Ban Chấp hành Đảng bộ tỉnh ban hành Nghị quyết số 08-NQ/TU.\n\n"
        "19/01/2022 09:25\n\n"
        "Đến nay, các huyện đã triển khai nghị quyết.\n"
    )
    assert clean_text(text).issued is None


def test_cued_dateline_at_the_bottom_is_a_fallback():
    text = "Tiêu đề về huyện Tiên Yên\n\nHuyện Tiên Yên có 9 xã đạt chuẩn nông thôn mới.\n\nNgày đăng: 07/08/2023\n"
    assert clean_text(text).issued == D(2023, 8, 7)


@pytest.mark.parametrize(
    "line, author",
    [
        ("Hữu Việt (thực hiện)", "Hữu Việt"),
        ("Quốc Trường (Thực hiện)", "Quốc Trường"),
        ("Thanh Nga – Trung tâm TT&VH (Thực hiện)", "Thanh Nga"),
        ("Bài và ảnh: Minh An", "Minh An"),
        ("Bài, ảnh: Thu Hà - Quang Minh", "Thu Hà, Quang Minh"),
        ("Trung tâm TT&VH huyện (thực hiện)", None),
    ],
)
def test_bylines(line, author):
    assert md.parse_byline(line) == (True, author)


@pytest.mark.parametrize(
    "line",
    ["Thu NSNN (tổng hợp số liệu của các xã đạt chuẩn)", "Xin cảm ơn đồng chí!", "Bài học kinh nghiệm: đoàn kết là sức mạnh"],
)
def test_not_bylines(line):
    assert md.parse_byline(line)[0] is False


def test_bare_byline_and_person_names():
    assert md.bare_byline("Hữu Việt") == "Hữu Việt"
    assert md.bare_byline("Xin cảm ơn đồng chí!") is None
    assert md.bare_byline("Dấu ấn 2023") is None
    assert md.person_name("Nguyễn Thị Thu Hà") == "Nguyễn Thị Thu Hà"
    assert md.person_name("Trung tâm Truyền thông") is None


def test_publisher_tags_and_copyright():
    assert md.publisher_for_tag("BGĐT") == "Báo Bắc Giang"
    assert md.publisher_for_tag("QNO") == "Báo Quảng Ninh"
    assert md.publisher_for_tag("XYZQ") is None  # unknown tags are not guessed
    m = md.lead_tag("(BGĐT) - Sáng 31/12, huyện tổ chức lễ.")
    assert m and m["tag"] == "BGĐT"
    assert md.lead_tag("(thứ hai từ trái sang) thăm xưởng") is None
    assert md.publisher_from_copyright("© Cổng thông tin điện tử tỉnh Quảng Ninh") == "Cổng thông tin điện tử tỉnh Quảng Ninh"
    assert md.publisher_from_copyright("Copyright © 2024 Báo Bắc Giang. All rights reserved") == "Báo Bắc Giang"


def test_author_and_publisher_absent_rather_than_guessed():
    c = clean_text("Tiêu đề về hội nghị\n\nHuyện ủy Đầm Hà tổ chức hội nghị sơ kết 6 tháng đầu năm 2024.\n")
    assert c.author is None and c.publisher is None and c.issued is None
