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
