"""Brokerage: Burt's structural holes measures, constraint and effective size.

A broker links contacts who are not linked to each other: low constraint, high effective size.
Each function takes a NetworkX graph and keyword options and returns ``{node: value}``.
An isolate has neither measure (Burt's constraint is undefined without contacts): it is left
out of the result.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx


def constraint(g: nx.Graph, weighted: bool = False) -> dict[Any, float]:
    """Burt's constraint of each node with at least one contact (lower: more of a broker).

    Parameters
    ----------
    g
        The network.
    weighted
        Use the edge ``weight`` (shared activities) as the strength of each tie.

    Examples
    --------
    The centre of a star depends on no one contact; each leaf depends wholly on the centre:

    >>> constraint(nx.star_graph(3))
    {0: 0.3333333333333333, 1: 1.0, 2: 1.0, 3: 1.0}
    """
    values = nx.constraint(g, weight="weight" if weighted else None)
    return {v: float(c) for v, c in values.items() if not math.isnan(c)}


def effective_size(g: nx.Graph, weighted: bool = False) -> dict[Any, float]:
    """Burt's effective size: the number of contacts minus their redundancy (higher: broker).

    Examples
    --------
    >>> effective_size(nx.star_graph(3))
    {0: 3.0, 1: 1.0, 2: 1.0, 3: 1.0}
    >>> effective_size(nx.complete_graph(3))
    {0: 1.0, 1: 1.0, 2: 1.0}
    """
    values = nx.effective_size(g, weight="weight" if weighted else None)
    return {v: float(c) for v, c in values.items() if not math.isnan(c)}
