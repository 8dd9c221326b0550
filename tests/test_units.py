"""Units below or beside the bodies the extraction knows: divisions, teams, departments of
ministries, management boards, and the Party organisations set in them.

Each construction is pinned by an example sentence of our own (names invented)."""
from __future__ import annotations

import pyshacl
import pytest

from kg.mapping import article_graph
from loaders.extract import extract
from loaders.read import read_text
from ontology import ontology_graph
from shapes import shapes_graph


def read(body: str, title: str = "Tin công tác cán bộ"):
    art = read_text(f"{title}\n\nThứ Ba, 14/11/2023, 09:00\n\n{body}\n", id="t")
    return art, extract(art)


def facts(body: str, title: str = "Tin công tác cán bộ"):
    return read(body, title)[1]


def posts(f):
    return {(p.official.name, p.role, p.body.label, p.status) for p in f.posts}


def body(f, label: str):
    return next(b for b in f.bodies if b.label == label)


def labels(f) -> set[str]:
    return {b.label for b in f.bodies}


# -- state units ---------------------------------------------------------------------
def test_a_division_of_a_peoples_committee_after_its_head():
    f = facts("Ông Nguyễn Văn Bình, Trưởng phòng Quản lý đô thị UBND thành phố Đà Nẵng, cho biết sẽ kiểm tra.")
    assert posts(f) == {("Nguyễn Văn Bình", "head-of-division",
                         "Phòng Quản lý đô thị Ủy ban nhân dân thành phố Đà Nẵng", "holds")}
    unit = body(f, "Phòng Quản lý đô thị Ủy ban nhân dân thành phố Đà Nẵng")
    assert unit.kind == "StateBody" and unit.parent.label == "Ủy ban nhân dân thành phố Đà Nẵng"
    assert unit.place.name == "Đà Nẵng"


def test_trưởng_before_a_division_is_its_trưởng_phòng_and_the_name_ends_at_the_place():
    f = facts("Trưởng Phòng Nội vụ huyện Cẩm Xuyên Lê Văn Tâm nói việc sắp xếp đã xong.")
    assert posts(f) == {("Lê Văn Tâm", "head-of-division", "Phòng Nội vụ huyện Cẩm Xuyên", "holds")}


def test_a_former_division_head_keeps_the_status_of_nguyên():
    f = facts("Ông Phạm Hữu Lộc, nguyên Trưởng phòng Tài nguyên - Môi trường huyện Mỹ Đức, bị khiển trách.")
    assert ("Phạm Hữu Lộc", "head-of-division", "Phòng Tài nguyên - Môi trường huyện Mỹ Đức", "former") in posts(f)


def test_a_team_with_its_district_and_no_body_read_inside_its_name():
    f = facts("Ông Hồ Văn Mạnh, Đội trưởng Đội Thanh tra giao thông quận Cái Răng, bị khiển trách.")
    assert posts(f) == {("Hồ Văn Mạnh", "team-leader", "Đội Thanh tra giao thông quận Cái Răng", "holds")}
    assert not any(b.label.startswith("Thanh tra") for b in f.bodies)


def test_a_department_of_a_general_department_of_a_ministry_set_off_by_commas():
    f = facts("Ông Lê Văn Cần, Cục trưởng Cục Kỹ thuật - Hậu cần, Tổng cục Dự trữ, Bộ Tài chính, đã ký văn bản.")
    ((name, role, label, status),) = posts(f)
    assert (name, role, status) == ("Lê Văn Cần", "director-general", "holds")
    assert label == "Cục Kỹ thuật - Hậu cần Tổng cục Dự trữ"
    unit = body(f, label)
    assert unit.place is None and "Cục Kỹ thuật - Hậu cần Tổng cục Dự trữ Bộ Tài chính" in unit.alt_labels
    # a general department is one resource however it is written: its name, with its ministry as another label
    assert unit.parent.label == "Tổng cục Dự trữ" and "Tổng cục Dự trữ Bộ Tài chính" in unit.parent.alt_labels
    assert unit.parent.parent.label == "Bộ Tài chính"
    assert facts("Tổng cục Dự trữ đã họp.").bodies[0].key == unit.parent.key


