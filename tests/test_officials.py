"""Specifications of how posts are read: one construction per test, on sentences written for them.

Stage one (``loaders.extract.mentions``) finds the mentions of a sentence; stage two
(``loaders.extract.officials``) attaches titles to people by the constructions named here.
"""
from __future__ import annotations

from loaders.extract import extract
from loaders.extract.base import Context
from loaders.extract import COMPONENTS, PIPELINE
from loaders.extract.mentions import clause_mentions
from loaders.gazetteer import gazetteer
from loaders.read import read_text


def facts(body: str, title: str = "Tin công tác cán bộ", date: str = "Thứ Ba, 14/11/2023, 09:00"):
    return extract(read_text(f"{title}\n\n{date}\n\n{body}\n", id="t"))


def posts(f):
    return {(p.official.name, p.role, p.body.label, p.status) for p in f.posts}


def kinds(sentence: str) -> list[str]:
    """Stage one alone: the kinds of the mentions of the article's last sentence (words as "w")."""
    art = read_text(f"Tin công tác cán bộ\n\nThứ Ba, 14/11/2023, 09:00\n\n{sentence}\n", id="t")
    ctx = Context(art, gazetteer())
    for name in PIPELINE[:PIPELINE.index("officials")]:
        COMPONENTS[name](ctx)
    s = art.sentences[-1]
    return [m.kind if m.kind != "WORD" else "w" for m in clause_mentions(ctx, s.start, s.end, {})]


# -- stage one: mentions ------------------------------------------------------------------
def test_mentions_of_a_sentence_in_order():
    assert kinds("Ông Lê Minh Hải, nguyên Bí thư Huyện ủy Tiên Yên, được bầu làm Chủ tịch UBND tỉnh Quảng Ninh.") == [
        "PERSON", "SEP", "FORMER", "POST", "SEP", "START", "LINK", "POST", "w"]


def test_a_place_name_is_no_person_and_a_name_is_no_place():
    # "Hà Giang" is a province, not a person; "xã Hồ Văn Hồng" is "xã" and the person "Hồ Văn Hồng"
    assert "PERSON" not in kinds("Đoàn công tác đến Hà Giang và Thái Bình.")
    f = facts("Ở xã Đông Ngũ, Phó Chủ tịch xã Hồ Văn Hồng bị cảnh cáo.",
              title="Đông Ngũ (Tiên Yên, Quảng Ninh): xử lý cán bộ xã")
    assert "Hồ Văn Hồng" in {o.name for o in f.officials}


# -- stage two: constructions -------------------------------------------------------------
def test_stacked_titles_before_a_name():
    f = facts("Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh Quảng Ninh Trần Văn Nam dự hội nghị.")
    assert posts(f) == {("Trần Văn Nam", "deputy-secretary", "Tỉnh ủy Quảng Ninh", "holds"),
                        ("Trần Văn Nam", "chair", "Ủy ban nhân dân tỉnh Quảng Ninh", "holds")}


def test_apposition_after_a_name_every_title_is_a_post():
    f = facts("Ông Lê Minh Hải, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy Quảng Ninh, "
              "Trưởng đoàn ĐBQH tỉnh phát biểu.")
    assert posts(f) == {("Lê Minh Hải", "member", "Ban Chấp hành Trung ương", "holds"),
                        ("Lê Minh Hải", "secretary", "Tỉnh ủy Quảng Ninh", "holds"),
                        ("Lê Minh Hải", "head-of-delegation", "Đoàn đại biểu Quốc hội tỉnh Quảng Ninh", "holds")}


def test_coordinated_people_share_the_role_and_a_bare_role_takes_the_committee_in_focus():
    f = facts("Hội nghị Tỉnh ủy Quảng Ninh lần thứ nhất đã diễn ra. "
              "Các đồng chí Lê Văn An và Phạm Thị Bình được bầu làm Phó Bí thư.")
    assert posts(f) == {("Lê Văn An", "deputy-secretary", "Tỉnh ủy Quảng Ninh", "starts"),
                        ("Phạm Thị Bình", "deputy-secretary", "Tỉnh ủy Quảng Ninh", "starts")}


