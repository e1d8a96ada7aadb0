"""Shared fixtures: settings, a store loaded with the knowledge folders, and a query runner."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator

import pytest
import uvicorn

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore, iter_rows, load_project
from support import processes

RunQuery = Callable[..., list[dict[str, str]]]


@pytest.fixture(scope="session")
def settings() -> Settings:
    """Settings for an in-memory store over this repository's knowledge folders."""
    return Settings(in_memory=True)


@pytest.fixture(scope="session")
def project_store(settings: Settings) -> EmbeddedStore:
    """An in-memory store loaded with ontology/, shapes/ and data/ (read-only for tests)."""
    store = EmbeddedStore(None)
    load_project(store, settings)
    return store


@pytest.fixture(scope="session")
def catalogue(settings: Settings) -> QueryCatalogue:
    return QueryCatalogue(settings.queries_dir)


@pytest.fixture(scope="session")
def run_query(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> RunQuery:
    """Run a public named query by name with keyword parameters; rows as lexical strings."""

    def run(name: str, **params: str) -> list[dict[str, str]]:
        return list(iter_rows(project_store.select_named(catalogue.get(name), params)))

    return run


@pytest.fixture(scope="session")
def free_port() -> Callable[[], int]:
    """A function giving a free TCP port on the loopback interface."""
    return processes.free_port


@pytest.fixture(scope="module")
def server(settings: Settings, project_store: EmbeddedStore) -> Iterator[str]:
    """The service over the project store on a loopback port, in a thread; yields its base URL."""
    port = processes.free_port()
    config = uvicorn.Config(
        create_app(settings, project_store), host="127.0.0.1", port=port, log_level="warning"
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the service did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(timeout=10)