def test_the_party_committee_of_the_unit_named_by_the_next_title():
    f = facts("Ông Lê Văn Cần, Bí thư Đảng ủy, Cục trưởng Cục Kỹ thuật - Hậu cần, Tổng cục Dự trữ, Bộ Tài chính.")
    assert ("Lê Văn Cần", "secretary", "Đảng ủy Cục Kỹ thuật - Hậu cần Tổng cục Dự trữ", "holds") in posts(f)


def test_a_department_of_a_ministry():
    f = facts("Ông Đỗ Minh Hòa, Vụ trưởng Vụ Tổ chức cán bộ, Bộ Y tế, được luân chuyển làm Phó Chủ tịch UBND tỉnh Hà Nam.")
    assert ("Đỗ Minh Hòa", "department-director", "Vụ Tổ chức cán bộ Bộ Y tế", "ends") in posts(f)


def test_a_management_board_written_in_lower_case_ends_with_the_proper_name_it_holds():
    f = facts("Tại tỉnh Quảng Nam, bà Phạm Thị Lan, Trưởng ban Quản lý khu kinh tế mở Chu Lai nộp đơn xin nghỉ.")
    assert posts(f) == {("Phạm Thị Lan", "head", "Ban Quản lý khu kinh tế mở Chu Lai tỉnh Quảng Nam", "holds")}


def test_a_deputy_head_written_phó_ban_and_a_project_board_of_a_province():
    f = facts("Ông Đỗ Văn Diên từng là Phó ban Quản lý dự án sắp xếp dân cư ven biển tỉnh Quảng Nam.")
    assert posts(f) == {("Đỗ Văn Diên", "deputy-head", "Ban Quản lý dự án sắp xếp dân cư ven biển tỉnh Quảng Nam",
                         "former")}


def test_a_unit_whose_body_is_in_parentheses_and_that_department_named_again():
    f = facts("Tại thành phố Hà Nội, ông Mai Văn Vịnh - Trưởng phòng Quản lý công sản (Sở Tài chính) giữ chức vụ "
              "Phó Giám đốc Sở.")
    assert posts(f) == {
        ("Mai Văn Vịnh", "head-of-division", "Phòng Quản lý công sản Sở Tài chính thành phố Hà Nội", "holds"),
        ("Mai Văn Vịnh", "deputy-director", "Sở Tài chính thành phố Hà Nội", "holds")}


def test_a_bare_title_of_a_units_head_shares_only_a_unit_of_its_kind():
    f = facts("Tại tỉnh Thanh Hóa, ông Lê Anh Toàn từng là Vụ trưởng, Trưởng ban Quản lý dự án giao thông.")
    assert posts(f) == {("Lê Anh Toàn", "head", "Ban Quản lý dự án giao thông tỉnh Thanh Hóa", "former")}
    f = facts("Ông Đặng Quốc Khải từng giữ các chức vụ: phó trưởng phòng, trưởng phòng Quy hoạch - Kiến trúc, "
              "Sở Xây dựng Hà Tĩnh.")
    assert {(r, s) for _, r, _, s in posts(f)} == {("deputy-head-of-division", "former"), ("head-of-division", "former")}


def test_a_numbered_team_of_a_provincial_department_set_off_by_a_comma():
    f = facts("Tại tỉnh Nghệ An, ông Nguyễn Mạnh Hào, Đội trưởng đội QLTT số 8, cục Quản lý thị trường Nghệ An xác nhận.")
    assert posts(f) == {("Nguyễn Mạnh Hào", "team-leader", "Đội QLTT số 8 Cục Quản lý thị trường tỉnh Nghệ An", "holds")}


def test_the_body_a_unit_belongs_to_after_của():
    f = facts("Tại tỉnh Vĩnh Long, bà Trần Thị Hạnh là Phó trưởng phòng kinh tế của viện KSND tỉnh này.")
    assert posts(f) == {("Trần Thị Hạnh", "deputy-head-of-division",
                         "Phòng kinh tế Viện Kiểm sát nhân dân tỉnh Vĩnh Long", "holds")}


def test_a_port_authority_of_the_city_in_focus():
    f = facts("Tại thành phố Đà Nẵng, ông Nguyễn Viết Vân, Giám đốc Cảng vụ đường thủy nội địa, bị tạm giam.")
    assert posts(f) == {("Nguyễn Viết Vân", "director", "Cảng vụ đường thủy nội địa thành phố Đà Nẵng", "holds")}


