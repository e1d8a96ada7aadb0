"""Deep nesting costs the service nothing: refused with its position before the engine sees it.

Oxigraph's parser recurses once per level: a query nested some thousands of levels deep
overflows the stack of the worker running it (a segmentation fault). ``COOPGRAPH_MAX_QUERY_DEPTH``
refuses such text in the service's own process, so no worker dies, and the deepest named query
still runs.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

import httpx
import pytest

from coopgraph.config import Settings
from coopgraph.queries import QueryCatalogue
from coopgraph.sparqltext import too_deep
from support.services import Running, serve, service_env

LIMIT = 64
DEPTH = 10_000


def worker_pids(pid: int) -> set[int]:
    """Process ids of the children of ``pid`` (the query workers of a service)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.add(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


@pytest.fixture(scope="module")
def service(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    env = service_env(
        settings.project_dir,
        in_memory="true",
        publish_analysis="false",
        query_workers="2",
        max_query_depth=str(LIMIT),
    )
    with serve(env, tmp_path_factory.mktemp("log") / "serve.log") as running:
        yield running


DEEP = {
    "braces": "SELECT * WHERE " + "{" * DEPTH + " ?s ?p ?o " + "}" * DEPTH,
    "parentheses": "ASK { FILTER(" + "(" * DEPTH + "1" + ")" * DEPTH + ") }",
    "brackets": "SELECT * WHERE { ?s ?p " + "[ ?p " * DEPTH + "1" + " ]" * DEPTH + " }",
}


CASES = [(query, method) for query in DEEP.values() for method in ("form", "body")]
# by GET, the one that fits in the URL a client sends (httpx: 64 KiB)
CASES.append((DEEP["braces"], "GET"))


@pytest.mark.parametrize(
    ("query", "method"),
    CASES,
    ids=[f"{name}-{m}" for name in DEEP for m in ("form", "body")] + ["braces-GET"],
)
def test_a_query_nested_10000_deep_is_refused_with_its_position(
    service: Running, query: str, method: str
) -> None:
    before = worker_pids(service.process.pid)
    assert len(before) == 2
    if method == "GET":
        response = httpx.get(service.sparql, params={"query": query}, timeout=30)
    elif method == "form":
        response = httpx.post(service.sparql, data={"query": query}, timeout=30)
    else:
        response = httpx.post(
            service.sparql, content=query, headers={"Content-Type": "application/sparql-query"}, timeout=30
        )
    assert response.status_code == 400
    body = response.json()
    token = too_deep(query, LIMIT)
    assert token is not None
    assert (body["line"], body["column"]) == (1, token.start + 1)
    assert f"more than {LIMIT} levels" in body["message"]
    assert worker_pids(service.process.pid) == before, "a worker was replaced"


def test_a_megabyte_of_parentheses_is_refused_in_well_under_a_second(service: Running) -> None:
    query = "SELECT * { FILTER" + "(" * (1_048_576 - 30) + " }"
    start = time.perf_counter()
    response = httpx.post(
        service.sparql, content=query, headers={"Content-Type": "application/sparql-query"}, timeout=30
    )
    elapsed = time.perf_counter() - start
    assert response.status_code == 400 and "levels deep" in response.json()["message"]
    assert elapsed < 1.0


def test_the_deepest_catalogue_query_still_runs(service: Running, catalogue: QueryCatalogue) -> None:
    def depth(text: str) -> int:
        return next(d for d in range(LIMIT + 1) if too_deep(text, d) is None)

    deepest = max(catalogue.public(), key=lambda q: depth(q.text))
    assert depth(deepest.text) > 4
    by_name = httpx.get(f"{service.url}/queries/{deepest.name}", timeout=30)
    assert by_name.status_code == 200, by_name.text
    as_text = httpx.post(
        service.sparql,
        content=deepest.text,
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert as_text.status_code == 200, as_text.text


CHAINS = {
    "negations": "ASK { FILTER(" + "!" * DEPTH + "true) }",
    "disjunction": "ASK { FILTER(" + " || ".join(["true"] * DEPTH) + ") }",
    "sum": "SELECT (" + " + ".join(["1"] * DEPTH) + " AS ?x) {}",
    "path": "ASK { ?s " + "/".join(["<p>"] * DEPTH) + " ?o }",
    "union": "ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * DEPTH) + " }",
}


@pytest.mark.parametrize("query", CHAINS.values(), ids=list(CHAINS))
def test_an_operator_chain_of_10000_is_refused_with_its_position(service: Running, query: str) -> None:
    """The engine nests chained operators as it nests groups (each of these crashed a worker)."""
    before = worker_pids(service.process.pid)
    response = httpx.post(
        service.sparql, content=query, headers={"Content-Type": "application/sparql-query"}, timeout=30
    )
    assert response.status_code == 400, response.text
    body = response.json()
    token = too_deep(query, LIMIT, chain_limit=Settings().max_query_chain)
    assert token is not None
    assert (body["line"], body["column"]) == (1, token.start + 1)
    assert "operators chained in one group" in body["message"]
    assert worker_pids(service.process.pid) == before, "a worker was replaced"


def test_a_long_but_legitimate_chain_still_runs(service: Running) -> None:
    alternatives = " || ".join(f"?n = {i}" for i in range(500))
    query = f"SELECT (COUNT(*) AS ?c) {{ VALUES ?n {{ 1 2 700 }} FILTER({alternatives}) }}"
    response = httpx.post(
        service.sparql,
        content=query,
        headers={"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"},
        timeout=30,
    )
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["c"]["value"] == "2"
