"""/search, /search/suggest and /explore over the project data: formats, languages, hostile input."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.namespaces import resource_iri
from coopgraph.store import EmbeddedStore

AECI = str(resource_iri("organisation", "aeci"))
COLOMBIA = str(resource_iri("party", "colombia"))


@pytest.fixture(scope="module")
def client(settings: Settings, project_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, project_store)) as c:
        yield c


def test_search_json_groups_by_kind(client: TestClient) -> None:
    r = client.get("/search", params={"q": "aeci"}, headers={"Accept": "application/json"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    body = r.json()
    assert body["groups"][0]["kind"] == "organisation"
    first = body["groups"][0]["hits"][0]
    assert first["iri"] == AECI and first["matched"] == "AECI"
    assert first["url"] == "http://testserver/id/organisation/aeci"


def test_search_html_shows_the_matched_label(client: TestClient) -> None:
    r = client.get("/search", params={"q": "aeci"}, headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert 'href="http://testserver/id/organisation/aeci"' in r.text
    assert "<mark>AECI</mark>" in r.text
    assert 'value="aeci"' in r.text  # the header box keeps the query


def test_search_same_data_either_way(client: TestClient) -> None:
    by_accept = client.get("/search?q=bogota", headers={"Accept": "application/json"}).json()
    by_format = client.get("/search?q=bogota&_format=json").json()
    assert by_accept == by_format
    assert by_accept["groups"][0]["hits"][0]["label"] == "Bogota"


def test_search_kind_and_empty_query(client: TestClient) -> None:
    body = client.get("/search?q=aeci&kind=post&_format=json").json()
    assert {g["kind"] for g in body["groups"]} == {"post"}
    empty = client.get("/search", headers={"Accept": "text/html"})
    assert empty.status_code == 200 and "Type a name" in empty.text


def test_suggest(client: TestClient) -> None:
    r = client.get("/search/suggest", params={"q": "ibermusi", "limit": "3"})
    assert r.status_code == 200
    body = r.json()
    assert body["query"] == "ibermusi" and len(body["hits"]) == 3
    assert body["hits"][0]["iri"] == str(resource_iri("programme", "ibermusicas"))
    assert set(body["hits"][0]) >= {"iri", "url", "label", "kind", "kind_label", "matched"}


def test_explore_html_json_csv(client: TestClient) -> None:
    params = {"article": "14", "country": "colombia"}
    html = client.get("/explore", params=params, headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    data = client.get("/explore", params=params, headers={"Accept": "application/json"}).json()
    assert data["total"] == len(data["items"]) > 0
    assert f"{data['total']} item" in html.text
    for item in data["items"]:
        assert f'href="{item["url"]}"' in html.text
    r = client.get("/explore", params={**params, "_format": "csv"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == data["total"]
    assert {row["iri"] for row in rows} == {item["iri"] for item in data["items"]}
    accept_csv = client.get("/explore", params=params, headers={"Accept": "text/csv"})
    assert accept_csv.text == r.text


def test_explore_facet_values_link_to_their_pages(client: TestClient) -> None:
    html = client.get("/explore", headers={"Accept": "text/html"}).text
    assert 'href="http://testserver/id/party/colombia"' in html
    assert 'href="http://testserver/explore?country=colombia"' in html


def test_language_switch_sets_a_cookie_every_page_follows(
    settings: Settings, project_store: EmbeddedStore
) -> None:
    with TestClient(create_app(settings, project_store)) as fresh:
        r = fresh.get("/explore?kind=country&lang=fr&_format=json")
        assert r.status_code == 200
        assert "lang=fr" in r.headers["set-cookie"]
        assert r.json()["facets"][0]["title"] == "Type"
        later = fresh.get("/explore?kind=country", headers={"Accept": "text/html"})  # the cookie
        assert '<html lang="fr">' in later.text
        assert 'href="http://testserver/explore?kind=country&amp;lang=es"' in later.text
        page = fresh.get("/search?q=colombia", headers={"Accept": "text/html"})
        assert '<html lang="fr">' in page.text


def test_accept_language_without_a_choice(client: TestClient) -> None:
    client.cookies.clear()
    r = client.get("/explore?kind=country&_format=json", headers={"Accept-Language": "es-CO,es;q=0.9"})
    assert r.json()["facets"][0]["title"] == "Tipo"


def test_the_header_of_other_pages_has_the_search_box_and_switch(client: TestClient) -> None:
    html = client.get("/queries", headers={"Accept": "text/html"}).text
    assert 'id="site-search"' in html and 'action="http://testserver/search"' in html
    assert 'data-lang="es"' in html and "static/search.js" in html


@pytest.mark.parametrize(
    ("path", "params", "name"),
    [
        ("/search", {"q": "x" * 201}, "q"),
        ("/search", {"q": "a\x00b"}, "q"),
        ("/search", {"q": "a", "kind": "planet"}, "kind"),
        ("/search", {"q": "a", "limit": "0"}, "limit"),
        ("/search", {"q": "a", "limit": "1e9"}, "limit"),
        ("/search", {"q": "a", "lang": "xx"}, "lang"),
        ("/search", {"q": "a", "_format": "xml"}, "_format"),
        ("/search/suggest", {"q": "é" * 201}, "q"),
        ("/search/suggest", {"q": "a", "limit": "-5"}, "limit"),
        ("/explore", {"country": "narnia"}, "country"),
        ("/explore", {"country": "' OR 1=1 }"}, "country"),
        ("/explore", {"article": "<script>alert(1)</script>"}, "article"),
        ("/explore", {"kind": "planet"}, "kind"),
        ("/explore", {"source": "x" * 5000}, "source"),
        ("/explore", {"from": "1e3"}, "from"),
        ("/explore", {"to": "9" * 40}, "to"),
        ("/explore", {"from": "2020", "to": "2000"}, "to"),
        ("/explore", {"page": "-1"}, "page"),
        ("/explore", {"size": "100000"}, "size"),
        ("/explore", {"lang": "klingon"}, "lang"),
        ("/explore", {"_format": "exe"}, "_format"),
    ],
)
def test_hostile_parameters_are_a_400_naming_them(
    client: TestClient, path: str, params: dict[str, str], name: str
) -> None:
    r = client.get(path, params=params)
    assert r.status_code == 400, r.text
    assert r.json()["name"] == name


def test_many_values_and_repeated_singles(client: TestClient) -> None:
    r = client.get("/explore", params=[("country", "colombia")] * 21)
    assert r.status_code == 400 and r.json()["name"] == "country"
    r = client.get("/explore", params=[("page", "1"), ("page", "2")])
    assert r.status_code == 400 and r.json()["name"] == "page"


def test_hostile_cookie_is_ignored(client: TestClient) -> None:
    r = client.get("/explore?_format=json", headers={"Cookie": 'lang="><script>; other=1'})
    assert r.status_code == 200
    client.cookies.clear()


def test_not_acceptable(client: TestClient) -> None:
    assert client.get("/explore", headers={"Accept": "image/png"}).status_code == 406


# -- offers and requests of cooperation: kinds of their own --------------------------------------

PROPOSALS = """
PREFIX cg: <https://w3id.org/coopgraph/def#>
SELECT ?p ?kind WHERE {
  { ?p a cg:Offer . BIND("offer" AS ?kind) } UNION { ?p a cg:Request . BIND("request" AS ?kind) }
  FILTER(isIRI(?p))
}
"""


def test_offers_and_requests_are_kinds_in_search_and_explore(
    client: TestClient, project_store: EmbeddedStore
) -> None:
    client.cookies.clear()
    expected: dict[str, set[str]] = {"offer": set(), "request": set()}
    for row in project_store.select(PROPOSALS):
        expected[row["kind"].value].add(row["p"].value)
    assert expected["offer"] and expected["request"]
    hits = client.get("/search", params={"q": "satellite account", "_format": "json"}).json()
    kinds = {g["kind"] for g in hits["groups"]}
    assert {"offer", "request"} <= kinds and "other" not in kinds
    for kind, iris in expected.items():
        r = client.get("/explore", params={"kind": kind, "size": "1000", "_format": "json"})
        assert r.status_code == 200
        body = r.json()
        assert {i["iri"] for i in body["items"]} == iris
        assert {i["kind"] for i in body["items"]} == {kind}
        facets = {f["name"]: f["values"] for f in body["facets"]}
        # an offer takes the countries of who makes it and whom it is addressed to, and its sectors
        assert facets["country"] and facets["cultural"]
    both = client.get("/explore", params={"kind": "proposal", "size": "1000", "_format": "json"}).json()
    assert both["total"] == len(expected["offer"]) + len(expected["request"])


@pytest.mark.parametrize(
    ("lang", "title"),
    [("en", "Cooperation offers"), ("es", "Ofertas de cooperación"), ("fr", "Offres de coopération")],
)
def test_offer_kind_is_named_in_each_language(client: TestClient, lang: str, title: str) -> None:
    client.cookies.clear()
    body = client.get("/explore", params={"kind": "offer", "lang": lang, "_format": "json"}).json()
    kind_values = next(f["values"] for f in body["facets"] if f["name"] == "kind")
    assert next(v["label"] for v in kind_values if v["value"] == "offer") == title


def test_offer_page_is_linked_data_with_who_offers_what(client: TestClient) -> None:
    client.cookies.clear()
    path = "/id/offer/colombia-paraguay-archival-training"
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Cooperation offer" in page.text and "offered by" in page.text and "Archives" in page.text
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    assert turtle.status_code == 200 and "offeredBy" in turtle.text
