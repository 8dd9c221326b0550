"""Specification of the vnkg ontology and its concept schemes (ontology/*.ttl).

The core vocabulary (shared/spec/vocabulary.md) is the public contract: every vnkg term it
names must be declared here, with the subclass links it states. Every vnkg class and
property is documented in Vietnamese and English, and the whole ontology is OWL 2 DL that
HermiT finds consistent with no unsatisfiable class.
"""
from __future__ import annotations

import re
import shutil
import unicodedata
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ontology import (INDICATOR_SCHEME, ONTOLOGY_FILES, ONTOLOGY_IRI, ROLE_SCHEME, indicator_keys,
                      ontology_graph, role_keys)

VNKG = Namespace("https://w3id.org/vnkg/ontology#")
ROLE = Namespace("https://w3id.org/vnkg/ontology/role/")
INDICATOR = Namespace("https://w3id.org/vnkg/ontology/indicator/")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
TIME = Namespace("http://www.w3.org/2006/time#")
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")  # a plain Namespace: pytest probes module globals

PREFIXES = {"vnkg": VNKG, "org": ORG, "prov": PROV, "schema": SCHEMA, "foaf": FOAF,
            "skos": SKOS, "dcterms": DCTERMS, "time": TIME}

VOCABULARY = Path(__file__).resolve().parents[1].parent / "shared" / "spec" / "vocabulary.md"

DECLARATIONS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)
PROPERTY_KINDS = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@pytest.fixture(scope="module")
def g() -> Graph:
    return ontology_graph()


def vocabulary_terms() -> set[URIRef]:
    """Every `prefix:Name` written in backticks in the vocabulary contract."""
    text = re.sub(r"```.*?```", "", VOCABULARY.read_text(encoding="utf-8"), flags=re.S)
    terms = set()
    for span in re.findall(r"`([^`]+)`", text):
        for prefix, name in re.findall(r"\b(vnkg|org|prov|schema|foaf|skos|dcterms|time):([A-Za-z][\w-]*)", span):
            terms.add(PREFIXES[prefix][name])
    return terms


def vnkg_entities(g: Graph) -> set[URIRef]:
    """Every vnkg class, property and named individual declared in the ontology."""
    out = set()
    for kind in DECLARATIONS + (OWL.NamedIndividual,):
        out |= {s for s in g.subjects(RDF.type, kind) if isinstance(s, URIRef) and s.startswith(VNKG)}
    return out


def langs(g: Graph, s, p) -> list[str | None]:
    return [o.language for o in g.objects(s, p) if isinstance(o, Literal)]


# ---------------------------------------------------------------- Python access

def test_ontology_files_are_all_the_turtle_files_of_the_folder_sorted():
    assert [p.name for p in ONTOLOGY_FILES] == sorted(p.name for p in ONTOLOGY_FILES)
    assert {p.name for p in ONTOLOGY_FILES} >= {"vnkg.ttl", "roles.ttl", "indicators.ttl"}
    assert all(p.suffix == ".ttl" and p.is_file() for p in ONTOLOGY_FILES)


def test_the_ontology_graph_is_parsed_once_and_shared():
    assert ontology_graph() is ontology_graph()
    assert (URIRef(ONTOLOGY_IRI), RDF.type, OWL.Ontology) in ontology_graph()


def test_role_and_indicator_keys_are_the_local_names_of_the_scheme_concepts(g):
    assert role_keys() == {str(c)[len(ROLE):] for c in g.subjects(SKOS.inScheme, ROLE_SCHEME)}
    assert indicator_keys() == {str(c)[len(INDICATOR):] for c in g.subjects(SKOS.inScheme, INDICATOR_SCHEME)}
    keys = role_keys()
    keys.add("not-a-role")  # callers get their own copy
    assert "not-a-role" not in role_keys()


# ---------------------------------------------------------------- the contract

