"""Cheap queries keep answering while other clients run runaway queries (a small
``bench/starvation.py``): the pool grows past the stuck workers, one client cannot hold more than
its share, and a query over the memory limit is stopped without harm to the next."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from coopgraph.config import Settings
from support.services import Running, serve, service_env

CPU_RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MEMORY_RUNAWAY = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i"
CHEAP = ["ASK {}", "SELECT ?s WHERE { ?s a ?class } LIMIT 5"]
TIMEOUT = 3.0


def client(address: str) -> httpx.Client:
    """A client whose requests come from ``address`` (any of 127/8 reaches loopback on Linux)."""
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=30)


@pytest.fixture(scope="module")
def service(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    env = service_env(
        settings.project_dir,
        in_memory="true",
        publish_analysis="false",
        query_timeout=str(TIMEOUT),
        query_workers="1",
        query_workers_max="4",
        query_queue_wait="1",
        queries_per_client="2",
        query_memory=str(128 * 2**20),
    )
    with serve(env, tmp_path_factory.mktemp("log") / "serve.log") as running:
        yield running


def keep_running(url: str, address: str, query: str, stop: threading.Event, statuses: list[int]) -> None:
    with client(address) as http:
        while not stop.is_set():
            statuses.append(http.post(url, data={"query": query}).status_code)


def test_a_cheap_client_is_answered_quickly_while_two_others_run_away(service: Running) -> None:
    stop = threading.Event()
    attacked: list[int] = []
    attackers = [
        threading.Thread(
            target=keep_running, args=(service.sparql, f"127.0.0.{n}", CPU_RUNAWAY, stop, attacked)
        )
        for n in (2, 3)
    ]
    for thread in attackers:
        thread.start()
    latencies: list[float] = []
    statuses: list[int] = []
    try:
        with client("127.0.0.4") as http:
            started = time.monotonic()
            # through at least one time limit of the runaways, so that they are seen to hold workers
            while time.monotonic() - started < TIMEOUT + 1.5 or len(latencies) < 20:
                sent = time.monotonic()
                statuses.append(
                    http.post(service.sparql, data={"query": CHEAP[len(latencies) % 2]}).status_code
                )
                latencies.append(time.monotonic() - sent)
    finally:
        stop.set()
        for thread in attackers:
            thread.join(TIMEOUT + 10)
    assert 503 in attacked  # the runaways did run, to their time limit
    assert set(statuses) == {200}
    assert max(latencies) < 1.0, sorted(latencies)[-5:]


def test_one_client_may_run_only_its_share_of_queries(service: Running) -> None:
    answers: list[httpx.Response] = []

    def send(number: int) -> None:
        # distinct texts: identical queries in flight share one run and take no worker of their own
        with client("127.0.0.5") as http:
            answers.append(http.post(service.sparql, data={"query": f"# {number}\n{CPU_RUNAWAY}"}))

    threads = [threading.Thread(target=send, args=(number,)) for number in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT + 10)
    assert sorted(a.status_code for a in answers) == [429, 503, 503]
    refused = next(a for a in answers if a.status_code == 429)
    assert refused.headers["Retry-After"] == "1"
    assert "COOPGRAPH_QUERIES_PER_CLIENT" in refused.json()["message"]


def test_a_query_over_the_memory_limit_gets_503_and_the_next_query_works(service: Running) -> None:
    with client("127.0.0.6") as http:
        started = time.monotonic()
        runaway = http.post(service.sparql, data={"query": MEMORY_RUNAWAY})
        elapsed = time.monotonic() - started
        after = http.post(service.sparql, data={"query": "ASK {}"})
    assert runaway.status_code == 503
    assert runaway.json()["error"] == "QueryMemoryExceeded"
    assert "Retry-After" in runaway.headers
    assert elapsed < TIMEOUT  # stopped by the memory limit, not the time limit
    assert after.status_code == 200
