"""Shared fixtures: settings, a store loaded with the knowledge folders, and a query runner."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import uvicorn

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore, iter_rows, load_project
from support import processes
from support.services import STORE_KINDS

RunQuery = Callable[..., list[dict[str, str]]]


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``pytest -n 2 --dist loadscope``, what shares a server runs on one worker.

    A test over one store kind of the API ``service`` fixture (its id names the kind) goes with
    that kind, so each worker starts only the services of its own kinds, one after the other as
    a single process does; any other test goes with its module, so a module's server starts once.
    """
    if config.getvalue("dist") != "loadscope":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class StoreKindScheduling(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            path, _, name = nodeid.partition("::")
            ids = name.partition("[")[2].removesuffix("]").split("-")
            kinds = [kind for kind in STORE_KINDS if kind in ids]
            if path.startswith("tests/api/") and len(kinds) == 1:
                return kinds[0]
            return str(super()._split_scope(nodeid))

    return StoreKindScheduling(config, log)


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
