"""The result cache: what is kept and under which key, LRU in bytes (measured), the store version,
errors and timeouts never kept, a worker killed mid-query leaving the cache consistent."""

from __future__ import annotations

import asyncio
import gc
import json
import os
import signal
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from coopgraph.config import Settings
from coopgraph.errors import QueryAborted, QueryError, QueryTimeout, QueueTimeout
from coopgraph.negotiation import RESULTS_TYPES
from coopgraph.protocol import Answer, Job, QueryRunner, run_job
from coopgraph.protocol.cache import (
    ENTRY_OVERHEAD,
    CacheVersion,
    ResultCache,
    _reading_is_deterministic,
    alias_size,
    cache_key,
    deterministic,
    entry_size,
    etag_matches,
    request_key,
)
from coopgraph.sparqltext import unescape_codepoints
from coopgraph.store import EmbeddedStore, RemoteStore

JSON = RESULTS_TYPES[0]
CSV = RESULTS_TYPES[2]
EX = "http://example.org/"
COUNT = "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("SELECT * { ?s ?p ?o }", True),
        ("SELECT (NOW() AS ?t) {}", False),
        ("select (now ( ) as ?t) {}", False),
        ("SELECT (RAND() AS ?r) {}", False),
        ("SELECT (UUID() AS ?u) {}", False),
        ("SELECT (STRUUID() AS ?u) {}", False),
        ("SELECT (BNODE() AS ?b) {}", False),
        ("SELECT (BNODE(?s) AS ?b) { ?s ?p ?o }", True),
        ("SELECT (BNODE('x') AS ?b) {}", True),
        ("SELECT * { ?s ?p 'NOW()' }", True),  # inside a string
        ("SELECT * { ?s ?p <http://e/RAND()> }", True),  # inside an IRI
        ("# UUID()\nSELECT * { ?s ?p ?o }", True),  # in a comment
        ("SELECT ?now { ?s ?p ?now }", True),  # a variable named like the function
        ("SELECT (\\u004eOW() AS ?t) {}", False),  # a codepoint escape the grammar replaces
        ("SELECT * { SERVICE <http://e/s> { ?s ?p ?o } }", False),  # another endpoint answers
        ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", True),
    ],
)
def test_deterministic_reads_tokens_not_raw_text(text: str, expected: bool) -> None:
    assert deterministic(text) is expected


def test_the_quick_screen_agrees_with_reading_every_token() -> None:
    """Every query of queries/ and bench/queries, and each with a non-deterministic call added,
    gets the same answer from the screen as from the tokens."""
    root = Path(__file__).resolve().parents[2]
    texts = [
        p.read_text("utf-8")
        for p in sorted([*root.glob("queries/**/*.rq"), *root.glob("bench/queries/*.rq")])
    ]
    assert len(texts) > 20
    for text in texts:
        for variant in (text, text.replace("SELECT", "SELECT (RAND() AS ?r)", 1)):
            full = _reading_is_deterministic(variant, codepoints_processed=False)
            processed = unescape_codepoints(variant)
            if full and processed is not variant:
                full = _reading_is_deterministic(processed, codepoints_processed=True)
            assert deterministic(variant) is full, variant[:200]


FRAGMENTS = [
    "now",
    "NOW",
    "Rand",
    "uuid",
    "STRUUID",
    "bnode",
    "service",
    "SERVICE",
    "services",
    "known",
    "(",
    ")",
    " ",
    "\t",
    "\n",
    "\r",
    "#",
    "'",
    '"',
    "<",
    ">",
    "?",
    "x",
    "{",
    "}",
    "\\u004e",
    "\\U0000004F",
    ":",
]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=14).map("".join))
@hypothesis_settings(max_examples=3000, deadline=None)
def test_the_quick_screen_never_lets_through_what_the_tokens_find(text: str) -> None:
    """Whatever the text, the screen says "deterministic" only where reading every token does."""
    full = _reading_is_deterministic(text, codepoints_processed=False)
    processed = unescape_codepoints(text)
    if full and processed is not text:
        full = _reading_is_deterministic(processed, codepoints_processed=True)
    assert deterministic(text) is full


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { ?s ?p ?o } # now" + "#" * 50_000 + "x",  # one comment, read one way only
        "SELECT * { ?s ?p ?o } " + "now #\n" * 20_000,  # comments and line ends, many times over
    ],
)
def test_the_quick_screen_reads_hostile_comment_runs_in_one_pass(text: str) -> None:
    start = time.perf_counter()
    assert deterministic(text) is True
    assert time.perf_counter() - start < 2.0  # a backtracking screen would take hours


