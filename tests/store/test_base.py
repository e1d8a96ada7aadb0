"""The Store interface on every back end (memory, disk, a real Oxigraph server): transactional
writes from files and from triples, reading back, named queries with bound terms."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.errors import InputError, ParameterError, QueryError
from coopgraph.queries import parse_query_text
from coopgraph.store import EmbeddedStore, RemoteStore, Store, with_values
from support.store_samples import BROKEN, GOOD, GRAPH, NEWER, write

LABELS = parse_query_text(
    "labels",
    """#+ summary: Label of a resource
#+ defaults:
#+   - resource: https://w3id.org/coopgraph/id/test/a
SELECT ?label WHERE { ?_resource_iri <http://www.w3.org/2000/01/rdf-schema#label> ?label }""",
)

EX = "https://w3id.org/coopgraph/id/test/"
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
OTHER = "https://w3id.org/coopgraph/graph/other"


def labelled(*names: str) -> list[ox.Triple]:
    """Triples ``ex:NAME rdfs:label "NAME"``."""
    return [ox.Triple(ox.NamedNode(EX + n), LABEL, ox.Literal(n)) for n in names]


def content(store: Store, graph: str | None = None) -> set[tuple[str, str, str]]:
    """The quads of the store (or one graph) as (subject, object, graph) values."""
    return {(q.subject.value, q.object.value, q.graph_name.value) for q in store.quads(graph)}


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


# -- put_graph: a graph's content from triples -----------------------------------------------


def test_put_graph_writes_then_replaces_one_graph(any_store: Store) -> None:
    store = any_store
    store.put_graph(OTHER, labelled("z"))
    assert store.put_graph(GRAPH, labelled("a", "b")) == 2
    first = store.version()
    assert store.put_graph(GRAPH, labelled("c")) == 1
    assert content(store, GRAPH) == {(EX + "c", "c", GRAPH)}
    assert content(store, OTHER) == {(EX + "z", "z", OTHER)}  # the other graph is untouched
    assert store.named_graphs() == sorted([GRAPH, OTHER])
    assert store.version() != first


def test_put_graph_of_nothing_empties_the_graph(any_store: Store) -> None:
    store = any_store
    store.put_graph(GRAPH, labelled("a", "b"))
    assert store.put_graph(GRAPH, []) == 0
    assert list(store.quads(GRAPH)) == []


def failing(triples: list[ox.Triple]) -> Iterator[ox.Triple]:
    """The triples, then an error: input that fails part way through."""
    yield from triples
    raise ValueError("the input broke off")


def test_failed_put_graph_leaves_the_old_graph(any_store: Store) -> None:
    store = any_store
    store.put_graph(GRAPH, labelled("a", "b"))
    before = content(store)
    version = store.version()
    with pytest.raises(ValueError, match="broke off"):
        store.put_graph(GRAPH, failing(labelled("c", "d")))
    assert content(store) == before
    assert store.named_graphs() == [GRAPH]  # no staging graph left behind
    assert store.version() == version


def test_failed_put_graph_of_a_new_graph_leaves_no_graph(any_store: Store) -> None:
    store = any_store
    with pytest.raises(ValueError, match="broke off"):
        store.put_graph(GRAPH, failing(labelled("a", "b")))
    assert store.named_graphs() == []
    assert list(store.quads()) == []


def test_put_graph_refused_by_the_endpoint_leaves_the_old_graph(remote_store: RemoteStore) -> None:
    remote_store.put_graph(GRAPH, labelled("a", "b"))
    before = content(remote_store)
    broken = RemoteStore(remote_store.endpoint, remote_store.endpoint.replace("/query", "/no-update"))
    broken.queries_dir = remote_store.queries_dir
    with pytest.raises(QueryError, match="404"):
        broken.put_graph(GRAPH, labelled("c"))
    assert content(remote_store) == before


def test_put_graph_keeps_blank_nodes_and_typed_literals(any_store: Store) -> None:
    store = any_store
    node = ox.BlankNode()
    value = ox.Literal("1.5", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#double"))
    triples = [
        ox.Triple(ox.NamedNode(EX + "m"), ox.NamedNode(EX + "measure"), node),
        ox.Triple(node, ox.NamedNode(EX + "value"), value),
        ox.Triple(node, LABEL, ox.Literal('a "quoted"\nlabel', language="en")),
    ]
    assert store.put_graph(GRAPH, triples) == 3
    rows = store.select(
        f"SELECT ?v ?l WHERE {{ <{EX}m> <{EX}measure> ?b . ?b <{EX}value> ?v ; <{LABEL.value}> ?l }}"
    )
    assert rows == [{"v": value, "l": ox.Literal('a "quoted"\nlabel', language="en")}]


def test_drop_graph_removes_one_graph(any_store: Store) -> None:
    store = any_store
    store.put_graph(GRAPH, labelled("a"))
    store.put_graph(OTHER, labelled("b"))
    version = store.version()
    store.drop_graph(GRAPH)
    store.drop_graph("https://w3id.org/coopgraph/graph/never-loaded")
    assert store.named_graphs() == [OTHER]
    assert store.version() != version


# -- what differs between the back ends, said by the interface -----------------------------


def test_flags_say_where_queries_run_and_what_may_be_written(any_store: Store) -> None:
    embedded = isinstance(any_store, EmbeddedStore)
    any_store.flush()  # every store takes it: callers need not know which one they have
    assert any_store.engine_in_process is embedded
    assert any_store.holds_computed_graphs is embedded


def test_make_read_only_stops_writes_only_where_it_means_something(any_store: Store) -> None:
    store = any_store
    store.put_graph(GRAPH, labelled("a"))
    store.make_read_only()
    if isinstance(store, EmbeddedStore) and store.path is not None:
        with pytest.raises(RuntimeError, match="read-write"):
            store.put_graph(GRAPH, labelled("a", "b"))
        assert content(store) == {(EX + "a", "a", GRAPH)}  # the failed write left the graph
        store.close()
    else:  # in memory, or on a remote endpoint: nothing to do
        assert store.put_graph(GRAPH, labelled("a", "b")) == 2


# -- named queries ---------------------------------------------------------------------------


def test_named_query_binds_parameters_as_terms(store: EmbeddedStore, tmp_path: Path) -> None:
    store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    rows = store.select_named(LABELS, {"resource": "https://w3id.org/coopgraph/id/test/b"})
    assert [r["label"] for r in rows] == [ox.Literal("B", language="en")]
    # text that would change the query if it were pasted in is just an IRI that matches nothing
    with pytest.raises(ParameterError):
        store.select_named(LABELS, {"resource": "x> ?p ?o } #"})
    # an omitted required parameter takes its #+ defaults: value, as in grlc
    assert [r["label"].value for r in store.select_named(LABELS, {})] == ["A"]
    header = "#+ defaults:\n#+   - resource: https://w3id.org/coopgraph/id/test/a\n"
    no_default = parse_query_text("labels", LABELS.text.replace(header, ""))
    with pytest.raises(ParameterError, match="required"):
        store.select_named(no_default, {})


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
    rows = store.select_named(others, {"not": "https://w3id.org/coopgraph/id/test/a"})
    assert [r["s"].value for r in rows] == ["https://w3id.org/coopgraph/id/test/b"]
