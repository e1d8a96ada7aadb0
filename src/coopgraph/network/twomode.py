"""Two-mode measures on the bipartite actor-activity network (``networkx.algorithms.bipartite``).

Each measure is normalised within the two modes, as Borgatti and Everett define it, so actors
compare with actors and activities with activities. Nodes carry ``bipartite=0`` (actors) or
``bipartite=1`` (activities).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from networkx.algorithms import bipartite as nxb

from coopgraph.network import centrality

TWO_MODE_BETWEENNESS_SAMPLES = 250
"""Sampled sources of the two-mode betweenness above its exact limit: the bipartite network has
a node per actor and per activity, twice the one-mode network's, and 250 sources keep it within
60 s at 100,000 actors (200,000 nodes; ``bench/RESULTS-network.md`` gives its accuracy)."""


def betweenness_sample(
    g: nx.Graph,
    k: int | None = None,
    seed: int = centrality.DEFAULT_SEED,
    exact_max_nodes: int = centrality.EXACT_BETWEENNESS_MAX_NODES,
) -> centrality.Sample | None:
    """The sample :func:`betweenness` draws on ``g`` with the same options, ``None`` if exact.

    Examples
    --------
    >>> betweenness_sample(nx.path_graph(3000))
    Sample(method='brandes-pich', size=250, nodes=3000, seed=42)
    """
    n = g.number_of_nodes()
    if k is None and n > exact_max_nodes:
        k = TWO_MODE_BETWEENNESS_SAMPLES
    return centrality.betweenness_sample(g, k, seed, exact_max_nodes)


def _actors(g: nx.Graph) -> set[Any]:
    return {v for v, mode in g.nodes(data="bipartite") if mode == 0}


def degree(g: nx.Graph) -> dict[Any, float]:
    """Two-mode degree centrality: degree divided by the size of the other mode.

    Examples
    --------
    >>> g = nx.Graph([("x", "a"), ("y", "a"), ("y", "b")])
    >>> nx.set_node_attributes(g, {"x": 0, "y": 0, "a": 1, "b": 1}, "bipartite")
    >>> degree(g)
    {'x': 0.5, 'a': 1.0, 'y': 1.0, 'b': 0.5}
    """
    if g.number_of_nodes() == 0:
        return {}
    values = nxb.degree_centrality(g, _actors(g))
    return {v: float(values[v]) for v in g}


def betweenness(
    g: nx.Graph,
    k: int | None = None,
    seed: int = centrality.DEFAULT_SEED,
    exact_max_nodes: int = centrality.EXACT_BETWEENNESS_MAX_NODES,
) -> dict[Any, float]:
    """Two-mode betweenness centrality, normalised by the largest possible value in each mode.

    The raw betweenness is :func:`coopgraph.network.centrality.betweenness` (igraph; above
    2,000 nodes the Brandes-Pich estimate from ``TWO_MODE_BETWEENNESS_SAMPLES`` (250) sources,
    :func:`betweenness_sample`); the normalisation is NetworkX's
    ``bipartite.betweenness_centrality``.

    Examples
    --------
    >>> g = nx.Graph([("x", "a"), ("y", "a"), ("y", "b")])
    >>> nx.set_node_attributes(g, {"x": 0, "y": 0, "a": 1, "b": 1}, "bipartite")
    >>> betweenness(g)["y"], betweenness(g)["x"]
    (1.0, 0.0)
    """
    if g.number_of_nodes() == 0:
        return {}
    top = _actors(g)
    n, m = len(top), g.number_of_nodes() - len(top)
    if n == 0 or m == 0:
        return dict.fromkeys(g, 0.0)
    drawn = betweenness_sample(g, k, seed, exact_max_nodes)
    raw = centrality.betweenness(
        g,
        normalized=False,
        k=None if drawn is None else drawn.size,
        seed=seed,
        exact_max_nodes=exact_max_nodes,
    )
    top_max, bottom_max = _max_betweenness(n, m), _max_betweenness(m, n)
    return {v: raw[v] / (top_max if v in top else bottom_max) for v in g}


def _max_betweenness(n: int, m: int) -> float:
    """The largest betweenness of a node of the mode of size ``n`` facing a mode of size ``m``."""
    s, t = divmod(n - 1, m)
    top = ((m**2) * ((s + 1) ** 2)) + (m * (s + 1) * (2 * t - s - 1)) - (t * ((2 * s) - t + 3))
    return top / 2.0 or 1.0


def closeness(
    g: nx.Graph,
    k: int | None = None,
    seed: int = centrality.DEFAULT_SEED,
    exact_max_nodes: int = centrality.EXACT_CLOSENESS_MAX_NODES,
) -> dict[Any, float]:
    """Two-mode closeness centrality (normalised by the sizes of the modes).

    NetworkX's ``bipartite.closeness_centrality``, on distances from
    :func:`coopgraph.network.centrality.reach_and_distance` (exact up to 10,000 nodes, the
    Eppstein-Wang estimate from 500 sources per component above,
    :func:`~coopgraph.network.centrality.closeness_sample`, whose options ``k``, ``seed`` and
    ``exact_max_nodes`` it takes).

    Examples
    --------
    >>> g = nx.Graph([("x", "a"), ("y", "a"), ("y", "b")])
    >>> nx.set_node_attributes(g, {"x": 0, "y": 0, "a": 1, "b": 1}, "bipartite")
    >>> closeness(g)["y"]
    1.0
    """
    if g.number_of_nodes() == 0:
        return {}
    top = _actors(g)
    size = g.number_of_nodes()
    n, m = len(top), size - len(top)
    out: dict[Any, float] = {}
    sums = centrality.reach_and_distance(g, k=k, seed=seed, exact_max_nodes=exact_max_nodes)
    for v, (reached, total) in sums.items():
        if total <= 0 or size <= 1:
            out[v] = 0.0
            continue
        best = m + 2 * (n - 1) if v in top else n + 2 * (m - 1)
        out[v] = best / total * (reached - 1) / (size - 1)
    return out
