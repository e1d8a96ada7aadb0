"""The SPARQL 1.1 Protocol endpoint, with real clients against the real service.

Each test of what a store answers runs against the in-memory, on-disk, Oxigraph server and
Virtuoso stores; a test of what the service refuses or decides before it asks the store (method,
media type, size, updates, SERVICE, CORS, parameters) runs against one (``ONE_STORE``). Facts asserted
on the data are stated by the source documents: Mexico allocated USD 1,600,000 to IBERMEDIA in
2012-2015 (data/mexico-iberoamerican-programmes.ttl).
"""

from __future__ import annotations

import csv
import html
import io
import json
import random
import re
import string
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlencode

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from coopgraph.errors import NotUtf8
from coopgraph.namespaces import CG, GRAPH, ID, SD
from coopgraph.protocol.request import parse_form
from support.services import ONE_STORE, Service

PREFIXES = "PREFIX cg: <https://w3id.org/coopgraph/def#>\n"
MEXICO_IBERMEDIA = (
    PREFIXES
    + """SELECT ?amount ?currency WHERE {
  ?c cg:contributor <https://w3id.org/coopgraph/id/party/mexico> ;
     cg:recipient <https://w3id.org/coopgraph/id/programme/ibermedia> ;
     cg:amount ?amount ; cg:currency ?currency .
}"""
)
CONSTRUCT_MEXICO = (
    PREFIXES
    + """CONSTRUCT { ?c cg:amount ?a } WHERE {
  ?c cg:contributor <https://w3id.org/coopgraph/id/party/mexico> ;
     cg:recipient <https://w3id.org/coopgraph/id/programme/ibermedia> ; cg:amount ?a }"""
)
CONTRIBUTION = ID["contribution/mexico-ibermedia-2012-2015"]
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def bindings(response: httpx.Response) -> list[dict[str, dict[str, str]]]:
    return response.json()["results"]["bindings"]  # type: ignore[no-any-return]


def assert_mexico_ibermedia(rows: list[dict[str, dict[str, str]]]) -> None:
    assert len(rows) == 1
    assert float(rows[0]["amount"]["value"]) == 1600000
    assert rows[0]["currency"]["value"] == "USD"


# -- the three ways to send a query -------------------------------------------------------


def test_get_select_defaults_to_json(service: Service) -> None:
    response = httpx.get(service.sparql, params={"query": MEXICO_IBERMEDIA})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    assert_mexico_ibermedia(bindings(response))


def test_post_form(service: Service) -> None:
    response = httpx.post(service.sparql, data={"query": MEXICO_IBERMEDIA})
    assert response.status_code == 200
    assert_mexico_ibermedia(bindings(response))


ODD_TEXT = 'a + b = 100% \\x41 \\u00e9 é 日本 & ; "quoted"'


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_escaped_text_arrives_intact(service: Service, method: str) -> None:
    query = "SELECT ?text WHERE { BIND(" + json.dumps(ODD_TEXT, ensure_ascii=False) + " AS ?text) }"
    if method == "GET":
        response = httpx.get(service.sparql, params={"query": query})
    else:
        response = httpx.post(service.sparql, data={"query": query})
    assert response.status_code == 200, response.text
    assert bindings(response)[0]["text"]["value"] == ODD_TEXT


def test_parse_form_reads_what_parse_qsl_reads() -> None:
    rng = random.Random(7)
    alphabet = "ab%+=&;\\x0Fé日 \n" + string.hexdigits
    samples = [b"", b"&&", b"a=%zz", b"a=%C3", b"q=%E6%97%A5", b"a=%", b"=%41", b"a=\xff"]
    samples += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))).encode() for _ in range(3000)
    ]
    samples += [urlencode({"query": ODD_TEXT, "default-graph-uri": ""}).encode()]
    refused = 0
    for data in samples:
        try:
            expected = parse_qsl(data.decode("utf-8"), keep_blank_values=True, errors="strict")
        except UnicodeDecodeError:
            # text that is not UTF-8 is refused, not read with replacement characters
            with pytest.raises(NotUtf8):
                parse_form(data)
            refused += 1
        else:
            assert parse_form(data) == expected, data
    assert 0 < refused < len(samples) // 2


