"""The vnkg ontology and its SKOS concept schemes, as shipped Turtle files.

* ``vnkg.ttl``: the OWL ontology (classes, properties, the Comparator individuals);
* ``roles.ttl``: the role scheme (``https://w3id.org/vnkg/ontology/role/<key>``);
* ``indicators.ttl``: the indicator scheme (``https://w3id.org/vnkg/ontology/indicator/<key>``);
* ``measures.ttl``: the scheme of disciplinary measures (``https://w3id.org/vnkg/ontology/measure/<key>``),
  row for row the table ``loaders/lexicon/measures.tsv``.

The Turtle files are the source of truth; nothing here generates them.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

HERE = Path(__file__).resolve().parent

#: Every Turtle file of the ontology, sorted by name.
ONTOLOGY_FILES: tuple[Path, ...] = tuple(sorted(HERE.glob("*.ttl")))

ONTOLOGY_IRI = "https://w3id.org/vnkg/ontology"
VNKG_NS = "https://w3id.org/vnkg/ontology#"
ROLE_NS = "https://w3id.org/vnkg/ontology/role/"
INDICATOR_NS = "https://w3id.org/vnkg/ontology/indicator/"
MEASURE_NS = "https://w3id.org/vnkg/ontology/measure/"
ROLE_SCHEME = URIRef(ROLE_NS + "scheme")
INDICATOR_SCHEME = URIRef(INDICATOR_NS + "scheme")
MEASURE_SCHEME = URIRef(MEASURE_NS + "scheme")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The ontology and its concept schemes in one graph, parsed once and cached.

    The same object is returned on every call and is shared by all callers: treat it as
    read-only. To add triples, copy it first (``g = Graph(); g += ontology_graph()``) or
    add it into your own graph (``mine += ontology_graph()``).
    """
    g = Graph()
    for path in ONTOLOGY_FILES:
        g.parse(path, format="turtle")
    for prefix, ns in (("vnkg", VNKG_NS), ("role", ROLE_NS), ("indicator", INDICATOR_NS),
                       ("measure", MEASURE_NS)):
        g.bind(prefix, ns, override=True)
    return g


def _keys(scheme: URIRef, namespace: str) -> frozenset[str]:
    g = ontology_graph()
    return frozenset(str(c)[len(namespace):] for c in g.subjects(SKOS.inScheme, scheme)
                     if isinstance(c, URIRef) and str(c).startswith(namespace))


@lru_cache(maxsize=1)
def _role_keys() -> frozenset[str]:
    return _keys(ROLE_SCHEME, ROLE_NS)


@lru_cache(maxsize=1)
def _indicator_keys() -> frozenset[str]:
    return _keys(INDICATOR_SCHEME, INDICATOR_NS)


@lru_cache(maxsize=1)
def _measure_keys() -> frozenset[str]:
    return _keys(MEASURE_SCHEME, MEASURE_NS)


@lru_cache(maxsize=1)
def single_holder_role_keys() -> frozenset[str]:
    """Keys of the roles one person at a time holds in a body ("secretary", "chair", …): the roles
    typed ``vnkg:SingleHolderRole`` in ``roles.ttl`` (read alone, without the rest of the ontology)."""
    g = Graph()
    g.parse(HERE / "roles.ttl", format="turtle")
    return frozenset(str(r)[len(ROLE_NS):] for r in g.subjects(RDF.type, URIRef(VNKG_NS + "SingleHolderRole"))
                     if str(r).startswith(ROLE_NS))


def role_keys() -> set[str]:
    """Keys of the role scheme ("secretary", "deputy-secretary", "member", …)."""
    return set(_role_keys())


def indicator_keys() -> set[str]:
    """Keys of the indicator scheme ("per-capita-income", "poverty-rate", …)."""
    return set(_indicator_keys())


def measure_keys() -> set[str]:
    """Keys of the measure scheme ("khien-trach", "canh-cao", "cach-chuc", …)."""
    return set(_measure_keys())


__all__ = ["ONTOLOGY_FILES", "ONTOLOGY_IRI", "ROLE_SCHEME", "INDICATOR_SCHEME", "MEASURE_SCHEME",
           "ontology_graph", "role_keys", "indicator_keys", "measure_keys"]
