"""Cheap queries under attack: do they keep answering while runaway queries hold the workers?

Starts ``coopgraph serve`` on loopback (in-memory store), then ``--runaways`` clients, each from
its own loopback address (127.0.0.2, 127.0.0.3, ...; Linux routes all of 127/8 to ``lo``), keep
a runaway query running (3-way cartesian products, with ORDER BY, which grows memory, or with
COUNT, which only burns CPU), while one more client (the next address) sends cheap queries one
after the other. It prints the cheap client's latencies and statuses, what the runaway clients
got, and the peak memory of the service and its workers (proportional set size, so pages a
forked worker shares with the service count once), then writes a section of
``bench/RESULTS-starvation.md`` named by ``--label`` (other sections are kept).

Everything is bounded: the run stops after ``--duration`` seconds, every request has a timeout,
each service process is started under an address-space limit (``--process-limit``) and a
watchdog stops the service if its total memory passes ``--memory-ceiling``. Only loopback is
contacted.

    python bench/starvation.py --label after
    PYTHONPATH=/tmp/before/src python bench/starvation.py --label before
    python bench/starvation.py sandbox   # what the network filter costs a worker
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent
RESULTS = HERE / "RESULTS-starvation.md"
GIB = 1 << 30

RUNAWAYS = {
    "order": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?c ?f ?i ?a ?d ?g",
    "count": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
}
CHEAP = [
    "ASK {}",
    "SELECT ?s ?label WHERE { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 10",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants, from ``/proc``."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def pss(pid: int) -> int:
    """Proportional set size of a process in bytes (0 if it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


@dataclass
class Watch:
    """Peak memory and process count of the service, sampled every 0.2 s."""

    pid: int
    ceiling: int
    peak_total: int = 0
    peak_processes: int = 0
    tripped: bool = False
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self) -> None:
        while not self.stop.wait(0.2):
            pids = tree(self.pid)
            total = sum(pss(p) for p in pids)
            self.peak_total = max(self.peak_total, total)
            self.peak_processes = max(self.peak_processes, len(pids))
            if total > self.ceiling:
                self.tripped = True
                for p in reversed(pids):
                    with contextlib.suppress(OSError):
                        os.kill(p, signal.SIGKILL)
                return


@contextlib.contextmanager
def service(
    env: dict[str, str], log: Path, process_limit: int
) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (process_limit, process_limit))

    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "coopgraph.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            preexec_fn=limit,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the service did not start:\n{log.read_text(errors='replace')}")
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(url + "/sparql", params={"query": "ASK {}"}, timeout=2).status_code == 200:
                    break
            time.sleep(0.2)
        yield url, process
    finally:
        for p in reversed(tree(process.pid)):
            with contextlib.suppress(OSError):
                os.kill(p, signal.SIGKILL)
        process.wait(10)


def client(address: str, timeout: float) -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address=address), timeout=timeout)


def runaway_loop(url: str, address: str, query: str, stop: threading.Event, seen: Counter[str]) -> None:
    with client(address, 60) as http:
        while not stop.is_set():
            try:
                status = http.post(url + "/sparql", data={"query": query}).status_code
                seen[str(status)] += 1
                if status != 200:
                    time.sleep(0.05)  # a refused attacker comes straight back, but not in a busy loop
            except httpx.HTTPError as exc:
                seen[type(exc).__name__] += 1
                time.sleep(0.05)