def test_post_sparql_query_body(service: Service) -> None:
    response = httpx.post(
        service.sparql,
        content=MEXICO_IBERMEDIA.encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert response.status_code == 200
    assert_mexico_ibermedia(bindings(response))


# -- content negotiation -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("application/sparql-results+xml", "application/sparql-results+xml"),
        ("text/csv", "text/csv"),
        ("text/tab-separated-values", "text/tab-separated-values"),
        ("*/*", "application/sparql-results+json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
        ("application/sparql-results+json;q=0.1, text/csv;q=0.9", "text/csv"),
    ],
)
def test_results_formats_by_accept(service: Service, accept: str, expected: str) -> None:
    response = httpx.get(service.sparql, params={"query": MEXICO_IBERMEDIA}, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == expected
    assert "Accept" in response.headers["vary"]
    if expected == "text/csv":
        rows = list(csv.DictReader(io.StringIO(response.text)))
        assert float(rows[0]["amount"]) == 1600000
    elif expected == "text/tab-separated-values":
        assert response.text.splitlines()[0].split("\t") == ["?amount", "?currency"]
    elif expected == "application/sparql-results+xml":
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        root = ET.fromstring(response.content)
        assert root.find(".//r:binding[@name='currency']/r:literal", ns).text == "USD"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        (None, "turtle"),
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
    ],
)
def test_construct_formats(service: Service, accept: str | None, rdflib_format: str) -> None:
    headers = {"Accept": accept} if accept else {}
    response = httpx.get(service.sparql, params={"query": CONSTRUCT_MEXICO}, headers=headers)
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format=rdflib_format)
    amounts = list(graph.objects(URIRef(CONTRIBUTION), URIRef(CG.amount)))
    assert [float(a) for a in amounts] == [1600000.0]


def test_ask(service: Service) -> None:
    query = "ASK { <https://w3id.org/coopgraph/id/party/mexico> ?p ?o }"
    response = httpx.get(service.sparql, params={"query": query})
    assert response.status_code == 200
    assert response.json()["boolean"] is True


@ONE_STORE
def test_not_acceptable_lists_supported_types(service: Service) -> None:
    response = httpx.get(service.sparql, params={"query": MEXICO_IBERMEDIA}, headers={"Accept": "image/png"})
    assert response.status_code == 406
    supported = response.json()["supported"]
    assert "application/sparql-results+json" in supported and "text/csv" in supported
    graph = httpx.get(service.sparql, params={"query": CONSTRUCT_MEXICO}, headers={"Accept": "text/csv"})
    assert graph.status_code == 406
    assert "text/turtle" in graph.json()["supported"]


# -- errors --------------------------------------------------------------------------------


def test_malformed_query_gives_position(service: Service) -> None:
    response = httpx.get(service.sparql, params={"query": "SELECT ?x WHERE {\n  ?x ?y }"})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "QueryError"
    if service.kind != "remote":  # Oxigraph server words its errors without a position
        assert body["line"] == 2
    if service.kind not in ("remote", "virtuoso"):  # Virtuoso names the line, never the column
        assert body["column"] >= 1


@ONE_STORE
def test_missing_query_on_post(service: Service) -> None:
    response = httpx.post(service.sparql, data={"default-graph-uri": str(GRAPH["reference"])})
    assert response.status_code == 400
    assert "query" in response.json()["message"]


@ONE_STORE
def test_repeated_query(service: Service) -> None:
    response = httpx.get(service.sparql, params=[("query", "ASK {}"), ("query", "ASK {}")])
    assert response.status_code == 400
    assert "2 times" in response.json()["message"]


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"data": {"update": "DROP ALL"}},
        {"content": b"DROP ALL", "headers": {"Content-Type": "application/sparql-update"}},
        {"data": {"query": "PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b ex:c }"}},
    ],
    ids=["form-update", "sparql-update", "update-as-query"],
)
@ONE_STORE
def test_updates_are_refused(service: Service, request_kwargs: dict[str, object]) -> None:
    response = httpx.post(service.sparql, **request_kwargs)  # type: ignore[arg-type]
    assert response.status_code == 403
    assert "read-only" in response.json()["message"]
    still_there = httpx.get(service.sparql, params={"query": MEXICO_IBERMEDIA})
    assert len(bindings(still_there)) == 1


