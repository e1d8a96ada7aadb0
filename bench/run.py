"""Benchmark coopgraph's SPARQL service against Oxigraph server and rdflib-endpoint.

One run, on the same generated data (``bench/generate.py``), side by side:

(a) query latency: every query of ``bench/queries/`` and every public named query of
    ``queries/`` (``#+ defaults:`` bound) sent by HTTP POST to the three servers, medians of
    repeated runs after warm-up, of two kinds: "new", each request a text no server has seen
    (a distinct comment line first, :func:`new_text`), so that no result cache can answer it,
    and "repeated", the same text every time (coopgraph and Oxigraph server only);
(b) throughput of a cheap lookup with 8 concurrent connections (``wrk``);
(c) load time of the largest file into coopgraph's on-disk store (``EmbeddedStore.load_dataset``,
    every quad into its graph) and with ``oxigraph load``.

It writes ``bench/RESULTS.md`` and the raw figures to ``bench/output/results.json``. Every server
it starts listens on a free loopback port and is stopped at the end.

Usage::

    python bench/run.py                      # 10k, 100k and 1M triples
    python bench/run.py --sizes 10k,100k --quick
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import importlib.metadata
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from itertools import count
from pathlib import Path
from typing import Any

import httpx
import pyoxigraph as ox

from coopgraph.config import Settings
from coopgraph.queries import NamedQuery, QueryCatalogue, parse_query_text
from coopgraph.store import with_values

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORK = HERE / "output"
BIN = Path(sys.executable).parent
RESULTS_JSON = "application/sparql-results+json"
WRK_CONNECTIONS = 8
WRK_WARMUP = 3
"""Seconds of wrk before each measured throughput run, not counted."""
GRAPH_LOAD = "coopgraph-one-graph"
"""The load figure of a file of triples into one graph (``EmbeddedStore.bulk_load``)."""
TIMEOUT = "timeout"


# -- queries ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class BenchQuery:
    """A query as sent: its name, set (``bench`` or ``named``), kind and text with defaults bound."""

    name: str
    suite: str
    kind: str
    text: str


def bind_defaults(query: NamedQuery) -> str:
    """The query text with its ``#+ defaults:`` bound, as coopgraph binds them for a remote store.

    The defaults become RDF terms through :meth:`NamedQuery.bind` and are written by
    :func:`coopgraph.store.with_values` as a ``VALUES`` block at the head of the WHERE group, so
    all three servers receive the same text.

    >>> q = parse_query_text("q", "#+ defaults:\\n#+   - x: http://e/a\\nSELECT * WHERE { ?s ?p ?_x_iri }")
    >>> bind_defaults(q).splitlines()[-1]
    'SELECT * WHERE { VALUES (?_x_iri) { (<http://e/a>) }  ?s ?p ?_x_iri }'
    """
    return with_values(query.text, default_terms(query))


def default_terms(query: NamedQuery) -> dict[str, ox.NamedNode | ox.Literal]:
    """The query's ``#+ defaults:`` as the RDF terms coopgraph binds (empty when it has none)."""
    return query.bind({p.name: p.default for p in query.parameters if p.default is not None})


def query_kind(query: NamedQuery) -> str:
    """``aggregate`` (GROUP BY, COUNT, regex or text search) or ``lookup`` (the rest).

    >>> query_kind(parse_query_text("q", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    'aggregate'
    """
    code = "\n".join(line for line in query.text.splitlines() if not line.lstrip().startswith("#"))
    if re.search(r"(?i)GROUP\s+BY|\bCOUNT\s*\(|\bSUM\s*\(|\bregex\s*\(|\bCONTAINS\s*\(", code):
        return "aggregate"
    return "lookup"


def load_queries(only_bench: bool) -> list[BenchQuery]:
    """The queries of ``bench/queries/``, then the project's public named queries."""
    queries = []
    for path in sorted((HERE / "queries").glob("*.rq")):
        named = parse_query_text(path.stem, path.read_text("utf-8"), path)
        queries.append(BenchQuery(named.name, "bench", query_kind(named), bind_defaults(named)))
    if not only_bench:
        catalogue = QueryCatalogue(Settings().queries_dir)
        for named in catalogue.public():
            if named.form != "SELECT":
                continue
            try:
                text = bind_defaults(named)
            except Exception as exc:  # a query being edited must not stop the benchmark
                print(f"warning: {named.name}: {exc}; left out", file=sys.stderr)
                continue
            queries.append(BenchQuery(named.name, "named", query_kind(named), text))
    return queries


