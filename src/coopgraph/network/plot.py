"""Drawings of a projection as PNG or SVG (matplotlib, Agg back end: no display needed).

Nodes are placed by a spring layout with a fixed seed (the same network always gives the same
picture), sized by a measure, coloured by community, cultural or organisation sector, or kind,
and the ``top`` nodes by that measure are labelled. A legend names the colours.
"""

from __future__ import annotations

import io
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: render to files, never to a screen

import matplotlib.pyplot as plt
import networkx as nx
from matplotlib.lines import Line2D

from coopgraph.network.centrality import DEFAULT_SEED

IMAGE_MEDIA_TYPES: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml"}
"""Image formats by file extension, with their media types."""

COLOUR_BY = ("community", "sector", "kind")


def layout(g: nx.Graph, seed: int = DEFAULT_SEED) -> dict[Any, Any]:
    """Node positions: the largest component fills the frame, the others sit in a row below it.

    Examples
    --------
    >>> g = nx.path_graph(3)
    >>> g.add_edge(5, 6)
    >>> sorted(layout(g))
    [0, 1, 2, 5, 6]
    """
    u = g.to_undirected(as_view=True) if g.is_directed() else g
    parts = sorted(nx.connected_components(u), key=lambda c: (-len(c), min(map(str, c))))
    main = u.subgraph(parts[0])
    if main.number_of_nodes() <= 400:
        pos = dict(nx.kamada_kawai_layout(main))
    else:
        pos = dict(nx.spring_layout(main, seed=seed, iterations=100))
    rest = parts[1:]
    for i, part in enumerate(rest):
        x = -1.0 + 2.0 * (i + 0.5) / len(rest)
        scale = min(0.9 / len(rest), 0.15)
        sub = nx.spring_layout(u.subgraph(part), seed=seed, scale=scale, center=(x, -1.35))
        pos.update(sub)
    return pos


def draw(
    g: nx.Graph,
    size: dict[Any, float],
    colour: dict[Any, str],
    fmt: str = "png",
    top: int = 10,
    title: str | None = None,
    seed: int = DEFAULT_SEED,
) -> bytes:
    """Draw ``g`` with node areas proportional to ``size`` and categorical ``colour`` groups.

    Parameters
    ----------
    g
        The network.
    size
        A measure by node (nodes missing from it get the smallest size).
    colour
        A group name by node (``community 0``, ``Audiovisual``...); the legend lists them.
    fmt
        ``png`` or ``svg``.
    top
        How many nodes, by ``size``, get a label.
    title
        Title of the figure.

    Examples
    --------
    >>> g = nx.star_graph(3)
    >>> draw(g, dict(g.degree()), dict.fromkeys(g, "all"))[:4]
    b'\\x89PNG'
    """
    if fmt not in IMAGE_MEDIA_TYPES:
        raise ValueError(f"unknown image format {fmt!r}")
    fig, ax = plt.subplots(figsize=(11, 8), dpi=100)
    try:
        ax.set_axis_off()
        if title:
            ax.set_title(title)
        if g.number_of_nodes():
            pos = layout(g, seed)
            low = min(size.values(), default=0.0)
            high = max(size.values(), default=1.0)
            span = (high - low) or 1.0
            sizes = [40 + 900 * (size.get(v, low) - low) / span for v in g]
            counts: dict[str, int] = {}
            for v in g:
                counts[colour.get(v, "other")] = counts.get(colour.get(v, "other"), 0) + 1
            groups = sorted(counts, key=lambda grp: (-counts[grp], grp))
            cmap = plt.get_cmap("tab20" if len(groups) > 10 else "tab10")
            colours = {grp: cmap(i % cmap.N) for i, grp in enumerate(groups)}
            nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.25, width=0.6, arrows=g.is_directed())
            nx.draw_networkx_nodes(
                g,
                pos,
                ax=ax,
                node_size=sizes,
                node_color=[colours[colour.get(v, "other")] for v in g],
                edgecolors="white",
                linewidths=0.5,
            )
            best = sorted(g, key=lambda v: (-size.get(v, low), str(v)))[:top]
            nx.draw_networkx_labels(
                g,
                pos,
                ax=ax,
                labels={v: str(g.nodes[v].get("label", v))[:40] for v in best},
                font_size=8,
            )
            handles = [
                Line2D([0], [0], marker="o", linestyle="", markersize=8, color=colours[grp], label=grp[:40])
                for grp in groups[:20]
            ]
            ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, bbox_inches="tight")
        return buffer.getvalue()
    finally:
        plt.close(fig)
