"""Opening the store the settings choose, and loading the knowledge folders: skipped reloads,
dropped graphs of removed files, a remote endpoint loaded in full."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from coopgraph.config import Settings
from coopgraph.store import EmbeddedStore, RemoteStore, load_project, open_store
from support.store_samples import GOOD, NEWER, write


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


@pytest.fixture
def small_project(tmp_path: Path) -> Settings:
    """A project of two data files and the real queries, its store on disk."""
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    shutil.copytree(Settings().queries_dir, project / "queries")
    write(project / "data", "one.ttl", GOOD)
    write(project / "data", "two.ttl", NEWER)
    return Settings(project_dir=project, store_dir=tmp_path / "store")


def test_load_project_drops_the_graph_of_a_removed_file(small_project: Settings) -> None:
    one, two = (f"https://w3id.org/coopgraph/graph/{name}" for name in ("one", "two"))
    store = EmbeddedStore(small_project.store_path)
    assert load_project(store, small_project).loaded == {one: 2, two: 3}
    version = store.version()
    (small_project.instance_dir / "two.ttl").unlink()
    report = load_project(store, small_project)
    assert report.loaded == {} and report.skipped == [one]
    assert store.named_graphs() == [one]
    assert store.version() != version  # caches see the dropped graph
    store.close()


def test_load_project_loads_everything_into_a_remote_endpoint(
    small_project: Settings, remote_store: RemoteStore
) -> None:
    one, two = (f"https://w3id.org/coopgraph/graph/{name}" for name in ("one", "two"))
    assert load_project(remote_store, small_project).loaded == {one: 2, two: 3}
    # the endpoint keeps no record of what was loaded: a second load sends everything again
    assert load_project(remote_store, small_project).loaded == {one: 2, two: 3}
    assert remote_store.named_graphs() == [one, two]


def test_open_store_chooses_remote_when_endpoint_set() -> None:
    store = open_store(Settings(sparql_endpoint="http://127.0.0.1:9/query"))
    assert isinstance(store, RemoteStore)


def test_open_store_gives_the_remote_store_the_settings_timeout_and_credentials() -> None:
    settings = Settings(
        sparql_endpoint="http://127.0.0.1:9/query", sparql_user="u", sparql_password="p", remote_timeout=7
    )
    store = open_store(settings)
    assert isinstance(store, RemoteStore)
    assert (store.timeout, store.user, store.password) == (7, "u", "p")


def sst_files(store_dir: Path) -> int:
    """The sorted-string files of an on-disk store (what a reader opens)."""
    return len(list(store_dir.glob("*.sst")))


def test_compact_merges_the_files_bulk_loads_leave(tmp_path: Path) -> None:
    # each bulk load writes files of its own; a reader opened read-only (a query worker) keeps
    # reading all of them unless they are merged before it opens
    store = EmbeddedStore(tmp_path / "store")
    for n in range(5):
        lines = "".join(f'<urn:s{i}> <urn:p{i % 7}> "{n}-{i}" .\n' for i in range(5000))
        store.bulk_load(f"https://w3id.org/coopgraph/graph/part-{n}", write(tmp_path, f"part{n}.nt", lines))
    store.flush()
    written, triples = sst_files(tmp_path / "store"), len(list(store.quads()))
    store.compact()
    assert sst_files(tmp_path / "store") < written
    assert len(list(store.quads())) == triples == 25_000


def test_load_project_compacts_the_store_before_readers_open_it(
    small_project: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    compacted: list[int] = []
    monkeypatch.setattr(EmbeddedStore, "compact", lambda self: compacted.append(len(self.named_graphs())))
    store = EmbeddedStore(small_project.store_path)
    load_project(store, small_project)  # loads both files
    load_project(store, small_project)  # loads nothing: a store loaded by other means is merged too
    assert compacted == [2, 2]


def test_compacting_is_a_no_op_read_only_and_in_memory(small_project: Settings) -> None:
    store = EmbeddedStore(small_project.store_path)
    load_project(store, small_project)
    store.close()
    reader = EmbeddedStore(small_project.store_path, read_only=True)
    reader.compact()
    assert reader.named_graphs()
    EmbeddedStore(None).compact()
