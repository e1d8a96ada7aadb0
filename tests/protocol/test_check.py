"""Refusals before a query runs: updates, SERVICE, text that cannot be read, nesting too deep."""

from __future__ import annotations

import time

import pytest

from coopgraph.config import Settings
from coopgraph.errors import QueryError, QueryRefused
from coopgraph.namespaces import CANONICAL_BASE
from coopgraph.protocol import check_query
from coopgraph.protocol.check import check_nesting

ALLOWING = Settings(in_memory=True, allow_service=True, service_allowlist=["http://e/sparql"])


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


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { #x\rSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { \\U00000053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
        'SELECT * WHERE { BIND("\\u005c" AS ?x) SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } # "',
        "select * where { sErViCe <http://127.0.0.1:9/> { ?s ?p ?o } }",
        "SELECT * WHERE { SERVICE <http://127.0.0.1\\u003a9/> { ?s ?p ?o } }",
    ],
    ids=["comment-ended-by-cr", "u-escape", "U-escape", "escaped-backslash", "case", "escape-in-iri"],
)
def test_hidden_service_clauses_are_refused(text: str) -> None:
    with pytest.raises(QueryRefused, match=r"SERVICE <http://127\.0\.0\.1:9/> refused"):
        check_query(text, ALLOWING)


def test_a_relative_service_endpoint_resolves_against_the_canonical_base() -> None:
    with pytest.raises(QueryRefused, match=f"SERVICE <{CANONICAL_BASE}sparql> refused"):
        check_query("SELECT * { SERVICE <sparql> { ?s ?p ?o } }", ALLOWING)
    canonical = Settings(in_memory=True, allow_service=True, service_allowlist=[f"{CANONICAL_BASE}sparql"])
    assert check_query("SELECT * { SERVICE <sparql> {} }", canonical).relative_iris
    base = "BASE <http://e/> SELECT * { SERVICE <sparql> {} }"
    assert check_query(base, ALLOWING).services == ("http://e/sparql",)


def test_unreadable_text_naming_service_is_refused_with_its_position() -> None:
    with pytest.raises(QueryError) as error:
        check_query('SELECT * {\n "\\q" SERVICE <http://127.0.0.1:9/> {} " }', ALLOWING)
    assert (error.value.line, error.value.column) == (2, 2)


def test_unreadable_text_without_service_is_left_to_the_engine() -> None:
    assert check_query('SELECT * { ?s ?p "\\q" }', Settings(in_memory=True)).error is None


DEEP = "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000


def test_a_query_nested_too_deep_is_refused_with_the_position_of_the_bracket() -> None:
    settings = Settings(in_memory=True, max_query_depth=64)
    with pytest.raises(QueryError, match="nested more than 64 levels") as error:
        check_query(DEEP, settings)
    assert (error.value.line, error.value.column) == (1, len("SELECT * WHERE ") + 65)
    text = "ASK {\n  FILTER(" + "(" * 3 + "1" + ")" * 3 + ")\n}"
    with pytest.raises(QueryError) as error:
        check_query(text, Settings(in_memory=True, max_query_depth=4))
    assert (error.value.line, error.value.column) == (2, 12)
    assert check_query(text, Settings(in_memory=True, max_query_depth=5)).form == "ASK"


def test_brackets_hidden_by_codepoint_escapes_count_as_the_grammar_reads_them() -> None:
    text = "ASK { " + "\\u007B" * 10 + " }"
    with pytest.raises(QueryError, match="once codepoint escapes are replaced"):
        check_query(text, Settings(in_memory=True, max_query_depth=8))


def test_a_megabyte_of_parentheses_is_refused_at_once() -> None:
    start = time.perf_counter()
    with pytest.raises(QueryError, match="nested more than"):
        check_query("SELECT * { FILTER" + "(" * 1_048_576 + " }", Settings(in_memory=True))
    assert time.perf_counter() - start < 1.0


def test_every_catalogue_query_passes_the_depth_check(settings: Settings) -> None:
    for path in sorted(settings.queries_dir.rglob("*.rq")):
        check_nesting(path.read_text("utf-8"), settings.max_query_depth)
