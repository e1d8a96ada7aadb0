"""Fixtures of the network tests: the small graph of :mod:`support.network_graphs` in a store."""

from __future__ import annotations

import pytest

from coopgraph.config import Settings
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore
from support.network_graphs import load_small_store


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return load_small_store(tmp_path_factory.mktemp("network"))


@pytest.fixture(scope="module")
def small_catalogue() -> QueryCatalogue:
    return QueryCatalogue(Settings(in_memory=True).queries_dir)
