"""The SHACL shapes compiled to SPARQL queries, run by pyoxigraph (the fast validation engine).

Each constraint of each shape with a target becomes one ``SELECT DISTINCT ?this`` query that
returns the focus nodes violating it, with the shape's ``sh:path``, ``sh:message`` and
constraint component: what ``pyshacl`` reports (``kg.validate.reference_violations``, the
yardstick; ``tests/test_validate_batch.py`` checks that both agree). Queries run over any
pyoxigraph store: a small in-memory one holding a batch of article graphs and the ontology, or
the whole embedded store for ``vnkg validate``.

How the SHACL core maps to SPARQL (``?this`` a focus node, ``?v`` a value node):

* ``sh:targetClass C``: ``?this rdf:type/rdfs:subClassOf* C`` (SHACL instances; the ontology's
  class axioms are in the queried data, as pyshacl mixes them in);
* ``sh:minCount``/``sh:maxCount``: ``NOT EXISTS`` / pairs of distinct values / ``COUNT(DISTINCT)``;
* ``sh:class``, ``sh:node``, ``sh:or``, ``sh:and``, ``sh:not``, ``sh:xone``, ``sh:in``,
  ``sh:hasValue``, ``sh:nodeKind``, ``sh:minLength``/``sh:maxLength``: expressions on ``?v``
  (nested shapes become boolean expressions with ``EXISTS``);
* ``sh:qualifiedValueShape``: the values conforming to the nested shape, counted;
* ``sh:sparql`` (SELECT): the constraint's query joined to the focus nodes, its message
  filled in from the solution as pyshacl does;
* the tests whose outcome depends on how a literal is read (``sh:datatype`` and ill-typed
  literals, ``sh:pattern`` with Python's ``re``, ``sh:languageIn``, ``sh:minInclusive`` and the
  other bounds, ``sh:lessThan``) call back into Python (pyoxigraph custom functions) and run
  exactly pyshacl's rules on the rdflib form of the value.

Anything else (``sh:closed``, other targets, paths that are not one predicate, a shape with no
or several messages, ...) raises :class:`NotCompilable`: the caller then validates with pyshacl.

Literals keep their identity: Oxigraph stores some typed literals in canonical form
(``"21"^^xsd:positiveInteger`` becomes an ``xsd:integer``, ``"1.50"`` becomes ``"1.5"``), which
would change what ``sh:datatype`` or ``sh:maxCount`` see. :class:`Encoder` stores such a literal
under a private datatype (``urn:x-vnkg-shacl:literal:`` + its datatype) that Oxigraph keeps as
written, and the Python tests read it back as it was. A SPARQL constraint could read such a
literal differently from rdflib; :attr:`Compiled.sparql_predicates` names the predicates those
queries read, so a caller can send a graph with a private literal there to pyshacl instead.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

SH = "http://www.w3.org/ns/shacl#"
FN = "urn:x-vnkg-shacl:fn:"
PRIVATE = "urn:x-vnkg-shacl:literal:"
_XSD_STRING = str(XSD.string)
_LANG_STRING = str(RDF.langString)
_RDF_TYPE = f"<{RDF.type}>"
_SUBCLASS = f"<{RDFS.subClassOf}>"


def sh(local: str) -> URIRef:
    return URIRef(SH + local)


class NotCompilable(Exception):
    """The shapes use something this compiler does not translate."""


# ----------------------------------------------------------------------------- terms
class Unencodable(ValueError):
    """A term pyoxigraph cannot hold (an invalid IRI, a lone surrogate)."""


class Encoder:
    """rdflib terms to pyoxigraph terms, literals kept as written (see the module doc).

    ``originals`` maps each literal stored under a private datatype back to its rdflib form, and
    ``private_predicates`` collects the predicates such literals are values of."""

    def __init__(self) -> None:
        self.originals: dict = {}
        self.private_predicates: set = set()
        self._iris: dict = {}

    def iri(self, t) -> ox.NamedNode:
        node = self._iris.get(t)
        if node is None:
            try:
                node = ox.NamedNode(str(t))
            except (ValueError, UnicodeEncodeError) as exc:
                raise Unencodable(f"{t!r}: {exc}") from exc
            if len(self._iris) < 100_000:
                self._iris[t] = node
        return node

    def term(self, t, predicate=None):
        if isinstance(t, URIRef):
            return self.iri(t)
        if isinstance(t, BNode):
            try:
                return ox.BlankNode(str(t))
            except (ValueError, UnicodeEncodeError) as exc:
                raise Unencodable(f"blank node {t!r}: {exc}") from exc
        if isinstance(t, Literal):
            return self.literal(t, predicate)
        raise Unencodable(f"{t!r} is not an RDF term")

    def literal(self, t: Literal, predicate=None) -> ox.Literal:
        lex = str(t)
        try:
            if t.language:
                lit = ox.Literal(lex, language=t.language)
                if lit.language == t.language:
                    return lit
            elif t.datatype is None:
                return ox.Literal(lex)
            elif str(t.datatype) not in (_XSD_STRING, _LANG_STRING):  # rdflib tells "a"^^xsd:string from "a"
                dt = str(t.datatype)
                kept = _VERBATIM.get((lex, dt))
                if kept is None:
                    _learn([(lex, dt)])
                    kept = _VERBATIM[(lex, dt)]
                if kept:
                    return ox.Literal(lex, datatype=self.iri(t.datatype))
            dt = str(t.datatype) if t.datatype is not None else "lang:" + str(t.language)
            private = ox.Literal(lex, datatype=ox.NamedNode(PRIVATE + dt))
        except (ValueError, UnicodeEncodeError) as exc:
            raise Unencodable(f"literal {t!r}: {exc}") from exc
        self.originals[private] = t
        if predicate is not None:
            self.private_predicates.add(predicate)
        return private

    def quads(self, triples: Iterable[tuple], graph) -> list[ox.Quad]:
        triples = list(triples)
        typed = {(str(o), str(o.datatype)) for _, _, o in triples
                 if isinstance(o, Literal) and o.datatype is not None} - _VERBATIM.keys()
        if typed:
            _learn(typed)
        term, lit = self.term, self.literal
        out = []
        for s, p, o in triples:
            po = self.iri(p) if isinstance(p, URIRef) else term(p)
            oo = lit(o, p) if isinstance(o, Literal) else term(o)
            out.append(ox.Quad(term(s), po, oo, graph))
        return out


#: (lexical form, datatype) -> whether an Oxigraph store gives the literal back as written.
_VERBATIM: dict[tuple[str, str], bool] = {}


def _learn(pairs: Iterable[tuple[str, str]]) -> None:
    """Ask a scratch store which typed literals it keeps as written (it is the only exact oracle:
    the canonical forms are Oxigraph's own)."""
    pairs = list(pairs)
    if len(_VERBATIM) > 200_000:
        _VERBATIM.clear()
    scratch = ox.Store()
    p = ox.NamedNode(FN + "value")
    quads = []
    for i, (lex, dt) in enumerate(pairs):
        try:
            quads.append(ox.Quad(ox.NamedNode(f"{FN}{i}"), p, ox.Literal(lex, datatype=ox.NamedNode(dt))))
        except (ValueError, UnicodeEncodeError):
            _VERBATIM[(lex, dt)] = False
    scratch.extend(quads)
    back = {q.subject.value: q.object for q in scratch}
    for i, (lex, dt) in enumerate(pairs):
        got = back.get(f"{FN}{i}")
        if got is not None:
            _VERBATIM[(lex, dt)] = got.value == lex and got.datatype.value == dt
        else:
            _VERBATIM.setdefault((lex, dt), False)


def to_rdflib(t, originals: dict | None = None):
    """A pyoxigraph term as rdflib reads it (a private literal as it was first written)."""
    if isinstance(t, ox.NamedNode):
        return URIRef(t.value)
    if isinstance(t, ox.BlankNode):
        return BNode(t.value)
    if isinstance(t, ox.Literal):
        if originals is not None:
            orig = originals.get(t)
            if orig is not None:
                return orig
        dt = t.datatype.value
        if dt.startswith(PRIVATE):
            dt = dt[len(PRIVATE):]
            if dt.startswith("lang:"):
                return Literal(t.value, lang=dt[5:])
            return Literal(t.value, datatype=URIRef(dt))
        if t.language:
            return Literal(t.value, lang=t.language)
        if dt == _XSD_STRING:
            return Literal(t.value)
        return Literal(t.value, datatype=URIRef(dt))
    raise TypeError(f"not an RDF term: {t!r}")


def sparql_term(t) -> str:
    """An rdflib term written in SPARQL (constants of the shapes)."""
    if isinstance(t, URIRef):
        return str(Encoder().iri(t))
    if isinstance(t, Literal):
        return str(Encoder().literal(t))
    raise NotCompilable(f"{t!r} cannot be a constant in a query")


# ----------------------------------------------------------------------------- value tests, as pyshacl runs them
_TRUE, _FALSE = ox.Literal(True), ox.Literal(False)


def _value_string(v) -> str:
    """pyshacl's StringBasedConstraintBase.value_node_to_string."""
    if isinstance(v, Literal) and v.value is not None and v.datatype in (None, RDF.langString, XSD.string):
        return str(v.value)
    return str(v)


def _datatype_ok(v, rule: URIRef) -> bool:
    """pyshacl's DatatypeConstraintComponent on one value node."""
    from datetime import date, datetime, time
    from decimal import Decimal

    if not isinstance(v, Literal):
        return False
    datatype, lang = v.datatype, v.language
    if datatype == rule:
        if getattr(v, "ill_typed", None) is True:
            return False
    elif rule == RDFS.Literal:
        return True
    elif rule == RDFS.Datatype and datatype:
        return True
    elif not (datatype is None and lang is None and rule == XSD.string) and not (rule == RDF.langString and lang):
        return False
    value = v.value
    kinds = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int, XSD.float: float,
             XSD.decimal: Decimal, XSD.boolean: bool, XSD.date: date, XSD.time: time, XSD.dateTime: datetime}
    kind = kinds.get(rule)
    return True if kind is None else isinstance(value, kind)


