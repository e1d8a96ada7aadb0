"""Centrality measures: degree, strength, betweenness, closeness, harmonic, eigenvector,
PageRank and k-core number.

Each function takes a NetworkX graph and keyword options and returns ``{node: value}``.

Weights
-------
Edge ``weight`` is a tie strength (shared activities). Measures built on shortest paths
(betweenness, closeness, harmonic) read a *length* instead: with ``weighted=True`` they use the
edge attribute ``distance`` (``1 / weight``, set by the projections), so a stronger tie is a
shorter path. Strength, eigenvector and PageRank use ``weight`` directly.

Back ends and scale
-------------------
The path-based measures run on igraph when it is installed (it is a dependency of coopgraph
for this reason: on a 12.5k-actor network exact closeness takes over 120 s in NetworkX and
about 10 s in igraph) and on NetworkX otherwise; ``backend="networkx"`` forces NetworkX. Both
give the same values (NetworkX's definitions; the tests compare them).

Betweenness is exact up to ``EXACT_BETWEENNESS_MAX_NODES`` (2000) nodes. Above that it is the
Brandes-Pich estimate from ``BETWEENNESS_SAMPLES`` (500) source nodes drawn with a fixed seed
(the estimator NetworkX's ``betweenness_centrality(k=...)`` uses, with the sample drawn by
``random.Random(seed)`` from the nodes sorted by IRI), so the answer is deterministic and the
same on both back ends.

Closeness and harmonic closeness (and the distance sums of the two-mode closeness) are exact up
to ``EXACT_CLOSENESS_MAX_NODES`` (10,000) nodes, which costs one breadth-first search per node.
Above that they are the Eppstein-Wang estimate from ``CLOSENESS_SAMPLES`` (500) source nodes
per connected component, drawn with the same fixed seed: one search from each source gives its
distance to every node of its component, and the distance sum of a node that is not a source
is ``(r - 1)`` times its mean distance to the sources (``r`` the size of its component); a
source, and every node of a component with at most ``CLOSENESS_SAMPLES`` nodes, keeps its exact
value. Error: the estimated mean distance of a node differs from the exact one by more than
``eps * D`` (``D`` the diameter of its component) with probability at most
``2 exp(-2 k eps^2)`` (Hoeffding's bound for ``k`` sources drawn without replacement; Eppstein
and Wang, "Fast approximation of centrality", SODA 2001): for ``k = 500`` and ``eps = 0.1``,
under 1 in 10,000; the same bound holds for the mean inverse distance (harmonic) with ``D = 1``.
The number of nodes the node reaches is exact. :class:`Sample` describes a sample (its size and
seed); :func:`betweenness_sample` and :func:`closeness_sample` say which one a network gets,
so that every answer built on an estimate can say so.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import networkx as nx
import numpy as np

EXACT_BETWEENNESS_MAX_NODES = 2000
"""Largest network (in nodes) whose betweenness is computed exactly by default."""
BETWEENNESS_SAMPLES = 500
"""Number of sampled source nodes of the approximate betweenness."""
DEFAULT_SEED = 42
"""Seed of every randomised algorithm (sampling, Louvain, layouts)."""
EXACT_CLOSENESS_MAX_NODES = 10_000
"""Largest undirected network (in nodes) whose closeness and harmonic closeness are exact."""
CLOSENESS_SAMPLES = 500
"""Number of sampled source nodes per connected component of the estimated closeness."""
_DISTANCE_BATCH = 16
"""Sources per igraph ``distances`` call: bounds the rows held at once (16 x n floats)."""


@dataclass(frozen=True)
class Sample:
    """How an estimate was drawn: ``size`` source nodes of a network of ``nodes``, with ``seed``.

    Examples
    --------
    >>> s = Sample("brandes-pich", 500, 100_000, 42)
    >>> s.describe()
    'estimated from 500 of 100,000 source nodes (brandes-pich, seed 42)'
    >>> s.header()
    'method=brandes-pich; size=500; nodes=100000; seed=42'
    """

    method: str
    """``brandes-pich`` (betweenness) or ``eppstein-wang`` (closeness, harmonic)."""
    size: int
    """Number of source nodes searched."""
    nodes: int
    """Number of nodes of the network."""
    seed: int
    """Seed of the draw: the same network, size and seed give the same sources."""

    def to_dict(self) -> dict[str, Any]:
        """The sample as JSON-ready data."""
        return {"method": self.method, "size": self.size, "nodes": self.nodes, "seed": self.seed}

    def describe(self) -> str:
        """One line for people (CLI output, plot titles)."""
        return (
            f"estimated from {self.size:,} of {self.nodes:,} source nodes ({self.method}, seed {self.seed})"
        )

    def header(self) -> str:
        """The value of an HTTP header or CSV comment: ``key=value`` pairs."""
        return f"method={self.method}; size={self.size}; nodes={self.nodes}; seed={self.seed}"


_igraph_random = threading.Lock()


@contextmanager
def seeded_igraph(seed: int) -> Iterator[None]:
    """Run igraph's randomised algorithms inside the block with ``random.Random(seed)``.

    igraph draws from one process-wide generator; the block holds a lock so that two threads
    cannot swap it under each other, and puts Python's ``random`` module back afterwards.

    Examples
    --------
    >>> import igraph
    >>> g = igraph.Graph.Famous("Zachary")
    >>> with seeded_igraph(1):
    ...     first = g.community_multilevel().membership
    >>> with seeded_igraph(1):
    ...     first == g.community_multilevel().membership
    True
    """
    import igraph

    with _igraph_random:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            igraph.set_random_number_generator(random)


def _igraph_available() -> bool:
    try:
        import igraph  # noqa: F401
    except ImportError:  # pragma: no cover - igraph is a dependency
        return False
    return True


def _use_igraph(backend: str) -> bool:
    if backend not in ("auto", "igraph", "networkx"):
        raise ValueError(f"unknown backend {backend!r}")
    return backend == "igraph" or (backend == "auto" and _igraph_available())


def to_igraph(g: nx.Graph, attribute: str | None = None, loops: bool = True) -> tuple[Any, list[Any]]:
    """The igraph copy of ``g`` (with edge attribute ``attribute`` as ``w``) and its node order.

    ``loops=False`` leaves out the self-loops.

    Examples
    --------
    >>> ig, nodes = to_igraph(nx.path_graph(3))
    >>> ig.vcount(), ig.ecount(), nodes
    (3, 2, [0, 1, 2])
    """
    import igraph

    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    if attribute is None:
        edges = [(index[u], index[v]) for u, v in g.edges() if loops or u != v]
        weights = None
    else:
        triples = [(u, v, d) for u, v, d in g.edges(data=True) if loops or u != v]
        edges = [(index[u], index[v]) for u, v, _ in triples]
        weights = [float(d.get(attribute, 1.0)) for _, _, d in triples]
    ig = igraph.Graph(n=len(nodes), edges=edges, directed=g.is_directed())
    if weights is not None:
        ig.es["w"] = weights
    return ig, nodes


def degree(g: nx.Graph) -> dict[Any, float]:
    """Number of neighbours of each node (in + out in a directed network).

    Examples
    --------
    >>> degree(nx.star_graph(3))
    {0: 3, 1: 1, 2: 1, 3: 1}
    """
    return dict(g.degree())


def strength(g: nx.Graph, weight: str = "weight") -> dict[Any, float]:
    """Weighted degree: the sum of the ``weight`` of each node's edges.

    Examples
    --------
    >>> g = nx.Graph([(0, 1, {"weight": 2}), (0, 2, {"weight": 3})])
    >>> strength(g)
    {0: 5, 1: 2, 2: 3}
    """
    return dict(g.degree(weight=weight))


def betweenness(
    g: nx.Graph,
    weighted: bool = False,
    normalized: bool = True,
    k: int | None = None,
    seed: int = DEFAULT_SEED,
    exact_max_nodes: int = EXACT_BETWEENNESS_MAX_NODES,
    backend: str = "auto",
) -> dict[Any, float]:
    """Betweenness centrality: the share of shortest paths through each node.

    Parameters
    ----------
    g
        The network.
    weighted
        Use the edge ``distance`` (``1 / weight``) as path length.
    normalized
        Divide by the number of node pairs, ``(n-1)(n-2)/2`` (twice that if directed).
    k
        Number of sampled source nodes; ``None`` is exact up to ``exact_max_nodes`` nodes and
        ``BETWEENNESS_SAMPLES`` above.
    seed
        Seed of the sample.
    backend
        ``auto`` (igraph if installed), ``igraph`` or ``networkx``.

    Examples
    --------
    The centre of a star lies on every path between two leaves:

    >>> betweenness(nx.star_graph(3))
    {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0}
    >>> betweenness(nx.path_graph(3), normalized=False)
    {0: 0.0, 1: 1.0, 2: 0.0}
    """
    n = g.number_of_nodes()
    sources = _betweenness_sources(g, k, seed, exact_max_nodes)
    if not _use_igraph(backend):
        if sources is None:
            return nx.betweenness_centrality(
                g, normalized=normalized, weight="distance" if weighted else None
            )
        raw = nx.betweenness_centrality_subset(
            g, sources, list(g), normalized=False, weight="distance" if weighted else None
        )
        values = raw
    else:
        ig, nodes = to_igraph(g, "distance" if weighted else None)
        kwargs: dict[str, Any] = {"directed": g.is_directed(), "weights": "w" if weighted else None}
        if sources is not None:
            index = {v: i for i, v in enumerate(nodes)}
            kwargs["sources"] = [index[s] for s in sources]
        values = dict(zip(nodes, ig.betweenness(**kwargs), strict=True))
    if sources is not None:
        values = {v: b * n / len(sources) for v, b in values.items()}
    if normalized and n > 2:
        scale = (n - 1) * (n - 2) / (1 if g.is_directed() else 2)
        values = {v: b / scale for v, b in values.items()}
    return {v: float(b) for v, b in values.items()}


def _betweenness_sources(g: nx.Graph, k: int | None, seed: int, exact_max_nodes: int) -> list[Any] | None:
    """The sampled sources of the betweenness of ``g``, or ``None`` when it is exact."""
    drawn = betweenness_sample(g, k, seed, exact_max_nodes)
    return None if drawn is None else random.Random(seed).sample(sorted(g, key=str), drawn.size)


def betweenness_sample(
    g: nx.Graph,
    k: int | None = None,
    seed: int = DEFAULT_SEED,
    exact_max_nodes: int = EXACT_BETWEENNESS_MAX_NODES,
) -> Sample | None:
    """The sample :func:`betweenness` draws on ``g`` with the same options, ``None`` if exact.

    Examples
    --------
    >>> betweenness_sample(nx.path_graph(5)) is None
    True
    >>> betweenness_sample(nx.path_graph(5), k=2)
    Sample(method='brandes-pich', size=2, nodes=5, seed=42)
    """
    n = g.number_of_nodes()
    if k is None and n > exact_max_nodes:
        k = BETWEENNESS_SAMPLES
    if k is None or k >= n:
        return None
    return Sample("brandes-pich", k, n, seed)


def _components_by_first_node(g: nx.Graph) -> list[list[Any]]:
    """The connected components of undirected ``g``, each sorted by IRI, in order of their first."""
    parts = [sorted(c, key=str) for c in nx.connected_components(g)]
    return sorted(parts, key=lambda c: str(c[0]))


def _closeness_sources(
    g: nx.Graph, k: int | None, seed: int, exact_max_nodes: int
) -> list[tuple[list[Any], list[Any]]] | None:
    """``(component, sources)`` pairs of the estimated closeness of ``g``, ``None`` when exact.

    A component of at most ``k`` nodes has all its nodes as sources (so it is exact).
    """
    n = g.number_of_nodes()
    if g.is_directed() or (k is None and n <= exact_max_nodes):
        return None
    k = CLOSENESS_SAMPLES if k is None else k
    if k >= n:
        return None
    rng = random.Random(seed)
    plan = []
    for component in _components_by_first_node(g):
        sources = component if len(component) <= k else rng.sample(component, k)
        plan.append((component, sources))
    return plan


def closeness_sample(
    g: nx.Graph,
    k: int | None = None,
    seed: int = DEFAULT_SEED,
    exact_max_nodes: int = EXACT_CLOSENESS_MAX_NODES,
) -> Sample | None:
    """The sample :func:`closeness` and :func:`harmonic` draw on ``g``, ``None`` if exact.

    ``size`` counts the sources of every component (a component of at most ``k`` nodes has all
    its nodes as sources); a directed network is always exact (NetworkX).

    Examples
    --------
    >>> closeness_sample(nx.path_graph(5)) is None
    True
    >>> g = nx.path_graph(5)
    >>> g.add_edge(8, 9)
    >>> closeness_sample(g, k=3)
    Sample(method='eppstein-wang', size=5, nodes=7, seed=42)
    """
    plan = _closeness_sources(g, k, seed, exact_max_nodes)
    if plan is None:
        return None
    return Sample("eppstein-wang", sum(len(s) for _, s in plan), g.number_of_nodes(), seed)


class _DistanceRows:
    """Distance rows from sources to the nodes of their component, on igraph or NetworkX."""

    def __init__(self, g: nx.Graph, weighted: bool, use_igraph: bool) -> None:
        self.g, self.weighted, self.use_igraph = g, weighted, use_igraph
        if use_igraph:
            self.ig, nodes = to_igraph(g, "distance" if weighted else None)
            self.index = {v: i for i, v in enumerate(nodes)}

    def batches(self, component: list[Any], sources: list[Any]) -> Iterable[tuple[list[Any], np.ndarray]]:
        """``(batch of sources, their rows)``: row ``i`` holds the distances from source ``i`` to
        the nodes of ``component``, in its order."""
        if self.use_igraph:
            targets = [self.index[v] for v in component]
            weights = "w" if self.weighted else None
            for start in range(0, len(sources), _DISTANCE_BATCH):
                batch = sources[start : start + _DISTANCE_BATCH]
                rows = self.ig.distances(
                    source=[self.index[s] for s in batch], target=targets, weights=weights
                )
                yield batch, np.asarray(rows, dtype=float)
            return
        position = {v: i for i, v in enumerate(component)}
        for source in sources:
            lengths = (
                nx.single_source_dijkstra_path_length(self.g, source, weight="distance")
                if self.weighted
                else nx.single_source_shortest_path_length(self.g, source)
            )
            row = np.full((1, len(component)), np.inf)
            for v, d in lengths.items():
                row[0, position[v]] = d
            yield [source], row


def _estimated_sums(
    g: nx.Graph, weighted: bool, use_igraph: bool, plan: list[tuple[list[Any], list[Any]]]
) -> dict[Any, tuple[int, float, float]]:
    """``(reach, sum of distances, sum of inverse distances)`` of each node, from ``plan``.

    A source gets its own exact sums; any other node ``(r - 1)`` times its mean over the ``k``
    sources of its component of ``r`` nodes (Eppstein-Wang).
    """
    rows = _DistanceRows(g, weighted, use_igraph)
    out: dict[Any, tuple[int, float, float]] = {}
    for component, sources in plan:
        r = len(component)
        totals, inverse = np.zeros(r), np.zeros(r)
        exact: dict[Any, tuple[float, float]] = {}
        for batch, distances in rows.batches(component, sources):
            with np.errstate(divide="ignore"):
                inverses = np.where(distances > 0, 1.0 / distances, 0.0)
            totals += distances.sum(axis=0)
            inverse += inverses.sum(axis=0)
            for source, total, inv in zip(batch, distances.sum(axis=1), inverses.sum(axis=1), strict=True):
                exact[source] = (float(total), float(inv))
        scale = (r - 1) / len(sources)
        for v, total, inv in zip(component, totals * scale, inverse * scale, strict=True):
            out[v] = (r, *exact.get(v, (float(total), float(inv))))
    return out


def reach_and_distance(
    g: nx.Graph,
    weighted: bool = False,
    backend: str = "auto",
    k: int | None = None,
    seed: int = DEFAULT_SEED,
    exact_max_nodes: int = EXACT_CLOSENESS_MAX_NODES,
) -> dict[Any, tuple[int, float]]:
    """For each node of an undirected network: the nodes it reaches (itself included) and the
    sum of its shortest-path distances to them.

    The ingredients of every closeness variant; igraph when installed (one BFS per node in C),
    else NetworkX. Above ``exact_max_nodes`` nodes (or with ``k`` given) the sum is the
    Eppstein-Wang estimate from ``k`` sources per component (``CLOSENESS_SAMPLES`` by default,
    see :func:`closeness_sample`); the reach stays exact.

    Examples
    --------
    >>> g = nx.path_graph(3)
    >>> g.add_node(9)
    >>> reach_and_distance(g)
    {0: (3, 3.0), 1: (3, 2.0), 2: (3, 3.0), 9: (1, 0.0)}

    Estimated from one source (node 0 is drawn): node 4 gets 4 times its distance to node 0,
    where the exact sum is 10; node 0, the source, keeps its exact sum:

    >>> reach_and_distance(nx.path_graph(5), k=1)
    {0: (5, 10.0), 1: (5, 4.0), 2: (5, 8.0), 3: (5, 12.0), 4: (5, 16.0)}
    """
    dist = "distance" if weighted else None
    plan = _closeness_sources(g, k, seed, exact_max_nodes)
    if plan is not None:
        sums = _estimated_sums(g, weighted, _use_igraph(backend), plan)
        return {v: (sums[v][0], sums[v][1]) for v in g}
    if not _use_igraph(backend) or g.number_of_nodes() == 0:
        out: dict[Any, tuple[int, float]] = {}
        for v in g:
            lengths = (
                nx.single_source_dijkstra_path_length(g, v, weight=dist)
                if weighted
                else nx.single_source_shortest_path_length(g, v)
            )
            out[v] = (len(lengths), float(sum(lengths.values())))
        return out
    ig, nodes = to_igraph(g, dist)
    sizes = [0] * len(nodes)
    for component in ig.connected_components():
        for i in component:
            sizes[i] = len(component)
    # igraph's closeness counts the reachable nodes only: 1 / (sum of distances), NaN if none
    raw = ig.closeness(weights="w" if weighted else None, normalized=False)
    return {
        v: (sizes[i], 0.0 if sizes[i] <= 1 or raw[i] != raw[i] else 1.0 / raw[i]) for i, v in enumerate(nodes)
    }


def closeness(
    g: nx.Graph,
    weighted: bool = False,
    backend: str = "auto",
    k: int | None = None,
    seed: int = DEFAULT_SEED,
    exact_max_nodes: int = EXACT_CLOSENESS_MAX_NODES,
) -> dict[Any, float]:
    """Closeness centrality (Wasserman-Faust, for disconnected networks).

    ``(r-1)/sum(d) * (r-1)/(n-1)`` where ``r`` is the number of nodes the node reaches and
    ``d`` their distances, as NetworkX defines it; an isolate gets 0. In a directed network it
    is the closeness *from* the others (incoming distances), as in NetworkX, always exact.

    Parameters
    ----------
    g
        The network.
    weighted
        Use the edge ``distance`` (``1 / weight``) as path length.
    backend
        ``auto`` (igraph if installed), ``igraph`` or ``networkx``.
    k
        Number of sampled source nodes per component; ``None`` is exact up to
        ``exact_max_nodes`` nodes and ``CLOSENESS_SAMPLES`` above (see :func:`closeness_sample`).
    seed
        Seed of the sample.

    Examples
    --------
    >>> closeness(nx.path_graph(3))
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    """
    dist = "distance" if weighted else None
    if g.number_of_nodes() == 0:
        return {}
    plan = _closeness_sources(g, k, seed, exact_max_nodes)
    if plan is None and (g.is_directed() or not _use_igraph(backend)):
        return {v: float(c) for v, c in nx.closeness_centrality(g, distance=dist).items()}
    n = g.number_of_nodes()
    out: dict[Any, float] = {}
    sums = reach_and_distance(g, weighted, backend, k, seed, exact_max_nodes)
    for v, (reached, total) in sums.items():
        out[v] = 0.0 if n <= 1 or total <= 0 else (reached - 1) / total * (reached - 1) / (n - 1)
    return out


def harmonic(
    g: nx.Graph,
    weighted: bool = False,
    backend: str = "auto",
    k: int | None = None,
    seed: int = DEFAULT_SEED,
    exact_max_nodes: int = EXACT_CLOSENESS_MAX_NODES,
) -> dict[Any, float]:
    """Harmonic closeness: the sum of the inverse distances to every other node (not normalised).

    Exact up to ``exact_max_nodes`` nodes, the Eppstein-Wang estimate from ``k`` sources per
    component above (the options and the sample are those of :func:`closeness`).

    Examples
    --------
    >>> harmonic(nx.path_graph(3))
    {0: 1.5, 1: 2.0, 2: 1.5}

    Estimated from one source, the centre of a star (a leaf is ``4 x 1``, exactly ``1 + 3/2``;
    the centre, a source, keeps its exact value):

    >>> harmonic(nx.star_graph(4), k=1)
    {0: 4.0, 1: 4.0, 2: 4.0, 3: 4.0, 4: 4.0}
    """
    dist = "distance" if weighted else None
    if g.number_of_nodes() == 0:
        return {}
    plan = _closeness_sources(g, k, seed, exact_max_nodes)
    if plan is not None:
        sums = _estimated_sums(g, weighted, _use_igraph(backend), plan)
        return {v: sums[v][2] for v in g}
    if g.is_directed() or not _use_igraph(backend):
        return {v: float(c) for v, c in nx.harmonic_centrality(g, distance=dist).items()}
    ig, nodes = to_igraph(g, dist)
    raw = ig.harmonic_centrality(weights="w" if weighted else None, normalized=False)
    return {v: float(c) for v, c in zip(nodes, raw, strict=True)}


def eigenvector(
    g: nx.Graph, weighted: bool = False, max_iter: int = 1000, backend: str = "auto"
) -> dict[Any, float]:
    """Eigenvector centrality computed in each connected component separately.

    A disconnected network is not an error: each component with two or more nodes gets its own
    leading eigenvector, scaled to Euclidean length ``|C| / n`` (its share of the nodes), so a
    connected network gets NetworkX's unit-length values and a pair of nodes off on their own
    does not outrank the main component; a single-node component (an isolate) gets 0. A
    directed network is read as undirected. Runs on igraph when installed (NetworkX's power
    iteration takes over 30 s at 10,000 actors), else NetworkX.

    Examples
    --------
    >>> g = nx.Graph([(0, 1), (2, 3), (3, 4)])
    >>> g.add_node(5)
    >>> {v: round(c, 4) for v, c in eigenvector(g).items()}
    {0: 0.2357, 1: 0.2357, 2: 0.25, 3: 0.3536, 4: 0.25, 5: 0.0}
    """
    u = g.to_undirected(as_view=True) if g.is_directed() else g
    out: dict[Any, float] = dict.fromkeys(g, 0.0)
    n = g.number_of_nodes()
    if _use_igraph(backend) and n:
        # an undirected network is not copied (a copy took most of the time at 100,000 actors);
        # a directed one is merged into one edge per pair first, as NetworkX reads it
        ig, nodes = to_igraph(nx.Graph(u) if g.is_directed() else g, "weight" if weighted else None)
        for component in ig.connected_components():
            if len(component) < 2:
                continue
            sub = ig.induced_subgraph(component)
            raw = sub.eigenvector_centrality(scale=False, weights="w" if weighted else None)
            norm = sum(x * x for x in raw) ** 0.5 or 1.0
            share = len(component) / n
            # induced_subgraph keeps the vertices in increasing id order
            for i, x in zip(sorted(component), raw, strict=True):
                out[nodes[i]] = abs(float(x)) / norm * share
        return out
    for component in nx.connected_components(u):
        if len(component) < 2:
            continue
        sub = u.subgraph(component)
        # the shifted power iteration of eigenvector_centrality converges on bipartite graphs too
        values = nx.eigenvector_centrality(
            sub, max_iter=max_iter, tol=1e-9, weight="weight" if weighted else None
        )
        share = len(component) / n
        out.update({v: abs(float(c)) * share for v, c in values.items()})
    return out


def pagerank(g: nx.Graph, weighted: bool = True, alpha: float = 0.85) -> dict[Any, float]:
    """PageRank with damping ``alpha`` (edges weighted by ``weight`` unless ``weighted=False``).

    Examples
    --------
    >>> {v: round(p, 3) for v, p in pagerank(nx.star_graph(2)).items()}
    {0: 0.486, 1: 0.257, 2: 0.257}
    """
    return {
        v: float(p) for v, p in nx.pagerank(g, alpha=alpha, weight="weight" if weighted else None).items()
    }


def core_number(g: nx.Graph, backend: str = "auto") -> dict[Any, float]:
    """The k-core number: the largest ``k`` such that the node belongs to the k-core.

    Self-loops are left out, as NetworkX requires. On igraph when installed: NetworkX's
    ``core_number`` removes each processed node from its neighbours' lists, which costs the
    square of the degree of a hub (over 60 s at 100,000 actors, where igraph takes 0.1 s).
    The core number is unique, so both give the same values. In a directed network it counts
    in and out edges together, as NetworkX does.

    Examples
    --------
    >>> g = nx.complete_graph(4)
    >>> g.add_edge(3, 4)
    >>> core_number(g)
    {0: 3, 1: 3, 2: 3, 3: 3, 4: 1}
    """
    if _use_igraph(backend) and g.number_of_nodes():
        ig, nodes = to_igraph(g, loops=False)
        return dict(zip(nodes, ig.coreness(mode="all"), strict=True))
    h = g
    if nx.number_of_selfloops(g):
        h = g.copy()
        h.remove_edges_from(nx.selfloop_edges(h))
    return dict(nx.core_number(h))
