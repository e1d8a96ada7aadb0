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
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx

EXACT_BETWEENNESS_MAX_NODES = 2000
"""Largest network (in nodes) whose betweenness is computed exactly by default."""
BETWEENNESS_SAMPLES = 500
"""Number of sampled source nodes of the approximate betweenness."""
DEFAULT_SEED = 42
"""Seed of every randomised algorithm (sampling, Louvain, layouts)."""


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


def to_igraph(g: nx.Graph, attribute: str | None = None) -> tuple[Any, list[Any]]:
    """The igraph copy of ``g`` (with edge attribute ``attribute`` as ``w``) and its node order.

    Examples
    --------
    >>> ig, nodes = to_igraph(nx.path_graph(3))
    >>> ig.vcount(), ig.ecount(), nodes
    (3, 2, [0, 1, 2])
    """
    import igraph

    nodes = list(g)
    index = {n: i for i, n in enumerate(nodes)}
    edges = [(index[u], index[v]) for u, v in g.edges()]
    ig = igraph.Graph(n=len(nodes), edges=edges, directed=g.is_directed())
    if attribute is not None:
        ig.es["w"] = [float(d.get(attribute, 1.0)) for _, _, d in g.edges(data=True)]
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
    if k is None and n > exact_max_nodes:
        k = BETWEENNESS_SAMPLES
    if k is not None and k >= n:
        k = None
    sources = None if k is None else random.Random(seed).sample(sorted(g, key=str), k)
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


def reach_and_distance(
    g: nx.Graph, weighted: bool = False, backend: str = "auto"
) -> dict[Any, tuple[int, float]]:
    """For each node of an undirected network: the nodes it reaches (itself included) and the
    sum of its shortest-path distances to them.

    The ingredients of every closeness variant; igraph when installed (one BFS per node in C),
    else NetworkX.

    Examples
    --------
    >>> g = nx.path_graph(3)
    >>> g.add_node(9)
    >>> reach_and_distance(g)
    {0: (3, 3.0), 1: (3, 2.0), 2: (3, 3.0), 9: (1, 0.0)}
    """
    dist = "distance" if weighted else None
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


def closeness(g: nx.Graph, weighted: bool = False, backend: str = "auto") -> dict[Any, float]:
    """Closeness centrality (Wasserman-Faust, for disconnected networks).

    ``(r-1)/sum(d) * (r-1)/(n-1)`` where ``r`` is the number of nodes the node reaches and
    ``d`` their distances, as NetworkX defines it; an isolate gets 0. In a directed network it
    is the closeness *from* the others (incoming distances), as in NetworkX.

    Examples
    --------
    >>> closeness(nx.path_graph(3))
    {0: 0.6666666666666666, 1: 1.0, 2: 0.6666666666666666}
    """
    dist = "distance" if weighted else None
    if g.is_directed() or not _use_igraph(backend) or g.number_of_nodes() == 0:
        return {v: float(c) for v, c in nx.closeness_centrality(g, distance=dist).items()}
    n = g.number_of_nodes()
    out: dict[Any, float] = {}
    for v, (reached, total) in reach_and_distance(g, weighted, backend).items():
        out[v] = 0.0 if n <= 1 or total <= 0 else (reached - 1) / total * (reached - 1) / (n - 1)
    return out


def harmonic(g: nx.Graph, weighted: bool = False, backend: str = "auto") -> dict[Any, float]:
    """Harmonic closeness: the sum of the inverse distances to every other node (not normalised).

    Examples
    --------
    >>> harmonic(nx.path_graph(3))
    {0: 1.5, 1: 2.0, 2: 1.5}
    """
    dist = "distance" if weighted else None
    if g.is_directed() or not _use_igraph(backend) or g.number_of_nodes() == 0:
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
        ig, nodes = to_igraph(nx.Graph(u), "weight" if weighted else None)
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


def core_number(g: nx.Graph) -> dict[Any, float]:
    """The k-core number: the largest ``k`` such that the node belongs to the k-core.

    Examples
    --------
    >>> g = nx.complete_graph(4)
    >>> g.add_edge(3, 4)
    >>> core_number(g)
    {0: 3, 1: 3, 2: 3, 3: 3, 4: 1}
    """
    h = g
    if nx.number_of_selfloops(g):
        h = g.copy()
        h.remove_edges_from(nx.selfloop_edges(h))
    return dict(nx.core_number(h))
