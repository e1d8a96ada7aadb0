"""The embedded store: the writer's lock, the read-only service store, the bulk loader."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.errors import InputError, StoreBusy
from coopgraph.store import EmbeddedStore
from support.store_samples import BROKEN, GOOD, GRAPH, write


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
