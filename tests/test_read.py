"""Reading files into Articles (loaders.read): encodings, refusals, HTML, JSONL, folders, seeds."""
import datetime as dt
import json
import time
import unicodedata
from pathlib import Path

import pytest

from loaders import read as R
from loaders.article import Article
from loaders.read import MAX_BYTES, ReadError, UnreadableArticle, decode_bytes, read_html, read_path, read_text

DATA = Path(__file__).parent / "data" / "read"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

TEXT = (
    "Huyện ủy Bình Liêu tổng kết công tác năm 2023\n\n"
    "Ngày 5/1/2024\n\n"
    "Sáng 5/1, Huyện ủy Bình Liêu tổ chức hội nghị tổng kết công tác xây dựng Đảng năm 2023. "
    "Đồng chí Hoàng Văn Sơn, Bí thư Huyện ủy, chủ trì hội nghị.\n\n"
    "Năm 2023, tốc độ tăng trưởng kinh tế của huyện đạt 11,2%; thu nhập bình quân đầu người đạt 62,5 triệu đồng.\n"
)


def one(path, **kw):
    items = list(read_path(path, **kw))
    assert len(items) == 1, items
    return items[0]


def write(tmp_path, name, data: bytes):
    p = tmp_path / name
    p.write_bytes(data)
    return p


def to_cp1258(s: str) -> bytes:
    """Encode the way Windows-1258 files are: base letters with vowel marks, tones as combining marks."""
    out = b""
    for ch in s:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        d = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in d if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return out


# --------------------------------------------------------------------------- encodings
@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.encode("utf-16"),  # with BOM
        lambda t: b"\xff\xfe" + t.encode("utf-16-le"),
        lambda t: b"\xfe\xff" + t.encode("utf-16-be"),
        lambda t: t.encode("utf-16-le"),  # no BOM: NUL-byte pattern
        lambda t: t.encode("utf-16-be"),
        lambda t: unicodedata.normalize("NFD", t).encode("utf-8"),
        to_cp1258,
    ],
    ids=["utf8", "utf8-bom", "utf16", "utf16le-bom", "utf16be-bom", "utf16le", "utf16be", "nfd", "cp1258"],
)
def test_encodings_decode_to_the_same_nfc_article(tmp_path, encode):
    art = one(write(tmp_path, "a.txt", encode(TEXT)))
    assert isinstance(art, Article)
    assert art.id == "a"
    assert art.title == "Huyện ủy Bình Liêu tổng kết công tác năm 2023"
    assert "Đồng chí Hoàng Văn Sơn, Bí thư Huyện ủy, chủ trì hội nghị." in art.text
    assert art.text == unicodedata.normalize("NFC", art.text)
    assert art.issued == dt.date(2024, 1, 5)


def test_cp1258_bytes_really_hold_combining_marks():
    raw = to_cp1258("Huyện ủy")
    assert raw != "Huyện ủy".encode("cp1258", errors="replace")
    assert decode_bytes(raw + b" " + to_cp1258(TEXT)).startswith("Huyện ủy Huyện ủy")


def test_crlf_and_declared_charset_html(tmp_path):
    html = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1258"></head><body>'
        "<h1>Huyện ủy Bình Liêu tổng kết năm</h1><p>" + TEXT.split("\n\n")[2] + "</p></body></html>"
    )
    art = one(write(tmp_path, "b.html", to_cp1258(html)))
    assert isinstance(art, Article), art
    assert "Hoàng Văn Sơn" in art.text
    art = one(write(tmp_path, "c.txt", TEXT.replace("\n", "\r\n").encode()))
    assert "\r" not in art.text


# --------------------------------------------------------------------------- refusals
def test_empty_and_blank_files(tmp_path):
    assert one(write(tmp_path, "e.txt", b"")) == ReadError(str(tmp_path / "e.txt"), "empty file")
    assert one(write(tmp_path, "w.txt", b" \n\t\r\n ")).message == "empty file"
    assert one(write(tmp_path, "w16.txt", "  \n".encode("utf-16"))).message == "empty file"
    assert one(write(tmp_path, "e.jsonl", b"\n \n")).message == "empty file"


