"""RDF namespaces and IRI layout of coopgraph.

Terms of our own ontology come from :class:`CG`, a :class:`rdflib.namespace.DefinedNamespace`
that raises on a misspelled term; ``tests/test_namespaces.py`` checks it against
``ontology/coopgraph.ttl``, the source of truth.
"""

from __future__ import annotations

from rdflib import URIRef
from rdflib.namespace import (
    DCTERMS,
    FOAF,
    OWL,
    PROV,
    RDF,
    RDFS,
    SH,
    SKOS,
    XSD,
    DefinedNamespace,
    Namespace,
)

CANONICAL_BASE = "https://w3id.org/coopgraph/"
ID_BASE = CANONICAL_BASE + "id/"
GRAPH_BASE = CANONICAL_BASE + "graph/"
DEF_IRI = CANONICAL_BASE + "def"
SHAPES_IRI = CANONICAL_BASE + "shapes"

ID = Namespace(ID_BASE)
GRAPH = Namespace(GRAPH_BASE)
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")

ONTOLOGY_GRAPH = GRAPH["ontology"]
SHAPES_GRAPH = GRAPH["shapes"]
REFERENCE_GRAPH = GRAPH["reference"]
ANALYSIS_GRAPH = GRAPH["analysis"]


class CG(DefinedNamespace):
    """Terms of the coopgraph ontology (``https://w3id.org/coopgraph/def#``)."""

    _NS = Namespace(DEF_IRI + "#")
    _fail = True

    # classes
    Agent: URIRef
    Agreement: URIRef
    Approval: URIRef
    BinationalCabinet: URIRef
    CoProductionAgreement: URIRef
    Convention: URIRef
    ConventionArticle: URIRef
    ConventionPart: URIRef
    ConventionProvision: URIRef
    ConventionSubparagraph: URIRef
    CooperationActivity: URIRef
    CooperationAgreement: URIRef
    CooperationMechanism: URIRef
    CooperationProposal: URIRef
    Country: URIRef
    CuratorJudgement: URIRef
    Document: URIRef
    Event: URIRef
    Exhibition: URIRef
    Fair: URIRef
    Fund: URIRef
    FundingContribution: URIRef
    HighLevelDialogue: URIRef
    Indicator: URIRef
    JointCommission: URIRef
    Meeting: URIRef
    MemorandumOfUnderstanding: URIRef
    Mission: URIRef
    NetworkMeasurement: URIRef
    Offer: URIRef
    Organisation: URIRef
    OrganisationalUnit: URIRef
    Participation: URIRef
    Partnership: URIRef
    Party: URIRef
    Person: URIRef
    Place: URIRef
    Post: URIRef
    Preamble: URIRef
    Programme: URIRef
    Project: URIRef
    Request: URIRef
    Result: URIRef
    SourceDocument: URIRef
    Visit: URIRef
    Workshop: URIRef
    # properties
    addressedTo: URIRef
    agent: URIRef
    aim: URIRef
    amount: URIRef
    annualAmount: URIRef
    approximate: URIRef
    articleNumber: URIRef
    basedIn: URIRef
    basis: URIRef
    beneficiary: URIRef
    community: URIRef
    contributionKind: URIRef
    contributor: URIRef
    coordinatedBy: URIRef
    coversModality: URIRef
    country: URIRef
    culturalSector: URIRef
    currency: URIRef
    date: URIRef
    eligibleCountry: URIRef
    eligiblePartnerSector: URIRef
    evaluation: URIRef
    evaluationConclusion: URIRef
    endDate: URIRef
    fieldOfAction: URIRef
    filters: URIRef
    financesModality: URIRef
    financesSector: URIRef
    formerlyHeldPost: URIRef
    fundedBy: URIRef
    hasOutcome: URIRef
    hasParticipant: URIRef
    hasParticipation: URIRef
    hasParty: URIRef
    holdsPost: URIRef
    implementsArticle: URIRef
    inCapacityOf: URIRef
    inCountry: URIRef
    inPart: URIRef
    indicator: URIRef
    iso3166Alpha2: URIRef
    iso3166Alpha3: URIRef
    letter: URIRef
    location: URIRef
    locator: URIRef
    measure: URIRef
    measuredNode: URIRef
    memberOf: URIRef
    modality: URIRef
    offeredBy: URIRef
    organisedBy: URIRef
    partNumber: URIRef
    partOf: URIRef
    partOfConvention: URIRef
    participatesIn: URIRef
    postIn: URIRef
    projection: URIRef
    proposedModality: URIRef
    proposedSector: URIRef
    quantity: URIRef
    quantityQualifier: URIRef
    quote: URIRef
    rank: URIRef
    recipient: URIRef
    relatesToArticle: URIRef
    requestedBy: URIRef
    role: URIRef
    sector: URIRef
    seedFile: URIRef
    stakeholderCategory: URIRef
    startDate: URIRef
    status: URIRef
    subEventOf: URIRef
    subOrganizationOf: URIRef
    subparagraphOf: URIRef
    takenUpIn: URIRef
    typicalAmount: URIRef
    unit: URIRef
    value: URIRef


PREFIXES: dict[str, str] = {
    "cg": str(CG),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "foaf": str(FOAF),
    "schema": str(SCHEMA),
    "sh": str(SH),
    "void": str(VOID),
    "eli": str(ELI),
}
"""Prefixes used when serialising Turtle and JSON-LD and shown in the query page.

Resources under ``id/`` get no prefix: their ``kind/slug`` local names would need an escaped
slash in Turtle (``id:party\\/colombia``), so full IRIs are clearer."""


def graph_iri(name: str) -> URIRef:
    """Return the IRI of the named graph called ``name``.

    >>> graph_iri("sela-workshop-2011")
    rdflib.term.URIRef('https://w3id.org/coopgraph/graph/sela-workshop-2011')
    """
    return GRAPH[name]


def resource_iri(kind: str, slug: str) -> URIRef:
    """Return the canonical IRI of the resource ``slug`` of ``kind``.

    >>> resource_iri("party", "colombia")
    rdflib.term.URIRef('https://w3id.org/coopgraph/id/party/colombia')
    """
    return ID[f"{kind}/{slug}"]
