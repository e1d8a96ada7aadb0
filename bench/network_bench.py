"""Benchmark of the network analysis on synthetic co-participation networks.

Usage::

    .venv/bin/python bench/network_bench.py [--sizes 1000 10000 100000] [--timeout 60]
        [--reference-max 10000] [--accuracy-sizes 10000] [--exact-timeout 900]

For each size ``n``, a seeded generator makes a cooperation graph: ``n`` activities of 2-5
participants each; activity ``j`` has actor ``j`` and 1-4 others drawn with a Zipf-like skew
(a few actors take part in very many activities, most in one or two). The graph is written as N-Triples,
loaded into an in-memory store and projected with coopgraph's own queries and code. Then:

* every measure of the co-participation network is timed as coopgraph computes it (the
  function the API calls, with its defaults: exact where that is affordable, sampled above), with
  NetworkX alone (up to ``--reference-max`` actors: above, every path-based one misses the cap)
  and with igraph's own function on the same graph; each measurement runs in a forked child
  process and is stopped after ``--timeout`` seconds (reported as ``skipped: > N s``); the table
  says whether coopgraph's time is within the cap and, for an estimate, its sample;
* the two-mode measures of the bipartite actor-activity network are timed the same way;
* at the ``--accuracy-sizes``, every measure that is sampled at some size is computed both ways
  on the same network (exact, and the estimate coopgraph gives above its exact limit, forced):
  their times, Spearman's rank correlation and the overlap of their top 100 nodes;
* the library call behind ``GET /network/co-participation/centrality`` is timed uncached (SPARQL,
  projection and measure) and repeated (answered from the cache).

The tables are written to ``bench/RESULTS-network.md``; a section of that file headed
``## Before and after`` (written by hand from two runs) is kept as it is.
"""

from __future__ import annotations

import argparse
import itertools
import multiprocessing as mp
import platform
import queue as queue_module
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import igraph
import networkx as nx
from scipy.stats import spearmanr

from coopgraph.config import Settings
from coopgraph.namespaces import CG, GRAPH_BASE, ONTOLOGY_GRAPH, RDF, RDFS, resource_iri
from coopgraph.network import analysis, brokerage, centrality, communities, measures, twomode
from coopgraph.network.filters import Filters
from coopgraph.network.projections import project
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore

RESULTS = Path(__file__).with_name("RESULTS-network.md")
SEED = 2005
KEPT_SECTION = "## Before and after"
TOP = 100
"""Size of the top lists whose overlap the accuracy table reports."""


def generate(n_actors: int, seed: int = SEED) -> str:
    """N-Triples of a synthetic cooperation graph with ``n_actors`` actors (seeded, skewed)."""
    rng = random.Random(seed)
    # cumulative once: choices(weights=...) would add them up again on every call, n times
    cumulative = list(itertools.accumulate(1.0 / (rank**0.9) for rank in range(1, n_actors + 1)))
    kinds = [CG.Country, CG.Organisation, CG.Person]
    lines: list[str] = []
    actors = [resource_iri("organisation", f"synthetic-{i}") for i in range(n_actors)]
    for i, actor in enumerate(actors):
        kind = kinds[0] if i < 200 else kinds[1 + (i % 2)]
        lines.append(f"<{actor}> <{RDF.type}> <{kind}> .")
        lines.append(f'<{actor}> <{RDFS.label}> "Actor {i}"@en .')
    # one activity per actor, so every actor takes part in something; its other 1-4
    # participants are drawn with the skew
    for j in range(n_actors):
        activity = resource_iri("project", f"synthetic-{j}")
        lines.append(f"<{activity}> <{RDF.type}> <{CG.Project}> .")
        lines.append(f'<{activity}> <{RDFS.label}> "Project {j}"@en .')
        lines.append(
            f'<{activity}> <{CG.startDate}> "{2000 + j % 20}"^^<http://www.w3.org/2001/XMLSchema#gYear> .'
        )
        size = rng.randint(2, 5)
        members = {j}
        while len(members) < size:
            members.update(rng.choices(range(n_actors), cum_weights=cumulative, k=size - len(members)))
        for m in members:
            lines.append(f"<{activity}> <{CG.hasParticipant}> <{actors[m]}> .")
    return "\n".join(lines) + "\n"


def load(n_actors: int, folder: Path) -> tuple[EmbeddedStore, QueryCatalogue, float]:
    settings = Settings(in_memory=True)
    store = EmbeddedStore(None)
    store.replace_graph(str(ONTOLOGY_GRAPH), sorted(settings.ontology_dir.glob("*.ttl")))
    path = folder / f"synthetic-{n_actors}.nt"
    path.write_text(generate(n_actors), "utf-8")
    start = time.perf_counter()
    store.replace_graph(GRAPH_BASE + f"synthetic-{n_actors}", [path])
    return store, QueryCatalogue(settings.queries_dir), time.perf_counter() - start