def test_a_list_with_titles_in_parentheses():
    f = facts("Ban Thường vụ Tỉnh ủy Quảng Ninh gồm các ông Lê Văn An (Bí thư Tỉnh ủy), "
              "Phạm Minh Bình (Chủ tịch UBND tỉnh) và bà Đỗ Thị Hoa (40 tuổi, Phó Bí thư Tỉnh ủy).")
    assert posts(f) == {("Lê Văn An", "secretary", "Tỉnh ủy Quảng Ninh", "holds"),
                        ("Phạm Minh Bình", "chair", "Ủy ban nhân dân tỉnh Quảng Ninh", "holds"),
                        ("Đỗ Thị Hoa", "deputy-secretary", "Tỉnh ủy Quảng Ninh", "holds")}


def test_appointment_frame_with_the_person_as_object():
    f = facts("UBND tỉnh Quảng Ninh quyết định bổ nhiệm ông Vũ Đức Long giữ chức Giám đốc Sở Nội vụ.")
    assert ("Vũ Đức Long", "director", "Sở Nội vụ tỉnh Quảng Ninh", "starts") in posts(f)


def test_an_active_appointment_verb_never_gives_the_post_to_its_subject():
    f = facts("Bí thư Tỉnh ủy Quảng Ninh Trần Văn Nam trao quyết định bổ nhiệm Chánh Văn phòng Tỉnh ủy.")
    assert posts(f) == {("Trần Văn Nam", "secretary", "Tỉnh ủy Quảng Ninh", "holds")}


def test_dismissal_frame_with_doi_voi():
    f = facts("HĐND huyện Tiên Yên miễn nhiệm chức Chủ tịch UBND huyện Tiên Yên đối với ông Hoàng Văn Tú.")
    assert ("Hoàng Văn Tú", "chair", "Ủy ban nhân dân huyện Tiên Yên", "ends") in posts(f)


def test_replacement_the_replaced_person_leaves_the_post():
    f = facts("Ông Lê Văn An được bầu làm Chủ tịch UBND tỉnh Quảng Ninh thay ông Phạm Văn Bình.")
    assert posts(f) == {("Lê Văn An", "chair", "Ủy ban nhân dân tỉnh Quảng Ninh", "starts"),
                        ("Phạm Văn Bình", "chair", "Ủy ban nhân dân tỉnh Quảng Ninh", "ends")}


def test_former_posts_after_nguyen_and_tung_giu_cac_chuc_vu():
    f = facts("Ông Trần Minh Sơn, nguyên Bí thư Huyện ủy Tiên Yên, dự lễ. "
              "Ông Sơn từng giữ các chức vụ: Phó Giám đốc, Giám đốc Sở Tài chính tỉnh Quảng Ninh; "
              "Chủ tịch UBND huyện Tiên Yên.")
    got = posts(f)
    assert ("Trần Minh Sơn", "secretary", "Huyện ủy Tiên Yên", "former") in got
    assert ("Trần Minh Sơn", "deputy-director", "Sở Tài chính tỉnh Quảng Ninh", "former") in got
    assert ("Trần Minh Sơn", "director", "Sở Tài chính tỉnh Quảng Ninh", "former") in got
    assert ("Trần Minh Sơn", "chair", "Ủy ban nhân dân huyện Tiên Yên", "former") in got


def test_nominated_is_not_appointed():
    f = facts("Thành ủy giới thiệu ông Lê Văn An, Giám đốc Sở Nội vụ tỉnh Quảng Ninh làm Chủ tịch UBND tỉnh.")
    assert posts(f) == {("Lê Văn An", "director", "Sở Nội vụ tỉnh Quảng Ninh", "holds")}


def test_shortened_forms_bi_thu_of_a_province_and_chairman_of_a_province():
    f = facts("Bí thư tỉnh Lạng Sơn Lê Văn An và Chủ tịch tỉnh Gia Lai Phạm Văn Bình dự họp.")
    assert posts(f) == {("Lê Văn An", "secretary", "Tỉnh ủy Lạng Sơn", "holds"),
                        ("Phạm Văn Bình", "chair", "Ủy ban nhân dân tỉnh Gia Lai", "holds")}


def test_lower_case_titles_and_old_tone_placement():
    f = facts("Ông Lê Văn An, phó bí thư Tỉnh uỷ Quảng Ninh, phát biểu.")
    assert posts(f) == {("Lê Văn An", "deputy-secretary", "Tỉnh ủy Quảng Ninh", "holds")}


