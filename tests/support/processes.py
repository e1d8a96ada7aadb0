"""Server processes the tests start: waiting for them, stopping them, and Oxigraph server.

Oxigraph server is the ``oxigraph`` binary of the PyPI package of that name (a test extra), so
the tests need nothing installed outside the project's virtualenv.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


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
