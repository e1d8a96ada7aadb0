"""The /network routes of the real service (``service`` of ``conftest.py``: in memory, on disk
and over a remote Oxigraph endpoint), with the project's data."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import httpx
import networkx as nx
import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.namespaces import CG, GRAPH_BASE, ONTOLOGY_GRAPH, RDF, RDFS, resource_iri
from coopgraph.network.centrality import BETWEENNESS_SAMPLES, DEFAULT_SEED
from coopgraph.network.filters import FILTER_FIELDS
from coopgraph.store import EmbeddedStore
from support.services import Service

MEXICO = str(resource_iri("party", "mexico"))
IBERMEDIA = str(resource_iri("programme", "ibermedia"))


@pytest.fixture()
def http(service: Service) -> Iterator[httpx.Client]:
    """A client of the real service (``coopgraph serve`` on a loopback port, each store kind)."""
    with httpx.Client(base_url=service.url, timeout=120) as client:
        yield client


def test_centrality_json_rows_are_ranked(http: httpx.Client) -> None:
    r = http.get("/network/co-participation/centrality", params={"measure": "betweenness", "top": "5"})
    assert r.status_code == 200
    rows = r.json()
    assert 0 < len(rows) <= 5
    assert set(rows[0]) == {"iri", "label", "kind", "value", "rank"}
    assert [row["value"] for row in rows] == sorted((row["value"] for row in rows), reverse=True)
    assert rows[0]["rank"] == 1
    assert http.get(r.url).json() == rows  # the repeated request, answered from the cache


@pytest.mark.parametrize("how", ["accept", "format"])
def test_centrality_csv(http: httpx.Client, how: str) -> None:
    params = {"measure": "degree", "top": "3"}
    headers = {"Accept": "text/csv"} if how == "accept" else {}
    if how == "format":
        params["format"] = "csv"
    r = http.get("/network/co-participation/centrality", params=params, headers=headers)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == ["rank", "iri", "label", "kind", "value"]
    assert len(rows) == 3


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/network/co-participation/centrality", {"measure": "fame"}, "measure"),
        ("/network/co-participation/centrality", {"top": "many"}, "top"),
        ("/network/co-participation/centrality", {"from": "last year"}, "from"),
        ("/network/co-participation/centrality", {"kind": "planet"}, "kind"),
        ("/network/co-participation/centrality", {"article": "not an iri"}, "article"),
        ("/network/galaxy/centrality", {}, "projection"),
        ("/network/co-participation.pdf", {}, "format"),
        ("/network/co-participation.png", {"size": "community"}, "size"),
        ("/network/suggestions", {}, "actor"),
        ("/network/suggestions", {"actor": "https://w3id.org/coopgraph/id/party/atlantis"}, "actor"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(http: httpx.Client, path, params, name) -> None:
    r = http.get(path, params=params)
    assert r.status_code == 400
    assert r.json()["name"] == name


def test_filters_shrink_the_network(http: httpx.Client) -> None:
    everything = http.get("/network/co-participation.json").json()
    countries = http.get("/network/co-participation.json", params={"kind": "country"}).json()
    assert countries["nodes"]
    assert {n["kind"] for n in countries["nodes"]} == {"country"}
    assert len(countries["nodes"]) < len(everything["nodes"])


def test_communities_partition_the_network(http: httpx.Client) -> None:
    r = http.get("/network/co-participation/communities", params={"top": "3"})
    assert r.status_code == 200
    report = r.json()
    assert 0.0 < report["modularity"] <= 1.0
    members = [m for c in report["communities"] for m in c["members"]]
    everything = http.get("/network/co-participation.json").json()
    assert sorted(members) == sorted(n["id"] for n in everything["nodes"])
    assert all(len(c["top"]) <= 3 for c in report["communities"])


def test_brokers_lowest_constraint_first(http: httpx.Client) -> None:
    rows = http.get("/network/co-participation/brokers", params={"top": "10"}).json()
    constraints = [row["constraint"] for row in rows]
    assert constraints == sorted(constraints)
    assert all(row["effective_size"] is not None for row in rows)


def test_suggestions_are_neither_partners_nor_the_actor(http: httpx.Client) -> None:
    g = nx.read_graphml(io.BytesIO(http.get("/network/co-participation.graphml").content))
    r = http.get("/network/suggestions", params={"actor": MEXICO, "top": "20"})
    assert r.status_code == 200
    found = [s["iri"] for s in r.json()["suggestions"]]
    assert found
    assert MEXICO not in found
    assert not set(found) & set(g[MEXICO])
    assert all(s["explanation"] for s in r.json()["suggestions"])


def test_funding_graphml_keeps_dollars_apart(http: httpx.Client) -> None:
    r = http.get("/network/funding.graphml")
    assert r.status_code == 200
    g = nx.read_graphml(io.BytesIO(r.content))
    # data/mexico-iberoamerican-programmes.ttl: "an amount of $1,600,000 USD was allocated"
    assert g.edges[MEXICO, IBERMEDIA]["weight_USD"] >= 1_600_000


@pytest.mark.parametrize("ext", ["gexf", "json"])
def test_other_exports(http: httpx.Client, ext: str) -> None:
    r = http.get(f"/network/bipartite.{ext}")
    assert r.status_code == 200
    if ext == "gexf":
        g = nx.read_gexf(io.BytesIO(r.content))
        assert {d["kind"] for _, d in g.nodes(data=True)} >= {"activity", "country"}
    else:
        assert r.json()["nodes"]


def test_plots(http: httpx.Client) -> None:
    png = http.get("/network/co-participation.png", params={"size": "betweenness", "top": "5"})
    assert png.status_code == 200
    assert png.headers["content-type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    svg = http.get("/network/funding.svg", params={"colour": "kind"})
    assert svg.status_code == 200
    assert svg.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in svg.content


def test_every_network_route_takes_every_filter(http: httpx.Client) -> None:
    r = http.get("/openapi.json")
    assert r.status_code == 200
    routes = {path: item["get"] for path, item in r.json()["paths"].items() if path.startswith("/network/")}
    assert len(routes) == 6  # centrality, communities, brokers, view, suggestions, downloads
    for path, operation in routes.items():
        parameters = {p["name"]: p for p in operation["parameters"] if p["in"] == "query"}
        for field in FILTER_FIELDS:
            assert parameters[field.parameter]["description"] == field.help, (path, field.parameter)


def test_a_repeated_kind_keeps_both_kinds(http: httpx.Client) -> None:
    r = http.get("/network/co-participation.json", params=[("kind", "country"), ("kind", "organisation")])
    assert r.status_code == 200
    assert {n["kind"] for n in r.json()["nodes"]} == {"country", "organisation"}


def test_an_exact_ranking_names_no_sample(http: httpx.Client) -> None:
    # the project's network is small: every measure is exact, and no answer claims a sample
    for measure in ("betweenness", "closeness", "degree"):
        r = http.get("/network/co-participation/centrality", params={"measure": measure, "top": "3"})
        assert r.status_code == 200
        assert "x-coopgraph-sample" not in r.headers


SAMPLED_ACTORS = 2100
"""More actors than betweenness computes exactly (2,000): its ranking is an estimate."""


@pytest.fixture(scope="module")
def sampled_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The service in process over a synthetic network of :data:`SAMPLED_ACTORS` actors."""
    settings = Settings(in_memory=True)
    store = EmbeddedStore(None)
    store.replace_graph(str(ONTOLOGY_GRAPH), sorted(settings.ontology_dir.glob("*.ttl")))
    actors = [resource_iri("organisation", f"synthetic-{i}") for i in range(SAMPLED_ACTORS)]
    lines = []
    for i, actor in enumerate(actors):
        lines.append(f"<{actor}> <{RDF.type}> <{CG.Organisation}> .")
        lines.append(f'<{actor}> <{RDFS.label}> "Actor {i}"@en .')
    for j in range(SAMPLED_ACTORS):
        activity = resource_iri("project", f"synthetic-{j}")
        lines.append(f"<{activity}> <{RDF.type}> <{CG.Project}> .")
        # a ring of pairs, and every tenth activity shared with actor 0: a hub with short paths
        for member in {j, (j + 1) % SAMPLED_ACTORS, 0 if j % 10 == 0 else j}:
            lines.append(f"<{activity}> <{CG.hasParticipant}> <{actors[member]}> .")
    path = tmp_path_factory.mktemp("sampled") / "synthetic.nt"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    store.replace_graph(GRAPH_BASE + "synthetic", [path])
    with TestClient(create_app(settings, store)) as client:
        yield client
    store.close()


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_a_sampled_ranking_names_its_sample_size_and_seed(sampled_client: TestClient, fmt: str) -> None:
    params = {"measure": "betweenness", "top": "5", "format": fmt}
    r = sampled_client.get("/network/co-participation/centrality", params=params)
    assert r.status_code == 200
    fields = dict(part.split("=") for part in r.headers["x-coopgraph-sample"].split("; "))
    assert fields == {
        "method": "brandes-pich",
        "size": str(BETWEENNESS_SAMPLES),
        "nodes": str(SAMPLED_ACTORS),
        "seed": str(DEFAULT_SEED),
    }
    first = r.json()[0]["iri"] if fmt == "json" else next(csv.DictReader(io.StringIO(r.text)))["iri"]
    assert first == str(resource_iri("organisation", "synthetic-0"))  # the hub, estimated or not
    exact = sampled_client.get("/network/co-participation/centrality", params={"measure": "degree"})
    assert exact.status_code == 200
    assert "x-coopgraph-sample" not in exact.headers


