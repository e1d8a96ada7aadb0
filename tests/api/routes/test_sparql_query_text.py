"""What the endpoint reads in a query's text, over every store: relative IRIs and hidden SERVICE.

Facts asserted on the data are stated by the source documents: Mexico allocated USD 1,600,000
to IBERMEDIA in 2012-2015 (data/mexico-iberoamerican-programmes.ttl).
"""

from __future__ import annotations

import httpx
import pytest

from support.canary import canary_server
from support.services import Service

RELATIVE = """SELECT ?amount WHERE {
  ?c <def#contributor> <id/party/mexico> ;
     <def#recipient> <id/programme/ibermedia> ;
     <def#amount> ?amount .
}"""


def test_relative_iris_resolve_against_the_canonical_base(service: Service) -> None:
    response = httpx.get(service.sparql, params={"query": RELATIVE})
    assert response.status_code == 200
    rows = response.json()["results"]["bindings"]
    assert [float(r["amount"]["value"]) for r in rows] == [1600000]


def test_an_own_base_still_applies(service: Service) -> None:
    query = "BASE <http://example.org/> SELECT ?x WHERE { BIND(<a> AS ?x) }"
    response = httpx.get(service.sparql, params={"query": query})
    if service.kind == "virtuoso":
        # not applicable: Virtuoso reads one BASE only, and coopgraph declares one before the
        # query's own; it refuses the text, naming the second BASE (docs/remote-endpoints.md)
        assert response.status_code == 400
        assert "BASE" in response.json()["message"]
        return
    assert response.status_code == 200
    assert response.json()["results"]["bindings"][0]["x"]["value"] == "http://example.org/a"


@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ #x\rSERVICE <{url}> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ \\u0053ERVICE <{url}> {{ ?s ?p ?o }} }}",
        'SELECT * WHERE {{ BIND("\\u005c" AS ?x) SERVICE <{url}> {{ ?s ?p ?o }} }} # "',
        "select * where {{ sErViCe <{url}> {{ ?s ?p ?o }} }}",
    ],
    ids=["comment-ended-by-cr", "codepoint-escape", "escaped-backslash", "case"],
)
def test_a_hidden_service_clause_is_refused_and_calls_nothing(service: Service, template: str) -> None:
    with canary_server() as canary:
        response = httpx.get(service.sparql, params={"query": template.format(url=canary.url)})
        assert response.status_code == 403
        assert "SERVICE" in response.json()["message"]
        assert canary.requests == []
