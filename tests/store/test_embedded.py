"""The embedded store: the writer's lock, the read-only service store, the bulk loader, loads that
stream into a staging graph and the recovery of a load a crash interrupted."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.errors import InputError, StoreBusy
from coopgraph.store import EmbeddedStore, parse_file
from coopgraph.store.embedded import JOURNAL_FILE, staging_graph
from support.store_samples import BROKEN, GOOD, GRAPH, NEWER, write


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


# -- streaming, crash-safe loads ----------------------------------------------------------------


def test_replace_graph_streams_into_an_existing_graph_and_reports_progress(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    lines = "".join(f'<{GRAPH}/s{n}> <{GRAPH}/p> "{n}" .\n' for n in range(25_000))
    big = tmp_path / "big.nt"
    big.write_text(lines, "utf-8")
    store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    counted: list[int] = []
    assert store.replace_graph(GRAPH, [big], progress=counted.append) == 25_000
    assert counted == [10_000, 10_000, 5_000]
    assert store.named_graphs() == [GRAPH]
    assert not (tmp_path / "store" / JOURNAL_FILE).exists()


def test_the_triples_of_nquads_go_into_the_graph_loaded(store: EmbeddedStore, tmp_path: Path) -> None:
    path = write(tmp_path, "q.nq", "<urn:a> <urn:b> <urn:c> <urn:elsewhere> .\n<urn:a> <urn:b> <urn:d> .\n")
    assert store.replace_graph(GRAPH, [path]) == 2
    assert store.named_graphs() == [GRAPH]


def test_jsonld_naming_the_project_context_loads_and_a_remote_context_is_refused(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    good = write(
        tmp_path,
        "good.jsonld",
        '{"@context": "https://w3id.org/coopgraph/context.jsonld", "@id": "urn:x", "rdfs:label": "X"}',
    )
    assert store.replace_graph(GRAPH, [good]) == 1
    remote = write(tmp_path, "remote.jsonld", '{"@context": "http://127.0.0.1:9/c.jsonld", "@id": "urn:y"}')
    with pytest.raises(InputError, match="given by IRI"):
        store.replace_graph(GRAPH, [remote])
    assert store.graph_size(GRAPH) == 1


def test_rdfxml_declaring_entities_is_refused_before_parsing(store: EmbeddedStore, tmp_path: Path) -> None:
    path = write(tmp_path, "e.rdf", '<?xml version="1.0"?>\n<!DOCTYPE r [\n<!ENTITY a "aa">]><r/>')
    with pytest.raises(InputError, match=r"e\.rdf:3: RDF/XML that declares entities"):
        store.replace_graph(GRAPH, [path])
    with pytest.raises(InputError, match=r"e\.rdf:3:"):
        parse_file(path)
    assert store.named_graphs() == []


def staged(tmp_path: Path) -> tuple[Path, ox.Store, ox.NamedNode]:
    """An on-disk store holding GOOD in GRAPH and NEWER in a staging graph, closed by the caller."""
    folder = tmp_path / "store"
    first = EmbeddedStore(folder)
    first.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    first.close()
    raw = ox.Store(str(folder))
    staging = ox.NamedNode(staging_graph(GRAPH))
    raw.load(path=str(write(tmp_path, "b.ttl", NEWER)), format=ox.RdfFormat.TURTLE, to_graph=staging)
    return folder, raw, staging


@pytest.mark.parametrize(("step", "expected"), [("fill", 2), ("switch", 3), ("drop", 2), (None, 2)])
def test_an_open_for_writing_finishes_or_undoes_what_a_crash_left(
    tmp_path: Path, step: str | None, expected: int
) -> None:
    folder, raw, staging = staged(tmp_path)
    if step is not None:
        (folder / JOURNAL_FILE).write_text(json.dumps({"step": step, "graph": GRAPH, "into": staging.value}))
    del raw
    store = EmbeddedStore(folder)
    assert store.named_graphs() == [GRAPH]
    # "drop" comes after the switch: the graph already holds what the staging graph held
    assert store.graph_size(GRAPH) == expected
    assert not (folder / JOURNAL_FILE).exists()
    store.close()


def test_a_crash_while_filling_a_new_graph_leaves_no_graph(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    EmbeddedStore(folder).close()
    raw = ox.Store(str(folder))
    raw.load(
        path=str(write(tmp_path, "a.ttl", GOOD)), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(GRAPH)
    )
    del raw
    (folder / JOURNAL_FILE).write_text(json.dumps({"step": "fill", "graph": GRAPH, "into": GRAPH}))
    store = EmbeddedStore(folder)
    assert store.named_graphs() == []
    store.close()


# -- Oxigraph's bulk loader: files of triples, and datasets with their graphs ---------------------


def test_a_file_of_triples_loads_natively_with_the_same_triples_as_streamed(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    lines = "".join(f'<{GRAPH}/s{n}> <{GRAPH}/p> "{n}"@en .\n' for n in range(3_000))
    path = write(tmp_path, "big.nt", lines + f"<{GRAPH}/s0> <{GRAPH}/q> _:b .\n")
    other = GRAPH + "-streamed"
    assert store.replace_graph(GRAPH, [path]) == 3_001  # no progress asked: the bulk loader
    assert store.replace_graph(other, [path], progress=lambda n: None) == 3_001  # streamed
    native = {
        (q.subject, q.predicate, q.object) for q in store.quads(GRAPH) if q.predicate.value.endswith("p")
    }
    streamed = {
        (q.subject, q.predicate, q.object) for q in store.quads(other) if q.predicate.value.endswith("p")
    }
    assert native == streamed and len(native) == 3_000
    assert store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)]) == 2  # over an existing graph
    assert sorted(store.named_graphs()) == sorted([GRAPH, other])


def test_a_broken_file_of_triples_names_its_line_and_changes_nothing(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    with pytest.raises(InputError, match=r"broken\.ttl:5:"):
        store.replace_graph(GRAPH, [write(tmp_path, "broken.ttl", BROKEN)])
    assert store.graph_size(GRAPH) == 2 and store.named_graphs() == [GRAPH]
    with pytest.raises(InputError, match=r"broken\.ttl:5:"):
        store.replace_graph(GRAPH + "-new", [write(tmp_path, "broken.ttl", BROKEN)])
    assert store.named_graphs() == [GRAPH]
    assert not (tmp_path / "store" / JOURNAL_FILE).exists()


DATASET = (
    "<urn:a> <urn:b> <urn:c> <https://w3id.org/coopgraph/graph/one> .\n"
    "<urn:a> <urn:b> <urn:d> <https://w3id.org/coopgraph/graph/two> .\n"
    "<urn:a> <urn:b> <urn:e> <https://w3id.org/coopgraph/graph/two> .\n"
    "<urn:a> <urn:b> <urn:f> .\n"
)


def test_a_dataset_loads_each_quad_into_its_graph(store: EmbeddedStore, tmp_path: Path) -> None:
    version = store.version()
    loaded = store.load_dataset(write(tmp_path, "d.nq", DATASET), GRAPH)
    assert loaded == {
        GRAPH: 1,
        "https://w3id.org/coopgraph/graph/one": 1,
        "https://w3id.org/coopgraph/graph/two": 2,
    }
    assert store.version() != version
    assert not (tmp_path / "store" / JOURNAL_FILE).exists()


def test_a_dataset_is_refused_by_a_store_that_holds_data_or_as_a_file_of_triples(
    store: EmbeddedStore, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match=r"a\.ttl: a dataset is an N-Quads or TriG file"):
        store.load_dataset(write(tmp_path, "a.ttl", GOOD), GRAPH)
    store.replace_graph(GRAPH, [write(tmp_path, "a.ttl", GOOD)])
    with pytest.raises(InputError, match="empty store only"):
        store.load_dataset(write(tmp_path, "d.nq", DATASET), GRAPH)
    assert store.named_graphs() == [GRAPH] and store.graph_size(GRAPH) == 2


def test_a_broken_dataset_leaves_the_store_empty(store: EmbeddedStore, tmp_path: Path) -> None:
    broken = write(tmp_path, "d.nq", DATASET + '<urn:a> <urn:b> "unterminated <urn:g> .\n')
    with pytest.raises(InputError, match=r"d\.nq:5:"):
        store.load_dataset(broken, GRAPH)
    assert store.named_graphs() == [] and next(iter(store.oxigraph), None) is None
    assert store.load_dataset(write(tmp_path, "good.nq", DATASET), GRAPH)[GRAPH] == 1


def test_a_crash_while_loading_a_dataset_leaves_the_store_empty(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    EmbeddedStore(folder).close()
    raw = ox.Store(str(folder))
    raw.bulk_load(DATASET.encode(), ox.RdfFormat.N_QUADS, to_graph=ox.NamedNode(GRAPH))
    del raw
    (folder / JOURNAL_FILE).write_text(json.dumps({"step": "dataset", "graph": GRAPH, "into": GRAPH}))
    store = EmbeddedStore(folder)
    assert store.named_graphs() == [] and next(iter(store.oxigraph), None) is None
    store.close()
