"""Cleaning portal dumps into main text (loaders.clean); texts written in the seeds' style."""
import re
from pathlib import Path

import pytest

from loaders import metadata as md
from loaders.clean import classify, clean_text, looks_vietnamese, normalize

DATA = Path(__file__).parent / "data" / "read"
BODY = "Năm 2023, huyện Tiên Yên có 9 xã đạt chuẩn nông thôn mới. Thu ngân sách đạt 512,3 tỷ đồng."


def test_table_loads_and_every_pattern_compiles():
    rows = md.load_table("chrome")
    kinds = {r["kind"] for r in rows}
    assert {"drop", "header", "menu", "cut", "byline", "residue", "tag", "copyright", "datecue", "weekday"} <= kinds
    for r in rows:
        re.compile(r["pattern"])
        assert r["comment"], r  # every cue says what it is for
    assert md.load_table("publishers")


def test_output_format_title_blank_line_paragraphs():
    c = clean_text("Tiêu đề bài về huyện Tiên Yên\n\n" + BODY + "\nĐoạn hai của bài viết.\n")
    assert c.title == "Tiêu đề bài về huyện Tiên Yên"
    assert c.text == "Tiêu đề bài về huyện Tiên Yên\n\n" + BODY + "\n\nĐoạn hai của bài viết."
    assert c.paragraphs == [BODY, "Đoạn hai của bài viết."]


def test_deterministic():
    raw = (DATA / "portal_bgdt.txt").read_text(encoding="utf-8")
    assert clean_text(raw) == clean_text(raw)


@pytest.mark.parametrize(
    "line",
    [
        "Hiệp Hòa >> Nhịp sống",
        "Trang chủ | Tin tức | Chính trị",
        "Bắc giang 26 °C / 24 - 34 °C",
        "Hotline: +84.0204.3 856 624",
        "0.5 1.0 1.5",
        "Chia sẻ:",
        "icon",
        ".",
        "Hôm nay: 11892",
        "Đã truy cập: 39476356",
        "© Cổng thông tin điện tử tỉnh Ninh Bình",
        "Giấy phép xuất bản: số 53/GP-TTĐT ngày 27/05/2015",
        "Cơ quan chủ quản: Ủy ban Nhân dân tỉnh",
        'Ghi rõ nguồn "Cổng TTĐT" khi phát hành lại thông tin',
        "Ảnh: Thu Hà",
    ],
)
def test_chrome_lines_are_dropped(line):
    assert classify(line) == "drop"


@pytest.mark.parametrize(
    "line",
    ["Tin liên quan", "Tin cùng chuyên mục:", "Ý kiến bạn đọc (0)", "Bình luận của bạn...", "Các tin khác", "Thống kê truy cập"],
)
def test_end_markers(line):
    assert classify(line) == "cut"


@pytest.mark.parametrize(
    "line",
    [
        "Đồng chí Lê Văn Bình, Bí thư Huyện ủy Tân Lập, phát biểu tại hội nghị.",
        "Một góc Khu công nghiệp Quang Châu.",
        "Ảnh: Đồng chí Trần Văn Sơn, Chủ tịch UBND huyện, kiểm tra công trình",
        "Kinh tế tăng trưởng 10,5%; thu nhập đạt 75 triệu đồng.",
        "Ý kiến của đồng chí Bí thư được hội nghị tán thành.",
        "Chia sẻ về kinh nghiệm lãnh đạo, đồng chí cho biết huyện luôn đi sát cơ sở.",
    ],
)
def test_main_text_lines_are_not_chrome(line):
    assert classify(line) is None


def test_header_chrome_and_banner_before_title():
    raw = (
        "Chủ nhật, 21/04/2024\nHotline: 0203 123 456\n\nTrang chủ\nTiên Yên >> Chính trị\nicon\n0.5 1.0 1.5\nChia sẻ:\n\n"
        'Chủ đề công tác năm 2024: "Đoàn kết, kỷ cương, bứt phá"\n\n'
        "Tiên Yên vững bước trên chặng đường mới\n\n" + BODY
    )
    c = clean_text(raw)
    assert c.title == "Tiên Yên vững bước trên chặng đường mới"
    assert c.paragraphs == [BODY]
    assert c.issued is None  # the "today" banner is not the article's date


def test_portal_fixture_teasers_comments_residue_are_gone():
    c = clean_text((DATA / "portal_bgdt.txt").read_text(encoding="utf-8"))
    assert c.title == "Yên Dũng: Dồn sức về đích huyện nông thôn mới nâng cao"
    assert str(c.issued) == "2024-03-12 08:40:00"
    assert c.author == "Minh Khôi" and c.publisher == "Báo Bắc Giang"
    for gone in ("{keywords}", "(BGĐT)", "Lạng Giang", "Tân Yên", "Ý kiến bạn đọc", "Bình luận", "Hotline", "°C", ">>", "Chia sẻ", "thực hiện)"):
        assert gone not in c.text, gone
    # the lead keeps its text without the tag; caption and interview questions stay
    assert c.paragraphs[0].startswith("Bước sang năm thứ tư")
    assert "Đồng chí Trần Quang Hải (giữa) kiểm tra tiến độ thi công đường trục xã Tân Liễu." in c.paragraphs
    assert "Những nhiệm vụ trọng tâm thời gian tới là gì, thưa đồng chí?" in c.paragraphs