# -- servers ---------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A server process started by the benchmark, in its own process group."""

    name: str
    url: str
    command: list[str]
    env: dict[str, str] | None = None
    log: Path | None = None
    process: subprocess.Popen[bytes] | None = None
    started_in: float = 0.0

    def start(self, ready_timeout: float = 900.0) -> None:
        log = open(self.log or os.devnull, "ab")  # noqa: SIM115 - closed with the process
        start = time.perf_counter()
        self.process = subprocess.Popen(
            self.command, stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True
        )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}; see {self.log}")
            with contextlib.suppress(httpx.HTTPError):
                r = httpx.post(
                    self.url, data={"query": "ASK { ?s ?p ?o }"}, headers={"Accept": RESULTS_JSON}, timeout=5
                )
                if r.status_code == 200:
                    self.started_in = time.perf_counter() - start
                    return
            time.sleep(0.5)
        raise RuntimeError(f"{self.name} did not answer within {ready_timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def restart(self) -> None:
        self.stop()
        self.start()


def prepare_coopgraph(data: Path, folder: Path) -> tuple[dict[str, str], float]:
    """A project folder whose ``data/`` holds ``data`` and whose store is already loaded.

    The store is filled with :meth:`EmbeddedStore.load_dataset` (timed: that is coopgraph's load
    figure): every quad into its own graph, as ``oxigraph load`` does, so that both servers hold
    the same dataset. Its manifest records the file's hash, so the service finds it loaded.
    """
    from coopgraph.store import EmbeddedStore, project_sources

    (folder / "data").mkdir(parents=True)
    target = folder / "data" / data.name
    try:
        os.link(data, target)
    except OSError:
        shutil.copy(data, target)
    # a copy: the queries as they are when the run starts, whatever is edited meanwhile
    shutil.copytree(Settings().queries_dir, folder / "queries")
    settings = Settings(project_dir=folder)
    sources = project_sources(settings)
    store = EmbeddedStore(settings.store_path)
    start = time.perf_counter()
    for source in sources:
        store.load_dataset(source.paths[0], source.graph)
    seconds = time.perf_counter() - start
    store.record_loaded({s.graph: s.content_hash() for s in sources})
    store.close()
    env = {
        **os.environ,
        "COOPGRAPH_PROJECT_DIR": str(folder),
        "COOPGRAPH_STORE_DIR": str(settings.store_path),
    }
    return env, seconds


def coopgraph_server(
    data: Path, folder: Path, port: int, cap: float, extra_env: dict[str, str] | None = None
) -> tuple[Server, float]:
    env, seconds = prepare_coopgraph(data, folder)
    # the same cap on a query as the other servers get from the client
    env["COOPGRAPH_QUERY_TIMEOUT"] = str(cap)
    # the same data as the other servers: no graph of network scores beside the file's graphs
    env["COOPGRAPH_PUBLISH_ANALYSIS"] = "false"
    # wrk's 8 connections come from one loopback address: the per-client cap (2 by default, the
    # fairness rule between clients) would answer most of them 429 instead of measuring
    # throughput; and the rule that keeps the last free worker for other clients would refuse
    # about half of the new queries of wrk's 8 connections when the pool's most is 8 (2 cores),
    # so the pool may grow to two workers more than the connections (refusals that remain are
    # counted apart from the answers by throughput())
    env["COOPGRAPH_QUERIES_PER_CLIENT"] = str(WRK_CONNECTIONS)
    env["COOPGRAPH_QUERY_WORKERS_MAX"] = str(WRK_CONNECTIONS + 2)
    env.update(extra_env or {})
    command = [str(BIN / "coopgraph"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return Server(
        "coopgraph", f"http://127.0.0.1:{port}/sparql", command, env, folder / "server.log"
    ), seconds


def oxigraph_load(data: Path, location: Path) -> float:
    """Time ``oxigraph load`` of ``data`` into the empty directory ``location``."""
    start = time.perf_counter()
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(location), "--file", str(data)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def oxigraph_server(data: Path, folder: Path, port: int) -> tuple[Server, float]:
    location = folder / "oxigraph"
    seconds = oxigraph_load(data, location)
    command = [
        str(BIN / "oxigraph"),
        "serve",
        "--location",
        str(location),
        "--bind",
        f"127.0.0.1:{port}",
        "--union-default-graph",
    ]
    return Server(
        "oxigraph", f"http://127.0.0.1:{port}/query", command, None, folder / "oxigraph.log"
    ), seconds


def rdflib_server(data: Path, folder: Path, port: int) -> Server:
    # rdflib-endpoint's own CLI: an rdflib Dataset whose default graph is the union
    command = [str(BIN / "rdflib-endpoint"), "serve", str(data), "--host", "127.0.0.1", "--port", str(port)]
    return Server("rdflib-endpoint", f"http://127.0.0.1:{port}/", command, None, folder / "rdflib.log")


# -- measuring -------------------------------------------------------------------------------
@dataclass
class Timing:
    """Times of one query on one server (ms), its row count, and what went wrong if anything."""

    times: list[float] = field(default_factory=list)
    rows: int | None = None
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times and self.error is None else None


def send(client: httpx.Client, url: str, text: str, timeout: float) -> tuple[float, int]:
    """POST one query; return the time to the last byte (ms) and the number of result rows."""
    start = time.perf_counter()
    response = client.post(url, data={"query": text}, headers={"Accept": RESULTS_JSON}, timeout=timeout)
    body = response.content
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise RuntimeError(f"HTTP {response.status_code}: {body[:200]!r}")
    parsed = json.loads(body)
    rows = len(parsed["results"]["bindings"]) if "results" in parsed else 1
    return elapsed, rows


Loads = dict[str, dict[str, list[float]]]
"""Seconds of each loader, by the size of the file loaded."""


NEW_TEXT_MARK = "# coopgraph-bench new query "
_new_texts = count()
NEW = "new"
REPEATED = "repeated"


def new_text(text: str) -> str:
    """``text`` as a query no server has seen: a distinct comment line first.

    The comment changes nothing an engine does, but no result cache can answer the request.

    >>> new_text("ASK {}") != new_text("ASK {}")
    True
    >>> new_text("ASK {}").splitlines()[1]
    'ASK {}'
    """
    return f"{NEW_TEXT_MARK}{next(_new_texts)}\n{text}"


def request_text(query: BenchQuery, kind: str) -> str:
    """The text one timed request of ``kind`` sends: a new text each time, or the same one.

    >>> q = BenchQuery("q", "bench", "lookup", "ASK {}")
    >>> request_text(q, REPEATED), request_text(q, NEW).startswith(NEW_TEXT_MARK)
    ('ASK {}', True)
    """
    return query.text if kind == REPEATED else new_text(query.text)


def measure(
    servers: list[Server], queries: list[BenchQuery], warmup: int, reps: int, cap: float, kind: str = NEW
) -> dict[str, dict[str, Timing]]:
    """Median times of every query on every server; repetitions alternate between servers.

    ``kind`` is :data:`NEW` (every request a text not seen before) or :data:`REPEATED`.

    The order of the servers rotates with each repetition, so that no server always runs right
    after another: a server that follows a long query of another process finds its caches cold.
    """
    results: dict[str, dict[str, Timing]] = {q.name + "@" + q.suite: {} for q in queries}
    with httpx.Client() as client:
        for query in queries:
            key = query.name + "@" + query.suite
            timings = {s.name: Timing() for s in servers}
            results[key] = timings
            slow: set[str] = set()
            for rep in range(warmup + reps):
                turn = rep % len(servers)
                for server in servers[turn:] + servers[:turn]:
                    timing = timings[server.name]
                    if timing.error or (server.name in slow and len(timing.times) >= 3):
                        continue
                    try:
                        elapsed, rows = send(client, server.url, request_text(query, kind), cap)
                    except httpx.TimeoutException:
                        timing.error = TIMEOUT
                        server.restart()  # it would go on computing the abandoned query
                        continue
                    except (httpx.HTTPError, RuntimeError, ValueError, KeyError) as exc:
                        timing.error = str(exc)[:120]
                        continue
                    timing.rows = rows
                    if rep >= warmup or elapsed > 2000:
                        timing.times.append(elapsed)
                    if elapsed > 2000:  # seconds-long queries: three runs are enough for a median
                        slow.add(server.name)
            line = "  ".join(
                f"{name}={t.median:.1f}ms/{t.rows}" if t.median is not None else f"{name}={t.error}"
                for name, t in timings.items()
            )
            print(f"  {kind:8s} {key:55s} {line}", file=sys.stderr, flush=True)
    return results


def ensure_wrk() -> str | None:
    """The path of ``wrk``, installing Debian's package if missing and allowed; else ``None``."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (apt-get install -y wrk)", file=sys.stderr)
        for command in (
            ["apt-get", "install", "-y", "-qq", "wrk"],
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "wrk"],
        ):
            subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if shutil.which("wrk"):
                return shutil.which("wrk")
    print("wrk is not installed (apt-get install wrk): throughput is skipped", file=sys.stderr)
    return None


def wrk_script(query: str, kind: str) -> str:
    """A wrk Lua script POSTing ``query``: the same body each time, or a new text per request.

    For :data:`NEW` every request carries a distinct comment line first (the run, the wrk thread
    and a count), so that no result cache can answer it and no two threads send the same text.

    >>> "request = function()" in wrk_script("ASK {}", NEW), "request =" in wrk_script("ASK {}", REPEATED)
    (True, False)
    """
    head = (
        'wrk.method = "POST"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Accept"] = "{RESULTS_JSON}"\n'
    )
    if kind == REPEATED:
        return head + f"wrk.body = {json.dumps(urllib.parse.urlencode({'query': query}))}\n"
    start = "query=" + urllib.parse.quote_plus(f"{NEW_TEXT_MARK}wrk-{time.time_ns()}-")
    rest = urllib.parse.quote_plus("\n" + query)
    return head + (
        "local threads = 0\n"
        "function setup(thread)\n"
        "  threads = threads + 1\n"
        '  thread:set("id", threads)\n'
        "end\n"
        "local sent = 0\n"
        f"local start = {json.dumps(start)}\n"
        f"local rest = {json.dumps(rest)}\n"
        "request = function()\n"
        "  sent = sent + 1\n"
        '  return wrk.format(nil, nil, nil, start .. id .. "-" .. sent .. rest)\n'
        "end\n"
    )


def throughput(
    wrk: str, server: Server, query: str, folder: Path, seconds: int, kind: str = REPEATED
) -> dict[str, Any]:
    """Requests per second of ``query`` POSTed with 8 connections on 2 threads for ``seconds``.

    ``kind`` is :data:`REPEATED` (the same text every time) or :data:`NEW` (:func:`wrk_script`).
    """
    script = folder / f"post-{server.name}-{kind}.lua"
    script.write_text(wrk_script(query, kind), "utf-8")
    # a first run, not counted: a server whose pool of workers grows under load (coopgraph forks
    # a query worker per waiting connection) is measured once it has grown
    for duration in (WRK_WARMUP, seconds):
        run = subprocess.run(
            [
                wrk,
                "-t2",
                f"-c{WRK_CONNECTIONS}",
                f"-d{duration}s",
                "--timeout",
                "30s",
                "-s",
                str(script),
                server.url,
            ],
            capture_output=True,
            text=True,
            check=False,
            timeout=duration + 60,
        )
    rps = re.search(r"Requests/sec:\s+([\d.]+)", run.stdout)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", run.stdout)
    latency = re.search(r"Latency\s+(\S+)", run.stdout)
    total = re.search(r"(\d+) requests in", run.stdout)
    failed = int(errors.group(1)) if errors else 0
    answered = None
    if rps:
        # only answers count: an error reply is not throughput
        share = 1 - failed / int(total.group(1)) if total and int(total.group(1)) else 1.0
        answered = round(float(rps.group(1)) * share, 2)
    return {
        "rps": answered,
        "non_2xx": failed,
        "mean_latency": latency.group(1) if latency else None,
        "raw": run.stdout[-600:],
    }


CACHE_METRICS = ("coopgraph_cache_bytes", "coopgraph_cache_capacity_bytes", "coopgraph_cache_entries")


def cache_figures(server: Server) -> dict[str, float]:
    """What coopgraph's result cache holds now, from its ``/metrics`` (bytes, capacity, entries)."""
    url = server.url.rsplit("/", 1)[0] + "/metrics"
    figures: dict[str, float] = {}
    with contextlib.suppress(httpx.HTTPError):
        for line in httpx.get(url, timeout=10).text.splitlines():
            name, _, value = line.partition(" ")
            if name in CACHE_METRICS:
                figures[name] = float(value)
    return figures


def peak_rss(server: Server) -> dict[str, int]:
    """Peak resident memory (``VmHWM``, bytes) of a server's processes still running.

    ``main`` is the process the benchmark started, ``all`` the sum over its process group (for
    coopgraph, the service and its query workers; a worker replaced during the run is not
    counted).
    """
    if server.process is None or server.process.poll() is not None:
        return {}
    group = server.process.pid  # started in a new session: its id is the group's
    peaks: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, IndexError, ValueError):
            stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            if int(stat[2]) != group:
                continue
            status = (entry / "status").read_text()
            match = re.search(r"VmHWM:\s+(\d+) kB", status)
            if match:
                peaks[int(entry.name)] = int(match.group(1)) * 1024
    return {"main": peaks.get(group, 0), "all": sum(peaks.values()), "processes": len(peaks)}


def worker_overhead(
    store_path: Path, queries: list[BenchQuery], warmup: int, reps: int, cap: float
) -> dict[str, dict[str, float]]:
    """Median ms of each query run in this process (``run_job``) and through the service's
    timeout worker (``QueryPool.run``: pickling, the pipe and the worker process), same store."""
    import asyncio

    from coopgraph.negotiation import RESULTS_TYPES
    from coopgraph.protocol import Job, QueryPool, run_job
    from coopgraph.sparqltext import query_form
    from coopgraph.store import EmbeddedStore

    store = EmbeddedStore(store_path)
    pool = QueryPool(store, processes=1, timeout=cap)
    pool.start()
    out: dict[str, dict[str, float]] = {}

    async def compare() -> None:
        for query in queries:
            job = Job(query.text, query_form(query.text), RESULTS_TYPES[0], Settings().max_rows)
            direct: list[float] = []
            worker: list[float] = []
            for rep in range(warmup + reps):
                start = time.perf_counter()
                run_job(store, job)
                middle = time.perf_counter()
                await pool.run(job)
                end = time.perf_counter()
                if rep >= warmup:
                    direct.append((middle - start) * 1000)
                    worker.append((end - middle) * 1000)
            out[query.name + "@" + query.suite] = {
                "in_process": statistics.median(direct),
                "worker": statistics.median(worker),
            }

    try:
        asyncio.run(compare())
    finally:
        pool.close()
        store.close()
    return out


# -- the report ------------------------------------------------------------------------------
def fmt_ms(value: float | None, error: str | None = None) -> str:
    if value is None:
        return error or "-"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}" if value < 1000 else f"{value:,.0f}"


def short_error(error: str | None) -> str | None:
    """``timeout``, or the HTTP status of a failed query (the message is in results.json)."""
    if error is None or error == TIMEOUT:
        return error
    match = re.match(r"HTTP (\d+)", error)
    return f"error {match.group(1)}" if match else "error"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def fmt_ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}x" if value < 100 else f"{value:,.0f}x"


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else "**holds**" if ok else "**missed**"


