"""The runner's share per client: a cap on running queries, and the last free worker kept for others."""

from __future__ import annotations

import asyncio
import contextlib

import pytest

from coopgraph.config import Settings
from coopgraph.errors import ClientBusy, QueryTimeout
from coopgraph.negotiation import RESULTS_TYPES
from coopgraph.protocol import Job, QueryRunner
from coopgraph.protocol.runner import default_max_workers
from coopgraph.store import EmbeddedStore

JSON = RESULTS_TYPES[0]
SLOW = Job(
    "SELECT (COUNT(*) AS ?n) { " + " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(12)) + " }",
    "SELECT",
    JSON,
    10,
)
ASK = Job("ASK {}", "ASK", JSON, 10)


def _runner(store: EmbeddedStore, most: int) -> QueryRunner:
    settings = Settings(
        in_memory=True, query_workers=1, query_workers_max=most, queries_per_client=2, query_timeout=3
    )
    runner = QueryRunner(store, settings)
    runner.start()
    return runner


async def _while_slow(runner: QueryRunner, client: str, then: list[tuple[Job, str]]) -> list[object]:
    """Run ``then`` one by one while ``client`` runs one slow query; their answers or errors."""
    slow = asyncio.create_task(runner.run(SLOW, client))
    await asyncio.sleep(0.2)
    outcomes: list[object] = []
    for job, who in then:
        try:
            outcomes.append(await runner.run(job, who))
        except ClientBusy as exc:
            outcomes.append(exc)
    slow.cancel()
    with contextlib.suppress(asyncio.CancelledError, QueryTimeout):
        await slow
    return outcomes


def test_a_client_with_a_query_running_may_not_take_the_last_free_worker(small_store: EmbeddedStore) -> None:
    runner = _runner(small_store, most=2)
    try:
        mine, other = asyncio.run(_while_slow(runner, "10.0.0.1", [(ASK, "10.0.0.1"), (ASK, "10.0.0.2")]))
    finally:
        runner.close()
    assert isinstance(mine, ClientBusy)
    assert "kept for other clients" in str(mine)
    assert other.body == b'{"head":{},"boolean":true}'  # type: ignore[attr-defined]


def test_a_client_may_run_only_queries_per_client_at_once(small_store: EmbeddedStore) -> None:
    runner = _runner(small_store, most=6)

    async def scenario() -> list[object]:
        second = asyncio.create_task(runner.run(SLOW, "10.0.0.1"))
        outcomes = await _while_slow(runner, "10.0.0.1", [(ASK, "10.0.0.1")])
        second.cancel()
        with contextlib.suppress(asyncio.CancelledError, QueryTimeout):
            await second
        # once its queries are over, the client is welcome again
        return [*outcomes, await runner.run(ASK, "10.0.0.1")]

    try:
        third, later = asyncio.run(scenario())
    finally:
        runner.close()
    assert isinstance(third, ClientBusy)
    assert third.running == 2
    assert third.limit == 2
    assert later.body == b'{"head":{},"boolean":true}'  # type: ignore[attr-defined]


@pytest.mark.parametrize(("cores", "memory", "expected"), [(2, 24, 8), (16, 8, 4), (1, 1, 2)])
def test_the_default_most_workers_fit_cores_and_memory(cores: int, memory: int, expected: int) -> None:
    assert default_max_workers(Settings(), cores=cores, memory=memory * 2**30) == expected