def test_teasers_without_byline_or_heading():
    raw = (
        "Tiêu đề về Đảng bộ huyện Sơn Động\n\n(BGĐT) - " + BODY + "\n\nĐoạn thân bài thứ hai nói về công tác cán bộ.\n\n"
        "Lục Nam khánh thành trường học mới\n(BGĐT) - Sáng 2/9, huyện Lục Nam khánh thành trường tiểu học.\n"
        "Việt Yên đón bằng công nhận\n(BGĐT) - Huyện Việt Yên đón nhận bằng công nhận đô thị loại IV.\n"
    )
    c = clean_text(raw)
    assert c.paragraphs == [BODY, "Đoạn thân bài thứ hai nói về công tác cán bộ."]
    assert c.publisher == "Báo Bắc Giang"


def test_related_news_and_comment_box_cut_the_rest():
    raw = "Tiêu đề về huyện Ba Chẽ\n\n" + BODY + "\n\nTin liên quan\n\n.\n.\nHuyện Bình Liêu kết nạp đảng viên mới\n"
    assert clean_text(raw).paragraphs == [BODY]
    raw = "Tiêu đề về huyện Ba Chẽ\n\n" + BODY + "\n\nÝ kiến bạn đọc (3)\nNguyễn Văn A\nBài viết rất hay.\n"
    assert clean_text(raw).paragraphs == [BODY]


def test_footer_after_byline_and_publisher_from_copyright():
    c = clean_text((DATA / "portal_qn.txt").read_text(encoding="utf-8"))
    assert c.title == "Vân Đồn: Khơi thông nguồn lực cho khu kinh tế ven biển..."  # kicker joined
    assert c.author == "Hoài Nam"
    assert c.publisher == "Cổng thông tin điện tử tỉnh Quảng Ninh"
    for gone in ("Giấy phép", "Hôm nay", "Thống kê", "©", "Ghi rõ nguồn", "Cơ quan chủ quản", "Tìm kiếm", "Hoài Nam"):
        assert gone not in c.text, gone


def test_footer_without_byline():
    raw = "Tiêu đề về huyện Cô Tô\n\n" + BODY + "\n\nThống kê truy cập\nHôm nay: 120\n© Cổng thông tin điện tử huyện Cô Tô\n"
    c = clean_text(raw)
    assert c.paragraphs == [BODY]
    assert c.publisher == "Cổng thông tin điện tử huyện Cô Tô"


def test_interview_bullets_are_stripped_text_kept():
    raw = "Tiêu đề phỏng vấn\n\n- Thưa ông, năm nay huyện đạt được gì?\n\n+ " + BODY + "\n\n- Xin cảm ơn ông!\n"
    assert clean_text(raw).paragraphs == ["Thưa ông, năm nay huyện đạt được gì?", BODY, "Xin cảm ơn ông!"]


def test_captions_kept_once_when_repeated():
    cap = "Đồng chí Phạm Văn Hòa, Bí thư Huyện ủy Bình Liêu, trao quyết định cho cán bộ, ngày 10/9/2019."
    raw = "Tiêu đề về công tác cán bộ\n\n" + BODY + "\n\n" + cap + "\n" + cap + "\n\nĐoạn cuối của bài viết.\n"
    assert clean_text(raw).paragraphs == [BODY, cap, "Đoạn cuối của bài viết."]


def test_bylines_become_author():
    raw = "Tiêu đề về hội nghị\n\n" + BODY + "\n\nThanh Nga – Trung tâm TT&VH (Thực hiện)\n"
    c = clean_text(raw)
    assert c.author == "Thanh Nga" and c.paragraphs == [BODY]
    # a bare name as the last line is the byline too
    c = clean_text("Tiêu đề về hội nghị\n\n" + BODY + "\n\nĐoạn hai của bài.\n\nHữu Việt\n")
    assert c.author == "Hữu Việt" and c.paragraphs == [BODY, "Đoạn hai của bài."]


def test_untitled_article_starting_with_a_lead():
    raw = "Năm 2024, huyện Hải Hà đặt mục tiêu tăng trưởng cao.\nDấu ấn năm qua\n" + BODY + "\n"
    c = clean_text(raw)
    assert c.title is None
    assert c.paragraphs == ["Năm 2024, huyện Hải Hà đặt mục tiêu tăng trưởng cao.", "Dấu ấn năm qua", BODY]
    assert c.text.startswith("Năm 2024")


def test_residue_and_hard_wraps():
    raw = (
        "Tiêu đề về huyện Đầm Hà\n\n{keywords}\n"
        "Huyện Đầm Hà tập trung phát triển nông nghiệp ứng dụng công nghệ cao {banner}\n"
        "và thu hút các nhà đầu tư lớn vào địa bàn.\n"
    )
    assert clean_text(raw).paragraphs == [
        "Huyện Đầm Hà tập trung phát triển nông nghiệp ứng dụng công nghệ cao và thu hút các nhà đầu tư lớn vào địa bàn."
    ]


def test_normalize_nfd_spaces_invisible():
    import unicodedata

    nfd = unicodedata.normalize("NFD", "Huyện ủy")
    assert normalize(nfd + "\u00a0 Hải\u200b Hà\r\n") == "Huyện ủy Hải Hà\n"


def test_language_check():
    assert looks_vietnamese(BODY)
    assert not looks_vietnamese("The district party committee held its annual conference on Monday.")
    assert not looks_vietnamese("Le comité du district a tenu sa conférence annuelle à Hanoï.")


def test_stray_tags_removed_but_comparisons_kept():
    raw = "Tiêu đề về giảm nghèo\n\nTỷ lệ hộ nghèo < 2% và tăng trưởng > 10%.<br/> Huyện đạt <b>kết quả</b> tốt.\n"
    assert clean_text(raw).paragraphs == ["Tỷ lệ hộ nghèo < 2% và tăng trưởng > 10%. Huyện đạt kết quả tốt."]
