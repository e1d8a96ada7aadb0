"""A running coopgraph service, as the API tests see it (started by the ``service`` fixture)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.processes import free_port, stop, wait_until_up

QUERY_TIMEOUT = 2.0
MAX_ROWS = 2000
STORE_KINDS = ("memory", "disk", "remote", "virtuoso")
"""The stores the ``service`` fixture of the API tests serves (``tests/api/conftest.py``)."""
ONE_STORE = pytest.mark.parametrize("service", ["memory"], indirect=True)
"""Runs an API test over the in-memory store only, for what the service decides before it asks
any store (methods, media types, sizes, refused forms, CORS): the same code answers over every
store. A test of anything a store answers runs over all of :data:`STORE_KINDS`."""


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


@dataclass(frozen=True)
class Running:
    """A ``coopgraph serve`` process started by :func:`serve`."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    @property
    def sparql(self) -> str:
        return self.url + "/sparql"

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def service_env(project_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a service over ``project_dir``: no inherited ``COOPGRAPH_*``, then ``settings``.

    Keyword names are settings without the prefix (``query_timeout="2"``).
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPGRAPH_")}
    env["COOPGRAPH_PROJECT_DIR"] = str(project_dir)
    env.update({f"COOPGRAPH_{name.upper()}": value for name, value in settings.items()})
    return env


@contextlib.contextmanager
def serve(env: dict[str, str], log: Path, ready_path: str = "/sparql?query=ASK%7B%7D") -> Iterator[Running]:
    """Run ``coopgraph serve`` on a free loopback port with ``env`` until the block ends.

    Its output goes to ``log``, which the error says when it does not start.
    """
    port = free_port()
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
            wait_until_up(url + ready_path, process)
        except RuntimeError as exc:
            raise RuntimeError(f"{exc}\n{log.read_text(errors='replace')}") from exc
        yield Running(url, process, log)
    finally:
        stop(process)
