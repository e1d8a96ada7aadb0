"""What an unknown ``/id/...`` IRI costs the service: the 404 with its "did you mean" suggestions.

Starts ``coopgraph serve`` over the project's knowledge folders (a store of its own in a temporary
folder) on a free loopback port, with its address space capped, and measures:

- the time of a 404 for slugs of 10 B, 100 B (the longest that gets suggestions), 1 KB, 5 KB and
  20 KB (each capped at ``--cap`` seconds;
  a request that hits the cap is reported as such, with the CPU the service still spends on it
  after the client has gone, and the service is restarted before the next figure);
- the latency of ``/`` alone, then while 8 clients keep sending 1 KB-slug 404s.

Usage::

    python bench/not_found.py              # prints the figures
    python bench/not_found.py --cap 30     # wait longer for a slow 404
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import socket
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
SIZES = {"10 B": 10, "100 B": 100, "1 KB": 1024, "5 KB": 5 * 1024, "20 KB": 20 * 1024}
ADDRESS_SPACE = 8 * 1024**3
"""Address-space cap of the service (and its query workers), so a runaway cannot take the machine."""
CLK_TCK = os.sysconf("SC_CLK_TCK")


def slug(size: int, seed: int = 7) -> str:
    """A seeded slug of ``size`` letters and hyphens, the characters resource IRIs use."""
    rng = random.Random(seed)
    chars = string.ascii_lowercase + "-"
    return "x" + "".join(rng.choice(chars) for _ in range(size - 1))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far, from ``/proc``."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@contextmanager
def service(store_dir: Path, log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """``coopgraph serve`` on a free loopback port; yields its URL and process."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPGRAPH_")}
    env |= {"COOPGRAPH_PROJECT_DIR": str(PROJECT), "COOPGRAPH_STORE_DIR": str(store_dir)}
    command = [sys.executable, "-m", "coopgraph.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, preexec_fn=_limit_memory
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start; see {log}")
            try:
                if httpx.get(url + "/sparql?query=ASK%7B%7D", timeout=2).status_code < 500:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


def timed_get(url: str, cap: float, http: httpx.Client | None = None) -> tuple[float, int | None]:
    """Seconds a GET took and its status; ``None`` as status when it hit the cap."""
    start = time.perf_counter()
    try:
        if http is None:
            status: int | None = httpx.get(url, timeout=cap).status_code
        else:
            status = http.get(url, timeout=cap).status_code
    except httpx.TimeoutException:
        status = None
    return time.perf_counter() - start, status


def warm(url: str, cap: float) -> None:
    """Build what is built once per store version: the home page and the suggestion index."""
    timed_get(url + "/", cap)
    timed_get(url + "/id/party/colombiia", cap)


def measure_sizes(store_dir: Path, log: Path, cap: float, after: float, reps: int) -> None:
    print(f"## 404 of /id/party/<slug> (cap {cap:g} s per request; median of {reps} on one connection)\n")
    print("| slug | status | time | service CPU per request | service CPU after client gave up |")
    print("|---|---:|---:|---:|---:|")
    names = list(SIZES)
    while names:
        with service(store_dir, log) as (url, process), httpx.Client() as http:
            warm(url, cap)
            while names:
                name = names.pop(0)
                target = f"{url}/id/party/{slug(SIZES[name])}"
                before = cpu_seconds(process.pid)
                took, status = timed_get(target, cap, http)
                during = cpu_seconds(process.pid) - before
                if status is not None:
                    times = [took] + [timed_get(target, cap, http)[0] for _ in range(reps - 1)]
                    during = (cpu_seconds(process.pid) - before) / reps
                    print(
                        f"| {name} | {status} | {statistics.median(times) * 1000:.1f} ms | "
                        f"{during * 1000:.0f} ms | - |"
                    )
                    continue
                mark = cpu_seconds(process.pid)
                time.sleep(after)
                gone = cpu_seconds(process.pid) - mark
                print(
                    f"| {name} | timeout | > {cap:g} s | {during * 1000:.0f} ms | "
                    f"{gone:.2f} s in the next {after:g} s |"
                )
                break  # restart: the service may still be busy with the abandoned request


def measure_home(url: str, cap: float, reps: int) -> None:
    print("\n## latency of / (median of runs; each client keeps its connection)\n")
    with httpx.Client() as http:
        alone = [timed_get(url + "/", cap, http)[0] for _ in range(reps)]
        print(f"- alone: {statistics.median(alone) * 1000:.1f} ms")
        stop = threading.Event()
        long_404s: list[float] = []

        def attack() -> None:
            with httpx.Client() as own:
                while not stop.is_set():
                    long_404s.append(timed_get(f"{url}/id/party/{slug(1024)}", cap, own)[0])

        threads = [threading.Thread(target=attack) for _ in range(8)]
        for t in threads:
            t.start()
        try:
            time.sleep(0.2)  # the eight clients are sending
            under = [timed_get(url + "/", cap, http)[0] for _ in range(reps)]
        finally:
            stop.set()
            for t in threads:
                t.join()
    print(f"- while 8 clients keep sending 1 KB-slug 404s: {statistics.median(under) * 1000:.1f} ms")
    print(f"- their 404s: {len(long_404s)}, median {statistics.median(long_404s) * 1000:.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--cap", type=float, default=10.0, help="seconds a request may take (default 10)")
    parser.add_argument(
        "--after", type=float, default=3.0, help="seconds to watch the service's CPU after a timeout"
    )
    parser.add_argument(
        "--reps", type=int, default=3, help="runs of each measurement that ends within the cap (default 3)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cg-bench-404-") as tmp:
        store_dir, log = Path(tmp) / "store", Path(tmp) / "service.log"
        measure_sizes(store_dir, log, args.cap, args.after, args.reps)
        with service(store_dir, log) as (url, _):
            warm(url, args.cap)
            measure_home(url, args.cap * 3, args.reps)


if __name__ == "__main__":
    main()
