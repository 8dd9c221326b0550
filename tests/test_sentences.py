"""Sentence splitting with offsets (loaders.sentences)."""
from pathlib import Path

import pytest

from loaders.sentences import split_sentences

DATA = Path(__file__).parent / "data" / "read"


def texts(text):
    ss = split_sentences(text)
    for s in ss:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
    return [s.text for s in ss]


def test_vietnamese_numbers_do_not_split():
    t = "Thu ngân sách đạt 1.357,5 tỷ đồng, tăng 8,6%. Thu nhập đạt 2.822 USD/người/năm. Hội nghị họp ngày 17/12/2019. Xong."
    assert texts(t) == [
        "Thu ngân sách đạt 1.357,5 tỷ đồng, tăng 8,6%.",
        "Thu nhập đạt 2.822 USD/người/năm.",
        "Hội nghị họp ngày 17/12/2019.",
        "Xong.",
    ]


@pytest.mark.parametrize(
    "t",
    [
        "Đoàn công tác đến TP. Hạ Long làm việc với các sở.",
        "Quán triệt các nghị quyết của T.Ư. Tỉnh ủy chỉ đạo sát sao.",
        "Hội thảo có TS. Lê Văn Nam và PGS.TS. Trần Hà tham dự.",
        "Báo cáo của Th.S Nguyễn Lan được đánh giá cao.",
        "Các xã trồng lúa, ngô, khoai v.v. Nhiều hộ có thu nhập khá.",
        "Ông Nguyễn V. Bình là Chủ tịch xã.",
    ],
)
def test_abbreviations_and_initials_do_not_split(t):
    assert texts(t) == [t]


def test_semicolons_keep_clauses_together():
    t = "Tăng trưởng đạt 14,5%; thu hút 10 nhà đầu tư; KHCN được quan tâm; 6/14 mục tiêu đạt 70% trở lên."
    assert texts(t) == [t]


def test_terminal_marks_and_ellipsis():
    t = "Huyện đã đạt kết quả gì? Rất đáng ghi nhận! Công nghiệp, dịch vụ… Phấn đấu đến năm 2025 đạt chuẩn."
    assert texts(t) == [
        "Huyện đã đạt kết quả gì?",
        "Rất đáng ghi nhận!",
        "Công nghiệp, dịch vụ…",
        "Phấn đấu đến năm 2025 đạt chuẩn.",
    ]


def test_lowercase_after_period_does_not_split():
    t = "Cơ cấu từ 38-39%…. để đạt được điều đó phải đổi mới."
    assert texts(t) == [t]


def test_quotes_and_brackets():
    t = "Chủ đề năm là “Đoàn kết. Kỷ cương. Phát triển” được thống nhất. Tiếp theo (xem Phụ lục. Bảng 2) là báo cáo."
    assert texts(t) == [
        "Chủ đề năm là “Đoàn kết. Kỷ cương. Phát triển” được thống nhất.",
        "Tiếp theo (xem Phụ lục. Bảng 2) là báo cáo.",
    ]


def test_closing_quote_belongs_to_the_sentence():
    t = "Phương châm là “Rõ người, rõ việc.” Huyện triển khai ngay."
    assert texts(t) == ["Phương châm là “Rõ người, rõ việc.”", "Huyện triển khai ngay."]


def test_digits_after_a_period():
    t = "1. Tăng cường công tác dân vận. Đến hết năm 2023. 15 xã đạt chuẩn. Tỷ lệ đạt 100%. 6 xã nâng cao."
    assert texts(t) == [
        "1. Tăng cường công tác dân vận.",
        "Đến hết năm 2023.",
        "15 xã đạt chuẩn.",
        "Tỷ lệ đạt 100%.",
        "6 xã nâng cao.",
    ]


def test_paragraphs_and_title_are_boundaries_and_offsets_hold():
    t = "Tiêu đề không có dấu chấm\n\nĐoạn thứ nhất. Câu hai\n\nĐoạn ba có số 2.822 USD"
    ss = split_sentences(t)
    assert [s.text for s in ss] == ["Tiêu đề không có dấu chấm", "Đoạn thứ nhất.", "Câu hai", "Đoạn ba có số 2.822 USD"]
    assert ss[1].start == t.index("Đoạn thứ nhất")
    assert all(t[s.start : s.end] == s.text for s in ss)


def test_empty_text():
    assert split_sentences("") == []
    assert split_sentences("\n\n  \n") == []


def test_offsets_hold_on_fixture_articles():
    from loaders.read import read_path

    for art in read_path(DATA):
        assert art.sentences, art
        for s in art.sentences:
            assert art.text[s.start : s.end] == s.text
            assert "\n" not in s.text
        assert art.sentence_at(art.sentences[-1].start) == art.sentences[-1]
