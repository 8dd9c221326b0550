"""Synthetic corpus for scale and regression tests (never a substitute for real articles).

    python -m bench.generate --n 1000 --out DIR [--formats txt,html,jsonl] [--seed 0] [--per-jsonl 200]

Writes ``DIR/articles/`` (the inputs, in the loaders' formats) and ``DIR/gold/<id>.json`` (the
facts planted in each article, in the gold format of ``shared/gold/README.md``), so that
``python ../shared/eval/score.py --gold DIR/gold --kg dump.trig`` scores an ingest of it.

Articles are written in Vietnamese from this module's own templates: mostly short news of a
working session (``--density real``, the default: about 75 triples an article, as the real
portal articles of the VNDS politics corpus), else a district Party congress, a year-end review,
a personnel change, or news of an industrial zone (only these with ``--density rich``: about
200), set in a district-level unit of any province of the gazetteer (``loaders.gazetteer``),
with random officials (plausible names), bodies, congresses, numbered documents, zones and figures. Every fact comes in several
phrasings (word order, honorifics, abbreviations TP/UBND/HĐND/BTV/KCN/CCN/NTM, old and new tone
placement, Vietnamese number formats such as "2.822", "1,76", "1.357,5 tỷ đồng", "15,8 nghìn").

Deterministic: article ``i`` depends only on ``(seed, i)``, so a corpus of 1,000 is the first
1,000 articles of a corpus of 100,000.

``--tenures N`` plants tenures: the articles are set in N districts only (districts whose name no
other district shares, so that what is measured is the tenures, not the reading of places), each with a planted
succession of Party secretaries (a function of the seed and the district: a change at some
congresses, sometimes one in mid-term), and every article names the secretary of its district at
its date: a congress elects (or re-elects) the holder of that day, a personnel article is a
mid-term change on its day (the new secretary appointed, the old one "nguyên Bí thư"), reviews
and zone news name the holder. ``DIR/tenures.json`` lists the planted tenures (committee,
name, start, end, predecessor), for ``bench/tenures.py`` to score the derived ones against. Streaming: one article is held at a time (a JSONL file
is appended to line by line). Formats alternate article by article among ``--formats``; JSONL
articles go ``--per-jsonl`` to a file.
"""
from __future__ import annotations

import argparse
import datetime as dt
import html
import json
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]

SURNAMES = ("Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan",
            "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Mai",
            "Hà", "Tạ", "Chu", "Lâm", "Cao", "Đoàn")
MIDDLE_M = ("Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh", "Ngọc", "Đình", "Công", "Tiến",
            "Mạnh", "Trọng", "Hồng", "Bá", "Anh", "Quốc", "Việt", "Duy")
MIDDLE_F = ("Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Kim", "Bích", "Thúy", "Phương")
GIVEN_M = ("An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Huy", "Khánh", "Lâm", "Long", "Lộc",
           "Nam", "Phong", "Phúc", "Quân", "Sơn", "Tài", "Thắng", "Thành", "Toàn", "Trung", "Tuấn",
           "Vinh", "Việt", "Hiếu", "Hưng", "Kiên", "Nghĩa", "Tân", "Thịnh", "Chiến", "Giang", "Hòa")
GIVEN_F = ("Hà", "Hương", "Lan", "Liên", "Mai", "Nga", "Ngân", "Nhung", "Oanh", "Phượng", "Thảo", "Thủy",
           "Trang", "Tuyết", "Vân", "Yến", "Hạnh", "Hiền", "Huyền", "Loan", "Hoa", "Dung")
PUBLISHERS = ("Báo Nhân Dân", "Báo Tuổi Trẻ", "Báo Lao Động", "Báo Tin Tức", "Báo Đại Đoàn Kết")
REPORTERS = ("Minh Anh", "Thu Hà", "Quốc Huy", "Ngọc Lan", "Hoàng Nam", "Thanh Tùng", "Việt Hà", "Khánh Linh")
WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ Nhật")

# District-level unit level -> (level word, committee word, document issuer code)
DISTRICT_LEVELS = {"District": ("huyện", "Huyện ủy", "HU"), "UrbanDistrict": ("quận", "Quận ủy", "QU"),
                   "Town": ("thị xã", "Thị ủy", "TX"), "ProvincialCity": ("thành phố", "Thành ủy", "THU")}
PROVINCE_LEVELS = {"Province": ("tỉnh", "Tỉnh ủy", "TU"), "Municipality": ("thành phố", "Thành ủy", "TU")}
DEPARTMENTS = (("Ban Tổ chức", "Trưởng Ban Tổ chức", "Trưởng ban"),
               ("Ban Tuyên giáo", "Trưởng Ban Tuyên giáo", "Trưởng ban"),
               ("Ban Dân vận", "Trưởng Ban Dân vận", "Trưởng ban"),
               ("Ban Nội chính", "Trưởng Ban Nội chính", "Trưởng ban"),
               ("Ủy ban Kiểm tra", "Chủ nhiệm Ủy ban Kiểm tra", "Chủ nhiệm"))
DOC_KINDS = (("Resolution", "Nghị quyết", "NQ"), ("Resolution", "Nghị quyết", "NQ"), ("Directive", "Chỉ thị", "CT"),
             ("Conclusion", "Kết luận", "KL"), ("Programme", "Chương trình", "CTr"), ("Plan", "Kế hoạch", "KH"))