@pytest.mark.skipif(not VOCABULARY.is_file(), reason=f"the vocabulary contract is not at {VOCABULARY}")
def test_every_vnkg_term_of_the_vocabulary_is_declared(g):
    terms = vocabulary_terms()
    assert VNKG.Article in terms and VNKG.atLeast in terms  # the parser sees the contract
    missing = sorted(t for t in terms if t.startswith(VNKG) and t not in vnkg_entities(g))
    assert missing == [], f"vocabulary terms missing from the ontology: {missing}"


@pytest.mark.skipif(not VOCABULARY.is_file(), reason=f"the vocabulary contract is not at {VOCABULARY}")
def test_every_external_term_of_the_vocabulary_is_declared_with_one_owl_kind(g):
    """OWL 2 DL needs each external class or property declared, and declared once."""
    for t in sorted(t for t in vocabulary_terms() if not t.startswith(VNKG)):
        kinds = [k for k in DECLARATIONS if (t, RDF.type, k) in g]
        assert len(kinds) == 1, f"{t} is declared as {kinds}"


SUBCLASS_OF = {
    VNKG.Article: [SCHEMA.NewsArticle, PROV.Entity],
    VNKG.AdministrativeUnit: [SCHEMA.AdministrativeArea],
    **{VNKG[c]: [VNKG.AdministrativeUnit] for c in (
        "Province", "Municipality", "ProvincialCity", "Town", "District", "UrbanDistrict",
        "Township", "Commune", "Ward", "SpecialZone")},
    VNKG.PartyOrganization: [ORG.FormalOrganization],
    VNKG.PartyCommittee: [ORG.OrganizationalUnit],
    VNKG.StandingCommittee: [ORG.OrganizationalUnit],
    VNKG.StandingOffice: [ORG.OrganizationalUnit],
    VNKG.PartyDepartment: [ORG.OrganizationalUnit],
    VNKG.StateBody: [ORG.FormalOrganization],
    VNKG.Official: [FOAF.Person],
    VNKG.Role: [ORG.Role, SKOS.Concept],
    VNKG.PostHolding: [ORG.Membership],
    VNKG.Term: [TIME.ProperInterval],
    VNKG.PartyCongress: [SCHEMA.Event],
    **{VNKG[c]: [VNKG.PolicyDocument] for c in (
        "Resolution", "Directive", "Conclusion", "Decision", "Scheme", "Programme", "Plan")},
    VNKG.EconomicZone: [SCHEMA.Place],
    **{VNKG[c]: [VNKG.EconomicZone] for c in (
        "BorderGateEconomicZone", "CoastalEconomicZone", "IndustrialPark", "IndustrialCluster", "TourismArea")},
    VNKG.Target: [VNKG.IndicatorValue],
    VNKG.Achievement: [VNKG.IndicatorValue],
    VNKG.Indicator: [SKOS.Concept],
}


@pytest.mark.parametrize("cls", list(SUBCLASS_OF), ids=lambda c: c.split("#")[-1])
def test_classes_are_direct_subclasses_of_what_the_vocabulary_says(g, cls):
    for sup in SUBCLASS_OF[cls]:
        assert (cls, RDFS.subClassOf, sup) in g, f"{cls} ⊑ {sup} is missing"


def test_a_subclass_path_query_over_the_ontology_finds_instances_of_subclasses(g):
    """The exported dataset includes the ontology so that rdf:type/rdfs:subClassOf* works."""
    data = Graph()
    data += g
    data.add((URIRef("urn:x:park"), RDF.type, VNKG.IndustrialPark))
    data.add((URIRef("urn:x:committee"), RDF.type, VNKG.PartyCommittee))
    data.add((URIRef("urn:x:district"), RDF.type, VNKG.District))
    ask = "ASK { <%s> rdf:type/rdfs:subClassOf* <%s> }"
    for node, cls in (("urn:x:park", VNKG.EconomicZone), ("urn:x:park", SCHEMA.Place),
                      ("urn:x:committee", ORG.Organization), ("urn:x:district", VNKG.AdministrativeUnit),
                      ("urn:x:district", SCHEMA.Place)):
        assert data.query(ask % (node, cls)).askAnswer, f"{node} is not found as a {cls}"


