"""``GET /metrics`` scraped from the real service (each store) and read with prometheus_client's parser."""

from __future__ import annotations

import httpx
from prometheus_client.parser import text_string_to_metric_families

from support.services import Service

EMBEDDED = ("memory", "disk")
"""The service kinds whose store is embedded (the others are remote endpoints)."""
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def scrape(service: Service) -> dict[str, list[tuple[dict[str, str], float]]]:
    """Samples by name, each with its labels and value."""
    response = httpx.get(service.url + "/metrics", timeout=30)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    samples: dict[str, list[tuple[dict[str, str], float]]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def value(samples: dict[str, list[tuple[dict[str, str], float]]], name: str, **labels: str) -> float:
    found = [v for got, v in samples.get(name, []) if all(got.get(k) == w for k, w in labels.items())]
    return sum(found)


def test_metrics_count_requests_queries_and_the_cache(service: Service) -> None:
    before = scrape(service)
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } # metrics probe"
    for _ in range(3):
        assert httpx.get(service.sparql, params={"query": text}, timeout=30).status_code == 200
    assert httpx.get(service.sparql, params={"query": "SELECT * {"}, timeout=30).status_code == 400
    assert httpx.get(service.url + "/no/such/path/" + "x" * 50, timeout=30).status_code == 404
    after = scrape(service)

    ok = "coopgraph_http_requests_total"
    assert (
        value(after, ok, route="/sparql", status="200") - value(before, ok, route="/sparql", status="200")
        >= 3
    )
    assert (
        value(after, ok, route="/sparql", status="400") - value(before, ok, route="/sparql", status="400")
        >= 1
    )
    # a path the service does not have is counted under one label, not its own
    assert value(after, ok, route="other", status="404") >= 1
    assert not any("no" in labels.get("route", "") for labels, _ in after[ok])

    queries = value(after, "coopgraph_query_duration_seconds_count") - value(
        before, "coopgraph_query_duration_seconds_count"
    )
    assert queries >= 3
    buckets = [v for labels, v in after["coopgraph_query_duration_seconds_bucket"]]
    assert buckets == sorted(buckets)  # cumulative

    hits = value(after, "coopgraph_cache_hits_total") - value(before, "coopgraph_cache_hits_total")
    if service.kind not in EMBEDDED:  # a remote endpoint's answers are not kept by default
        assert hits == 0
        assert value(after, "coopgraph_cache_bytes") == 0
    else:
        assert hits >= 2
        assert 0 < value(after, "coopgraph_cache_bytes") <= value(after, "coopgraph_cache_capacity_bytes")
        assert value(after, "coopgraph_query_workers") >= 1
    for name in ("coopgraph_queries_timed_out_total", "coopgraph_worker_restarts_total"):
        assert name in after


def test_metrics_give_the_store_size_per_graph(service: Service) -> None:
    samples = scrape(service)
    reported = {labels["graph"]: v for labels, v in samples["coopgraph_store_triples"]}
    response = httpx.get(service.sparql, params={"query": GRAPH_SIZES}, timeout=30)
    counted = {b["g"]["value"]: float(b["n"]["value"]) for b in response.json()["results"]["bindings"]}
    assert reported == counted
    assert len(reported) >= 3 and all(v > 0 for v in reported.values())


def test_a_timeout_is_counted(service: Service) -> None:
    before = scrape(service)
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(8))
    response = httpx.get(
        service.sparql, params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {patterns} }}"}, timeout=60
    )
    assert response.status_code == 503, response.text
    after = scrape(service)
    name = "coopgraph_queries_timed_out_total"
    assert value(after, name) - value(before, name) == 1
    if service.kind in EMBEDDED:
        restarts = "coopgraph_worker_restarts_total"
        assert value(after, restarts) - value(before, restarts) == 1