# -- the measures, three ways ----------------------------------------------------------------
_GRAPHS: dict[str, Any] = {}
"""The networks the forked children read: ``co`` and ``bipartite`` (NetworkX), ``ig`` (igraph)."""


def _ig_betweenness(g: Any) -> Any:
    n = g.vcount()
    if n <= centrality.EXACT_BETWEENNESS_MAX_NODES:
        return g.betweenness(directed=False)
    sources = random.Random(1).sample(range(n), centrality.BETWEENNESS_SAMPLES)
    return g.betweenness(directed=False, sources=sources)


Row = tuple[str, Callable[[Any], Any], Callable[[Any], Any] | None, Callable[[Any], Any] | None]

MEASURES: list[Row] = [
    # name, coopgraph, NetworkX alone, igraph alone
    ("degree", centrality.degree, lambda g: dict(g.degree()), lambda g: g.degree()),
    (
        "strength",
        centrality.strength,
        lambda g: dict(g.degree(weight="weight")),
        lambda g: g.strength(weights="weight"),
    ),
    (
        "betweenness",
        centrality.betweenness,
        lambda g: centrality.betweenness(g, backend="networkx"),
        _ig_betweenness,
    ),
    ("closeness", centrality.closeness, lambda g: nx.closeness_centrality(g), lambda g: g.closeness()),
    ("harmonic", centrality.harmonic, lambda g: nx.harmonic_centrality(g), lambda g: g.harmonic_centrality()),
    (
        "eigenvector",
        centrality.eigenvector,
        lambda g: centrality.eigenvector(g, backend="networkx"),
        lambda g: g.eigenvector_centrality(scale=False),
    ),
    ("pagerank", centrality.pagerank, None, lambda g: g.pagerank(weights="weight")),
    ("core-number", centrality.core_number, lambda g: nx.core_number(g), lambda g: g.coreness()),
    ("constraint", brokerage.constraint, lambda g: nx.constraint(g), lambda g: g.constraint()),
    ("effective-size", brokerage.effective_size, lambda g: nx.effective_size(g), None),
    (
        "community",
        communities.louvain,
        lambda g: communities.louvain(g, backend="networkx"),
        lambda g: g.community_multilevel(weights="weight"),
    ),
]
"""``None`` for NetworkX alone: coopgraph's function is NetworkX already (same time)."""

TWO_MODE: list[tuple[str, Callable[[Any], Any]]] = [
    ("degree", twomode.degree),
    ("betweenness", twomode.betweenness),
    ("closeness", twomode.closeness),
]
"""The two-mode measures of the bipartite network, as coopgraph computes them."""

_HUGE = 10**12
ACCURACY: list[tuple[str, str, Callable[[Any], Any], Callable[[Any], Any]]] = [
    # name, network, exact, the estimate coopgraph gives above its exact limit (forced)
    (
        "betweenness",
        "co",
        lambda g: centrality.betweenness(g, exact_max_nodes=_HUGE),
        lambda g: centrality.betweenness(g, exact_max_nodes=0),
    ),
    (
        "closeness",
        "co",
        lambda g: centrality.closeness(g, exact_max_nodes=_HUGE),
        lambda g: centrality.closeness(g, exact_max_nodes=0),
    ),
    (
        "harmonic",
        "co",
        lambda g: centrality.harmonic(g, exact_max_nodes=_HUGE),
        lambda g: centrality.harmonic(g, exact_max_nodes=0),
    ),
    (
        "two-mode betweenness",
        "bipartite",
        lambda g: twomode.betweenness(g, exact_max_nodes=_HUGE),
        lambda g: twomode.betweenness(g, exact_max_nodes=0),
    ),
    (
        "two-mode closeness",
        "bipartite",
        lambda g: twomode.closeness(g, exact_max_nodes=_HUGE),
        lambda g: twomode.closeness(g, exact_max_nodes=0),
    ),
]
"""The sampled measures, exact and estimated on the same network."""


def _child(fn: Callable[[Any], Any], network: str, queue: Any, keep: bool) -> None:
    g = _GRAPHS[network]
    start = time.perf_counter()
    values = fn(g)
    elapsed = time.perf_counter() - start
    queue.put((elapsed, [values[v] for v in g] if keep else None))


