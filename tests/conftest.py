"""Shared fixtures: settings, a store loaded with the knowledge folders, and a query runner."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from coopgraph.config import Settings
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore, iter_rows, load_project

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
        return list(iter_rows(project_store.run(catalogue.get(name), params)))

    return run
