"""Conditional requests and the result cache through the service: ETag, If-None-Match -> 304,
Cache-Control, Vary and X-Coopgraph-Cache on ``/sparql`` and ``/queries/{name}``; a change on a
remote endpoint is seen as ``COOPGRAPH_CACHE_REMOTE_SECONDS`` says."""

from __future__ import annotations

import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.store import EmbeddedStore
from support.services import serve, service_env

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
NAMED = "/queries/articles-of-the-convention"
ACTOR = "/queries/activities-of-actor"
PROBE_GRAPH = "https://w3id.org/coopgraph/graph/cache-probe"


@pytest.fixture(scope="module")
def client(settings: Settings, project_store: EmbeddedStore) -> Iterator[TestClient]:
    """The service with its fast path, in process, over the project store."""
    with TestClient(create_app(settings.model_copy(update={"query_workers": 1}), project_store)) as running:
        yield running


def _n(response: httpx.Response) -> int:
    return int(response.json()["results"]["bindings"][0]["n"]["value"])


def test_a_repeated_query_comes_from_the_cache_with_the_same_etag(client: TestClient) -> None:
    text = COUNT + " # repeated"
    first = client.get("/sparql", params={"query": text})
    second = client.get("/sparql", params={"query": text})
    assert first.status_code == 200 and second.status_code == 200
    assert first.headers["X-Coopgraph-Cache"] == "miss"
    assert second.headers["X-Coopgraph-Cache"] == "hit"
    assert second.content == first.content
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers["ETag"].startswith('W/"')
    assert first.headers["Cache-Control"] == "no-cache"
    assert first.headers["Vary"] == "Accept"