def repeated_section(r: SizeResult) -> list[str]:
    """The table of repeated queries (the same text every time) at one size, with its targets."""
    if not r.repeated:
        return []
    out = [
        "",
        f"## Repeated queries at {r.label} triples (ms)",
        "",
        "The same text every time, so coopgraph answers from its result cache after the first "
        "request; Oxigraph server runs each one. Targets: geometric mean of coopgraph/oxigraph "
        "<= 0.5x, and <= 1.0x on every query.",
        "",
        "| query | set | coopgraph | oxigraph | coopgraph/oxigraph |",
        "|---|---|---:|---:|---:|",
    ]
    ratios = []
    for key, timings in r.repeated.items():
        name, suite = key.split("@")
        coop, oxi = timings.get("coopgraph", Timing()), timings.get("oxigraph", Timing())
        value = ratio(coop.median, oxi.median)
        if value is not None:
            ratios.append(value)
        out.append(
            f"| {name} | {suite} | {fmt_ms(coop.median, short_error(coop.error))} "
            f"| {fmt_ms(oxi.median, short_error(oxi.error))} | {fmt_ratio(value)} |"
        )
    if ratios:
        mean = statistics.geometric_mean(ratios)
        out += [
            "",
            f"Geometric mean of coopgraph/oxigraph over {len(ratios)} repeated queries: {mean:.2f}x "
            f"({verdict(mean <= 0.5)}); worst {max(ratios):.2f}x ({verdict(max(ratios) <= 1.0)}).",
        ]
    return out


