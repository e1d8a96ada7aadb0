"""Worker processes: forked over an in-memory store, killed and replaced past the time limit, the
memory limit or a crash; the pool grows and shrinks; the time limit starts when a worker takes a query."""

from __future__ import annotations

import asyncio
import contextlib
import json
import multiprocessing
import os
import pickle
import signal
import threading
import time

import pyoxigraph as ox
import pytest

from coopgraph.errors import (
    QueryAborted,
    QueryError,
    QueryMemoryExceeded,
    QueryRefused,
    QueryTimeout,
    QueueTimeout,
)
from coopgraph.negotiation import RESULTS_TYPES
from coopgraph.protocol import Answer, Job, QueryPool
from coopgraph.protocol.jobs import encode_job
from coopgraph.protocol.workers import (
    WorkerLimits,
    _worker_main,
    error_parts,
    read_reply,
    reply_parts,
    write_frame,
)
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
    assert pool.restarts == 1  # the worker killed at the time limit


def test_pool_queues_jobs_for_a_busy_worker_and_times_out_the_wait(small_store: EmbeddedStore) -> None:
    # the wait ends well before the time limit: a worker started at the limit would take the
    # waiting query otherwise (it is ready within milliseconds of a fork)
    pool = QueryPool(small_store, processes=1, timeout=1.5, queue_wait=0.5)
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
    slow_answer, waited = behind_slow  # type: ignore[misc]
    assert isinstance(slow_answer, QueryTimeout) and not isinstance(slow_answer, QueueTimeout)
    assert isinstance(waited, QueueTimeout)
    assert after.body == queued[0].body  # type: ignore[attr-defined,index]


def _count(patterns: int) -> Job:
    """A COUNT over a cartesian product of the 7-triple store: 7**patterns rows."""
    body = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(patterns))
    return Job(f"SELECT (COUNT(*) AS ?n) {{ {body} }}", "SELECT", JSON, 10)


def _value(answer: Answer) -> str:
    return str(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def test_the_time_limit_starts_when_a_worker_takes_the_query(small_store: EmbeddedStore) -> None:
    # six queries of ~0.5 s queue for one worker: 3 s in all, each far under the 2.5 s limit
    pool = QueryPool(small_store, processes=1, timeout=2.5, queue_wait=30)
    pool.start()
    try:

        async def scenario() -> list[object]:
            return await asyncio.gather(*(pool.run(_count(7)) for _ in range(6)), return_exceptions=True)

        results = asyncio.run(scenario())
    finally:
        pool.close()
    assert [_value(r) for r in results] == ["823543"] * 6  # type: ignore[arg-type]


def test_a_query_that_finds_no_worker_in_the_queue_wait_is_refused_quickly(
    small_store: EmbeddedStore,
) -> None:
    pool = QueryPool(small_store, processes=1, timeout=5, queue_wait=0.3)
    pool.start()
    try:

        async def scenario() -> tuple[object, float]:
            slow = asyncio.create_task(pool.run(_count(12)))
            await asyncio.sleep(0.1)
            started = time.monotonic()
            with pytest.raises(QueueTimeout) as refused:
                await pool.run(_count(1))
            waited = time.monotonic() - started
            slow.cancel()
            with contextlib.suppress(asyncio.CancelledError, QueryTimeout):
                await slow
            return refused.value, waited

        refused, waited = asyncio.run(scenario())
    finally:
        pool.close()
    assert isinstance(refused, QueueTimeout)
    assert refused.seconds == 0.3
    assert waited < 1.0


def test_the_pool_grows_while_queries_wait_and_shrinks_when_idle(small_store: EmbeddedStore) -> None:
    pool = QueryPool(small_store, processes=1, timeout=10, max_processes=3, queue_wait=10, idle_seconds=0.3)
    pool.start()
    try:

        async def scenario() -> tuple[list[str], int, int]:
            answers = await asyncio.gather(*(pool.run(_count(7)) for _ in range(3)))
            grown = len(pool.pids())
            await asyncio.sleep(1.0)  # past idle_seconds, and the check that runs every half of it
            return [_value(a) for a in answers], grown, len(pool.pids())

        values, grown, shrunk = asyncio.run(scenario())
    finally:
        pool.close()
    assert values == ["823543"] * 3
    assert grown == 3
    assert shrunk == 1


def test_a_query_over_the_memory_limit_is_stopped_and_its_worker_replaced() -> None:
    # a store of ~150 MB: the limit counts from the forked worker's size, which includes it
    store = EmbeddedStore(None)
    triples = "\n".join(f'<urn:s{i}> <urn:p> "{"x" * 200}{i}" .' for i in range(300_000))
    store.oxigraph.load(triples.encode(), format=ox.RdfFormat.N_TRIPLES)
    pool = QueryPool(store, processes=1, timeout=20, memory=192 * 2**20)
    pool.start()
    try:

        async def scenario() -> tuple[BaseException | Answer, Answer, list[int], list[int]]:
            before = pool.pids()
            count = Job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "SELECT", JSON, 10)
            first = await pool.run(count)
            sort = Job("SELECT * { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f", "SELECT", JSON, 10)
            outcome = (await asyncio.gather(pool.run(sort), return_exceptions=True))[0]
            assert _value(await pool.run(count)) == _value(first)
            return outcome, first, before, pool.pids()

        outcome, first, before, after = asyncio.run(scenario())
    finally:
        pool.close()
    assert _value(first) == "300000"
    assert isinstance(outcome, QueryMemoryExceeded), outcome
    assert "COOPGRAPH_QUERY_MEMORY" in str(outcome)
    assert set(after).isdisjoint(before)


