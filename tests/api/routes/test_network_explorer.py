"""The network explorer (``/network``, ``/network/{projection}/view``) and ``/id/...?_profile=json``,
in process over the project store (``route_only`` of ``conftest.py``), including hostile input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from coopgraph.namespaces import resource_iri

MEXICO = str(resource_iri("party", "mexico"))
COLOMBIA = str(resource_iri("party", "colombia"))

HTML = {"Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"}
JSON = {"Accept": "application/json"}


def test_browser_gets_the_page_with_top_actors_and_downloads(route_only: TestClient) -> None:
    r = route_only.get("/network", headers=HTML)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    page = r.text
    assert 'id="network-canvas"' in page
    assert "static/vendor/sigma/sigma.min.js" in page and "static/network.js" in page
    assert 'id="top-actors"' in page and "/id/party/mexico" in page
    for ext in ("graphml", "gexf", "png"):
        assert f"/network/co-participation.{ext}" in page
    assert "https://cdn" not in page


def test_json_is_the_data_the_page_is_built_from(route_only: TestClient) -> None:
    r = route_only.get("/network", headers=JSON, params={"kind": "country", "size": "betweenness"})
    assert r.status_code == 200
    data = r.json()
    assert data["projection"] == "co-participation"
    assert data["size"] == "betweenness"
    assert data["query"] == "kind=country"
    assert data["filters"]["kind"] == ["country"]
    assert all(row["kind"] == "country" for row in data["top"])
    assert data["downloads"][0]["href"].endswith("/network/co-participation.graphml?kind=country")
    by_format = route_only.get(
        "/network", params={"kind": "country", "size": "betweenness", "format": "json"}
    )
    assert by_format.json() == data


def test_view_nodes_are_positioned_sized_and_coloured(route_only: TestClient) -> None:
    r = route_only.get("/network/co-participation/view", params={"size": "pagerank"})
    assert r.status_code == 200
    view = r.json()
    nodes = view["nodes"]
    assert {"id", "label", "kind", "x", "y", "size", "value", "community", "colour"} <= set(nodes[0])
    assert all(-1.0 <= n["x"] <= 1.0 and -1.0 <= n["y"] <= 1.0 for n in nodes)
    assert all(2 <= n["size"] <= 12 for n in nodes)
    assert all(0 <= s < len(nodes) and 0 <= t < len(nodes) and w >= 1 for s, t, w in view["edges"])
    biggest = max(nodes, key=lambda n: n["value"])
    assert biggest["size"] == 12
    assert sum(entry["count"] for entry in view["legend"]) == len(nodes)
    # the layout is computed once per projection and filters: the same positions for another measure
    again = route_only.get("/network/co-participation/view", params={"size": "degree"}).json()
    assert [(n["x"], n["y"]) for n in again["nodes"]] == [(n["x"], n["y"]) for n in nodes]


def test_view_filters_and_projections(route_only: TestClient) -> None:
    everything = route_only.get("/network/co-participation/view").json()
    countries = route_only.get("/network/co-participation/view", params={"kind": "country"}).json()
    assert 0 < len(countries["nodes"]) < len(everything["nodes"])
    bipartite = route_only.get("/network/bipartite/view").json()
    assert bipartite["colour"] == "kind"
    assert "activity" in {n["kind"] for n in bipartite["nodes"]}
    funding = route_only.get("/network/funding/view").json()
    assert funding["directed"] is True
    assert MEXICO in {n["id"] for n in funding["nodes"]}


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/network", {"projection": "galaxy"}, "projection"),
        ("/network", {"projection": "x" * 5000}, "projection"),
        ("/network", {"size": "fame"}, "size"),
        ("/network", {"size": "community"}, "size"),
        ("/network", {"colour": "<script>alert(1)</script>"}, "colour"),
        ("/network", {"top": "-1"}, "top"),
        ("/network", {"top": "1e9"}, "top"),
        ("/network", {"top": "9" * 400}, "top"),
        ("/network", {"format": "pdf"}, "format"),
        ("/network", {"from": "2015", "to": "2012"}, "to"),
        ("/network", {"from": "'; DROP GRAPH <x> --"}, "from"),
        ("/network", {"article": "not an iri"}, "article"),
        ("/network", {"source": "<http://x> } ; DELETE {"}, "source"),
        ("/network", {"kind": ["country", "planet"]}, "kind"),
        ("/network/galaxy/view", {}, "projection"),
        ("/network/bipartite/view", {"colour": "community"}, "colour"),
        ("/network/bipartite/view", {"size": "pagerank"}, "size"),
        ("/network/co-participation/view", {"kind": "fund"}, "kind"),
        ("/network/co-participation/view", {"modality": "\x00\x01"}, "modality"),
    ],
)
def test_hostile_parameters_are_400_naming_the_parameter(route_only: TestClient, path, params, name) -> None:
    r = route_only.get(path, params=params, headers=JSON)
    assert r.status_code == 400, r.text
    assert r.json()["name"] == name
    assert len(r.text) < 2000  # the value is not echoed back whole


def test_hostile_parameters_on_the_html_page_are_400_too(route_only: TestClient) -> None:
    r = route_only.get("/network", params={"size": "<img src=x onerror=alert(1)>"}, headers=HTML)
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("application/json")  # never rendered as HTML
    assert r.json()["name"] == "size"


def test_lang_switch_sets_the_cookie(route_only: TestClient) -> None:
    r = route_only.get("/network", params={"lang": "es"}, headers=HTML)
    assert r.status_code == 200
    assert r.cookies.get("lang") == "es"
    assert '<html lang="es">' in r.text
    assert route_only.get("/network", params={"lang": "klingon"}, headers=HTML).status_code == 400


def test_profile_json(route_only: TestClient) -> None:
    r = route_only.get(
        "/id/programme/ibermedia", params={"_profile": "json"}, headers={"Accept-Language": "es"}
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    profile = r.json()
    assert profile["label"] == "IBERMEDIA"
    assert profile["money"]["totals"] == [
        {
            "currency": "USD",
            "in": {"total": "1600000", "flows": 1, "approximate": 0},
            "out": {"total": "0", "flows": 0, "approximate": 0},
        }
    ]
    assert {p["participant"]["iri"] for p in profile["participants"]} == {MEXICO}
    assert len(profile["results"]) == 3
    sectors = next(f for f in profile["summary"]["facets"] if f["facet"] == "cultural-sector")
    assert sectors["values"][0]["label"] == "Audiovisual y cine"  # Accept-Language: es


@pytest.mark.parametrize(
    ("path", "params", "status", "name"),
    [
        ("/id/programme/ibermedia", {"_profile": "xml"}, 400, "_profile"),
        ("/id/programme/ibermedia", {"_profile": "j" * 10000}, 400, "_profile"),
        ("/id/party/atlantis", {"_profile": "json"}, 404, None),
    ],
)
def test_profile_json_hostile(route_only: TestClient, path, params, status, name) -> None:
    r = route_only.get(path, params=params)
    assert r.status_code == status
    if name:
        assert r.json()["name"] == name
        assert len(r.text) < 2000


def test_rdf_negotiation_is_unchanged(route_only: TestClient) -> None:
    r = route_only.get("/id/party/colombia", headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