def this_run(
    info: dict[str, str], args: argparse.Namespace, results: list[SizeResult], loads: Loads
) -> dict[str, Any]:
    """What one invocation measured, for the header of a report that merges several."""
    return {
        "date": info["date"],
        "argv": sys.argv[1:],
        "sizes": [r.label for r in results],
        "load": list(loads),
        "reps": args.reps,
        "warmup": args.warmup,
    }


def merge_runs(earlier: list[dict[str, Any]], run: dict[str, Any]) -> list[dict[str, Any]]:
    """The runs whose figures a merged report still shows: what ``run`` re-measured goes.

    >>> old = [{"sizes": ["10k", "100k"], "load": ["1M"]}]
    >>> merge_runs(old, {"sizes": ["100k"], "load": ["10M"]})
    [{'sizes': ['10k'], 'load': ['1M']}, {'sizes': ['100k'], 'load': ['10M']}]
    >>> merge_runs(old, {"sizes": ["10k", "100k"], "load": ["1M"]})
    [{'sizes': ['10k', '100k'], 'load': ['1M']}]
    """
    kept = []
    for old in earlier:
        sizes = [label for label in old["sizes"] if label not in run["sizes"]]
        load = [label for label in load_labels(old) if label not in run["load"]]
        if sizes or load:
            kept.append({**old, "sizes": sizes, "load": load})
    return [*kept, run]


def run_line(run: dict[str, Any]) -> str:
    """One run in the report's header: its command, when, and what it measured.

    >>> run_line({"date": "2026-12-06 08:00 UTC", "argv": ["--sizes", "100k"], "sizes": ["100k"],
    ...           "load": [], "reps": 7, "warmup": 2})
    '`python bench/run.py --sizes 100k` at 2026-12-06 08:00 UTC: 100k (2 warm-up and 7 measured runs per query and server)'
    """
    parts = []
    if run["sizes"]:
        parts.append(
            f"{', '.join(run['sizes'])} ({run['warmup']} warm-up and {run['reps']} measured runs per "
            "query and server)"
        )
    if load_labels(run):
        parts.append(f"the load comparison at {', '.join(load_labels(run))}")
    return f"`python bench/run.py {shlex.join(run['argv'])}` at {run['date']}: {'; '.join(parts)}"


def load_labels(run: dict[str, Any]) -> list[str]:
    """The sizes a run compared loads at (a single label in ``results.json`` files of before).

    >>> load_labels({"load": "1M"}), load_labels({"load": ""}), load_labels({"load": ["1M", "10M"]})
    (['1M'], [], ['1M', '10M'])
    """
    load = run.get("load") or []
    return [load] if isinstance(load, str) else list(load)


def saved_loads(raw: dict[str, Any]) -> Loads:
    """The load comparisons of a ``results.json``, by size (one, under ``load``, in files of before)."""
    if "loads" in raw:
        return dict(raw["loads"])
    return {raw["args"]["load_size"]: raw["load"]} if raw.get("load") else {}


def legacy_run(raw: dict[str, Any]) -> dict[str, Any]:
    """The one run a ``results.json`` written before runs were recorded names: its last command."""
    return {
        "date": raw["machine"]["date"],
        "argv": raw.get("argv", []),
        "sizes": [r["label"] for r in raw["sizes"]],
        "load": list(saved_loads(raw)),
        "reps": raw["args"].get("reps", "?"),
        "warmup": raw["args"].get("warmup", "?"),
    }