def test_a_worker_that_crashes_mid_query_gives_a_reason_and_is_replaced(small_store: EmbeddedStore) -> None:
    pool = QueryPool(small_store, processes=1, timeout=10)
    pool.start()
    deep = "SELECT * WHERE " + "{ " * 100_000 + "?s ?p ?o" + " }" * 100_000
    try:

        async def scenario() -> tuple[BaseException | Answer, Answer]:
            outcome = (await asyncio.gather(pool.run(Job(deep, "SELECT", JSON, 10)), return_exceptions=True))[
                0
            ]
            return outcome, await pool.run(Job("ASK {}", "ASK", JSON, 10))

        outcome, after = asyncio.run(scenario())
    finally:
        pool.close()
    assert type(outcome) is QueryAborted, outcome
    assert outcome.signal == "SIGSEGV"
    assert "crashed (SIGSEGV)" in str(outcome)
    assert after.body == b'{"head":{},"boolean":true}'
    assert pool.restarts == 1


def test_restarts_count_workers_replaced_for_a_query_not_for_a_write_or_an_error(
    small_store: EmbeddedStore,
) -> None:
    pool = QueryPool(small_store, processes=1, timeout=10)
    pool.start()
    seven = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(9))  # 7**9 rows: seconds of work
    try:

        async def scenario() -> list[int]:
            counted = [pool.restarts]
            with contextlib.suppress(QueryError):
                await pool.run(Job("SELECT * { ?s ?p }", "SELECT", JSON, 10))  # the worker answers
            counted.append(pool.restarts)
            pool.renew(small_store)  # a write: the idle worker is replaced, not restarted
            await pool.run(Job("ASK {}", "ASK", JSON, 10))
            counted.append(pool.restarts)
            gone = asyncio.create_task(
                pool.run(Job(f"SELECT (COUNT(*) AS ?n) {{ {seven} }}", "SELECT", JSON, 10))
            )
            await asyncio.sleep(0.3)
            gone.cancel()  # the request went away mid-query: its worker is killed
            with contextlib.suppress(asyncio.CancelledError):
                await gone
            counted.append(pool.restarts)
            answer = await pool.run(Job("ASK {}", "ASK", JSON, 10))
            assert answer.body == b'{"head":{},"boolean":true}'
            return counted

        counted = asyncio.run(scenario())
    finally:
        pool.close()
    assert counted == [0, 0, 0, 1]


def test_a_worker_stops_itself_past_its_cpu_limit_without_its_parent(small_store: EmbeddedStore) -> None:
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    limits = WorkerLimits(os.getpid(), cpu_seconds=1)
    process = context.Process(target=_worker_main, args=(child, None, small_store, limits), daemon=True)
    process.start()
    try:
        assert parent.poll(10)
        assert pickle.loads(parent.recv_bytes())[0] == "ready"
        parent.send_bytes(encode_job(_count(12)))  # minutes of work, and nobody times it out
        process.join(15)
        assert process.exitcode == -signal.SIGXCPU
    finally:
        if process.is_alive():
            process.kill()
        process.join(5)


def _through_a_pipe(parts: list[bytes]) -> Answer:
    """Write a reply frame from a thread (as a worker would) and read it back as the parent does."""
    read, write = os.pipe()

    def worker_side() -> None:
        try:
            write_frame(write, parts)
        finally:
            os.close(write)  # the reader sees the end of what was sent

    writer = threading.Thread(target=worker_side)
    writer.start()
    try:
        return read_reply(read, 2**20)
    finally:
        os.close(read)
        writer.join(10)