@ONE_STORE
def test_other_methods_not_allowed(service: Service) -> None:
    response = httpx.put(service.sparql, content=b"x")
    assert response.status_code == 405
    assert "GET" in response.headers["allow"]


@ONE_STORE
def test_unsupported_post_content_type(service: Service) -> None:
    response = httpx.post(service.sparql, content=b"ASK {}", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415


@ONE_STORE
def test_an_oversized_body_gets_413_and_the_service_goes_on(service: Service) -> None:
    # a 1 MiB+ query: a long comment after a valid one (the default limit is 1 MiB)
    query = "ASK {}\n#" + "x" * (1 << 20)
    declared = httpx.post(
        service.sparql, content=query.encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert declared.status_code == 413
    assert "COOPGRAPH_MAX_REQUEST_BYTES" in declared.json()["message"]

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for start in range(0, len(query), 65536):
            yield query[start : start + 65536].encode()

    chunked = httpx.post(
        service.sparql, content=chunks(), headers={"Content-Type": "application/sparql-query"}
    )
    assert chunked.status_code == 413
    below = httpx.post(
        service.sparql, content=query[:100_000].encode(), headers={"Content-Type": "application/sparql-query"}
    )
    assert below.status_code == 200 and below.json()["boolean"] is True


@ONE_STORE
def test_service_is_refused(service: Service) -> None:
    query = (
        "PREFIX wd: <https://query.wikidata.org/> SELECT * WHERE { SERVICE SILENT wd:sparql { ?s ?p ?o } }"
    )
    response = httpx.get(service.sparql, params={"query": query})
    assert response.status_code == 403
    assert "SERVICE <https://query.wikidata.org/sparql>" in response.json()["message"]


# -- dataset, limits -----------------------------------------------------------------------


def test_default_graph_uri_restricts_the_default_graph(service: Service) -> None:
    reference = str(GRAPH["reference"])
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    restricted = httpx.get(service.sparql, params={"query": count, "default-graph-uri": reference})
    in_graph = httpx.get(
        service.sparql,
        params={"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{reference}> {{ ?s ?p ?o }} }}"},
    )
    union = httpx.get(service.sparql, params={"query": count})
    n_restricted = int(bindings(restricted)[0]["n"]["value"])
    assert n_restricted == int(bindings(in_graph)[0]["n"]["value"])
    assert 0 < n_restricted < int(bindings(union)[0]["n"]["value"])
    # the contribution is stated in another document's graph, not in the reference graph
    restricted_ask = httpx.get(
        service.sparql, params={"query": f"ASK {{ <{CONTRIBUTION}> ?p ?o }}", "default-graph-uri": reference}
    )
    assert restricted_ask.json()["boolean"] is False


def test_named_graph_uri(service: Service) -> None:
    reference = str(GRAPH["reference"])
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    response = httpx.get(service.sparql, params={"query": query, "named-graph-uri": reference})
    assert response.status_code == 200
    assert [row["g"]["value"] for row in bindings(response)] == [reference]


@pytest.mark.parametrize(
    "accept", ["application/sparql-results+json", "text/csv", "application/sparql-results+xml"]
)
def test_row_cap_is_signalled(service: Service, accept: str) -> None:
    response = httpx.get(
        service.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o }"}, headers={"Accept": accept}
    )
    assert response.status_code == 200
    assert response.headers["x-coopgraph-truncated"] == "true"
    assert response.headers["x-coopgraph-max-rows"] == str(service.max_rows)
    if accept == "text/csv":
        assert len(list(csv.DictReader(io.StringIO(response.text)))) == service.max_rows
    elif accept.endswith("json"):
        assert len(bindings(response)) == service.max_rows
    small = httpx.get(service.sparql, params={"query": MEXICO_IBERMEDIA}, headers={"Accept": accept})
    assert "x-coopgraph-truncated" not in small.headers


def test_timeout_answers_503_while_cheap_queries_go_on(service: Service) -> None:
    cheap: list[httpx.Response] = []

    def ask_cheap() -> None:
        time.sleep(0.5)
        cheap.append(httpx.get(service.sparql, params={"query": MEXICO_IBERMEDIA}, timeout=30))

    thread = threading.Thread(target=ask_cheap)
    thread.start()
    started = time.monotonic()
    response = httpx.post(service.sparql, data={"query": CARTESIAN}, timeout=60)
    elapsed = time.monotonic() - started
    thread.join()
    assert response.status_code == 503
    body = response.json()
    assert body["error"] == "QueryTimeout"
    assert "time limit" in body["message"]
    assert elapsed < service.query_timeout + 5
    assert cheap[0].status_code == 200
    assert_mexico_ibermedia(bindings(cheap[0]))
    # the killed worker was replaced: both workers answer again
    for _ in range(4):
        assert httpx.get(service.sparql, params={"query": "ASK {}"}).status_code == 200


# -- service description, page, CORS -------------------------------------------------------


def test_service_description(service: Service) -> None:
    response = httpx.get(service.sparql)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=response.text, format="turtle")
    services = list(graph.subjects(URIRef(SD.endpoint), URIRef(service.sparql)))
    assert len(services) == 1
    svc = services[0]
    assert (svc, URIRef(SD.feature), URIRef(SD.UnionDefaultGraph)) in graph
    assert (svc, URIRef(SD.supportedLanguage), URIRef(SD.SPARQL11Query)) in graph
    assert len(list(graph.objects(svc, URIRef(SD.resultFormat)))) == 8
    names = set(graph.objects(None, URIRef(SD.name)))
    assert URIRef(GRAPH["reference"]) in names
    assert URIRef(GRAPH["mexico-iberoamerican-programmes"]) in names
    jsonld = httpx.get(service.sparql, headers={"Accept": "application/ld+json"})
    assert jsonld.status_code == 200
    assert len(Graph().parse(data=jsonld.text, format="json-ld")) == len(graph)