def test_binary_files(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 4
    assert one(write(tmp_path, "img.txt", png)).message == "binary file, not text"
    ctrl = bytes([1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17]) * 50 + b"abc"
    assert one(write(tmp_path, "ctrl.html", ctrl)).message == "binary file, not text"
    with pytest.raises(UnreadableArticle, match="binary"):
        read_text("Huyện ủy\x00\x00\x00", id="x")


def test_too_large_file_is_refused_without_reading(tmp_path, monkeypatch):
    p = tmp_path / "big.txt"
    with p.open("wb") as f:  # a sparse 50 MiB file: instant
        f.truncate(50 * 1024 * 1024)
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("read the whole file"))
    err = one(p)
    assert err == ReadError(str(p), "file too large (52.4 MB > 5 MB limit)")
    assert MAX_BYTES == 5_000_000


def test_size_cap_is_configurable(tmp_path):
    p = write(tmp_path, "a.txt", TEXT.encode())
    assert "file too large" in one(p, max_bytes=100).message
    assert isinstance(one(p, max_bytes=len(TEXT.encode())), Article)


def test_non_vietnamese_text_is_refused(tmp_path):
    english = "District party committee holds annual meeting\n\nThe committee reviewed its work in 2023 and set goals for 2024.\n"
    assert one(write(tmp_path, "en.txt", english.encode())).message == "no Vietnamese text found"
    with pytest.raises(UnreadableArticle, match="no Vietnamese text found"):
        read_html("<html><body><h1>Hello</h1><p>" + english * 3 + "</p></body></html>", id="en")


def test_only_chrome_is_refused():
    with pytest.raises(UnreadableArticle, match="no main text"):
        read_text("Chia sẻ:\n\nTin liên quan\n\nÝ kiến bạn đọc (0)\n", id="x")


# --------------------------------------------------------------------------- HTML
def test_html_fixture_keeps_captions_drops_nav_footer():
    art = one(DATA / "article.html")
    assert art.id == "article"
    assert art.title == "Huyện Tân Lập tổng kết công tác năm 2023"
    assert art.issued == dt.datetime(2024, 3, 5, 8, 15)
    assert art.author == "Minh An"
    assert art.publisher == "Báo Bắc Giang"
    assert art.url == "https://example.vn/tan-lap-tong-ket.html"
    assert "Đồng chí Lê Văn Bình, Bí thư Huyện ủy Tân Lập, phát biểu chỉ đạo hội nghị." in art.text
    assert "Các đại biểu biểu quyết thông qua nghị quyết năm 2024." in art.text
    # the figcaption stands after the paragraph it followed
    assert art.text.index("phát biểu chỉ đạo hội nghị.") < art.text.index("Năm 2023, giá trị sản xuất")
    for gone in ("Trang chủ", "Hotline", "°C", "Tin liên quan", "Yên Hòa", "Ý kiến bạn đọc", "Bình luận", "©", "Giấy phép", "(BGĐT)", "Thống kê"):
        assert gone not in art.text, gone
    assert art.text.startswith(art.title + "\n\n")


def test_html_without_trafilatura_uses_the_fallback(monkeypatch):
    monkeypatch.setattr(R, "_trafilatura", lambda html, url: None)
    art = read_html((DATA / "article.html").read_bytes(), id="f")
    assert "Đồng chí Lê Văn Bình, Bí thư Huyện ủy Tân Lập, phát biểu chỉ đạo hội nghị." in art.text
    assert "Năm 2024, huyện phấn đấu thu nhập bình quân đầu người đạt 75 triệu đồng." in art.text
    for gone in ("Trang chủ", "Hotline", "Tin liên quan", "Ý kiến bạn đọc", "©"):
        assert gone not in art.text, gone
    assert art.issued == dt.datetime(2024, 3, 5, 8, 15)