def cheap_loop(url: str, address: str, until: float, latencies: list[float], seen: Counter[str]) -> None:
    with client(address, 30) as http:
        index = 0
        while time.monotonic() < until:
            query = CHEAP[index % len(CHEAP)]
            index += 1
            started = time.monotonic()
            try:
                status = str(http.post(url + "/sparql", data={"query": query}).status_code)
            except httpx.HTTPError as exc:
                status = type(exc).__name__
            latencies.append(time.monotonic() - started)
            seen[status] += 1
            time.sleep(0.02)


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def attack(args: argparse.Namespace) -> dict[str, object]:
    import coopgraph

    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPGRAPH_")}
    env["COOPGRAPH_PROJECT_DIR"] = str(PROJECT)
    env["COOPGRAPH_IN_MEMORY"] = "true"
    env["COOPGRAPH_PUBLISH_ANALYSIS"] = "false"
    for item in args.env:
        name, _, value = item.partition("=")
        env["COOPGRAPH_" + name.upper()] = value
    log = Path(args.log)
    log.parent.mkdir(parents=True, exist_ok=True)
    with service(env, log, int(args.process_limit * GIB)) as (url, process):
        watch = Watch(process.pid, int(args.memory_ceiling * GIB))
        watcher = threading.Thread(target=watch.run, daemon=True)
        watcher.start()
        stop = threading.Event()
        attacked: Counter[str] = Counter()
        kinds = list(RUNAWAYS) if args.kind == "mix" else [args.kind]
        attackers = [
            threading.Thread(
                target=runaway_loop,
                args=(url, f"127.0.0.{2 + i}", RUNAWAYS[kinds[i % len(kinds)]], stop, attacked),
                daemon=True,
            )
            for i in range(args.runaways)
            for _ in range(args.streams)
        ]
        for t in attackers:
            t.start()
        time.sleep(args.warmup)
        latencies: list[float] = []
        cheap: Counter[str] = Counter()
        until = time.monotonic() + args.duration
        cheap_loop(url, f"127.0.0.{2 + args.runaways}", until, latencies, cheap)
        stop.set()
        watch.stop.set()
        watcher.join(2)
        settings = {
            k: v for k, v in env.items() if k.startswith("COOPGRAPH_") and k != "COOPGRAPH_PROJECT_DIR"
        }
    ok = cheap.get("200", 0)
    return {
        "label": args.label,
        # the package measured, relative to the checkout it comes from (no machine paths)
        "code": str(
            Path(coopgraph.__file__)
            .resolve()
            .parent.relative_to(Path(coopgraph.__file__).resolve().parents[2])
        ),
        "settings": settings,
        "answers": len(latencies),
        "ok": ok,
        "errors": {k: v for k, v in cheap.items() if k != "200"},
        "p50": percentile(latencies, 0.5),
        "p90": percentile(latencies, 0.9),
        "p99": percentile(latencies, 0.99),
        "max": max(latencies, default=float("nan")),
        "mean": statistics.fmean(latencies) if latencies else float("nan"),
        "attackers": dict(attacked),
        "peak_memory": watch.peak_total,
        "peak_processes": watch.peak_processes,
        "tripped": watch.tripped,
    }


def section(result: dict[str, object], args: argparse.Namespace) -> str:
    errors = result["errors"] or "none"
    settings = " ".join(f"`{k}={v}`" for k, v in sorted(result["settings"].items()))  # type: ignore[attr-defined]
    lines = [
        f"## {result['label']}",
        "",
        f"- code: `{result['code']}`; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
        f"{os.cpu_count()} cores, Python {platform.python_version()}",
        f"- service: {settings}",
        f"- {args.runaways} runaway clients ({args.kind}) x {args.streams} stream(s) (127.0.0.2..), one cheap client "
        f"for {args.duration:g} s after {args.warmup:g} s of warm-up; each service process under "
        f"RLIMIT_AS {args.process_limit:g} GiB, watchdog at {args.memory_ceiling:g} GiB in total",
        "",
        "| cheap answers | 200 | errors | p50 (s) | p90 (s) | p99 (s) | max (s) | runaway statuses "
        "| peak memory (GiB, PSS) | peak processes |",
        "|---:|---:|---|---:|---:|---:|---:|---|---:|---:|",
        f"| {result['answers']} | {result['ok']} | {errors} | {result['p50']:.3f} | {result['p90']:.3f} "
        f"| {result['p99']:.3f} | {result['max']:.3f} | {result['attackers']} "
        f"| {result['peak_memory'] / GIB:.2f}{' (watchdog stopped it)' if result['tripped'] else ''} "  # type: ignore[operator]
        f"| {result['peak_processes']} |",
        "",
    ]
    return "\n".join(lines)


