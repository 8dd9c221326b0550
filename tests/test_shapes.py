"""Specification of the SHACL shapes (shapes/vnkg.ttl).

A small article graph that follows every rule conforms; each rule is then broken, one at a
time, in a copy of that graph, and the validation report must point at the node and the
property at fault, with a message a user understands. Graphs are validated the way the
project does it: ontology mixed in, no inference.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import pyshacl
import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ontology import ontology_graph
from shapes import SHAPES_FILE, shapes_graph

SH = Namespace("http://www.w3.org/ns/shacl#")
VNKG = Namespace("https://w3id.org/vnkg/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
DCTERMS = Namespace("http://purl.org/dc/terms/")
BASE = "https://w3id.org/vnkg/id/"

# A well-formed article graph: every class of the contract, every node it references typed and
# labelled, except the curated role and indicator concepts and the comparators (from the ontology).
VALID = """\
@prefix vnkg:    <https://w3id.org/vnkg/ontology#> .
@prefix role:    <https://w3id.org/vnkg/ontology/role/> .
@prefix indicator: <https://w3id.org/vnkg/ontology/indicator/> .
@prefix org:     <http://www.w3.org/ns/org#> .
@prefix prov:    <http://www.w3.org/ns/prov#> .
@prefix schema:  <https://schema.org/> .
@prefix foaf:    <http://xmlns.com/foaf/0.1/> .
@prefix skos:    <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs:    <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:     <http://www.w3.org/2001/XMLSchema#> .
@prefix time:    <http://www.w3.org/2006/time#> .
@base <https://w3id.org/vnkg/id/> .

<article/test-001> a vnkg:Article ;
    dcterms:identifier "test-001" ;
    dcterms:title "Huyện ven biển bứt phá"@vi ;
    dcterms:issued "2019-12-17"^^xsd:date ;
    dcterms:publisher "Báo Thử nghiệm" ;
    dcterms:creator "Phóng viên A" ;
    schema:url <https://example.org/bai-viet/1> ;
    schema:mentions <place/quang-ninh> , <place/quang-ninh/hai-ha> , <org/quang-ninh/hai-ha/dang-bo> ,
        <org/quang-ninh/hai-ha/huyen-uy> , <org/quang-ninh/hai-ha/ban-thuong-vu> ,
        <person/quang-ninh/tran-van-a> , <term/2020-2025> , <congress/quang-ninh/hai-ha/dang-bo/22> ,
        <document/quang-ninh/resolution/05-nq-hu> , <zone/quang-ninh/khu-cong-nghiep-thu-nghiem> .

<place/quang-ninh> a vnkg:Province ;
    rdfs:label "tỉnh Quảng Ninh"@vi ;
    vnkg:officialCode "22" .

<place/quang-ninh/hai-ha> a vnkg:District ;
    rdfs:label "huyện Hải Hà"@vi ;
    skos:altLabel "Hải Hà"@vi ;
    vnkg:partOf <place/quang-ninh> ;
    vnkg:officialCode "202" ;
    vnkg:abolished "2025"^^xsd:gYear .

<org/quang-ninh/hai-ha/dang-bo> a vnkg:PartyOrganization ;
    rdfs:label "Đảng bộ huyện Hải Hà"@vi ;
    vnkg:jurisdiction <place/quang-ninh/hai-ha> .

<org/quang-ninh/hai-ha/huyen-uy> a vnkg:PartyCommittee ;
    rdfs:label "Huyện ủy Hải Hà"@vi ;
    skos:altLabel "Ban Chấp hành Đảng bộ huyện Hải Hà"@vi ;
    org:unitOf <org/quang-ninh/hai-ha/dang-bo> ;
    vnkg:jurisdiction <place/quang-ninh/hai-ha> .

<org/quang-ninh/hai-ha/ban-thuong-vu> a vnkg:StandingCommittee ;
    rdfs:label "Ban Thường vụ Huyện ủy Hải Hà"@vi ;
    org:unitOf <org/quang-ninh/hai-ha/huyen-uy> ;
    vnkg:jurisdiction <place/quang-ninh/hai-ha> .

<person/quang-ninh/tran-van-a> a vnkg:Official ;
    foaf:name "Trần Văn A" ;
    rdfs:label "Trần Văn A" .

