"""SPARQL result serialisers for rows collected one by one.

pyoxigraph's ``QuerySolutions.serialize`` writes a whole result set; the
endpoint instead pulls solutions lazily (checking its deadline and the row
cap between rows) and writes what it kept with these functions: SPARQL 1.1
Query Results JSON, XML, CSV and TSV (RDF 1.2 triple terms included).
"""
from __future__ import annotations

import csv
import io
import json
from typing import Sequence
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

import pyoxigraph as ox

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIRLANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"

Row = Sequence["ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None"]


def _direction(lit: ox.Literal) -> str | None:
    d = getattr(lit, "direction", None)
    if d is None:
        return None
    return "ltr" if "LTR" in str(d).upper() else "rtl"


def term_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    if isinstance(t, ox.Literal):
        out = {"type": "literal", "value": t.value}
        if t.language:
            out["xml:lang"] = t.language
            d = _direction(t)
            if d:
                out["its:dir"] = d
        elif t.datatype.value != XSD_STRING:
            out["datatype"] = t.datatype.value
        return out
    if isinstance(t, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(t.subject),
                                            "predicate": term_json(t.predicate),
                                            "object": term_json(t.object)}}
    raise TypeError(f"not an RDF term: {t!r}")


def select_json(variables: list[str], rows: list[Row]) -> bytes:
    bindings = []
    for row in rows:
        bindings.append({v: term_json(t) for v, t in zip(variables, row) if t is not None})
    return json.dumps({"head": {"vars": variables}, "results": {"bindings": bindings}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": bool(value)}).encode("utf-8")


_XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n'


def _term_xml(t) -> str:
    if isinstance(t, ox.NamedNode):
        return f"<uri>{xml_escape(t.value)}</uri>"
    if isinstance(t, ox.BlankNode):
        return f"<bnode>{xml_escape(t.value)}</bnode>"
    if isinstance(t, ox.Literal):
        if t.language:
            return f"<literal xml:lang={quoteattr(t.language)}>{xml_escape(t.value)}</literal>"
        if t.datatype.value != XSD_STRING:
            return f"<literal datatype={quoteattr(t.datatype.value)}>{xml_escape(t.value)}</literal>"
        return f"<literal>{xml_escape(t.value)}</literal>"
    if isinstance(t, ox.Triple):
        return (f"<triple><subject>{_term_xml(t.subject)}</subject><predicate>{_term_xml(t.predicate)}"
                f"</predicate><object>{_term_xml(t.object)}</object></triple>")
    raise TypeError(f"not an RDF term: {t!r}")


def select_xml(variables: list[str], rows: list[Row]) -> bytes:
    out = [_XML_HEAD, "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head>\n<results>\n")
    for row in rows:
        out.append("<result>")
        for v, t in zip(variables, row):
            if t is not None:
                out.append(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>")
        out.append("</result>\n")
    out.append("</results>\n</sparql>\n")
    return "".join(out).encode("utf-8")


def boolean_xml(value: bool) -> bytes:
    return (_XML_HEAD + f"<head/>\n<boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n").encode("utf-8")


def _term_csv(t) -> str:
    if t is None:
        return ""
    if isinstance(t, ox.NamedNode):
        return t.value
    if isinstance(t, ox.BlankNode):
        return "_:" + t.value
    if isinstance(t, ox.Literal):
        return t.value
    return str(t)


def select_csv(variables: list[str], rows: list[Row]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(variables)
    for row in rows:
        w.writerow([_term_csv(t) for t in row])
    return buf.getvalue().encode("utf-8")


def _term_tsv(t) -> str:
    if t is None:
        return ""
    # pyoxigraph's str() of a term is its N-Triples / Turtle form (escapes \n, \r, \t, quotes).
    return str(t).replace("\t", "\\t")


def select_tsv(variables: list[str], rows: list[Row]) -> bytes:
    lines = ["\t".join("?" + v for v in variables)]
    for row in rows:
        lines.append("\t".join(_term_tsv(t) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


SELECT_WRITERS = {"json": select_json, "xml": select_xml, "csv": select_csv, "tsv": select_tsv}
BOOLEAN_WRITERS = {"json": boolean_json, "xml": boolean_xml}
