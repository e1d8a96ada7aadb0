"""The stores: transactional graph loads (embedded, and remote on a real Oxigraph server), skipped
reloads, named queries with bound terms, the writer's lock."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.config import Settings
from coopgraph.errors import InputError, ParameterError, StoreBusy
from coopgraph.queries import parse_query_text
from coopgraph.store import EmbeddedStore, RemoteStore, Store, load_project, open_store, with_values
from support.processes import oxigraph_server

GRAPH = "https://w3id.org/coopgraph/graph/test"
GOOD = """\
@prefix ex: <https://w3id.org/coopgraph/id/test/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:a rdfs:label "A"@en .
ex:b rdfs:label "B"@en .
"""
NEWER = GOOD + 'ex:c rdfs:label "C"@en .\n'
BROKEN = GOOD + 'ex:c rdfs:label "unterminated .\n'

LABELS = parse_query_text(
    "labels",
    """#+ summary: Label of a resource
#+ defaults:
#+   - resource: https://w3id.org/coopgraph/id/test/a
SELECT ?label WHERE { ?_resource_iri <http://www.w3.org/2000/01/rdf-schema#label> ?label }""",
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> EmbeddedStore:
    return EmbeddedStore(None if request.param == "memory" else tmp_path / "store")


@pytest.fixture(scope="module")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server, empty, on a loopback port."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture(params=["memory", "disk", "remote"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """Each store implementation, empty; the remote one is a real Oxigraph server."""
    if request.param != "remote":
        return EmbeddedStore(None if request.param == "memory" else tmp_path / "store")
    url = request.getfixturevalue("oxigraph_url")
    remote = RemoteStore(url + "/query", url + "/update", queries_dir=Settings().queries_dir)
    remote.update("DROP ALL")
    return remote


def test_replace_graph_loads_and_replaces(any_store: Store, tmp_path: Path) -> None:
    store = any_store
    assert store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)]) == 2
    assert store.replace_graph(GRAPH, [write(tmp_path, "b.ttl", NEWER)]) == 3
    assert store.named_graphs() == [GRAPH]


def test_failed_load_leaves_store_as_it_was(any_store: Store, tmp_path: Path) -> None:
    store = any_store
    store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    before = sorted(str(q) for q in store.quads())
    version = store.version()
    broken = write(tmp_path, "broken.ttl", BROKEN)
    with pytest.raises(InputError) as info:
        store.replace_graph(GRAPH, [broken])
    assert info.value.path == broken and info.value.line == 5
    assert sorted(str(q) for q in store.quads()) == before
    assert store.named_graphs() == [GRAPH]  # no staging graph left behind
    assert store.version() == version


def test_failed_load_of_second_file_keeps_first_graph_unchanged(any_store: Store, tmp_path: Path) -> None:
    store = any_store
    store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    with pytest.raises(InputError):
        store.replace_graph(GRAPH, [write(tmp_path, "b.ttl", NEWER), write(tmp_path, "c.ttl", BROKEN)])
    assert len(list(store.quads(GRAPH))) == 2


def test_failed_load_of_a_new_graph_leaves_no_graph(any_store: Store, tmp_path: Path) -> None:
    store = any_store
    # a new graph is loaded in place: the first file's triples must go when the second fails
    with pytest.raises(InputError):
        store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD), write(tmp_path, "c.ttl", BROKEN)])
    assert store.named_graphs() == []
    assert list(store.quads()) == []


def test_quads_and_version_read_back_what_was_loaded(any_store: Store, tmp_path: Path) -> None:
    store = any_store
    empty = store.version()
    store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    other = "https://w3id.org/coopgraph/graph/other"
    store.replace_graph(other, [write(tmp_path, "b.ttl", NEWER)])
    assert store.named_graphs() == sorted([GRAPH, other])
    assert len(list(store.quads())) == 5
    one = list(store.quads(GRAPH))
    assert {(q.subject.value, q.object.value, q.graph_name.value) for q in one} == {
        ("https://w3id.org/coopgraph/id/test/a", "A", GRAPH),
        ("https://w3id.org/coopgraph/id/test/b", "B", GRAPH),
    }
    loaded = store.version()
    assert loaded != empty
    store.replace_graph(GRAPH, [write(tmp_path, "c.ttl", NEWER)])
    assert store.version() != loaded


def test_a_second_writer_is_told_who_holds_the_store(tmp_path: Path) -> None:
    first = EmbeddedStore(tmp_path / "store")
    with pytest.raises(StoreBusy, match=f"pid {os.getpid()} writing"):
        EmbeddedStore(tmp_path / "store")
    first.close()
    EmbeddedStore(tmp_path / "store").close()  # the lock goes with close()


def test_read_only_service_store_keeps_writers_out_and_lets_readers_in(tmp_path: Path) -> None:
    served = EmbeddedStore(tmp_path / "store")
    served.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    served.make_read_only()
    assert served.read_only and served.graph_size(GRAPH) == 2
    with pytest.raises(StoreBusy, match="serving read-only"):
        EmbeddedStore(tmp_path / "store")
    reader = EmbeddedStore(tmp_path / "store", read_only=True)
    assert reader.graph_size(GRAPH) == 2
    with pytest.raises(RuntimeError, match="read-write"):  # the service cannot write either
        served.oxigraph.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c")))
    served.close()
    EmbeddedStore(tmp_path / "store").close()


def test_bulk_load_failure_removes_partial_graph(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    with pytest.raises(InputError):
        store.bulk_load(GRAPH, write(tmp_path, "broken.ttl", BROKEN))
    assert store.named_graphs() == []
    assert store.bulk_load(GRAPH, write(tmp_path, "a.ttl", GOOD)) == 2


def test_named_query_binds_parameters_as_terms(store: EmbeddedStore, tmp_path: Path) -> None:
    store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    rows = store.run(LABELS, {"resource": "https://w3id.org/coopgraph/id/test/b"})
    assert [r["label"] for r in rows] == [ox.Literal("B", language="en")]
    # text that would change the query if it were pasted in is just an IRI that matches nothing
    with pytest.raises(ParameterError):
        store.run(LABELS, {"resource": "x> ?p ?o } #"})
    # an omitted required parameter takes its #+ defaults: value, as in grlc
    assert [r["label"].value for r in store.run(LABELS, {})] == ["A"]
    no_default = parse_query_text("labels", LABELS.text.replace("#+ defaults:", "#+ nodefaults:"))
    with pytest.raises(ParameterError, match="required"):
        store.run(no_default, {})


def test_load_project_skips_unchanged_graphs_on_disk(tmp_path: Path) -> None:
    settings = Settings(store_dir=tmp_path / "store")
    first = EmbeddedStore(settings.store_path)
    report = load_project(first, settings)
    assert report.loaded and not report.skipped
    version = first.version()
    first.close()
    del first
    again = EmbeddedStore(settings.store_path)
    report = load_project(again, settings)
    assert report.loaded == {}
    assert set(report.skipped) == {
        "https://w3id.org/coopgraph/graph/ontology",
        "https://w3id.org/coopgraph/graph/shapes",
        "https://w3id.org/coopgraph/graph/reference",
        *(f"https://w3id.org/coopgraph/graph/{p.stem}" for p in settings.instance_dir.glob("*.ttl")),
    }
    assert again.version() == version
    forced = load_project(again, settings, force=True)
    assert set(forced.loaded) == set(report.skipped)


def test_open_store_chooses_remote_when_endpoint_set() -> None:
    store = open_store(Settings(sparql_endpoint="http://127.0.0.1:9/query"))
    assert isinstance(store, RemoteStore)


def test_binding_is_a_values_block_of_serialised_terms() -> None:
    text = with_values(
        "SELECT ?l WHERE { ?_r_iri ?p ?l }",
        {"_r_iri": ox.NamedNode("https://w3id.org/coopgraph/id/x"), "_t": ox.Literal('a "quoted" } text')},
    )
    assert text == (
        'SELECT ?l WHERE { VALUES (?_r_iri ?_t) { (<https://w3id.org/coopgraph/id/x> "a \\"quoted\\" } text") }'
        "  ?_r_iri ?p ?l }"
    )


def test_parameter_in_filter_is_in_scope(store: EmbeddedStore, tmp_path: Path) -> None:
    """A parameter used in a FILTER of the WHERE group is bound when the filter runs."""
    store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    others = parse_query_text(
        "others",
        "#+ summary: x\nSELECT ?s WHERE { ?s ?p ?o FILTER(?s != ?_not_iri) }",
    )
    rows = store.run(others, {"not": "https://w3id.org/coopgraph/id/test/a"})
    assert [r["s"].value for r in rows] == ["https://w3id.org/coopgraph/id/test/b"]
