"""Changes: built from each way in, validated with their context, committed atomically."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopgraph.config import Settings
from coopgraph.errors import Forbidden, InputError, ParameterError, QueryRefused, UnsupportedContentType
from coopgraph.gate.change import (
    check_change,
    commit_change,
    delete_change,
    put_change,
    read_rdf,
    update_change,
    update_graphs,
)
from coopgraph.store import EmbeddedStore, load_project
from support.writing import GOOD_TURTLE, SUBMISSION, fingerprint


@pytest.fixture(scope="module")
def store(settings: Settings) -> EmbeddedStore:
    loaded = EmbeddedStore(None)
    load_project(loaded, settings)
    return loaded


def test_read_rdf_refuses_entities_remote_contexts_and_unknown_types() -> None:
    with pytest.raises(InputError, match="entities"):
        read_rdf(b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><r/>', "application/rdf+xml")
    with pytest.raises(InputError, match="fetched"):
        read_rdf(b'{"@context": "http://127.0.0.1:9/ctx", "@id": "http://e/s"}', "application/ld+json")
    with pytest.raises(UnsupportedContentType):
        read_rdf(b"", "application/pdf")
    with pytest.raises(InputError) as error:
        read_rdf(
            b"<http://e/s> <http://e/p> .\n<http://e/s> <http://e/p> <http://e/o> .", "application/n-triples"
        )
    assert error.value.line == 1


def test_a_conforming_put_has_no_violations(store: EmbeddedStore, settings: Settings) -> None:
    change = put_change(store, SUBMISSION, *read_rdf(GOOD_TURTLE, "text/turtle"))
    assert check_change(store, change, settings).conforms


def test_links_to_nodes_of_other_graphs_are_checked_with_their_types(
    store: EmbeddedStore, settings: Settings
) -> None:
    # the source document is typed in the reference graph only: the sh:class check must see it
    change = put_change(
        store,
        SUBMISSION,
        *read_rdf(GOOD_TURTLE.replace(b"global-alliance-2002", b"no-such-source"), "text/turtle"),
    )
    report = check_change(store, change, settings)
    assert not report.conforms
    assert all("test-foundation" in r.focus_node or "blank" in r.focus_node for r in report.results)


def test_results_carry_the_line_of_the_body(store: EmbeddedStore, settings: Settings) -> None:
    body = (
        GOOD_TURTLE
        + b"\n<https://w3id.org/coopgraph/id/organisation/nameless> a <https://w3id.org/coopgraph/def#Organisation> .\n"
    )
    report = check_change(store, put_change(store, SUBMISSION, *read_rdf(body, "text/turtle")), settings)
    lines = {r.line for r in report.results if "nameless" in r.focus_node}
    assert lines == {body.count(b"\n")}


def test_protected_graphs_and_bad_names_are_refused(store: EmbeddedStore) -> None:
    with pytest.raises(Forbidden):
        delete_change(store, "https://w3id.org/coopgraph/graph/ontology")
    with pytest.raises(ParameterError):
        put_change(store, "not an iri", [], {})


def test_update_graphs_names_the_graphs_and_refuses_load() -> None:
    assert update_graphs("PREFIX g: <http://e/> CLEAR GRAPH g:one ; DROP SILENT GRAPH <http://e/two>") == (
        ["http://e/one", "http://e/two"],
        False,
    )
    assert update_graphs("DROP ALL")[1] is True
    with pytest.raises(QueryRefused):
        update_graphs("load <http://e/x>")


def test_update_change_finds_the_changed_graphs_only(store: EmbeddedStore) -> None:
    before = fingerprint(store)
    graph = "https://w3id.org/coopgraph/graph/global-alliance-2002"
    change = update_change(
        store,
        f'INSERT DATA {{ GRAPH <{graph}> {{ <http://e/s> <http://www.w3.org/2000/01/rdf-schema#label> "x" }} }}',
    )
    assert list(change.graphs) == [graph] and change.added == 1 and change.removed == 0
    assert fingerprint(store) == before  # run on a copy


def test_put_graphs_is_all_or_nothing(settings: Settings) -> None:
    store = EmbeddedStore(None)
    s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
    store.put_graphs({"http://e/a": [ox.Triple(s, p, ox.Literal("old"))]})
    before = fingerprint(store)

    def failing():  # type: ignore[no-untyped-def]
        yield ox.Triple(s, p, ox.Literal("new"))
        raise RuntimeError("the body broke off")

    with pytest.raises(RuntimeError):
        store.put_graphs({"http://e/a": [ox.Triple(s, p, ox.Literal("new"))], "http://e/b": failing()})
    assert fingerprint(store) == before
    assert not [g for g in store.named_graphs() if "staging" in g]


def test_commit_replaces_and_removes(store: EmbeddedStore) -> None:
    fresh = EmbeddedStore(None)
    s, p = ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p")
    fresh.put_graphs(
        {"http://e/a": [ox.Triple(s, p, ox.Literal("1"))], "http://e/b": [ox.Triple(s, p, ox.Literal("2"))]}
    )
    version = fresh.version()
    change = delete_change(fresh, "http://e/a")
    change.graphs["http://e/b"] = [ox.Triple(s, p, ox.Literal("3"))]
    assert commit_change(fresh, change) == {"http://e/a": 0, "http://e/b": 1}
    assert fresh.named_graphs() == ["http://e/b"] and fresh.version() != version


def test_parsing_each_query_once_gives_the_same_report(
    store: EmbeddedStore, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import rdflib.plugin
    from rdflib.plugins.sparql.processor import SPARQLProcessor
    from rdflib.query import Processor

    from coopgraph.gate import prepared

    body = GOOD_TURTLE.replace(b'rdfs:label "Test Foundation"@en ;', b"") + (
        b"\n<https://w3id.org/coopgraph/id/organisation/nameless> a <https://w3id.org/coopgraph/def#Organisation> .\n"
    )
    change = put_change(store, SUBMISSION, *read_rdf(body, "text/turtle"))
    cached = check_change(store, change, settings)  # validate_graph installs the parse cache
    assert isinstance(rdflib.plugin.get("sparql", Processor)(rdflib.Graph()), prepared.PreparedProcessor)
    monkeypatch.setattr(prepared, "install", lambda: None)
    rdflib.plugin.register("sparql", Processor, SPARQLProcessor.__module__, "SPARQLProcessor")
    try:
        uncached = check_change(store, change, settings)
    finally:
        monkeypatch.undo()
        prepared.install()

    def key(r):  # type: ignore[no-untyped-def]
        return (r.focus_node, r.path, r.constraint, r.message)

    assert sorted(map(key, cached.results)) == sorted(map(key, uncached.results))
    assert not cached.conforms
