"""/indicators, per country, per programme, and /indicators/completeness: formats and hostile input."""

from __future__ import annotations

import csv
import io
import json
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


@pytest.mark.parametrize(
    "path", ["/indicators", "/indicators/country/colombia", "/indicators/programme/ibermedia"]
)
def test_page_embeds_the_json_it_serves(client: TestClient, path: str) -> None:
    data = client.get(path, headers={"Accept": "application/json"})
    assert data.status_code == 200
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    start = page.text.index('<script type="application/json" id="indicator-data">') + len(
        '<script type="application/json" id="indicator-data">'
    )
    embedded = json.loads(page.text[start : page.text.index("</script>", start)])
    assert embedded == data.json()
    assert "static/vendor/observablehq-plot/plot.umd.min.js" in page.text
    assert "static/charts.js" in page.text


def test_tables_beside_charts_hold_the_figures(client: TestClient) -> None:
    data = client.get("/indicators?_format=json").json()
    page = client.get("/indicators", headers={"Accept": "text/html"}).text
    for row in data["activities_per_modality"]:
        assert f'<a href="{row["url"]}">{row["label"]}</a></td><td class="num">{row["count"]}</td>' in page
    assert "≈ 500000" in page  # the approximate EUR total is marked


def test_csv(client: TestClient) -> None:
    r = client.get("/indicators/country/mexico?_format=csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    assert {row[0] for row in rows if row[3] == "48"} == {"results"}


def test_completeness_formats(client: TestClient) -> None:
    data = client.get("/indicators/completeness?_format=json").json()
    assert len(data["entries"]) == 2
    page = client.get("/indicators/completeness", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Periodic-report entries" in page.text
    for entry in data["entries"]:
        assert entry["label"] in page.text
    one = client.get("/indicators/completeness?country=mexico&_format=csv")
    rows = list(csv.reader(io.StringIO(one.text)))
    assert {r[0] for r in rows[1:]} == {"Mexico"}
    es = client.get("/indicators/completeness?lang=es", headers={"Accept": "text/html"})
    assert "Completitud" in es.text


@pytest.mark.parametrize(
    ("url", "status", "name"),
    [
        ("/indicators/country/Colombia", 400, "country"),
        ("/indicators/country/" + "a" * 500, 400, "country"),
        ("/indicators/country/%3Cscript%3E", 400, "country"),
        ("/indicators/programme/x%00y", 400, "programme"),
        ("/indicators/country/atlantis", 404, None),
        ("/indicators/programme/mexico", 404, None),
        ("/indicators/completeness?country=atlantis", 400, "country"),
        ("/indicators/completeness?country=" + "%27%20OR%201=1", 400, "country"),
        ("/indicators?lang=xx", 400, "lang"),
        ("/indicators?_format=pdf", 400, "_format"),
        ("/indicators?x=" + "y" * 9000, 400, "query string"),
    ],
)
def test_hostile_input_is_a_4xx_naming_it(
    client: TestClient, url: str, status: int, name: str | None
) -> None:
    r = client.get(url, headers={"Accept": "application/json"})
    assert r.status_code == status, r.text
    if name is not None:
        assert r.json()["name"] == name


def test_concurrent_requests(client: TestClient) -> None:
    paths = [
        "/indicators?_format=json",
        "/indicators/completeness?_format=json",
        "/indicators/country/peru?_format=json",
    ] * 6

    with ThreadPoolExecutor(6) as pool:
        answers = list(pool.map(lambda p: (p, client.get(p)), paths))
    assert all(r.status_code == 200 for _, r in answers)
    by_path: dict[str, set[bytes]] = {}
    for path, r in answers:
        by_path.setdefault(path, set()).add(r.content)
    assert all(len(bodies) == 1 for bodies in by_path.values())