def test_broken_html_does_not_crash(tmp_path):
    broken = (
        "<html><body><div class='menu'>Trang chủ | Tin tức | Video</div><p>Huyện ủy Tân Lập tổ chức hội nghị tổng kết năm 2023. "
        "Đồng chí Lê Văn Bình, Bí thư Huyện ủy, phát biểu chỉ đạo<div><p>Năm 2024, huyện phấn đấu đạt chuẩn đô thị loại IV <b>trước"
    )
    art = one(write(tmp_path, "broken.html", broken.encode()))
    assert isinstance(art, Article)
    assert "Đồng chí Lê Văn Bình, Bí thư Huyện ủy" in art.text
    assert "Trang chủ" not in art.text
    for garbage in ["<<<>>> <//// &&& <<", "<html><body></body></html>", "<p></p></div></span>"]:
        err = one(write(tmp_path, "g.htm", garbage.encode()))
        assert isinstance(err, ReadError) and err.message in ("no text found in HTML", "no main text found"), err


# --------------------------------------------------------------------------- JSONL
def test_jsonl_good_and_bad_lines(tmp_path):
    lines = [
        json.dumps({"title": "Huyện ủy Bình Liêu tổng kết công tác năm 2023", "text": TEXT.split("\n\n", 2)[2], "date": "2024-01-05", "url": "https://x.vn/1", "publisher": "Báo Quảng Ninh", "author": "Thu Hà"}, ensure_ascii=False),
        "{not json",
        "",
        json.dumps(["a list"]),
        json.dumps({"id": "custom-7", "text": TEXT}, ensure_ascii=False),
        json.dumps({"title": "Không có nội dung"}, ensure_ascii=False),
        json.dumps({"html": "<html><body><p>" + TEXT.split("\n\n")[2] + "</p></body></html>", "issued": "05/01/2024 08:00"}, ensure_ascii=False),
    ]
    p = write(tmp_path, "batch.jsonl", "\n".join(lines).encode())
    items = list(read_path(p))
    assert [type(x).__name__ for x in items] == ["Article", "ReadError", "ReadError", "Article", "ReadError", "Article"]
    a, bad_json, not_obj, b, no_text, c = items
    assert a.id == "batch-1" and a.title.startswith("Huyện ủy Bình Liêu") and a.issued == dt.date(2024, 1, 5)
    assert a.url == "https://x.vn/1" and a.publisher == "Báo Quảng Ninh" and a.author == "Thu Hà"
    assert a.text.startswith(a.title + "\n\nSáng 5/1")
    assert bad_json.source == f"{p}:2" and bad_json.message.startswith("invalid JSON")
    assert str(bad_json) == f"{p}:2: {bad_json.message}" and "line" not in bad_json.message  # named once
    assert not_obj.source.endswith(":4") and "not a JSON object" in not_obj.message
    assert b.id == "custom-7" and b.issued == dt.date(2024, 1, 5)
    assert no_text.source.endswith(":6") and "text" in no_text.message
    assert c.id == "batch-7" and c.issued == dt.datetime(2024, 1, 5, 8, 0) and "Hoàng Văn Sơn" in c.text


def test_jsonl_line_size_cap(tmp_path):
    big = json.dumps({"text": TEXT * 20}, ensure_ascii=False)
    small = json.dumps({"text": TEXT}, ensure_ascii=False)
    p = write(tmp_path, "c.jsonl", (big + "\n" + small + "\n").encode())
    items = list(read_path(p, max_bytes=len(small.encode()) + 10))
    assert isinstance(items[0], ReadError) and "too large" in items[0].message
    assert isinstance(items[1], Article) and items[1].id == "c-2"