def test_a_bad_parameter_on_the_sampled_network_is_still_a_400(sampled_client: TestClient) -> None:
    r = sampled_client.get(
        "/network/co-participation/centrality", params={"measure": "betweenness", "top": "-1"}
    )
    assert r.status_code == 400
    assert r.json()["name"] == "top"
    assert "x-coopgraph-sample" not in r.headers


# -- entity tags: the store's version and the request -------------------------------------------

CENTRALITY = "/network/co-participation/centrality"


def test_network_answers_carry_an_etag_and_if_none_match_is_a_304(
    http: httpx.Client, service: Service
) -> None:
    params = {"measure": "degree", "top": "3"}
    first = http.get(CENTRALITY, params=params)
    assert first.status_code == 200
    if service.kind not in ("memory", "disk"):  # a remote endpoint's answers are not kept by default
        assert "etag" not in first.headers and first.headers["cache-control"] == "no-store"
        return
    tag = first.headers["etag"]
    assert tag.startswith('W/"')
    assert first.headers["cache-control"] == "no-cache" and "Accept" in first.headers["vary"]
    again = http.get(CENTRALITY, params=params, headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    listed = http.get(CENTRALITY, params=params, headers={"If-None-Match": f'"other", {tag}'})
    assert listed.status_code == 304
    stale = http.get(CENTRALITY, params=params, headers={"If-None-Match": 'W/"stale"'})
    assert stale.status_code == 200 and stale.json() == first.json() and stale.headers["etag"] == tag
    as_csv = http.get(CENTRALITY, params=params, headers={"Accept": "text/csv", "If-None-Match": tag})
    assert as_csv.status_code == 200 and as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["etag"] != tag  # another representation, another tag
    other = http.get(CENTRALITY, params={"measure": "degree", "top": "4"}, headers={"If-None-Match": tag})
    assert other.status_code == 200 and len(other.json()) == 4 and other.headers["etag"] != tag
    for path in ("/network/co-participation/communities", "/network/co-participation/brokers"):
        answer = http.get(path)
        assert answer.status_code == 200
        assert http.get(path, headers={"If-None-Match": answer.headers["etag"]}).status_code == 304


def test_a_bad_network_request_has_no_etag(http: httpx.Client) -> None:
    plain = http.get(CENTRALITY, params={"measure": "degree", "top": "-1"})
    assert plain.status_code == 400 and "etag" not in plain.headers
    assert plain.json()["name"] == "top"


def test_a_write_changes_the_network_etag(sampled_client: TestClient) -> None:
    first = sampled_client.get(CENTRALITY, params={"measure": "degree", "top": "1"})
    tag = first.headers["etag"]
    assert (
        sampled_client.get(
            CENTRALITY, params={"measure": "degree", "top": "1"}, headers={"If-None-Match": tag}
        ).status_code
        == 304
    )
    store = sampled_client.app.state.store  # type: ignore[attr-defined]
    store.put_graph(GRAPH_BASE + "etag-probe", [])
    after = sampled_client.get(
        CENTRALITY, params={"measure": "degree", "top": "1"}, headers={"If-None-Match": tag}
    )
    assert after.status_code == 200 and after.headers["etag"] != tag
    assert after.json() == first.json()
