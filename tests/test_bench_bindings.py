"""bench/bindings.py: every query with defaults answers the same bound and written in, the run
writes a row per query, and a query that runs away is stopped at the cap."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.queries import NamedQuery, QueryCatalogue
from coopgraph.sparqltext import with_values
from coopgraph.store import EmbeddedStore
from support.bench import load_bench

bindings = load_bench("bindings")
CATALOGUE = QueryCatalogue(Path(__file__).resolve().parents[1] / "queries")
WITH_DEFAULTS = bindings.queries_with_defaults(CATALOGUE)
_bound = bindings.run.default_terms


def _answer(store: EmbeddedStore, text: str) -> list[str] | bool:
    result = store.oxigraph.query(text, use_default_graph_as_union=True)
    return bool(result) if isinstance(result, ox.QueryBoolean) else sorted(str(s) for s in result)


@pytest.mark.parametrize("query", WITH_DEFAULTS, ids=bindings.display_name)
def test_bound_and_written_in_give_the_same_rows(project_store: EmbeddedStore, query: NamedQuery) -> None:
    written = bindings.written_in(query.text, _bound(query))
    if not bindings.is_sparql(written):
        # only coopgraph's own code runs internal queries, which may project their parameters
        assert query.internal, "a public query must stay SPARQL with its values written in"
        return
    assert _answer(project_store, written) == _answer(project_store, with_values(query.text, _bound(query)))


def test_the_defaults_name_something_in_the_data(project_store: EmbeddedStore) -> None:
    empty = [
        bindings.display_name(q)
        for q in WITH_DEFAULTS
        if not _answer(project_store, with_values(q.text, _bound(q)))
    ]
    assert len(empty) <= 2, empty


def test_the_run_writes_a_row_per_query(tmp_path: Path) -> None:
    out = tmp_path / "bindings.md"
    assert bindings.main(["--size", "", "--reps", "1", "--cap", "60", "--out", str(out)]) == 0
    text = out.read_text("utf-8")
    assert "## Project data" in text and "Generated data" not in text
    for query in WITH_DEFAULTS:
        assert f"| {bindings.display_name(query)} | " in text
    assert f"{len(WITH_DEFAULTS)} queries; geometric mean" in text
    assert "| internal/describe-resource | " in text and "not SPARQL written in" in text
    assert "over 60 s: none" in text


def test_a_query_that_runs_away_is_stopped_at_the_cap(small_seven_triples: EmbeddedStore) -> None:
    patterns = " . ".join(f"?s{i} ?p{i} ?o{i}" for i in range(12))  # 7**12 rows
    runaway = f"SELECT (COUNT(*) AS ?n) {{ {patterns} }}"
    assert bindings.capped_medians(small_seven_triples, runaway, "ASK {}", 1, 0.5) is None
    medians = bindings.capped_medians(small_seven_triples, "ASK {}", "ASK {}", 3, 30)
    assert medians is not None and all(m >= 0 for m in medians)


@pytest.fixture
def small_seven_triples() -> EmbeddedStore:
    store = EmbeddedStore(None)
    for i in range(7):
        store.oxigraph.add(ox.Quad(ox.NamedNode(f"http://e/s{i}"), ox.NamedNode("http://e/p"), ox.Literal(i)))
    return store
