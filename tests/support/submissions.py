"""A contribution for the review tests: a new foundation, and a node that is UNESCO under a new IRI."""

from __future__ import annotations

import pyoxigraph as ox

FOUNDATION = "https://w3id.org/coopgraph/id/organisation/test-foundation"
UNESCO_COPY = "https://w3id.org/coopgraph/id/organisation/unesco-copy"
UNESCO = "https://w3id.org/coopgraph/id/organisation/unesco"
CONTRIBUTION = b"""@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix org: <https://w3id.org/coopgraph/id/organisation/> .
@prefix source: <https://w3id.org/coopgraph/id/source/> .

org:test-foundation a cg:Organisation ;
    rdfs:label "Test Foundation"@en ;
    cg:subOrganizationOf org:unesco-copy ;
    prov:wasDerivedFrom source:global-alliance-2002 ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity source:global-alliance-2002 ; cg:locator "p. 1" ] .

org:unesco-copy a cg:Organisation ;
    rdfs:label "UNESCO"@en ;
    prov:wasDerivedFrom source:global-alliance-2002 ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity source:global-alliance-2002 ; cg:locator "p. 2" ] .
"""
"""Conforms as it is; UNESCO_COPY has the label of the existing UNESCO node."""


def contribution_triples() -> list[ox.Triple]:
    """The contribution as triples."""
    return [q.triple for q in ox.parse(CONTRIBUTION, format=ox.RdfFormat.TURTLE)]