def write_results(text: str, label: str) -> None:
    header = (
        "# Cheap queries under attack\n\n"
        "Generated by `python bench/starvation.py`; do not edit by hand. One section per `--label`.\n\n"
    )
    sections: dict[str, str] = {}
    if RESULTS.exists():
        current = None
        for line in RESULTS.read_text().splitlines(keepends=True):
            if line.startswith("## "):
                current = line[3:].strip()
                sections[current] = ""
            if current is not None:
                sections[current] += line
    sections[label] = text + "\n"
    RESULTS.write_text(header + "".join(sections[k] for k in sorted(sections)))


def sandbox_cost(rounds: int) -> str:
    """Worker start time and per-query time with and without the network filter."""
    import asyncio

    from coopgraph.negotiation import RESULTS_TYPES
    from coopgraph.protocol import Job, QueryPool
    from coopgraph.store import EmbeddedStore

    store = EmbeddedStore(None)
    store.oxigraph.update(
        "INSERT DATA { " + " ".join(f"<urn:s{i}> <urn:p> {i} ." for i in range(2000)) + " }"
    )
    job = Job("SELECT (COUNT(*) AS ?n) { ?s ?p ?o FILTER(?o > 10) }", "SELECT", RESULTS_TYPES[0], 10)
    starts: dict[bool, list[float]] = {False: [], True: []}
    queries: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(rounds):
        for sandbox in (False, True):  # alternating, so that drift in the machine's load hits both
            pool = QueryPool(store, processes=1, timeout=5, forbid_network=sandbox)
            started = time.perf_counter()
            pool.start()
            starts[sandbox].append(time.perf_counter() - started)

            async def run(pool: QueryPool = pool) -> list[float]:
                times = []
                for _ in range(100):
                    t = time.perf_counter()
                    await pool.run(job)
                    times.append(time.perf_counter() - t)
                return times

            queries[sandbox].extend(asyncio.run(run()))
            pool.close()
    lines = [
        "## network filter cost",
        "",
        f"`python bench/starvation.py sandbox`: {rounds} forked workers (in-memory store of 2,000 "
        f"triples) started and {100 * rounds} queries run through `QueryPool.run` per setting, "
        "alternating; a COUNT with a FILTER over the store.",
        "",
        "| network filter | worker start, median (ms) | query, median (ms) | query, 10th percentile (ms) |",
        "|---|---:|---:|---:|",
    ]
    for sandbox in (False, True):
        lines.append(
            f"| {'on' if sandbox else 'off'} | {statistics.median(starts[sandbox]) * 1000:.2f} "
            f"| {statistics.median(queries[sandbox]) * 1000:.3f} | {percentile(queries[sandbox], 0.1) * 1000:.3f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", nargs="?", choices=("attack", "sandbox"), default="attack")
    parser.add_argument("--label", default="after")
    parser.add_argument("--runaways", type=int, default=4, help="runaway clients (distinct addresses)")
    parser.add_argument("--kind", choices=("mix", *RUNAWAYS), default="mix", help="runaway queries sent")
    parser.add_argument("--streams", type=int, default=1, help="runaway queries each keeps running")
    parser.add_argument("--duration", type=float, default=30.0, help="seconds of cheap queries")
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--process-limit", type=float, default=6.0, help="GiB of address space per process")
    parser.add_argument("--memory-ceiling", type=float, default=14.0, help="GiB in total, then stop")
    parser.add_argument(
        "--env", action="append", default=[], help="a setting, NAME=VALUE (COOPGRAPH_ omitted)"
    )
    parser.add_argument("--log", default=str(HERE / "output" / "starvation-serve.log"))
    parser.add_argument("--rounds", type=int, default=10, help="sandbox: workers started per setting")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    if args.what == "sandbox":
        text, label = sandbox_cost(args.rounds), "network filter cost"
    else:
        text, label = section(attack(args), args), args.label
    print(text)
    if not args.no_write:
        write_results(text, label)


if __name__ == "__main__":
    main()