def test_the_key_tells_apart_everything_that_changes_the_answer() -> None:
    base = Job(COUNT, "SELECT", JSON, 10)
    variants = [
        Job(COUNT + " ", "SELECT", JSON, 10),
        Job(COUNT, "SELECT", CSV, 10),
        Job(COUNT, "SELECT", JSON, 5),
        Job(COUNT, "SELECT", JSON, 10, default_graph=(EX + "g",)),
        Job(COUNT, "SELECT", JSON, 10, named_graphs=(EX + "g",)),
        Job(COUNT, "SELECT", JSON, 10, base_iri=EX),
        Job(COUNT, "SELECT", JSON, 10, bindings={"x": ox.NamedNode(EX + "a")}),
        Job(COUNT, "SELECT", JSON, 10, bindings={"x": ox.Literal(EX + "a")}),
        Job(COUNT, "SELECT", JSON, 10, bindings={"x": ox.Literal("a", language="es")}),
    ]
    keys = {cache_key(job, "v1") for job in [base, *variants]}
    assert len(keys) == len(variants) + 1
    assert cache_key(base, "v1") != cache_key(base, "v2")
    assert cache_key(base, "v1") == cache_key(Job(COUNT, "SELECT", JSON, 10), "v1")


def test_etag_matching_is_weak_and_reads_lists() -> None:
    assert etag_matches('W/"a", "b"', '"b"')
    assert etag_matches('"a"', 'W/"a"')
    assert not etag_matches('"a"', 'W/"b"')
    assert not etag_matches("", 'W/"b"')


def _key(n: int, version: str = "v1") -> tuple[object, ...]:
    return cache_key(Job(f"ASK {{ ?s ?p {n} }}", "ASK", JSON, 10), version)