def write_report(
    info: dict[str, str],
    results: list[SizeResult],
    loads: Loads,
    args: argparse.Namespace,
    runs: list[dict[str, Any]],
) -> str:
    """``bench/RESULTS.md``: machine, runs, sizes, medians per size, throughput, load, targets."""
    out: list[str] = [
        "# coopgraph SPARQL benchmark",
        "",
        "Generated by `python bench/run.py` (`make bench`); do not edit by hand. Raw figures: "
        "`bench/output/results.json`.",
        "",
        f"- date: {info['date']}",
        f"- machine: {info['nproc']} cores ({info['cpu']}), {info['memory']} memory, Python {info['python']}",
        f"- software: {info['versions']}",
        "- runs, each with its own servers, merged here (`--merge`):",
        *[f"  - {run_line(run)}" for run in runs],
        "- repetitions alternate between servers in an order that rotates with each repetition; "
        "medians. Queries slower than 2 s are run 3 times; a query that takes more than "
        f"{args.rdflib_timeout:.0f} s is recorded as `timeout`.",
        "- the machine is shared with other work: absolute times drift between runs, the ratios hold better.",
        "",
        "Servers, all over HTTP POST on loopback with `Accept: application/sparql-results+json`:",
        "",
        "- **coopgraph**: `coopgraph serve`, embedded on-disk Oxigraph store, project folder whose "
        "`data/` holds the file;",
        "- **oxigraph**: `oxigraph load` then `oxigraph serve --union-default-graph` (Rust server, "
        "same engine);",
        "- **rdflib-endpoint**: `rdflib-endpoint serve FILE` (rdflib `Dataset(default_union=True)`, "
        "in memory).",
        "",
        "## Data",
        "",
        "| size | quads | coopgraph dataset load (s) | oxigraph load (s) | coopgraph ready (s) "
        "| oxigraph ready (s) | rdflib-endpoint ready (s) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        out.append(
            f"| {r.label} | {r.quads:,} | {r.load.get('coopgraph', 0):.1f} "
            f"| {r.load.get('oxigraph', 0):.1f} | "
            f"{r.startup.get('coopgraph', 0):.1f} | {r.startup.get('oxigraph', 0):.1f} | "
            + (f"{r.startup['rdflib-endpoint']:.1f} |" if "rdflib-endpoint" in r.startup else "not run |")
        )
    for r in results:
        servers = list(next(iter(r.queries.values())).keys()) if r.queries else []
        out += ["", f"## Query medians at {r.label} triples (ms)", ""]
        head = "| query | set | kind | rows | " + " | ".join(servers) + " | coopgraph/oxigraph |"
        if "rdflib-endpoint" in servers:
            head += " rdflib-endpoint/coopgraph |"
        out += [
            head,
            "|"
            + "---|" * 4
            + "---:|" * (len(servers) + 1)
            + ("---:|" if "rdflib-endpoint" in servers else ""),
        ]
        for key, timings in r.queries.items():
            name, suite = key.split("@")
            rows = {t.rows for t in timings.values() if t.rows is not None}
            rows_text = (
                str(rows.pop())
                if len(rows) == 1
                else " / ".join(str(t.rows) for t in timings.values()) + " (differ)"
            )
            cells = [fmt_ms(t.median, short_error(t.error)) for t in timings.values()]
            line = f"| {name} | {suite} | {r.kinds[key]} | {rows_text} | " + " | ".join(cells)
            line += f" | {fmt_ratio(ratio(timings['coopgraph'].median, timings['oxigraph'].median))} |"
            if "rdflib-endpoint" in timings:
                rd = timings["rdflib-endpoint"]
                value = fmt_ratio(ratio(rd.median, timings["coopgraph"].median))
                if rd.error == TIMEOUT and timings["coopgraph"].median:
                    value = f"> {fmt_ratio(args.rdflib_timeout * 1000 / timings['coopgraph'].median)}"
                line += f" {value} |"
            out.append(line)
        medians = [ratio(t["coopgraph"].median, t["oxigraph"].median) for t in r.queries.values()]
        known = [m for m in medians if m is not None]
        if known:
            both = [
                (t["coopgraph"].median, t["oxigraph"].median)
                for t in r.queries.values()
                if t["coopgraph"].median is not None and t["oxigraph"].median is not None
            ]
            quick = [c - o for c, o in both if o < 10]
            long = [c / o for c, o in both if o >= 10]
            out += [
                "",
                f"Geometric mean of coopgraph/oxigraph over {len(known)} queries: "
                f"{statistics.geometric_mean(known):.2f}x. "
                + (
                    f"Queries under 10 ms on Oxigraph ({len(quick)}): coopgraph adds a median "
                    f"{statistics.median(quick):.2f} ms per request. "
                    if quick
                    else ""
                )
                + (
                    f"Queries of 10 ms or more ({len(long)}): median ratio "
                    f"{statistics.median(long):.2f}x, worst {max(long):.2f}x."
                    if long
                    else ""
                ),
            ]
    for r in results:
        out += repeated_section(r)
    throughputs = [r for r in results if r.throughput]
    if throughputs:
        out += ["", "## Throughput", ""]
        for r in throughputs:
            out += [
                f"`wrk -t2 -c8 -d{args.wrk_seconds}s` (8 connections, after {WRK_WARMUP} s of wrk not "
                f"counted), POST of `{args.cheap_query}` "
                f"(bench set) at {r.label} triples: **repeated**, the same text every time; **new**, "
                "a distinct comment line first in every request (a wrk Lua script), so no cache "
                "can answer it.",
                "",
                "| server | kind | requests/s | mean latency | non-2xx | coopgraph/server |",
                "|---|---|---:|---:|---:|---:|",
            ]
            for kind, table in ((REPEATED, r.throughput), (NEW, r.throughput_new)):
                coop = table.get("coopgraph", {}).get("rps")
                for name, t in table.items():
                    rps = t.get("rps")
                    out.append(
                        f"| {name} | {kind} | {rps if rps is not None else 'failed'} "
                        f"| {t.get('mean_latency')} | {t.get('non_2xx')} | "
                        f"{fmt_ratio(ratio(coop, rps)) if name != 'coopgraph' else '-'} |"
                    )
    measured = [r for r in results if r.memory]
    if measured:
        out += [
            "",
            "## Peak memory of each server",
            "",
            "Peak resident set (`VmHWM`) at the end of the size's run, in MiB: the process the "
            "benchmark started, and the sum over its process group (coopgraph: the service and "
            "its query workers).",
            "",
            "| size | server | main process | all processes | processes |",
            "|---|---|---:|---:|---:|",
        ]
        for r in measured:
            for name, m in r.memory.items():
                if m:
                    out.append(
                        f"| {r.label} | {name} | {m['main'] / 2**20:,.0f} | {m['all'] / 2**20:,.0f} "
                        f"| {m['processes']} |"
                    )
    for r in results:
        if not r.worker:
            continue
        out += [
            "",
            f"## Per-query overhead of the timeout worker at {r.label} triples",
            "",
            "The service runs every user query in a worker process that is killed on timeout "
            "(`coopgraph.protocol.QueryPool`). Same store, same process, no HTTP: `run_job` in "
            "process against `QueryPool.run` (1 worker), medians in ms.",
            "",
            "| query | in process | through the worker | overhead | HTTP total (coopgraph) |",
            "|---|---:|---:|---:|---:|",
        ]
        extra = []
        for key, w in r.worker.items():
            extra.append(w["worker"] - w["in_process"])
            http = r.queries.get(key, {}).get("coopgraph")
            out.append(
                f"| {key.split('@')[0]} | {fmt_ms(w['in_process'])} | {fmt_ms(w['worker'])} | "
                f"{w['worker'] - w['in_process']:+.2f} | {fmt_ms(http.median if http else None)} |"
            )
        out += ["", f"Median overhead of the worker hop: {statistics.median(extra):+.2f} ms per query."]
    for label, load in sorted(loads.items(), key=lambda item: label_size(item[0])):
        ox_ = statistics.median(load["oxigraph"])
        out += [
            "",
            f"## Load of the {label} file into an empty on-disk store",
            "",
            f"Median of {len(load['coopgraph'])} run(s), each into a new store folder. coopgraph "
            "dataset: `EmbeddedStore.load_dataset` of the N-Quads file (every quad into its graph, "
            "Oxigraph's bulk loader), then flush; coopgraph one graph: `EmbeddedStore.bulk_load` of "
            "the same triples as N-Triples into one new graph (what `coopgraph load FILE` does after "
            "validation), then flush; oxigraph: `oxigraph load --location DIR --file FILE` of the "
            "N-Quads file.",
            "",
            "| loader | seconds (median) | runs | coopgraph/oxigraph |",
            "|---|---:|---|---:|",
        ]
        for name, what in (("coopgraph", "coopgraph dataset"), (GRAPH_LOAD, "coopgraph one graph")):
            if load.get(name):
                co = statistics.median(load[name])
                out.append(
                    f"| {what} | {co:.1f} | {', '.join(f'{x:.1f}' for x in load[name])} "
                    f"| {fmt_ratio(co / ox_)} |"
                )
        out.append(f"| oxigraph load | {ox_:.1f} | {', '.join(f'{x:.1f}' for x in load['oxigraph'])} | - |")
    out += [
        "",
        "Row counts that differ: coopgraph cuts SELECT answers at `COOPGRAPH_MAX_ROWS` (10,000) "
        "rows by design; rdflib-endpoint returns fewer rows on some queries and fails on others "
        "(`error 400`: its messages are in `bench/output/results.json`).",
        "",
    ]
    out += targets_section(results, loads, args)
    out.append("")
    out += network_section()
    return "\n".join(out)


