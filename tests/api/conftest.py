"""The real service on a loopback port, over each store implementation.

``service`` starts ``coopgraph serve`` in a subprocess on a free port: over an in-memory store
(workers forked after the load), an on-disk store (workers open it read-only) and a remote
Oxigraph server (``oxigraph serve --union-default-graph``, loaded through the Graph Store
Protocol). API tests that take ``service`` run against all three.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator

import httpx
import pytest

from coopgraph.config import Settings
from coopgraph.store import project_sources
from support.processes import oxigraph_server as oxigraph_server_at
from support.processes import stop, wait_until_up
from support.services import MAX_ROWS, QUERY_TIMEOUT, Service

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


@pytest.fixture(scope="session", params=["memory", "disk", "remote"])
def service(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    settings: Settings,
    free_port: Callable[[], int],
) -> Iterator[Service]:
    """``coopgraph serve`` on a free loopback port, over one of the three stores."""
    kind: str = request.param
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPGRAPH_")}
    env.update(
        COOPGRAPH_PROJECT_DIR=str(settings.project_dir),
        COOPGRAPH_QUERY_TIMEOUT=str(QUERY_TIMEOUT),
        COOPGRAPH_MAX_ROWS=str(MAX_ROWS),
        COOPGRAPH_QUERY_WORKERS="2",
    )
    if kind == "memory":
        env["COOPGRAPH_IN_MEMORY"] = "true"
    elif kind == "disk":
        env["COOPGRAPH_STORE_DIR"] = str(tmp_path_factory.mktemp("store") / "store")
    else:
        remote = request.getfixturevalue("oxigraph_server")
        env["COOPGRAPH_SPARQL_ENDPOINT"] = remote + "/query"
        env["COOPGRAPH_SPARQL_UPDATE_ENDPOINT"] = remote + "/update"
    log = tmp_path_factory.mktemp("log") / f"serve-{kind}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "coopgraph.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        try:
            wait_until_up(url + "/sparql?query=ASK%7B%7D", process)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{log.read_text(errors='replace')}") from exc
        yield Service(url, kind)
    finally:
        stop(process)
