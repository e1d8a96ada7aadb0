"""Server-side layout and the explorer's view: known answers on small graphs, caching, parameters."""

from __future__ import annotations

import networkx as nx
import pytest

from coopgraph.errors import ParameterError
from coopgraph.network import layout
from coopgraph.network.layout import palette, positions, view
from coopgraph.network.projections import project
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore


def test_positions_fill_the_square_and_are_seeded() -> None:
    g = nx.karate_club_graph()
    pos = positions(g)
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    assert min(min(xs), min(ys)) >= -1.0 and max(max(xs), max(ys)) <= 1.0
    assert pytest.approx(max(max(xs) - min(xs), max(ys) - min(ys))) == 2.0
    assert positions(nx.karate_club_graph()) == pos  # the same graph, the same picture


def test_positions_are_cached_on_the_graph() -> None:
    g = nx.path_graph(5)
    assert positions(g) is positions(g)
    assert positions(g, seed=7) is not positions(g)


def test_linked_nodes_are_closer_than_unlinked_ones() -> None:
    g = nx.barbell_graph(8, 0)
    pos = positions(g)

    def dist(u: int, v: int) -> float:
        return float(((pos[u][0] - pos[v][0]) ** 2 + (pos[u][1] - pos[v][1]) ** 2) ** 0.5)

    assert dist(0, 1) < dist(0, 15)


def test_large_graphs_use_the_grid_variant(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(layout, "GRID_THRESHOLD", 10)
    g = nx.random_regular_graph(3, 40, seed=1)
    assert len(positions(g)) == 40


def test_empty_and_single_node_graphs() -> None:
    assert positions(nx.Graph()) == {}
    g = nx.Graph()
    g.add_node("x")
    assert positions(g) == {"x": (0.0, 0.0)}


def test_palette_is_distinct_and_dark_enough() -> None:
    colours = palette(12)
    assert len(set(colours)) == 12

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    # contrast with white of at least 3:1 (a graphical object, WCAG 1.4.11)
    assert all((1.05) / (luminance(c) + 0.05) >= 3.0 for c in colours)


def test_view_of_the_project(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> None:
    v = view(project_store, catalogue, "co-participation", {}, "degree", "community")
    g = project(project_store, "co-participation", catalogue)
    assert len(v["nodes"]) == g.number_of_nodes()
    assert len(v["edges"]) == g.number_of_edges()
    by_id = {n["id"]: n for n in v["nodes"]}
    top = max(v["nodes"], key=lambda n: n["value"])
    assert top["value"] == max(d for _, d in g.degree())
    assert {n["colour"] for n in v["nodes"] if n["community"] == top["community"]} == {top["colour"]}
    assert all(by_id[v["nodes"][s]["id"]] and w >= 1 for s, _, w in v["edges"])


def test_view_by_kind_uses_the_kind_colours(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> None:
    v = view(project_store, catalogue, "bipartite", {"kind": "country"})
    assert v["colour"] == "kind"
    assert {n["colour"] for n in v["nodes"] if n["kind"] == "country"} == {layout.KIND_COLOURS["country"]}
    assert all(n["community"] is None for n in v["nodes"])


@pytest.mark.parametrize(
    ("projection", "size", "colour", "name"),
    [
        ("galaxy", None, None, "projection"),
        ("co-participation", "community", None, "size"),
        ("co-participation", "x" * 1000, None, "size"),
        ("co-participation", None, "sector", "colour"),
        ("bipartite", None, "community", "colour"),
        ("bipartite", "pagerank", None, "size"),
    ],
)
def test_view_rejects_bad_parameters(
    project_store: EmbeddedStore, catalogue: QueryCatalogue, projection, size, colour, name
) -> None:
    with pytest.raises(ParameterError) as error:
        view(project_store, catalogue, projection, {}, size, colour)
    assert error.value.name == name
    assert len(str(error.value)) < 300
