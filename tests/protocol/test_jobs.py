"""Jobs: what the parent decides, and how an embedded store runs it."""

from __future__ import annotations

import dataclasses
import json
import pickle

import pyoxigraph as ox
import pytest

from coopgraph.config import Settings
from coopgraph.errors import QueryError
from coopgraph.namespaces import CANONICAL_BASE
from coopgraph.negotiation import GRAPH_TYPES, RESULTS_TYPES
from coopgraph.protocol import QUERY_BASE, Job, check_query, run_job
from coopgraph.protocol.jobs import decode_job, encode_job
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


IRI = ox.NamedNode("http://example.org/a")


@pytest.mark.parametrize("media", [*RESULTS_TYPES, *GRAPH_TYPES], ids=lambda m: m.name)
def test_a_job_crosses_to_a_worker_as_plain_values(media: object) -> None:
    job = Job(
        "SELECT * { ?s ?p ?o }",
        "SELECT",
        media,  # type: ignore[arg-type]
        25,
        {
            "iri": IRI,
            "typed": ox.Literal("4", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
            "tagged": ox.Literal("Bogotá", language="es"),
            "plain": ox.Literal('a\nb "quoted" \u2603'),
        },
        default_graph=("http://example.org/g1",),
        named_graphs=("http://example.org/g2", "http://example.org/g3"),
        base_iri=CANONICAL_BASE,
    )
    frame = encode_job(job)
    assert frame[:1] == b"M"  # marshalled, not pickled
    assert decode_job(frame) == job
    assert decode_job(frame).media is media  # the table's own object, formats and all


def test_a_job_the_frame_cannot_name_is_pickled_whole() -> None:
    own_media = dataclasses.replace(JSON, aliases=())  # equal formats, but not the table's object
    job = Job("ASK {}", "ASK", own_media, 10)
    frame = encode_job(job)
    assert frame[:1] == b"P"
    assert decode_job(frame) == job
    blank = Job("ASK {}", "ASK", JSON, 10, {"b": ox.BlankNode("x")})  # type: ignore[dict-item]
    assert encode_job(blank)[:1] == b"P"
    assert decode_job(encode_job(blank)) == blank


@pytest.mark.parametrize(
    "frame",
    [b"", b"X", b"Mnot marshal", pickle.dumps(Job("ASK {}", "ASK", JSON, 1)), b"P" + pickle.dumps([1])],
    ids=["empty", "unknown kind", "bad marshal", "unframed pickle", "pickled non-job"],
)
def test_a_frame_that_is_not_a_job_is_refused(frame: bytes) -> None:
    with pytest.raises((ValueError, EOFError, TypeError)):
        decode_job(frame)
