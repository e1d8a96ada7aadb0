"""The protocol logic: query inspection, refusals, row caps, worker processes, service description."""

from __future__ import annotations

import asyncio
import json
import re
import time

import pyoxigraph as ox
import pytest
from rdflib import URIRef

from coopgraph import sparql
from coopgraph.config import Settings
from coopgraph.errors import QueryError, QueryRefused, QueryTimeout
from coopgraph.namespaces import SD
from coopgraph.negotiation import GRAPH_TYPES, RESULTS_TYPES
from coopgraph.sparql import (
    Job,
    QueryPool,
    check_query,
    inspect_query,
    run_job,
    serialize_solutions,
    service_description,
)
from coopgraph.store import EmbeddedStore

TURTLE = b"""
@prefix ex: <http://example.org/> .
ex:a ex:label "un, {deux}", "tab\\there", "{}" ; ex:n 1, 2, 3 .
ex:b ex:label "\\"quoted\\" ,{\\"x\\"" .
"""
JSON, XML, CSV, TSV = RESULTS_TYPES


@pytest.fixture()
def small_store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    store.oxigraph.load(TURTLE, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://example.org/g"))
    return store


@pytest.mark.parametrize(
    ("text", "form", "services"),
    [
        ("SELECT * { ?s ?p ?o }", "SELECT", ()),
        ("# INSERT in a comment\nASK { ?s ?p 'DELETE' }", "ASK", ()),
        ("PREFIX ex: <http://e/>\nCONSTRUCT WHERE { ?s ex:p ?o }", "CONSTRUCT", ()),
        ("DESCRIBE <http://e/a>", "DESCRIBE", ()),
        ("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }", "UPDATE", ()),
        ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE", ()),
        ("BASE <http://e/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }", "SELECT", ("http://e/sparql",)),
        ("SELECT * { SERVICE SILENT ?endpoint { ?s ?p ?o } }", "SELECT", ("?endpoint",)),
        ('SELECT * { ?s ?p """SERVICE <http://x/>""" }', "SELECT", ()),
    ],
)
def test_inspect_query(text: str, form: str, services: tuple[str, ...]) -> None:
    info = inspect_query(text)
    assert info.form == form
    assert info.services == services


def catalogue_texts() -> list[str]:
    root = Settings().queries_dir
    return [path.read_text("utf-8") for path in sorted(root.rglob("*.rq"))]


def test_the_plain_query_shortcut_agrees_with_the_lexer(monkeypatch: pytest.MonkeyPatch) -> None:
    texts = [
        *catalogue_texts(),
        "  # c\nask{}",
        "PREFIX : <http://e/>\nselect*{}",
        "SELECTx {}",
        "PREFIX a: <http://e/> CONSTRUCT WHERE {}",
    ]
    texts += ["# SELECT\nDROP ALL", "PREFIX a: <http://e/> WITH <http://e/g> DELETE {} WHERE {}"]
    texts += ["# a federated service\nSELECT * { SERVICE <http://e/s> { ?s ?p ?o } }"]
    fast = [inspect_query(t) for t in texts]
    monkeypatch.setattr(sparql, "_PLAIN_QUERY", re.compile(r"(?!)"))  # never matches: lexer only
    assert fast == [inspect_query(t) for t in texts]
    assert len(texts) > 50 and {f.form for f in fast} >= {"SELECT", "CONSTRUCT", "UPDATE", None}


def test_a_service_named_in_the_header_comments_keeps_the_shortcut(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_lexer(text: str) -> list[tuple[str, str]]:
        raise AssertionError("the lexer ran")

    monkeypatch.setattr(sparql, "_tokens", no_lexer)
    info = inspect_query("#+ summary: what each service of the fund paid\nSELECT * { ?s ?p ?o }")
    assert info == sparql.QueryInfo("SELECT")
    with pytest.raises(AssertionError, match="the lexer ran"):
        inspect_query("# plain\nSELECT * { SERVICE <http://e/s> { ?s ?p ?o } }")


def test_check_query_refuses_updates_and_service() -> None:
    settings = Settings(in_memory=True)
    with pytest.raises(QueryRefused, match="read-only"):
        check_query("CLEAR ALL", settings)
    with pytest.raises(QueryRefused, match="switched off"):
        check_query("SELECT * { SERVICE <http://e/sparql> {} }", settings)
    allowing = Settings(in_memory=True, allow_service=True, service_allowlist=["http://e/sparql"])
    assert check_query("SELECT * { SERVICE <http://e/sparql> {} }", allowing).services == ("http://e/sparql",)
    with pytest.raises(QueryRefused, match="not on the allowlist"):
        check_query("SELECT * { SERVICE <http://other/sparql> {} }", allowing)
    with pytest.raises(QueryRefused, match=r"\?e"):
        check_query("SELECT * { SERVICE ?e {} }", allowing)


@pytest.mark.parametrize("media", RESULTS_TYPES, ids=lambda m: m.name)
@pytest.mark.parametrize("cap", [1, 3, 6, 100])
def test_serialize_solutions_caps_rows(small_store: EmbeddedStore, media: object, cap: int) -> None:
    query = "SELECT ?s ?o WHERE { ?s ?p ?o } ORDER BY ?s ?o"
    expected = small_store.oxigraph.query(query, use_default_graph_as_union=True)
    full = list(
        ox.parse_query_results(
            expected.serialize(format=ox.QueryResultsFormat.JSON), ox.QueryResultsFormat.JSON
        )
    )
    answer = serialize_solutions(
        small_store.oxigraph.query(query, use_default_graph_as_union=True), media, cap
    )  # type: ignore[arg-type]
    assert answer.truncated == (len(full) > cap)
    if media is CSV:
        assert answer.body.count(b"\r\n") == min(cap, len(full)) + 1
        return
    rows = list(ox.parse_query_results(answer.body, media.results_format))  # type: ignore[attr-defined]
    assert [list(r) for r in rows] == [list(r) for r in full[:cap]]


def test_empty_rows_are_counted(small_store: EmbeddedStore) -> None:
    query = "SELECT ?x WHERE { VALUES ?x { UNDEF UNDEF UNDEF } }"
    answer = serialize_solutions(small_store.oxigraph.query(query), JSON, 2)
    assert answer.truncated
    assert json.loads(answer.body)["results"]["bindings"] == [{}, {}]


def test_run_job_graph_and_errors(small_store: EmbeddedStore) -> None:
    turtle = run_job(small_store, Job("CONSTRUCT WHERE { ?s <http://example.org/n> ?o }", "turtle", True, 10))
    assert turtle.content_type.startswith("text/turtle")
    assert len(list(ox.parse(turtle.body, format=ox.RdfFormat.TURTLE))) == 3
    with pytest.raises(QueryError) as error:
        run_job(small_store, Job("SELECT * WHERE {\n ?s ?p }", "json", False, 10))
    assert error.value.line == 2
    restricted = run_job(
        small_store,
        Job("SELECT * { ?s ?p ?o }", "json", False, 100, default_graph=("http://example.org/other",)),
    )
    assert json.loads(restricted.body)["results"]["bindings"] == []
    assert GRAPH_TYPES[0].name == "turtle"


def test_pool_forks_with_the_in_memory_store_and_replaces_a_killed_worker(small_store: EmbeddedStore) -> None:
    pool = QueryPool(small_store, processes=2, timeout=1.5)
    pool.start()
    try:

        async def scenario() -> tuple[object, ...]:
            count = Job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "json", False, 10)
            first = await pool.run(count)
            pids = pool.pids()
            patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(12))  # 7**12 rows
            slow = Job(f"SELECT (COUNT(*) AS ?n) {{ {patterns} }}", "json", False, 10)
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
    count = Job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", "json", False, 10)
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(12))
    slow = Job(f"SELECT (COUNT(*) AS ?n) {{ {patterns} }}", "json", False, 10)
    try:

        async def scenario() -> tuple[object, ...]:
            queued = await asyncio.gather(*(pool.run(count) for _ in range(3)))
            # a caller that goes away while waiting must not take the worker with it
            seven = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(7))  # 7**7 rows, a fraction of a second
            running = asyncio.create_task(
                pool.run(Job(f"SELECT (COUNT(*) AS ?n) {{ {seven} }}", "json", False, 10))
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


def test_service_description_lists_graphs_and_limits() -> None:
    settings = Settings(in_memory=True, max_rows=123)
    graph = service_description("http://h/sparql", [("http://h/g1", 4), ("http://h/g2", 6)], settings)
    service = URIRef("http://h/sparql#service")
    assert (service, URIRef(SD.endpoint), URIRef("http://h/sparql")) in graph
    assert {str(n) for n in graph.objects(None, URIRef(SD.name))} == {"http://h/g1", "http://h/g2"}
    comment = str(next(graph.objects(service, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"))))
    assert "123 rows" in comment and "X-Coopgraph-Truncated" in comment
    assert f"{settings.max_request_bytes:,} bytes (413" in comment
