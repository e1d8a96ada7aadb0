"""Refusals before a query runs: updates, SERVICE, text that cannot be read."""

from __future__ import annotations

import pytest

from coopgraph.config import Settings
from coopgraph.errors import QueryError, QueryRefused
from coopgraph.namespaces import CANONICAL_BASE
from coopgraph.protocol import check_query

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