def test_membership_of_the_committees_named_next():
    f = facts("Ban Thường vụ Tỉnh ủy điều động bà Trần Thị Hằng tham gia Ban Chấp hành, Ban Thường vụ và "
              "giữ chức Phó Bí thư Huyện ủy Tiên Yên.", title="Tiên Yên (Quảng Ninh): công tác cán bộ")
    got = posts(f)
    assert ("Trần Thị Hằng", "member", "Huyện ủy Tiên Yên", "starts") in got
    assert ("Trần Thị Hằng", "member", "Ban Thường vụ Huyện ủy Tiên Yên", "starts") in got
    assert ("Trần Thị Hằng", "deputy-secretary", "Huyện ủy Tiên Yên", "starts") in got


def test_a_bare_committee_takes_the_province_named_last_before_it():
    f = facts("Đại hội Đảng bộ tỉnh Phú Thọ diễn ra sáng nay. Ông Hoàng Văn Mạnh tái cử chức Bí thư Tỉnh ủy. "
              "Đại hội Đảng bộ tỉnh Hà Giang cũng bế mạc. Ông Triệu Văn Vinh tái đắc cử Bí thư Tỉnh ủy.",
              title="Nhiều tỉnh bầu Bí thư")
    got = posts(f)
    assert ("Hoàng Văn Mạnh", "secretary", "Tỉnh ủy Phú Thọ", "starts") in got
    assert ("Triệu Văn Vinh", "secretary", "Tỉnh ủy Hà Giang", "starts") in got


def test_semicolons_split_a_title_list_before_a_new_name():
    f = facts("Dự có đồng chí Lê Văn An, Ủy viên Ban Thường vụ Tỉnh ủy Bắc Ninh, Trưởng Ban Tổ chức Tỉnh ủy; "
              "Bí thư Thị ủy Từ Sơn Ngô Văn Huy.")
    got = posts(f)
    assert ("Ngô Văn Huy", "secretary", "Thị ủy Từ Sơn", "holds") in got
    assert ("Lê Văn An", "head", "Ban Tổ chức Tỉnh ủy Bắc Ninh", "holds") in got
    assert not any(p[0] == "Ngô Văn Huy" and p[1] == "head" for p in got)


def test_short_name_refers_to_the_full_name_named_before():
    f = facts("Ông Nguyễn Phú Cường được bầu làm Bí thư Tỉnh ủy Đồng Nai. "
              "Ông Cường từng giữ chức Giám đốc Sở Tài chính tỉnh Đồng Nai.")
    assert ("Nguyễn Phú Cường", "director", "Sở Tài chính tỉnh Đồng Nai", "former") in posts(f)


def test_a_pronoun_opening_a_sentence_is_the_person_named_last():
    f = facts("Ông Nguyễn Văn An được bầu làm Bí thư Tỉnh ủy Quảng Ninh. Ông Lê Văn Bình được bầu làm Phó Bí thư. "
              "Ông sinh năm 1966, quê xã Hải Tiến. Ông từng giữ chức Giám đốc Sở Tài chính tỉnh Quảng Ninh.")
    got = posts(f)
    assert ("Lê Văn Bình", "director", "Sở Tài chính tỉnh Quảng Ninh", "former") in got
    assert not any(p[0] == "Nguyễn Văn An" and p[1] == "director" for p in got)


def test_a_pronoun_after_an_opening_adverbial_and_a_past_setting_makes_posts_former():
    f = facts("Ông Nguyễn Văn An được bầu làm Bí thư Tỉnh ủy Quảng Ninh. "
              "Từ năm 2009, ông là Tỉnh ủy viên, Giám đốc Sở Tài chính. "
              "Tháng 8/2015, ông được bổ nhiệm Phó Chủ tịch UBND tỉnh. "
              "Từ năm 2016 đến nay, ông là Trưởng đoàn ĐBQH tỉnh.")
    got = posts(f)
    assert ("Nguyễn Văn An", "member", "Tỉnh ủy Quảng Ninh", "former") in got
    assert ("Nguyễn Văn An", "director", "Sở Tài chính tỉnh Quảng Ninh", "former") in got
    assert ("Nguyễn Văn An", "vice-chair", "Ủy ban nhân dân tỉnh Quảng Ninh", "former") in got
    assert ("Nguyễn Văn An", "secretary", "Tỉnh ủy Quảng Ninh", "starts") in got
    assert any(p[1] == "head-of-delegation" and p[3] == "holds" for p in got)  # "đến nay": still held


