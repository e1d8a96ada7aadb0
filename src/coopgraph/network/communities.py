"""Communities: Louvain partition with a fixed seed, and its modularity.

The partition is deterministic: the same network and seed always give the same communities,
numbered from 0 by decreasing size (ties: by the smallest node identifier).

Up to ``NETWORKX_LOUVAIN_MAX_NODES`` (10,000) nodes the partition is NetworkX's
``louvain_communities``; above, igraph's ``community_multilevel`` (the same method of Blondel
et al., in C: NetworkX takes over 60 s at 100,000 actors, igraph a few seconds), seeded through
:func:`~coopgraph.network.centrality.seeded_igraph`. A directed network stays on NetworkX
(igraph's method is for undirected networks only).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from coopgraph.network.centrality import DEFAULT_SEED, _use_igraph, seeded_igraph, to_igraph

NETWORKX_LOUVAIN_MAX_NODES = 10_000
"""Largest network (in nodes) whose communities are NetworkX's; igraph's above."""


def louvain(
    g: nx.Graph,
    weighted: bool = True,
    seed: int = DEFAULT_SEED,
    resolution: float = 1.0,
    networkx_max_nodes: int = NETWORKX_LOUVAIN_MAX_NODES,
    backend: str = "auto",
) -> dict[Any, int]:
    """The community number of each node (Louvain, modularity maximisation).

    Parameters
    ----------
    g
        The network.
    weighted
        Use the edge ``weight`` (shared activities).
    seed
        Seed of the order in which nodes are visited.
    resolution
        Above 1 favours smaller communities, below 1 larger ones.
    networkx_max_nodes
        Largest network run on NetworkX; a larger undirected one runs on igraph.
    backend
        ``auto`` (igraph above ``networkx_max_nodes`` if installed), ``igraph`` or ``networkx``.

    Examples
    --------
    Two triangles joined by one edge fall apart into two communities, on either back end:

    >>> g = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> louvain(g)
    {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    >>> louvain(g, backend="igraph")
    {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    """
    if g.number_of_nodes() == 0:
        return {}
    on_igraph = not g.is_directed() and (
        backend == "igraph"
        or (backend == "auto" and g.number_of_nodes() > networkx_max_nodes and _use_igraph(backend))
    )
    if on_igraph:
        ig, nodes = to_igraph(g, "weight" if weighted else None)
        with seeded_igraph(seed):
            clusters = ig.community_multilevel(weights="w" if weighted else None, resolution=resolution)
        parts: list[set[Any]] = [{nodes[i] for i in members} for members in clusters]
    else:
        if backend not in ("auto", "igraph", "networkx"):
            raise ValueError(f"unknown backend {backend!r}")
        parts = nx.community.louvain_communities(
            g, weight="weight" if weighted else None, resolution=resolution, seed=seed
        )
    ordered = sorted(parts, key=lambda c: (-len(c), min(str(v) for v in c)))
    return {v: i for i, part in enumerate(ordered) for v in sorted(part, key=str)}


def modularity(g: nx.Graph, membership: dict[Any, int], weighted: bool = True) -> float:
    """Newman's modularity of a partition given as ``{node: community}``.

    Examples
    --------
    >>> g = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> round(modularity(g, louvain(g)), 4)
    0.3571
    """
    if g.number_of_edges() == 0:
        return 0.0
    groups: dict[int, set[Any]] = {}
    for v, c in membership.items():
        groups.setdefault(c, set()).add(v)
    return float(nx.community.modularity(g, groups.values(), weight="weight" if weighted else None))


@dataclass
class Community:
    """One community: its number, members and most central members (by degree)."""

    number: int
    size: int
    members: list[Any]
    top: list[Any]


def summarise(g: nx.Graph, membership: dict[Any, int], top: int = 5) -> list[Community]:
    """The communities of ``membership`` with their ``top`` members by degree (ties by id).

    Examples
    --------
    >>> g = nx.Graph([(0, 1), (0, 2), (3, 4)])
    >>> [(c.number, c.size, c.top) for c in summarise(g, louvain(g), top=1)]
    [(0, 3, [0]), (1, 2, [3])]
    """
    groups: dict[int, list[Any]] = {}
    for v, c in membership.items():
        groups.setdefault(c, []).append(v)
    out = []
    for number in sorted(groups):
        members = sorted(groups[number], key=lambda v: (-g.degree(v), str(v)))
        out.append(Community(number, len(members), members, members[:top]))
    return out
