"""Tests of coopgraph.linkeddata.pages: the HTML pages as rendered."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, XSD

from coopgraph.linkeddata import LinkedData
from coopgraph.linkeddata.formats import RESOURCE_MEDIA_TYPES
from coopgraph.linkeddata.pages import (
    Linker,
    centrality_rows,
    format_links,
    incoming_rows,
    partner_rows,
    property_rows,
    source_rows,
)
from coopgraph.namespaces import CG, ID
from coopgraph.negotiation import HTML


def test_resource_page_speaks_the_asked_language_and_shows_sources(small_ld: LinkedData) -> None:
    d = small_ld.describe("party/atlantis")
    spanish = small_ld.resource_page(d, "http://h/", ["es"])
    assert '<h1 lang="es">Atlántida</h1>' in spanish
    english = small_ld.resource_page(d, "http://h/", ["de"])
    assert '<h1 lang="en">Atlantis</h1>' in english
    assert "Section 2" in english and "Atlantis takes part." in english
    assert 'href="http://h/id/programme/sea-fund"' in english
    # partners: Lemuria shares the programme
    assert 'href="http://h/id/party/lemuria"' in english
    assert (
        "sparql?query=DESCRIBE%20%3Chttps%3A%2F%2Fw3id.org%2Fcoopgraph%2Fid%2Fparty%2Fatlantis%3E" in english
    )


def test_incoming_through_a_blank_node_names_its_holder(small_ld: LinkedData) -> None:
    d = small_ld.describe("party/atlantis")
    rows = incoming_rows(d, Linker(d.labels(), ["en"], "http://h/"))
    via = [r for r in rows if r["via"] is not None]
    assert len(via) == 1
    assert via[0]["subject"]["label"] == "Sea fund"
    assert via[0]["predicate"]["iri"] == str(CG.hasParticipation)
    assert via[0]["via"]["iri"] == str(CG.agent)
    assert via[0]["graphs"] == ["doc-b"]


def test_sources_carry_the_derivations_of_their_graph(small_ld: LinkedData) -> None:
    d = small_ld.describe("party/atlantis")
    linker = Linker(d.labels(), ["en"], "http://h/")
    sources = {s["graph"]: s for s in source_rows(d, d.by_subject(), {}, linker)}
    assert set(sources) == {"doc-a", "doc-b"}
    [derivation] = sources["doc-a"]["derivations"]
    assert derivation["entity"]["href"] == "http://h/id/source/doc-a"
    assert derivation["locator"] == ["Section 2"] and derivation["quote"] == ["Atlantis takes part."]
    assert sources["doc-b"]["derivations"] == []


def test_properties_put_types_first_and_leave_derivations_to_the_sources(small_ld: LinkedData) -> None:
    d = small_ld.describe("party/atlantis")
    rows = property_rows(d, d.by_subject(), Linker(d.labels(), ["en"], "http://h/"))
    assert rows[0]["predicate"]["iri"] == str(RDF.type)
    assert str(PROV.qualifiedDerivation) not in {r["predicate"]["iri"] for r in rows}
    [iso] = [r for r in rows if r["predicate"]["iri"] == str(CG.iso3166Alpha2)]
    assert iso["objects"] == [
        {"value": {"kind": "literal", "text": "AT", "lang": "", "datatype": ""}, "graphs": ["doc-a"]}
    ]


def test_literal_datatypes_are_shown_unless_plain() -> None:
    linker = Linker({}, [], "http://h/")
    year = linker.value(ox.Literal("2007", datatype=ox.NamedNode(str(XSD.gYear))), {})
    assert year["datatype"] == "xsd:gYear"
    assert linker.value(ox.Literal("x"), {})["datatype"] == ""


def test_partner_and_centrality_rows_use_query_labels_when_the_page_has_none() -> None:
    lemuria = str(ID["party/lemuria"])
    linker = Linker({lemuria: {"en": "Lemuria"}}, ["en"], "http://h/")
    partners = partner_rows(
        [
            {
                "partner": ox.NamedNode(lemuria),
                "label": ox.Literal("Lemuria (query)"),
                "activities": ox.Literal("2"),
            },
            {
                "partner": ox.NamedNode(str(ID["party/mu"])),
                "label": ox.Literal("Mu"),
                "activities": ox.Literal("1"),
            },
        ],
        linker,
    )
    assert [(p["partner"]["label"], p["activities"], p["example"]) for p in partners] == [
        ("Lemuria", 2, None),
        ("Mu", 1, None),
    ]
    measure = ox.NamedNode(str(CG.measure))
    [row] = centrality_rows([{"measure": measure, "value": ox.Literal("0.5")}])
    assert row == {"measure": "cg:measure", "projection": "", "value": "0.5", "rank": ""}


def test_every_rdf_format_is_linked_from_the_page() -> None:
    links = format_links(str(ID["party/x"]), "http://h/")
    assert [link["href"].rsplit(".", 1)[1] for link in links] == [
        m.extension for m in RESOURCE_MEDIA_TYPES if m is not HTML
    ]
