"""A small cooperation graph, written out below, loaded with the ontology into an in-memory store.

Activities (and who takes part, by which property):

==========================  ==================================  =====================  ===========
activity                    participants                        dates                  graph
==========================  ==================================  =====================  ===========
programme/p1 (Programme)    A, B (cg:hasParty), C (organisedBy)  2010-2012              doc1
agreement/ag1 (Agreement)   A, B (cg:hasParty)                   2019                   doc1
project/p2 (Project)        B, D (hasParticipant), E (coord.)    2015                   doc2
event/e1 (Meeting)          A, D (cg:hasParticipation/agent)     2020                   doc2
==========================  ==================================  =====================  ===========

p1 is South-South, audiovisual, about Article 12 (e); p2 is music and implements Article 14.
A and B are countries, C and D organisations (C public sector), E a person. Contributions:
A -> p1 100 USD and 50 EUR, B -> p1 10 USD (doc1).
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from coopgraph.config import Settings
from coopgraph.namespaces import GRAPH_BASE, ONTOLOGY_GRAPH
from coopgraph.store import EmbeddedStore

PREFIXES = """
@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix id: <https://w3id.org/coopgraph/id/> .
"""

DOC1 = (
    PREFIXES
    + """
id:party\\/a a cg:Country ; rdfs:label "A-land"@en .
id:party\\/b a cg:Country ; rdfs:label "B-land"@en .
id:organisation\\/c a cg:Organisation ; rdfs:label "C Agency"@en ;
    cg:sector id:organisation-sector\\/public-sector .
id:article\\/12 a cg:ConventionArticle ; rdfs:label "Article 12"@en .
id:article\\/12-e a cg:ConventionSubparagraph ; rdfs:label "Article 12 (e)"@en ;
    cg:subparagraphOf id:article\\/12 .
id:cultural-sector\\/audiovisual rdfs:label "Audiovisual"@en .

id:programme\\/p1 a cg:Programme ; rdfs:label "Programme One"@en ;
    cg:hasParty id:party\\/a , id:party\\/b ;
    cg:organisedBy id:organisation\\/c ;
    cg:modality id:modality\\/south-south ;
    cg:culturalSector id:cultural-sector\\/audiovisual ;
    cg:relatesToArticle id:article\\/12-e ;
    cg:startDate "2010"^^xsd:gYear ; cg:endDate "2012"^^xsd:gYear .

id:agreement\\/ag1 a cg:Agreement ; rdfs:label "Agreement One"@en ;
    cg:hasParty id:party\\/a , id:party\\/b ;
    cg:date "2019-03-01"^^xsd:date .

id:contribution\\/a-p1-usd a cg:FundingContribution ;
    cg:contributor id:party\\/a ; cg:recipient id:programme\\/p1 ;
    cg:amount 100.00 ; cg:currency "USD" ; cg:startDate "2010"^^xsd:gYear .
id:contribution\\/a-p1-eur a cg:FundingContribution ;
    cg:contributor id:party\\/a ; cg:recipient id:programme\\/p1 ;
    cg:amount 50.00 ; cg:currency "EUR" ; cg:startDate "2011"^^xsd:gYear .
id:contribution\\/b-p1-usd a cg:FundingContribution ;
    cg:contributor id:party\\/b ; cg:recipient id:programme\\/p1 ;
    cg:amount 10.00 ; cg:currency "USD" ; cg:date "2012"^^xsd:gYear .
"""
)

DOC2 = (
    PREFIXES
    + """
id:organisation\\/d a cg:Organisation ; rdfs:label "D Foundation"@en .
id:person\\/e a cg:Person ; rdfs:label "E Person"@en .
id:project\\/p2 a cg:Project ; rdfs:label "Project Two"@en ;
    cg:hasParticipant id:party\\/b , id:organisation\\/d ;
    cg:coordinatedBy id:person\\/e ;
    cg:culturalSector id:cultural-sector\\/music ;
    cg:implementsArticle id:article\\/14 ;
    cg:date "2015"^^xsd:gYear .
id:event\\/e1 a cg:Meeting ; rdfs:label "Event One"@en ;
    cg:hasParticipation [ a cg:Participation ; cg:agent id:party\\/a ] ,
                        [ a cg:Participation ; cg:agent id:organisation\\/d ] ;
    cg:date "2020"^^xsd:gYear .
"""
)

A, B = "https://w3id.org/coopgraph/id/party/a", "https://w3id.org/coopgraph/id/party/b"
C, D = "https://w3id.org/coopgraph/id/organisation/c", "https://w3id.org/coopgraph/id/organisation/d"
E = "https://w3id.org/coopgraph/id/person/e"
P1 = "https://w3id.org/coopgraph/id/programme/p1"
AG1 = "https://w3id.org/coopgraph/id/agreement/ag1"


def load_small_store(folder: Path) -> EmbeddedStore:
    """The graph above with the project's ontology, in a fresh in-memory store."""
    settings = Settings(in_memory=True)
    store = EmbeddedStore(None)
    store.replace_graph(str(ONTOLOGY_GRAPH), sorted(settings.ontology_dir.glob("*.ttl")))
    for name, text in (("doc1", DOC1), ("doc2", DOC2)):
        path = folder / f"{name}.ttl"
        path.write_text(text, "utf-8")
        store.replace_graph(GRAPH_BASE + name, [path])
    return store


def bridged_cliques() -> nx.Graph:
    """Two 4-cliques (0-3 and 4-7) joined by the bridge 3-4."""
    g = nx.union(nx.complete_graph(4), nx.relabel_nodes(nx.complete_graph(4), lambda v: v + 4))
    g.add_edge(3, 4)
    return g