def test_least_recently_used_goes_first_and_bytes_stay_under_capacity() -> None:
    body = b"x" * 1000
    size = entry_size(_key(0), Answer(body, JSON.content_type))
    cache = ResultCache(3 * size + size // 2)
    for n in range(3):
        cache.get(_key(n))
        cache.put(_key(n), Answer(body, JSON.content_type))
    assert len(cache) == 3
    assert cache.get(_key(0)) is not None  # 0 is now the most recently used: 1 goes first
    cache.put(_key(3), Answer(body, JSON.content_type))
    assert cache.peek(_key(1)) is None
    assert cache.peek(_key(0)) is not None and cache.peek(_key(3)) is not None
    assert cache.evictions == 1
    assert cache.bytes <= cache.capacity
    assert cache.bytes == sum(entry_size(_key(n), Answer(body, JSON.content_type)) for n in (0, 2, 3))


def test_an_answer_larger_than_the_cache_is_not_kept_and_zero_turns_it_off() -> None:
    cache = ResultCache(10_000)
    cache.get(_key(1))
    cache.put(_key(1), Answer(b"x" * 20_000, JSON.content_type))
    assert len(cache) == 0 and cache.bytes == 0
    off = ResultCache(0)
    assert not off.enabled
    off.put(_key(1), Answer(b"{}", JSON.content_type))
    assert len(off) == 0


def test_a_new_version_drops_every_older_entry_and_a_late_answer_of_an_old_one_is_not_kept() -> None:
    cache = ResultCache(1_000_000)
    cache.get(_key(1, "v1"))
    cache.put(_key(1, "v1"), Answer(b"{}", JSON.content_type))
    assert cache.get(_key(2, "v2")) is None  # the store changed
    assert len(cache) == 0 and cache.bytes == 0
    cache.put(_key(1, "v1"), Answer(b"{}", JSON.content_type))  # a query begun before the change
    assert len(cache) == 0


def test_the_cache_holds_no_more_memory_than_its_capacity_measured() -> None:
    """Filled well past its size, the memory the cache holds (tracemalloc) stays under capacity."""
    capacity = 256 * 1024
    gc.collect()
    tracemalloc.start()
    try:
        cache = ResultCache(capacity)
        before = tracemalloc.get_traced_memory()[0]
        for n in range(2000):  # about 5 MB offered
            job = Job(f"SELECT * {{ ?s ?p {n} }} # {'q' * (n % 300)}", "SELECT", JSON, 10)
            key = cache_key(job, "v1")
            cache.get(key)
            cache.put(key, Answer(os.urandom(500 + n % 3000), JSON.content_type))
        del job, key
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert cache.evictions > 0
    assert cache.bytes <= capacity
    assert held <= capacity, f"the cache holds {held} bytes, over its capacity of {capacity}"
    # the count is not so generous that it means nothing: within a quarter of what is held
    assert cache.bytes <= held * 1.25 + ENTRY_OVERHEAD


def _raw(n: int, version: str = "v1", filler: str = "") -> tuple[object, ...]:
    body = f"query=ASK+%7B+%3Fs+%3Fp+{n}+%7D{filler}".encode()
    return (version, *request_key("POST", b"", "application/x-www-form-urlencoded", body, None))


def test_an_alias_finds_its_entry_counts_its_bytes_and_goes_with_it() -> None:
    body = b"x" * 1000
    size = entry_size(_key(0), Answer(body, JSON.content_type))
    cache = ResultCache(2 * size + 2 * alias_size(_raw(0)) + 100)
    assert not cache.alias(_raw(0), _key(0))  # nothing kept under the key: no alias
    for n in range(2):
        cache.put(_key(n), Answer(body, JSON.content_type))
        assert cache.alias(_raw(n), _key(n))
    assert cache.bytes == 2 * size + alias_size(_raw(0)) + alias_size(_raw(1))
    found = cache.lookup(_raw(0))
    assert found is not None and found.answer.body == body
    assert cache.lookup(_raw(7)) is None and cache.misses == 0  # no alias: nothing counted yet
    cache.put(_key(2), Answer(body, JSON.content_type))  # 1 is the least recently used
    assert cache.lookup(_raw(1)) is None and cache.peek(_key(1)) is None
    assert cache.lookup(_raw(0)) is not None
    assert cache.bytes <= cache.capacity
    assert cache.bytes == 2 * size + alias_size(_raw(0))
    assert not cache.alias(_raw(0, "v2"), _key(0))  # an alias of another version
    cache.get(_key(0, "v2"))  # the store changed: entries and aliases go
    assert cache.lookup(_raw(0)) is None and cache.bytes == 0


def test_aliases_never_push_the_bytes_past_the_capacity() -> None:
    answer = Answer(b"x" * 200, JSON.content_type)
    size = entry_size(_key(0), answer)
    cache = ResultCache(size + alias_size(_raw(0)) + 10)
    cache.put(_key(0), answer)
    assert cache.alias(_raw(0), _key(0))
    assert not cache.alias(_raw(1, filler="x" * 50), _key(0))  # no room beside its own entry
    assert cache.bytes <= cache.capacity and len(cache) == 1
    cache.put(_key(1), answer)  # room is made for a new entry: the old one and its alias go
    assert cache.lookup(_raw(0)) is None and cache.bytes == size


def test_the_cache_with_aliases_holds_no_more_memory_than_its_capacity_measured() -> None:
    """Entries with two raw spellings each, filled well past its size: memory stays under capacity."""
    capacity = 256 * 1024
    gc.collect()
    tracemalloc.start()
    try:
        cache = ResultCache(capacity)
        before = tracemalloc.get_traced_memory()[0]
        for n in range(2000):
            job = Job(f"SELECT * {{ ?s ?p {n} }} # {'q' * (n % 300)}", "SELECT", JSON, 10)
            key = cache_key(job, "v1")
            cache.get(key)
            cache.put(key, Answer(os.urandom(300 + n % 2000), JSON.content_type))
            for spelling in (f"query={job.query}".encode(), job.query.encode()):
                cache.alias(("v1", *request_key("POST", b"", "t", spelling, "application/json")), key)
        del job, key, spelling
        gc.collect()
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert cache.evictions > 0
    assert cache.bytes <= capacity
    assert held <= capacity, f"the cache holds {held} bytes, over its capacity of {capacity}"
    assert cache.bytes <= held * 1.25 + ENTRY_OVERHEAD


def test_remote_answers_are_kept_only_for_their_time_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    remote = RemoteStore("http://127.0.0.1:9/query", timeout=1)
    assert CacheVersion(remote, 0).current() is None  # the default: never kept
    clock = [1000.0]
    monkeypatch.setattr("coopgraph.protocol.cache.time.monotonic", lambda: clock[0])
    versions = CacheVersion(remote, 2.0)
    first = versions.current()
    clock[0] += 1.0
    assert versions.current() == first
    clock[0] += 1.5
    assert versions.current() != first


# -- the runner: the cache in front of the workers ----------------------------------------
def _store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    store.put_graph(EX + "g", [ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("1"))])
    return store


