"""The real service on a loopback port, over each store implementation.

``service`` starts ``coopgraph serve`` in a subprocess on a free port: over an in-memory store
(workers forked after the load), an on-disk store (workers open it read-only), a remote
Oxigraph server (``oxigraph serve --union-default-graph``, loaded through the Graph Store
Protocol) and a remote Virtuoso (a new database; coopgraph loads it at start through Virtuoso's
Graph Store Protocol endpoint, with Digest authentication). API tests that take ``service`` run
against all four; ``docs/remote-endpoints.md`` says how the engines differ.

``route_only`` is the same service built with ``fast_path=False``, in process: every SPARQL
request reaches the documented ``/sparql`` routes, so tests can compare the two entrances.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.store import EmbeddedStore, project_sources
from support.processes import VIRTUOSO, VIRTUOSO_PASSWORD, VIRTUOSO_USER, Virtuoso, virtuoso_server
from support.processes import oxigraph_server as oxigraph_server_at
from support.services import MAX_ROWS, QUERY_TIMEOUT, STORE_KINDS, Service, serve, service_env

GSP_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".rdf": "application/rdf+xml"}


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Iterator[str]:
    """An Oxigraph server holding the project's graphs, loaded with the Graph Store Protocol."""
    with oxigraph_server_at(tmp_path_factory.mktemp("oxigraph")) as url:
        for source in project_sources(settings):
            for index, path in enumerate(source.paths):
                method = httpx.put if index == 0 else httpx.post
                response = method(
                    f"{url}/store",
                    params={"graph": source.graph},
                    content=path.read_bytes(),
                    headers={"Content-Type": GSP_TYPES[path.suffix]},
                    timeout=30.0,
                )
                assert response.status_code in (200, 201, 204), response.text
        yield url


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    """Virtuoso over a new, empty database; skipped (failed under ``CI=true``) when not installed."""
    if VIRTUOSO is None:
        reason = "virtuoso-t is missing (make virtuoso installs Debian's virtuoso-opensource)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason} and CI=true: the tests over Virtuoso must run")
        pytest.skip(reason)
    with virtuoso_server(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server


@pytest.fixture(scope="session", params=STORE_KINDS)
def service(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    settings: Settings,
) -> Iterator[Service]:
    """``coopgraph serve`` on a free loopback port, over one of the four stores."""
    kind: str = request.param
    settings_env = {"query_timeout": str(QUERY_TIMEOUT), "max_rows": str(MAX_ROWS), "query_workers": "2"}
    if kind == "memory":
        settings_env["in_memory"] = "true"
    elif kind == "disk":
        settings_env["store_dir"] = str(tmp_path_factory.mktemp("store") / "store")
    elif kind == "remote":
        remote = request.getfixturevalue("oxigraph_server")
        settings_env["sparql_endpoint"] = remote + "/query"
        settings_env["sparql_update_endpoint"] = remote + "/update"
    else:
        server: Virtuoso = request.getfixturevalue("virtuoso")
        settings_env["sparql_endpoint"] = server.sparql
        settings_env["sparql_update_endpoint"] = server.sparql_auth
        settings_env["sparql_graph_store"] = server.graph_store
        settings_env["sparql_user"] = VIRTUOSO_USER
        settings_env["sparql_password"] = VIRTUOSO_PASSWORD
    env = service_env(settings.project_dir, **settings_env)
    with serve(env, tmp_path_factory.mktemp("log") / f"serve-{kind}.log") as running:
        yield Service(running.url, kind)


@pytest.fixture(scope="module")
def route_only(settings: Settings, project_store: EmbeddedStore) -> Iterator[TestClient]:
    """The service over the project store without its SPARQL fast path, with the limits of ``service``."""
    limits = settings.model_copy(update={"query_timeout": QUERY_TIMEOUT, "max_rows": MAX_ROWS})
    with TestClient(create_app(limits, project_store, fast_path=False)) as client:
        yield client