def test_a_career_list_passes_over_posts_it_cannot_read_and_joins_with_roi():
    f = facts("Bà Trần Thị Hoa tái đắc cử Bí thư Tỉnh ủy Nghệ An. Bà Hoa từng giữ các chức vụ: Kế toán trưởng "
              "Ban Quản lý dự án thủy lợi, Trưởng phòng Tài chính, Chủ tịch UBND huyện Quỳnh Lưu, "
              "Phó Bí thư Tỉnh ủy rồi Phó Chủ tịch UBND tỉnh.")
    got = posts(f)
    assert ("Trần Thị Hoa", "chair", "Ủy ban nhân dân huyện Quỳnh Lưu", "former") in got
    assert ("Trần Thị Hoa", "deputy-secretary", "Tỉnh ủy Nghệ An", "former") in got
    assert ("Trần Thị Hoa", "vice-chair", "Ủy ban nhân dân tỉnh Nghệ An", "former") in got


def test_a_pronoun_takes_the_person_of_its_gender_named_last():
    f = facts("Ông Trần Văn Nam và bà Lê Thị Hoa được bầu làm Phó Bí thư Tỉnh ủy Bạc Liêu. "
              "Ông Nam sinh năm 1961. Ông từng giữ chức Bí thư Thành ủy Bạc Liêu.")
    got = posts(f)
    assert ("Trần Văn Nam", "secretary", "Thành ủy Bạc Liêu", "former") in got
    assert not any(p[0] == "Lê Thị Hoa" and p[1] == "secretary" for p in got)


def test_respectively_n_people_and_n_single_holder_posts_pair_in_order():
    f = facts("Ông Dương Văn Trung và bà Lê Thị Nam được bầu giữ chức Chủ tịch UBND tỉnh Bạc Liêu và "
              "Chủ tịch HĐND tỉnh. Các ông Lê Văn An, Phạm Văn Bình lần lượt giữ chức Phó Chủ tịch UBND tỉnh "
              "và Phó Chủ tịch HĐND tỉnh.")
    assert posts(f) == {("Dương Văn Trung", "chair", "Ủy ban nhân dân tỉnh Bạc Liêu", "starts"),
                        ("Lê Thị Nam", "chair", "Hội đồng nhân dân tỉnh Bạc Liêu", "starts"),
                        ("Lê Văn An", "vice-chair", "Ủy ban nhân dân tỉnh Bạc Liêu", "holds"),
                        ("Phạm Văn Bình", "vice-chair", "Hội đồng nhân dân tỉnh Bạc Liêu", "holds")}


def test_coordinated_names_with_their_own_appositions_share_the_post_of_the_frame():
    f = facts("Ông Nguyễn Văn Trúc, Giám đốc Sở Tài chính tỉnh Bình Dương và ông Lê Văn Thao, Giám đốc "
              "Công an tỉnh được bầu làm ủy viên UBND tỉnh.")
    assert posts(f) == {("Nguyễn Văn Trúc", "director", "Sở Tài chính tỉnh Bình Dương", "holds"),
                        ("Nguyễn Văn Trúc", "member", "Ủy ban nhân dân tỉnh Bình Dương", "starts"),
                        ("Lê Văn Thao", "director", "Công an tỉnh Bình Dương", "holds"),
                        ("Lê Văn Thao", "member", "Ủy ban nhân dân tỉnh Bình Dương", "starts")}


def test_a_biography_runs_long_between_its_subject_and_its_event():
    f = facts("Đảng bộ xã Kỳ Tân, huyện Kỳ Anh tổ chức đại hội. Ông Trần Văn Lợi sinh năm 1970 tại thôn Tân Hà, "
              "tốt nghiệp trung cấp chính trị và đại học ngành kinh tế nông nghiệp hệ vừa làm vừa học, từ đó "
              "được bầu vào Ban Chấp hành Đảng bộ xã Kỳ Tân.")
    assert ("Trần Văn Lợi", "member", "Đảng ủy xã Kỳ Tân", "starts") in posts(f)


def test_a_state_title_alone_in_an_aside_is_held_in_the_locality_in_focus():
    f = facts("Đảng ủy xã Kỳ Tân, huyện Kỳ Anh kiểm điểm ông Lê Văn Hùng (Phó Chủ tịch), ông Phạm Văn Quý "
              "(Trưởng Công an) và ông Đỗ Văn Sơn (Chủ tịch Hội Nông dân).")
    assert posts(f) == {("Lê Văn Hùng", "vice-chair", "Ủy ban nhân dân xã Kỳ Tân", "holds"),
                        ("Phạm Văn Quý", "police-chief", "Công an xã Kỳ Tân", "holds")}


