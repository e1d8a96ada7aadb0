"""Checks SHACL does not make: declared terms, and well-formed dates, years and amounts.

- **Declared terms.** Every class (object of ``rdf:type``) and property used must be declared:
  a term of our namespace (``cg:``) in the ontology; another term in a vocabulary the ontology
  aligns to (a namespace its files declare a prefix for). Vocabularies rdflib ships as closed
  term lists (RDF, RDFS, OWL, XSD, SKOS, Dublin Core terms, PROV-O, FOAF, ORG, VANN, schema.org)
  are checked term by term; the others (ELI, FRAPO, Web Annotation) by namespace only, as their
  term lists are not available offline.
- **Datatypes.** Every value of a property whose range in the ontology is an XSD datatype other
  than a string (amounts: ``xsd:decimal``; counts: ``xsd:integer``; flags: ``xsd:boolean``), and
  of every date property (a sub-property, in the ontology, of one of :data:`DATE_ROOTS`), must be
  a literal of that datatype (an XSD date, year, year-month or date-time for dates) whose
  lexical form is valid for it: ``"sometime in 2019"`` is not a date.

Both return :class:`TermIssue` records; :mod:`coopgraph.validation` turns them into results of
its report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    ORG,
    OWL,
    PROV,
    RDF,
    RDFS,
    SDO,
    SKOS,
    VANN,
    XSD,
    DefinedNamespace,
)

from coopgraph.namespaces import CANONICAL_BASE, DEF_IRI, SCHEMA

CG_NAMESPACE = DEF_IRI + "#"
DECLARING_TYPES = frozenset(
    {
        OWL.Class,
        RDFS.Class,
        RDFS.Datatype,
        RDF.Property,
        OWL.ObjectProperty,
        OWL.DatatypeProperty,
        OWL.AnnotationProperty,
        OWL.FunctionalProperty,
        OWL.TransitiveProperty,
        OWL.SymmetricProperty,
        OWL.InverseFunctionalProperty,
    }
)
"""The types that declare a class or property in the ontology."""

CLOSED_VOCABULARIES: dict[str, type[DefinedNamespace]] = {
    str(RDF._NS): RDF,
    str(RDFS._NS): RDFS,
    str(OWL._NS): OWL,
    str(XSD._NS): XSD,
    str(SKOS._NS): SKOS,
    str(DCTERMS._NS): DCTERMS,
    str(PROV._NS): PROV,
    str(FOAF._NS): FOAF,
    str(ORG._NS): ORG,
    str(VANN._NS): VANN,
    str(SCHEMA): SDO,  # rdflib lists schema.org under https://; the ontology aligns to http://
}
"""Aligned vocabularies whose full term lists rdflib ships (checked term by term)."""

DATE_ROOTS = frozenset(
    {
        DCTERMS.date,
        DCTERMS.issued,
        DCTERMS.created,
        DCTERMS.modified,
        DCTERMS.available,
        SCHEMA.startDate,
        SCHEMA.endDate,
        SCHEMA.datePublished,
        PROV.startedAtTime,
        PROV.endedAtTime,
        PROV.generatedAtTime,
    }
)
"""Date properties of the aligned vocabularies: their ranges are declared in those vocabularies,
which are not in ``ontology/``; a property of ours is a date property when it is a sub-property of
one of these."""

DATE_TYPES = frozenset({XSD.date, XSD.gYear, XSD.gYearMonth, XSD.dateTime})
"""The datatypes a date may have: a day, a year, a month, an instant."""

_TZ = r"(?:Z|[+-](?:(?:0\d|1[0-3]):[0-5]\d|14:00))?"
_YEAR = r"-?(?:[1-9]\d{4,}|\d{4})"
LEXICAL: dict[URIRef, re.Pattern[str]] = {
    XSD.date: re.compile(rf"{_YEAR}-(\d\d)-(\d\d){_TZ}"),
    XSD.gYear: re.compile(rf"{_YEAR}{_TZ}"),
    XSD.gYearMonth: re.compile(rf"{_YEAR}-(?:0[1-9]|1[0-2]){_TZ}"),
    XSD.dateTime: re.compile(rf"{_YEAR}-(\d\d)-(\d\d)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?{_TZ}"),
    XSD.decimal: re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)"),
    XSD.integer: re.compile(r"[+-]?\d+"),
    XSD.nonNegativeInteger: re.compile(r"\+?\d+|-0+"),
    XSD.positiveInteger: re.compile(r"\+?0*[1-9]\d*"),
    XSD.double: re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN"),
    XSD.float: re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]?INF|NaN"),
    XSD.boolean: re.compile(r"true|false|1|0"),
}
"""The lexical spaces (XSD 1.1 Part 2) of the datatypes the checks know."""

COMPATIBLE: dict[URIRef, frozenset[URIRef]] = {
    XSD.decimal: frozenset({XSD.decimal, XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger}),
    XSD.integer: frozenset({XSD.integer, XSD.nonNegativeInteger, XSD.positiveInteger}),
    XSD.double: frozenset({XSD.double, XSD.float, XSD.decimal, XSD.integer}),
}
"""Datatypes accepted for a range: the range and the types derived from it."""


@dataclass(frozen=True)
class TermIssue:
    """One problem found by the checks: the node, the property, the value and what is wrong."""

    focus: URIRef | object
    path: URIRef | None
    value: object
    constraint: str
    messages: dict[str, str]
    """The message per language (``en``, ``es``)."""

    def message(self, lang: str) -> str:
        return self.messages.get(lang, self.messages["en"])


def valid_lexical(value: str, datatype: URIRef) -> bool:
    """Whether ``value`` is in the lexical space of ``datatype`` (``True`` for types not known).

    Examples
    --------
    >>> valid_lexical("2019", XSD.gYear), valid_lexical("sometime in 2019", XSD.gYear)
    (True, False)
    >>> valid_lexical("2019-02-30", XSD.date), valid_lexical("60000.00", XSD.decimal)
    (False, True)
    """
    pattern = LEXICAL.get(datatype)
    if pattern is None:
        return True
    match = pattern.fullmatch(value)
    if match is None:
        return False
    if datatype in (XSD.date, XSD.dateTime):
        year = int(value.lstrip("-").split("-", 1)[0])
        try:  # the calendar: no 30 February (years past 9999 are checked as 2000, a leap year)
            date(year if 1 <= year <= 9999 else 2000, int(match.group(1)), int(match.group(2)))
        except ValueError:
            return False
    return True


@dataclass(frozen=True)
class Vocabulary:
    """What the ontology declares: its terms, the namespaces it aligns to, ranges and date properties."""

    declared: frozenset[URIRef]
    aligned: tuple[str, ...]
    ranges: dict[URIRef, URIRef]
    dates: frozenset[URIRef]

    @classmethod
    def of(cls, ontology: Graph, prefixes: Iterable[str]) -> Vocabulary:
        """The vocabulary of an ontology graph and the namespaces its files declare prefixes for."""
        declared = frozenset(
            s for s, o in ontology.subject_objects(RDF.type) if isinstance(s, URIRef) and o in DECLARING_TYPES
        )
        ranges = {
            p: r
            for p, r in ontology.subject_objects(RDFS.range)
            if isinstance(p, URIRef) and isinstance(r, URIRef) and str(r).startswith(str(XSD._NS))
        }
        dates = {
            p
            for p in ontology.subjects(RDFS.subPropertyOf)
            if isinstance(p, URIRef)
            and any(sup in DATE_ROOTS for sup in ontology.transitive_objects(p, RDFS.subPropertyOf))
        }
        # our own namespaces (def#, id/...) are not vocabularies we align to: cg: terms must be declared
        aligned = tuple(
            sorted({ns for ns in prefixes if ns and not ns.startswith(CANONICAL_BASE)}, key=len, reverse=True)
        )
        return cls(declared, aligned, ranges, frozenset(dates | DATE_ROOTS))

    def is_declared(self, term: URIRef) -> bool:
        """Whether ``term`` is declared in the ontology or in a vocabulary it aligns to.

        Examples
        --------
        >>> vocabulary = ontology_vocabulary(Path("ontology"))
        >>> [vocabulary.is_declared(URIRef(t)) for t in (CG_NAMESPACE + "Actor", CG_NAMESPACE + "Agent")]
        [False, True]
        >>> vocabulary.is_declared(SKOS.hiddenLabel), vocabulary.is_declared(URIRef(str(SKOS) + "hiddenLabell"))
        (True, False)
        """
        if term in self.declared:
            return True
        iri = str(term)
        if iri.startswith(CG_NAMESPACE):
            return False
        for namespace in self.aligned:
            if iri.startswith(namespace):
                closed = CLOSED_VOCABULARIES.get(namespace)
                if closed is None:
                    return True
                name = iri[len(namespace) :]
                return name in closed.__annotations__ or name in getattr(closed, "_extras", ())
        return False


_PREFIX = re.compile(r"@prefix\s+[\w.-]*:\s*<([^>]*)>|PREFIX\s+[\w.-]*:\s*<([^>]*)>", re.IGNORECASE)


def declared_prefixes(folder: Path) -> list[str]:
    """The namespaces the Turtle files of ``folder`` declare prefixes for (the aligned vocabularies).

    >>> "http://www.w3.org/ns/prov#" in declared_prefixes(Path("ontology"))
    True
    """
    found: list[str] = []
    for path in sorted(folder.glob("*.ttl")):
        for match in _PREFIX.finditer(path.read_text("utf-8")):
            found.append(match.group(1) or match.group(2))
    return found


@lru_cache(maxsize=4)
def _vocabulary_cached(folder: str, stamp: tuple[tuple[str, int], ...]) -> Vocabulary:
    ontology = Graph()
    for path in sorted(Path(folder).glob("*.ttl")):
        ontology.parse(path, format="turtle")
    return Vocabulary.of(ontology, declared_prefixes(Path(folder)))


def ontology_vocabulary(folder: Path) -> Vocabulary:
    """The :class:`Vocabulary` of the ontology folder, read once per content."""
    stamp = tuple((p.name, p.stat().st_mtime_ns) for p in sorted(folder.glob("*.ttl")))
    return _vocabulary_cached(str(folder), stamp)


def _issue(focus: object, path: URIRef | None, value: object, constraint: str, en: str, es: str) -> TermIssue:
    return TermIssue(focus, path, value, constraint, {"en": en, "es": es})


def check_terms(data: Graph, vocabulary: Vocabulary) -> list[TermIssue]:
    """The undeclared terms and badly typed values of ``data``.

    Parameters
    ----------
    data
        The triples to check (not entailed: the ontology's own super-properties are declared).
    vocabulary
        What the ontology declares (:func:`ontology_vocabulary`).

    Returns
    -------
    list[TermIssue]
        One issue per undeclared term use (per subject) and per badly typed value.

    Examples
    --------
    >>> from rdflib import Namespace
    >>> CG = Namespace(CG_NAMESPACE)
    >>> g = Graph()
    >>> _ = g.add((CG.x, RDF.type, CG.Actor)).add((CG.x, DCTERMS.date, Literal("sometime in 2019")))
    >>> sorted(i.constraint for i in check_terms(g, ontology_vocabulary(Path("ontology"))))
    ['DatatypeConstraint', 'DeclaredTermConstraint']
    """
    issues: list[TermIssue] = []
    seen: set[tuple[object, URIRef]] = set()
    for s, p, o in data:
        if not isinstance(p, URIRef):
            continue
        if (s, p) not in seen and not vocabulary.is_declared(p):
            seen.add((s, p))
            issues.append(
                _issue(
                    s,
                    p,
                    None,
                    "DeclaredTermConstraint",
                    f"the property {p} is declared neither in the ontology nor in a vocabulary it aligns to",
                    f"la propiedad {p} no está declarada ni en la ontología ni en un vocabulario con el que se alinea",
                )
            )
        if p == RDF.type and isinstance(o, URIRef) and (s, o) not in seen and not vocabulary.is_declared(o):
            seen.add((s, o))
            issues.append(
                _issue(
                    s,
                    p,
                    o,
                    "DeclaredTermConstraint",
                    f"the class {o} is declared neither in the ontology nor in a vocabulary it aligns to",
                    f"la clase {o} no está declarada ni en la ontología ni en un vocabulario con el que se alinea",
                )
            )
        issue = _datatype_issue(s, p, o, vocabulary)
        if issue is not None:
            issues.append(issue)
    return issues


def _datatype_issue(s: object, p: URIRef, o: object, vocabulary: Vocabulary) -> TermIssue | None:
    if p in vocabulary.dates:
        allowed, what_en, what_es = (
            DATE_TYPES,
            "a date (xsd:date, xsd:gYear, xsd:gYearMonth or xsd:dateTime)",
            "una fecha (xsd:date, xsd:gYear, xsd:gYearMonth o xsd:dateTime)",
        )
    else:
        expected = vocabulary.ranges.get(p)
        if expected is None or expected == XSD.string:
            return None
        name = "xsd:" + str(expected).removeprefix(str(XSD._NS))
        allowed, what_en, what_es = (
            COMPATIBLE.get(expected, frozenset({expected})),
            f"a {name} literal",
            f"un literal {name}",
        )
    if not isinstance(o, Literal):
        return _issue(
            s,
            p,
            o,
            "DatatypeConstraint",
            f"the value must be {what_en}, not a node",
            f"el valor debe ser {what_es}, no un nodo",
        )
    if o.datatype not in allowed:
        given = f"typed {o.datatype}" if o.datatype else "a plain string"
        given_es = f"de tipo {o.datatype}" if o.datatype else "una cadena sin tipo"
        return _issue(
            s,
            p,
            o,
            "DatatypeConstraint",
            f"the value {str(o)!r} must be {what_en}; it is {given}",
            f"el valor {str(o)!r} debe ser {what_es}; es {given_es}",
        )
    # rdflib rewrites some ill-typed values on reading ("maybe"^^xsd:boolean becomes "false"): it says so
    if o.ill_typed or not valid_lexical(str(o), URIRef(o.datatype)):
        return _issue(
            s,
            p,
            o,
            "DatatypeConstraint",
            f"{str(o)!r} is not a valid {o.datatype}",
            f"{str(o)!r} no es un {o.datatype} válido",
        )
    return None
