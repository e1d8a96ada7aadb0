"""``queries/`` means the same to grlc as to coopgraph, checked by grlc itself.

grlc (a test extra) serves ``queries/`` in its local-folder mode, in a subprocess on a loopback
port, against the ``/sparql`` of the running service. Every public query must give the same rows
through grlc's ``/api-local/{name}`` as through coopgraph's ``/queries/{name}``, grlc must read
the same parameters and defaults from the headers, and every header must be YAML, as grlc reads
it. grlc only ever talks to the service: the subprocess refuses, and reports, any connection or
name lookup outside the loopback interface, and the tests fail if one was tried.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import textwrap
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from coopgraph.config import Settings
from coopgraph.queries import NamedQuery, QueryCatalogue
from support.processes import free_port, stop, wait_until_up

QUERIES = QueryCatalogue(Settings().queries_dir)
RESULTS_JSON = "application/sparql-results+json"
OUTSIDE_CONTACT = "grlc tried to reach a host outside the loopback interface:"

# Runs in grlc's subprocess: a guard on name lookups and connections, then grlc's Flask app on
# the loopback interface (grlc reads its config.ini from the working directory at import).
LAUNCHER = textwrap.dedent(
    f"""
    import socket, sys

    LOOPBACK = {{"127.0.0.1", "::1", "localhost"}}
    lookup, connect = socket.getaddrinfo, socket.socket.connect

    def refuse(host):
        print({OUTSIDE_CONTACT!r}, host, file=sys.stderr, flush=True)
        raise OSError("grlc under test may only reach the loopback interface")

    def guarded_lookup(host, *args, **kwargs):
        if str(host) not in LOOPBACK:
            refuse(host)
        return lookup(host, *args, **kwargs)

    def guarded_connect(self, address):
        if isinstance(address, tuple) and str(address[0]) not in LOOPBACK:
            refuse(address[0])
        return connect(self, address)

    socket.getaddrinfo = guarded_lookup
    socket.socket.connect = guarded_connect

    from werkzeug.serving import make_server
    from grlc.server import app

    make_server("127.0.0.1", int(sys.argv[1]), app, threaded=True).serve_forever()
    """
)


@dataclass(frozen=True)
class Grlc:
    """grlc serving ``queries/`` on a loopback port."""

    url: str
    log: Path

    def call(self, name: str, params: dict[str, str]) -> httpx.Response:
        return httpx.get(
            f"{self.url}/api-local/{name}", params=params, headers={"Accept": RESULTS_JSON}, timeout=30
        )

    def check_stayed_local(self) -> None:
        text = self.log.read_text("utf-8", errors="replace")
        assert OUTSIDE_CONTACT not in text, text


def _require_grlc() -> None:
    if importlib.util.find_spec("grlc") is not None:
        return
    message = "grlc is not installed: pip install -e '.[test]'"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def grlc(server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Grlc]:
    """grlc in local-folder mode over ``queries/``, its default endpoint the service's ``/sparql``."""
    _require_grlc()
    workdir = tmp_path_factory.mktemp("grlc")
    port = free_port()
    (workdir / "config.ini").write_text(
        "[defaults]\n"
        f"sparql_endpoint = {server}sparql\n"
        f"server_name = 127.0.0.1:{port}\n"
        "debug = False\n"
        "[local]\n"
        f"local_sparql_dir = {QUERIES.directory}\n",
        "utf-8",
    )
    log = workdir / "grlc.log"
    # a proxy from the environment would take grlc's calls to the service off the loopback interface
    env = dict(os.environ, NO_PROXY="127.0.0.1,localhost", no_proxy="127.0.0.1,localhost")
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER, str(port)], cwd=workdir, env=env, stdout=sink, stderr=sink
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/", process, seconds=30)
        yield Grlc(url, log)
    finally:
        stop(process)


def _results(response: httpx.Response) -> dict[str, Any]:
    """The SPARQL JSON results of a response (grlc passes the endpoint's error on with status 200)."""
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(RESULTS_JSON), response.text
    body: dict[str, Any] = response.json()
    return body