def test_the_department_named_last_and_its_party_committee_in_lower_case():
    f = facts("Sở Giao thông vận tải tỉnh Quảng Ninh vừa họp. Ông Lư Văn Đồng, giám đốc sở, bí thư Đảng ủy "
              "cho biết ông Trương Văn Phúc, nguyên chánh thanh tra Sở Giao thông vận tải, bị cách chức.")
    got = posts(f)
    assert ("Lư Văn Đồng", "director", "Sở Giao thông vận tải tỉnh Quảng Ninh", "holds") in got
    assert ("Lư Văn Đồng", "secretary", "Đảng ủy Sở Giao thông vận tải tỉnh Quảng Ninh", "holds") in got
    assert ("Trương Văn Phúc", "chief-inspector", "Sở Giao thông vận tải tỉnh Quảng Ninh", "former") in got


def test_an_abbreviated_city_after_its_committee_and_a_numbered_ward_merged_away():
    f = facts("Bí thư Thành ủy TP. HCM Nguyễn Văn Nên chủ trì. Ông Nguyễn Trọng Nghĩa, Bí thư phường 8, quận 8, "
              "phản ánh tình trạng kẹt xe ở Nguyễn Văn Cừ, Chánh Hưng.")
    assert posts(f) == {("Nguyễn Văn Nên", "secretary", "Thành ủy Hồ Chí Minh", "holds"),
                        ("Nguyễn Trọng Nghĩa", "secretary", "Đảng ủy phường 8", "holds")}
    assert {o.name for o in f.officials} == {"Nguyễn Văn Nên", "Nguyễn Trọng Nghĩa"}  # "Chánh" alone is no title


def test_a_department_named_with_its_province_bare_keeps_the_list_going():
    f = facts("Ông Đoàn Văn Phong được bầu làm Bí thư Tỉnh ủy Nam Định. Ông Phong từng giữ các chức vụ: "
              "Giám đốc Sở Tài chính Nam Định; Bí thư Huyện ủy Ý Yên.")
    got = posts(f)
    assert ("Đoàn Văn Phong", "director", "Sở Tài chính tỉnh Nam Định", "former") in got
    assert ("Đoàn Văn Phong", "secretary", "Huyện ủy Ý Yên", "former") in got


def test_the_unit_containing_a_title_s_place_belongs_to_the_title():
    f = facts("Dự lễ có Bí thư Huyện ủy Tiên Yên, tỉnh Quảng Ninh Nguyễn Văn An và Chủ tịch UBND huyện Hải Hà "
              "(Quảng Ninh) Lê Văn Bình.")
    assert posts(f) == {("Nguyễn Văn An", "secretary", "Huyện ủy Tiên Yên", "holds"),
                        ("Lê Văn Bình", "chair", "Ủy ban nhân dân huyện Hải Hà", "holds")}


def test_a_move_ends_the_local_posts_in_apposition_but_not_a_central_committee_seat():
    f = facts("Bộ Chính trị điều động ông Phạm Văn Dũng, Ủy viên Ban Chấp hành Trung ương Đảng, Phó Bí thư "
              "Tỉnh ủy Bắc Giang, giữ chức Bí thư Tỉnh ủy Quảng Ninh.")
    got = posts(f)
    assert ("Phạm Văn Dũng", "member", "Ban Chấp hành Trung ương", "holds") in got
    assert ("Phạm Văn Dũng", "deputy-secretary", "Tỉnh ủy Bắc Giang", "ends") in got
    assert ("Phạm Văn Dũng", "secretary", "Tỉnh ủy Quảng Ninh", "starts") in got


def test_a_rank_introduces_a_name_and_a_nomination_is_no_post():
    f = facts("Thành ủy Hà Nội sẽ giới thiệu thiếu tướng Nguyễn Văn Chung, Phó Bí thư Thành ủy, Giám đốc công an "
              "làm Chủ tịch UBND thành phố. Chủ tịch UBND thành phố hiện nay, ông Nguyễn Văn Thảo, sắp nghỉ hưu.")
    assert posts(f) == {("Nguyễn Văn Chung", "deputy-secretary", "Thành ủy Hà Nội", "holds"),
                        ("Nguyễn Văn Chung", "director", "Công an thành phố Hà Nội", "holds"),
                        ("Nguyễn Văn Thảo", "chair", "Ủy ban nhân dân thành phố Hà Nội", "holds")}


# -- discipline ---------------------------------------------------------------------------
def measures(f):
    return {(d.official.name, d.measure, d.decided_by.label if d.decided_by else None) for d in f.disciplines}