def test_a_division_of_the_article_is_read_alone_only_with_its_place_or_body_written():
    f = facts("Phòng Nội vụ huyện Cẩm Xuyên đã hoàn thành việc sắp xếp. Cửa khẩu thông thương với khu Phòng Thành "
              "(Quảng Tây, Trung Quốc).")
    assert "Phòng Nội vụ huyện Cẩm Xuyên" in labels(f)
    assert not any("Thành" in b.label for b in f.bodies)


def test_a_unit_written_as_the_subject_ends_before_its_predicate():
    f = facts("Tổng cục Dự trữ nhấn mạnh, việc luân chuyển hàng dự trữ phải đúng hạn.")
    assert labels(f) == {"Tổng cục Dự trữ"}


def test_và_joins_the_parts_of_a_name_but_not_a_name_and_a_person():
    f = facts("Tại tỉnh Sơn La, ông Lò Văn Hưng, Trưởng phòng Khảo thí và quản lý chất lượng, dự họp.")
    assert posts(f) == {("Lò Văn Hưng", "head-of-division", "Phòng Khảo thí và quản lý chất lượng tỉnh Sơn La", "holds")}


@pytest.mark.parametrize("sentence", [
    "Cuộc họp diễn ra tại phòng họp của huyện Cẩm Xuyên.",
    "Huyện Cẩm Xuyên chú trọng xây dựng đội ngũ cán bộ, ban hành nhiều văn bản.",
    "Tư tưởng cục bộ còn tồn tại ở huyện Cẩm Xuyên.",
    "Đại biểu đến Trung tâm Hội nghị tỉnh Hà Tĩnh dự lễ.",
])
def test_a_common_noun_is_no_unit(sentence):
    f = facts(sentence)
    assert not f.posts and all(b.kind != "StateBody" for b in f.bodies), labels(f)


def test_a_title_ending_in_trưởng_after_another_word_is_none_of_ours():
    f = facts("Ông Hồ Văn Phúc từng giữ các chức vụ: Kế toán trưởng Ban Quản lý dự án đầu tư xây dựng huyện "
              "Quỳnh Lưu, Phó Bí thư Tỉnh ủy Nghệ An.")
    assert posts(f) == {("Hồ Văn Phúc", "deputy-secretary", "Tỉnh ủy Nghệ An", "former")}


# -- Party units ---------------------------------------------------------------------
def test_the_committee_of_a_bloc_is_a_unit_of_its_party_organisation():
    f = facts("Ông Trần Văn Hòa, Bí thư Đảng ủy khối các Khu công nghiệp TP. Đà Nẵng, nguyên Chánh văn phòng "
              "Thành ủy Đà Nẵng.")
    assert posts(f) == {
        ("Trần Văn Hòa", "secretary", "Đảng ủy Khối các Khu công nghiệp thành phố Đà Nẵng", "holds"),
        ("Trần Văn Hòa", "chief-of-office", "Văn phòng Thành ủy Đà Nẵng", "former")}
    committee = body(f, "Đảng ủy Khối các Khu công nghiệp thành phố Đà Nẵng")
    assert committee.kind == "PartyCommittee"
    assert committee.parent.kind == "PartyOrganization"
    assert committee.parent.label == "Đảng bộ Khối các Khu công nghiệp thành phố Đà Nẵng"


def test_a_bloc_of_central_bodies_is_national():
    f = facts("Ông Đào Văn Dũng, Bí thư Đảng ủy Khối các cơ quan Trung ương, phát biểu.")
    assert posts(f) == {("Đào Văn Dũng", "secretary", "Đảng ủy Khối các cơ quan Trung ương", "holds")}
    assert body(f, "Đảng ủy Khối các cơ quan Trung ương").place is None


def test_a_unit_named_after_the_country_belongs_to_no_locality():
    f = facts("Tại thành phố Cần Thơ, ông Phạm Gia Tú thôi giữ chức Phó Chủ tịch Phòng Thương mại và Công nghiệp "
              "Việt Nam (VCCI).")
    assert posts(f) == {("Phạm Gia Tú", "vice-chair", "Phòng Thương mại và Công nghiệp Việt Nam", "ends")}
    assert body(f, "Phòng Thương mại và Công nghiệp Việt Nam").place is None


def test_the_party_organisation_of_a_bloc_written_alone():
    f = facts("Đảng bộ Khối dân - chính - đảng TP Hồ Chí Minh tổ chức hội nghị.")
    org = body(f, "Đảng bộ Khối dân - chính - đảng thành phố Hồ Chí Minh")
    assert org.kind == "PartyOrganization"


