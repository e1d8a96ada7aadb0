"""A small embedded store for the protocol tests."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopgraph.store import EmbeddedStore

TURTLE = b"""
@prefix ex: <http://example.org/> .
ex:a ex:label "un, {deux}", "tab\\there", "{}" ; ex:n 1, 2, 3 .
ex:b ex:label "\\"quoted\\" ,{\\"x\\"" .
"""


@pytest.fixture()
def small_store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    store.oxigraph.load(TURTLE, format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("http://example.org/g"))
    return store
