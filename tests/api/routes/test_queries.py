"""Named queries over HTTP, against the real service on each store."""

from __future__ import annotations

import re

import httpx
import pytest

from coopgraph.queries import QueryCatalogue
from support.services import Service

MEXICO = "https://w3id.org/coopgraph/id/party/mexico"
IBERMEDIA = "https://w3id.org/coopgraph/id/programme/ibermedia"


def links(response: httpx.Response) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("link", ""))}


def test_listing_json(service: Service, catalogue: QueryCatalogue) -> None:
    response = httpx.get(service.url + "/queries")
    assert response.status_code == 200
    listed = {q["name"]: q for q in response.json()}
    assert set(listed) == set(catalogue.names())
    contributions = listed["contributions"]
    assert contributions["pagination"] == 50
    params = {p["name"]: p for p in contributions["parameters"]}
    assert params["contributor"] == {
        "name": "contributor",
        "type": "IRI",
        "required": False,
        "default": MEXICO,
        "enumerate": [],
    }
    assert params["from"]["type"] == "xsd:gYear"
    assert contributions["url"].endswith("/queries/contributions")


def test_listing_html(service: Service) -> None:
    response = httpx.get(service.url + "/queries", headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert 'href="' + service.url + '/queries/partners-of-actor"' in response.text
    assert "xsd:gYear" in response.text


def test_run_with_parameters(service: Service) -> None:
    response = httpx.get(
        service.url + "/queries/contributions",
        params={"contributor": MEXICO, "recipient": IBERMEDIA, "from": "2013", "to": "2014"},
    )
    assert response.status_code == 200
    rows = response.json()["results"]["bindings"]
    assert [float(r["amount"]["value"]) for r in rows] == [1600000.0]
    outside = httpx.get(service.url + "/queries/contributions", params={"contributor": MEXICO, "to": "2010"})
    assert outside.status_code == 200
    assert outside.json()["results"]["bindings"] == []
    totals = httpx.get(
        service.url + "/queries/filtered-contribution-totals-per-currency",
        params={"contributor": MEXICO, "recipient": IBERMEDIA},
        headers={"Accept": "text/csv"},
    )
    assert totals.status_code == 200
    assert totals.text.splitlines()[1].startswith("USD,1,1600000")


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("partners-of-actor", {"actor": "not an iri"}, "actor"),
        ("partners-of-actor", {"actor": MEXICO, "colour": "red"}, "colour"),
        ("contributions", {"from": "twenty"}, "from"),
        ("contributions", {"page": "0"}, "page"),
        ("events-by-year", {"year": "2007.5"}, "year"),
        ("contributions", {"page": "9" * 25}, "page"),
        ("contributions", {"page": "9" * 5000}, "page"),
        ("contributions", {"page": "²"}, "page"),
        ("events-by-year", {"year": "9" * 25}, "year"),
        ("events-by-year", {"year": "1" + "0" * 5000}, "year"),
        ("events-by-year", {"year": "٢٠٠٧"}, "year"),
    ],
)
def test_bad_parameters_name_the_parameter(
    service: Service, path: str, params: dict[str, str], name: str
) -> None:
    response = httpx.get(f"{service.url}/queries/{path}", params=params)
    assert response.status_code == 400
    assert response.json()["name"] == name
    assert repr(name) in response.json()["message"]


def test_omitted_required_parameter_takes_its_default(service: Service) -> None:
    if service.kind == "virtuoso":
        pytest.skip(
            "not applicable to Virtuoso: 7.2 answers queries that join zero-or-more property paths "
            "(rdfs:subPropertyOf*, rdfs:subClassOf*) with wrong rows (docs/remote-endpoints.md)"
        )
    omitted = httpx.get(service.url + "/queries/partners-of-actor")
    given = httpx.get(service.url + "/queries/partners-of-actor", params={"actor": MEXICO})
    assert omitted.status_code == given.status_code == 200
    assert omitted.json() == given.json()
    assert len(given.json()["results"]["bindings"]) > 0


def test_repeated_parameter(service: Service) -> None:
    response = httpx.get(
        service.url + "/queries/partners-of-actor", params=[("actor", MEXICO), ("actor", MEXICO)]
    )
    assert response.status_code == 400
    assert response.json()["name"] == "actor"


def test_pagination_links(service: Service) -> None:
    if service.kind == "virtuoso":
        pytest.skip(
            "not applicable to Virtuoso: 7.2 answers queries that join zero-or-more property paths "
            "(rdfs:subPropertyOf*, rdfs:subClassOf*) with wrong rows (docs/remote-endpoints.md)"
        )
    first = httpx.get(service.url + "/queries/co-participation")
    assert first.status_code == 200
    assert len(first.json()["results"]["bindings"]) == 100
    rels = links(first)
    assert "next" in rels and "first" in rels and "prev" not in rels
    second = httpx.get(rels["next"])
    assert second.status_code == 200
    assert links(second)["prev"].endswith("page=1")
    first_ids = {(r["a"]["value"], r["b"]["value"]) for r in first.json()["results"]["bindings"]}
    second_ids = {(r["a"]["value"], r["b"]["value"]) for r in second.json()["results"]["bindings"]}
    assert first_ids.isdisjoint(second_ids)
    last = httpx.get(service.url + "/queries/co-participation", params={"page": "1000"})
    assert last.json()["results"]["bindings"] == []
    assert "next" not in links(last)


def test_graph_answer_negotiation_and_406(service: Service) -> None:
    response = httpx.get(
        service.url + "/queries/label-search",
        params={"text": "IBERMÚSICAS"},
        headers={"Accept": "text/turtle"},
    )
    assert response.status_code == 406


def test_label_search_ignores_case_and_accents(service: Service) -> None:
    response = httpx.get(service.url + "/queries/label-search", params={"text": "iBeRmUsIcAs"})
    assert response.status_code == 200
    entities = {r["entity"]["value"] for r in response.json()["results"]["bindings"]}
    assert "https://w3id.org/coopgraph/id/programme/ibermusicas" in entities


def test_openapi_documents_each_named_query(service: Service, catalogue: QueryCatalogue) -> None:
    spec = httpx.get(service.url + "/openapi.json").json()
    for query in catalogue.public():
        operation = spec["paths"][f"/queries/{query.name}"]["get"]
        assert operation["summary"] == query.summary
        documented = {p["name"] for p in operation.get("parameters", [])}
        expected = {p.name for p in query.parameters} | ({"page"} if query.pagination else set())
        assert documented == expected


def test_a_page_number_with_leading_zeros_is_the_same_page(service: Service) -> None:
    padded = httpx.get(service.url + "/queries/co-participation", params={"page": "0" * 5000 + "2"})
    plain = httpx.get(service.url + "/queries/co-participation", params={"page": "2"})
    assert padded.status_code == plain.status_code == 200
    assert padded.json() == plain.json()


def test_a_parameter_that_is_not_utf8_is_refused_naming_it(service: Service) -> None:
    response = httpx.get(service.url + "/queries/partners-of-actor?actor=https%3A%2F%2Fe%2F%FF")
    assert response.status_code == 400
    assert response.json()["name"] == "actor" and response.json()["offset"] == 10
