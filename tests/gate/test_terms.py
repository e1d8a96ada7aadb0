"""Declared terms and datatypes: one check per test, a valid and an invalid example each."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import XSD

from coopgraph.config import Settings
from coopgraph.gate.terms import check_terms, ontology_vocabulary, valid_lexical
from coopgraph.validation import validate

PREFIXES = """@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/coopgraph/id/> .
"""


def issues(turtle: str) -> list[str]:
    graph = Graph().parse(data=PREFIXES + turtle, format="turtle")
    return sorted(i.constraint for i in check_terms(graph, ontology_vocabulary(Settings().ontology_dir)))


@pytest.mark.parametrize(
    ("turtle", "expected"),
    [
        ("id:x a cg:Organisation .", []),
        ("id:x a cg:Actor .", ["DeclaredTermConstraint"]),
        ("id:x cg:fundedByy id:y .", ["DeclaredTermConstraint"]),
        ("id:x skos:hiddenLabel 'UAE' .", []),
        ("id:x skos:hiddenLable 'UAE' .", ["DeclaredTermConstraint"]),
        ("id:x ex:anything 'y' .", ["DeclaredTermConstraint"]),
        ("id:x a <http://schema.org/Organization> .", []),
    ],
)
def test_declared_terms(turtle: str, expected: list[str]) -> None:
    assert issues(turtle) == expected


@pytest.mark.parametrize(
    ("turtle", "expected"),
    [
        ('id:d dcterms:date "2019"^^xsd:gYear .', []),
        ('id:d dcterms:date "2019-05-02"^^xsd:date .', []),
        ('id:d dcterms:date "sometime in 2019" .', ["DatatypeConstraint"]),
        ('id:d dcterms:date "sometime in 2019"^^xsd:gYear .', ["DatatypeConstraint"]),
        ('id:d dcterms:date "2019-02-30"^^xsd:date .', ["DatatypeConstraint"]),
        ('id:d cg:startDate "2012"^^xsd:gYear .', []),
        ('id:d cg:startDate "2012" .', ["DatatypeConstraint"]),
        ('id:c cg:amount "60000"^^xsd:decimal .', []),
        ('id:c cg:amount "60000"^^xsd:integer .', []),
        ('id:c cg:amount "USD 60,000" .', ["DatatypeConstraint"]),
        ('id:c cg:amount "sixty"^^xsd:decimal .', ["DatatypeConstraint"]),
        ("id:c cg:amount id:y .", ["DatatypeConstraint"]),
        ('id:c cg:approximate "maybe"^^xsd:boolean .', ["DatatypeConstraint"]),
    ],
)
def test_datatypes_of_dates_and_amounts(turtle: str, expected: list[str]) -> None:
    assert issues(turtle) == expected


@pytest.mark.parametrize(
    ("value", "datatype", "valid"),
    [
        ("2019", XSD.gYear, True),
        ("-0044", XSD.gYear, True),
        ("19", XSD.gYear, False),
        ("2019-13", XSD.gYearMonth, False),
        ("2024-02-29", XSD.date, True),
        ("2023-02-29", XSD.date, False),
        ("2019-01-01T10:00:00Z", XSD.dateTime, True),
        ("1e3", XSD.decimal, False),
        ("-.5", XSD.decimal, True),
        ("true", XSD.boolean, True),
    ],
)
def test_lexical_forms(value: str, datatype, valid: bool) -> None:  # type: ignore[no-untyped-def]
    assert valid_lexical(value, datatype) is valid


def test_the_project_data_passes_the_new_checks() -> None:
    report = validate()
    assert report.conforms, report.to_text()
    assert not [r for r in report.results if r.constraint in ("DeclaredTermConstraint", "DatatypeConstraint")]


def test_coopgraph_validate_applies_them_to_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        PREFIXES
        + '\n<https://w3id.org/coopgraph/id/document/x> a cg:Document ;\n    dcterms:date "sometime in 2019" .\n',
        "utf-8",
    )
    report = validate([bad])
    found = {(r.constraint, r.line) for r in report.results}
    assert ("DatatypeConstraint", 8) in found
    assert not report.conforms