@pytest.mark.parametrize("size", [0, 1, 65_536, 3 * 2**20 + 7], ids=["empty", "one byte", "64 KiB", "3 MiB"])
def test_an_answer_crosses_the_pipe_byte_for_byte(size: int) -> None:
    body = os.urandom(size)  # larger than a pipe's buffer: written and read in many pieces
    answer = _through_a_pipe(reply_parts(Answer(body, "text/csv; charset=utf-8", truncated=size > 1)))
    assert answer == Answer(body, "text/csv; charset=utf-8", size > 1)
    assert type(answer.body) is bytes


@pytest.mark.parametrize(
    ("kind", "expected"),
    [("QueryError", QueryError), ("QueryRefused", QueryRefused), ("MemoryError", QueryMemoryExceeded)],
)
def test_an_error_crosses_the_pipe_as_its_kind(kind: str, expected: type[Exception]) -> None:
    with pytest.raises(expected) as error:
        _through_a_pipe(error_parts(kind, "no such thing at 2:5", 2, 5))
    if expected is QueryError:
        assert (error.value.line, error.value.column) == (2, 5)  # type: ignore[attr-defined]
        assert "no such thing" in str(error.value)


def test_a_reply_cut_short_or_of_no_known_kind_is_not_an_answer() -> None:
    whole = b"".join(reply_parts(Answer(b"0123456789", "text/plain")))
    with pytest.raises(EOFError):
        _through_a_pipe([whole[:-3]])
    with pytest.raises(QueryAborted, match="unknown kind"):
        _through_a_pipe([b"Z" + whole[1:]])


def test_a_worker_answers_a_frame_that_is_no_job_with_an_error_and_goes_on(
    small_store: EmbeddedStore,
) -> None:
    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    process = context.Process(
        target=_worker_main, args=(child, None, small_store, WorkerLimits(os.getpid())), daemon=True
    )
    process.start()
    try:
        assert parent.poll(10)
        assert pickle.loads(parent.recv_bytes())[0] == "ready"
        for hostile in (b"", b"\x00" * 100, b"M" + b"\xff" * 50, b"P" + pickle.dumps({"not": "a job"})):
            parent.send_bytes(hostile)
            assert parent.poll(10)
            with pytest.raises(QueryError, match="the query failed"):
                read_reply(parent.fileno(), None)
        parent.send_bytes(encode_job(Job("ASK { ?s ?p ?o }", "ASK", JSON, 10)))
        assert parent.poll(10)
        assert read_reply(parent.fileno(), None).body == b'{"head":{},"boolean":true}'
    finally:
        process.kill()
        process.join(5)


def test_a_worker_that_ends_while_idle_is_replaced_before_the_next_query(small_store: EmbeddedStore) -> None:
    pool = QueryPool(small_store, processes=1, timeout=10)
    pool.start()
    ask = Job("ASK {}", "ASK", JSON, 10)
    try:

        async def scenario() -> tuple[Answer, Answer, list[int], list[int]]:
            first = await pool.run(ask)  # the worker's pipe is watched from its first query
            before = pool.pids()
            os.kill(before[0], signal.SIGKILL)
            for _ in range(100):  # the end of its pipe is seen, and a new worker started
                await asyncio.sleep(0.05)
                if pool.pids() != before and pool.free() == 1:
                    break
            return first, await pool.run(ask), before, pool.pids()

        first, after, before, now = asyncio.run(scenario())
    finally:
        pool.close()
    assert first.body == after.body == b'{"head":{},"boolean":true}'
    assert now != before and len(now) == 1
    assert pool.restarts == 1


def test_many_queries_watch_a_worker_pipe_once(
    small_store: EmbeddedStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = QueryPool(small_store, processes=1, timeout=10)
    pool.start()
    watched: list[int] = []
    try:

        async def scenario() -> list[bytes]:
            loop = asyncio.get_running_loop()
            add_reader = loop.add_reader

            def counting(fd: int, *args: object) -> None:
                watched.append(fd)
                add_reader(fd, *args)

            monkeypatch.setattr(loop, "add_reader", counting)
            return [
                (await pool.run(Job(f"ASK {{ FILTER({n} >= 0) }}", "ASK", JSON, 10))).body for n in range(20)
            ]

        bodies = asyncio.run(scenario())
    finally:
        pool.close()
    assert bodies == [b'{"head":{},"boolean":true}'] * 20
    assert len(watched) == 1