def _rows(body: dict[str, Any]) -> Counter[frozenset[tuple[str, tuple[str, ...]]]]:
    """The rows of a SPARQL JSON result as a multiset, each term as (type, value, datatype, lang)."""
    rows: Counter[frozenset[tuple[str, tuple[str, ...]]]] = Counter()
    for binding in body["results"]["bindings"]:
        row = []
        for var, term in binding.items():
            kind = "literal" if term["type"] == "typed-literal" else term["type"]
            row.append((var, (kind, term["value"], term.get("datatype", ""), term.get("xml:lang", ""))))
        rows[frozenset(row)] += 1
    return rows


def _required_defaults(query: NamedQuery) -> dict[str, str]:
    return {p.name: p.default for p in query.parameters if p.required and p.default is not None}


def _all_defaults(query: NamedQuery) -> dict[str, str]:
    return {p.name: p.default for p in query.parameters if p.default is not None}


def _header_lines(path: Path) -> str:
    """The decorator lines of a query file, exactly as grlc extracts them."""
    text = path.read_text("utf-8")
    return "\n".join(row.lstrip("#+") for row in text.split("\n") if row.startswith("#+"))


@pytest.mark.slow
@pytest.mark.parametrize("name", QUERIES.names())
def test_grlc_gives_the_rows_of_the_named_query(grlc: Grlc, server: str, name: str) -> None:
    query = QUERIES.get(name)
    ours = _results(httpx.get(f"{server}queries/{name}", headers={"Accept": RESULTS_JSON}, timeout=30))
    theirs = _results(grlc.call(name, _required_defaults(query)))
    grlc.check_stayed_local()
    assert theirs["head"]["vars"] == ours["head"]["vars"]
    assert _rows(theirs) == _rows(ours)


@pytest.mark.slow
@pytest.mark.parametrize(
    "name", [q.name for q in QUERIES.public() if _all_defaults(q) != _required_defaults(q)]
)
def test_grlc_binds_optional_parameters_as_coopgraph_does(grlc: Grlc, server: str, name: str) -> None:
    params = _all_defaults(QUERIES.get(name))
    ours = _results(
        httpx.get(f"{server}queries/{name}", params=params, headers={"Accept": RESULTS_JSON}, timeout=30)
    )
    theirs = _results(grlc.call(name, params))
    assert _rows(theirs) == _rows(ours)


@pytest.mark.slow
def test_grlc_reads_the_parameters_and_defaults_of_the_catalogue(grlc: Grlc) -> None:
    response = httpx.get(f"{grlc.url}/api-local/swagger", timeout=60)
    assert response.status_code == 200, response.text
    grlc.check_stayed_local()
    paths = response.json()["paths"]
    assert sorted(p.removeprefix("/") for p in paths) == sorted(QUERIES.names())
    for query in QUERIES.public():
        operation = paths["/" + query.name]["get"]
        assert operation["summary"] == query.summary, query.name
        assert operation["tags"] == list(query.tags), query.name
        theirs = {
            p["name"]: (p.get("required", False), str(p["default"]) if "default" in p else None)
            for p in operation["parameters"]
            if p["name"] != "page"
        }
        ours = {p.name: (p.required, p.default) for p in query.parameters}
        assert theirs == ours, query.name
        assert any(p["name"] == "page" for p in operation["parameters"]) == bool(query.pagination)


def test_grlc_answers_an_omitted_required_parameter_with_an_error(grlc: Grlc) -> None:
    query = QUERIES.get("activities-of-actor")
    assert query.parameters[0].required and query.parameters[0].default
    assert grlc.call(query.name, {}).status_code >= 400


@pytest.mark.parametrize(
    "path",
    sorted(QUERIES.directory.glob("*.rq")) + sorted(QUERIES.directory.glob("internal/*.rq")),
    ids=lambda p: p.stem,
)
def test_every_header_is_yaml(path: Path) -> None:
    header = yaml.safe_load(_header_lines(path))
    assert isinstance(header, dict), path
    assert isinstance(header.get("summary"), str), path
