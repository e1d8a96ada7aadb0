"""A writable service for the write-side tests: a store of its own, tokens for each role."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.auth import Role, TokenStore
from coopgraph.config import Settings
from coopgraph.store import EmbeddedStore, Store, load_project
from support import processes

SUBMISSION = "https://w3id.org/coopgraph/graph/submission-test"
GOOD_TURTLE = b"""@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <https://w3id.org/coopgraph/id/organisation/> .
@prefix source: <https://w3id.org/coopgraph/id/source/> .

org:test-foundation a cg:Organisation ;
    rdfs:label "Test Foundation"@en ;
    prov:wasDerivedFrom source:global-alliance-2002 ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity source:global-alliance-2002 ; cg:locator "p. 1" ] .
"""
"""A node that conforms: an organisation with an English label and its source cited."""


@dataclass
class Writable:
    """A service that writes: its client, its store, a token per role and where its files are."""

    client: TestClient
    store: Store
    tokens: dict[str, str]
    folder: Path

    def auth(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"}


def make_tokens(folder: Path) -> dict[str, str]:
    """A token for each role, in ``folder/tokens.json``."""
    store = TokenStore(folder / "tokens.json")
    return {role.value: store.create(f"test-{role.value}", role) for role in Role}


def write_settings(folder: Path, **extra: object) -> Settings:
    return Settings(in_memory=True, store_dir=folder, query_workers=1, publish_analysis=False, **extra)


@contextmanager
def writable_service(folder: Path, with_tokens: bool = True, **extra: object) -> Iterator[Writable]:
    """A service over a fresh in-memory store loaded with the project, writable when ``with_tokens``."""
    settings = write_settings(folder, **extra)
    tokens = make_tokens(folder) if with_tokens else {}
    store = EmbeddedStore(None)
    load_project(store, settings)
    with TestClient(create_app(settings, store)) as client:
        yield Writable(client, store, tokens, folder)


@contextmanager
def served(folder: Path, store: Store | None = None) -> Iterator[tuple[str, Store, dict[str, str]]]:
    """The writable service on a loopback port (for rdflib and SPARQLWrapper): base URL, store, tokens."""
    settings = write_settings(folder)
    tokens = make_tokens(folder)
    if store is None:
        store = EmbeddedStore(None)
        load_project(store, settings)
    port = processes.free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, store), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the service did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/", store, tokens
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def fingerprint(store: Store) -> dict[str, tuple[int, str]]:
    """Per graph, its triple count and a hash of its sorted N-Triples: equal means byte-for-byte equal."""
    result: dict[str, tuple[int, str]] = {}
    for graph in store.named_graphs():
        lines = sorted(str(q.triple) for q in store.quads(graph))
        result[graph] = (len(lines), hashlib.sha256("\n".join(lines).encode()).hexdigest())
    return result
