"""Serialising answers: every results format, the row cap."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from coopgraph.negotiation import RESULTS_TYPES
from coopgraph.protocol import serialize_solutions
from coopgraph.store import EmbeddedStore

JSON, XML, CSV, TSV = RESULTS_TYPES


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
