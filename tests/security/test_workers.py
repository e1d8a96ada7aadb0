"""Query workers stay in their box: they die with the service, a crashed one is replaced with an
error that says what happened, and they cannot reach the network even with a query the SERVICE
check never saw."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from coopgraph.config import Settings
from coopgraph.errors import QueryError
from coopgraph.negotiation import RESULTS_TYPES
from coopgraph.protocol import Job, QueryPool
from coopgraph.store import EmbeddedStore
from support.canary import canary_server
from support.services import Running, serve, service_env

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def children(pid: int) -> list[int]:
    """Process ids of the children of ``pid``."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def busy_worker(pids: list[int], seconds: float = 10.0) -> int:
    """The worker that is burning CPU (running the runaway query)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = {p: cpu_ticks(p) for p in pids}
        time.sleep(0.3)
        burning = [p for p in pids if cpu_ticks(p) - before[p] >= 10]  # 0.1 s of 0.3 s
        if burning:
            return burning[0]
    raise AssertionError(f"no worker of {pids} started the runaway query within {seconds} s")


def post_in_background(url: str, query: str, outcome: list[httpx.Response | Exception]) -> threading.Thread:
    def send() -> None:
        try:
            outcome.append(httpx.post(url, data={"query": query}, timeout=30))
        except httpx.HTTPError as exc:
            outcome.append(exc)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


@pytest.fixture(scope="module")
def service(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    env = service_env(
        settings.project_dir,
        in_memory="true",
        publish_analysis="false",
        query_timeout="20",
        query_workers="2",
    )
    with serve(env, tmp_path_factory.mktemp("log") / "serve.log") as running:
        yield running


@pytest.mark.parametrize("kind", ["memory", "disk"])
def test_no_worker_outlives_a_service_killed_mid_query(settings: Settings, tmp_path: Path, kind: str) -> None:
    store = {"in_memory": "true"} if kind == "memory" else {"store_dir": str(tmp_path / "store")}
    env = service_env(settings.project_dir, publish_analysis="false", query_timeout="60", **store)
    outcome: list[httpx.Response | Exception] = []
    with serve(env, tmp_path / "serve.log") as running:
        workers = children(running.process.pid)
        assert len(workers) >= 2
        post_in_background(running.sparql, RUNAWAY, outcome)
        busy_worker(workers)
        running.process.kill()
        running.process.wait(5)
        deadline = time.monotonic() + 2.0
        while any(alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        survivors = [p for p in workers if alive(p)]
        for p in survivors:  # leave nothing behind when the assertion fails
            os.kill(p, signal.SIGKILL)
    assert survivors == []


def test_a_worker_that_dies_mid_query_is_named_and_replaced(service: Running) -> None:
    workers = children(service.process.pid)
    outcome: list[httpx.Response | Exception] = []
    thread = post_in_background(service.sparql, RUNAWAY, outcome)
    victim = busy_worker(workers)
    os.kill(victim, signal.SIGSEGV)
    thread.join(10)
    answer = outcome[0]
    assert isinstance(answer, httpx.Response)
    assert answer.status_code == 500
    body = answer.json()
    assert body["error"] == "QueryAborted"
    assert "crashed (SIGSEGV)" in body["message"]
    after = httpx.get(service.sparql, params={"query": "ASK {}"}, timeout=10)
    assert after.status_code == 200
    replaced = children(service.process.pid)
    assert victim not in replaced
    assert len(replaced) == len(workers)


@pytest.mark.parametrize("forbid_network", [True, False])
def test_a_worker_cannot_reach_the_network_even_past_the_check(forbid_network: bool) -> None:
    """A SERVICE job handed straight to a worker: only the sandbox stands between it and the canary.

    The unsandboxed case shows the probe sees a request when there is one.
    """
    pool = QueryPool(EmbeddedStore(None), processes=1, timeout=10, forbid_network=forbid_network)
    pool.start()
    try:
        with canary_server() as canary:
            job = Job(f"SELECT * {{ SERVICE <{canary.url}> {{ ?s ?p ?o }} }}", "SELECT", RESULTS_TYPES[0], 10)
            outcome = asyncio.run(_run(pool, job))
            seen = list(canary.requests)
    finally:
        pool.close()
    if forbid_network:
        assert seen == []
        assert isinstance(outcome, QueryError)
        assert "Permission denied" in str(outcome)
    else:
        assert seen == [("POST", "/")]


async def _run(pool: QueryPool, job: Job) -> object:
    try:
        return await pool.run(job)
    except QueryError as exc:
        return exc