def test_if_none_match_gets_304_without_a_body(client: TestClient) -> None:
    text = COUNT + " # conditional"
    first = client.get("/sparql", params={"query": text})
    tag = first.headers["ETag"]
    again = client.get("/sparql", params={"query": text}, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == tag
    assert again.headers["Vary"] == "Accept"
    listed = client.get("/sparql", params={"query": text}, headers={"If-None-Match": f'"other", {tag}'})
    assert listed.status_code == 304
    stale = client.get("/sparql", params={"query": text}, headers={"If-None-Match": 'W/"stale"'})
    assert stale.status_code == 200 and stale.content == first.content


def test_the_etag_follows_the_media_type_and_the_dataset(client: TestClient) -> None:
    text = COUNT + " # per media type"
    as_json = client.get("/sparql", params={"query": text})
    as_csv = client.get("/sparql", params={"query": text}, headers={"Accept": "text/csv"})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["ETag"] != as_json.headers["ETag"]
    # the JSON copy is not current for a client that asks for CSV
    crossed = client.get(
        "/sparql",
        params={"query": text},
        headers={"Accept": "text/csv", "If-None-Match": as_json.headers["ETag"]},
    )
    assert crossed.status_code == 200 and crossed.content == as_csv.content
    graph = "https://w3id.org/coopgraph/graph/ontology"
    narrowed = client.get("/sparql", params={"query": text, "default-graph-uri": graph})
    assert narrowed.status_code == 200
    assert narrowed.headers["X-Coopgraph-Cache"] == "miss"
    assert narrowed.headers["ETag"] != as_json.headers["ETag"]
    assert _n(narrowed) < _n(as_json)


def test_a_non_deterministic_query_is_never_cached_nor_tagged(client: TestClient) -> None:
    text = "SELECT (STRUUID() AS ?u) WHERE {}"
    first = client.get("/sparql", params={"query": text})
    second = client.get("/sparql", params={"query": text})
    assert first.status_code == 200 and second.status_code == 200
    assert first.content != second.content
    assert "ETag" not in second.headers
    assert second.headers["X-Coopgraph-Cache"] == "miss"
    assert second.headers["Cache-Control"] == "no-store"


def test_a_post_is_cached_but_not_conditional(client: TestClient) -> None:
    text = COUNT + " # posted"
    first = client.post("/sparql", content=text, headers={"Content-Type": "application/sparql-query"})
    second = client.post(
        "/sparql",
        content=text,
        headers={"Content-Type": "application/sparql-query", "If-None-Match": first.headers["ETag"]},
    )
    assert second.status_code == 200
    assert second.headers["X-Coopgraph-Cache"] == "hit"
    assert second.content == first.content


def test_named_queries_are_cached_and_conditional(client: TestClient) -> None:
    first = client.get(NAMED)
    assert first.status_code == 200, first.text
    second = client.get(NAMED)
    assert (first.headers["X-Coopgraph-Cache"], second.headers["X-Coopgraph-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    not_modified = client.get(NAMED, headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.content == b""
    # another parameter value is another answer, under another tag
    colombia = client.get(ACTOR, params={"actor": "https://w3id.org/coopgraph/id/party/colombia"})
    mexico = client.get(ACTOR, params={"actor": "https://w3id.org/coopgraph/id/party/mexico"})
    assert colombia.status_code == 200 and mexico.status_code == 200
    assert colombia.headers["ETag"] != mexico.headers["ETag"]
    assert mexico.headers["X-Coopgraph-Cache"] == "miss"


def test_pages_of_a_named_query_keep_their_links_from_the_cache(client: TestClient) -> None:
    first = client.get("/queries/contributions", params={"page": "1"})
    second = client.get("/queries/contributions", params={"page": "1"})
    assert first.status_code == 200 and second.status_code == 200
    assert second.headers["X-Coopgraph-Cache"] == "hit"
    assert second.headers["Link"] == first.headers["Link"]


def test_the_cache_can_be_turned_off(settings: Settings, project_store: EmbeddedStore) -> None:
    off = settings.model_copy(update={"query_workers": 1, "cache_bytes": 0})
    with TestClient(create_app(off, project_store)) as running:
        first = running.get("/sparql", params={"query": COUNT})
        second = running.get("/sparql", params={"query": COUNT})
    assert second.headers["X-Coopgraph-Cache"] == "miss"
    assert "ETag" not in second.headers and first.content == second.content


def test_the_documented_routes_find_a_request_by_its_bytes_and_answer_if_none_match(
    settings: Settings, project_store: EmbeddedStore
) -> None:
    """Without the fast path, the /sparql routes answer a repeated request from the cache too."""
    text = COUNT + " # documented routes"
    with TestClient(
        create_app(settings.model_copy(update={"query_workers": 1}), project_store, fast_path=False)
    ) as running:
        first = running.get("/sparql", params={"query": text})
        again = running.get("/sparql", params={"query": text})
        as_csv = running.get("/sparql", params={"query": text}, headers={"Accept": "text/csv"})
        as_csv_again = running.get("/sparql", params={"query": text}, headers={"Accept": "text/csv"})
        current = running.get(
            "/sparql", params={"query": text}, headers={"If-None-Match": first.headers["ETag"]}
        )
        posted = [running.post("/sparql", data={"query": text}) for _ in range(2)]
        hits = running.app.state.query_runner.cache.hits  # type: ignore[attr-defined]
    assert first.status_code == 200 and first.headers["X-Coopgraph-Cache"] == "miss"
    assert again.headers["X-Coopgraph-Cache"] == "hit" and again.content == first.content
    # another negotiated type is another answer: read and run once, then found by its bytes
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["X-Coopgraph-Cache"] == "miss"
    assert as_csv_again.headers["X-Coopgraph-Cache"] == "hit" and as_csv_again.content == as_csv.content
    assert as_csv_again.headers["ETag"] == as_csv.headers["ETag"] != first.headers["ETag"]
    assert current.status_code == 304 and current.content == b""
    assert [r.headers["X-Coopgraph-Cache"] for r in posted] == ["hit", "hit"]
    assert all(r.content == first.content for r in posted)
    assert hits == 5


# -- a change on a remote endpoint, seen through the real service ----------------------------
def _put_probe(oxigraph: str, label: str) -> None:
    body = f'<{PROBE_GRAPH}#s> <http://www.w3.org/2000/01/rdf-schema#label> "{label}" .\n'
    response = httpx.put(
        f"{oxigraph}/store",
        params={"graph": PROBE_GRAPH},
        content=body,
        headers={"Content-Type": "text/turtle"},
    )
    assert response.status_code in (200, 201, 204), response.text


def _drop_probe(oxigraph: str) -> None:
    httpx.delete(f"{oxigraph}/store", params={"graph": PROBE_GRAPH})


PROBE_QUERY = f"SELECT ?label WHERE {{ GRAPH <{PROBE_GRAPH}> {{ ?s ?p ?label }} }}"


def _labels(sparql: str) -> tuple[list[str], str]:
    response = httpx.get(sparql, params={"query": PROBE_QUERY}, timeout=10)
    assert response.status_code == 200, response.text
    labels = [b["label"]["value"] for b in response.json()["results"]["bindings"]]
    return labels, response.headers["X-Coopgraph-Cache"]


@pytest.mark.parametrize("remote_seconds", [0.0, 1.5])
def test_a_write_to_the_remote_endpoint_is_seen(
    remote_seconds: float, oxigraph_server: str, settings: Settings, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """By default at once; with a cache time, once that time has passed, never later."""
    env = service_env(
        settings.project_dir,
        sparql_endpoint=oxigraph_server + "/query",
        sparql_update_endpoint=oxigraph_server + "/update",
        cache_remote_seconds=str(remote_seconds),
    )
    _put_probe(oxigraph_server, "before")
    try:
        with serve(env, tmp_path_factory.mktemp("log") / "serve-cache.log") as running:
            if remote_seconds:
                # start at the beginning of a slot, so that the stale window is the whole slot
                while time.monotonic() % remote_seconds > 0.2:
                    time.sleep(0.05)
            assert _labels(running.sparql)[0] == ["before"]
            _put_probe(oxigraph_server, "after")
            labels, cache = _labels(running.sparql)
            if not remote_seconds:
                assert (labels, cache) == (["after"], "miss")
                return
            assert (labels, cache) == (["before"], "hit")  # within the documented window
            time.sleep(remote_seconds + 0.1)
            assert _labels(running.sparql) == (["after"], "miss")
    finally:
        _drop_probe(oxigraph_server)
