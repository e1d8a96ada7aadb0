"""Node positions of a projection for the network explorer, and the view the browser draws.

The layout is computed on the server, once per projection and filters: it is cached on the
graph object, and the graphs are themselves cached per store version and filters (see
:func:`coopgraph.network.projections.project`), so a browser asking again, or for another
measure or colouring, gets the stored positions. igraph's Fruchterman-Reingold places the
nodes (seeded, so the same network always gets the same picture); above
:data:`GRID_THRESHOLD` nodes its grid variant keeps the cost near linear (about a second for
10,000 nodes, where DrL took half a minute on the same machine, see
``bench/RESULTS-explorer.md``).

:func:`view` is what ``GET /network/{projection}/view`` answers: nodes with their position,
size, colour and community, and edges as pairs of node indices (a 10,000-node network stays a
few hundred kilobytes of JSON).
"""

from __future__ import annotations

import colorsys
import math
import random
import threading
from collections import Counter
from typing import Any

import igraph
import networkx as nx

from coopgraph.errors import ParameterError
from coopgraph.network.centrality import DEFAULT_SEED
from coopgraph.network.filters import RawFilters, filters_for
from coopgraph.network.measures import MEASURES, TWO_MODE, scores
from coopgraph.network.projections import PROJECTIONS, project
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

GRID_THRESHOLD = 1000
"""Above this many nodes the layout uses igraph's grid-accelerated Fruchterman-Reingold."""

COLOUR_BY: tuple[str, ...] = ("community", "kind")
"""How nodes can be coloured in the explorer."""

KIND_COLOURS: dict[str, str] = {
    "country": "#1f5fa8",
    "organisation": "#b8480c",
    "person": "#2b7a3d",
    "fund": "#8a3b8f",
    "activity": "#6b6b6b",
    "agent": "#7a6a1f",
    "other": "#555555",
}
"""The colour of each kind of node (all readable on white, as the legend's text is)."""

_lock = threading.Lock()
_igraph_rng = threading.Lock()


def positions(g: nx.Graph, seed: int = DEFAULT_SEED) -> dict[Any, tuple[float, float]]:
    """Node positions of ``g`` in ``[-1, 1]``, computed once per graph object and cached on it.

    Parameters
    ----------
    g
        A projection (its edge ``weight`` pulls nodes together).
    seed
        Seed of the starting positions: the same graph always gets the same layout.

    Returns
    -------
    dict
        ``(x, y)`` by node.

    Examples
    --------
    >>> g = nx.path_graph(3)
    >>> pos = positions(g)
    >>> sorted(pos), all(-1 <= c <= 1 for xy in pos.values() for c in xy)
    ([0, 1, 2], True)
    >>> positions(g) is pos
    True
    """
    with _lock:
        cached = g.graph.get("_layout")
        if cached is not None and cached[0] == seed:
            return cached[1]
    nodes = list(g)
    pos: dict[Any, tuple[float, float]] = {}
    if len(nodes) == 1:
        pos = {nodes[0]: (0.0, 0.0)}
    elif nodes:
        index = {v: i for i, v in enumerate(nodes)}
        edges = [(index[u], index[v]) for u, v in g.edges() if u != v]
        weights = [float(d.get("weight", 1.0)) for u, v, d in g.edges(data=True) if u != v]
        ig = igraph.Graph(n=len(nodes), edges=edges, directed=False)
        rng = random.Random(seed)
        # start in the square igraph itself would use: squeezed into [-1, 1], the grid variant
        # puts every node in one cell and is a hundred times slower
        half_side = math.sqrt(len(nodes)) / 2
        start = [[rng.uniform(-half_side, half_side), rng.uniform(-half_side, half_side)] for _ in nodes]
        big = len(nodes) > GRID_THRESHOLD
        # igraph draws from its one process-wide generator: seed it, and hold it, for this layout
        with _igraph_rng:
            igraph.set_random_number_generator(random.Random(seed))
            try:
                coords = ig.layout_fruchterman_reingold(
                    weights=weights or None, seed=start, niter=300 if big else 500, grid=big
                ).coords
            finally:
                igraph.set_random_number_generator(random)
        xs = [c[0] for c in coords]
        ys = [c[1] for c in coords]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
        pos = {v: ((x - cx) / half, (y - cy) / half) for v, (x, y) in zip(nodes, coords, strict=True)}
    with _lock:
        g.graph["_layout"] = (seed, pos)
    return pos


def palette(n: int) -> list[str]:
    """``n`` distinct colours, each with a contrast of at least 3:1 against white.

    Examples
    --------
    >>> palette(2)
    ['#8a2719', '#25747e']
    """
    colours = []
    for i in range(n):
        hue = (0.02 + i * 0.618034) % 1.0 if n > 2 else 0.02 + i * 0.5
        r, g, b = colorsys.hls_to_rgb(hue, 0.32, 0.69 if i % 2 == 0 else 0.55)
        colours.append(f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}")
    return colours


def checked_projection(name: str) -> str:
    """``name`` if it is a projection, else :class:`ParameterError` quoting at most 40 characters of it.

    >>> checked_projection("x" * 100)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'projection': 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' is not one of ...
    """
    if name not in PROJECTIONS:
        shown = name[:40] + ("…" if len(name) > 40 else "")
        raise ParameterError("projection", f"{shown!r} is not one of {', '.join(PROJECTIONS)}")
    return name