def test_query_page_for_browsers(service: Service) -> None:
    accept = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = httpx.get(service.sparql, headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    page = response.text
    assert "<textarea" in page and "PREFIX cg: &lt;https://w3id.org/coopgraph/def#&gt;" in page
    assert "fetch(" in page
    example = html.unescape(page.split("<textarea", 1)[1].split(">", 1)[1].split("</textarea>", 1)[0])
    answer = httpx.post(service.sparql, data={"query": example})
    assert answer.status_code == 200, answer.text
    if service.kind == "virtuoso":
        pytest.skip(
            "not applicable to Virtuoso: 7.2 answers queries that join zero-or-more property paths "
            "(rdfs:subPropertyOf*, rdfs:subClassOf*) with wrong rows (docs/remote-endpoints.md)"
        )
    assert len(bindings(answer)) == 20
    assert "/queries/partners-of-actor" in page
    # the editor (YASGUI) is served by the service itself: no script from another host
    sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    assert sources and all(s.startswith(f"{service.url}/static/") for s in sources), sources


@ONE_STORE
def test_cors_preflight_and_headers(service: Service) -> None:
    preflight = httpx.options(
        service.sparql,
        headers={
            "Origin": "https://example.org",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] in ("*", "https://example.org")
    assert "POST" in preflight.headers["access-control-allow-methods"]
    response = httpx.get(
        service.sparql, params={"query": "ASK {}"}, headers={"Origin": "https://example.org"}
    )
    assert response.headers["access-control-allow-origin"] in ("*", "https://example.org")
    assert "X-Coopgraph-Truncated" in response.headers["access-control-expose-headers"]


# -- real SPARQL clients -------------------------------------------------------------------


@pytest.mark.parametrize("fmt", [JSON, XML, CSV])
def test_sparqlwrapper_select(service: Service, fmt: str) -> None:
    client = SPARQLWrapper(service.sparql)
    client.setQuery(MEXICO_IBERMEDIA)
    client.setReturnFormat(fmt)
    result = client.query().convert()
    if fmt == JSON:
        assert_mexico_ibermedia(result["results"]["bindings"])
    elif fmt == XML:
        values = [n.firstChild.data for n in result.getElementsByTagName("literal")]
        assert "USD" in values
    else:
        rows = list(csv.DictReader(io.StringIO(result.decode())))
        assert rows[0]["currency"] == "USD"


def test_sparqlwrapper_construct_into_rdflib(service: Service) -> None:
    client = SPARQLWrapper(service.sparql)
    client.setQuery(CONSTRUCT_MEXICO)
    client.setReturnFormat(TURTLE)
    graph = Graph().parse(data=client.query().convert(), format="turtle")
    assert (URIRef(CONTRIBUTION), URIRef(CG.amount), Literal("1600000", datatype=XSD.decimal)) in graph or [
        float(o) for o in graph.objects(URIRef(CONTRIBUTION), URIRef(CG.amount))
    ] == [1600000.0]


def test_rdflib_sparqlstore(service: Service) -> None:
    graph = Graph(store=SPARQLStore(service.sparql, returnFormat="json"))
    rows = list(graph.query(MEXICO_IBERMEDIA))
    assert len(rows) == 1
    assert float(rows[0][0]) == 1600000  # type: ignore[index]
    assert str(rows[0][1]) == "USD"  # type: ignore[index]


def test_json_body_is_valid_json(service: Service) -> None:
    response = httpx.get(service.sparql, params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 5"})
    assert len(json.loads(response.content)["results"]["bindings"]) == 5


# -- hostile requests: parameters, encodings, methods --------------------------------------


def test_head_is_answered_as_get_without_a_body(service: Service) -> None:
    get = httpx.get(service.sparql, params={"query": MEXICO_IBERMEDIA})
    head = httpx.head(service.sparql, params={"query": MEXICO_IBERMEDIA})
    assert head.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))
    description = httpx.head(service.sparql, headers={"Accept": "text/turtle"})
    assert description.status_code == 200 and description.content == b""
    assert description.headers["content-type"].startswith("text/turtle")


@ONE_STORE
def test_unknown_parameters_are_ignored(service: Service) -> None:
    described = httpx.get(service.sparql, params={"xquery": "ASK {}"}, headers={"Accept": "text/turtle"})
    assert described.status_code == 200
    assert described.headers["content-type"].startswith("text/turtle")
    assert (None, SD.endpoint, None) in Graph().parse(data=described.text, format="turtle")
    answered = httpx.get(service.sparql, params={"query": "ASK {}", "xquery": "DROP ALL", "x": ""})
    assert answered.status_code == 200 and answered.json()["boolean"] is True


@pytest.mark.parametrize(
    ("request_kwargs", "offset"),
    [
        ({"method": "GET", "url_tail": "?query=ASK%7B%FF%7D"}, 4),
        ({"method": "POST", "body": b'ASK { FILTER("\xc3") }', "type": "application/sparql-query"}, 14),
        (
            {
                "method": "POST",
                "body": b"query=ASK+%7B%C3%28%7D",
                "type": "application/x-www-form-urlencoded",
            },
            5,
        ),
    ],
    ids=["query-string", "sparql-query-body", "form-body"],
)
@ONE_STORE
def test_text_that_is_not_utf8_is_refused_naming_where(
    service: Service, request_kwargs: dict[str, object], offset: int
) -> None:
    if request_kwargs["method"] == "GET":
        response = httpx.get(service.sparql + str(request_kwargs["url_tail"]))
    else:
        response = httpx.post(
            service.sparql,
            content=request_kwargs["body"],  # type: ignore[arg-type]
            headers={"Content-Type": str(request_kwargs["type"])},
        )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "NotUtf8" and body["name"] == "query" and body["offset"] == offset
