"""What hostile requests cost the service: deep nesting, pathological text, slow bodies, huge heads.

Starts ``coopgraph serve`` (in-memory store, two query workers) on a free loopback port with its
address space capped, and prints:

- a query nested 10,000 levels deep (braces) and a 1 MiB query of ``(``: status, time, and whether
  the query workers were replaced;
- the tokenizer on 100 kB and 400 kB of pathological text (escaped quotes, dotted names): seconds,
  which grow linearly;
- 50 connections that declare a 1,000-byte body and send 5 bytes: how many the server closed, and
  when (``--body-timeout`` seconds is the service's limit);
- a 50 MB header: how much the server read before closing, how long it took, and its memory;
- HEAD with a query, an unknown parameter, a 25-digit page, text that is not UTF-8: status.

Usage::

    python bench/request_limits.py
    python bench/request_limits.py --body-timeout 5
"""

from __future__ import annotations

import argparse
import os
import resource
import socket
import sys
import time
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from coopgraph import sparqltext  # noqa: E402
from support.services import serve, service_env  # noqa: E402

ADDRESS_SPACE = 8 * 2**30


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return sorted(found)


def rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:")) / 1024


def nesting(url: str, pid: int) -> None:
    for label, query in [
        ("10,000 braces", "SELECT * WHERE " + "{" * 10_000 + " ?s ?p ?o " + "}" * 10_000),
        ("1 MiB of (", "SELECT * { FILTER" + "(" * (2**20 - 30) + " }"),
    ]:
        before = children(pid)
        start = time.perf_counter()
        response = httpx.post(
            url + "/sparql", content=query, headers={"Content-Type": "application/sparql-query"}, timeout=60
        )
        elapsed = time.perf_counter() - start
        time.sleep(0.5)
        replaced = "workers replaced" if children(pid) != before else "workers unchanged"
        print(f"{label:16} {response.status_code} in {elapsed:.3f} s, {replaced}: {response.text[:100]}")


def tokenizer() -> None:
    head = "SELECT * { SERVICE <x:> {} "
    for label, unit, opening in [("escaped quotes", '\\"', '"'), ("dotted names", "a.", "")]:
        for size in (100_000, 400_000):
            text = head + opening + unit * (size // len(unit))
            start = time.perf_counter()
            sparqltext.inspect_query(text)
            print(f"tokenizer, {label}, {size // 1000} kB: {time.perf_counter() - start:.3f} s")


def slow_bodies(host: str, port: int, watch: float) -> None:
    clients = []
    for _ in range(50):
        sock = socket.create_connection((host, port))
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 1000\r\n\r\nSELEC"
        )
        sock.settimeout(0.05)
        clients.append(sock)
    start = time.monotonic()
    closed: dict[int, tuple[float, bytes]] = {}
    while time.monotonic() - start < watch and len(closed) < len(clients):
        for index, sock in enumerate(clients):
            if index in closed:
                continue
            try:
                data = sock.recv(4096)
            except TimeoutError:
                continue
            except ConnectionResetError:
                data = b""
            closed[index] = (time.monotonic() - start, data[:12])
    last = max((t for t, _ in closed.values()), default=float("nan"))
    statuses = sorted({d.decode(errors="replace") for _, d in closed.values()})
    print(f"slow bodies: {len(closed)}/50 closed within {watch:g} s (last at {last:.1f} s): {statuses}")
    for sock in clients:
        sock.close()


def big_header(host: str, port: int, pid: int) -> None:
    before = rss_mib(pid)
    sent = 0
    chunk = b"a" * 2**20
    start = time.perf_counter()
    with socket.create_connection((host, port)) as sock:
        sock.settimeout(60)
        try:
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: x\r\nX-Big: ")
            while sent < 50 * 2**20:
                sock.sendall(chunk)
                sent += len(chunk)
            sock.sendall(b"\r\n\r\n")
            answer = sock.recv(64)
        except OSError as exc:
            answer = f"closed ({exc.strerror})".encode()
    elapsed = time.perf_counter() - start
    print(
        f"50 MB header: {answer[:32]!r} after {sent / 2**20:.0f} MiB sent, {elapsed:.2f} s; "
        f"server memory {before:.0f} -> {rss_mib(pid):.0f} MiB"
    )


def odd_requests(url: str) -> None:
    head = httpx.head(url + "/sparql", params={"query": "ASK {}"})
    print(f"HEAD /sparql?query=: {head.status_code}, body {len(head.content)} B")
    xquery = httpx.get(url + "/sparql", params={"xquery": "ASK {}"}, headers={"Accept": "text/turtle"})
    print(f"GET /sparql?xquery=: {xquery.status_code} {xquery.headers.get('content-type')}")
    page = httpx.get(url + "/queries/contributions", params={"page": "9" * 25})
    print(f"page of 25 digits: {page.status_code} {page.text[:120]}")
    body = httpx.post(
        url + "/sparql",
        content=b"ASK { FILTER('\xff') }",
        headers={"Content-Type": "application/sparql-query"},
    )
    print(f"body not UTF-8: {body.status_code} {body.text[:120]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--body-timeout", type=float, default=10.0, help="COOPGRAPH_BODY_TIMEOUT of the service"
    )
    args = parser.parse_args()
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))
    env = service_env(
        HERE.parent, in_memory="true", publish_analysis="false", body_timeout=str(args.body_timeout)
    )
    log = Path(os.environ.get("TMPDIR", "/tmp")) / "request-limits-serve.log"
    with serve(env, log) as running:
        host, port = running.url.removeprefix("http://").split(":")
        pid = running.process.pid
        nesting(running.url, pid)
        tokenizer()
        slow_bodies(host, int(port), args.body_timeout + 5)
        big_header(host, int(port), pid)
        odd_requests(running.url)


if __name__ == "__main__":
    main()