def _in_process(runner: QueryRunner, store: EmbeddedStore, calls: list[str]) -> None:
    """Have ``runner`` run jobs on ``store`` in this process (the store changes after the workers fork)."""

    async def run(job: Job, client: str | None = None) -> Answer:
        calls.append(job.query)
        return run_job(store, job)

    runner.run = run  # type: ignore[method-assign]


def _count(answer: Answer | None) -> int:
    assert answer is not None
    return int(json.loads(answer.body)["results"]["bindings"][0]["n"]["value"])


def test_a_load_is_seen_at_once_by_the_same_query() -> None:
    store = _store()
    runner = QueryRunner(store, Settings(in_memory=True))
    calls: list[str] = []
    _in_process(runner, store, calls)
    job = Job(COUNT, "SELECT", JSON, 10)

    async def scenario() -> list[tuple[int, bool]]:
        seen = []
        for _ in range(2):
            served = await runner.serve(job)
            seen.append((_count(served.answer), served.hit))
        store.put_graph(
            EX + "h", [ox.Triple(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "p"), ox.Literal("2"))]
        )
        for _ in range(2):
            served = await runner.serve(job)
            seen.append((_count(served.answer), served.hit))
        store.drop_graph(EX + "h")
        served = await runner.serve(job)
        seen.append((_count(served.answer), served.hit))
        return seen

    assert asyncio.run(scenario()) == [(1, False), (1, True), (2, False), (2, True), (1, False)]
    assert len(calls) == 3


def test_errors_and_timeouts_are_never_kept() -> None:
    store = _store()
    runner = QueryRunner(store, Settings(in_memory=True))
    outcomes: list[Callable[[], Awaitable[Answer]]] = []
    calls = []

    async def run(job: Job, client: str | None = None) -> Answer:
        calls.append(job.query)
        return await outcomes.pop(0)()

    async def timeout() -> Answer:
        raise QueryTimeout(1.0)

    async def queue_timeout() -> Answer:
        raise QueueTimeout(1.0)

    async def error() -> Answer:
        raise QueryError("engine failure")

    async def fine() -> Answer:
        return Answer(b'{"ok":1}', JSON.content_type)

    runner.run = run  # type: ignore[method-assign]
    job = Job(COUNT, "SELECT", JSON, 10)

    async def scenario() -> list[object]:
        results: list[object] = []
        for _ in range(5):
            try:
                served = await runner.serve(job)
                results.append((served.answer.body if served.answer else None, served.hit))
            except (QueryTimeout, QueryError) as exc:
                results.append(type(exc).__name__)
        return results

    outcomes.extend([timeout, error, queue_timeout, fine])
    assert asyncio.run(scenario()) == [
        "QueryTimeout",
        "QueryError",
        "QueueTimeout",
        (b'{"ok":1}', False),
        (b'{"ok":1}', True),
    ]
    assert len(calls) == 4  # every failure was run again, the success only once
    assert runner.counts.timeouts == 1  # a query that waited in the queue did not time out


def test_non_deterministic_queries_are_run_every_time_and_have_no_etag() -> None:
    store = _store()
    runner = QueryRunner(store, Settings(in_memory=True))
    calls: list[str] = []
    _in_process(runner, store, calls)
    job = Job("SELECT (STRUUID() AS ?u) {}", "SELECT", JSON, 10)

    async def scenario() -> list[tuple[bytes | None, bool, str | None]]:
        out = []
        for _ in range(2):
            served = await runner.serve(job)
            out.append((served.answer.body if served.answer else None, served.hit, served.etag))
        return out

    first, second = asyncio.run(scenario())
    assert first[0] != second[0]  # a new UUID each time: it was run twice
    assert not first[1] and not second[1] and first[2] is None and second[2] is None
    assert len(runner.cache) == 0 and len(calls) == 2