TOPICS = ("phát triển kinh tế - xã hội vùng đồng bào dân tộc thiểu số", "xây dựng nông thôn mới nâng cao",
          "phát triển du lịch", "chuyển đổi số", "công tác cán bộ", "thu hút đầu tư", "phát triển đô thị",
          "nâng cao chất lượng tổ chức cơ sở đảng", "phòng, chống tham nhũng, tiêu cực",
          "phát triển nông nghiệp ứng dụng công nghệ cao", "cải cách hành chính")


def roman(n: int) -> str:
    out = ""
    for v, s in ROMAN:
        while n >= v:
            out, n = out + s, n - v
    return out


def group(digits: str) -> str:
    """'1357' -> '1.357' (Vietnamese thousands separator)."""
    out = []
    while len(digits) > 3:
        out.insert(0, digits[-3:])
        digits = digits[:-3]
    out.insert(0, digits)
    return ".".join(out)


def vn(value: Decimal, decimals: int) -> str:
    """A number as Vietnamese write it: '2.822', '1,76', '1.357,5'."""
    q = value.quantize(Decimal(1).scaleb(-decimals)) if decimals else value.quantize(Decimal(1))
    sign = "-" if q < 0 else ""
    text = f"{abs(q):f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    return sign + group(whole) + ("," + frac if frac else "")


def plain(value: Decimal) -> int | float:
    v = value.normalize()
    return int(v) if v == v.to_integral_value() else float(v)


@dataclass
class Gold:
    article: str
    issued: str
    officials: list = field(default_factory=list)
    posts: list = field(default_factory=list)
    organizations: list = field(default_factory=list)
    places: list = field(default_factory=list)
    terms: list = field(default_factory=list)
    congresses: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    zones: list = field(default_factory=list)
    figures: list = field(default_factory=list)

    def add(self, lst: str, item) -> None:
        items = getattr(self, lst)
        if item not in items:
            items.append(item)

    def as_json(self) -> dict:
        return {k: getattr(self, k) for k in ("article", "issued", "officials", "posts", "organizations", "places",
                                              "terms", "congresses", "documents", "zones", "figures")}