def measured(fn: Callable[[Any], Any], network: str, timeout: float, keep: bool = False) -> tuple[str, Any]:
    """Seconds ``fn`` takes on ``network`` in a forked child (or ``skipped: > timeout s``), and
    its values in node order when ``keep``."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, network, queue, keep))
    proc.start()
    deadline = time.monotonic() + timeout
    # the values travel through the queue: read them before joining, or a large put blocks
    while True:
        try:
            elapsed, values = queue.get(timeout=0.5)
            break
        except queue_module.Empty:
            if not proc.is_alive() and queue.empty():
                proc.join()
                return f"failed (exit {proc.exitcode})", None
            if time.monotonic() > deadline:
                proc.kill()
                proc.join()
                return f"skipped: > {timeout:g} s", None
    proc.join()
    return f"{elapsed:.4f}", values


def timed(fn: Callable[[Any], Any] | None, network: str, timeout: float) -> str:
    """Seconds ``fn`` takes in a forked child, ``=`` for no function."""
    return "=" if fn is None else measured(fn, network, timeout)[0]


def ratio(a: str, b: str) -> str:
    try:
        return f"{float(a) / float(b):.1f}x"
    except (ValueError, ZeroDivisionError):
        return ""


def within(t: str, cap: float) -> str:
    try:
        return "yes" if float(t) <= cap else "no"
    except ValueError:
        return "no"


def sample_text(sample: centrality.Sample | None) -> str:
    return "none" if sample is None else f"{sample.size:,} sources, seed {sample.seed}"


def top_overlap(exact: list[float], estimate: list[float], top: int = TOP) -> str:
    order = range(len(exact))
    best = set(sorted(order, key=lambda i: -exact[i])[:top])
    guess = set(sorted(order, key=lambda i: -estimate[i])[:top])
    return f"{len(best & guess)}/{min(top, len(exact))}"


def accuracy(timeout: float) -> list[str]:
    """The accuracy table: each sampled measure exact and estimated, on the current networks."""
    out = [
        "| measure | nodes | exact (s) | estimate (s) | sample | Spearman's rho | top-100 overlap |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, network, exact_fn, estimate_fn in ACCURACY:
        g = _GRAPHS[network]
        sampler = {
            "betweenness": centrality.betweenness_sample,
            "two-mode betweenness": twomode.betweenness_sample,
        }.get(name, centrality.closeness_sample)
        sample = sampler(g, exact_max_nodes=0)
        t_exact, exact = measured(exact_fn, network, timeout, keep=True)
        t_estimate, estimate = measured(estimate_fn, network, timeout, keep=True)
        rho = overlap = ""
        if exact is not None and estimate is not None:
            rho = f"{spearmanr(exact, estimate).statistic:.4f}"
            overlap = top_overlap(exact, estimate)
        out.append(
            f"| {name} | {g.number_of_nodes():,} | {t_exact} | {t_estimate} | {sample_text(sample)} "
            f"| {rho} | {overlap} |"
        )
        print("accuracy", name, t_exact, t_estimate, rho, overlap, flush=True)
    return out


def run(
    sizes: list[int], timeout: float, reference_max: int, accuracy_sizes: list[int], exact_timeout: float
) -> str:
    out = [
        "# Network analysis benchmark",
        "",
        f"Generated by `bench/network_bench.py --sizes {' '.join(map(str, sizes))} --timeout {timeout:g} "
        f"--reference-max {reference_max} --accuracy-sizes {' '.join(map(str, accuracy_sizes)) or '0'}` "
        f"on {platform.machine()} ({mp.cpu_count()} cores), Python {sys.version.split()[0]}, "
        f"NetworkX {nx.__version__}, igraph {igraph.__version__}. Times in seconds, one run each "
        "(shared machine: expect ±30%). `coopgraph` is the library function the API calls, with its "
        "defaults: igraph for betweenness, closeness, harmonic, eigenvector, core number, constraint and "
        f"(above {communities.NETWORKX_LOUVAIN_MAX_NODES:,} nodes) communities; effective size from "
        f"triangle counts; betweenness estimated from {centrality.BETWEENNESS_SAMPLES} sources above "
        f"{centrality.EXACT_BETWEENNESS_MAX_NODES:,} nodes ({twomode.TWO_MODE_BETWEENNESS_SAMPLES} on the "
        "bipartite network), closeness and harmonic closeness from "
        f"{centrality.CLOSENESS_SAMPLES} sources per component above "
        f"{centrality.EXACT_CLOSENESS_MAX_NODES:,} nodes (the `sample` column). `NetworkX` is NetworkX "
        "alone on the same graph (`=`: coopgraph's function is NetworkX already; not run above "
        f"{reference_max:,} actors); `igraph` is igraph's own function. Ratio = NetworkX / igraph. "
        f"`within {timeout:g} s`: coopgraph's time.",
        "",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            store, catalogue, load_s = load(n, Path(tmp))
            start = time.perf_counter()
            rows = analysis.centrality(store, catalogue, "co-participation", "degree", {}, top=10)
            uncached = time.perf_counter() - start
            repeats = []
            for _ in range(20):
                start = time.perf_counter()
                analysis.centrality(store, catalogue, "co-participation", "degree", {}, top=10)
                repeats.append(time.perf_counter() - start)
            g = project(store, "co-participation", catalogue, Filters())
            bipartite = project(store, "bipartite", catalogue, Filters())
            ig, _ = centrality.to_igraph(g, "weight")
            ig.es["weight"] = ig.es["w"]
            _GRAPHS.update(co=g, bipartite=bipartite, ig=ig)
            comps = nx.number_connected_components(g)
            out += [
                f"## {n:,} actors",
                "",
                f"Co-participation network: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges, "
                f"{comps:,} components; store load {load_s:.2f} s. Top actor by degree: "
                f"{rows[0]['label']} ({rows[0]['value']}). Bipartite network: "
                f"{bipartite.number_of_nodes():,} nodes, {bipartite.number_of_edges():,} edges.",
                "",
                f"- `centrality?measure=degree` library call, uncached (SPARQL + projection + measure): "
                f"{uncached:.3f} s",
                "- the same call repeated (from the cache): "
                f"median {statistics.median(repeats) * 1000:.3f} ms, "
                f"max {max(repeats) * 1000:.3f} ms over 20 calls",
                "",
                f"| measure | coopgraph | within {timeout:g} s | sample | NetworkX | igraph | NetworkX / igraph |",
                "|---|---|---|---|---|---|---|",
            ]
            for name, ours, nx_only, ig_only in MEASURES:
                t_ours = timed(ours, "co", timeout)
                if nx_only is None:
                    t_nx = shown_nx = "="
                elif n > reference_max:
                    t_nx = shown_nx = "not run"
                else:
                    t_nx = shown_nx = timed(nx_only, "co", timeout)
                t_ig = timed(ig_only, "ig", timeout) if ig_only is not None else "n/a"
                base = t_ours if nx_only is None else t_nx
                drawn = sample_text(measures.sample(g, name))
                out.append(
                    f"| {name} | {t_ours} | {within(t_ours, timeout)} | {drawn} | {shown_nx} | {t_ig} "
                    f"| {ratio(base, t_ig)} |"
                )
                print(n, name, t_ours, shown_nx, t_ig, drawn, flush=True)
            out += [
                "",
                "Two-mode measures of the bipartite network:",
                "",
                f"| measure | coopgraph | within {timeout:g} s | sample |",
                "|---|---|---|---|",
            ]
            for name, fn in TWO_MODE:
                t_ours = timed(fn, "bipartite", timeout)
                drawn = sample_text(measures.sample(bipartite, name))
                out.append(f"| two-mode {name} | {t_ours} | {within(t_ours, timeout)} | {drawn} |")
                print(n, "two-mode", name, t_ours, drawn, flush=True)
            if n in accuracy_sizes:
                out += [
                    "",
                    f"Accuracy: each sampled measure computed exactly and as the estimate coopgraph "
                    f"gives above its exact limit (forced here), on this network (cap {exact_timeout:g} s).",
                    "",
                    *accuracy(exact_timeout),
                ]
            out.append("")
            _GRAPHS.clear()
            store.close()
    return "\n".join(out)


def kept_section(path: Path) -> str:
    """The hand-written ``## Before and after`` section of ``path``, if it has one."""
    if not path.exists():
        return ""
    text = path.read_text("utf-8")
    at = text.find(KEPT_SECTION)
    return "" if at < 0 else "\n" + text[at:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--timeout", type=float, default=60.0, help="cap per measure, seconds")
    parser.add_argument(
        "--reference-max", type=int, default=10000, help="largest size whose NetworkX-alone column runs"
    )
    parser.add_argument(
        "--accuracy-sizes", type=int, nargs="*", default=[10000], help="sizes with the accuracy table"
    )
    parser.add_argument("--exact-timeout", type=float, default=900.0, help="cap of the exact references")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    kept = kept_section(args.output)
    text = run(args.sizes, args.timeout, args.reference_max, args.accuracy_sizes, args.exact_timeout)
    args.output.write_text(text + "\n" + kept, "utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