EXTENSIONS = {
    VNKG.StandingOffice: OWL.Class, VNKG.Comparator: OWL.Class, VNKG.ExtractedFact: OWL.Class,
    VNKG.ProvincialLevelUnit: OWL.Class, VNKG.DistrictLevelUnit: OWL.Class, VNKG.CommuneLevelUnit: OWL.Class,
    VNKG.SpecialZone: OWL.Class,
    VNKG.evidenceStart: OWL.DatatypeProperty, VNKG.evidenceEnd: OWL.DatatypeProperty,
    VNKG.indicatorText: OWL.DatatypeProperty, VNKG.quantityText: OWL.DatatypeProperty,
    VNKG.officialCode: OWL.DatatypeProperty, VNKG.abolished: OWL.DatatypeProperty,
    VNKG.defaultUnit: OWL.DatatypeProperty, VNKG.succeededBy: OWL.ObjectProperty,
    VNKG.comparator: OWL.ObjectProperty,
}


@pytest.mark.parametrize("term", list(EXTENSIONS), ids=lambda t: t.split("#")[-1])
def test_the_extensions_the_mapping_emits_are_declared(g, term):
    assert (term, RDF.type, EXTENSIONS[term]) in g


def test_the_four_comparators_are_distinct_named_individuals(g):
    comparators = [VNKG.atLeast, VNKG.atMost, VNKG.about, VNKG.exactly]
    for c in comparators:
        assert (c, RDF.type, VNKG.Comparator) in g
    lists = [m for m in g.objects(None, OWL.distinctMembers)]
    assert any(set(Graph.items(g, lst)) == set(comparators) for lst in lists)


RANGES = {
    VNKG.startYear: XSD.gYear, VNKG.endYear: XSD.gYear, VNKG.year: XSD.gYear, VNKG.abolished: XSD.gYear,
    VNKG.attestedOn: XSD.date, VNKG.ordinal: XSD.positiveInteger, VNKG.value: XSD.decimal,
    VNKG.unit: XSD.string, VNKG.documentNumber: XSD.string, VNKG.evidence: XSD.string,
    VNKG.evidenceStart: XSD.integer, VNKG.evidenceEnd: XSD.integer, VNKG.officialCode: XSD.string,
    VNKG.partOf: VNKG.AdministrativeUnit, VNKG.locatedIn: VNKG.AdministrativeUnit,
    VNKG.jurisdiction: VNKG.AdministrativeUnit, VNKG.congressOf: VNKG.PartyOrganization,
    VNKG["term"]: VNKG.Term, VNKG.adoptedAt: VNKG.PartyCongress, VNKG.indicator: VNKG.Indicator,
    VNKG.comparator: VNKG.Comparator, VNKG.firstAttested: XSD.date, VNKG.lastAttested: XSD.date,
    VNKG.boundKind: VNKG.BoundKind, VNKG.replaces: VNKG.Tenure, VNKG.conflictsWith: VNKG.Tenure,
}


@pytest.mark.parametrize("prop", list(RANGES), ids=lambda t: t.split("#")[-1])
def test_properties_have_the_datatypes_and_classes_of_the_contract(g, prop):
    assert (prop, RDFS.range, RANGES[prop]) in g


def test_subject_and_set_by_range_over_unions(g):
    def union(prop):
        rng = g.value(prop, RDFS.range)
        return set(Graph.items(g, g.value(rng, OWL.unionOf)))
    assert union(VNKG.subject) == {VNKG.AdministrativeUnit, ORG.Organization}
    assert union(VNKG.setBy) == {VNKG.PolicyDocument, VNKG.PartyCongress}