def _speedup(peer: Timing, ours: float | None) -> float | None:
    """How many times faster ``ours`` is than a peer's timing (infinite past the peer's timeout)."""
    if peer.error == TIMEOUT:
        return float("inf") if ours else None
    return ratio(peer.median, ours) if peer.error is None else None


def targets_section(results: list[SizeResult], loads_compared: Loads, args: argparse.Namespace) -> list[str]:
    """The table of targets, each with what the runs measured and a verdict."""
    rows: list[tuple[str, str, str, bool | None]] = []
    at = next((r for r in results if r.label == "100k"), results[-1] if results else None)
    if at is not None:
        pairs = {
            k: (t["coopgraph"].median, t["oxigraph"].median)
            for k, t in at.queries.items()
            if "coopgraph" in t and "oxigraph" in t
        }
        heavy = {k: ratio(c, o) for k, (c, o) in pairs.items() if o is not None and o >= 10}
        over = {k: m for k, m in heavy.items() if m is None or m > 1.5}
        worst = max((m for m in heavy.values() if m is not None), default=None)
        rows.append(
            (
                f"new query, ≥ 10 ms on Oxigraph ({at.label})",
                "median ≤ 1.5x, every query",
                f"{len(heavy) - len(over)} of {len(heavy)} hold, worst {fmt_ratio(worst)}"
                + ("; over: " + ", ".join(f"{k} {fmt_ratio(m)}" for k, m in over.items()) if over else ""),
                not over if heavy else None,
            )
        )
        quick = {k: c - o for k, (c, o) in pairs.items() if c is not None and o is not None and o < 10}
        slow = {k: a for k, a in quick.items() if a > 1.0}
        rows.append(
            (
                f"new query, < 10 ms on Oxigraph ({at.label})",
                "median added time ≤ 1.0 ms, every query",
                f"{len(quick) - len(slow)} of {len(quick)} hold; median added "
                f"{statistics.median(quick.values()):.2f} ms, worst {max(quick.values()):.2f} ms"
                + ("; over: " + ", ".join(f"{k} +{a:.2f} ms" for k, a in slow.items()) if slow else "")
                if quick
                else "-",
                not slow if quick else None,
            )
        )
        repeated = [
            m
            for t in at.repeated.values()
            if (m := ratio(t.get("coopgraph", Timing()).median, t.get("oxigraph", Timing()).median))
            is not None
        ]
        if repeated:
            mean, top = statistics.geometric_mean(repeated), max(repeated)
            rows.append(
                (
                    f"repeated query ({at.label})",
                    "geometric mean ≤ 0.5x, every query ≤ 1.0x",
                    f"geometric mean {mean:.2f}x, worst {top:.2f}x over {len(repeated)} queries",
                    mean <= 0.5 and top <= 1.0,
                )
            )
        else:
            rows.append(
                (f"repeated query ({at.label})", "geometric mean ≤ 0.5x, every ≤ 1.0x", "not run", None)
            )
        for kind, table, goal in ((REPEATED, at.throughput, 1.0), (NEW, at.throughput_new, 0.3)):
            coop = table.get("coopgraph", {}).get("rps")
            oxr = table.get("oxigraph", {}).get("rps")
            failed = table.get("coopgraph", {}).get("non_2xx", 0)
            value = ratio(coop, oxr)
            rows.append(
                (
                    f"throughput of {'a repeated' if kind == REPEATED else 'new (distinct texts)'} "
                    f"cheap quer{'y' if kind == REPEATED else 'ies'}, 8 connections ({at.label})",
                    f"≥ {goal:.1f}x Oxigraph server's",
                    f"{fmt_ratio(value)} ({coop or '-'} / {oxr or '-'} req/s)"
                    + (f"; coopgraph answered {failed:,} requests with an error" if failed else ""),
                    None if value is None else value >= goal and not failed,
                )
            )
        aggregates = {
            k: t for k, t in at.queries.items() if at.kinds.get(k) == "aggregate" and "rdflib-endpoint" in t
        }
        bound = {}
        for k, t in aggregates.items():
            engine = _speedup(t["rdflib-endpoint"], t["oxigraph"].median)
            if engine is not None and engine >= 25:
                bound[k] = _speedup(t["rdflib-endpoint"], t["coopgraph"].median)
        weak = {k: v for k, v in bound.items() if v is None or v < 20}
        rows.append(
            (
                f"aggregates against rdflib-endpoint ({at.label})",
                "≥ 20x wherever Oxigraph server reaches 25x",
                f"{len(bound) - len(weak)} of {len(bound)} hold (of {len(aggregates)} aggregates)"
                + ("; under: " + ", ".join(f"{k} {fmt_ratio(v)}" for k, v in weak.items()) if weak else ""),
                not weak if bound else None,
            )
        )
    loads: dict[str, tuple[float, float, str]] = {}
    for r in results:
        if r.quads >= 900_000 and r.load.get("coopgraph") and r.load.get("oxigraph"):
            loads[r.label] = (r.load["coopgraph"], r.load["oxigraph"], "1 run")
    one_graph: dict[str, tuple[float, float, str]] = {}
    for label, load in loads_compared.items():
        co, ox_ = statistics.median(load["coopgraph"]), statistics.median(load["oxigraph"])
        loads[label] = (co, ox_, f"median of {len(load['coopgraph'])}")
        if load.get(GRAPH_LOAD):
            one = statistics.median(load[GRAPH_LOAD])
            one_graph[label] = (one, ox_, f"median of {len(load[GRAPH_LOAD])}")
    for label in ("1M", "10M"):
        for what, table in (("dataset", loads), ("one graph", one_graph)):
            if label in table:
                co, ox_, runs = table[label]
                rows.append(
                    (
                        f"{label} load ({what})",
                        "≤ 1.2x `oxigraph load`",
                        f"{fmt_ratio(co / ox_)} ({co:.1f} s / {ox_:.1f} s, {runs})",
                        co <= 1.2 * ox_,
                    )
                )
            elif what == "dataset":
                rows.append((f"{label} load", "≤ 1.2x `oxigraph load`", "not run", None))
    seen = [c for r in results for c in r.cache if "coopgraph_cache_bytes" in c]
    if seen:
        top = max(seen, key=lambda c: c["coopgraph_cache_bytes"])
        capacity = top.get("coopgraph_cache_capacity_bytes", 0)
        rows.append(
            (
                "cache memory",
                "never above `COOPGRAPH_CACHE_BYTES`",
                f"at most {top['coopgraph_cache_bytes'] / 2**20:.2f} MiB counted "
                f"({top.get('coopgraph_cache_entries', 0):.0f} answers) of {capacity / 2**20:.0f} MiB, "
                f"read from `/metrics` after each part of the run ({len(seen)} readings); the count is "
                "checked against the memory held (tracemalloc) in `tests/protocol/test_cache.py`",
                all(c["coopgraph_cache_bytes"] <= c.get("coopgraph_cache_capacity_bytes", 0) for c in seen),
            )
        )
    else:
        rows.append(("cache memory", "never above `COOPGRAPH_CACHE_BYTES`", "not measured", None))
    out = ["## Targets", "", "| figure | target | measured | verdict |", "|---|---|---|---|"]
    out += [f"| {figure} | {goal} | {value} | {verdict(ok)} |" for figure, goal, value, ok in rows]
    return out


