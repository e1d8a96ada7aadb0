"""Benchmark of the network analysis on synthetic co-participation networks.

Usage::

    .venv/bin/python bench/network_bench.py [--sizes 1000 10000 100000] [--timeout 60]

For each size ``n``, a seeded generator makes a cooperation graph: ``n`` activities of 2-5
participants each; activity ``j`` has actor ``j`` and 1-4 others drawn with a Zipf-like skew
(a few actors take part in very many activities, most in one or two). The graph is written as N-Triples,
loaded into an in-memory store and projected with coopgraph's own queries and code. Then:

* every measure is timed as coopgraph computes it (igraph for the path-based measures, sampled
  betweenness above 2000 nodes), with NetworkX alone, and with igraph's own function on the
  same graph; each measurement runs in a forked child process and is stopped after
  ``--timeout`` seconds (reported as ``skipped: > N s``);
* the library call behind ``GET /network/co-participation/centrality`` is timed uncached (SPARQL,
  projection and measure) and repeated (answered from the cache).

The table and the ratios are written to ``bench/RESULTS-network.md``.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import platform
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

from coopgraph.config import Settings
from coopgraph.namespaces import CG, GRAPH_BASE, ONTOLOGY_GRAPH, RDF, RDFS, resource_iri
from coopgraph.network import analysis, brokerage, centrality, communities
from coopgraph.network.filters import Filters
from coopgraph.network.projections import project
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore

RESULTS = Path(__file__).with_name("RESULTS-network.md")
SEED = 2005


def generate(n_actors: int, seed: int = SEED) -> str:
    """N-Triples of a synthetic cooperation graph with ``n_actors`` actors (seeded, skewed)."""
    rng = random.Random(seed)
    weights = [1.0 / (rank**0.9) for rank in range(1, n_actors + 1)]
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
            members.update(rng.choices(range(n_actors), weights=weights, k=size - len(members)))
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
_GRAPH: nx.Graph = nx.Graph()
_IGRAPH: Any = None


def _ig_betweenness(g: Any) -> Any:
    n = g.vcount()
    if n <= centrality.EXACT_BETWEENNESS_MAX_NODES:
        return g.betweenness(directed=False)
    sources = random.Random(1).sample(range(n), centrality.BETWEENNESS_SAMPLES)
    return g.betweenness(directed=False, sources=sources)


MEASURES: list[
    tuple[str, Callable[[nx.Graph], Any], Callable[[nx.Graph], Any] | None, Callable[[Any], Any] | None]
] = [
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
    ("core-number", centrality.core_number, None, lambda g: g.coreness()),
    ("constraint", brokerage.constraint, lambda g: nx.constraint(g), lambda g: g.constraint()),
    ("effective-size", brokerage.effective_size, lambda g: nx.effective_size(g), None),
    ("community", communities.louvain, None, lambda g: g.community_multilevel(weights="weight")),
]
"""``None`` for NetworkX alone: coopgraph's function is NetworkX already (same time)."""


def _child(fn: Callable[[Any], Any], on_igraph: bool, queue: Any) -> None:
    start = time.perf_counter()
    fn(_IGRAPH if on_igraph else _GRAPH)
    queue.put(time.perf_counter() - start)


def timed(fn: Callable[[Any], Any] | None, on_igraph: bool, timeout: float) -> str:
    """Seconds ``fn`` takes in a forked child, or ``skipped: > timeout s``."""
    if fn is None:
        return "="
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, on_igraph, queue))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.kill()
        proc.join()
        return f"skipped: > {timeout:g} s"
    if proc.exitcode != 0 or queue.empty():
        return f"failed (exit {proc.exitcode})"
    return f"{queue.get():.4f}"


def ratio(a: str, b: str) -> str:
    try:
        return f"{float(a) / float(b):.1f}x"
    except (ValueError, ZeroDivisionError):
        return ""


def run(sizes: list[int], timeout: float) -> str:
    global _GRAPH, _IGRAPH
    out = [
        "# Network analysis benchmark",
        "",
        f"Generated by `bench/network_bench.py --sizes {' '.join(map(str, sizes))} --timeout {timeout:g}` "
        f"on {platform.machine()} ({mp.cpu_count()} cores), Python {sys.version.split()[0]}, "
        f"NetworkX {nx.__version__}, igraph {igraph.__version__}. Times in seconds, one run each "
        "(shared machine: expect ±30%). `coopgraph` is the library function the API calls "
        "(igraph for betweenness, closeness, harmonic, eigenvector and constraint; effective size from "
        "triangle counts; betweenness sampled from "
        f"{centrality.BETWEENNESS_SAMPLES} sources above {centrality.EXACT_BETWEENNESS_MAX_NODES} nodes); "
        "`NetworkX` is NetworkX alone on the same graph (`=`: coopgraph's function is NetworkX "
        "already); `igraph` is igraph's own function. Ratio = NetworkX / igraph.",
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
            _GRAPH = g
            _IGRAPH, _ = centrality.to_igraph(g, "weight")
            _IGRAPH.es["weight"] = _IGRAPH.es["w"]
            comps = nx.number_connected_components(g)
            out += [
                f"## {n:,} actors",
                "",
                f"Co-participation network: {g.number_of_nodes():,} nodes, {g.number_of_edges():,} edges, "
                f"{comps:,} components; store load {load_s:.2f} s. Top actor by degree: "
                f"{rows[0]['label']} ({rows[0]['value']}).",
                "",
                f"- `centrality?measure=degree` library call, uncached (SPARQL + projection + measure): "
                f"{uncached:.3f} s",
                "- the same call repeated (from the cache): "
                f"median {statistics.median(repeats) * 1000:.3f} ms, "
                f"max {max(repeats) * 1000:.3f} ms over 20 calls",
                "",
                "| measure | coopgraph | NetworkX | igraph | NetworkX / igraph |",
                "|---|---|---|---|---|",
            ]
            for name, ours, nx_only, ig_only in MEASURES:
                t_ours = timed(ours, False, timeout)
                t_nx = timed(nx_only, False, timeout) if nx_only is not None else t_ours
                t_ig = timed(ig_only, True, timeout) if ig_only is not None else "n/a"
                shown_nx = "=" if nx_only is None else t_nx
                out.append(f"| {name} | {t_ours} | {shown_nx} | {t_ig} | {ratio(t_nx, t_ig)} |")
                print(n, name, t_ours, t_nx, t_ig, flush=True)
            out.append("")
            store.close()
    return "\n".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    args.output.write_text(run(args.sizes, args.timeout) + "\n", "utf-8")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
