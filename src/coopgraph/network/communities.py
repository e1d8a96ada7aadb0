"""Communities: Louvain partition with a fixed seed, and its modularity.

The partition is deterministic: the same network and seed always give the same communities,
numbered from 0 by decreasing size (ties: by the smallest node identifier).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx

from coopgraph.network.centrality import DEFAULT_SEED


def louvain(
    g: nx.Graph, weighted: bool = True, seed: int = DEFAULT_SEED, resolution: float = 1.0
) -> dict[Any, int]:
    """The community number of each node (Louvain, modularity maximisation).

    Examples
    --------
    Two triangles joined by one edge fall apart into two communities:

    >>> g = nx.Graph([(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)])
    >>> louvain(g)
    {0: 0, 1: 0, 2: 0, 3: 1, 4: 1, 5: 1}
    """
    if g.number_of_nodes() == 0:
        return {}
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
