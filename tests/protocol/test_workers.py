"""Worker processes: forked over an in-memory store, killed and replaced past the time limit."""

from __future__ import annotations

import asyncio
import json
import time

from coopgraph.errors import QueryTimeout
from coopgraph.negotiation import RESULTS_TYPES
from coopgraph.protocol import Job, QueryPool
from coopgraph.store import EmbeddedStore

JSON = RESULTS_TYPES[0]


def test_pool_forks_with_the_in_memory_store_and_replaces_a_killed_worker(small_store: EmbeddedStore) -> None:
    pool = QueryPool(small_store, processes=2, timeout=1.5)
    pool.start()
    try:

        async def scenario() -> tuple[object, ...]:
            count = Job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "SELECT", JSON, 10)
            first = await pool.run(count)
            pids = pool.pids()
            patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(12))  # 7**12 rows
            slow = Job(f"SELECT (COUNT(*) AS ?n) {{ {patterns} }}", "SELECT", JSON, 10)
            started = time.monotonic()
            results = await asyncio.gather(pool.run(slow), pool.run(count), return_exceptions=True)
            elapsed = time.monotonic() - started
            after = await pool.run(count)
            return first, pids, results, elapsed, after, pool.pids()

        first, pids, results, elapsed, after, new_pids = asyncio.run(scenario())
    finally:
        pool.close()
    assert json.loads(first.body)["results"]["bindings"][0]["n"]["value"] == "7"  # type: ignore[attr-defined]
    assert isinstance(results[0], QueryTimeout)  # type: ignore[index]
    assert json.loads(results[1].body)["results"]["bindings"][0]["n"]["value"] == "7"  # type: ignore[index]
    assert elapsed < 1.5 + 3
    assert after.body == first.body  # type: ignore[attr-defined]
    assert len(set(new_pids) - set(pids)) == 1  # type: ignore[arg-type]


def test_pool_queues_jobs_for_a_busy_worker_and_times_out_the_wait(small_store: EmbeddedStore) -> None:
    pool = QueryPool(small_store, processes=1, timeout=1.5)
    pool.start()
    count = Job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "SELECT", JSON, 10)
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(12))
    slow = Job(f"SELECT (COUNT(*) AS ?n) {{ {patterns} }}", "SELECT", JSON, 10)
    try:

        async def scenario() -> tuple[object, ...]:
            queued = await asyncio.gather(*(pool.run(count) for _ in range(3)))
            # a caller that goes away while waiting must not take the worker with it
            seven = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(7))  # 7**7 rows, a fraction of a second
            running = asyncio.create_task(
                pool.run(Job(f"SELECT (COUNT(*) AS ?n) {{ {seven} }}", "SELECT", JSON, 10))
            )
            gone = asyncio.create_task(pool.run(count))
            await asyncio.sleep(0.05)
            gone.cancel()
            assert "823543" in (await running).body.decode()
            behind_slow = await asyncio.gather(pool.run(slow), pool.run(count), return_exceptions=True)
            after = await pool.run(count)
            return queued, gone.cancelled(), behind_slow, after

        queued, cancelled, behind_slow, after = asyncio.run(scenario())
    finally:
        pool.close()
    assert [json.loads(a.body)["results"]["bindings"][0]["n"]["value"] for a in queued] == ["7"] * 3  # type: ignore[attr-defined]
    assert cancelled
    assert all(isinstance(r, QueryTimeout) for r in behind_slow)  # type: ignore[attr-defined]
    assert after.body == queued[0].body  # type: ignore[attr-defined,index]
