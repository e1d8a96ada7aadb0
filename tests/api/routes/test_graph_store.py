"""The Graph Store Protocol at /graph-store: reads for anyone, gated writes for curators."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from rdflib import RDFS, Literal, URIRef

from coopgraph.audit import AuditLog
from support.writing import GOOD_TURTLE, SUBMISSION, Writable, fingerprint, served, writable_service

FOUNDATION = URIRef("https://w3id.org/coopgraph/id/organisation/test-foundation")
TURTLE = {"Content-Type": "text/turtle"}


@pytest.fixture
def service(tmp_path: Path) -> Iterator[Writable]:
    with writable_service(tmp_path) as writable:
        yield writable


def test_put_creates_a_graph_that_get_returns(service: Writable) -> None:
    put = service.client.put(
        f"/graph-store?graph={SUBMISSION}", content=GOOD_TURTLE, headers={**TURTLE, **service.auth("curator")}
    )
    assert put.status_code == 201, put.text
    assert put.json()["graphs"][SUBMISSION] == 7
    got = service.client.get("/graph-store", params={"graph": SUBMISSION}, headers={"Accept": "text/turtle"})
    assert got.status_code == 200
    graph = rdflib.Graph().parse(data=got.text, format="turtle")
    assert (FOUNDATION, RDFS.label, Literal("Test Foundation", lang="en")) in graph


def test_put_again_replaces_and_answers_200(service: Writable) -> None:
    headers = {**TURTLE, **service.auth("curator")}
    assert (
        service.client.put(
            f"/graph-store?graph={SUBMISSION}", content=GOOD_TURTLE, headers=headers
        ).status_code
        == 201
    )
    relabelled = GOOD_TURTLE.replace(b'"Test Foundation"@en', b'"Renamed Foundation"@en')
    again = service.client.put(f"/graph-store?graph={SUBMISSION}", content=relabelled, headers=headers)
    assert again.status_code == 200
    labels = {q.object.value for q in service.store.quads(SUBMISSION) if q.predicate.value == str(RDFS.label)}
    assert labels == {"Renamed Foundation"}


def test_post_merges_into_the_graph(service: Writable) -> None:
    headers = {**TURTLE, **service.auth("curator")}
    service.client.put(f"/graph-store?graph={SUBMISSION}", content=GOOD_TURTLE, headers=headers)
    extra = b'<https://w3id.org/coopgraph/id/organisation/test-foundation> <http://www.w3.org/2004/02/skos/core#altLabel> "TF"@en .'
    post = service.client.post(f"/graph-store?graph={SUBMISSION}", content=extra, headers=headers)
    assert post.status_code == 200, post.text
    assert post.json()["graphs"][SUBMISSION] == 8 and post.json()["added"] == 1


def test_delete_removes_the_graph(service: Writable) -> None:
    headers = {**TURTLE, **service.auth("curator")}
    service.client.put(f"/graph-store?graph={SUBMISSION}", content=GOOD_TURTLE, headers=headers)
    deleted = service.client.delete(
        "/graph-store", params={"graph": SUBMISSION}, headers=service.auth("curator")
    )
    assert deleted.status_code == 200
    assert SUBMISSION not in service.store.named_graphs()
    assert service.client.get("/graph-store", params={"graph": SUBMISSION}).status_code == 404


def test_head_has_the_headers_of_get(service: Writable) -> None:
    graph = "https://w3id.org/coopgraph/graph/global-alliance-2002"
    head = service.client.head(
        "/graph-store", params={"graph": graph}, headers={"Accept": "application/n-triples"}
    )
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("application/n-triples")
    assert head.content == b""


def test_default_graph_is_refused(service: Writable) -> None:
    response = service.client.get("/graph-store?default")
    assert response.status_code == 400
    assert response.json()["name"] == "default"


def test_a_write_bumps_the_store_version_and_queries_see_it(service: Writable) -> None:
    before = service.store.version()
    query = {"query": f"ASK {{ GRAPH <{SUBMISSION}> {{ ?s ?p ?o }} }}"}
    assert (
        service.client.get(
            "/sparql", params=query, headers={"Accept": "application/sparql-results+json"}
        ).json()["boolean"]
        is False
    )
    put = service.client.put(
        f"/graph-store?graph={SUBMISSION}", content=GOOD_TURTLE, headers={**TURTLE, **service.auth("curator")}
    )
    assert put.status_code == 201
    assert service.store.version() != before
    assert put.json()["version"] == service.store.version()
    answer = service.client.get(
        "/sparql", params=query, headers={"Accept": "application/sparql-results+json"}
    )
    assert answer.json()["boolean"] is True  # the worker processes were renewed, the cache moved on


def test_every_write_is_in_the_audit_log(service: Writable) -> None:
    service.client.put(
        f"/graph-store?graph={SUBMISSION}", content=GOOD_TURTLE, headers={**TURTLE, **service.auth("curator")}
    )
    service.client.put(
        f"/graph-store?graph={SUBMISSION}", content=b"<a> <b>", headers={**TURTLE, **service.auth("curator")}
    )
    service.client.put(f"/graph-store?graph={SUBMISSION}", content=GOOD_TURTLE, headers=TURTLE)
    entries = list(AuditLog(service.folder / "audit.jsonl").entries())
    assert [e["result"] for e in entries] == ["committed", "refused", "refused"]
    assert entries[0]["who"] == "test-curator" and entries[0]["graphs"] == [SUBMISSION]
    assert entries[2]["who"] == "anonymous" and entries[2]["error"] == "Unauthorized"
    assert (service.folder / "audit.jsonl").stat().st_mode & 0o777 == 0o600


def test_rdflib_reads_and_httpx_writes_over_http(tmp_path: Path) -> None:
    with served(tmp_path) as (base, store, tokens):
        put = httpx.put(
            f"{base}graph-store",
            params={"graph": SUBMISSION},
            content=GOOD_TURTLE,
            headers={**TURTLE, "Authorization": f"Bearer {tokens['curator']}"},
            timeout=60,
        )
        assert put.status_code == 201, put.text
        graph = rdflib.Graph().parse(f"{base}graph-store?graph={SUBMISSION}", format="turtle")
        assert (FOUNDATION, RDFS.label, Literal("Test Foundation", lang="en")) in graph
        assert fingerprint(store)[SUBMISSION][0] == len(graph)
