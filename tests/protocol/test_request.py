"""Answering a raw protocol request: a request asked before is answered from the result cache by
its bytes, before it is read or checked; everything else is read, checked and negotiated."""

from __future__ import annotations

import asyncio
import json
from urllib.parse import urlencode

import pyoxigraph as ox
import pytest

import coopgraph.protocol.request as protocol_request
from coopgraph.config import Settings
from coopgraph.errors import QueryError, QueryRefused, QueryTimeout
from coopgraph.protocol import Answer, Job, QueryRunner, run_job
from coopgraph.protocol.request import FORM, SPARQL_QUERY, Reply, answer_raw_request
from coopgraph.store import EmbeddedStore

EX = "http://example.org/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
JSON_RESULTS = "application/sparql-results+json"


def _store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    store.put_graph(EX + "g", [ox.Triple(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("1"))])
    return store


class Counted:
    """A runner over ``store`` that runs jobs in this process, and counts what is read and run."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, settings: Settings | None = None) -> None:
        self.store = _store()
        self.settings = settings or Settings(in_memory=True)
        self.runner = QueryRunner(self.store, self.settings)
        self.runs: list[str] = []
        self.checks: list[str] = []
        self.failures: list[Exception] = []
        real_check = protocol_request.check_query

        def check(text: str, settings: Settings) -> object:
            self.checks.append(text)
            return real_check(text, settings)

        async def run(job: Job, client: str | None = None) -> Answer:
            self.runs.append(job.query)
            if self.failures:
                raise self.failures.pop(0)
            return run_job(self.store, job)

        monkeypatch.setattr(protocol_request, "check_query", check)
        self.runner.run = run  # type: ignore[method-assign]

    def ask(
        self,
        method: str,
        query_string: bytes = b"",
        content_type: str = "",
        body: bytes = b"",
        accept: str | None = JSON_RESULTS,
        if_none_match: str | None = None,
    ) -> Reply | None:
        return asyncio.run(
            answer_raw_request(
                method,
                query_string,
                content_type,
                body,
                accept,
                self.settings,
                self.runner,
                "127.0.0.1",
                if_none_match,
            )
        )


def _form(query: str) -> bytes:
    return urlencode({"query": query}).encode()


def test_the_same_bytes_are_answered_from_the_cache_without_being_read_or_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted = Counted(monkeypatch)
    first = counted.ask("POST", content_type=FORM, body=_form(COUNT))
    second = counted.ask("POST", content_type=FORM, body=_form(COUNT))
    assert first is not None and second is not None
    assert first.status == 200 and second.status == 200
    assert first.headers["X-Coopgraph-Cache"] == "miss" and second.headers["X-Coopgraph-Cache"] == "hit"
    assert second.body == first.body and second.content_type == first.content_type
    assert second.headers["ETag"] == first.headers["ETag"]
    assert json.loads(second.body)["results"]["bindings"][0]["n"]["value"] == "1"
    assert counted.checks == [COUNT]  # the second was never read nor checked
    assert counted.runs == [COUNT]
    assert counted.runner.cache.hits == 1


def test_a_hit_by_bytes_keeps_the_negotiated_media_type(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    query = _form(COUNT)
    as_json = counted.ask("GET", query, accept=JSON_RESULTS)
    as_csv = counted.ask("GET", query, accept="text/csv")
    as_tsv = counted.ask("GET", query, accept="text/tab-separated-values")
    again = [
        counted.ask("GET", query, accept=a) for a in (JSON_RESULTS, "text/csv", "text/tab-separated-values")
    ]
    assert as_json and as_csv and as_tsv
    assert as_json.content_type.startswith(JSON_RESULTS)
    assert as_csv.content_type.startswith("text/csv") and as_csv.body.startswith(b"n\r\n")
    assert as_tsv.content_type.startswith("text/tab-separated-values")
    for before, after in zip((as_json, as_csv, as_tsv), again, strict=True):
        assert after is not None and after.headers["X-Coopgraph-Cache"] == "hit"
        assert (after.content_type, after.body, after.headers["ETag"]) == (
            before.content_type,
            before.body,
            before.headers["ETag"],
        )
    assert len(counted.checks) == 3 and len(counted.runs) == 3


def test_a_get_and_a_head_share_bytes_and_another_spelling_is_read_once_then_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted = Counted(monkeypatch)
    counted.ask("GET", _form(COUNT))
    head = counted.ask("HEAD", _form(COUNT))
    assert head is not None and head.headers["X-Coopgraph-Cache"] == "hit"
    assert len(counted.checks) == 1
    # the query itself as the body: other bytes, read and checked once, answered from the kept answer
    direct = counted.ask("POST", content_type=SPARQL_QUERY, body=COUNT.encode())
    direct_again = counted.ask("POST", content_type=SPARQL_QUERY, body=COUNT.encode())
    assert direct is not None and direct_again is not None
    assert direct.headers["X-Coopgraph-Cache"] == "hit" and direct_again.headers["X-Coopgraph-Cache"] == "hit"
    assert len(counted.checks) == 2 and counted.runs == [COUNT]


def test_the_dataset_is_part_of_the_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    whole = counted.ask("GET", _form(COUNT))
    other = counted.ask("GET", _form(COUNT) + b"&default-graph-uri=" + (EX + "none").encode())
    assert whole is not None and other is not None
    assert json.loads(whole.body)["results"]["bindings"][0]["n"]["value"] == "1"
    assert json.loads(other.body)["results"]["bindings"][0]["n"]["value"] == "0"
    assert len(counted.runs) == 2


def test_an_error_is_never_found_by_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    counted.failures = [QueryTimeout(1.0), QueryError("engine failure")]
    body = _form(COUNT)
    with pytest.raises(QueryTimeout):
        counted.ask("POST", content_type=FORM, body=body)
    with pytest.raises(QueryError):
        counted.ask("POST", content_type=FORM, body=body)
    fine = counted.ask("POST", content_type=FORM, body=body)
    assert fine is not None and fine.status == 200 and fine.headers["X-Coopgraph-Cache"] == "miss"
    assert len(counted.checks) == 3 and len(counted.runs) == 3  # each failure read and run again
    # a refused request is refused every time: it never reaches the cache
    update = _form("DROP ALL")
    for _ in range(2):
        with pytest.raises(QueryRefused):
            counted.ask("POST", content_type=FORM, body=update)
    assert counted.checks[-2:] == ["DROP ALL", "DROP ALL"]


def test_a_write_makes_the_same_bytes_a_miss(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    body = _form(COUNT)
    counted.ask("POST", content_type=FORM, body=body)
    counted.store.put_graph(
        EX + "h", [ox.Triple(ox.NamedNode(EX + "b"), ox.NamedNode(EX + "p"), ox.Literal("2"))]
    )
    after = counted.ask("POST", content_type=FORM, body=body)
    assert after is not None and after.headers["X-Coopgraph-Cache"] == "miss"
    assert json.loads(after.body)["results"]["bindings"][0]["n"]["value"] == "2"
    again = counted.ask("POST", content_type=FORM, body=body)
    assert again is not None and again.headers["X-Coopgraph-Cache"] == "hit" and again.body == after.body
    assert len(counted.runs) == 2


def test_if_none_match_on_a_hit_by_bytes_is_a_304(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch)
    first = counted.ask("GET", _form(COUNT))
    assert first is not None
    tag = first.headers["ETag"]
    current = counted.ask("GET", _form(COUNT), if_none_match=tag)
    stale = counted.ask("GET", _form(COUNT), if_none_match='W/"stale"')
    assert current is not None and current.status == 304 and current.body == b""
    assert current.headers["ETag"] == tag
    assert stale is not None and stale.status == 200 and stale.body == first.body
    assert len(counted.checks) == 1


def test_non_deterministic_queries_and_a_get_without_a_query_are_never_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted = Counted(monkeypatch)
    text = "SELECT (STRUUID() AS ?u) {}"
    one = counted.ask("GET", _form(text))
    two = counted.ask("GET", _form(text))
    assert one is not None and two is not None and one.body != two.body
    assert two.headers["X-Coopgraph-Cache"] == "miss" and len(counted.checks) == 2
    assert counted.ask("GET", b"") is None  # the service description, every time
    assert counted.ask("GET", b"") is None


def test_with_the_cache_off_every_request_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    counted = Counted(monkeypatch, Settings(in_memory=True, cache_bytes=0))
    for _ in range(2):
        reply = counted.ask("GET", _form(COUNT))
        assert reply is not None and reply.headers["X-Coopgraph-Cache"] == "miss"
    assert len(counted.checks) == 2 and len(counted.runs) == 2
