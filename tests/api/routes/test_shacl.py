"""POST /shacl: the validation report of posted RDF, in four formats, storing nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import rdflib
from rdflib.namespace import SH

from support.writing import GOOD_TURTLE, Writable, fingerprint, writable_service

BAD_TURTLE = b"""@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix dcterms: <http://purl.org/dc/terms/> .

<https://w3id.org/coopgraph/id/document/undated> a cg:Document ;
    dcterms:date "sometime in 2019" .

<https://w3id.org/coopgraph/id/organisation/made-up> a cg:Actor .
"""
"""A document dated in words (line 4), an organisation of an undeclared class (line 7)."""


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Writable]:
    with writable_service(tmp_path_factory.mktemp("shacl"), with_tokens=False) as writable:
        yield writable


def post(service: Writable, body: bytes, accept: str, **headers: str):  # type: ignore[no-untyped-def]
    return service.client.post(
        "/shacl", content=body, headers={"Content-Type": "text/turtle", "Accept": accept, **headers}
    )


def test_conforming_data_gets_a_conforming_report(service: Writable) -> None:
    response = post(service, GOOD_TURTLE, "application/json")
    assert response.status_code == 200
    assert response.json()["conforms"] is True


def test_json_report_groups_by_node_with_lines(service: Writable) -> None:
    response = post(service, BAD_TURTLE, "application/json")
    assert response.status_code == 200
    report = response.json()
    assert report["conforms"] is False
    lines = {node["node"].rsplit("/", 1)[-1].rstrip(">"): node["line"] for node in report["nodes"]}
    assert lines["undated"] == 4 and lines["made-up"] == 7
    undated = next(n for n in report["nodes"] if "undated" in n["node"])
    assert "DatatypeConstraint" in {r["constraint"] for r in undated["results"]}


def test_turtle_report_is_a_shacl_report(service: Writable) -> None:
    response = post(service, BAD_TURTLE, "text/turtle")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="turtle")
    report = next(graph.subjects(rdflib.RDF.type, SH.ValidationReport))
    assert graph.value(report, SH.conforms).toPython() is False
    assert len(list(graph.objects(report, SH.result))) >= 2


def test_jsonld_report_parses(service: Writable) -> None:
    response = post(service, BAD_TURTLE, "application/ld+json")
    assert response.status_code == 200
    graph = rdflib.Graph().parse(data=response.text, format="json-ld")
    assert (None, rdflib.RDF.type, SH.ValidationResult) in graph


def test_html_report_names_the_nodes_in_spanish(service: Writable) -> None:
    response = post(service, BAD_TURTLE, "text/html", **{"Accept-Language": "es"})
    assert response.status_code == 200
    assert "no son conformes" in response.text
    assert "made-up" in response.text and 'lang="es"' in response.text


def test_the_page_posts_a_form(service: Writable) -> None:
    page = service.client.get("/shacl")
    assert page.status_code == 200 and 'action="http://testserver/shacl"' in page.text
    response = service.client.post(
        "/shacl", data={"data": BAD_TURTLE.decode(), "format": "text/turtle"}, headers={"Accept": "text/html"}
    )
    assert response.status_code == 200 and "does not conform" in response.text


def test_nothing_is_stored(service: Writable) -> None:
    before = fingerprint(service.store)
    assert post(service, GOOD_TURTLE, "application/json").status_code == 200
    assert fingerprint(service.store) == before


def test_over_the_sparql_limit_is_413(service: Writable) -> None:
    limit = service.client.app.state.settings.max_request_bytes  # type: ignore[attr-defined]
    body = b"# " + b"x" * limit + b"\n"
    assert post(service, body, "application/json").status_code == 413


def test_unsupported_media_type_is_415(service: Writable) -> None:
    response = service.client.post("/shacl", content=b"{}", headers={"Content-Type": "application/pdf"})
    assert response.status_code == 415
