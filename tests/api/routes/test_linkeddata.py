"""The linked-data routes, over the real service on a loopback port and with real clients.

rdflib's ``Graph().parse(url)`` is the linked-data client: it sends its own ``Accept`` header
and reads the answer by its content type.
"""

from __future__ import annotations

import asyncio
import gzip
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import rdflib
from fastapi.testclient import TestClient
from rdflib.compare import isomorphic

from coopgraph.api.app import create_app
from coopgraph.api.deps import get_store
from coopgraph.config import Settings
from coopgraph.namespaces import CG, ID_BASE, VOID
from coopgraph.store import EmbeddedStore
from support import linkeddata_samples

COLOMBIA = rdflib.URIRef(ID_BASE + "party/colombia")
ISO = (COLOMBIA, rdflib.URIRef(str(CG.iso3166Alpha2)), rdflib.Literal("CO"))  # data/reference/countries.ttl


@pytest.fixture(scope="module")
def client(settings: Settings, project_store: EmbeddedStore) -> Iterator[TestClient]:
    with TestClient(create_app(settings, project_store)) as c:
        yield c


@pytest.mark.parametrize("fmt", ["turtle", "json-ld", "xml", "nt", None])
def test_rdflib_dereferences_colombia(server: str, fmt: str | None) -> None:
    graph = rdflib.Graph().parse(server + "id/party/colombia", format=fmt)
    assert ISO in graph


@pytest.mark.parametrize(("path", "fmt"), [("colombia.nq", "nquads"), ("colombia", "trig")])
def test_rdflib_reads_the_source_graphs(server: str, path: str, fmt: str) -> None:
    # rdflib asks for TriG by Accept; for N-Quads it sends no specific type, so use the extension
    dataset = rdflib.Dataset().parse(server + "id/party/" + path, format=fmt)
    reference = dataset.graph(rdflib.URIRef("https://w3id.org/coopgraph/graph/reference"))
    assert ISO in reference


def test_every_resource_dereferences(settings: Settings, project_store: EmbeddedStore) -> None:
    """Every resource over HTTP, each in one format, the formats taking turns (every resource in
    every format: tests/linkeddata/test_model.py)."""
    subjects = linkeddata_samples.published_iris(project_store)
    assert len(subjects) > 100
    exts = ["ttl", "jsonld", "rdf", "nt", "nq", "trig", "html"]
    app = create_app(settings, project_store)

    async def walk() -> list[tuple[str, int]]:
        # in-process ASGI requests: the same app as the loopback server, without sockets
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
        ):
            gate = asyncio.Semaphore(16)

            async def fetch(url: str) -> tuple[str, int]:
                async with gate:
                    return url, (await http.get(url)).status_code

            urls = [f"/id/{iri[len(ID_BASE) :]}.{exts[i % len(exts)]}" for i, iri in enumerate(subjects)]
            return list(await asyncio.gather(*(fetch(u) for u in urls)))

    results = asyncio.run(walk())
    assert len(results) == len(subjects)
    assert {url.rsplit(".", 1)[1] for url, _ in results} == set(exts)
    assert [r for r in results if r[1] != 200] == []


def test_jsonld_expands_to_the_turtle_triples(client: TestClient) -> None:
    ttl = client.get("/id/party/colombia", headers={"Accept": "text/turtle"})
    jsonld = client.get("/id/party/colombia", headers={"Accept": "application/ld+json"})
    assert ttl.status_code == jsonld.status_code == 200
    a = rdflib.Graph().parse(data=ttl.text, format="turtle")
    b = rdflib.Graph().parse(data=jsonld.text, format="json-ld")
    assert isomorphic(a, b)
    context = client.get("/context.jsonld").json()["@context"]
    assert jsonld.json()["@context"] == context


