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

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from coopgraph.network.centrality import DEFAULT_SEED  # noqa: E402

FORMATS: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml"}
"""Image formats by file extension, with their media types."""

COLOUR_BY = ("community", "sector", "kind")


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
    if fmt not in FORMATS:
        raise ValueError(f"unknown image format {fmt!r}")
    fig, ax = plt.subplots(figsize=(11, 8), dpi=100)
    try:
        ax.set_axis_off()
        if title:
            ax.set_title(title)
        if g.number_of_nodes():
            pos = nx.spring_layout(g, seed=seed, k=1.5 / max(1, g.number_of_nodes()) ** 0.5, iterations=100)
            low = min(size.values(), default=0.0)
            high = max(size.values(), default=1.0)
            span = (high - low) or 1.0
            sizes = [40 + 900 * (size.get(v, low) - low) / span for v in g]
            groups = sorted({colour.get(v, "other") for v in g})
            cmap = plt.get_cmap("tab20" if len(groups) > 10 else "tab10")
            colours = {grp: cmap(i % cmap.N) for i, grp in enumerate(groups)}
            nx.draw_networkx_edges(g, pos, ax=ax, alpha=0.25, width=0.6, arrows=g.is_directed())
            nx.draw_networkx_nodes(
                g, pos, ax=ax, node_size=sizes, node_color=[colours[colour.get(v, "other")] for v in g],
                edgecolors="white", linewidths=0.5,
            )
            best = sorted(g, key=lambda v: (-size.get(v, low), str(v)))[:top]
            nx.draw_networkx_labels(
                g, pos, ax=ax, labels={v: str(g.nodes[v].get("label", v))[:40] for v in best}, font_size=8,
            )
            handles = [
                Line2D([0], [0], marker="o", linestyle="", markersize=8, color=colours[grp], label=grp[:40])
                for grp in groups[:20]
            ]
            ax.legend(handles=handles, loc="lower left", fontsize=7, frameon=False)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, bbox_inches="tight")
        return buffer.getvalue()
    finally:
        plt.close(fig)