def test_succession_links_units_of_the_reform_and_tenures_of_a_post(g):
    def union(prop, side):
        return set(Graph.items(g, g.value(g.value(prop, side), OWL.unionOf)))
    for prop in (VNKG.succeededBy, VNKG.succeeds):
        for side in (RDFS.domain, RDFS.range):
            assert union(prop, side) == {VNKG.AdministrativeUnit, VNKG.Tenure}
    assert (VNKG.succeededBy, OWL.inverseOf, VNKG.succeeds) in g
    assert (VNKG.replaces, RDFS.subPropertyOf, VNKG.succeeds) in g
    assert (VNKG.conflictsWith, RDF.type, OWL.SymmetricProperty) in g


def test_a_tenure_is_a_membership_and_its_bound_kinds_are_exactly_three(g):
    assert (VNKG.Tenure, RDFS.subClassOf, ORG.Membership) in g
    kinds = [VNKG.attested, VNKG.noLaterThan, VNKG.noEarlierThan]
    assert all((k, RDF.type, VNKG.BoundKind) in g for k in kinds)
    one_of = g.value(g.value(VNKG.BoundKind, OWL.equivalentClass), OWL.oneOf)
    assert list(Graph.items(g, one_of)) == kinds


def test_the_single_holder_roles_are_marked_in_the_role_scheme(g):
    single = {str(r)[len(str(ROLE)):] for r in g.subjects(RDF.type, VNKG.SingleHolderRole)}
    assert {"secretary", "chair", "chief", "director", "standing-deputy-secretary"} <= single
    assert not single & {"member", "deputy-secretary", "vice-chair", "alternate-member", "deputy"}


# ---------------------------------------------------------------- documentation

def test_the_ontology_header_has_title_description_license_and_version(g):
    o = URIRef(ONTOLOGY_IRI)
    for p in (DCTERMS.title, DCTERMS.description, DCTERMS.license, OWL.versionInfo):
        assert g.value(o, p) is not None, f"the ontology has no {p}"
    assert set(langs(g, o, DCTERMS.title)) >= {"en", "vi"}


def test_every_vnkg_class_property_and_individual_has_a_vietnamese_and_english_label_and_a_comment(g):
    undocumented = []
    for e in sorted(vnkg_entities(g)):
        if not ({"vi", "en"} <= set(langs(g, e, RDFS.label)) and "en" in langs(g, e, RDFS.comment)):
            undocumented.append(e)
    assert undocumented == []


def test_every_vnkg_property_has_a_domain_and_a_range(g):
    props = {s for k in PROPERTY_KINDS for s in g.subjects(RDF.type, k) if s.startswith(VNKG)}
    assert len(props) > 25
    assert sorted(p for p in props if g.value(p, RDFS.domain) is None or g.value(p, RDFS.range) is None) == []


def test_every_string_is_nfc_with_the_new_tone_placement(g):
    """"ủy", "hòa", "thủy": the tone sits on the main vowel, never "uỷ", "hoà"."""
    old_style = re.compile(r"o[àáảãạèéẻẽẹ](?![\w])|(?<![qQ])u[ỳýỷỹỵ](?![\w])", re.IGNORECASE)
    bad = []
    for lit in {o for o in g.objects() if isinstance(o, Literal)}:
        text = str(lit)
        if unicodedata.normalize("NFC", text) != text or old_style.search(text):
            bad.append(text)
    assert bad == []


# ---------------------------------------------------------------- OWL 2 DL hygiene

def test_no_iri_is_punned_between_class_and_property_kinds(g):
    for s in set(g.subjects(RDF.type, None)):
        kinds = [k for k in DECLARATIONS if (s, RDF.type, k) in g]
        assert len(kinds) <= 1, f"{s} is declared as {kinds}"


def test_every_predicate_used_is_declared_or_built_in(g):
    builtin = (str(RDF), str(RDFS), str(OWL))
    for p in set(g.predicates()):
        if not str(p).startswith(builtin):
            assert any((p, RDF.type, k) in g for k in PROPERTY_KINDS), f"{p} is used but not declared"


