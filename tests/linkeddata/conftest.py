"""Linked-data models over the two-document sample store and over the project's store."""

from __future__ import annotations

import pytest

from coopgraph.config import Settings
from coopgraph.linkeddata import LinkedData
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore
from support import linkeddata_samples


@pytest.fixture(scope="module")
def small_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    return linkeddata_samples.small_store(tmp_path_factory.mktemp("ld"))


@pytest.fixture(scope="module")
def small_ld(small_store: EmbeddedStore, settings: Settings, catalogue: QueryCatalogue) -> LinkedData:
    return LinkedData(small_store, settings, catalogue)


@pytest.fixture(scope="module")
def project_ld(project_store: EmbeddedStore, settings: Settings, catalogue: QueryCatalogue) -> LinkedData:
    return LinkedData(project_store, settings, catalogue)