def test_direct_200_with_content_location_and_vary(client: TestClient) -> None:
    r = client.get(
        "/id/party/colombia",
        headers={"Accept": "application/rdf+xml;q=0.5, text/turtle"},
        follow_redirects=False,
    )
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/turtle")
    assert r.headers["content-location"].endswith("/id/party/colombia.ttl")
    assert "Accept" in r.headers["vary"]
    html = client.get("/id/party/colombia", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert html.headers["content-type"].startswith("text/html")
    assert client.get("/id/party/colombia", headers={"Accept": "image/png"}).status_code == 406


def test_format_parameter_and_extensions(client: TestClient) -> None:
    for query, ext, media in [
        ("nq", "nq", "application/n-quads"),
        ("jsonld", "jsonld", "application/ld+json"),
        ("trig", "trig", "application/trig"),
    ]:
        a = client.get(f"/id/party/colombia?format={query}", headers={"Accept": "text/html"})
        b = client.get(f"/id/party/colombia.{ext}")
        assert a.status_code == b.status_code == 200
        assert a.headers["content-type"].startswith(media) and b.headers["content-type"].startswith(media)
    bad = client.get("/id/party/colombia?format=xlsx")
    assert bad.status_code == 400
    assert bad.json()["name"] == "format"


def test_etag_last_modified_and_head(client: TestClient) -> None:
    first = client.get("/id/party/colombia.ttl")
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    assert client.get("/id/party/colombia.ttl", headers={"If-None-Match": etag}).status_code == 304
    assert client.get("/id/party/colombia.ttl", headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get("/id/party/colombia.nt", headers={"If-None-Match": etag}).status_code == 200
    head = client.head("/id/party/colombia.ttl")
    assert head.status_code == 200
    assert head.content == b""
    assert int(head.headers["content-length"]) == len(first.content)
    assert head.headers["etag"] == etag


def test_unknown_iri_gets_404_with_suggestions(client: TestClient) -> None:
    page = client.get("/id/party/colombiia", headers={"Accept": "text/html"})
    assert page.status_code == 404
    assert "/id/party/colombia" in page.text
    data = client.get("/id/party/colombiia")
    assert data.status_code == 404
    assert data.json()["suggestions"][0]["iri"] == str(COLOMBIA)
    assert client.head("/id/party/colombiia").status_code == 404


@pytest.mark.parametrize(
    "path",
    ["/id/partyy/colombia", "/id/party/Colombia", "/id/party/col%C3%B3mbia", "/id/party/colombia!"],
)
def test_typos_in_the_kind_case_and_accents_get_suggestions(client: TestClient, path: str) -> None:
    data = client.get(path)
    assert data.status_code == 404
    assert data.json()["suggestions"][0]["iri"] == str(COLOMBIA)


def test_a_very_long_path_is_a_plain_not_found(client: TestClient) -> None:
    for path in ("/id/party/" + "colombia-" * 2_000, "/id/party/colombia" + "!" * 20_000):
        data = client.get(path)
        assert data.status_code == 404
        assert data.json()["suggestions"] == []
        page = client.get(path, headers={"Accept": "text/html"})
        assert page.status_code == 404 and "did you mean" not in page.text.lower()


def test_accept_language_and_cors(client: TestClient) -> None:
    french = client.get(
        "/id/party/colombia", headers={"Accept": "text/html", "Accept-Language": "fr-FR,fr;q=0.9"}
    )
    assert '<h1 lang="fr">Colombie</h1>' in french.text  # countries.ttl labels Colombia "Colombie"@fr
    german = client.get("/id/party/colombia", headers={"Accept": "text/html", "Accept-Language": "de"})
    assert '<h1 lang="en">Colombia</h1>' in german.text
    cors = client.get("/id/party/colombia.ttl", headers={"Origin": "https://example.org"})
    assert cors.headers["access-control-allow-origin"] == "*"


def test_resource_page_links_locally_and_to_sparql(client: TestClient) -> None:
    page = client.get("/id/party/colombia.html").text
    assert 'href="http://testserver/def#Country"' in page
    assert (
        "http://testserver/sparql?query=DESCRIBE%20%3Chttps%3A%2F%2Fw3id.org%2Fcoopgraph%2Fid%2Fparty%2Fcolombia%3E"
        in page
    )
    assert 'href="http://testserver/id/party/colombia.nq"' in page
    assert "CO / COL" in page  # the locator of the ISO 3166 derivation


def test_home_def_shapes(client: TestClient) -> None:
    home = client.get("/")
    assert home.status_code == 200 and "/id/article/12" in home.text
    doc = client.get("/def", headers={"Accept": "text/html"})
    assert doc.status_code == 200 and 'id="Country"' in doc.text
    ontology = rdflib.Graph().parse(
        data=client.get("/def", headers={"Accept": "text/turtle"}).text, format="turtle"
    )
    assert (rdflib.URIRef(str(CG.Country)), rdflib.RDF.type, rdflib.OWL.Class) in ontology
    assert client.get("/def.jsonld").status_code == 200
    shapes = rdflib.Graph().parse(data=client.get("/shapes.ttl").text, format="turtle")
    assert len(shapes) > 0
    assert "sh:targetClass" in client.get("/shapes", headers={"Accept": "text/html"}).text


def test_void_and_dumps_over_http(server: str, project_store: EmbeddedStore) -> None:
    void = rdflib.Graph().parse(server + ".well-known/void", format="turtle")
    dataset = next(void.subjects(VOID.uriSpace, rdflib.Literal(ID_BASE)))
    quads = sum(1 for _ in project_store.quads())
    assert int(void.value(dataset, VOID.triples)) == quads  # type: ignore[arg-type]
    dump = httpx.get(server + "dumps/coopgraph.nq.gz")
    assert dump.status_code == 200
    parsed = rdflib.Dataset().parse(data=gzip.decompress(dump.content), format="nquads")
    assert sum(len(g) for g in parsed.graphs()) == quads
    union = httpx.get(server + "dumps/coopgraph.ttl.gz")
    assert len(rdflib.Graph().parse(data=gzip.decompress(union.content), format="turtle")) == len(
        {q.triple for q in project_store.quads()}
    )


def test_the_model_follows_the_store_dependency(
    settings: Settings, project_store: EmbeddedStore, tmp_path: Path
) -> None:
    app = create_app(settings, project_store)
    sample = linkeddata_samples.small_store(tmp_path)
    app.dependency_overrides[get_store] = lambda: sample
    with TestClient(app) as c:
        atlantis = c.get("/id/party/atlantis.nt")
        assert atlantis.status_code == 200
        assert f"<{linkeddata_samples.ATLANTIS.value}>" in atlantis.text
        assert c.get("/id/party/colombia.nt").status_code == 404


def test_configured_base_url_is_used_in_links_and_suggestions(project_store: EmbeddedStore) -> None:
    settings = Settings(in_memory=True, base_url="https://coop.example/graph")
    with TestClient(create_app(settings, project_store)) as c:
        found = c.get("/id/party/colombia", headers={"Accept": "text/turtle"})
        assert found.status_code == 200
        assert found.headers["content-location"] == "https://coop.example/graph/id/party/colombia.ttl"
        missing = c.get("/id/party/colombiia")
        assert missing.status_code == 404
        assert missing.json()["suggestions"][0]["url"] == "https://coop.example/graph/id/party/colombia"


def test_documents_static_files_and_dumps_answer_like_resources(client: TestClient) -> None:
    assert client.get("/def", headers={"Accept": "image/png"}).status_code == 406
    assert client.get("/def.xlsx").status_code == 404
    css = client.get("/static/coopgraph.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert (
        client.get("/static/coopgraph.css", headers={"If-None-Match": css.headers["etag"]}).status_code == 304
    )
    assert client.get("/static/missing.css").status_code == 404
    dump = client.get("/dumps/coopgraph.nq.gz")
    assert dump.status_code == 200
    assert dump.headers["content-disposition"] == 'attachment; filename="coopgraph.nq.gz"'
    unknown = client.get("/dumps/coopgraph.zip")
    assert unknown.status_code == 404 and "coopgraph.nq.gz" in unknown.json()["message"]
