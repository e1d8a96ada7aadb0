"""Fixtures of the store tests: each back end, empty; the remote one on a real Oxigraph server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from coopgraph.config import Settings
from coopgraph.store import EmbeddedStore, RemoteStore, Store
from support.processes import oxigraph_server


@pytest.fixture(params=["memory", "disk"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> EmbeddedStore:
    """The embedded store, in memory and on disk, empty."""
    return EmbeddedStore(None if request.param == "memory" else tmp_path / "store")


@pytest.fixture(scope="session")
def oxigraph_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Oxigraph server, empty, on a loopback port."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


@pytest.fixture
def remote_store(oxigraph_url: str) -> RemoteStore:
    """The remote store on the Oxigraph server, emptied."""
    remote = RemoteStore(
        oxigraph_url + "/query", oxigraph_url + "/update", queries_dir=Settings().queries_dir
    )
    remote.update("DROP ALL")
    return remote


@pytest.fixture(params=["memory", "disk", "remote"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path) -> Store:
    """Each store implementation, empty; the remote one is a real Oxigraph server."""
    if request.param != "remote":
        return EmbeddedStore(None if request.param == "memory" else tmp_path / "store")
    remote: RemoteStore = request.getfixturevalue("remote_store")
    return remote