def test_object_properties_link_resources_and_datatype_properties_link_literals(g):
    for s, p, o in g:
        if (p, RDF.type, OWL.ObjectProperty) in g:
            assert not isinstance(o, Literal), (s, p, o)
        if (p, RDF.type, OWL.DatatypeProperty) in g:
            assert isinstance(o, Literal), (s, p, o)


def test_the_only_datatypes_outside_the_owl2_datatype_map_are_date_and_gyear(g):
    """HermiT rejects datatypes outside the OWL 2 datatype map; the contract needs xsd:date and
    xsd:gYear, so the reasoner test ignores exactly those (the SHACL shapes check their values)."""
    used = {o for o in g.objects(None, RDFS.range) if isinstance(o, URIRef) and o.startswith(str(XSD))}
    assert used - {XSD.string, XSD.decimal, XSD.integer, XSD.positiveInteger} == {XSD.date, XSD.gYear}


def test_the_schemes_do_not_list_their_concepts_back(g):
    """pyshacl deep-copies named individuals when it mixes the ontology in: a scheme pointing at
    every concept (skos:hasTopConcept) makes that copy explode. Concepts point at the scheme."""
    assert list(g.subjects(SKOS.hasTopConcept, None)) == []


@pytest.mark.skipif(shutil.which("java") is None, reason="HermiT needs Java")
def test_hermit_finds_the_ontology_consistent_with_no_unsatisfiable_class(g, tmp_path):
    owlready2 = pytest.importorskip("owlready2")
    path = tmp_path / "vnkg.nt"
    g.serialize(path, format="nt", encoding="utf-8")
    world = owlready2.World()
    world.get_ontology(path.as_uri()).load()
    # Raises OwlReadyInconsistentOntologyError when the individuals contradict the axioms.
    owlready2.sync_reasoner(world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True)
    assert list(world.inconsistent_classes()) == []
    assert len(list(world.classes())) > 40


# ---------------------------------------------------------------- concept schemes

ROLE_LABELS = {
    "secretary": "Bí thư", "deputy-secretary": "Phó Bí thư",
    "standing-deputy-secretary": "Phó Bí thư Thường trực", "chair": "Chủ tịch",
    "vice-chair": "Phó Chủ tịch", "standing-vice-chair": "Phó Chủ tịch Thường trực",
    "member": "Ủy viên", "chief": "Chủ nhiệm", "deputy-chief": "Phó Chủ nhiệm",
    "head": "Trưởng ban", "deputy-head": "Phó Trưởng ban", "chief-of-office": "Chánh Văn phòng",
    "deputy-chief-of-office": "Phó Chánh Văn phòng", "chief-justice": "Chánh án",
    "chief-procurator": "Viện trưởng", "director": "Giám đốc", "deputy-director": "Phó Giám đốc",
    "minister": "Bộ trưởng", "deputy-minister": "Thứ trưởng", "general-secretary": "Tổng Bí thư",
    "prime-minister": "Thủ tướng", "deputy-prime-minister": "Phó Thủ tướng",
    "president": "Chủ tịch nước", "head-of-delegation": "Trưởng đoàn",
    "deputy-head-of-delegation": "Phó Trưởng đoàn", "deputy": "Đại biểu",
    "commander": "Chỉ huy trưởng",
}

INDICATOR_KEYS = (
    "per-capita-income poverty-rate near-poverty-rate economic-growth production-value-growth "
    "industrial-production-value industrial-production-growth budget-revenue domestic-budget-revenue "
    "budget-expenditure import-export-turnover import-export-revenue trained-labour-rate forest-cover "
    "urbanisation-rate new-rural-communes advanced-new-rural-communes model-new-rural-communes "
    "new-rural-criteria new-enterprises new-jobs registered-investment total-social-investment "
    "agricultural-production-value agricultural-growth economic-structure-share industry-share "
    "services-share agriculture-share ocop-products ocop-participants party-members-admitted "
    "health-insurance-coverage national-standard-schools clean-water-rate tourist-arrivals "
    "tourism-revenue grdp grdp-per-capita grdp-growth investment-projects land-cleared targets-met "
    "poor-households near-poor-households hamlets-exiting-hardship communes-exiting-hardship "
    "public-investment retail-sales secondary-investors urban-standards").split()