def _languages_ok(v, ranges: tuple[str, ...]) -> bool:
    """pyshacl's LanguageInConstraintComponent."""
    if not isinstance(v, Literal) or not v.language:
        return False
    lang = str(v.language).lower()
    return "*" in ranges or lang in ranges or lang.split("-")[0] in ranges


@lru_cache(maxsize=64)
def _regex(pattern: str, flags: str):
    f = 0
    if "i" in flags.lower():
        f |= re.I
    if "m" in flags.lower():
        f |= re.M
    return re.compile(pattern, f)


def _pattern_ok(v, pattern: str, flags: str) -> bool:
    if isinstance(v, BNode):
        return False
    rx = _regex(pattern, flags)
    s = _value_string(v)
    return bool(rx.match(s) or rx.search(s))


def _bound_ok(v, bound: Literal, op: str) -> bool:
    """pyshacl's sh:minInclusive, sh:minExclusive, sh:maxInclusive, sh:maxExclusive."""
    from pyshacl.rdfutil.compare import compare_literal

    if not isinstance(v, Literal):
        return False
    if isinstance(bound.value, str) != isinstance(v.value, str):
        return False
    try:
        cmp = compare_literal(v, bound)
    except (TypeError, NotImplementedError):
        return False
    return {"minInclusive": cmp >= 0, "minExclusive": cmp > 0, "maxInclusive": cmp <= 0, "maxExclusive": cmp < 0}[op]


