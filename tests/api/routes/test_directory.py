"""/sources and /sources/{kind}/{slug}: formats, languages, and input as an attacker would send it."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from coopgraph.api.app import create_app
from coopgraph.config import Settings
from coopgraph.store import EmbeddedStore


@pytest.fixture(scope="module")
def client(settings: Settings, project_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, project_store)) as c:
        yield c


def test_list_html_json_csv_agree(client: TestClient) -> None:
    data = client.get("/sources", headers={"Accept": "application/json"})
    assert data.status_code == 200 and data.headers["content-type"].startswith("application/json")
    body = data.json()
    html = client.get("/sources", headers={"Accept": "text/html"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    for source in body["sources"]:
        assert f'href="{source["profile"]}"' in html.text
    listed = client.get("/sources?_format=csv")
    assert listed.status_code == 200 and listed.headers["content-type"].startswith("text/csv")
    assert "attachment" in listed.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(listed.text)))
    assert len(rows) == body["total"] + 1
    assert {r[0] for r in rows[1:]} == {s["iri"] for s in body["sources"]}


def test_facets_in_the_url(client: TestClient) -> None:
    body = client.get(
        "/sources",
        params=[("kind", "programme"), ("currency", "EUR")],
        headers={"Accept": "application/json"},
    ).json()
    assert [s["label"] for s in body["sources"]] == ["IBERESCENA"]
    page = client.get("/sources?kind=programme&currency=EUR", headers={"Accept": "text/html"})
    assert "1 sources" in page.text and "IBERESCENA" in page.text and 'aria-current="true"' in page.text


def test_profile_html_and_json(client: TestClient) -> None:
    page = client.get("/sources/fund/global-alliance-special-fund", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert 'href="mailto:globalalliance@unesco.org"' in page.text
    assert "<blockquote>" in page.text  # the quotes behind the statements
    data = client.get("/sources/programme/iberescena?_format=json").json()
    assert {t["currency"] for t in data["money"]["totals"]} == {"USD", "EUR"}
    page = client.get("/sources/programme/iberescena", headers={"Accept": "text/html"})
    assert "≈ 500,000" in page.text and "600,000" in page.text


def test_languages(client: TestClient) -> None:
    es = client.get("/sources?lang=es", headers={"Accept": "text/html"})
    assert es.status_code == 200 and '<html lang="es">' in es.text and "Directorio de fuentes" in es.text
    assert es.cookies.get("lang") == "es"  # the choice is kept for the next pages
    client.cookies.clear()
    fr = client.get("/sources/programme/ibermedia", headers={"Accept": "text/html", "Accept-Language": "fr"})
    assert '<html lang="fr">' in fr.text and "Qui y contribue" in fr.text


@pytest.mark.parametrize(
    ("url", "status", "name"),
    [
        ("/sources?kind=planet", 400, "kind"),
        ("/sources?currency=XYZ", 400, "currency"),
        ("/sources?region=" + "x" * 5000, 400, "region"),
        ("/sources?article=" + "&article=".join(["14"] * 30), 400, "article"),
        ("/sources?finances=%00", 400, "finances"),
        ("/sources?lang=de", 400, "lang"),
        ("/sources?_format=xml", 400, "_format"),
        ("/sources?region=" + "&region=".join(["y" * 100] * 100), 400, "query string"),
        ("/sources/fund/no-such-fund", 404, None),
        ("/sources/party/colombia", 404, None),
        ("/sources/fund/a%20b", 400, "source"),
        ("/sources/%2e%2e/%2e%2e/etc/passwd", 400, "source"),
        ("/sources/fund", 400, "source"),
        ("/sources/programme/ibermedia?_format=csv", 400, "_format"),
    ],
)
def test_hostile_input_is_a_4xx_naming_it(
    client: TestClient, url: str, status: int, name: str | None
) -> None:
    r = client.get(url, headers={"Accept": "application/json"})
    assert r.status_code == status, r.text
    if name is not None:
        assert r.json()["name"] == name


def test_unacceptable_type(client: TestClient) -> None:
    assert client.get("/sources", headers={"Accept": "image/png"}).status_code == 406


def test_concurrent_requests_give_the_same_answer(client: TestClient) -> None:
    def fetch(_: int) -> bytes:
        return client.get("/sources?_format=json&kind=fund").content

    with ThreadPoolExecutor(8) as pool:
        answers = set(pool.map(fetch, range(24)))
    assert len(answers) == 1


def test_a_form_profile_shows_what_the_form_collects(settings: Settings) -> None:
    """A fund described by the source-profile form: its typical amounts per currency, eligible
    countries, sectors and modalities, e-mail and web site, in the page and its JSON."""
    from coopgraph.contrib import forms
    from coopgraph.queries import QueryCatalogue
    from coopgraph.store import load_project

    store = EmbeddedStore(None)
    load_project(store, settings)
    spec = forms.FORMS["source-profile"]
    values, _ = forms.read_values(
        spec,
        [
            ("name", "Andean Fund for Film"),
            ("kind", "fund"),
            ("finances", "audiovisual"),
            ("modalities", "south-south"),
            ("countries-0-name", "Chile"),
            ("amounts-0-amount", "50000"),
            ("amounts-0-currency", "USD"),
            ("amounts-1-amount", "20000"),
            ("amounts-1-currency", "EUR"),
            ("email", "grants@andean-film.example"),
            ("homepage", "https://andean-film.example/grants"),
        ],
    )
    outcome = forms.submit(spec, values, store, QueryCatalogue(settings.queries_dir), settings, "en")
    assert outcome.errors == [], outcome.errors
    store.put_graphs({"https://w3id.org/coopgraph/graph/submission/profile": outcome.triples})
    with TestClient(create_app(settings, store)) as c:
        data = c.get("/sources/fund/andean-fund-for-film?_format=json").json()
        page = c.get("/sources/fund/andean-fund-for-film", headers={"Accept": "text/html"})
    assert [(t["currency"], [a["value"] for a in t["amounts"]]) for t in data["typical_amounts"]] == [
        ("EUR", ["20000"]),
        ("USD", ["50000"]),
    ]
    assert [c["label"] for c in data["eligible"]] == ["Chile"]
    assert [c["iri"].rsplit("/", 1)[1] for c in data["finances"]["modalities"]] == ["south-south"]
    assert page.status_code == 200
    text = page.text
    assert "Typical amounts per currency" in text and "50,000" in text and "20,000" in text
    assert "70,000" not in text  # never summed across currencies
    assert 'href="mailto:grants@andean-film.example"' in text
    assert 'href="https://andean-film.example/grants"' in text
    assert "Who may apply (eligible countries)" in text and ">Chile</a>" in text
