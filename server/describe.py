"""The SPARQL Service Description (GET /sparql) and the VoID description (/.well-known/void)."""
from __future__ import annotations

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, XSD

from kg.namespaces import SD, VOID

from .conneg import Format

FORMATS_NS = Namespace("http://www.w3.org/ns/formats/")
SPARQL_RESULT_FORMATS = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                         "Turtle", "N-Triples", "RDF_XML", "JSON-LD"]

RDFLIB_FORMAT = {"turtle": "turtle", "ntriples": "nt", "rdfxml": "xml", "jsonld": "json-ld"}


def service_description(endpoint: str, site_url: str, stats: dict, *, allow_update: bool) -> Graph:
    g = Graph()
    g.bind("sd", SD)
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    svc = URIRef(endpoint)
    g.add((svc, RDF.type, SD.Service))
    g.add((svc, SD.endpoint, svc))
    g.add((svc, SD.supportedLanguage, SD.SPARQL11Query))
    if allow_update:
        g.add((svc, SD.supportedLanguage, SD.SPARQL11Update))
    for f in SPARQL_RESULT_FORMATS:
        g.add((svc, SD.resultFormat, FORMATS_NS[f]))
    g.add((svc, SD.feature, SD.UnionDefaultGraph))
    g.add((svc, DCTERMS.title, Literal("vnkg SPARQL endpoint", lang="en")))
    ds = URIRef(site_url + "/.well-known/void#dataset")
    g.add((svc, SD.defaultDataset, ds))
    g.add((ds, RDF.type, SD.Dataset))
    g.add((ds, RDF.type, VOID.Dataset))
    dg = BNode()
    g.add((ds, SD.defaultGraph, dg))
    g.add((dg, RDF.type, SD.Graph))
    g.add((dg, VOID.triples, Literal(stats["triples"], datatype=XSD.integer)))
    g.add((dg, RDFS.comment, Literal(
        "The default graph is the union of all named graphs (unless a query names its own dataset).", lang="en")))
    g.add((ds, RDFS.comment, Literal(f"{stats['graphs']} named graphs", lang="en")))
    g.add((ds, VOID.documents, Literal(stats["articles"], datatype=XSD.integer)))
    # The number of named graphs: void:entities of a subset labelled "named graphs".
    ngc = BNode()
    g.add((ds, VOID.subset, ngc))
    g.add((ngc, RDFS.label, Literal("named graphs", lang="en")))
    g.add((ngc, VOID.entities, Literal(stats["graphs"], datatype=XSD.integer)))
    for name in stats["graph_list"][:200]:
        ng = BNode()
        g.add((ds, SD.namedGraph, ng))
        g.add((ng, RDF.type, SD.NamedGraph))
        g.add((ng, SD.name, URIRef(name)))
    return g


def void_description(site_url: str, base_iri: str, stats: dict) -> Graph:
    g = Graph()
    g.bind("void", VOID)
    g.bind("dcterms", DCTERMS)
    g.bind("sd", SD)
    ds = URIRef(site_url + "/.well-known/void#dataset")
    g.add((ds, RDF.type, VOID.Dataset))
    g.add((ds, DCTERMS.title, Literal("vnkg: Vietnamese local Party governance", lang="en")))
    g.add((ds, DCTERMS.description, Literal(
        "A knowledge graph of Vietnamese local Communist Party governance read out of news articles: "
        "officials and their posts, Party and State bodies, places, documents, economic zones, targets and "
        "achievements, each with the sentence it was read from.", lang="en")))
    g.add((ds, VOID.sparqlEndpoint, URIRef(site_url + "/sparql")))
    for key in ("trig", "nquads"):
        g.add((ds, VOID.dataDump, URIRef(f"{site_url}/export?format={key}")))
    g.add((ds, VOID.uriSpace, Literal(base_iri)))
    g.add((ds, VOID.rootResource, URIRef(site_url + "/")))
    g.add((ds, VOID.vocabulary, URIRef("https://w3id.org/vnkg/ontology#")))
    for ns in ("http://www.w3.org/ns/org#", "http://www.w3.org/ns/prov#", "https://schema.org/",
               "http://xmlns.com/foaf/0.1/", "http://www.w3.org/2004/02/skos/core#", "http://purl.org/dc/terms/"):
        g.add((ds, VOID.vocabulary, URIRef(ns)))
    g.add((ds, VOID.triples, Literal(stats["triples"], datatype=XSD.integer)))
    g.add((ds, VOID.entities, Literal(stats["entities"], datatype=XSD.integer)))
    g.add((ds, VOID.distinctSubjects, Literal(stats["subjects"], datatype=XSD.integer)))
    g.add((ds, VOID.distinctObjects, Literal(stats["objects"], datatype=XSD.integer)))
    g.add((ds, VOID.properties, Literal(stats["properties"], datatype=XSD.integer)))
    g.add((ds, VOID.classes, Literal(len(stats["classes"]), datatype=XSD.integer)))
    g.add((ds, VOID.documents, Literal(stats["articles"], datatype=XSD.integer)))
    g.add((ds, RDFS.comment, Literal(
        f"{stats['graphs']} named graphs ({stats['article_graphs']} article graphs); "
        f"{stats['quads'] if stats['quads'] is not None else '?'} quads in all; void:triples counts distinct "
        "triples of the union of the graphs.", lang="en")))
    for cls, n in stats["classes"]:
        part = BNode()
        g.add((ds, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    for name in stats["graph_list"][:1000]:
        sub = BNode()
        g.add((ds, VOID.subset, sub))
        g.add((sub, RDF.type, VOID.Dataset))
        g.add((sub, SD.name, URIRef(name)))
    return g


def serialize(g: Graph, fmt: Format) -> bytes:
    data = g.serialize(format=RDFLIB_FORMAT[fmt.key])
    return data.encode("utf-8") if isinstance(data, str) else data