def _less_than_ok(v, w, or_equal: bool) -> bool:
    """pyshacl's sh:lessThan (and sh:lessThanOrEquals) on one pair of values."""
    def plain(x):
        if isinstance(x, URIRef):
            return str(x), True
        if isinstance(x, Literal) and isinstance(x.value, str):
            return x.value, True
        return x, False

    if isinstance(v, BNode) or isinstance(w, BNode):
        return False
    a, a_str = plain(v)
    b, b_str = plain(w)
    if a_str != b_str:
        return False
    try:
        return bool(a <= b) if or_equal else bool(a < b)
    except TypeError:
        return False


class _Functions:
    """The custom functions the compiled queries call; ``originals`` is the encoder's table."""

    def __init__(self) -> None:
        self.originals: dict | None = None

    def _rdf(self, t):
        return to_rdflib(t, self.originals)

    def table(self) -> dict:
        memo: dict = {}

        def wrap(test):
            def fn(*args):
                key = (test, args)
                hit = memo.get(key)
                if hit is None:
                    try:
                        hit = _FALSE if test(*args) else _TRUE  # true: the value violates
                    except Exception:  # a value pyshacl could not judge either: a violation
                        hit = _TRUE
                    if len(memo) < 100_000:
                        memo[key] = hit
                return hit
            return fn

        return {
            ox.NamedNode(FN + "datatype"): wrap(lambda v, d: _datatype_ok(self._rdf(v), URIRef(d.value))),
            ox.NamedNode(FN + "languageIn"): wrap(lambda v, r: _languages_ok(self._rdf(v), tuple(r.value.split(" ")))),
            ox.NamedNode(FN + "pattern"): wrap(lambda v, p, f: _pattern_ok(self._rdf(v), p.value, f.value)),
            ox.NamedNode(FN + "bound"): wrap(lambda v, b, op: _bound_ok(self._rdf(v), self._rdf(b), op.value)),
            ox.NamedNode(FN + "lessThan"): wrap(lambda v, w: _less_than_ok(self._rdf(v), self._rdf(w), False)),
            ox.NamedNode(FN + "lessThanOrEquals"): wrap(lambda v, w: _less_than_ok(self._rdf(v), self._rdf(w), True)),
        }


# ----------------------------------------------------------------------------- the compiler
@dataclass(frozen=True)
class Check:
    """One constraint of one shape: a query whose solutions are violations."""

    shape: str
    component: str  # sh:...ConstraintComponent (full IRI)
    path: str  # the shape's sh:path ("" for a node shape)
    message: str
    query: str
    sparql: bool = False  # an sh:sparql constraint: path and message come from each solution
    property_shape: bool = False


@dataclass(frozen=True)
class Found:
    focus: object  # the pyoxigraph term
    path: str
    message: str
    component: str


_IGNORED = {sh(x) for x in ("message", "severity", "name", "description", "order", "group", "defaultValue",
                            "targetClass", "property", "path", "flags", "qualifiedMinCount", "qualifiedMaxCount",
                            "qualifiedValueShapesDisjoint", "prefixes", "declare", "deactivated")}
_VALUE_COMPONENTS = {sh(x) for x in ("datatype", "nodeKind", "minLength", "maxLength", "pattern", "languageIn",
                                     "class", "in", "node", "or", "and", "not", "xone", "minInclusive",
                                     "minExclusive", "maxInclusive", "maxExclusive")}
_NODE_KINDS = {
    sh("IRI"): "isIRI({v})", sh("Literal"): "isLiteral({v})", sh("BlankNode"): "isBlank({v})",
    sh("BlankNodeOrIRI"): "(isBlank({v}) || isIRI({v}))", sh("BlankNodeOrLiteral"): "(isBlank({v}) || isLiteral({v}))",
    sh("IRIOrLiteral"): "(isIRI({v}) || isLiteral({v}))",
}
_COMPONENT = {
    "datatype": "Datatype", "nodeKind": "NodeKind", "minLength": "MinLength", "maxLength": "MaxLength",
    "pattern": "Pattern", "languageIn": "LanguageIn", "class": "Class", "in": "In", "node": "Node", "or": "Or",
    "and": "And", "not": "Not", "xone": "Xone", "minInclusive": "MinInclusive", "minExclusive": "MinExclusive",
    "maxInclusive": "MaxInclusive", "maxExclusive": "MaxExclusive", "minCount": "MinCount", "maxCount": "MaxCount",
    "hasValue": "HasValue", "lessThan": "LessThan", "lessThanOrEquals": "LessThanOrEquals", "sparql": "SPARQL",
}