<term/2020-2025> a vnkg:Term ;
    rdfs:label "2020-2025" ;
    vnkg:startYear "2020"^^xsd:gYear ;
    vnkg:endYear "2025"^^xsd:gYear .

<post/test-001/tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy> a vnkg:PostHolding ;
    org:member <person/quang-ninh/tran-van-a> ;
    org:role role:secretary ;
    org:organization <org/quang-ninh/hai-ha/huyen-uy> ;
    org:memberDuring <term/2020-2025> ;
    vnkg:attestedOn "2019-12-17"^^xsd:date ;
    vnkg:postStatus vnkg:holds ;
    prov:wasDerivedFrom <article/test-001> ;
    vnkg:evidence "Bí thư Huyện ủy Trần Văn A phát biểu tại hội nghị." ;
    vnkg:evidenceStart 120 ;
    vnkg:evidenceEnd 170 .

<discipline/test-001/tran-van-a/canh-cao> a vnkg:DisciplinaryAction ;
    vnkg:disciplined <person/quang-ninh/tran-van-a> ;
    vnkg:measure <https://w3id.org/vnkg/ontology/measure/canh-cao> ;
    vnkg:decidedBy <org/quang-ninh/hai-ha/ban-thuong-vu> ;
    vnkg:attestedOn "2019-12-17"^^xsd:date ;
    prov:wasDerivedFrom <article/test-001> ;
    vnkg:evidence "Ban Thường vụ Huyện ủy quyết định thi hành kỷ luật cảnh cáo đồng chí Trần Văn A." ;
    vnkg:evidenceStart 180 ;
    vnkg:evidenceEnd 260 .

<congress/quang-ninh/hai-ha/dang-bo/22> a vnkg:PartyCongress ;
    rdfs:label "Đại hội Đảng bộ huyện Hải Hà lần thứ XXII"@vi ;
    vnkg:congressOf <org/quang-ninh/hai-ha/dang-bo> ;
    vnkg:ordinal "22"^^xsd:positiveInteger ;
    vnkg:term <term/2020-2025> .

<document/quang-ninh/resolution/05-nq-hu> a vnkg:Resolution ;
    rdfs:label "Nghị quyết số 05-NQ/HU"@vi ;
    vnkg:documentNumber "05-NQ/HU" ;
    dcterms:issued "2020-03-02"^^xsd:date ;
    vnkg:issuedBy <org/quang-ninh/hai-ha/huyen-uy> ;
    vnkg:adoptedAt <congress/quang-ninh/hai-ha/dang-bo/22> .

<zone/quang-ninh/khu-cong-nghiep-thu-nghiem> a vnkg:IndustrialPark ;
    rdfs:label "Khu công nghiệp Thử Nghiệm"@vi ;
    skos:altLabel "KCN Thử Nghiệm"@vi ;
    vnkg:locatedIn <place/quang-ninh/hai-ha> .

<figure/test-001/400> a vnkg:Target ;
    vnkg:indicator indicator:per-capita-income ;
    vnkg:value 5000.0 ;
    vnkg:unit "USD/person/year" ;
    vnkg:comparator vnkg:atLeast ;
    vnkg:year "2025"^^xsd:gYear ;
    vnkg:subject <place/quang-ninh/hai-ha> ;
    vnkg:setBy <document/quang-ninh/resolution/05-nq-hu> ;
    vnkg:indicatorText "thu nhập bình quân đầu người"@vi ;
    vnkg:quantityText "5.000 USD/người/năm" ;
    prov:wasDerivedFrom <article/test-001> ;
    vnkg:evidence "Phấn đấu đến năm 2025 thu nhập bình quân đầu người đạt trên 5.000 USD/người/năm." ;
    vnkg:evidenceStart 380 ;
    vnkg:evidenceEnd 460 .

<figure/test-001/520> a vnkg:Achievement ;
    vnkg:indicator <indicator/so-cau-cang-moi> ;
    vnkg:value 3.0 ;
    vnkg:unit "count" ;
    vnkg:comparator vnkg:exactly ;
    vnkg:year "2019"^^xsd:gYear ;
    vnkg:subject <org/quang-ninh/hai-ha/huyen-uy> ;
    vnkg:indicatorText "số cầu cảng mới"@vi ;
    vnkg:quantityText "3" ;
    prov:wasDerivedFrom <article/test-001> ;
    vnkg:evidence "Trong năm, huyện đưa vào sử dụng 3 cầu cảng mới." ;
    vnkg:evidenceStart 500 ;
    vnkg:evidenceEnd 548 .