def _shown(value: str) -> str:
    return repr(value[:40] + ("…" if len(value) > 40 else ""))


def measures_of(projection: str) -> list[str]:
    """The measures nodes can be sized by on ``projection`` (numeric ones only).

    >>> measures_of("bipartite")
    ['degree', 'betweenness', 'closeness']
    """
    table = TWO_MODE if projection == "bipartite" else MEASURES
    return [m for m in table if m != "community"]


def view(
    store: Store,
    catalogue: QueryCatalogue,
    projection: str,
    raw_filters: RawFilters,
    size_by: str | None = None,
    colour_by: str | None = None,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The projection as the explorer draws it: positioned, sized and coloured nodes, and edges.

    Parameters
    ----------
    store, catalogue
        Where the projection comes from.
    projection
        ``co-participation``, ``bipartite`` or ``funding``.
    raw_filters
        The filters, as :data:`~coopgraph.network.filters.RawFilters`.
    size_by
        A measure of :func:`measures_of` (default ``degree``).
    colour_by
        ``community`` (not on the bipartite network) or ``kind`` (default: community on the
        one-mode networks, kind on the bipartite one).
    labels
        Labels to show instead of the graph's own (for example in the reader's language).

    Returns
    -------
    dict
        ``projection``, ``filters`` (canonical query string), ``size``, ``colour``, ``nodes``
        (``id``, ``label``, ``kind``, ``x``, ``y``, ``size`` (2-12 pixels, for drawing), ``value`` (the
        measure), ``community`` (or ``None``), ``colour``), ``edges`` (``[source index, target
        index, weight]``), ``legend`` (``group``, ``colour``, ``count``) and ``directed``.

    Raises
    ------
    ParameterError
        Naming ``projection``, ``size``, ``colour`` or the filter that is malformed.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> cat = QueryCatalogue(Settings().queries_dir)
    >>> view(EmbeddedStore(None), cat, "co-participation", {})["nodes"]
    []
    >>> view(EmbeddedStore(None), cat, "bipartite", {}, colour_by="community")
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'colour': communities are found on co-participation or funding; use kind
    """
    checked_projection(projection)
    numeric = measures_of(projection)
    size_name = size_by or "degree"
    if size_name not in numeric:
        raise ParameterError("size", f"{_shown(size_name)} is not one of {', '.join(numeric)}")
    colour_name = colour_by or ("kind" if projection == "bipartite" else "community")
    if colour_name not in COLOUR_BY:
        raise ParameterError("colour", f"{_shown(colour_name)} is not one of {', '.join(COLOUR_BY)}")
    if projection == "bipartite" and colour_name == "community":
        raise ParameterError("colour", "communities are found on co-participation or funding; use kind")
    g = project(store, projection, catalogue, filters_for(projection, raw_filters))
    key = (size_name, colour_name)
    with _lock:
        cached = g.graph.setdefault("_views", {}).get(key) if labels is None else None
    if cached is not None:
        return cached
    pos = positions(g)
    values = scores(g, size_name)
    community = (
        {v: int(c) for v, c in scores(g, "community", weighted=True).items()}
        if projection != "bipartite"
        else {}
    )
    low = min(values.values(), default=0.0)
    span = (max(values.values(), default=1.0) - low) or 1.0
    if colour_name == "community":
        groups = {v: f"community {community.get(v, 0)}" for v in g}
    else:
        groups = {v: str(g.nodes[v].get("kind", "other")) for v in g}
    counts = Counter(groups.values())
    order = sorted(counts, key=lambda grp: (-counts[grp], grp))
    if colour_name == "kind":
        colours = {grp: KIND_COLOURS.get(grp, KIND_COLOURS["other"]) for grp in order}
    else:
        colours = dict(zip(order, palette(len(order)), strict=True))
    shown = labels or {}
    index = {v: i for i, v in enumerate(g)}
    nodes = [
        {
            "id": v,
            "label": shown.get(v) or str(data.get("label", v)),
            "kind": data.get("kind", "other"),
            "x": round(pos[v][0], 4),
            "y": round(pos[v][1], 4),
            "size": round(2 + 10 * ((values.get(v, low) - low) / span) ** 0.5, 2),
            "value": round(float(values.get(v, low)), 6),
            "community": community.get(v),
            "colour": colours[groups[v]],
        }
        for v, data in g.nodes(data=True)
    ]
    edges = [[index[u], index[v], data.get("weight", 1)] for u, v, data in g.edges(data=True)]
    drawn = {
        "projection": projection,
        "filters": g.graph.get("filters", ""),
        "size": size_name,
        "colour": colour_name,
        "directed": g.is_directed(),
        "nodes": nodes,
        "edges": edges,
        "legend": [{"group": grp, "colour": colours[grp], "count": counts[grp]} for grp in order],
    }
    if labels is None:
        # one per measure and colouring, on the graph the projection cache holds (callers only read it)
        with _lock:
            g.graph["_views"][key] = drawn
    return drawn