def test_a_cell_of_a_village_ends_before_the_next_person():
    f = facts("Ông Vũ Văn Minh, phó bí thư chi bộ thôn Đông Tự 2 và ông Trần Văn Hùng bị bãi miễn tư cách đại biểu.",
              title="Xã Kiến Thiết, huyện Tiên Lãng bầu lại đại biểu")
    ((name, role, label, _),) = posts(f)
    assert (name, role) == ("Vũ Văn Minh", "deputy-secretary")
    assert label.startswith("Chi bộ thôn Đông Tự 2 ")
    assert "chi bộ thôn Đông Tự 2" in body(f, label).alt_labels
    assert body(f, label).kind == "PartyOrganization"


def test_the_head_of_a_village_is_no_post_but_keeps_the_list_of_titles():
    f = facts("Ông Vũ Văn Mạc (60 tuổi), trưởng thôn kiêm Phó bí thư chi bộ thôn Đông Tự 2, bị bãi miễn.",
              title="Xã Kiến Thiết, huyện Tiên Lãng bầu lại đại biểu")
    ((name, role, label, _),) = posts(f)
    assert (name, role) == ("Vũ Văn Mạc", "deputy-secretary") and label.startswith("Chi bộ thôn Đông Tự 2 ")


def test_the_cell_of_the_unit_named_by_the_next_title():
    f = facts("Ủy ban Kiểm tra Tỉnh ủy Phú Yên cảnh cáo ông Trần Minh Thục - Bí thư chi bộ, Phó Giám đốc chi nhánh "
              "Văn phòng Đăng ký đất đai TP. Tuy Hòa.")
    assert posts(f) == {
        ("Trần Minh Thục", "secretary", "Chi bộ Chi nhánh Văn phòng Đăng ký đất đai thành phố Tuy Hòa", "holds"),
        ("Trần Minh Thục", "deputy-director", "Chi nhánh Văn phòng Đăng ký đất đai thành phố Tuy Hòa", "holds")}


def test_a_cell_without_its_unit_is_no_post_in_the_committee_in_focus():
    f = facts("Tại huyện Bình Chánh, ông Phạm Thành Trung, Bí thư chi bộ 2, bị khiển trách.")
    assert not posts(f)


# -- the graph -----------------------------------------------------------------------
def test_units_and_their_party_bodies_map_to_a_graph_that_conforms():
    art, f = read("Ông Trần Văn Hòa, Bí thư Đảng ủy khối các Khu công nghiệp TP. Đà Nẵng. Ông Lê Văn Cần, Bí thư "
                  "Đảng ủy, Cục trưởng Cục Kỹ thuật - Hậu cần, Tổng cục Dự trữ, Bộ Tài chính. Ông Nguyễn Văn Bình, "
                  "Trưởng phòng Quản lý đô thị UBND thành phố Đà Nẵng.")
    g = article_graph(art, f)
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
                                         inference="none", advanced=True)
    assert conforms, text


# -- courts, procuracies, ministries written short -------------------------------------
def test_a_court_and_a_procuracy_of_a_locality_and_their_deputy_heads():
    f = facts("Bà Lê Thị Ngân, Phó Chánh án TAND TP Cần Thơ, và ông Võ Văn Lực, Phó Viện trưởng Viện KSND tỉnh "
              "Sơn La, dự hội nghị.")
    assert posts(f) == {("Lê Thị Ngân", "deputy-chief-justice", "Tòa án nhân dân thành phố Cần Thơ", "holds"),
                        ("Võ Văn Lực", "deputy-chief-procurator", "Viện Kiểm sát nhân dân tỉnh Sơn La", "holds")}


def test_a_high_court_is_no_court_of_the_city_it_sits_in():
    f = facts("Ông Phạm Hồng Phương, Phó Chánh án TAND cấp cao tại TP. HCM, cho rằng cần xem xét.")
    assert not any(b.label.startswith("Tòa án nhân dân thành phố") for b in f.bodies)


def test_the_party_committee_of_a_ministry_written_without_its_last_words():
    f = facts("Ông Nguyễn Văn Thắng, Ủy viên Ban cán sự đảng Bộ Giao thông, Thứ trưởng Giao thông, dự họp.")
    assert ("Nguyễn Văn Thắng", "member", "Ban cán sự đảng Bộ Giao thông vận tải", "holds") in posts(f)
