"""Benchmark coopgraph over Virtuoso against Virtuoso itself, on the same generated data.

One run: the generated graph (``bench/generate.py``, 1M triples by default) is bulk-loaded into a
new Virtuoso database (timed); then every query of ``bench/queries/`` and every public named
query is sent, each time as a text not seen before, to Virtuoso's own ``/sparql`` and to
``coopgraph serve`` configured with that endpoint (``COOPGRAPH_SPARQL_ENDPOINT``), in turns
(``run.measure``). The report gives medians, their ratio, the row counts of both (they must be
equal) and the peak resident memory (``VmHWM``) of each server's processes.

It writes ``bench/RESULTS-virtuoso.md`` and the raw figures to
``bench/output/results-virtuoso.json``. Every server listens on loopback only and is stopped at
the end.

Usage::

    python bench/virtuoso.py                 # 1M triples
    python bench/virtuoso.py --sizes 100k --quick
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import sys
import time
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import run  # noqa: E402 - the benchmark's helpers, beside this file
from coopgraph.config import Settings  # noqa: E402
from support.processes import (  # noqa: E402 - the tests' way to start Virtuoso
    VIRTUOSO,
    VIRTUOSO_PASSWORD,
    VIRTUOSO_USER,
    Virtuoso,
    virtuoso_server,
)

RESULTS = HERE / "RESULTS-virtuoso.md"
RAW = run.WORK / "results-virtuoso.json"
SIZES = {"100k": 100_000, "1M": 1_000_000}


class VirtuosoDirect(run.Server):
    """Virtuoso's own endpoint, as ``run.measure`` sees a server: started and stopped elsewhere.

    Its ``MaxQueryExecutionTime`` ends a query the client gave up on, so it needs no restart.
    """

    def restart(self) -> None:
        pass


def peak_rss_kib(pid: int) -> int:
    """Peak resident memory (KiB) of a process and its children still running."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for one in pids:
        status = Path(f"/proc/{one}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1])
    return total


def virtuoso_pid(server: Virtuoso) -> int:
    return int((server.location / "virtuoso.lck").read_text().split("=")[-1].strip())


def coopgraph_over(server: Virtuoso, folder: Path, port: int, cap: float) -> run.Server:
    """``coopgraph serve`` over ``server``: a project with the queries and no data of its own, so
    that the service serves what Virtuoso holds."""
    for name in ("ontology", "shapes", "data"):
        (folder / name).mkdir(parents=True, exist_ok=True)
    (folder / "queries").symlink_to(Settings().queries_dir)
    env = {
        **os.environ,
        "COOPGRAPH_PROJECT_DIR": str(folder),
        "COOPGRAPH_SPARQL_ENDPOINT": server.sparql,
        "COOPGRAPH_SPARQL_UPDATE_ENDPOINT": server.sparql_auth,
        "COOPGRAPH_SPARQL_GRAPH_STORE": server.graph_store,
        "COOPGRAPH_SPARQL_USER": VIRTUOSO_USER,
        "COOPGRAPH_SPARQL_PASSWORD": VIRTUOSO_PASSWORD,
        "COOPGRAPH_QUERY_TIMEOUT": str(cap),
        "COOPGRAPH_REMOTE_TIMEOUT": str(cap + 5),
        "COOPGRAPH_PUBLISH_ANALYSIS": "false",
    }
    command = [str(run.BIN / "coopgraph"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    return run.Server("coopgraph", f"http://127.0.0.1:{port}/sparql", command, env, folder / "server.log")


def run_size(n: int, args: argparse.Namespace, queries: list[run.BenchQuery]) -> dict[str, object]:
    data = run.data_file(n)
    triples = run.count_lines(data)
    folder = run.WORK / f"virtuoso-{run.size_label(n).lower()}"
    if folder.exists():
        shutil.rmtree(folder)
    location = folder / "db"
    with virtuoso_server(location, buffers=args.buffers, query_seconds=int(args.cap) + 5) as server:
        target = location / data.name
        try:
            os.link(data, target)
        except OSError:
            shutil.copy(data, target)
        start = time.perf_counter()
        server.load_file(target, "https://w3id.org/coopgraph/graph/bench")
        load_seconds = time.perf_counter() - start
        target.unlink()
        direct = VirtuosoDirect("virtuoso", server.sparql, [])
        coop = coopgraph_over(server, folder / "project", run.free_port(), args.cap)
        coop.start()
        try:
            timings = run.measure([direct, coop], queries, args.warmup, args.reps, args.cap, run.NEW)
            memory = {"virtuoso": peak_rss_kib(virtuoso_pid(server))}
            assert coop.process is not None
            memory["coopgraph"] = peak_rss_kib(coop.process.pid)
        finally:
            coop.stop()
    return {
        "size": run.size_label(n),
        "triples": triples,
        "virtuoso_load_s": load_seconds,
        "peak_rss_kib": memory,
        "timings": {k: {s: asdict(t) for s, t in v.items()} for k, v in timings.items()},
    }


def write_report(sizes: list[dict[str, object]], args: argparse.Namespace) -> None:
    info = run.machine()
    out = [
        "# coopgraph over Virtuoso, against Virtuoso direct",
        "",
        f"Generated by `python bench/virtuoso.py` on {dt.date.today().isoformat()}; "
        + ", ".join(f"{k}: {v}" for k, v in info.items())
        + f". Medians of {args.reps} runs after {args.warmup} warm-up, each request a text not seen "
        "before; ratio = coopgraph / Virtuoso; rows: Virtuoso / coopgraph.",
        "",
    ]
    for size in sizes:
        memory = size["peak_rss_kib"]
        assert isinstance(memory, dict)
        out += [
            f"## {size['size']} ({size['triples']:,} triples)",
            "",
            f"- Virtuoso bulk load (`ld_dir` + `rdf_loader_run`): {size['virtuoso_load_s']:.1f} s",
            f"- peak resident memory: Virtuoso {memory['virtuoso'] / 1024:.0f} MiB, "
            f"coopgraph (service and its children) {memory['coopgraph'] / 1024:.0f} MiB",
            "",
            "| query | Virtuoso ms | coopgraph ms | ratio | added ms | rows |",
            "|---|---:|---:|---:|---:|---|",
        ]
        ratios, added = [], []
        timings = size["timings"]
        assert isinstance(timings, dict)
        for key, by_server in timings.items():
            v, c = by_server["virtuoso"], by_server["coopgraph"]
            vm = statistics.median(v["times"]) if v["times"] and not v["error"] else None
            cm = statistics.median(c["times"]) if c["times"] and not c["error"] else None
            r = run.ratio(cm, vm)
            if r is not None and vm is not None and cm is not None:
                ratios.append(r)
                added.append(cm - vm)
            rows = "-" if v["rows"] is None and c["rows"] is None else f"{v['rows']} / {c['rows']}"
            rows += "" if v["rows"] == c["rows"] else " **differ**"
            v_error, c_error = run.short_error(v["error"]), run.short_error(c["error"])
            out.append(
                f"| {key} | {run.fmt_ms(vm, v_error)} | {run.fmt_ms(cm, c_error)} | "
                f"{run.fmt_ratio(r)} | {'' if vm is None or cm is None else f'{cm - vm:.2f}'} | {rows} |"
            )
        if ratios:
            out += [
                "",
                f"Geometric mean of the ratios: {statistics.geometric_mean(ratios):.2f}x over "
                f"{len(ratios)} queries; median added time {statistics.median(added):.2f} ms.",
            ]
        out.append("")
    RESULTS.write_text("\n".join(out))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1M", help="comma-separated, of: " + ", ".join(SIZES))
    parser.add_argument("--quick", action="store_true", help="fewer runs (2 warm-up, 5 timed)")
    parser.add_argument("--cap", type=float, default=30.0, help="seconds a query may take")
    parser.add_argument("--report", action="store_true", help="rewrite the report from the last raw figures")
    parser.add_argument("--buffers", type=int, default=100_000, help="Virtuoso's 8 KiB buffers")
    args = parser.parse_args(argv)
    args.warmup, args.reps = (2, 5) if args.quick else (3, 15)
    if args.report:
        write_report(json.loads(RAW.read_text()), args)
        return 0
    if VIRTUOSO is None:
        print("virtuoso-t is missing: make virtuoso (as root) installs it", file=sys.stderr)
        return 2
    run.WORK.mkdir(exist_ok=True)
    queries = run.load_queries(only_bench=False)
    sizes = [run_size(SIZES[s.strip()], args, queries) for s in args.sizes.split(",")]
    RAW.write_text(json.dumps(sizes, indent=1))
    write_report(sizes, args)
    print(f"wrote {RESULTS}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