<indicator/so-cau-cang-moi> a vnkg:Indicator ;
    skos:prefLabel "số cầu cảng mới"@vi ;
    skos:inScheme <https://w3id.org/vnkg/ontology/indicator/scheme> .
"""

PREFIXES = f"""BASE <{BASE}>
PREFIX vnkg: <https://w3id.org/vnkg/ontology#>
PREFIX role: <https://w3id.org/vnkg/ontology/role/>
PREFIX indicator: <https://w3id.org/vnkg/ontology/indicator/>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX time: <http://www.w3.org/2006/time#>
"""

# The nodes of VALID, as SPARQL terms relative to BASE.
ARTICLE = "<article/test-001>"
PROVINCE = "<place/quang-ninh>"
DISTRICT = "<place/quang-ninh/hai-ha>"
PARTY_ORG = "<org/quang-ninh/hai-ha/dang-bo>"
COMMITTEE = "<org/quang-ninh/hai-ha/huyen-uy>"
STANDING = "<org/quang-ninh/hai-ha/ban-thuong-vu>"
OFFICIAL = "<person/quang-ninh/tran-van-a>"
TERM = "<term/2020-2025>"
POST = "<post/test-001/tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy>"
DISCIPLINE = "<discipline/test-001/tran-van-a/canh-cao>"
CONGRESS = "<congress/quang-ninh/hai-ha/dang-bo/22>"
RESOLUTION = "<document/quang-ninh/resolution/05-nq-hu>"
ZONE = "<zone/quang-ninh/khu-cong-nghiep-thu-nghiem>"
TARGET = "<figure/test-001/400>"
ACHIEVEMENT = "<figure/test-001/520>"
FALLBACK = "<indicator/so-cau-cang-moi>"
TENURE = "<tenure/quang-ninh.tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy>"
TENURE_END = "<tenure/quang-ninh.tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy/end>"
TIME = Namespace("http://www.w3.org/2006/time#")
# A tenure over the post of VALID, as the tenures graph holds it (validated with the article's graph).
WITH_TENURE = """INSERT DATA {
<tenure/quang-ninh.tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy> a vnkg:Tenure ;
    org:member <person/quang-ninh/tran-van-a> ;
    org:role role:secretary ;
    org:organization <org/quang-ninh/hai-ha/huyen-uy> ;
    org:memberDuring <term/2020-2025> ;
    prov:wasDerivedFrom <post/test-001/tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy> ;
    prov:wasInfluencedBy <article/test-001> ;
    vnkg:firstAttested "2019-12-17"^^xsd:date ;
    vnkg:lastAttested "2019-12-17"^^xsd:date ;
    time:hasBeginning <tenure/quang-ninh.tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy/beginning> ;
    time:hasEnd <tenure/quang-ninh.tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy/end> .

<tenure/quang-ninh.tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy/beginning> a time:Instant ;
    time:inXSDDate "2019-12-17"^^xsd:date ;
    vnkg:boundKind vnkg:noLaterThan ;
    prov:wasDerivedFrom <post/test-001/tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy> .

<tenure/quang-ninh.tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy/end> a time:Instant ;
    time:inXSDDate "2019-12-17"^^xsd:date ;
    vnkg:boundKind vnkg:noEarlierThan ;
    prov:wasDerivedFrom <post/test-001/tran-van-a/secretary/quang-ninh.hai-ha.huyen-uy> .
}"""


def iri(node: str) -> URIRef:
    return URIRef(BASE + node.strip("<>"))


def drop(s: str, p: str) -> str:
    return f"DELETE WHERE {{ {s} {p} ?o }}"


def put(s: str, p: str, o: str) -> str:
    """Replace every value of s p by o."""
    return f"DELETE {{ {s} {p} ?o }} INSERT {{ {s} {p} {o} }} WHERE {{ OPTIONAL {{ {s} {p} ?o }} }}"


def add(s: str, p: str, o: str) -> str:
    return f"INSERT DATA {{ {s} {p} {o} }}"


@dataclass(frozen=True)
class Result:
    focus: URIRef
    path: URIRef | None
    messages: tuple[str, ...]


def validate(data: Graph) -> tuple[bool, list[Result]]:
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(),
                                           inference="none", advanced=True)
    results = [Result(report.value(r, SH.focusNode), report.value(r, SH.resultPath),
                      tuple(str(m) for m in report.objects(r, SH.resultMessage)))
               for r in report.subjects(RDF.type, SH.ValidationResult)]
    return conforms, results


@pytest.fixture(scope="module")
def valid() -> Graph:
    return Graph().parse(data=VALID, format="turtle", publicID=BASE)


def broken(valid: Graph, *updates: str) -> Graph:
    g = Graph()
    g += valid
    for u in updates:
        g.update(PREFIXES + u)
    return g


# ---------------------------------------------------------------- the valid graph

def test_shapes_file_is_the_turtle_beside_the_package_and_is_parsed_once():
    assert SHAPES_FILE.name == "vnkg.ttl" and SHAPES_FILE.is_file()
    assert shapes_graph() is shapes_graph()


def test_every_shape_has_a_message():
    g = shapes_graph()
    shapes = set(g.subjects(SH.path, None)) | {s for s in g.subjects(RDF.type, SH.NodeShape)
                                               if (s, SH.property, None) not in g}
    shapes |= set(g.objects(None, SH.sparql))
    # value shapes nested in sh:or/sh:xone/sh:qualifiedValueShape report through their parent
    nested = set(g.objects(None, SH.qualifiedValueShape))
    for lst in list(g.objects(None, SH["or"])) + list(g.objects(None, SH.xone)):
        nested |= set(Graph.items(g, lst))
    for s in shapes - nested:
        assert g.value(s, SH.message) is not None, f"shape {s} has no sh:message"


def test_a_well_formed_article_graph_conforms(valid):
    conforms, results = validate(valid)
    assert conforms, results


def test_the_graph_with_a_tenure_over_its_post_conforms(valid):
    conforms, results = validate(broken(valid, WITH_TENURE))
    assert conforms, results


def test_validating_an_article_graph_takes_well_under_a_second(valid):
    validate(valid)  # warm caches (shapes parsed, pyshacl imported)
    best = float("inf")
    for _ in range(2):
        t = time.perf_counter()
        validate(valid)
        best = min(best, time.perf_counter() - t)
    assert best < 1.0, f"validation took {best:.2f} s"


def test_the_article_graph_relies_on_the_ontology_for_curated_concepts(valid):
    """Without the ontology mixed in, role:secretary is not known to be a vnkg:Role."""
    conforms, _, _ = pyshacl.validate(valid, shacl_graph=shapes_graph(), inference="none", advanced=True)
    assert not conforms


def test_a_store_merging_articles_that_saw_one_unit_at_two_levels_of_a_tier_conforms(valid):
    """A district upgraded to a town keeps its IRI: a later article types and labels it anew,
    and spells a document number differently. The merged store still conforms."""
    store = broken(valid,
                   add(DISTRICT, "a", "vnkg:Town"),
                   add(DISTRICT, "rdfs:label", '"thị xã Hải Hà"@vi'),
                   add(RESOLUTION, "vnkg:documentNumber", '"05/NQ-HU"'),
                   add(OFFICIAL, "foaf:name", '"Trần văn A"'))
    conforms, results = validate(store)
    assert conforms, results


# ---------------------------------------------------------------- each rule, broken

@dataclass(frozen=True)
class Case:
    rule: str
    updates: tuple[str, ...]
    focus: str
    path: URIRef | None
    words: tuple[str, ...]


CASES = [
    # provenance and evidence
    Case("a post holding names exactly one source article",
         (drop(POST, "prov:wasDerivedFrom"),), POST, PROV.wasDerivedFrom,
         ("post holding", "prov:wasDerivedFrom", "vnkg:Article")),
    Case("a figure names exactly one source article",
         (drop(TARGET, "prov:wasDerivedFrom"),), TARGET, PROV.wasDerivedFrom,
         ("figure", "prov:wasDerivedFrom", "vnkg:Article")),
    Case("the source of a post holding is an article, not a place",
         (put(POST, "prov:wasDerivedFrom", DISTRICT),), POST, PROV.wasDerivedFrom, ("vnkg:Article",)),
    Case("a post holding is not derived from two articles",
         (add("<article/test-002>", "a", "vnkg:Article"),
          add("<article/test-002>", "dcterms:identifier", '"test-002"'),
          add(POST, "prov:wasDerivedFrom", "<article/test-002>")),
         POST, PROV.wasDerivedFrom, ("exactly one",)),
    Case("a post holding carries the sentence it was read from",
         (drop(POST, "vnkg:evidence"),), POST, VNKG.evidence, ("post holding", "vnkg:evidence", "sentence")),
    Case("a figure carries the sentence it was read from",
         (drop(ACHIEVEMENT, "vnkg:evidence"),), ACHIEVEMENT, VNKG.evidence, ("figure", "vnkg:evidence")),
    Case("evidence is not an empty string",
         (put(TARGET, "vnkg:evidence", '""'),), TARGET, VNKG.evidence, ("non-empty",)),
    Case("the evidence starts before it ends",
         (put(POST, "vnkg:evidenceStart", "500"),), POST, VNKG.evidenceStart, ("vnkg:evidenceEnd", "less than")),
    # datatypes
    Case("a figure's value is an xsd:decimal, not an xsd:integer",
         (put(TARGET, "vnkg:value", "5000"),), TARGET, VNKG.value, ("vnkg:value", "xsd:decimal")),
    Case("a post holding is attested on an xsd:date",
         (put(POST, "vnkg:attestedOn", '"17/12/2019"'),), POST, VNKG.attestedOn, ("vnkg:attestedOn", "xsd:date")),
    Case("a figure's year is an xsd:gYear, not an integer",
         (put(TARGET, "vnkg:year", "2025"),), TARGET, VNKG.year, ("vnkg:year", "xsd:gYear")),
    Case("a year has four digits",
         (put(ACHIEVEMENT, "vnkg:year", '"19"^^xsd:gYear'),), ACHIEVEMENT, VNKG.year, ("vnkg:year",)),
    Case("a document number is a string as written",
         (put(RESOLUTION, "vnkg:documentNumber", "5"),), RESOLUTION, VNKG.documentNumber,
         ("vnkg:documentNumber", "string")),
    Case("an article is issued on an xsd:date or xsd:dateTime",
         (put(ARTICLE, "dcterms:issued", '"17-12-2019"'),), ARTICLE, DCTERMS.issued, ("dcterms:issued", "xsd:date")),
    Case("an article's url is an IRI, not a string",
         (put(ARTICLE, "schema:url", '"https://example.org/bai-viet/1"'),), ARTICLE, SCHEMA.url,
         ("schema:url", "IRI")),
    Case("an official's foaf:name is a plain string",
         (put(OFFICIAL, "foaf:name", '"Trần Văn A"@vi'),), OFFICIAL, FOAF.name, ("official", "foaf:name")),
    # ordinals
    # (xsd:integer is accepted too: Oxigraph stores xsd:positiveInteger values as xsd:integer)
    Case("a congress ordinal is an integer, not a string",
         (put(CONGRESS, "vnkg:ordinal", '"22"'),), CONGRESS, VNKG.ordinal, ("vnkg:ordinal", "positive integer")),
    Case("a congress ordinal is an integer, not a decimal",
         (put(CONGRESS, "vnkg:ordinal", "22.0"),), CONGRESS, VNKG.ordinal, ("vnkg:ordinal", "positive integer")),
    Case("a congress ordinal is positive",
         (put(CONGRESS, "vnkg:ordinal", '"0"^^xsd:positiveInteger'),), CONGRESS, VNKG.ordinal,
         ("Party congress", "vnkg:ordinal", "positive")),
    # cardinalities
    Case("an article has exactly one identifier",
         (add(ARTICLE, "dcterms:identifier", '"test-001-bis"'),), ARTICLE, DCTERMS.identifier,
         ("article", "exactly one dcterms:identifier")),
    Case("an article has an identifier",
         (drop(ARTICLE, "dcterms:identifier"),), ARTICLE, DCTERMS.identifier, ("dcterms:identifier",)),
    Case("a post holding has a role",
         (drop(POST, "org:role"),), POST, ORG.role, ("post holding", "org:role")),
    Case("a congress belongs to a Party organisation",
         (drop(CONGRESS, "vnkg:congressOf"),), CONGRESS, VNKG.congressOf, ("Party congress", "vnkg:congressOf")),
    Case("an official has a name",
         (drop(OFFICIAL, "foaf:name"),), OFFICIAL, FOAF.name, ("official", "foaf:name")),
    # classes of objects
    Case("the member of a post holding is an official",
         (put(POST, "org:member", COMMITTEE),), POST, ORG.member, ("org:member", "vnkg:Official")),
    Case("the organisation of a post holding is a body",
         (put(POST, "org:organization", OFFICIAL),), POST, ORG.organization, ("org:organization", "org:Organization")),
    Case("the role of a post holding is a role of the scheme, not an indicator",
         (put(POST, "org:role", "indicator:poverty-rate"),), POST, ORG.role, ("org:role", "vnkg:Role")),
    Case("the role of a post holding is a known role",
         (put(POST, "org:role", "role:emperor"),), POST, ORG.role, ("org:role", "vnkg:Role")),
    Case("what a figure measures is an indicator",
         (put(TARGET, "vnkg:indicator", "role:secretary"),), TARGET, VNKG.indicator, ("vnkg:indicator", "vnkg:Indicator")),
    Case("a unit is part of a unit, not of a zone",
         (put(DISTRICT, "vnkg:partOf", ZONE),), DISTRICT, VNKG.partOf, ("vnkg:partOf", "vnkg:AdministrativeUnit")),
    Case("a zone is located in a unit, not in a body",
         (put(ZONE, "vnkg:locatedIn", COMMITTEE),), ZONE, VNKG.locatedIn, ("vnkg:locatedIn", "vnkg:AdministrativeUnit")),
    Case("a congress is the congress of a Party organisation, not of its committee",
         (put(CONGRESS, "vnkg:congressOf", COMMITTEE),), CONGRESS, VNKG.congressOf, ("vnkg:PartyOrganization",)),
    Case("a standing committee is a unit of a Party committee",
         (put(STANDING, "org:unitOf", PARTY_ORG),), STANDING, ORG.unitOf, ("org:unitOf", "vnkg:PartyCommittee")),
    Case("a body's jurisdiction is an administrative unit",
         (put(COMMITTEE, "vnkg:jurisdiction", ZONE),), COMMITTEE, VNKG.jurisdiction, ("vnkg:jurisdiction",)),
    Case("a figure is about a place or a body",
         (put(TARGET, "vnkg:subject", OFFICIAL),), TARGET, VNKG.subject, ("vnkg:subject", "vnkg:AdministrativeUnit")),
    Case("a target is set by a document or a congress",
         (put(TARGET, "vnkg:setBy", TERM),), TARGET, VNKG.setBy, ("vnkg:setBy", "vnkg:PolicyDocument", "vnkg:PartyCongress")),
    Case("an achievement is not set by anything",
         (add(ACHIEVEMENT, "vnkg:setBy", RESOLUTION),), ACHIEVEMENT, VNKG.setBy, ("achievement", "vnkg:setBy")),
    Case("what an article mentions is typed in the article graph",
         (add(ARTICLE, "schema:mentions", "<person/nobody>"),), ARTICLE, SCHEMA.mentions, ("schema:mentions", "rdf:type")),
    # units and comparators
    Case("a unit is a unit code, not the words of the article",
         (put(TARGET, "vnkg:unit", '"USD/người/năm"'),), TARGET, VNKG.unit, ("vnkg:unit", "/person/year")),
    Case("a unit code is one of the known codes",
         (put(ACHIEVEMENT, "vnkg:unit", '"tỷ đồng"'),), ACHIEVEMENT, VNKG.unit, ("vnkg:unit", "VND")),
    Case("a comparator is one of the four comparators",
         (put(TARGET, "vnkg:comparator", "vnkg:roughly"),), TARGET, VNKG.comparator,
         ("vnkg:comparator", "vnkg:atLeast", "vnkg:exactly")),
    Case("a comparator is an individual, not a string",
         (put(TARGET, "vnkg:comparator", '"atLeast"'),), TARGET, VNKG.comparator, ("vnkg:comparator",)),
    Case("a figure has a comparator",
         (drop(ACHIEVEMENT, "vnkg:comparator"),), ACHIEVEMENT, VNKG.comparator, ("vnkg:comparator",)),
    # terms
    Case("a term is labelled YYYY-YYYY",
         (put(TERM, "rdfs:label", '"2020 - 2025"'),), TERM, RDFS.label, ("term", "YYYY-YYYY")),
    Case("a term's label is its own years",
         (put(TERM, "rdfs:label", '"2015-2020"'),), TERM, RDFS.label, ("term", "2020-2025")),
    Case("a term ends after it starts",
         (put(TERM, "vnkg:startYear", '"2025"^^xsd:gYear'), put(TERM, "vnkg:endYear", '"2020"^^xsd:gYear'),
          put(TERM, "rdfs:label", '"2025-2020"')),
         TERM, VNKG.startYear, ("end year", "after", "vnkg:startYear")),
    Case("a term has a start year",
         (drop(TERM, "vnkg:startYear"),), TERM, VNKG.startYear, ("vnkg:startYear",)),
    # Vietnamese labels
    Case("a body's label is a Vietnamese language string",
         (put(COMMITTEE, "rdfs:label", '"Huyện ủy Hải Hà"'),), COMMITTEE, RDFS.label, ("rdfs:label", "@vi")),
    Case("a unit has a Vietnamese label, not only an English one",
         (put(DISTRICT, "rdfs:label", '"Hai Ha district"@en'),), DISTRICT, RDFS.label,
         ("administrative unit", "rdfs:label", "@vi")),
    Case("a zone's labels are Vietnamese or English",
         (add(ZONE, "rdfs:label", '"Zone industrielle"@fr'),), ZONE, RDFS.label, ("economic zone", "@vi")),
    Case("a document has a Vietnamese label",
         (drop(RESOLUTION, "rdfs:label"),), RESOLUTION, RDFS.label, ("policy document", "@vi")),
    Case("a congress has a Vietnamese label",
         (put(CONGRESS, "rdfs:label", '"Congress"@en'),), CONGRESS, RDFS.label, ("Party congress", "@vi")),
    Case("a fallback indicator has a Vietnamese preferred label",
         (put(FALLBACK, "skos:prefLabel", '"số cầu cảng mới"'),), FALLBACK, SKOS.prefLabel, ("indicator", "@vi")),
    Case("a fallback indicator is in the indicator scheme",
         (drop(FALLBACK, "skos:inScheme"),), FALLBACK, SKOS.inScheme, ("indicator", "skos:inScheme")),
    # disjoint and required types
    Case("a figure is not both a target and an achievement",
         (add(TARGET, "a", "vnkg:Achievement"),), TARGET, RDF.type, ("vnkg:Target", "vnkg:Achievement", "not both")),
    Case("a figure is a target or an achievement",
         (put(ACHIEVEMENT, "a", "vnkg:IndicatorValue"),), ACHIEVEMENT, RDF.type, ("vnkg:Target", "vnkg:Achievement")),
    Case("a document has one document type",
         (add(RESOLUTION, "a", "vnkg:Directive"),), RESOLUTION, RDF.type, ("exactly one", "vnkg:Resolution")),
    Case("a unit has a level",
         (put(DISTRICT, "a", "vnkg:AdministrativeUnit"),), DISTRICT, RDF.type, ("level", "vnkg:District")),
    Case("a unit is of one tier only",
         (add(DISTRICT, "a", "vnkg:Commune"),), DISTRICT, None, ("district-level unit", "commune-level")),
    Case("a province is not a commune",
         (add(PROVINCE, "a", "vnkg:Ward"),), PROVINCE, None, ("provincial-level unit", "commune-level")),
    Case("a body has one kind",
         (add(COMMITTEE, "a", "vnkg:StateBody"),), COMMITTEE, RDF.type, ("vnkg:PartyCommittee", "vnkg:StateBody")),
    Case("a zone has at most one zone type",
         (add(ZONE, "a", "vnkg:IndustrialCluster"),), ZONE, RDF.type, ("economic zone", "vnkg:IndustrialPark")),
    # post status
    Case("a post holding has a status",
         (drop(POST, "vnkg:postStatus"),), POST, VNKG.postStatus, ("post holding", "exactly one", "vnkg:holds")),
    Case("a post status is one of the four",
         (put(POST, "vnkg:postStatus", "vnkg:atLeast"),), POST, VNKG.postStatus, ("vnkg:starts", "vnkg:former")),
    Case("a post holding has one status",
         (add(POST, "vnkg:postStatus", "vnkg:ends"),), POST, VNKG.postStatus, ("exactly one",)),
    # discipline
    Case("a disciplinary action names the official",
         (drop(DISCIPLINE, "vnkg:disciplined"),), DISCIPLINE, VNKG.disciplined, ("disciplinary action", "vnkg:Official")),
    Case("a disciplinary measure is a concept of the measure scheme",
         (put(DISCIPLINE, "vnkg:measure", "role:secretary"),), DISCIPLINE, VNKG.measure,
         ("vnkg:measure", "vnkg:DisciplinaryMeasure")),
    Case("a disciplinary action has a measure",
         (drop(DISCIPLINE, "vnkg:measure"),), DISCIPLINE, VNKG.measure, ("exactly one", "vnkg:measure")),
    Case("a disciplinary action is decided by a body, not a place",
         (put(DISCIPLINE, "vnkg:decidedBy", DISTRICT),), DISCIPLINE, VNKG.decidedBy, ("org:Organization",)),
    Case("a disciplinary action names its source article",
         (drop(DISCIPLINE, "prov:wasDerivedFrom"),), DISCIPLINE, PROV.wasDerivedFrom,
         ("disciplinary action", "vnkg:Article")),
    Case("a disciplinary action carries its sentence",
         (drop(DISCIPLINE, "vnkg:evidence"),), DISCIPLINE, VNKG.evidence, ("disciplinary action", "vnkg:evidence")),
    # tenures
    Case("a tenure rests on its readings",
         (WITH_TENURE, drop(TENURE, "prov:wasDerivedFrom"),), TENURE, PROV.wasDerivedFrom, ("tenure", "prov:wasDerivedFrom")),
    Case("a tenure names the articles of its readings",
         (WITH_TENURE, put(TENURE, "prov:wasInfluencedBy", DISTRICT)), TENURE, URIRef(str(PROV) + "wasInfluencedBy"),
         ("tenure", "prov:wasInfluencedBy", "vnkg:Article")),
    Case("a tenure rests on post readings, not on articles",
         (WITH_TENURE, put(TENURE, "prov:wasDerivedFrom", ARTICLE),), TENURE, PROV.wasDerivedFrom, ("vnkg:PostHolding",)),
    Case("a tenure has one official",
         (WITH_TENURE, add(TENURE, "org:member", "<person/quang-ninh/tran-van-b>"),
          add("<person/quang-ninh/tran-van-b>", "a", "vnkg:Official")), TENURE, ORG.member,
         ("tenure", "exactly one org:member")),
    Case("the end of a tenure says what kind of bound it is",
         (WITH_TENURE, put(TENURE_END, "vnkg:boundKind", "vnkg:holds"),), TENURE, TIME.hasEnd, ("time:hasEnd", "vnkg:boundKind")),
    Case("the end of a tenure has a date",
         (WITH_TENURE, drop(TENURE_END, "time:inXSDDate"),), TENURE, TIME.hasEnd, ("time:hasEnd", "time:inXSDDate")),
    Case("a tenure is first attested no later than it is last attested",
         (WITH_TENURE, put(TENURE, "vnkg:firstAttested", '"2020-01-01"^^xsd:date'),), TENURE, VNKG.firstAttested,
         ("vnkg:firstAttested", "no later than")),
    Case("a tenure does not end before it is last attested",
         (WITH_TENURE, put(TENURE_END, "time:inXSDDate", '"2019-01-01"^^xsd:date'),), TENURE, None, ("in order", "the end")),
    Case("a tenure succeeds a tenure, not an official",
         (WITH_TENURE, add(TENURE, "vnkg:succeeds", OFFICIAL),), TENURE, VNKG.succeeds, ("vnkg:Tenure",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.rule.replace(" ", "_") for c in CASES])
def test_a_graph_breaking_the_rule_does_not_conform(valid, case):
    conforms, results = validate(broken(valid, *case.updates))
    assert not conforms, f"rule not enforced: {case.rule}"
    focus = iri(case.focus)
    at_node = [r for r in results if r.focus == focus and r.path == case.path]
    assert at_node, f"no result at {focus} {case.path}; got {[(r.focus, r.path) for r in results]}"
    assert any(all(w.lower() in m.lower() for w in case.words) for r in at_node for m in r.messages), (
        f"no message with {case.words}: {[m for r in at_node for m in r.messages]}")