INDICATOR_LABELS = {
    "per-capita-income": "thu nhập bình quân đầu người", "poverty-rate": "tỷ lệ hộ nghèo",
    "economic-growth": "tốc độ tăng trưởng kinh tế", "budget-revenue": "thu ngân sách nhà nước",
    "import-export-turnover": "kim ngạch xuất nhập khẩu",
    "trained-labour-rate": "tỷ lệ lao động qua đào tạo", "forest-cover": "tỷ lệ che phủ rừng",
    "urbanisation-rate": "tỷ lệ đô thị hóa", "new-rural-communes": "số xã đạt chuẩn nông thôn mới",
}


@pytest.mark.parametrize("key", sorted(ROLE_LABELS))
def test_each_role_has_the_bare_vietnamese_role_as_its_preferred_label(g, key):
    """Evaluation matches posts on the Vietnamese prefLabel: it must be exactly the bare role."""
    c = ROLE[key]
    assert (c, RDF.type, VNKG.Role) in g
    assert [str(o) for o in g.objects(c, SKOS.prefLabel) if o.language == "vi"] == [ROLE_LABELS[key]]


@pytest.mark.parametrize("key", INDICATOR_KEYS)
def test_each_required_indicator_is_in_the_indicator_scheme(g, key):
    c = INDICATOR[key]
    assert (c, RDF.type, VNKG.Indicator) in g
    assert (c, SKOS.inScheme, INDICATOR_SCHEME) in g
    if key in INDICATOR_LABELS:
        assert Literal(INDICATOR_LABELS[key], lang="vi") in set(g.objects(c, SKOS.prefLabel))


@pytest.mark.parametrize("scheme,cls", [(ROLE_SCHEME, VNKG.Role), (INDICATOR_SCHEME, VNKG.Indicator)],
                         ids=["roles", "indicators"])
def test_every_concept_has_one_preferred_label_per_language_a_definition_and_its_scheme(g, scheme, cls):
    assert (scheme, RDF.type, SKOS.ConceptScheme) in g
    assert set(langs(g, scheme, SKOS.prefLabel)) == {"vi", "en"}
    concepts = set(g.subjects(SKOS.inScheme, scheme))
    assert concepts == set(g.subjects(RDF.type, cls))
    for c in concepts:
        assert sorted(langs(g, c, SKOS.prefLabel)) == ["en", "vi"], c
        assert "en" in langs(g, c, SKOS.definition), c
        assert (c, SKOS.topConceptOf, scheme) in g, c
        assert all(lang in ("vi", "en") for lang in langs(g, c, SKOS.altLabel)), c


@pytest.mark.parametrize("scheme", [ROLE_SCHEME, INDICATOR_SCHEME], ids=["roles", "indicators"])
def test_no_vietnamese_label_names_two_concepts_of_a_scheme(g, scheme):
    """Extraction looks concepts up by label: a label must lead to one concept."""
    seen: dict[str, URIRef] = {}
    for c in g.subjects(SKOS.inScheme, scheme):
        for p in (SKOS.prefLabel, SKOS.altLabel):
            for lbl in g.objects(c, p):
                if lbl.language == "vi":
                    key = str(lbl).casefold()
                    assert seen.setdefault(key, c) == c, f"{lbl!r} names {c} and {seen[key]}"


def test_default_units_are_unit_codes(g):
    unit = re.compile(r"^(%|VND|USD|count|ha|km|tonne)(/person/year)?$")
    for c, u in g.subject_objects(VNKG.defaultUnit):
        assert unit.match(str(u)), (c, u)
    assert len(set(g.subjects(VNKG.defaultUnit, None))) == len(indicator_keys())
