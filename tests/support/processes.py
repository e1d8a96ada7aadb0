"""Server processes the tests start: waiting for them, stopping them, Oxigraph server and Virtuoso.

Oxigraph server is the ``oxigraph`` binary of the PyPI package of that name (a test extra), so
the tests need nothing installed outside the project's virtualenv. Virtuoso Open Source is
Debian's ``virtuoso-opensource`` package, which ``make virtuoso`` (part of ``make test``)
installs.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

OXIGRAPH = Path(sys.executable).parent / "oxigraph"
VIRTUOSO = shutil.which("virtuoso-t")
"""Virtuoso's server binary, ``None`` when the package is not installed."""
VIRTUOSO_ISQL = shutil.which("isql-vt")
VIRTUOSO_USER = "dba"
VIRTUOSO_PASSWORD = "dba"
"""The administrator of a new Virtuoso database; it may write through ``/sparql-auth`` and
``/sparql-graph-crud-auth`` (Digest authentication). The server listens on loopback only."""


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    """Wait until ``url`` answers below 500; ``RuntimeError`` if the process exits or time runs out."""
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
    """Terminate a server process, killing it if it does not stop within 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@contextlib.contextmanager
def oxigraph_server(location: Path) -> Iterator[str]:
    """Oxigraph server over the store folder ``location`` on a free loopback port; yields its URL.

    The default graph is the union of the named graphs, as coopgraph's remote store expects,
    and a query may run 5 s.
    """
    port = free_port()
    command = [str(OXIGRAPH), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    command += ["--union-default-graph", "--timeout-s", "5"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(url + "/query?query=ASK%7B%7D", process)
        yield url
    finally:
        stop(process)


@dataclass(frozen=True)
class Virtuoso:
    """A running Virtuoso: its HTTP base URL, its SQL port (for ``isql``) and its folder."""

    url: str
    sql_port: int
    location: Path

    @property
    def sparql(self) -> str:
        """The public SPARQL endpoint (reads; no writes for the anonymous user)."""
        return self.url + "/sparql"

    @property
    def sparql_auth(self) -> str:
        """The SPARQL endpoint that takes updates, behind Digest authentication."""
        return self.url + "/sparql-auth"

    @property
    def graph_store(self) -> str:
        """The Graph Store Protocol endpoint, behind Digest authentication."""
        return self.url + "/sparql-graph-crud-auth"

    def isql(self, *statements: str, seconds: float = 600.0) -> str:
        """Run SQL statements with ``isql`` as the administrator; their output, or ``RuntimeError``."""
        if VIRTUOSO_ISQL is None:
            raise RuntimeError("isql-vt is missing: install virtuoso-opensource (make virtuoso)")
        script = "".join(f"{statement};\n" for statement in statements)
        done = subprocess.run(
            [VIRTUOSO_ISQL, f"127.0.0.1:{self.sql_port}", VIRTUOSO_USER, VIRTUOSO_PASSWORD],
            input=script.encode(),
            capture_output=True,
            timeout=seconds,
        )
        output = done.stdout.decode(errors="replace") + done.stderr.decode(errors="replace")
        if done.returncode != 0 or "*** Error" in output:
            raise RuntimeError(f"isql failed:\n{output}")
        return output

    def load_file(self, path: Path, graph: str) -> None:
        """Load a Turtle or N-Triples file into ``graph`` with Virtuoso's bulk loader.

        The file must be under :attr:`location` (the folder the server may read).
        """
        self.isql(
            "DELETE FROM DB.DBA.load_list",
            f"ld_dir('{path.parent}', '{path.name}', '{graph}')",
            "rdf_loader_run()",
            "checkpoint",
        )


VIRTUOSO_INI = """\
[Database]
DatabaseFile       = {db}/virtuoso.db
ErrorLogFile       = {db}/virtuoso.log
LockFile           = {db}/virtuoso.lck
TransactionFile    = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel      = 7
FileExtend         = 200
Striping           = 0
TempStorage        = TempDatabase

[TempDatabase]
DatabaseFile       = {db}/virtuoso-temp.db
TransactionFile    = {db}/virtuoso-temp.trx
Striping           = 0

[Parameters]
ServerPort               = 127.0.0.1:{sql_port}
DisableUnixSocket        = 1
MaxClientConnections     = 20
CheckpointInterval       = 0
DirsAllowed              = ., {db}
NumberOfBuffers          = {buffers}
MaxDirtyBuffers          = {dirty_buffers}
ThreadsPerQuery          = 2
AsyncQueueMaxThreads     = 4

[HTTPServer]
ServerPort               = 127.0.0.1:{http_port}
ServerRoot               = {db}/www
MaxClientConnections     = 20
ServerThreads            = 20
MaxKeepAlives            = 20
KeepAliveTimeout         = 10
Charset                  = UTF-8
EnabledGzipContent       = 0

[SPARQL]
ResultSetMaxRows         = {max_rows}
MaxSortedTopRows         = {max_rows}
MaxQueryCostEstimationTime = 0
MaxQueryExecutionTime    = {query_seconds}
"""
"""The configuration of a test or benchmark Virtuoso: its own folder, loopback ports only, a
small buffer pool (8 KiB each), no row limit below the one coopgraph applies, and a time limit
on every query so that one a client gave up on ends."""


@contextlib.contextmanager
def virtuoso_server(
    location: Path, *, buffers: int = 4000, max_rows: int = 10_000_000, query_seconds: int = 5
) -> Iterator[Virtuoso]:
    """Virtuoso over a new database in ``location`` on free loopback ports, until the block ends.

    Parameters
    ----------
    location
        An empty folder for the database, its log and the files it may load.
    buffers
        Pages of 8 KiB in its buffer pool (``NumberOfBuffers``).
    max_rows
        Most rows (or triples) it returns for one query (``ResultSetMaxRows``): beyond that it
        cuts the answer without saying so.
    query_seconds
        Seconds a query may run (``MaxQueryExecutionTime``).
    """
    if VIRTUOSO is None:
        raise RuntimeError("virtuoso-t is missing: install virtuoso-opensource (make virtuoso)")
    location.mkdir(parents=True, exist_ok=True)
    (location / "www").mkdir(exist_ok=True)
    sql_port, http_port = free_port(), free_port()
    ini = location / "virtuoso.ini"
    ini.write_text(
        VIRTUOSO_INI.format(
            db=location,
            sql_port=sql_port,
            http_port=http_port,
            buffers=buffers,
            dirty_buffers=buffers * 3 // 4,
            max_rows=max_rows,
            query_seconds=query_seconds,
        )
    )
    with (location / "server.out").open("wb") as out:
        process = subprocess.Popen(
            [VIRTUOSO, "+foreground", "+configfile", str(ini)],
            cwd=location,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{http_port}"
    try:
        try:
            wait_until_up(url + "/sparql?query=ASK%7B%7D", process)
        except RuntimeError as exc:
            log = location / "virtuoso.log"
            raise RuntimeError(f"{exc}\n{log.read_text(errors='replace') if log.exists() else ''}") from exc
        yield Virtuoso(url, sql_port, location)
    finally:
        stop(process)