def test_a_truncated_answer_is_kept_with_its_flag() -> None:
    store = _store()
    store.put_graph(
        EX + "h",
        [ox.Triple(ox.NamedNode(EX + f"s{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i))) for i in range(5)],
    )
    runner = QueryRunner(store, Settings(in_memory=True))
    calls: list[str] = []
    _in_process(runner, store, calls)
    job = Job("SELECT ?s { ?s ?p ?o } ORDER BY ?s", "SELECT", JSON, 2)

    async def scenario() -> list[tuple[bool, bool, int]]:
        out = []
        for _ in range(2):
            served = await runner.serve(job)
            assert served.answer is not None
            rows = len(json.loads(served.answer.body)["results"]["bindings"])
            out.append((served.answer.truncated, served.hit, rows))
        return out

    assert asyncio.run(scenario()) == [(True, False, 2), (True, True, 2)]
    assert len(calls) == 1


def test_if_none_match_answers_without_running_and_a_wrong_tag_runs() -> None:
    store = _store()
    runner = QueryRunner(store, Settings(in_memory=True))
    calls: list[str] = []
    _in_process(runner, store, calls)
    job = Job(COUNT, "SELECT", JSON, 10)

    async def scenario() -> tuple[object, ...]:
        first = await runner.serve(job)
        runner.cache.clear()  # the client's copy is still current though the cache forgot it
        again = await runner.serve(job, if_none_match=first.etag)
        wrong = await runner.serve(job, if_none_match='W/"not-this"')
        return first, again, wrong

    first, again, wrong = asyncio.run(scenario())
    assert first.etag is not None and not first.hit
    assert again.not_modified and again.answer is None and again.etag == first.etag
    assert not wrong.not_modified and wrong.answer is not None
    assert len(calls) == 2  # the 304 ran nothing


def test_a_worker_killed_mid_query_leaves_the_cache_consistent() -> None:
    store = _store()
    for i in range(6):
        store.put_graph(
            EX + f"g{i}", [ox.Triple(ox.NamedNode(EX + f"s{i}"), ox.NamedNode(EX + "p"), ox.Literal(str(i)))]
        )
    runner = QueryRunner(
        store, Settings(in_memory=True, query_workers=1, query_workers_max=2, query_timeout=20)
    )
    runner.start()
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(12))
    slow = Job(f"SELECT (COUNT(*) AS ?n) {{ {patterns} }}", "SELECT", JSON, 10)
    cheap = Job(COUNT, "SELECT", JSON, 10)
    try:

        async def scenario() -> tuple[object, ...]:
            kept = await runner.serve(cheap)
            before = (len(runner.cache), runner.cache.bytes)
            running = asyncio.create_task(runner.serve(slow))
            await asyncio.sleep(0.5)
            assert runner.pool is not None
            busy = [pid for pid in runner.pool.pids()]
            for pid in busy:
                os.kill(pid, signal.SIGKILL)
            outcome = await asyncio.gather(running, return_exceptions=True)
            after = (len(runner.cache), runner.cache.bytes)
            again = await runner.serve(cheap)
            return kept, before, outcome[0], after, again

        kept, before, outcome, after, again = asyncio.run(scenario())
    finally:
        runner.close()
    assert isinstance(outcome, QueryAborted)
    assert after == before  # nothing was added, nothing lost
    assert again.hit and again.answer == kept.answer
    assert runner.worker_restarts == 1


def test_the_same_query_asked_while_it_runs_waits_for_that_run() -> None:
    store = _store()
    runner = QueryRunner(store, Settings(in_memory=True))
    calls: list[str] = []
    release = asyncio.Event()
    fail_first = [True]

    async def run(job: Job, client: str | None = None) -> Answer:
        calls.append(job.query)
        await release.wait()
        if job.query.endswith("# fails") and fail_first[0]:
            fail_first[0] = False
            raise QueryError("the first run fails")
        return run_job(store, job)

    runner.run = run  # type: ignore[method-assign]

    async def together(job: Job) -> list[object]:
        release.clear()
        tasks = [asyncio.create_task(runner.serve(job)) for _ in range(5)]
        await asyncio.sleep(0.05)
        release.set()
        return await asyncio.gather(*tasks, return_exceptions=True)

    async def scenario() -> tuple[list[object], int, list[object], int]:
        shared = await together(Job(COUNT, "SELECT", JSON, 10))
        shared_calls = len(calls)
        failed = await together(Job(COUNT + " # fails", "SELECT", JSON, 10))
        return shared, shared_calls, failed, len(calls) - shared_calls

    shared, shared_calls, failed, failed_calls = asyncio.run(scenario())
    assert shared_calls == 1
    assert all(_count(s.answer) == 1 for s in shared)  # type: ignore[union-attr]
    # the first run's error is its own: the others ran the query again and got answers
    assert [type(r).__name__ for r in failed].count("QueryError") == 1
    assert sum(1 for r in failed if not isinstance(r, Exception)) == 4
    assert failed_calls == 5
