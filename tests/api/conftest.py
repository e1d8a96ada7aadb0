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
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from coopgraph.config import Settings
from coopgraph.store import project_sources

QUERY_TIMEOUT = 2.0
MAX_ROWS = 2000
OXIGRAPH = Path(sys.executable).parent / "oxigraph"
GSP_TYPES = {".ttl": "text/turtle", ".nt": "application/n-triples", ".rdf": "application/rdf+xml"}


@dataclass(frozen=True)
class Service:
    """A running coopgraph service."""

    url: str
    kind: str
    query_timeout: float = QUERY_TIMEOUT
    max_rows: int = MAX_ROWS

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited with status {process.returncode}")
        try:
            if httpx.get(url, timeout=2.0).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not start within {seconds} s")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@pytest.fixture(scope="session")
def oxigraph_server(
    tmp_path_factory: pytest.TempPathFactory, settings: Settings, free_port: Callable[[], int]
) -> Iterator[str]:
    """An Oxigraph server holding the project's graphs, loaded with the Graph Store Protocol."""
    port = free_port()
    location = tmp_path_factory.mktemp("oxigraph")
    process = subprocess.Popen(
        [
            str(OXIGRAPH),
            "serve",
            "--location",
            str(location),
            "--bind",
            f"127.0.0.1:{port}",
            "--union-default-graph",
            "--timeout-s",
            "5",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/query?query=ASK%7B%7D", process)
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
    finally:
        stop(process)


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
        env["COOPGRAPH_DATA_DIR"] = str(tmp_path_factory.mktemp("store") / "store")
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
