"""Jobs: what the parent decides, and how an embedded store runs it."""

from __future__ import annotations

import json
import pickle

import pyoxigraph as ox
import pytest

from coopgraph.config import Settings
from coopgraph.errors import QueryError
from coopgraph.namespaces import CANONICAL_BASE
from coopgraph.negotiation import GRAPH_TYPES, RESULTS_TYPES
from coopgraph.protocol import QUERY_BASE, Job, check_query, run_job
from coopgraph.store import EmbeddedStore

JSON = RESULTS_TYPES[0]
TURTLE = GRAPH_TYPES[0]


def test_run_job_graph_and_errors(small_store: EmbeddedStore) -> None:
    turtle = run_job(
        small_store, Job("CONSTRUCT WHERE { ?s <http://example.org/n> ?o }", "CONSTRUCT", TURTLE, 10)
    )
    assert turtle.content_type.startswith("text/turtle")
    assert len(list(ox.parse(turtle.body, format=ox.RdfFormat.TURTLE))) == 3
    with pytest.raises(QueryError) as error:
        run_job(small_store, Job("SELECT * WHERE {\n ?s ?p }", "SELECT", JSON, 10))
    assert error.value.line == 2
    restricted = run_job(
        small_store,
        Job("SELECT * { ?s ?p ?o }", "SELECT", JSON, 100, default_graph=("http://example.org/other",)),
    )
    assert json.loads(restricted.body)["results"]["bindings"] == []
    assert GRAPH_TYPES[0].name == "turtle"


@pytest.mark.parametrize("media", [*RESULTS_TYPES, *GRAPH_TYPES], ids=lambda m: m.name)
def test_a_job_pickles_with_its_media_type_whole(media: object) -> None:
    job = Job("ASK {}", "ASK", media, 10)  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(job)).media == media


def test_relative_iris_resolve_against_the_canonical_base() -> None:
    store = EmbeddedStore(None)
    text = "SELECT ?x WHERE { BIND(<id/party/mexico> AS ?x) }"
    info = check_query(text, Settings(in_memory=True))
    job = Job(text, info.form, JSON, 10, base_iri=QUERY_BASE if info.relative_iris else None)
    rows = json.loads(run_job(store, job).body)["results"]["bindings"]
    assert rows == [{"x": {"type": "uri", "value": CANONICAL_BASE + "id/party/mexico"}}]
    own_base = "BASE <http://e/> SELECT ?x WHERE { BIND(<a> AS ?x) }"
    job = Job(own_base, "SELECT", JSON, 10, base_iri=QUERY_BASE)
    assert json.loads(run_job(store, job).body)["results"]["bindings"][0]["x"]["value"] == "http://e/a"


def test_an_error_keeps_its_position_in_the_text_the_client_sent() -> None:
    text = "SELECT * WHERE { <x> ?p }"
    with pytest.raises(SyntaxError) as engine:  # the engine given the base directly
        ox.Store().query(text, base_iri=QUERY_BASE)
    with pytest.raises(QueryError) as based:
        run_job(EmbeddedStore(None), Job(text, "SELECT", JSON, 10, base_iri=QUERY_BASE))
    assert f"error at {based.value.line}:{based.value.column}:" in str(engine.value)
    assert f"error at 1:{based.value.column}" in based.value.message


def test_a_form_the_engine_contradicts_is_an_error(small_store: EmbeddedStore) -> None:
    with pytest.raises(QueryError, match="read as a SELECT query"):
        run_job(small_store, Job("CONSTRUCT WHERE { ?s ?p ?o }", "SELECT", JSON, 10))
