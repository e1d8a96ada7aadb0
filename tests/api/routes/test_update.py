"""SPARQL 1.1 Update at POST /update: run on a copy, committed only if the graphs conform."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import rdflib
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from support.writing import GOOD_TURTLE, SUBMISSION, Writable, fingerprint, served, writable_service

PREFIXES = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
FOUNDATION = "<https://w3id.org/coopgraph/id/organisation/test-foundation>"
UNESCO = "<https://w3id.org/coopgraph/id/organisation/unesco>"
CULTURELINK = "<https://w3id.org/coopgraph/id/organisation/culturelink>"
"""Described in the Global Alliance graph only."""
GLOBAL_ALLIANCE = "<https://w3id.org/coopgraph/graph/global-alliance-2002>"


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Writable]:
    with writable_service(tmp_path) as writable:
        yield writable


def post_update(service: Writable, text: str, role: str = "curator", form: bool = False):  # type: ignore[no-untyped-def]
    if form:
        return service.client.post("/update", data={"update": text}, headers=service.auth(role))
    return service.client.post(
        "/update",
        content=text.encode(),
        headers={"Content-Type": "application/sparql-update", **service.auth(role)},
    )


def test_insert_data_into_an_existing_graph_is_committed(service: Writable) -> None:
    text = (
        PREFIXES
        + f'INSERT DATA {{ GRAPH {GLOBAL_ALLIANCE} {{ {UNESCO} skos:altLabel "ONU-Educación"@es }} }}'
    )
    response = post_update(service, text)
    assert response.status_code == 200, response.text
    assert response.json()["added"] == 1
    ask = PREFIXES + f'ASK {{ GRAPH {GLOBAL_ALLIANCE} {{ {UNESCO} skos:altLabel "ONU-Educación"@es }} }}'
    assert service.store.ask(ask)


def test_the_form_encoding_is_read_too(service: Writable) -> None:
    text = (
        PREFIXES + f'DELETE DATA {{ GRAPH {GLOBAL_ALLIANCE} {{ {UNESCO} skos:altLabel "nothing such"@en }} }}'
    )
    response = post_update(service, text, form=True)
    assert response.status_code == 200, response.text
    assert response.json()["graphs"] == {}  # nothing changed, nothing written


def test_an_update_that_breaks_a_shape_is_refused_and_nothing_changes(service: Writable) -> None:
    before = fingerprint(service.store)
    text = PREFIXES + f"DELETE WHERE {{ GRAPH {GLOBAL_ALLIANCE} {{ {CULTURELINK} rdfs:label ?label }} }}"
    response = post_update(service, text)
    assert response.status_code == 422
    body = response.json()
    assert body["report"]["conforms"] is False
    assert any("culturelink" in node["node"] for node in body["report"]["nodes"])
    assert fingerprint(service.store) == before


def test_an_undeclared_class_is_refused(service: Writable) -> None:
    text = PREFIXES + f"INSERT DATA {{ GRAPH {GLOBAL_ALLIANCE} {{ {UNESCO} a cg:Actor }} }}"
    response = post_update(service, text)
    assert response.status_code == 422
    constraints = {r["constraint"] for n in response.json()["report"]["nodes"] for r in n["results"]}
    assert "DeclaredTermConstraint" in constraints


def test_an_update_of_the_default_graph_is_refused(service: Writable) -> None:
    response = post_update(service, PREFIXES + f'INSERT DATA {{ {UNESCO} rdfs:label "x"@en }}')
    assert response.status_code == 400
    assert response.json()["name"] == "update"


@pytest.mark.parametrize(
    "text",
    [
        "LOAD <http://127.0.0.1:9/data.ttl> INTO GRAPH <http://e/g>",
        "INSERT { GRAPH <http://e/g> { ?s ?p ?o } } WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    ],
)
def test_load_and_service_are_refused(service: Writable, text: str) -> None:
    assert post_update(service, text).status_code == 403


def test_the_shapes_graph_cannot_be_written(service: Writable) -> None:
    text = 'INSERT DATA { GRAPH <https://w3id.org/coopgraph/graph/shapes> { <http://e/s> <http://e/p> "o" } }'
    assert post_update(service, text).status_code == 403


def test_a_malformed_update_is_a_400_with_its_position(service: Writable) -> None:
    response = post_update(service, "INSERT DATA { GRAPH <http://e/g> { <http://e/s> }")
    assert response.status_code == 400
    assert response.json()["error"] == "QueryError"


def test_sparqlwrapper_runs_an_update(tmp_path: Path) -> None:
    with served(tmp_path) as (base, store, tokens):
        client = SPARQLWrapper(f"{base}sparql", updateEndpoint=f"{base}update")
        client.setMethod(POST)
        client.addCustomHttpHeader("Authorization", f"Bearer {tokens['curator']}")
        triples = rdflib.Graph().parse(data=GOOD_TURTLE, format="turtle").serialize(format="nt")
        client.setQuery(f"INSERT DATA {{ GRAPH <{SUBMISSION}> {{ {triples} }} }}")
        result = client.query()
        assert result.response.status == 200
        reader = SPARQLWrapper(f"{base}sparql")
        reader.setQuery(f'ASK {{ GRAPH <{SUBMISSION}> {{ {FOUNDATION} ?p "Test Foundation"@en }} }}')
        reader.setReturnFormat(JSON)
        assert reader.query().convert()["boolean"] is True
        assert fingerprint(store)[SUBMISSION][0] == 7


def test_an_update_past_the_time_limit_is_stopped_and_nothing_changes(tmp_path: Path) -> None:
    """The engine cannot be interrupted, so the update runs in a process that is killed at the limit."""
    with writable_service(tmp_path, query_timeout=1.0) as service:
        before = fingerprint(service.store)
        # three unconstrained patterns over the Global Alliance graph: billions of solutions
        slow = f"""INSERT {{ GRAPH {GLOBAL_ALLIANCE} {{ ?a rdfs:comment ?f }} }}
        WHERE {{ GRAPH {GLOBAL_ALLIANCE} {{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }} }}"""
        started = time.monotonic()
        answer = post_update(service, PREFIXES + slow)
        assert answer.status_code == 503, answer.text
        assert "time limit" in answer.json()["message"]
        assert time.monotonic() - started < 30
        assert fingerprint(service.store) == before
        # the writer is free again at once: the next update is committed
        quick = post_update(
            service,
            PREFIXES
            + f'INSERT DATA {{ GRAPH {GLOBAL_ALLIANCE} {{ {UNESCO} skos:altLabel "U.N.E.S.C.O."@en }} }}',
        )
        assert quick.status_code == 200, quick.text
