"""Small articles of our own, in Vietnamese, for the tenure tests and the pages that show tenures.

One district of Quảng Ninh per rule of the derivation (kg/tenures.py), so that the rules do not
meet: Tiên Yên (elected, held, replaced with "thay ông", later former), Hải Hà (re-elected),
Đầm Hà (two secretaries at once: a conflict), Ba Chẽ (relieved of the post, then a successor),
Cô Tô (later read as former), Bình Liêu (a later holder, no word of the change), Vân Đồn (two
deputies at once: a post many hold).
"""
from __future__ import annotations

import json
from pathlib import Path

ARTICLES = [
    # Tiên Yên: elected, held, replaced ("thay ông"), later read as former
    ("ty-2015", "2015-10-20", "Tiên Yên bầu Bí thư Huyện ủy",
     "Chiều 20/10, Đại hội Đảng bộ huyện Tiên Yên, tỉnh Quảng Ninh lần thứ XXIII bế mạc. "
     "Ông Lê Văn An được bầu giữ chức Bí thư Huyện ủy Tiên Yên."),
    ("ty-2017", "2017-05-02", "Tiên Yên ra quân làm đường",
     "Bí thư Huyện ủy Tiên Yên Lê Văn An dự lễ ra quân làm đường giao thông nông thôn tại huyện Tiên Yên, "
     "tỉnh Quảng Ninh."),
    ("ty-2019", "2019-03-15", "Tiên Yên có tân Bí thư",
     "Ngày 15/3, Ban Thường vụ Tỉnh ủy Quảng Ninh công bố quyết định điều động ông Phạm Văn Bình giữ chức "
     "Bí thư Huyện ủy Tiên Yên thay ông Lê Văn An."),
    ("ty-2021", "2021-06-01", "Tiên Yên đón bằng khen",
     "Ông Lê Văn An, nguyên Bí thư Huyện ủy Tiên Yên, tỉnh Quảng Ninh, dự lễ đón nhận bằng khen của huyện."),
    # Hải Hà: held, then re-elected, then held
    ("hh-2018", "2018-04-11", "Hải Hà phát triển cảng biển",
     "Bí thư Huyện ủy Hải Hà Trần Thị Hoa cho biết huyện Hải Hà (Quảng Ninh) tập trung phát triển khu cảng biển."),
    ("hh-2020", "2020-08-20", "Đại hội Đảng bộ huyện Hải Hà",
     "Đại hội Đảng bộ huyện Hải Hà, tỉnh Quảng Ninh lần thứ XXIII bế mạc. Bà Trần Thị Hoa tái đắc cử Bí thư "
     "Huyện ủy Hải Hà nhiệm kỳ 2020-2025."),
    ("hh-2022", "2022-11-03", "Hải Hà đón đoàn công tác",
     "Bà Trần Thị Hoa, Bí thư Huyện ủy Hải Hà, tỉnh Quảng Ninh tiếp đoàn công tác của tỉnh."),
    # Đầm Hà: two people read as its one secretary on overlapping dates
    ("dh-2019", "2019-02-12", "Đầm Hà ra quân đầu xuân",
     "Bí thư Huyện ủy Đầm Hà Nguyễn Văn Cường dự lễ ra quân đầu xuân tại huyện Đầm Hà (Quảng Ninh)."),
    ("dh-2020", "2020-05-05", "Đầm Hà trồng rừng",
     "Bí thư Huyện ủy Đầm Hà Hoàng Văn Dũng phát động Tết trồng cây tại huyện Đầm Hà (Quảng Ninh)."),
    ("dh-2021", "2021-01-08", "Đầm Hà tổng kết năm",
     "Bí thư Huyện ủy Đầm Hà Nguyễn Văn Cường chủ trì hội nghị tổng kết năm của huyện Đầm Hà (Quảng Ninh)."),
    # Ba Chẽ: a chairman, relieved of his post; later another chairman
    ("bc-2016", "2016-06-01", "Ba Chẽ xây trường",
     "Chủ tịch UBND huyện Ba Chẽ Đỗ Văn Hùng kiểm tra công trình trường học tại huyện Ba Chẽ (Quảng Ninh)."),
    ("bc-2018", "2018-07-20", "HĐND huyện Ba Chẽ họp bất thường",
     "HĐND huyện Ba Chẽ, tỉnh Quảng Ninh miễn nhiệm chức Chủ tịch UBND huyện Ba Chẽ đối với ông Đỗ Văn Hùng."),
    ("bc-2019", "2019-09-09", "Ba Chẽ làm đường",
     "Chủ tịch UBND huyện Ba Chẽ Vũ Đức Long kiểm tra tuyến đường mới tại huyện Ba Chẽ (Quảng Ninh)."),
    # Cô Tô: a chairman, later read as the former chairman
    ("ct-2016", "2016-04-04", "Cô Tô đón khách du lịch",
     "Chủ tịch UBND huyện Cô Tô Đinh Văn Hải cho biết huyện Cô Tô (Quảng Ninh) đón nhiều khách du lịch."),
    ("ct-2020", "2020-04-04", "Cô Tô trồng cây",
     "Ông Đinh Văn Hải, nguyên Chủ tịch UBND huyện Cô Tô, tỉnh Quảng Ninh, tham gia trồng cây."),
    # Bình Liêu: a secretary, later another one, with no word of the change
    ("bl-2016", "2016-09-09", "Bình Liêu làm đường biên giới",
     "Bí thư Huyện ủy Bình Liêu Hà Văn Tâm kiểm tra tuyến đường biên giới tại huyện Bình Liêu (Quảng Ninh)."),
    ("bl-2017", "2017-09-09", "Bình Liêu mùa hoa sở",
     "Bí thư Huyện ủy Bình Liêu Hà Văn Tâm dự lễ hội hoa sở tại huyện Bình Liêu (Quảng Ninh)."),
    ("bl-2020", "2020-09-09", "Bình Liêu đón Tết",
     "Bí thư Huyện ủy Bình Liêu La Thị Hằng thăm hỏi gia đình chính sách tại huyện Bình Liêu (Quảng Ninh)."),
    # Vân Đồn: two deputy secretaries at once (a post many hold)
    ("vd-2020", "2020-03-03", "Vân Đồn họp",
     "Dự họp có các đồng chí: Lý Văn Nam, Phó Bí thư Huyện ủy Vân Đồn; Mai Thị Lan, Phó Bí thư Huyện ủy "
     "Vân Đồn (Quảng Ninh)."),
    ("vd-2021", "2021-03-03", "Vân Đồn họp",
     "Dự họp có các đồng chí: Mai Thị Lan, Phó Bí thư Huyện ủy Vân Đồn; Lý Văn Nam, Phó Bí thư Huyện ủy "
     "Vân Đồn (Quảng Ninh)."),
]


def write(folder: Path, articles, name: str = "articles.jsonl") -> Path:
    path = folder / name
    path.write_text("".join(json.dumps({"id": i, "date": d, "title": ti, "text": tx}, ensure_ascii=False) + "\n"
                            for i, d, ti, tx in articles), encoding="utf-8")
    return path
