"""Fixtures of the network tests: the small graph of :mod:`network_fixtures` in a store."""

from __future__ import annotations

import pytest
from network_fixtures import load_small_store

from coopgraph.config import Settings
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return load_small_store(tmp_path_factory.mktemp("network"))


@pytest.fixture(scope="module")
def small_catalogue() -> QueryCatalogue:
    return QueryCatalogue(Settings(in_memory=True).queries_dir)
