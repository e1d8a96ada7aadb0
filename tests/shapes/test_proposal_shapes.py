"""The shapes of offers and requests: a conforming example, and one violating example per constraint."""

from __future__ import annotations

from pathlib import Path

import pytest

from coopgraph.config import Settings
from coopgraph.validation import ValidationReport, validate

PREFIXES = """\
@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix src: <https://w3id.org/coopgraph/id/source/> .
@prefix party: <https://w3id.org/coopgraph/id/party/> .
@prefix article: <https://w3id.org/coopgraph/id/article/> .
@prefix culture: <https://w3id.org/coopgraph/id/cultural-sector/> .
@prefix modality: <https://w3id.org/coopgraph/id/modality/> .
@prefix ex: <https://w3id.org/coopgraph/id/test/> .
"""

VALID = (
    PREFIXES
    + """
ex:project a cg:Project ;
    rdfs:label "Archives project"@en ;
    prov:wasDerivedFrom src:colombia-bilateral-cooperation ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:colombia-bilateral-cooperation ; cg:locator "Joint Commissions" ] .

ex:offer a cg:Offer ;
    rdfs:label "Colombia offers training in archives"@en ;
    cg:offeredBy party:colombia ;
    cg:addressedTo party:paraguay ;
    cg:proposedSector culture:archives ;
    cg:proposedModality modality:technical-cooperation ;
    cg:relatesToArticle article:14 ;
    cg:date "2018"^^xsd:gYear ;
    cg:takenUpIn ex:project ;
    prov:wasDerivedFrom src:colombia-bilateral-cooperation ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:colombia-bilateral-cooperation ;
        cg:locator "Joint Commissions: Paraguay" ; cg:quote "Technical assistance and knowledge exchange" ] .

ex:request a cg:Request ;
    rdfs:label "Japan asks to learn about satellite accounts"@en ;
    cg:requestedBy party:japan ;
    cg:proposedSector culture:cultural-statistics ;
    prov:wasDerivedFrom src:colombia-bilateral-cooperation ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:colombia-bilateral-cooperation ;
        cg:locator "Asia: Japan" ; cg:quote "in order to learn about the Satellite Account" ] .
"""
)


def run(tmp_path: Path, text: str) -> ValidationReport:
    path = tmp_path / "example.ttl"
    path.write_text(text, "utf-8")
    return validate([path], Settings(in_memory=True))


def test_valid_offer_and_request_conform(tmp_path: Path) -> None:
    report = run(tmp_path, VALID)
    assert report.conforms, report.to_text()
    assert [r for r in report.results if r.severity != "Info"] == []


CASES = [
    ("cg:offeredBy party:colombia ;\n", "", "offer", "offeredBy"),
    ("cg:requestedBy party:japan ;\n", "", "request", "requestedBy"),
    ("cg:offeredBy party:colombia", "cg:offeredBy culture:archives", "offer", "offeredBy"),
    ("cg:proposedSector culture:archives", "cg:proposedSector modality:bilateral", "offer", "proposedSector"),
    (
        "cg:proposedModality modality:technical-cooperation",
        "cg:proposedModality culture:archives",
        "offer",
        "proposedModality",
    ),
    ("cg:addressedTo party:paraguay", "cg:addressedTo culture:music", "offer", "addressedTo"),
    ("cg:takenUpIn ex:project", "cg:takenUpIn party:paraguay", "offer", "takenUpIn"),
    ("cg:relatesToArticle article:14", "cg:relatesToArticle culture:music", "offer", "relatesToArticle"),
    ('cg:date "2018"^^xsd:gYear', 'cg:date "last year"', "offer", "date"),
    ('; cg:quote "Technical assistance and knowledge exchange"', "", "offer", "qualifiedDerivation"),
    (
        'rdfs:label "Colombia offers training in archives"@en',
        'rdfs:label "Colombia ofrece formación"@es',
        "offer",
        "label",
    ),
]


@pytest.mark.parametrize(("old", "new", "focus", "path"), CASES)
def test_each_constraint_fails_alone(tmp_path: Path, old: str, new: str, focus: str, path: str) -> None:
    assert old in VALID
    report = run(tmp_path, VALID.replace(old, new, 1))
    failing = [r for r in report.results if r.severity != "Info"]
    assert not report.conforms, report.to_text()
    assert failing, report.to_text()
    # the changed node fails on the changed property (a nested shape also reports on the value)
    assert any(r.focus_node.endswith(f"/test/{focus}>") and path in str(r.path) for r in failing), (
        report.to_text()
    )
    others = {"offer", "request", "project"} - {focus}
    assert not [r for r in failing if any(r.focus_node.endswith(f"/test/{o}>") for o in others)], (
        report.to_text()
    )