def test_discipline_decided_by_a_body_with_the_measure_after_the_name():
    f = facts("Ủy ban Kiểm tra Tỉnh ủy Quảng Ninh quyết định thi hành kỷ luật ông Lê Văn An bằng hình thức cảnh cáo.")
    assert measures(f) == {("Lê Văn An", "canh-cao", "Ủy ban Kiểm tra Tỉnh ủy Quảng Ninh")}


def test_discipline_of_several_people_after_doi_voi():
    f = facts("Ủy ban Kiểm tra Tỉnh ủy Quảng Ninh quyết định kỷ luật khai trừ ra khỏi Đảng đối với "
              "ông Lê Văn An và ông Phạm Văn Bình.")
    assert {(n, m) for n, m, _ in measures(f)} == {("Lê Văn An", "khai-tru"), ("Phạm Văn Bình", "khai-tru")}


def test_each_measure_of_a_sentence_to_its_own_subject():
    f = facts("Bí thư Đảng ủy xã Đông Ngũ Lê Văn An bị khiển trách, Chủ tịch xã Phạm Văn Bình bị cảnh cáo.",
              title="Đông Ngũ (Tiên Yên, Quảng Ninh): kỷ luật cán bộ")
    assert {(n, m) for n, m, _ in measures(f)} == {("Lê Văn An", "khien-trach"), ("Phạm Văn Bình", "canh-cao")}


def test_a_proposed_measure_is_not_a_decision():
    f = facts("Ủy ban Kiểm tra Trung ương đề nghị kỷ luật cảnh cáo ông Lê Văn An.")
    assert f.disciplines == []


def test_transfer_ends_the_titles_in_apposition():
    f = facts("Ông Ngô Văn Tuấn - Phó Giám đốc Sở Nội vụ tỉnh Quảng Ninh - được bổ nhiệm làm Giám đốc Sở Tư pháp.")
    assert posts(f) == {("Ngô Văn Tuấn", "deputy-director", "Sở Nội vụ tỉnh Quảng Ninh", "ends"),
                        ("Ngô Văn Tuấn", "director", "Sở Tư pháp tỉnh Quảng Ninh", "starts")}


def test_a_new_party_post_leaves_a_concurrent_state_post_held():
    f = facts("Ông Lê Văn An, Chủ tịch UBND tỉnh Quảng Ninh, được bầu làm Bí thư Tỉnh ủy.")
    assert posts(f) == {("Lê Văn An", "chair", "Ủy ban nhân dân tỉnh Quảng Ninh", "holds"),
                        ("Lê Văn An", "secretary", "Tỉnh ủy Quảng Ninh", "starts")}


def test_the_readme_worked_example():
    sentence = ("Ông Lê Minh Hải, nguyên Bí thư Huyện ủy Tiên Yên, được bầu làm Chủ tịch UBND tỉnh Quảng Ninh "
                "thay ông Phạm Văn Bình.")
    assert kinds(sentence) == ["PERSON", "SEP", "FORMER", "POST", "SEP", "START", "LINK", "POST", "REPLACE",
                               "PERSON", "w"]
    assert posts(facts(sentence)) == {
        ("Lê Minh Hải", "secretary", "Huyện ủy Tiên Yên", "former"),
        ("Lê Minh Hải", "chair", "Ủy ban nhân dân tỉnh Quảng Ninh", "starts"),
        ("Phạm Văn Bình", "chair", "Ủy ban nhân dân tỉnh Quảng Ninh", "ends")}


def test_a_numbered_ward_is_read_with_the_district_after_it():
    f = facts("Ông Nguyễn Trọng Nghĩa, Bí thư phường 8, quận 8 phát biểu; lãnh đạo phường 2 (quận 4) cũng dự.",
              title="TP HCM: gặp mặt bí thư phường")
    assert {"phường 8", "quận 8", "phường 2", "quận 4"} <= {p.label for p in f.places}
    assert ("Nguyễn Trọng Nghĩa", "secretary", "Đảng ủy phường 8", "holds") in posts(f)


def test_a_central_committee_session_is_no_congress_of_the_local_party():
    f = facts("Ông Lê Văn An, Ủy viên Ban Chấp hành Trung ương Đảng khóa XII, về làm Bí thư Tỉnh ủy Sóc Trăng.",
              title="Sóc Trăng có tân Bí thư")
    assert f.congresses == []
