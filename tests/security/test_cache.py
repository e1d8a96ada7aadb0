"""The result cache and conditional requests under attack: oversized and malformed validators, a
flood of distinct queries, one client's answer for another's request, errors and timeouts that
must stay errors, concurrent identical queries."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.protocol import QueryRunner
from coopgraph.store import EmbeddedStore

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
CAPACITY = 64 * 1024


@pytest.fixture(scope="module")
def app_client(settings: Settings, project_store: EmbeddedStore) -> Iterator[TestClient]:
    """The service in process with a small cache and a short time limit."""
    small = settings.model_copy(update={"query_workers": 1, "cache_bytes": CAPACITY, "query_timeout": 1.0})
    with TestClient(create_app(small, project_store)) as client:
        yield client


def runner_of(client: TestClient) -> QueryRunner:
    runner: QueryRunner = client.app.state.query_runner  # type: ignore[attr-defined]
    return runner


@pytest.mark.parametrize(
    "header",
    [
        "W/" + '"x", ' * 5000,  # 25 kB of tags
        '"' + "\u00e9" * 100,  # unclosed, not ASCII
        "\x00\x01",
        ",,,,",
        'W/"',
    ],
)
def test_a_malformed_or_huge_if_none_match_is_a_plain_miss(app_client: TestClient, header: str) -> None:
    response = app_client.get(
        "/sparql", params={"query": COUNT}, headers={"If-None-Match": header.encode("utf-8")}
    )
    assert response.status_code == 200
    assert response.json()["results"]["bindings"]


def test_a_flood_of_distinct_queries_keeps_the_cache_under_its_size(app_client: TestClient) -> None:
    runner = runner_of(app_client)
    for n in range(120):
        text = f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} LIMIT 40 # flood {n} {'x' * 2000}"
        assert app_client.get("/sparql", params={"query": text}).status_code == 200
        assert runner.cache.bytes <= CAPACITY
    assert runner.cache.evictions > 0
    metrics = app_client.get("/metrics").text
    line = next(x for x in metrics.splitlines() if x.startswith("coopgraph_cache_bytes "))
    assert float(line.split()[1]) <= CAPACITY


def test_an_error_stays_an_error_and_is_not_kept(app_client: TestClient) -> None:
    runner = runner_of(app_client)
    held = len(runner.cache)
    for _ in range(2):
        response = app_client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p "})
        assert response.status_code == 400
        assert "ETag" not in response.headers
    assert len(runner.cache) <= held


def test_a_timed_out_query_times_out_again_and_is_not_kept(app_client: TestClient) -> None:
    runner = runner_of(app_client)
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(8))
    text = f"SELECT (COUNT(*) AS ?n) WHERE {{ {patterns} }}"
    before = runner.counts.timeouts
    for _ in range(2):
        response = app_client.get("/sparql", params={"query": text})
        assert response.status_code == 503
        assert "ETag" not in response.headers
    assert runner.counts.timeouts - before == 2
    assert all(key[1] != text for key in runner.cache._entries)


def test_a_success_is_not_turned_into_an_error_for_another_form_of_the_request(
    app_client: TestClient,
) -> None:
    """The same text under an Accept that cannot be served is a 406, cached or not."""
    assert app_client.get("/sparql", params={"query": COUNT}).status_code == 200
    refused = app_client.get("/sparql", params={"query": COUNT}, headers={"Accept": "image/png"})
    assert refused.status_code == 406
    as_tsv = app_client.get(
        "/sparql", params={"query": COUNT}, headers={"Accept": "text/tab-separated-values"}
    )
    assert as_tsv.status_code == 200 and as_tsv.headers["content-type"].startswith(
        "text/tab-separated-values"
    )


def test_bindings_that_look_alike_get_their_own_answers(app_client: TestClient) -> None:
    """An IRI and a literal with the same text, and a value with a quote, are different keys."""
    route = "/queries/activities-of-actor"
    answers = {}
    for actor in (
        "https://w3id.org/coopgraph/id/party/colombia",
        "https://w3id.org/coopgraph/id/party/mexico",
    ):
        response = app_client.get(route, params={"actor": actor})
        assert response.status_code == 200
        answers[actor] = (response.headers["ETag"], response.content)
    assert len({tag for tag, _ in answers.values()}) == 2
    hostile = app_client.get(route, params={"actor": 'https://e/x> } . ?s ?p "'})
    assert hostile.status_code == 400


def test_concurrent_identical_queries_all_get_the_whole_answer(
    settings: Settings, project_store: EmbeddedStore
) -> None:
    limits = settings.model_copy(
        update={"query_workers": 2, "queries_per_client": 50, "query_queue_wait": 10.0}
    )
    app = create_app(limits, project_store)
    text = COUNT + " # concurrent"

    async def scenario() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://coopgraph.test") as client,
        ):
            return await asyncio.gather(*(client.get("/sparql", params={"query": text}) for _ in range(20)))

    responses = asyncio.run(scenario())
    assert all(r.status_code == 200 for r in responses), str([r.status_code for r in responses])
    assert len({r.content for r in responses}) == 1
    assert len({r.headers["ETag"] for r in responses}) == 1