def network_section() -> list[str]:
    """The network-analysis benchmark (``bench/network_bench.py``), included from its own report
    so that this file holds every benchmark's figures."""
    path = HERE / "RESULTS-network.md"
    if not path.exists():
        return []
    body = path.read_text("utf-8").split("\n", 1)[1] if "\n" in path.read_text("utf-8") else ""
    lines = ["## Network analysis: NetworkX against igraph", ""]
    # demote the included report's headings by one level
    lines += ["#" + line if line.startswith("#") else line for line in body.strip().splitlines()]
    lines.append("")
    return lines


# -- the run ---------------------------------------------------------------------------------
@dataclass
class SizeResult:
    label: str
    quads: int
    queries: dict[str, dict[str, Timing]]
    kinds: dict[str, str]
    startup: dict[str, float]
    load: dict[str, float]
    throughput: dict[str, dict[str, Any]] = field(default_factory=dict)
    worker: dict[str, dict[str, float]] = field(default_factory=dict)
    repeated: dict[str, dict[str, Timing]] = field(default_factory=dict)
    throughput_new: dict[str, dict[str, Any]] = field(default_factory=dict)
    memory: dict[str, dict[str, int]] = field(default_factory=dict)
    cache: list[dict[str, float]] = field(default_factory=list)
    """coopgraph's result cache (``/metrics``) after each part of the run."""


def size_result(raw: dict[str, Any]) -> SizeResult:
    """A :class:`SizeResult` read back from ``results.json``."""
    queries = {k: {name: Timing(**t) for name, t in v.items()} for k, v in raw["queries"].items()}
    repeated = {k: {name: Timing(**t) for name, t in v.items()} for k, v in raw.get("repeated", {}).items()}
    return SizeResult(**{**raw, "queries": queries, "repeated": repeated})


def size_label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else f"{n // 1000}k"


def label_size(label: str) -> int:
    """The size a label of :func:`size_label` names.

    >>> label_size("10M"), label_size("100k")
    (10000000, 100000)
    """
    return int(label[:-1]) * (1_000_000 if label.endswith("M") else 1000)


def data_file(n: int) -> Path:
    """The generated ``n``-triple file, made only when it is not there yet."""
    data = WORK / f"cg-{size_label(n).lower()}.nq"
    return data if data.exists() else generate_data(n)


