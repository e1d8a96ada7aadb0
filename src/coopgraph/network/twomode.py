"""Two-mode measures on the bipartite actor-activity network (``networkx.algorithms.bipartite``).

Each measure is normalised within the two modes, as Borgatti and Everett define it, so actors
compare with actors and activities with activities. Nodes carry ``bipartite=0`` (actors) or
``bipartite=1`` (activities).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from networkx.algorithms import bipartite as nxb


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


def betweenness(g: nx.Graph) -> dict[Any, float]:
    """Two-mode betweenness centrality, normalised by the largest possible value in each mode.

    Examples
    --------
    >>> g = nx.Graph([("x", "a"), ("y", "a"), ("y", "b")])
    >>> nx.set_node_attributes(g, {"x": 0, "y": 0, "a": 1, "b": 1}, "bipartite")
    >>> betweenness(g)["y"], betweenness(g)["x"]
    (1.0, 0.0)
    """
    if g.number_of_nodes() == 0:
        return {}
    values = nxb.betweenness_centrality(g, _actors(g))
    return {v: float(values[v]) for v in g}


def closeness(g: nx.Graph) -> dict[Any, float]:
    """Two-mode closeness centrality (normalised by the sizes of the modes).

    Examples
    --------
    >>> g = nx.Graph([("x", "a"), ("y", "a"), ("y", "b")])
    >>> nx.set_node_attributes(g, {"x": 0, "y": 0, "a": 1, "b": 1}, "bipartite")
    >>> closeness(g)["y"]
    1.0
    """
    if g.number_of_nodes() == 0:
        return {}
    values = nxb.closeness_centrality(g, _actors(g))
    return {v: float(values[v]) for v in g}
