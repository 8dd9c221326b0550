"""The namespaces of the graph, in one place (prefixes as in the vocabulary contract)."""
from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

VNKG = Namespace("https://w3id.org/vnkg/ontology#")
# Reference concepts published with the ontology (SKOS concept schemes).
ROLE = Namespace("https://w3id.org/vnkg/ontology/role/")
INDICATOR = Namespace("https://w3id.org/vnkg/ontology/indicator/")
MEASURE = Namespace("https://w3id.org/vnkg/ontology/measure/")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")

ONTOLOGY_GRAPH = "https://w3id.org/vnkg/graph/ontology"
REFERENCE_GRAPH = "https://w3id.org/vnkg/graph/reference"
# Descriptions of things shared by articles (officials, bodies, terms, ...), each triple once.
ENTITIES_GRAPH = "https://w3id.org/vnkg/graph/entities"
# Tenures derived from the post readings of all articles (kg/tenures.py), recomputed on ingest.
TENURES_GRAPH = "https://w3id.org/vnkg/graph/tenures"

PREFIXES = {
    "vnkg": VNKG,
    "role": ROLE,
    "indicator": INDICATOR,
    "measure": MEASURE,
    "org": ORG,
    "prov": PROV,
    "schema": SCHEMA,
    "foaf": FOAF,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "time": TIME,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "sh": SH,
    "void": VOID,
}


def sparql_prefixes() -> str:
    """PREFIX lines for every namespace above (for queries written by hand)."""
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