def side_run_arguments(description: str, out: Path, reps: int, warmup: int) -> argparse.ArgumentParser:
    """The options of a run beside this one (``minimal.py``, ``floor.py``): size, runs, cap, report."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--size", default="100k")
    parser.add_argument("--reps", type=int, default=reps)
    parser.add_argument("--warmup", type=int, default=warmup)
    parser.add_argument("--cap", type=float, default=60.0, help="seconds before a query is a timeout")
    parser.add_argument("--out", type=Path, default=out)
    return parser


def generate_data(n: int) -> Path:
    sys.path.insert(0, str(HERE))
    import generate

    out = WORK / f"cg-{size_label(n).lower()}.nq"
    count, digest = generate.write(n, out)
    print(f"{out.name}: {count} quads (sha256 {digest[:12]})", file=sys.stderr)
    return out


def count_lines(path: Path) -> int:
    """Lines of a file: the quads of an N-Quads file."""
    with open(path, "rb") as lines:
        return sum(1 for _ in lines)


def run_size(n: int, args: argparse.Namespace, queries: list[BenchQuery], wrk: str | None) -> SizeResult:
    data = generate_data(n)
    quads = count_lines(data)
    with_rdflib = "rdflib-endpoint" in args.servers and n <= args.rdflib_max
    servers: list[Server] = []
    load: dict[str, float] = {}
    startup: dict[str, float] = {}
    result = SizeResult(
        size_label(n), quads, {}, {q.name + "@" + q.suite: q.kind for q in queries}, startup, load
    )
    with tempfile.TemporaryDirectory(prefix="coopgraph-bench-", dir=WORK) as tmp:
        folder = Path(tmp)
        try:
            server, load["coopgraph"] = coopgraph_server(
                data, folder / "coopgraph", free_port(), args.rdflib_timeout
            )
            servers.append(server)
            server, load["oxigraph"] = oxigraph_server(data, folder, free_port())
            servers.append(server)
            if with_rdflib:
                servers.append(rdflib_server(data, folder, free_port()))
            for server in servers:
                print(f"starting {server.name}", file=sys.stderr, flush=True)
                server.start()
                startup[server.name] = server.started_in
            print(
                f"{result.label}: {len(queries)} queries on {', '.join(s.name for s in servers)}",
                file=sys.stderr,
            )
            cap = args.rdflib_timeout
            result.queries = measure(servers, queries, args.warmup, args.reps, cap)
            result.cache.append(cache_figures(servers[0]))
            pair = [s for s in servers if s.name in ("coopgraph", "oxigraph")]
            result.repeated = measure(pair, queries, args.warmup, args.reps, cap, kind=REPEATED)
            result.cache.append(cache_figures(servers[0]))
            if wrk and result.label in args.throughput_at:
                cheap = next(q for q in queries if q.name == args.cheap_query and q.suite == "bench")
                for server in servers:
                    result.throughput[server.name] = throughput(
                        wrk, server, cheap.text, folder, args.wrk_seconds, REPEATED
                    )
                    if server.name in ("coopgraph", "oxigraph"):
                        result.throughput_new[server.name] = throughput(
                            wrk, server, cheap.text, folder, args.wrk_seconds, NEW
                        )
                    print(
                        f"  throughput {server.name}: repeated {result.throughput[server.name]['rps']} "
                        f"req/s, new {result.throughput_new.get(server.name, {}).get('rps')} req/s",
                        file=sys.stderr,
                    )
            result.cache.append(cache_figures(servers[0]))
            for server in servers:
                result.memory[server.name] = peak_rss(server)
        finally:
            for server in servers:
                server.stop()
        if result.label in args.throughput_at:
            bench_set = [q for q in queries if q.suite == "bench"]
            store_path = Settings(project_dir=folder / "coopgraph").store_path
            result.worker = worker_overhead(
                store_path, bench_set, args.warmup, args.reps, args.rdflib_timeout
            )
    return result


def triples_file(data: Path) -> Path:
    """The triples of the N-Quads file ``data`` as N-Triples (made once, beside it)."""
    import pyoxigraph as ox

    out = data.with_suffix(".nt")
    if not out.exists() or out.stat().st_mtime < data.stat().st_mtime:
        partial = out.with_suffix(".nt.partial")
        quads = ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS)
        ox.serialize((q.triple for q in quads), str(partial), ox.RdfFormat.N_TRIPLES)
        partial.replace(out)
    return out


def graph_load(triples: Path, folder: Path) -> float:
    """Seconds of :meth:`EmbeddedStore.bulk_load` of a file of triples into one new graph (what
    ``coopgraph load FILE`` does, without validation), and the flush."""
    from coopgraph.store import EmbeddedStore

    store = EmbeddedStore(folder)
    start = time.perf_counter()
    store.bulk_load("https://w3id.org/coopgraph/graph/bench", triples)
    store.flush()
    seconds = time.perf_counter() - start
    store.close()
    return seconds


def load_comparison(n: int, repeats: int) -> dict[str, list[float]]:
    """Seconds to load the ``n``-triple file: coopgraph's dataset load of the N-Quads, its bulk
    load of the same triples as N-Triples into one graph, and ``oxigraph load`` of the N-Quads."""
    data = data_file(n)
    triples = triples_file(data)
    times: dict[str, list[float]] = {"coopgraph": [], GRAPH_LOAD: [], "oxigraph": []}
    for _ in range(repeats):
        with tempfile.TemporaryDirectory(prefix="coopgraph-load-", dir=WORK) as tmp:
            times["oxigraph"].append(oxigraph_load(data, Path(tmp) / "oxigraph"))
            times["coopgraph"].append(prepare_coopgraph(data, Path(tmp) / "coopgraph")[1])
            times[GRAPH_LOAD].append(graph_load(triples, Path(tmp) / "graph"))
        print(
            f"load {size_label(n)}: coopgraph dataset {times['coopgraph'][-1]:.1f} s, one graph "
            f"{times[GRAPH_LOAD][-1]:.1f} s, oxigraph {times['oxigraph'][-1]:.1f} s",
            file=sys.stderr,
        )
    return times


def machine() -> dict[str, str]:
    mem = Path("/proc/meminfo").read_text().split("\n")[0].split()[1]
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    versions = {}
    for package in ("pyoxigraph", "rdflib", "rdflib-endpoint", "coopgraph"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            versions[package] = importlib.metadata.version(package)
    server = subprocess.run(
        [str(BIN / "oxigraph"), "--version"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": str(os.cpu_count()),
        "memory": f"{int(mem) / 1024 / 1024:.1f} GiB",
        "cpu": cpu,
        "python": platform.python_version(),
        "versions": ", ".join(f"{k} {v}" for k, v in versions.items()) + f", {server}",
    }


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(HERE))
    from generate import parse_size

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M", help="comma-separated sizes (10k,100k,1M)")
    parser.add_argument(
        "--quick", action="store_true", help="fewer repetitions, bench queries only, short wrk runs"
    )
    parser.add_argument(
        "--reps", type=int, default=None, help="measured repetitions per query (default 7, quick 3)"
    )
    parser.add_argument(
        "--warmup", type=int, default=None, help="warm-up runs per query (default 2, quick 1)"
    )
    parser.add_argument("--servers", default="coopgraph,oxigraph,rdflib-endpoint")
    parser.add_argument(
        "--rdflib-max", type=parse_size, default=100_000, help="largest size rdflib-endpoint is run at"
    )
    parser.add_argument(
        "--rdflib-timeout", type=float, default=60.0, help="seconds before a query is a timeout"
    )
    parser.add_argument("--throughput-at", default="100k", help="sizes at which wrk runs")
    parser.add_argument("--cheap-query", default="actor-profile")
    parser.add_argument("--wrk-seconds", type=int, default=None)
    parser.add_argument(
        "--load-size", default="1M", help="comma-separated sizes of the load comparison ('' to skip)"
    )
    parser.add_argument("--load-repeats", type=int, default=None)
    parser.add_argument("--only-bench-queries", action="store_true")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--report-only", action="store_true", help="rewrite RESULTS.md from bench/output/results.json"
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the other sizes (and the load comparison, when none is run) of "
        "bench/output/results.json and add this run's: e.g. a later --sizes 10M",
    )
    args = parser.parse_args(argv)
    # a run ended with SIGTERM stops its servers too (the finally blocks run on SystemExit)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    args.reps = args.reps or (3 if args.quick else 7)
    args.warmup = args.warmup if args.warmup is not None else (1 if args.quick else 2)
    args.wrk_seconds = args.wrk_seconds or (5 if args.quick else 15)
    args.load_repeats = args.load_repeats or (1 if args.quick else 3)
    args.servers = args.servers.split(",")
    args.throughput_at = args.throughput_at.split(",")
    sizes = [parse_size(s) for s in args.sizes.split(",") if s]

    if args.report_only:
        raw = json.loads((WORK / "results.json").read_text("utf-8"))
        for key in ("reps", "warmup", "wrk_seconds", "rdflib_timeout", "cheap_query", "load_size"):
            setattr(args, key, type(getattr(args, key))(raw["args"][key]))
        results = [size_result(r) for r in raw["sizes"]]
        runs = raw.get("runs") or [legacy_run(raw)]
        args.out.write_text(write_report(raw["machine"], results, saved_loads(raw), args, runs), "utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
        return 0
    WORK.mkdir(exist_ok=True)
    queries = load_queries(args.only_bench_queries or args.quick)
    wrk = ensure_wrk()
    info = machine()
    results = [run_size(n, args, queries, wrk) for n in sizes]
    loads: Loads = {
        size_label(n): load_comparison(n, args.load_repeats)
        for n in (parse_size(s) for s in args.load_size.split(",") if s)
    }
    runs = [this_run(info, args, results, loads)]
    if args.merge and (WORK / "results.json").exists():
        earlier = json.loads((WORK / "results.json").read_text("utf-8"))
        done = {r.label for r in results}
        kept = [size_result(r) for r in earlier["sizes"] if r["label"] not in done]
        results = sorted(kept + results, key=lambda r: r.quads)
        loads = {**saved_loads(earlier), **loads}
        runs = merge_runs(earlier.get("runs") or [legacy_run(earlier)], runs[0])
    raw = {
        "machine": info,
        "args": {k: str(v) for k, v in vars(args).items()},
        "sizes": [asdict(r) for r in results],
        "loads": loads,
        "argv": sys.argv[1:],
        "runs": runs,
    }
    (WORK / "results.json").write_text(json.dumps(raw, indent=1, default=str), "utf-8")
    args.out.write_text(write_report(info, results, loads, args, runs), "utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
