"""The two entrances to ``/sparql`` give the same answers, and CORS comes from one setting.

The running service (``service``) answers every request that carries a query with its fast path;
``route_only`` is the same app with the fast path off, so the same requests reach the documented
routes. Errors must match byte for byte, with the same CORS headers. What the service refuses
before it asks a store is checked over the in-memory store (``ONE_STORE``); what a store answers,
over each store.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.namespaces import GRAPH
from coopgraph.store import EmbeddedStore
from support.services import ONE_STORE, Service

ORIGIN = "https://example.org"
CORS_HEADERS = (
    "access-control-allow-origin",
    "access-control-expose-headers",
    "access-control-allow-credentials",
)
MEXICO_IBERMEDIA = """PREFIX cg: <https://w3id.org/coopgraph/def#>
SELECT ?amount ?currency WHERE {
  ?c cg:contributor <https://w3id.org/coopgraph/id/party/mexico> ;
     cg:recipient <https://w3id.org/coopgraph/id/programme/ibermedia> ;
     cg:amount ?amount ; cg:currency ?currency .
}"""
OVERSIZED = ("ASK {}\n#" + "x" * (1 << 20)).encode()


def chunks(data: bytes) -> Iterator[bytes]:
    """``data`` sent without a ``Content-Length``, 64 KiB at a time."""
    for start in range(0, len(data), 65536):
        yield data[start : start + 65536]


ERROR_REQUESTS: dict[str, dict[str, Any]] = {
    "413-declared": {"content": OVERSIZED, "headers": {"Content-Type": "application/sparql-query"}},
    "406": {"data": {"query": MEXICO_IBERMEDIA}, "headers": {"Accept": "image/png"}},
    "406-graph": {
        "data": {"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 1"},
        "headers": {"Accept": "text/csv"},
    },
    "415": {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}},
    "403-update": {"data": {"update": "DROP ALL"}},
    "400-missing-query": {"data": {"default-graph-uri": str(GRAPH["reference"])}},
    "400-query-twice": {
        "content": b"ASK {}",
        "params": {"query": "ASK {}"},
        "headers": {"Content-Type": "application/sparql-query"},
    },
}


def assert_same_answer(fast: httpx.Response, route: httpx.Response) -> None:
    assert fast.status_code == route.status_code
    assert fast.headers["content-type"] == route.headers["content-type"]
    for name in (*CORS_HEADERS, "vary", "retry-after"):
        assert fast.headers.get(name) == route.headers.get(name), name


@ONE_STORE
@pytest.mark.parametrize("case", ERROR_REQUESTS)
def test_a_refused_post_gets_the_same_answer_through_both_entrances(
    service: Service, route_only: TestClient, case: str
) -> None:
    kwargs = ERROR_REQUESTS[case]
    headers = {**kwargs.get("headers", {}), "Origin": ORIGIN}
    fast = httpx.post(service.sparql, **{**kwargs, "headers": headers})
    route = route_only.post("/sparql", **{**kwargs, "headers": headers})
    assert fast.status_code == int(case[:3])
    assert_same_answer(fast, route)
    assert fast.headers["access-control-allow-origin"] == "*"
    assert fast.json() == route.json()


def test_a_malformed_query_gets_the_same_status_through_both_entrances(
    service: Service, route_only: TestClient
) -> None:
    # the store parses the query: a remote endpoint refuses it, in words of its own
    headers = {"Origin": ORIGIN}
    fast = httpx.post(service.sparql, data={"query": "SELECT ?x WHERE {"}, headers=headers)
    route = route_only.post("/sparql", data={"query": "SELECT ?x WHERE {"}, headers=headers)
    assert fast.status_code == 400
    assert_same_answer(fast, route)
    assert fast.headers["access-control-allow-origin"] == "*"
    if service.kind not in ("remote", "virtuoso"):
        assert fast.json() == route.json()


@ONE_STORE
def test_a_chunked_oversized_body_gets_413_through_both_entrances(
    service: Service, route_only: TestClient
) -> None:
    headers = {"Content-Type": "application/sparql-query", "Origin": ORIGIN}
    fast = httpx.post(service.sparql, content=chunks(OVERSIZED), headers=headers)
    route = route_only.post("/sparql", content=chunks(OVERSIZED), headers=headers)
    assert fast.status_code == 413
    assert_same_answer(fast, route)
    assert fast.json() == route.json()
    assert route.json()["error"] == "RequestTooLarge"


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"query": MEXICO_IBERMEDIA}},
        {"content": MEXICO_IBERMEDIA.encode(), "headers": {"Content-Type": "application/sparql-query"}},
        {"params": {"query": MEXICO_IBERMEDIA, "default-graph-uri": str(GRAPH["reference"])}},
    ],
    ids=["form", "sparql-query", "get-with-dataset"],
)
def test_a_query_gets_the_same_rows_through_both_entrances(
    service: Service, route_only: TestClient, request_kwargs: dict[str, Any]
) -> None:
    method = "GET" if "params" in request_kwargs else "POST"
    headers = {**request_kwargs.get("headers", {}), "Origin": ORIGIN}
    fast = httpx.request(method, service.sparql, **{**request_kwargs, "headers": headers})
    route = route_only.request(method, "/sparql", **{**request_kwargs, "headers": headers})
    assert fast.status_code == 200
    assert_same_answer(fast, route)
    assert fast.json()["results"] == route.json()["results"]
    expected = [] if method == "GET" else ["1600000"]  # the reference graph has no contributions
    assert [b["amount"]["value"].split(".")[0] for b in route.json()["results"]["bindings"]] == expected


@ONE_STORE
@pytest.mark.parametrize("path", ["/sparql?query=ASK%7B%7D", "/", "/static/vendor/VERSIONS.json"])
def test_responses_do_not_name_the_server_software(service: Service, path: str) -> None:
    response = httpx.get(service.url + path)
    assert response.status_code == 200
    assert "server" not in response.headers
    assert "date" in response.headers  # an origin server with a clock sends it (RFC 9110 §6.6.1)


@ONE_STORE
def test_a_get_without_a_query_parameter_is_the_service_description(service: Service) -> None:
    # `subquery=` contains `query=`: the fast path must leave it to the description
    response = httpx.get(service.sparql, params={"subquery": "ASK {}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")


@ONE_STORE
def test_the_preflight_is_the_same_through_both_entrances(service: Service, route_only: TestClient) -> None:
    headers = {
        "Origin": ORIGIN,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type",
    }
    fast = httpx.options(service.sparql, headers=headers)
    route = route_only.options("/sparql", headers=headers)
    assert fast.status_code == route.status_code == 200
    for name in (
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
    ):
        assert fast.headers[name] == route.headers[name]


@pytest.mark.parametrize("fast_path", [True, False], ids=["fast-path", "route"])
def test_cors_origins_setting_governs_both_entrances(
    settings: Settings, project_store: EmbeddedStore, fast_path: bool
) -> None:
    allowed = "https://allowed.example"
    narrowed = settings.model_copy(update={"cors_origins": [allowed], "query_workers": 1})
    with TestClient(create_app(narrowed, project_store, fast_path=fast_path)) as client:
        query = {"data": {"query": "ASK {}"}}
        welcome = client.post("/sparql", headers={"Origin": allowed}, **query)
        stranger = client.post("/sparql", headers={"Origin": "https://stranger.example"}, **query)
        description = client.get("/sparql", headers={"Origin": allowed})
    assert welcome.status_code == stranger.status_code == description.status_code == 200
    assert welcome.headers["access-control-allow-origin"] == allowed
    assert "X-Coopgraph-Truncated" in welcome.headers["access-control-expose-headers"]
    assert "access-control-allow-origin" not in stranger.headers
    assert description.headers["access-control-allow-origin"] == allowed


def test_the_named_query_listing_answers_406_as_sparql_does(route_only: TestClient) -> None:
    listing = route_only.get("/queries", headers={"Accept": "image/png"})
    sparql = route_only.get("/sparql", params={"query": "ASK {}"}, headers={"Accept": "image/png"})
    assert listing.status_code == sparql.status_code == 406
    assert listing.headers["content-type"] == sparql.headers["content-type"] == "application/json"
    assert listing.json()["error"] == sparql.json()["error"] == "NotAcceptable"
    assert listing.json()["supported"] == ["application/json", "text/html"]
    assert "application/sparql-results+json" in sparql.json()["supported"]


@pytest.mark.parametrize(
    ("path", "supported"),
    [
        ("/sparql?query=ASK%20%7B%7D", "application/sparql-results+json"),
        ("/sparql", "text/turtle"),
        ("/queries", "application/json"),
        ("/queries/partners-of-actor", "application/sparql-results+json"),
        ("/id/party/colombia", "text/turtle"),
        ("/def", "text/html"),
        ("/.well-known/void", "text/turtle"),
        ("/network/co-participation/centrality", "text/csv"),
    ],
)
def test_every_route_answers_not_acceptable_one_way(
    route_only: TestClient, path: str, supported: str
) -> None:
    response = route_only.get(path, headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert response.headers["content-type"] == "application/json"
    assert "Accept" in response.headers["vary"]
    body = response.json()
    assert body["error"] == "NotAcceptable"
    assert supported in body["supported"]
    assert ", ".join(body["supported"]) in body["message"]