_YEAR = "([1-9][0-9]{3}|0[1-9][0-9]{2}|00[1-9][0-9]|000[1-9])"
_DAY = (_YEAR + "-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)")
#: Lexical forms that rdflib surely reads as a value of the datatype (pyshacl then accepts them
#: without a call to Python); any other form is judged by pyshacl's rule.
_SURELY_WELL_TYPED = {
    XSD.integer: "^[+-]?[0-9]+$",
    XSD.decimal: "^[+-]?[0-9]+([.][0-9]+)?$",
    XSD.gYear: "^[0-9]{4}$",
    XSD.date: f"^{_DAY}$",
    XSD.dateTime: f"^{_DAY}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
}

#: pyshacl's messages for a result of a shape without sh:message, where they name no focus or value node.
_GENERIC = {"class": "Value does not have class {}", "datatype": "Value is not Literal with datatype {}",
            "nodeKind": "Value is not of Node Kind {}",
            "node": "Value does not conform to Shape {}. See details for more information."}


def component_iri(local: str) -> str:
    return f"{SH}{_COMPONENT.get(local, local[0].upper() + local[1:])}ConstraintComponent"


@dataclass
class Compiled:
    checks: list[Check]
    #: Predicates a SPARQL constraint may read (None: any); see the module doc.
    sparql_predicates: set | None
    #: Predicates whose values' string form a shape checks (None: a node's own string is checked).
    string_predicates: set | None
    #: Every IRI the shapes name.
    named: set = field(default_factory=set)

    def run(self, store: ox.Store, *, originals: dict | None = None, processes: int = 1,
            location: str | None = None, **query_args) -> list[Found]:
        """The violations in ``store`` (``query_args`` go to ``Store.query``: the default graph), in
        the order of the checks. With ``processes`` > 1 and ``location``, the folder of an on-disk
        store with the same content that no process writes to (a checkpoint of ``store``), that many
        processes run the checks, each opening it read-only: pyoxigraph holds the GIL while a
        query's solutions are read, so threads would take turns."""
        if processes > 1 and location is not None and originals is None:
            import multiprocessing as mp
            import os
            from concurrent.futures import ProcessPoolExecutor

            with ProcessPoolExecutor(processes, mp_context=mp.get_context("spawn"), initializer=_open_for_checks,
                                     initargs=(location, os.getpid())) as pool:
                done = pool.map(_check_in_worker, self.checks, [query_args] * len(self.checks))
                return [f for found in done for f in found]
        fns = _Functions()
        fns.originals = originals
        table = fns.table()
        return [f for check in self.checks for f in _check(store, check, fns, table, query_args)]


def _check(store: ox.Store, check: Check, fns: "_Functions", table: dict, query_args: dict) -> list[Found]:
    """The violations of one check."""
    solutions = store.query(check.query, custom_functions=table, **query_args)
    if not check.sparql:
        return [Found(s["this"], check.path, check.message, check.component) for s in solutions]
    return _sparql_results(check, solutions, fns)


_worker: dict = {}


def _open_for_checks(location: str, parent: int) -> None:
    """A check process's start: the store read-only, the Python tests the queries call back."""
    from .lifeline import die_with_parent

    die_with_parent(parent)
    _worker["store"] = ox.Store.read_only(location)
    _worker["fns"] = fns = _Functions()
    _worker["table"] = fns.table()


def _check_in_worker(check: Check, query_args: dict) -> list[Found]:
    return _check(_worker["store"], check, _worker["fns"], _worker["table"], query_args)


def _sparql_results(check: Check, solutions, fns: _Functions) -> list[Found]:
    """The results of an sh:sparql constraint as pyshacl words them (message template filled in)."""
    names = [v.value for v in solutions.variables]
    out, seen = [], set()
    for s in solutions:
        values = {n: fns._rdf(s[n]) for n in names if s[n] is not None}
        this = values.pop("this", None)
        focus = s["this"]
        values.pop("failure", None)
        path = values.pop("path", None)
        value = values.pop("value", None)
        key = (focus, path, value, tuple(sorted(values.items())))
        if key in seen:
            continue
        seen.add(key)
        fdict = dict(values)
        for name, val in (("this", this), ("path", path), ("value", value)):
            if val is not None:
                fdict[name] = val
        msg = check.message
        for var, val in fdict.items():
            msg = re.sub("{{[?$]{}}}".format(var), str(val), msg)
        path_text = str(path) if path is not None else check.path
        out.append(Found(focus, path_text, msg, check.component))
    return out


