"""The registry of network measures, their cached scores and ranked rows.

:func:`scores` computes one measure on a projection and caches the result on the graph object
(projections are themselves cached against the store version and filters, see
:func:`coopgraph.network.projections.project`), so a repeated request costs a dictionary look-up.
:func:`ranking` turns scores into rows with ``iri``, ``label``, ``kind``, ``value`` and ``rank``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from coopgraph.errors import ParameterError
from coopgraph.network import brokerage, centrality, communities, twomode
from coopgraph.network.centrality import Sample

Scorer = Callable[..., dict[Any, Any]]
Sampler = Callable[[nx.Graph], Sample | None]


@dataclass(frozen=True)
class Measure:
    """A measure: its public name, function, whether it takes ``weighted``, its order, and the
    function that says which sample its estimate of a network is drawn from."""

    name: str
    function: Scorer
    weighted_option: bool = True
    descending: bool = True
    """Rank 1 is the highest value (``False`` for constraint: rank 1 is the lowest)."""
    sampler: Sampler | None = None
    """The sample ``function`` draws on a network with its default options (``None``: exact)."""


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("degree", centrality.degree, weighted_option=False),
        Measure("strength", centrality.strength, weighted_option=False),
        Measure("betweenness", centrality.betweenness, sampler=centrality.betweenness_sample),
        Measure("closeness", centrality.closeness, sampler=centrality.closeness_sample),
        Measure("harmonic", centrality.harmonic, sampler=centrality.closeness_sample),
        Measure("eigenvector", centrality.eigenvector),
        Measure("pagerank", centrality.pagerank),
        Measure("core-number", centrality.core_number, weighted_option=False),
        Measure("constraint", brokerage.constraint, descending=False),
        Measure("effective-size", brokerage.effective_size),
        Measure("community", communities.louvain),
    )
}
"""Measures of the one-mode networks (co-participation, funding), by public name."""

TWO_MODE: dict[str, Measure] = {
    m.name: m
    for m in (
        Measure("degree", twomode.degree, weighted_option=False),
        Measure(
            "betweenness", twomode.betweenness, weighted_option=False, sampler=twomode.betweenness_sample
        ),
        Measure("closeness", twomode.closeness, weighted_option=False, sampler=centrality.closeness_sample),
    )
}
"""Measures of the bipartite network (two-mode definitions)."""

_lock = threading.Lock()


def measures_for(g: nx.Graph) -> dict[str, Measure]:
    """The measures that apply to ``g`` (two-mode ones for the bipartite projection)."""
    return TWO_MODE if g.graph.get("projection") == "bipartite" else MEASURES


def measure(g: nx.Graph, name: str) -> Measure:
    """The measure ``name`` for ``g``, or :class:`ParameterError` on ``measure``."""
    table = measures_for(g)
    if name not in table:
        raise ParameterError("measure", f"{name!r} is not one of {', '.join(table)}")
    return table[name]


def scores(g: nx.Graph, name: str, weighted: bool = False) -> dict[Any, float]:
    """The scores of measure ``name`` on ``g``, computed once per graph and options.

    Examples
    --------
    >>> g = nx.star_graph(3)
    >>> scores(g, "degree")
    {0: 3, 1: 1, 2: 1, 3: 1}
    >>> scores(g, "degree") is scores(g, "degree")
    True
    """
    m = measure(g, name)
    key = (name, weighted and m.weighted_option)
    with _lock:
        cache = g.graph.setdefault("_scores", {})
        if key in cache:
            return cache[key]
    if g.number_of_nodes() == 0:
        values: dict[Any, float] = {}
    else:
        values = m.function(g, weighted=weighted) if m.weighted_option else m.function(g)
    with _lock:
        g.graph["_scores"][key] = values
    return values


def sample(g: nx.Graph, name: str) -> Sample | None:
    """The sample the scores of measure ``name`` on ``g`` are estimated from, ``None`` if exact.

    Every answer built on :func:`scores` or :func:`ranking` says so with this (its size and
    seed). The sample does not depend on ``weighted``.

    Examples
    --------
    >>> sample(nx.path_graph(4), "betweenness") is None
    True
    >>> sample(nx.path_graph(3000), "betweenness")
    Sample(method='brandes-pich', size=500, nodes=3000, seed=42)
    """
    m = measure(g, name)
    if m.sampler is None:
        return None
    with _lock:
        cache = g.graph.setdefault("_samples", {})
        if name in cache:
            return cache[name]
    # the closeness sample walks the components: cached with the scores, not redrawn per request
    drawn = m.sampler(g)
    with _lock:
        g.graph["_samples"][name] = drawn
    return drawn


def ranking(g: nx.Graph, name: str, weighted: bool = False, top: int | None = None) -> list[dict[str, Any]]:
    """Rows ``iri, label, kind, value, rank`` of measure ``name``, best first.

    Ties share the smaller rank (competition ranking: 1, 2, 2, 4); equal values are listed by
    label. Rank 1 is the highest value, except for constraint, where it is the lowest (the
    strongest broker). For ``community`` the value is the community number. The full ranking
    is computed once per graph, measure and option and cached on the graph with the scores, so
    a repeated call only slices it.

    Examples
    --------
    >>> g = nx.star_graph(2)
    >>> [(r["iri"], r["value"], r["rank"]) for r in ranking(g, "degree")]
    [('0', 2, 1), ('1', 1, 2), ('2', 1, 2)]
    """
    m = measure(g, name)
    key = (name, weighted and m.weighted_option)
    with _lock:
        cached = g.graph.setdefault("_rankings", {}).get(key)
    if cached is None:
        cached = _rank(g, m, scores(g, name, weighted))
        with _lock:
            g.graph["_rankings"][key] = cached
    # copies: callers may add or rename columns
    return [dict(row) for row in (cached[:top] if top is not None else cached)]


def _rank(g: nx.Graph, m: Measure, values: dict[Any, float]) -> list[dict[str, Any]]:
    name = m.name
    sign = -1 if m.descending and name != "community" else 1

    def label(v: Any) -> str:
        return str(g.nodes[v].get("label", v))

    ordered = sorted(values, key=lambda v: (sign * values[v], label(v), str(v)))
    rows: list[dict[str, Any]] = []
    previous: Any = object()
    rank = 0
    for position, v in enumerate(ordered, start=1):
        if values[v] != previous:
            rank, previous = position, values[v]
        rows.append(
            {
                "iri": str(v),
                "label": label(v),
                "kind": g.nodes[v].get("kind", ""),
                "value": values[v],
                "rank": rank,
            }
        )
    return rows