class Writer:
    """Builds one article: its sentences and the facts planted in them."""

    def __init__(self, rng: random.Random, aid: str, gaz, provinces, world: "World | None" = None):
        self.r = rng
        self.world = world
        self.paras: list[list[str]] = []
        if world is not None:
            self.province, self.district = rng.choice(world.districts)
        else:
            self.province = rng.choice(provinces)
            districts = gaz.children(self.province)
            self.district = rng.choice(districts)
        self.communes = gaz.children(self.district) or []
        plev = PROVINCE_LEVELS[self.province.level]
        dlev = DISTRICT_LEVELS[self.district.level]
        self.p_word, self.p_committee_word, self.p_code = plev
        self.d_word, self.d_committee_word, self.d_code = dlev
        self.p_committee = f"{self.p_committee_word} {self.province.name}"
        self.d_committee = f"{self.d_committee_word} {self.district.name}"
        self.d_party = f"Đảng bộ {self.district.label}"
        self.p_party = f"Đảng bộ {self.province.label}"
        self.d_ubnd = f"Ủy ban nhân dân {self.district.label}"
        self.d_hdnd = f"Hội đồng nhân dân {self.district.label}"
        self.used_names: set[str] = set()
        self.kinds: dict[str, set] = {}
        self.gold = Gold(aid, "")
        self.gold.add("places", self.province.label)
        self.gold.add("places", self.district.label)

    # -- small helpers
    def pick(self, *options):
        return self.r.choice(options)

    def chance(self, p: float) -> bool:
        return self.r.random() < p

    def person(self) -> tuple[str, bool]:
        while True:
            female = self.chance(0.3)
            name = " ".join((self.r.choice(SURNAMES), self.r.choice(MIDDLE_F if female else MIDDLE_M),
                             self.r.choice(GIVEN_F if female else GIVEN_M)))
            if name not in self.used_names:
                self.used_names.add(name)
                return name, female

    def honorific(self, female: bool) -> str:
        return self.pick("đồng chí", "đồng chí", "bà" if female else "ông")

    def tone(self, text: str) -> str:
        """Sometimes the old tone placement ('Huyện uỷ'), as many portals write it."""
        return text.replace("ủy", "uỷ").replace("Ủy", "Uỷ") if self.chance(0.2) else text

    def d_committee_written(self, implicit_ok: bool = True) -> str:
        if implicit_ok and self.chance(0.35):
            return self.tone(self.d_committee_word)
        return self.tone(self.d_committee)

    def ubnd_written(self) -> str:
        return self.pick(f"UBND {self.d_word}", f"UBND {self.district.label}", f"Ủy ban nhân dân {self.d_word}")

    def hdnd_written(self) -> str:
        return self.pick(f"HĐND {self.d_word}", f"HĐND {self.district.label}", f"Hội đồng nhân dân {self.d_word}")

    def p_label_written(self) -> str:
        if self.province.level == "Municipality":
            return self.pick(f"TP {self.province.name}", f"TP. {self.province.name}", self.province.label)
        return self.province.label

    def where(self) -> str:
        """The province, after the first mention of the district (every article names it)."""
        p = self.p_label_written()
        return self.pick(f" ({p})", f", {p}", f" {p}")

    def official(self, name: str) -> None:
        self.gold.add("officials", name)

    def post(self, name: str, role: str, org: str) -> None:
        self.official(name)
        self.gold.add("organizations", org)
        self.gold.add("posts", {"name": name, "role": role, "organization": org})

    def org(self, name: str) -> None:
        self.gold.add("organizations", name)

    def term(self, start: int) -> str:
        label = f"{start}-{start + 5}"
        self.gold.add("terms", label)
        return label

    def figure(self, kind: str, indicator: str, value: Decimal, unit: str, year: int | None, subject: str,
               evidence: str) -> None:
        self.gold.add("figures", {"kind": kind, "indicator": indicator, "value": plain(value), "unit": unit,
                                  "year": year, "subject": subject, "evidence": evidence})

    # -- officials and their posts, several ways of writing them
    def secretary(self, planted: "Holder | None" = None) -> str:
        if planted is not None:
            name, female = planted.name, planted.female
            self.used_names.add(name)
        else:
            name, female = self.person()
        committee = self.d_committee_written()
        text = self.pick(f"{self.honorific(female)} {name}, Bí thư {committee}",
                         f"Bí thư {committee} {name}",
                         f"{self.honorific(female)} {name} - Bí thư {committee}")
        self.post(name, "Bí thư", self.d_committee)
        return text

    def deputy_chair(self) -> str:
        name, female = self.person()
        text = self.pick(f"{self.honorific(female)} {name} - Phó Bí thư {self.tone(self.d_committee_word)}, "
                         f"Chủ tịch {self.ubnd_written()}",
                         f"Phó Bí thư {self.tone(self.d_committee_word)}, Chủ tịch {self.ubnd_written()} {name}",
                         f"{self.honorific(female)} {name}, Phó Bí thư {self.tone(self.d_committee)}, "
                         f"Chủ tịch {self.ubnd_written()}")
        self.post(name, "Phó Bí thư", self.d_committee)
        self.post(name, "Chủ tịch", self.d_ubnd)
        return text

    def standing_deputy(self) -> str:
        name, female = self.person()
        text = self.pick(f"{self.honorific(female)} {name}, Phó Bí thư Thường trực {self.tone(self.d_committee_word)}, "
                         f"Chủ tịch {self.hdnd_written()}",
                         f"{self.honorific(female)} {name} - Phó Bí thư Thường trực {self.tone(self.d_committee)}, "
                         f"Chủ tịch {self.hdnd_written()}")
        self.post(name, "Phó Bí thư Thường trực", self.d_committee)
        self.post(name, "Chủ tịch", self.d_hdnd)
        return text

    def provincial_guest(self) -> str:
        name, female = self.person()
        dept, title, role = self.r.choice(DEPARTMENTS)
        btv = self.pick("Ban Thường vụ", "BTV")
        text = self.pick(f"{self.honorific(female)} {name}, Ủy viên {btv} {self.tone(self.p_committee_word)}, "
                         f"{title} {self.tone(self.p_committee)}",
                         f"{self.honorific(female)} {name} - Ủy viên {btv} {self.tone(self.p_committee_word)}, "
                         f"{title} {self.tone(self.p_committee)}")
        self.post(name, "Ủy viên", f"Ban Thường vụ {self.p_committee}")
        self.post(name, role, f"{dept} {self.p_committee}")
        self.org(self.p_committee)
        return text

    def provincial_vice_chair(self) -> str:
        name, female = self.person()
        text = self.pick(f"{self.honorific(female)} {name}, Phó Chủ tịch UBND {self.p_word}",
                         f"Phó Chủ tịch UBND {self.p_label_written()} {name}")
        self.post(name, "Phó Chủ tịch", f"Ủy ban nhân dân {self.province.label}")
        return text

    # -- figures: (indicator, unit, text builder) -> evidence and value
    def _kind(self, pool: str, n: int) -> int:
        """A kind of figure not used yet in this article (one figure per indicator and kind)."""
        used = self.kinds.setdefault(pool, set())
        free = [k for k in range(n) if k not in used] or list(range(n))
        k = self.r.choice(free)
        used.add(k)
        if k in (0, 1) and n == 10:  # VND and USD income are one indicator
            used |= {0, 1}
        return k

    def achievement(self, year: int, subject: str) -> str:
        r = self.r
        kind = self._kind("achievement", 10)
        if kind == 0:
            v = Decimal(r.randrange(300, 990)) / 10
            ev = f"thu nhập bình quân đầu người {self.pick('năm ' + str(year) + ' ', '')}" \
                 f"{self.pick('đạt', 'ước đạt')} {vn(v, 1)} triệu đồng/người/năm"
            self.figure("Achievement", "thu nhập bình quân đầu người", v * 1000000, "VND/person/year", year, subject, ev)
        elif kind == 1:
            v = Decimal(r.randrange(1500, 6000))
            ev = f"thu nhập bình quân đầu người đạt {vn(v, 0)} USD/người/năm"
            self.figure("Achievement", "thu nhập bình quân đầu người", v, "USD/person/year", year, subject, ev)
        elif kind == 2:
            v = Decimal(r.randrange(20, 900)) / 100
            ev = f"tỷ lệ hộ nghèo {self.pick('giảm còn', 'còn', 'giảm xuống còn')} {vn(v, 2)}%"
            self.figure("Achievement", "tỷ lệ hộ nghèo", v, "%", year, subject, ev)
        elif kind == 3:
            v = Decimal(r.randrange(800, 25000)) / 10
            ev = f"{self.pick('thu ngân sách trên địa bàn', 'tổng thu ngân sách', 'thu ngân sách nhà nước')} " \
                 f"{self.pick('đạt', 'ước đạt')} {vn(v, 1)} tỷ đồng"
            self.figure("Achievement", "thu ngân sách trên địa bàn", v * 1000000000, "VND", year, subject, ev)
        elif kind == 4:
            v = Decimal(r.randrange(45, 125)) / 10
            ev = f"tốc độ tăng trưởng kinh tế {self.pick('bình quân ', '')}đạt {vn(v, 1)}%{self.pick('/năm', '')}"
            self.figure("Achievement", "tốc độ tăng trưởng kinh tế", v, "%", year, subject, ev)
        elif kind == 5:
            total = len(self.communes) or r.randrange(12, 25)
            v = Decimal(r.randrange(max(1, total // 3), total + 1))
            ntm = self.pick("nông thôn mới", "NTM")
            ev = f"có {vn(v, 0)}/{total} xã đạt chuẩn {ntm}"
            self.figure("Achievement", "số xã đạt chuẩn nông thôn mới", v, "count", year, subject, ev)
        elif kind == 6:
            v = Decimal(r.randrange(100, 300)) / 10
            ev = f"giải quyết việc làm cho {vn(v, 1)} nghìn lao động"
            self.figure("Achievement", "số lao động được giải quyết việc làm", v * 1000, "count", year, subject, ev)
        elif kind == 7:
            v = Decimal(r.randrange(150, 2500))
            ev = f"kết nạp {vn(v, 0)} đảng viên mới"
            self.figure("Achievement", "số đảng viên mới kết nạp", v, "count", year, self.d_party, ev)
        elif kind == 8:
            v = Decimal(r.randrange(300, 650)) / 10
            ev = f"tỷ lệ che phủ rừng đạt {vn(v, 1)}%"
            self.figure("Achievement", "tỷ lệ che phủ rừng", v, "%", year, subject, ev)
        else:
            v = Decimal(r.randrange(40, 900))
            ev = f"có thêm {vn(v, 0)} doanh nghiệp thành lập mới"
            self.figure("Achievement", "số doanh nghiệp thành lập mới", v, "count", year, subject, ev)
        return ev

    def target(self, year: int, subject: str) -> str:
        r = self.r
        kind = self._kind("target", 6)
        if kind == 0:
            v = Decimal(r.randrange(50, 150))
            ev = f"thu nhập bình quân đầu người đạt {self.pick('', 'trên ')}{vn(v, 0)} triệu đồng/người/năm"
            self.figure("Target", "thu nhập bình quân đầu người", v * 1000000, "VND/person/year", year, subject, ev)
        elif kind == 1:
            v = Decimal(r.randrange(5, 30)) / 10
            ev = f"tỷ lệ hộ nghèo giảm xuống dưới {vn(v, 1)}%"
            self.figure("Target", "tỷ lệ hộ nghèo", v, "%", year, subject, ev)
        elif kind == 2:
            v = Decimal(r.randrange(1000, 40000)) / 10
            ev = f"thu ngân sách trên địa bàn đạt trên {vn(v, 1)} tỷ đồng"
            self.figure("Target", "thu ngân sách trên địa bàn", v * 1000000000, "VND", year, subject, ev)
        elif kind == 3:
            v = Decimal(r.randrange(60, 120)) / 10
            ev = f"tốc độ tăng trưởng kinh tế bình quân từ {vn(v, 1)}% trở lên"
            self.figure("Target", "tốc độ tăng trưởng kinh tế", v, "%", year, subject, ev)
        elif kind == 4:
            v = Decimal(r.randrange(2, 9))
            ev = f"có thêm {v} xã đạt chuẩn {self.pick('NTM nâng cao', 'nông thôn mới nâng cao')}"
            self.figure("Target", "số xã đạt chuẩn nông thôn mới nâng cao", v, "count", year, subject, ev)
        else:
            v = Decimal(r.randrange(80, 98))
            ev = f"tỷ lệ lao động qua đào tạo đạt {vn(v, 0)}%"
            self.figure("Target", "tỷ lệ lao động qua đào tạo", v, "%", year, subject, ev)
        return ev

    def communes_line(self, year: int) -> str | None:
        if len(self.communes) < 2:
            return None
        a, b = self.r.sample(self.communes, 2)
        self.gold.add("places", a.label)
        self.gold.add("places", b.label)
        return self.pick(f"Năm {year}, {a.label} và {b.label} được công nhận đạt chuẩn nông thôn mới nâng cao.",
                         f"Nhiều công trình hạ tầng tại {a.label}, {b.label} đã hoàn thành, đưa vào sử dụng.")

    def numbered_document(self, year: int) -> str:
        kind, word, abbr = self.r.choice(DOC_KINDS)
        provincial = self.chance(0.6)
        code = self.p_code if provincial else self.d_code
        committee = self.p_committee if provincial else self.d_committee
        issuer = f"Ban Thường vụ {committee}"
        number = f"{self.r.randrange(1, 60):02d}-{abbr}/{code}"
        day = dt.date(year, self.r.randrange(1, 13), self.r.randrange(1, 29))
        topic = self.r.choice(TOPICS)
        written = self.tone(f"{self.p_committee_word}" if provincial else self.d_committee_word)
        text = f"{word} số {number} ngày {day.day}/{day.month}/{day.year} của Ban Thường vụ {written} về {topic}"
        self.gold.add("documents", {"type": kind, "number": number, "issuer": issuer, "issued": day.isoformat()})
        self.org(issuer)
        self.org(committee)
        return text

    def zone(self) -> tuple[str, str]:
        base = self.r.choice(self.communes).name if self.communes else self.district.name
        ztype, full, short = self.pick(("IndustrialPark", "Khu công nghiệp", "KCN"),
                                       ("IndustrialPark", "Khu công nghiệp", "KCN"),
                                       ("IndustrialCluster", "Cụm công nghiệp", "CCN"))
        name = f"{full} {base}"
        self.gold.add("zones", {"name": name, "type": ztype, "located_in": self.district.label})
        return name, f"{short} {base}" if self.chance(0.5) else name

    # -- scenarios
    def congress(self) -> tuple[str, dt.date]:
        cy = self.pick(2010, 2015, 2020, 2020, 2025)
        issued = dt.date(cy, self.r.randrange(4, 10), self.r.randrange(1, 29))
        if self.world is not None:  # the district's congress of that year, and who was elected there
            issued = self.world.congress(self.district, cy)
        # the same organisation's congress of a term has one ordinal in every article
        n = 20 + int(self.district.code or 0) % 4 + (cy - 2020) // 5
        term, prev = self.term(cy), self.term(cy - 5)
        self.gold.add("congresses", {"organization": self.d_party, "ordinal": n, "term": term})
        self.gold.add("congresses", {"organization": self.d_party, "ordinal": n - 1, "term": prev})
        self.gold.add("documents", {"type": "Resolution", "number": None,
                                    "congress": {"organization": self.d_party, "ordinal": n - 1}})
        self.gold.add("documents", {"type": "Resolution", "number": None,
                                    "congress": {"organization": self.d_party, "ordinal": n}})
        self.org(self.d_party)
        sec = self.secretary(self.holder(issued))
        title = self.pick(f"Đại hội Đảng bộ {self.district.label} lần thứ {roman(n)}: quyết tâm đổi mới, phát triển",
                          f"{self.d_committee} tổ chức Đại hội đại biểu lần thứ {roman(n)}")
        if title.startswith(self.d_committee):
            self.org(self.d_committee)
        where = self.where()
        congress_name = self.pick(
            f"Đại hội đại biểu Đảng bộ {self.district.label}{where} lần thứ {roman(n)}, nhiệm kỳ {term}",
            f"Đại hội Đảng bộ {self.district.label} lần thứ {roman(n)}, nhiệm kỳ {term}"
            + (f" của {self.p_label_written()}" if not where.startswith(" (") else ""))
        guest = self.provincial_guest()
        lead = [f"Ngày {issued.day}/{issued.month}, {congress_name} đã khai mạc "
                f"{self.pick('trọng thể', 'long trọng')} với sự tham dự của {self.r.randrange(150, 350)} đại biểu.",
                f"Dự và chỉ đạo Đại hội có {guest}."]
        ach = [self.achievement(cy, self.district.label) for _ in range(self.r.randrange(3, 6))]
        body = [f"Báo cáo chính trị cho biết, thực hiện Nghị quyết Đại hội Đảng bộ {self.d_word} lần thứ {roman(n - 1)}, "
                f"nhiệm kỳ {prev}, kinh tế của {self.d_word} tiếp tục phát triển: " + "; ".join(ach) + "."]
        line = self.communes_line(cy)
        if line:
            body.append(line)
        tgs = [self.target(cy + 5, self.district.label) for _ in range(self.r.randrange(2, 5))]
        resolution = self.pick("Nghị quyết Đại hội", f"Nghị quyết Đại hội Đảng bộ {self.d_word} lần thứ {roman(n)}")
        body.append(f"{resolution} xác định các chỉ tiêu chủ yếu: phấn đấu đến năm {cy + 5}, " + "; ".join(tgs) + ".")
        elected = [sec, self.deputy_chair()]
        if self.chance(0.6):
            elected.append(self.standing_deputy())
        body.append(f"Đại hội đã bầu Ban Chấp hành Đảng bộ {self.d_word} khóa {roman(n)} gồm {self.r.randrange(31, 46)} "
                    f"đồng chí. Tại phiên họp thứ nhất, " + "; ".join(elected) + " được bầu giữ các chức danh chủ chốt.")
        if self.chance(0.5):
            pn = 16 + int(self.province.code or 0) % 4 + (cy - 2020) // 5
            self.gold.add("congresses", {"organization": self.p_party, "ordinal": pn, "term": term})
            self.org(self.p_party)
            body.append(f"Đại hội cũng bầu {self.r.randrange(12, 30)} đại biểu chính thức đi dự Đại hội đại biểu "
                        f"Đảng bộ {self.province.label} lần thứ {roman(pn)}, nhiệm kỳ {term}.")
        self.paras = [lead] + [[b] for b in body]
        return title, issued

    def review(self) -> tuple[str, dt.date]:
        year = self.r.randrange(2016, 2025)
        issued = dt.date(year, 12, self.r.randrange(10, 31))
        self.org(self.d_committee)  # "Ban Chấp hành Đảng bộ huyện X" is the Huyện ủy (gold README)
        bch = self.pick(f"Ban Chấp hành Đảng bộ {self.district.label}", f"BCH Đảng bộ {self.district.label}",
                        f"{self.tone(self.d_committee)}") + self.where()
        title = f"{self.d_committee}: tổng kết công tác năm {year}, triển khai nhiệm vụ năm {year + 1}"
        sec = self.secretary(self.holder(issued))
        lead = [f"Ngày {issued.day}/12, {bch} tổ chức Hội nghị tổng kết công tác năm {year}, triển khai nhiệm vụ "
                f"năm {year + 1}. {sec[0].upper() + sec[1:]} chủ trì hội nghị."]
        if self.chance(0.5):
            lead.append(f"Dự hội nghị có {self.provincial_vice_chair()}.")
        ach = [self.achievement(year, self.district.label) for _ in range(self.r.randrange(3, 6))]
        doc = self.numbered_document(year - self.r.randrange(0, 3))
        body = [f"Năm {year}, tình hình kinh tế - xã hội của {self.d_word} tiếp tục chuyển biến tích cực: "
                + "; ".join(ach) + ".",
                f"{self.d_committee_written(False)} đã lãnh đạo triển khai có hiệu quả {doc}."]
        line = self.communes_line(year)
        if line:
            body.append(line)
        tgs = [self.target(year + 1, self.district.label) for _ in range(self.r.randrange(1, 4))]
        who = self.deputy_chair()
        body.append(f"Theo {who}, năm {year + 1} {self.d_word} phấn đấu " + "; ".join(tgs) + ".")
        self.paras = [lead] + [[b] for b in body]
        return title, issued

    def personnel(self) -> tuple[str, dt.date]:
        year = self.r.randrange(2016, 2025)
        issued = dt.date(year, self.r.randrange(1, 13), self.r.randrange(1, 29))
        change = self.world.change(self.district, self.r) if self.world is not None else None
        if self.world is not None and change is None:  # no planted change to report: another kind of news
            return self.review()
        if change is not None:  # a planted mid-term change, on its day
            issued, (old, new) = change.start, (change.before, change)
            year = issued.year
            name, female, old_name = new.name, new.female, old.name
            self.used_names.update((name, old_name))
        else:
            name, female = self.person()
            old_name, _ = self.person()
        self.post(name, "Bí thư", self.d_committee)
        self.official(old_name)
        self.org(self.p_committee)
        btv = self.pick("Ban Thường vụ", "BTV")
        self.org(f"Ban Thường vụ {self.p_committee}")
        guest = self.provincial_guest()
        title = self.pick(f"{self.tone(self.d_committee)} có tân Bí thư",
                          f"Điều động, chỉ định {self.pick('ông', 'bà') if False else 'đồng chí'} {name} "
                          f"làm Bí thư {self.d_committee}")
        self.org(self.d_committee)
        prior = self.pick(f"Phó Chủ tịch UBND {self.p_word}", f"Phó Trưởng Ban Tổ chức {self.tone(self.p_committee_word)}")
        if prior.startswith("Phó Chủ tịch"):
            self.post(name, "Phó Chủ tịch", f"Ủy ban nhân dân {self.province.label}")
        else:
            self.post(name, "Phó Trưởng ban", f"Ban Tổ chức {self.p_committee}")
        lead = [f"Ngày {issued.day}/{issued.month}/{year}, {btv} {self.tone(self.p_committee_word)} "
                f"{self.p_label_written()}"
                + f" tổ chức hội nghị công bố quyết định điều động, chỉ định {self.honorific(female)} {name}, "
                  f"{prior}, tham gia Ban Chấp hành, Ban Thường vụ và giữ chức Bí thư {self.tone(self.d_committee)}."]
        self.post(name, "Ủy viên", f"Ban Thường vụ {self.d_committee}")
        lead.append(f"Đồng chí {old_name}, nguyên Bí thư {self.tone(self.d_committee_word)}, được điều động nhận "
                    f"nhiệm vụ mới.")
        body = [f"Phát biểu tại hội nghị, {guest} đề nghị {self.tone(self.d_committee_word)} tiếp tục đoàn kết, "
                f"thực hiện thắng lợi các mục tiêu đề ra."]
        year0 = year - 1
        ach = [self.achievement(year0, self.district.label) for _ in range(self.r.randrange(1, 3))]
        body.append(f"Năm {year0}, " + "; ".join(ach) + ".")
        if self.chance(0.5):
            body.append(f"Dự hội nghị có {self.deputy_chair()}.")
        self.paras = [lead] + [[b] for b in body]
        return title, issued

    def zone_news(self) -> tuple[str, dt.date]:
        year = self.r.randrange(2017, 2025)
        issued = dt.date(year, self.r.randrange(1, 13), self.r.randrange(1, 29))
        name, written = self.zone()
        projects = self.r.randrange(5, 60)
        capital = Decimal(self.r.randrange(2000, 90000)) / 10
        title = f"{name} thu hút thêm nhà đầu tư"
        self.figure("Achievement", "số dự án đầu tư", Decimal(projects), "count", year, name,
                    f"thu hút {projects} dự án")
        ev_cap = f"tổng vốn đăng ký đạt {vn(capital, 1)} tỷ đồng"
        self.figure("Achievement", "vốn đăng ký", capital * 1000000000, "VND", year, name, ev_cap)
        guest = self.provincial_vice_chair()
        lead = [f"Theo Ban Quản lý các khu công nghiệp {self.p_label_written()}, đến nay {written} tại "
                f"{self.district.label} đã thu hút {projects} dự án, {ev_cap}."]

        sec = self.secretary(self.holder(issued))
        body = [f"Ngày {issued.day}/{issued.month}, {guest} cùng {sec} đã kiểm tra tiến độ hạ tầng của {written}."]
        ach = [self.achievement(year, self.district.label) for _ in range(self.r.randrange(1, 3))]
        body.append(f"Nhờ thu hút đầu tư, {self.d_word} đã {'; '.join(ach)}.")
        if self.chance(0.5):
            tg = self.target(year + 2, self.district.label)
            body.append(f"Mục tiêu đến năm {year + 2}, {self.d_word} phấn đấu {tg}.")
        self.paras = [lead] + [[b] for b in body]
        return title, issued

    def brief(self) -> tuple[str, dt.date]:
        """A short news item, as most portal articles are: a working session, who led it, one figure."""
        year = self.r.randrange(2016, 2025)
        issued = dt.date(year, self.r.randrange(1, 13), self.r.randrange(1, 29))
        guest = self.provincial_vice_chair()
        sec = self.secretary(self.holder(issued))
        self.org(self.d_committee)
        title = f"Kiểm tra tình hình thực hiện nhiệm vụ năm {year} tại {self.district.label}"
        lead = [f"Ngày {issued.day}/{issued.month}, đoàn công tác do {guest} làm trưởng đoàn đã làm việc với "
                f"{self.tone(self.d_committee)} về tình hình thực hiện nhiệm vụ năm {year}. "
                f"{sec[0].upper() + sec[1:]} chủ trì buổi làm việc."]
        body = [f"Năm {year}, {self.achievement(year, self.district.label)}."]
        self.paras = [lead] + [[b] for b in body]
        return title, issued

    def holder(self, day: dt.date) -> "Holder | None":
        """The planted secretary of the article's district on ``day`` (None without planted tenures)."""
        return self.world.holder(self.district, day) if self.world is not None else None

    def build(self, density: str = "real") -> tuple[str, dt.date]:
        """One article of a kind drawn at random: at ``density="real"`` (the default) mostly short
        news, as on the portals (about 75 triples an article, as the VNDS politics articles); at
        ``"rich"`` only the long kinds (about 200). Planted tenures always use the long kinds."""
        if density == "real" and self.world is None and self.r.randrange(100) < 91:
            return self.brief()
        kind = self.r.randrange(10)
        if kind < 4:
            return self.congress()
        if kind < 7:
            return self.review()
        if kind < 9:
            return self.personnel()
        return self.zone_news()


@dataclass
class Holder:
    """A planted tenure: the district's secretary from ``start`` to ``end`` (exclusive: the successor's start)."""

    name: str
    female: bool
    start: dt.date
    end: dt.date | None
    before: "Holder | None" = None
    mid_term: bool = False  # the change that began it came between congresses


#: Mixes of article kinds (see :meth:`Writer.build`).
DENSITIES = ("real", "rich")
CONGRESS_YEARS = (2005, 2010, 2015, 2020, 2025)


class World:
    """Planted tenures of the Party secretaries of ``n`` districts, a function of the seed alone."""

    def __init__(self, seed: int, n: int, provinces, gaz):
        rng = random.Random(f"vnkg-bench-world-{seed}")
        pairs = [(p, d) for p in provinces for d in gaz.children(p) if d.level in DISTRICT_LEVELS]
        # districts whose name no other district has: what is scored is the tenures, not the reading of places
        names: dict[str, int] = defaultdict(int)
        for _, d in pairs:
            names[d.name] += 1
        pairs = [(p, d) for p, d in pairs if names[d.name] == 1]
        self.districts = rng.sample(sorted(pairs, key=lambda pd: (pd[0].code or "", pd[1].code or "", pd[1].name)),
                                    min(n, len(pairs)))
        self.seed = seed
        self.congresses: dict = {}
        self.holders: dict = {}
        for province, district in self.districts:
            self._plant(district)

    def _plant(self, district) -> None:
        r = random.Random(f"vnkg-bench-world-{self.seed}-{district.code}-{district.name}")
        days = {cy: dt.date(cy, r.randrange(4, 10), r.randrange(1, 29)) for cy in CONGRESS_YEARS}
        self.congresses[district] = days
        changes = []  # (day, mid-term?)
        for cy in CONGRESS_YEARS[1:]:
            if r.random() < 0.55:
                changes.append((days[cy], False))
        for cy in CONGRESS_YEARS[:-1]:
            if r.random() < 0.45:
                lo, hi = days[cy] + dt.timedelta(days=200), days[cy + 5] - dt.timedelta(days=200)
                changes.append((lo + dt.timedelta(days=r.randrange((hi - lo).days)), True))
        changes.sort()
        used: set[str] = set()
        holders: list[Holder] = []
        starts = [(days[2005], False)] + changes
        for k, (start, mid) in enumerate(starts):
            while True:
                female = r.random() < 0.3
                name = " ".join((r.choice(SURNAMES), r.choice(MIDDLE_F if female else MIDDLE_M),
                                 r.choice(GIVEN_F if female else GIVEN_M)))
                if name not in used:
                    used.add(name)
                    break
            end = starts[k + 1][0] if k + 1 < len(starts) else None
            holders.append(Holder(name, female, start, end, holders[-1] if holders else None, mid))
        self.holders[district] = holders

    def congress(self, district, year: int) -> dt.date:
        return self.congresses[district][year]

    def holder(self, district, day: dt.date) -> Holder:
        return [h for h in self.holders[district] if h.start <= day][-1]

    def change(self, district, rng: random.Random) -> Holder | None:
        """One of the district's mid-term changes (the holder it brought in), if it has any."""
        mid = [h for h in self.holders[district] if h.mid_term and 2016 <= h.start.year <= 2024]
        return rng.choice(mid) if mid else None

    def planted(self) -> list[dict]:
        out = []
        for province, district in self.districts:
            committee = f"{DISTRICT_LEVELS[district.level][1]} {district.name}"
            for h in self.holders[district]:
                out.append({"district": district.label, "province": province.label, "committee": committee,
                            "name": h.name, "start": h.start.isoformat(), "end": h.end.isoformat() if h.end else None,
                            "start_at_congress": not h.mid_term,
                            "predecessor": h.before.name if h.before else None})
        return out


class Corpus:
    """Generates article ``i`` of a seeded corpus and writes it in one of the formats."""

    def __init__(self, seed: int = 0, tenures: int = 0, density: str = "real"):
        from loaders.gazetteer import gazetteer

        if density not in DENSITIES:
            raise ValueError(f"unknown density {density!r}; choose one of {', '.join(DENSITIES)}")
        self.seed, self.density = seed, density
        self.gaz = gazetteer()
        self.provinces = [p for p in self.gaz.provinces() if self.gaz.children(p)]
        self.world = World(seed, tenures, self.provinces, self.gaz) if tenures else None

    def article(self, i: int) -> tuple[dict, Gold]:
        rng = random.Random(f"vnkg-bench-{self.seed}-{i}")
        aid = f"gen-{self.seed}-{i:07d}"
        w = Writer(rng, aid, self.gaz, self.provinces, self.world)
        title, issued = w.build(self.density)
        w.gold.issued = issued.isoformat()
        hour, minute = rng.randrange(6, 22), rng.randrange(0, 60)
        body = "\n\n".join(" ".join(p) for p in w.paras)
        art = {"id": aid, "title": title, "issued": issued, "time": f"{hour:02d}:{minute:02d}", "text": body,
               "publisher": rng.choice(PUBLISHERS), "author": rng.choice(REPORTERS),
               "url": f"https://bao.example.vn/thoi-su/{aid}.html"}
        return art, w.gold


def as_txt(a: dict) -> str:
    d: dt.date = a["issued"]
    return (f"{a['title']}\n\n{WEEKDAYS[d.weekday()]}, {d.day:02d}/{d.month:02d}/{d.year} | {a['time']}\n\n"
            f"{a['text']}\n\n{a['author']}\n")


def as_html(a: dict) -> str:
    d: dt.date = a["issued"]
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in a["text"].split("\n\n"))
    e = html.escape
    return (f"<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><title>{e(a['title'])}</title>\n"
            f"<meta property=\"article:published_time\" content=\"{d.isoformat()}T{a['time']}:00+07:00\">\n"
            f"<meta property=\"og:site_name\" content=\"{e(a['publisher'])}\"></head>\n"
            f"<body><nav><a href=\"/\">Trang chủ</a> | <a href=\"/thoi-su\">Thời sự</a></nav>\n"
            f"<article><h1>{e(a['title'])}</h1>\n<p class=\"date\">{d.day:02d}/{d.month:02d}/{d.year} {a['time']}</p>\n"
            f"{paras}\n<p class=\"author\">{e(a['author'])}</p></article>\n"
            f"<footer>Bản quyền thuộc về {e(a['publisher'])}.</footer></body></html>\n")


def as_jsonl(a: dict) -> str:
    rec = {"id": a["id"], "title": a["title"], "date": a["issued"].isoformat(), "text": a["text"],
           "publisher": a["publisher"], "author": a["author"], "url": a["url"]}
    return json.dumps(rec, ensure_ascii=False) + "\n"


def generate(n: int, out: Path, formats: tuple[str, ...] = ("txt", "html", "jsonl"), seed: int = 0,
             per_jsonl: int = 200, start: int = 0, tenures: int = 0, density: str = "real") -> dict:
    """Write articles ``start`` .. ``start + n - 1``; returns counts by format. With ``tenures``,
    the articles are set in that many districts with planted secretaries (``out/tenures.json``)."""
    for f in formats:
        if f not in ("txt", "html", "jsonl"):
            raise ValueError(f"unknown format {f!r}")
    corpus = Corpus(seed, tenures, density)
    arts, golds = out / "articles", out / "gold"
    arts.mkdir(parents=True, exist_ok=True)
    golds.mkdir(parents=True, exist_ok=True)
    if corpus.world is not None:
        (out / "tenures.json").write_text(json.dumps(corpus.world.planted(), ensure_ascii=False, indent=1) + "\n",
                                          encoding="utf-8")
    counts = {f: 0 for f in formats}
    jsonl = None
    jsonl_index = -1
    try:
        for i in range(start, start + n):
            art, gold = corpus.article(i)
            fmt = formats[i % len(formats)]
            if fmt == "txt":
                (arts / f"{art['id']}.txt").write_text(as_txt(art), encoding="utf-8")
            elif fmt == "html":
                (arts / f"{art['id']}.html").write_text(as_html(art), encoding="utf-8")
            else:
                k = counts["jsonl"] // per_jsonl
                if k != jsonl_index:
                    if jsonl:
                        jsonl.close()
                    jsonl_index = k
                    jsonl = (arts / f"gen-{seed}-batch-{start:07d}-{k:04d}.jsonl").open("w", encoding="utf-8")
                jsonl.write(as_jsonl(art))
            counts[fmt] += 1
            (golds / f"{art['id']}.json").write_text(json.dumps(gold.as_json(), ensure_ascii=False) + "\n",
                                                     encoding="utf-8")
    finally:
        if jsonl:
            jsonl.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000, help="number of articles")
    ap.add_argument("--out", type=Path, required=True, help="output folder (articles/ and gold/ inside)")
    ap.add_argument("--formats", default="txt,html,jsonl", help="comma-separated: txt, html, jsonl")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--per-jsonl", type=int, default=200, help="articles per JSONL file")
    ap.add_argument("--tenures", type=int, default=0, metavar="N",
                    help="plant secretaries' tenures in N districts (the articles are set in those only)")
    ap.add_argument("--density", default="real", choices=DENSITIES,
                    help="real: mostly short news, about 75 triples an article as on the portals (default); "
                         "rich: only long articles (congresses, reviews, personnel, zones), about 200")
    args = ap.parse_args(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    t0 = time.perf_counter()
    counts = generate(args.n, args.out, formats, args.seed, args.per_jsonl, tenures=args.tenures,
                      density=args.density)
    dt_s = time.perf_counter() - t0
    print(f"{args.n} articles ({', '.join(f'{v} {k}' for k, v in counts.items())}) in {dt_s:.1f} s "
          f"({args.n / dt_s:,.0f} articles/s) -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