class Compiler:
    def __init__(self, shapes: Graph, hierarchy: dict | None = None):
        self.g = shapes
        self.hierarchy = hierarchy
        self.n = 0
        self.sparql_predicates: set | None = set()
        self.string_predicates: set | None = set()

    def instance(self, x: str, classes: list) -> str:
        """A pattern matching when ``x`` is a SHACL instance of one of ``classes``: typed with it or
        with a subclass. With a known ``hierarchy`` (class -> its subclasses, itself included) the
        subclasses are written out, which pyoxigraph answers from its indexes."""
        if self.hierarchy is None:
            return " UNION ".join(f"{{ {x} {_RDF_TYPE}/{_SUBCLASS}* {sparql_term(c)} }}" for c in classes)
        subs = sorted({str(s) for c in classes for s in self.hierarchy.get(str(c), {str(c)})})
        return " UNION ".join(f"{{ {x} {_RDF_TYPE} <{s}> }}" for s in subs)

    def var(self) -> str:
        self.n += 1
        return f"?_{self.n}"

    # -- reading the shapes graph
    def one(self, node, p, required: bool = False):
        vals = list(self.g.objects(node, p))
        if len(vals) > 1:
            raise NotCompilable(f"{node} has {len(vals)} values of {p}")
        if not vals and required:
            raise NotCompilable(f"{node} has no {p}")
        return vals[0] if vals else None

    def items(self, node) -> list:
        try:
            return list(Collection(self.g, node))
        except Exception as exc:
            raise NotCompilable(f"{node} is not an RDF list") from exc

    def path_iri(self, shape) -> URIRef | None:
        path = self.one(shape, sh("path"))
        if path is not None and not isinstance(path, URIRef):
            raise NotCompilable(f"the path of {shape} is not one predicate")
        return path

    def int_of(self, node, p) -> int | None:
        v = self.one(node, p)
        if v is None:
            return None
        if not isinstance(v, Literal) or not isinstance(v.value, int):
            raise NotCompilable(f"{p} of {node} is not an integer")
        return int(v.value)

    def messages(self, node) -> list:
        return list(self.g.objects(node, sh("message")))

    def check_known(self, shape) -> None:
        for p in set(self.g.predicates(shape)):
            if str(p).startswith(SH) and p not in _IGNORED and p not in _VALUE_COMPONENTS and p not in {
                    sh("minCount"), sh("maxCount"), sh("hasValue"), sh("qualifiedValueShape"), sh("lessThan"),
                    sh("lessThanOrEquals"), sh("sparql")}:
                raise NotCompilable(f"{shape} uses {p}")
        if self.one(shape, sh("deactivated")) not in (None, Literal(False)):
            raise NotCompilable(f"{shape} is deactivated")
        if (shape, sh("qualifiedValueShapesDisjoint"), Literal(True)) in self.g:
            raise NotCompilable(f"{shape} uses sh:qualifiedValueShapesDisjoint")

    # -- expressions on one value node: true when it violates
    def violates(self, shape, key, v: str, path) -> str | None:
        """The expression for constraint ``key`` (a local name) of ``shape`` on value ``v``; None: not a value test."""
        g = self.g
        val = self.one(shape, sh(key))
        if key == "datatype":
            # Literals Oxigraph holds as written are judged in SPARQL where that is exact (strings),
            # the others (ill-typed lexical forms, private literals) by pyshacl's rule in Python.
            call = f"<{FN}datatype>({v}, {sparql_term(val)})"
            private = f'STRSTARTS(STR(DATATYPE({v})), "{PRIVATE}")'
            if val == XSD.string:
                return f"!((isLiteral({v}) && DATATYPE({v}) = {sparql_term(XSD.string)}) || ({private} && !{call}))"
            if val == RDF.langString:
                return f'!((isLiteral({v}) && LANG({v}) != "") || ({private} && !{call}))'
            if val in (RDFS.Literal, RDFS.Datatype):
                return call
            typed = f"isLiteral({v}) && DATATYPE({v}) = {sparql_term(val)}"
            sure = _SURELY_WELL_TYPED.get(val)
            sure = f"({typed} && REGEX(STR({v}), {sparql_term(Literal(sure))})) || " if sure else ""
            return f"!({sure}(isLiteral({v}) && (DATATYPE({v}) = {sparql_term(val)} || {private}) && !{call}))"
        if key == "nodeKind":
            if val not in _NODE_KINDS:
                raise NotCompilable(f"unknown sh:nodeKind {val}")
            return "!" + _NODE_KINDS[val].format(v=v)
        if key in ("minLength", "maxLength"):
            self.string_value(path)
            n = self.int_of(shape, sh(key))
            if key == "minLength":
                return "false" if n == 0 else f"(isBlank({v}) || STRLEN(STR({v})) < {n})"
            return f"(isBlank({v}) || STRLEN(STR({v})) > {n})"
        if key == "pattern":
            self.string_value(path)
            flags = self.one(shape, sh("flags"))
            if not isinstance(val, Literal):
                raise NotCompilable("sh:pattern must be a literal")
            pattern = str(val.value) if val.value is not None and len(val.value) > 1 else str(val)
            return f"<{FN}pattern>({v}, {sparql_term(Literal(pattern))}, {sparql_term(Literal(str(flags.value) if flags else ''))})"
        if key == "languageIn":
            ranges = [str(x.value).lower() for x in self.items(val)]
            if any(" " in r for r in ranges):
                raise NotCompilable("a language range with a space")
            call = f"<{FN}languageIn>({v}, {sparql_term(Literal(' '.join(ranges)))})"
            listed = ", ".join(sparql_term(Literal(r)) for r in ranges)
            tag = f'(isLiteral({v}) && LANG({v}) != "")'
            if "*" not in ranges:  # Oxigraph holds tags in lower case, as pyshacl compares them
                tag = (f'({tag} && (LANG({v}) IN ({listed}) || '
                       f'STRBEFORE(CONCAT(LANG({v}), "-"), "-") IN ({listed})))')
            return f'!({tag} || (isLiteral({v}) && STRSTARTS(STR(DATATYPE({v})), "{PRIVATE}lang:") && !{call}))'
        if key == "class":
            classes = list(g.objects(shape, sh("class")))
            return "(" + " || ".join(f"!EXISTS {{ {self.instance(v, [c])} }}" for c in classes) + ")"
        if key == "in":
            members = self.items(val)
            if not members:
                return "true"
            return "!(" + " || ".join(f"sameTerm({v}, {sparql_term(m)})" for m in members) + ")"
        if key == "node":
            return "!(" + " && ".join(self.conforms(s, v) for s in g.objects(shape, sh("node"))) + ")"
        if key == "not":
            return "(" + " || ".join(self.conforms(s, v) for s in g.objects(shape, sh("not"))) + ")"
        if key in ("or", "and", "xone"):
            parts = [self.conforms(s, v) for s in self.items(val)]
            if key == "or":
                return "!(" + (" || ".join(parts) or "false") + ")"
            if key == "and":
                return "!(" + (" && ".join(parts) or "true") + ")"
            return "(" + (" + ".join(f"IF({p}, 1, 0)" for p in parts) or "0") + " != 1)"
        if key in ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive"):
            if not isinstance(val, Literal):
                raise NotCompilable(f"sh:{key} must be a literal")
            return f"<{FN}bound>({v}, {sparql_term(val)}, \"{key}\")"
        return None

    def string_value(self, path) -> None:
        """Note that the string form of the values of ``path`` is checked (None: of a node itself)."""
        if path is None:
            self.string_predicates = None
        elif self.string_predicates is not None:
            self.string_predicates.add(path)

    def conforms(self, shape, v: str) -> str:
        """An expression true when ``v`` conforms to ``shape`` (a nested shape: its targets are ignored)."""
        self.check_known(shape)
        path = self.path_iri(shape)
        parts = []
        if path is None:
            for key in self.keys(shape):
                if key in ("minCount", "maxCount", "qualifiedValueShape", "lessThan", "lessThanOrEquals", "sparql"):
                    raise NotCompilable(f"sh:{key} on a node shape nested in another")
                if key == "hasValue":
                    parts.append(" && ".join(f"sameTerm({v}, {sparql_term(x)})"
                                             for x in self.g.objects(shape, sh("hasValue"))))
                    continue
                parts.append(f"!{self.violates(shape, key, v, None)}")
        else:
            parts += self.nested_property(shape, path, v)
        for prop in self.g.objects(shape, sh("property")):
            self.check_known(prop)
            parts += self.nested_property(prop, self.path_iri(prop) or _missing(prop), v)
        return "(" + (" && ".join(parts) or "true") + ")"

    def nested_property(self, shape, path, x: str) -> list[str]:
        p = sparql_term(path)
        parts = []
        for key in self.keys(shape):
            if key == "minCount":
                n = self.int_of(shape, sh("minCount"))
                if n == 1:
                    parts.append(f"EXISTS {{ {x} {p} {self.var()} }}")
                elif n:
                    raise NotCompilable("sh:minCount above 1 in a nested shape")
            elif key == "maxCount":
                n = self.int_of(shape, sh("maxCount"))
                a, b = self.var(), self.var()
                if n == 0:
                    parts.append(f"!EXISTS {{ {x} {p} {a} }}")
                elif n == 1:
                    parts.append(f"!EXISTS {{ {x} {p} {a}, {b} FILTER(!sameTerm({a}, {b})) }}")
                else:
                    raise NotCompilable("sh:maxCount above 1 in a nested shape")
            elif key == "hasValue":
                parts += [f"EXISTS {{ {x} {p} {sparql_term(val)} }}" for val in self.g.objects(shape, sh("hasValue"))]
            elif key in ("lessThan", "lessThanOrEquals"):
                for other in self.g.objects(shape, sh(key)):
                    a, b = self.var(), self.var()
                    parts.append(f"!EXISTS {{ {x} {p} {a} . {x} {sparql_term(other)} {b} "
                                 f"FILTER(<{FN}{key}>({a}, {b})) }}")
            elif key in ("qualifiedValueShape", "sparql"):
                raise NotCompilable(f"sh:{key} in a nested shape")
            else:
                a = self.var()
                parts.append(f"!EXISTS {{ {x} {p} {a} FILTER({self.violates(shape, key, a, path)}) }}")
        return parts

    def keys(self, shape) -> list[str]:
        """The constraint parameters of ``shape``, as local names, in a fixed order."""
        out = []
        for p in sorted(set(self.g.predicates(shape)), key=str):
            if p in _VALUE_COMPONENTS or p in (sh("minCount"), sh("maxCount"), sh("hasValue"),
                                               sh("qualifiedValueShape"), sh("lessThan"), sh("lessThanOrEquals"),
                                               sh("sparql")):
                out.append(str(p)[len(SH):])
        return out

    # -- top-level shapes
    def compile(self) -> Compiled:
        g = self.g
        for p in (sh("targetNode"), sh("targetSubjectsOf"), sh("targetObjectsOf"), sh("target"), sh("closed"),
                  sh("rule"), sh("js"), sh("entailment")):
            if (None, p, None) in g:
                raise NotCompilable(f"the shapes use {p}")
        for s in set(g.subjects(sh("path"), None)):
            path = g.value(s, sh("path"))
            if not isinstance(path, URIRef):
                raise NotCompilable(f"{s}: only one-predicate paths are compiled")
        shapes = set(g.subjects(RDF.type, sh("NodeShape"))) | set(g.subjects(RDF.type, sh("PropertyShape")))
        for s in shapes | set(g.subjects(sh("targetClass"), None)):
            if (s, RDF.type, RDFS.Class) in g or (s, RDF.type, URIRef("http://www.w3.org/2002/07/owl#Class")) in g:
                raise NotCompilable(f"{s} is a class (implicit target)")
        checks: list[Check] = []
        for shape in sorted(set(g.subjects(sh("targetClass"), None)), key=str):
            if self.one(shape, sh("deactivated")) == Literal(True):
                continue
            targets = sorted(g.objects(shape, sh("targetClass")), key=str)
            target = "{ SELECT DISTINCT ?this WHERE { " + self.instance("?this", targets) + " } }"
            checks += self.shape_checks(shape, target)
            for prop in sorted(g.objects(shape, sh("property")), key=str):
                checks += self.shape_checks(prop, target)
        return Compiled(checks, self.sparql_predicates, self.string_predicates,
                        {t for t in g.all_nodes() if isinstance(t, URIRef)})

    def message(self, shape, extra=None, key: str | None = None) -> str:
        msgs = self.messages(shape) + (self.messages(extra) if extra is not None else [])
        if not msgs and key in _GENERIC:
            return self.generic(shape, key)
        if len(msgs) != 1 or not isinstance(msgs[0], Literal):
            raise NotCompilable(f"{shape} has {len(msgs)} messages (one is needed to word its results)")
        return str(msgs[0].value) if isinstance(msgs[0].value, str) else str(msgs[0])

    def generic(self, shape, key: str) -> str:
        """pyshacl's own message for a shape without sh:message (the kinds that name no node)."""
        from pyshacl.rdfutil.stringify import stringify_node

        vals = list(self.g.objects(shape, sh(key)))
        if len(vals) != 1:
            raise NotCompilable(f"{shape} has no sh:message")
        return _GENERIC[key].format(stringify_node(self.g, vals[0]))

    def shape_checks(self, shape, target: str, within: tuple = ()) -> list[Check]:
        """The checks of one shape for the focus nodes ``target`` binds to ``?this``; ``within``:
        the shapes whose sh:node led here (their results are reported as details, as pyshacl does)."""
        self.check_known(shape)
        if self.one(shape, sh("deactivated")) == Literal(True):
            return []
        if shape in within:
            raise NotCompilable(f"{shape} refers to itself through sh:node")
        severity = self.one(shape, sh("severity"))
        if severity is not None and severity != sh("Violation"):
            return []  # only violations are reported
        path = self.path_iri(shape)
        ptext = str(path) if path is not None else ""
        out = []
        for key in self.keys(shape):
            comp = component_iri(key)
            if key == "sparql":
                for c in self.g.objects(shape, sh("sparql")):
                    out.append(self.sparql_check(shape, c, target, path))
                continue
            if key == "qualifiedValueShape":
                out += self.qualified(shape, path, target)
                continue
            q = self.top_query(shape, key, path, target)
            if q is not None and q[1] != "false":
                out.append(Check(str(shape), comp, ptext, self.message(shape, key=key), q[0],
                                 property_shape=path is not None))
            if key == "node":  # pyshacl reports the nested shape's own results too (sh:detail)
                values = target if path is None else \
                    "{ SELECT DISTINCT ?this WHERE { " + target.replace("?this", "?_focus") + \
                    f" ?_focus {sparql_term(path)} ?this }} }}"
                for node in sorted(self.g.objects(shape, sh("node")), key=str):
                    out += self.shape_checks(node, values, within + (shape,))
                    for prop in sorted(self.g.objects(node, sh("property")), key=str):
                        out += self.shape_checks(prop, values, within + (shape, node))
        return out

    def top_query(self, shape, key: str, path, target: str) -> tuple[str, str] | None:
        """(query, condition): the query and the condition on ``?this`` it filters with ("" when
        the query counts instead; "false": nothing to check)."""
        sel = "SELECT DISTINCT ?this WHERE { "
        cond = self.condition(shape, key, path)
        if cond is not None:
            return sel + target + f" FILTER({cond}) }}", cond
        p = sparql_term(path)
        n = self.int_of(shape, sh(key))
        if key == "minCount":
            return (sel + "{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE { " + target +
                    f" OPTIONAL {{ ?this {p} ?v }} }} GROUP BY ?this }} FILTER(?n < {n}) }}"), ""
        if key == "maxCount":
            return (sel + "{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE { " + target +
                    f" ?this {p} ?v }} GROUP BY ?this }} FILTER(?n > {n}) }}"), ""
        return None

    def condition(self, shape, key: str, path) -> str | None:
        """The condition on ``?this`` under which constraint ``key`` of ``shape`` is violated (None:
        it needs counting, or there is nothing to check)."""
        if path is None:  # a node shape: the focus node is the value node
            if key in ("minCount", "maxCount", "lessThan", "lessThanOrEquals"):
                raise NotCompilable(f"sh:{key} on a node shape")
            if key == "hasValue":
                vals = list(self.g.objects(shape, sh("hasValue")))
                return "(" + " || ".join(f"!sameTerm(?this, {sparql_term(x)})" for x in vals) + ")"
            return self.violates(shape, key, "?this", None)
        p = sparql_term(path)
        if key == "minCount":
            n = self.int_of(shape, sh("minCount"))
            if not n:
                return "false"
            return f"NOT EXISTS {{ ?this {p} ?v }}" if n == 1 else None
        if key == "maxCount":
            n = self.int_of(shape, sh("maxCount"))
            if n == 0:
                return f"EXISTS {{ ?this {p} ?v }}"
            return f"EXISTS {{ ?this {p} ?a, ?b FILTER(!sameTerm(?a, ?b)) }}" if n == 1 else None
        if key == "hasValue":
            return "(" + " || ".join(f"NOT EXISTS {{ ?this {p} {sparql_term(x)} }}"
                                     for x in self.g.objects(shape, sh("hasValue"))) + ")"
        if key in ("lessThan", "lessThanOrEquals"):
            others = list(self.g.objects(shape, sh(key)))
            if len(others) != 1 or not isinstance(others[0], URIRef):
                raise NotCompilable(f"sh:{key} must name one property")
            return (f"EXISTS {{ ?this {p} ?v . ?this {sparql_term(others[0])} ?w "
                    f"FILTER(<{FN}{key}>(?v, ?w)) }}")
        # EXISTS: the test runs on the values of the focus nodes only (a join would let the
        # optimiser run it on every value of the predicate first)
        return f"EXISTS {{ ?this {p} ?v FILTER({self.violates(shape, key, '?v', path)}) }}"

    def qualified(self, shape, path, target: str) -> list[Check]:
        if path is None:
            raise NotCompilable("sh:qualifiedValueShape on a node shape")
        inner = list(self.g.objects(shape, sh("qualifiedValueShape")))
        if len(inner) != 1:
            raise NotCompilable(f"{shape}: one sh:qualifiedValueShape is compiled")
        p = sparql_term(path)
        conforms = self.conforms(inner[0], "?v")
        counted = ("{ SELECT ?this (COUNT(DISTINCT ?v) AS ?n) WHERE { " + target +
                   f" OPTIONAL {{ ?this {p} ?v FILTER({conforms}) }} }} GROUP BY ?this }}")
        out = []
        for key, op in (("qualifiedMinCount", "<"), ("qualifiedMaxCount", ">")):
            n = self.int_of(shape, sh(key))
            if n is None:
                continue
            q = f"SELECT DISTINCT ?this WHERE {{ {counted} FILTER(?n {op} {n}) }}"
            out.append(Check(str(shape), component_iri(key), str(path), self.message(shape), q, property_shape=True))
        return out

    def sparql_check(self, shape, constraint, target: str, path) -> Check:
        g = self.g
        for p in set(g.predicates(constraint)):
            if str(p).startswith(SH) and p not in (sh("select"), sh("message"), sh("prefixes"), sh("deactivated")):
                raise NotCompilable(f"{constraint} uses {p}")
        if (constraint, sh("deactivated"), Literal(True)) in g:
            raise NotCompilable("a deactivated SPARQL constraint")
        select = self.one(constraint, sh("select"), required=True)
        text = str(select)
        if re.search(r"\$(currentShape|shapesGraph|PATH)\b|\bORDER\s+BY\b|\bLIMIT\b|\bOFFSET\b", text, re.I):
            raise NotCompilable("the SPARQL constraint uses pre-bound variables or slices its results")
        prefixes = {}
        for src in g.objects(constraint, sh("prefixes")):
            for decl in g.objects(src, sh("declare")):
                prefixes[str(g.value(decl, sh("prefix")))] = str(g.value(decl, sh("namespace")))
        self.note_sparql_predicates(text, prefixes)
        # The focus nodes are joined in first, so that what follows sees $this bound, as it is when
        # pyshacl pre-binds it (an OPTIONAL that opens the query reads the focus node's values).
        head = re.match(r"\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?(\*|[^{]*?[?$]this\b)[^{]*?(?:WHERE\s*)?\{", text, re.I)
        if head is None:
            raise NotCompilable("a SPARQL constraint must select $this")
        prolog = "".join(f"PREFIX {k}: <{v}>\n" for k, v in sorted(prefixes.items()))
        query = prolog + text[:head.end()] + " " + target + " " + text[head.end():]
        message = self.message(shape, constraint)
        return Check(str(shape), component_iri("sparql"), str(path) if path is not None else "", message, query,
                     sparql=True, property_shape=path is not None)

    def note_sparql_predicates(self, text: str, prefixes: dict) -> None:
        if self.sparql_predicates is None:
            return
        body = re.sub(r"#[^\n]*", "", text)
        if re.search(r"[?$]\w+\s+[?$]\w+\s+", body[body.find("{"):]):  # a variable predicate: reads anything
            self.sparql_predicates = None
            return
        found = {URIRef(iri) for iri in re.findall(r"<([^<>\s]+)>", body)}
        for prefix, local in re.findall(r"(?<![\w<?$])([A-Za-z][\w-]*)?:([A-Za-z_][\w-]*)", body):
            if prefix in prefixes:
                found.add(URIRef(prefixes[prefix] + local))
            elif prefix != "_":
                self.sparql_predicates = None
                return
        self.sparql_predicates |= found
        self.string_predicates = None if self.string_predicates is None else self.string_predicates | found


def _missing(shape):
    raise NotCompilable(f"the property shape {shape} has no sh:path")


def compile_shapes(shapes: Graph, hierarchy: dict | None = None) -> Compiled:
    """The checks of every shape with a target (raises :class:`NotCompilable`).

    ``hierarchy`` (see :func:`class_hierarchy`) fixes the subclasses of each class: the checks
    are then only valid on data whose ``rdfs:subClassOf`` triples give that hierarchy."""
    return Compiler(shapes, hierarchy).compile()


def class_hierarchy(store: ox.Store, **query_args) -> dict[str, set[str]] | None:
    """Each class named in an ``rdfs:subClassOf`` triple of ``store`` -> its subclasses, itself
    included (None when a class has a subclass that is not an IRI: it cannot be written out)."""
    out: dict[str, set[str]] = {}
    for row in store.query(f"SELECT ?sub ?sup WHERE {{ ?sub {_SUBCLASS}+ ?sup }}", **query_args):
        sub, sup = row["sub"], row["sup"]
        if isinstance(sup, ox.NamedNode):
            if not isinstance(sub, ox.NamedNode):
                return None
            out.setdefault(sup.value, {sup.value}).add(sub.value)
    return out