# --------------------------------------------------------------------------- folders
def test_folder_recursion_sorted_and_goes_on_after_a_bad_file(tmp_path):
    write(tmp_path, "b.txt", TEXT.encode())
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    write(tmp_path / "sub", "a_bad.txt", b"\x00\x01\x02\x03" * 100)
    write(tmp_path / "sub" / "deeper", "c.htm", ("<html><body><p>" + TEXT.split("\n\n")[2] + "</p></body></html>").encode())
    write(tmp_path / "sub", "notes.md", TEXT.encode())  # other suffixes are skipped
    (tmp_path / ".hidden").mkdir()
    write(tmp_path / ".hidden", "x.txt", TEXT.encode())
    write(tmp_path, "A.TXT", TEXT.encode())
    items = list(read_path(tmp_path, base=tmp_path))
    assert [getattr(x, "id", None) or x.source for x in items] == ["A", "b", "sub/a_bad.txt", "c"]
    assert items[2] == ReadError("sub/a_bad.txt", "binary file, not text")
    assert items[3].source == "sub/deeper/c.htm"


def test_missing_path():
    err = one(Path("/nonexistent/nowhere.txt"))
    assert isinstance(err, ReadError) and "no such file" in err.message


def test_read_text_in_memory():
    art = read_text(TEXT, id="mem", source="memory")
    assert art.id == "mem" and art.source == "memory"
    assert art.sentences and all(art.text[s.start : s.end] == s.text for s in art.sentences)
    with pytest.raises(UnreadableArticle, match="empty"):
        read_text("   \n", id="e")


# --------------------------------------------------------------------------- the real seeds
SEEDS = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []
CHROME = ["Tin liên quan", "Bình luận", "Ý kiến bạn đọc", "Giấy phép", "{keywords}", "Hotline", "Chia sẻ", "°C", ">>",
          "Thống kê truy cập", "Hôm nay:", "©", "Ghi rõ nguồn", "(BGĐT)", "(thực hiện)", "(Thực hiện)", "Chủ đề công tác năm 2020"]
CAPTIONS = {
    "000": ["Đồng chí Nguyễn Mạnh Cường, Bí thư huyện ủy Hải Hà."],
    "001": ["Hoàng Bá Nam (thứ 4, phải sang) kiểm tra công tác GPMB", "trao Quyết định bổ nhiệm Chánh Văn phòng Thành ủy."],
    "002": ["Đồng chí Ngô Tiến Dũng (thứ hai từ trái sang)", "Một góc Khu công nghiệp Hòa Phú."],
}
AUTHORS = {"000": "Hữu Việt", "001": "Thái Cảnh", "002": "Quốc Trường", "003": "Thanh Nga", "004": None}


@pytest.mark.skipif(not SEEDS, reason="shared/seeds not available")
def test_seeds_read_with_gold_dates_and_without_chrome():
    arts = list(read_path(SHARED / "seeds"))
    assert len(arts) == len(SEEDS) == 5
    for art in arts:
        assert isinstance(art, Article), art
        gold = json.loads((SHARED / "gold" / f"{art.id}.json").read_text(encoding="utf-8"))
        issued = art.issued.date() if isinstance(art.issued, dt.datetime) else art.issued
        assert (issued.isoformat() if issued else None) == gold["issued"], art.id
        for chrome in CHROME:
            assert chrome not in art.text, (art.id, chrome)
        for cap in CAPTIONS.get(art.id[:3], []):
            assert cap in art.text, (art.id, cap)
        assert art.author == AUTHORS[art.id[:3]]
        assert art.sentences and all(art.text[s.start : s.end] == s.text for s in art.sentences)
        # the people the gold names are all in the main text
        for name in gold["officials"]:
            assert name in art.text, (art.id, name)
    by_id = {a.id[:3]: a for a in arts}
    assert by_id["002"].publisher == "Báo Bắc Giang"
    assert by_id["001"].title.startswith("Móng Cái: ")
    assert by_id["004"].title is None


def test_speed_of_txt_pipeline():
    """Reading + cleaning + splitting a seed-sized article takes well under 5 ms."""
    files = SEEDS or sorted(DATA.glob("*.txt"))
    for f in files:
        best = min(_timed(f) for _ in range(5))
        assert best < 0.005, (f.name, best)


def _timed(f):
    t = time.perf_counter()
    list(read_path(f))
    return time.perf_counter() - t
