"""Export a projection as GraphML, GEXF or node-link JSON.

GraphML and GEXF readers (Gephi, igraph, Cytoscape) take scalar attribute values only, so a
list attribute (the activities of an edge, the sectors of a node) is written as a string: the
items joined with ``"; "`` (``activity_labels``, ``sector``) or, for lists of IRIs, a JSON array
(``activities``, ``contributions``). Node-link JSON keeps lists as JSON arrays. Every export has
node attributes ``iri``, ``label`` and ``kind``, and the community number and degree of each
node when ``measures`` are given; missing values are left out (GraphML has no null).
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import Any

import networkx as nx

EXPORT_MEDIA_TYPES: dict[str, str] = {
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
    "json": "application/json",
}
"""Export formats by file extension, with their media types."""

_JSON_LISTS = {"activities", "contributions"}


def _scalar(key: str, value: Any) -> Any:
    if isinstance(value, (list, tuple, set)):
        items = sorted(value) if isinstance(value, set) else list(value)
        return json.dumps(items, ensure_ascii=False) if key in _JSON_LISTS else "; ".join(map(str, items))
    return value


def portable(
    g: nx.Graph, measures: Mapping[str, Mapping[Any, float]] | None = None, scalars: bool = True
) -> nx.Graph:
    """A copy of ``g`` fit for export: string node ids, an ``iri`` attribute, scalar values.

    Parameters
    ----------
    g
        A projection.
    measures
        Extra node attributes (``{"degree": {node: value}}``).
    scalars
        Turn list values into strings (GraphML, GEXF).

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_edge("x", "y", weight=2, activities=["a1", "a2"], activity_labels=["One", "Two"])
    >>> dict(portable(g).edges["x", "y"])
    {'weight': 2, 'activities': '["a1", "a2"]', 'activity_labels': 'One; Two'}
    """
    out = g.__class__()
    out.graph.update({k: v for k, v in g.graph.items() if not k.startswith("_") and v is not None})
    for v, data in g.nodes(data=True):
        attrs = {"iri": str(v), **data}
        for name, values in (measures or {}).items():
            if v in values:
                attrs[name] = values[v]
        out.add_node(
            str(v), **{k: (_scalar(k, x) if scalars else x) for k, x in attrs.items() if x is not None}
        )
    for u, v, data in g.edges(data=True):
        out.add_edge(
            str(u), str(v), **{k: (_scalar(k, x) if scalars else x) for k, x in data.items() if x is not None}
        )
    return out


def to_graphml(g: nx.Graph, measures: Mapping[str, Mapping[Any, float]] | None = None) -> bytes:
    """The network as GraphML (UTF-8).

    Examples
    --------
    >>> data = to_graphml(nx.Graph([("x", "y", {"weight": 2})]))
    >>> nx.read_graphml(io.BytesIO(data)).edges["x", "y"]["weight"]
    2
    """
    buffer = io.BytesIO()
    nx.write_graphml(portable(g, measures), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_gexf(g: nx.Graph, measures: Mapping[str, Mapping[Any, float]] | None = None) -> bytes:
    """The network as GEXF 1.2 (UTF-8); node ``label`` is the GEXF label.

    Examples
    --------
    >>> data = to_gexf(nx.Graph([("x", "y", {"weight": 2})]))
    >>> nx.read_gexf(io.BytesIO(data)).edges["x", "y"]["weight"]
    2.0
    """
    buffer = io.BytesIO()
    nx.write_gexf(portable(g, measures), buffer, encoding="utf-8")
    return buffer.getvalue()


def to_node_link(g: nx.Graph, measures: Mapping[str, Mapping[Any, float]] | None = None) -> dict[str, Any]:
    """The network as node-link JSON (``nodes``, ``edges``; lists kept as arrays).

    Examples
    --------
    >>> doc = to_node_link(nx.Graph([("x", "y", {"weight": 2})]))
    >>> doc["edges"]
    [{'weight': 2, 'source': 'x', 'target': 'y'}]
    """
    return nx.node_link_data(portable(g, measures, scalars=False), edges="edges")


def export(g: nx.Graph, fmt: str, measures: Mapping[str, Mapping[Any, float]] | None = None) -> bytes:
    """The network in format ``fmt`` (``graphml``, ``gexf``, ``json``) as bytes."""
    if fmt == "graphml":
        return to_graphml(g, measures)
    if fmt == "gexf":
        return to_gexf(g, measures)
    if fmt == "json":
        return json.dumps(to_node_link(g, measures), ensure_ascii=False, indent=1).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}")
