"""``/openapi.json`` is a valid OpenAPI document that describes the real protocol.

"Try it out" at ``/docs`` sends what the document says; the examples it documents are sent here
the same way, to the running service.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from openapi_spec_validator import validate

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.queries import QueryCatalogue
from support.services import Service

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"


@pytest.fixture(scope="module")
def spec(settings: Settings) -> dict[str, Any]:
    """The OpenAPI document as the service serves it."""
    # the document needs no store: the lifespan is not run
    response = TestClient(create_app(settings)).get("/openapi.json")
    assert response.status_code == 200
    document: dict[str, Any] = response.json()
    return document


def parameters(operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in operation.get("parameters", [])}


def test_the_document_is_valid(spec: dict[str, Any]) -> None:
    validate(spec)


def test_operation_ids_are_unique(spec: dict[str, Any]) -> None:
    ids = [op["operationId"] for path in spec["paths"].values() for op in path.values()]
    assert len(ids) == len(set(ids))


def test_sparql_get_documents_the_protocol_parameters(spec: dict[str, Any]) -> None:
    documented = parameters(spec["paths"]["/sparql"]["get"])
    assert {"query", "default-graph-uri", "named-graph-uri"} <= set(documented)
    assert all(p["in"] == "query" for p in documented.values())
    assert documented["default-graph-uri"]["schema"]["type"] == "array"
    assert documented["named-graph-uri"]["schema"]["type"] == "array"


def test_sparql_post_documents_both_bodies(spec: dict[str, Any]) -> None:
    operation = spec["paths"]["/sparql"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {FORM, SPARQL_QUERY}
    assert content[FORM]["schema"]["required"] == ["query"]
    assert {"query", "default-graph-uri", "named-graph-uri"} <= set(content[FORM]["schema"]["properties"])
    assert content[SPARQL_QUERY]["schema"]["type"] == "string"
    assert {"default-graph-uri", "named-graph-uri"} <= set(parameters(operation))


@pytest.mark.parametrize(("method", "status"), [("get", 406), ("post", 406), ("post", 413), ("post", 415)])
def test_sparql_documents_its_error_statuses(spec: dict[str, Any], method: str, status: int) -> None:
    assert str(status) in spec["paths"]["/sparql"][method]["responses"]


def test_named_queries_document_their_parameters(spec: dict[str, Any], catalogue: QueryCatalogue) -> None:
    for query in catalogue.public():
        operation = spec["paths"][f"/queries/{query.name}"]["get"]
        documented = parameters(operation)
        expected = {p.name for p in query.parameters} | ({"page"} if query.pagination else set())
        assert set(documented) == expected, query.name
        assert all(p["in"] == "query" for p in documented.values())
        assert "406" in operation["responses"]


def test_the_documented_examples_run(service: Service, spec: dict[str, Any]) -> None:
    get = spec["paths"]["/sparql"]["get"]
    example = parameters(get)["query"]["example"]
    by_get = httpx.get(service.sparql, params={"query": example})
    assert by_get.status_code == 200, by_get.text
    body = spec["paths"]["/sparql"]["post"]["requestBody"]["content"]
    by_form = httpx.post(
        service.sparql, data={"query": body[FORM]["schema"]["properties"]["query"]["example"]}
    )
    by_body = httpx.post(
        service.sparql,
        content=body[SPARQL_QUERY]["schema"]["example"].encode(),
        headers={"Content-Type": SPARQL_QUERY},
    )
    assert by_form.status_code == by_body.status_code == 200
    assert by_get.json() == by_form.json() == by_body.json()
    assert len(by_get.json()["results"]["bindings"]) == 10
