"""Drawings are real PNG and SVG files."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import networkx as nx

from coopgraph.network.plot import draw


def test_png_and_svg() -> None:
    g = nx.les_miserables_graph()
    size = dict(g.degree())
    colour = {v: "odd" if len(v) % 2 else "even" for v in g}
    png = draw(g, size, colour, fmt="png", top=5)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    svg = draw(g, size, colour, fmt="svg", top=5, title="Les Misérables")
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    assert b"Valjean" in svg  # the best-connected node is labelled
