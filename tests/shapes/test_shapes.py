"""Every shape of shapes/ with a conforming and a violating example.

``VALID`` is a small dataset that uses every class the shapes target and conforms. Each case
below changes one line of it so that exactly one constraint fails, and checks the constraint
component, the shape, the focus node and the English and Spanish messages.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coopgraph.config import Settings
from coopgraph.validation import ValidationReport, validate

VALID = """\
@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix src: <https://w3id.org/coopgraph/id/source/> .
@prefix party: <https://w3id.org/coopgraph/id/party/> .
@prefix article: <https://w3id.org/coopgraph/id/article/> .
@prefix ex: <https://w3id.org/coopgraph/id/test/> .
@prefix role: <https://w3id.org/coopgraph/id/role/> .
@prefix sector: <https://w3id.org/coopgraph/id/organisation-sector/> .
@prefix stakeholder: <https://w3id.org/coopgraph/id/stakeholder-category/> .
@prefix modality: <https://w3id.org/coopgraph/id/modality/> .
@prefix culture: <https://w3id.org/coopgraph/id/cultural-sector/> .
@prefix field: <https://w3id.org/coopgraph/id/field-of-action/> .
@prefix kind: <https://w3id.org/coopgraph/id/contribution-kind/> .
@prefix basis: <https://w3id.org/coopgraph/id/assertion-basis/> .
@prefix schema: <http://schema.org/> .

ex:ministry a cg:Organisation ;
    rdfs:label "Ministry of Culture"@en ;
    rdfs:label "Ministerio de Cultura"@es ;
    cg:sector sector:government-ministry ;
    cg:stakeholderCategory stakeholder:ministerial-departments ;
    cg:country party:colombia ;
    cg:subOrganizationOf party:colombia ;
    prov:wasDerivedFrom src:colombia-bilateral-cooperation ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:colombia-bilateral-cooperation ; cg:locator "Partners" ; cg:quote "Ministry of Culture of Colombia" ] .

ex:unit a cg:OrganisationalUnit ;
    rdfs:label "Directorate of Cultural Affairs"@en ;
    rdfs:label "Dirección de Asuntos Culturales"@es ;
    cg:sector sector:government-ministry ;
    cg:subOrganizationOf ex:ministry ;
    prov:wasDerivedFrom src:colombia-bilateral-cooperation ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:colombia-bilateral-cooperation ; cg:locator "Joint Commissions: Panama" ] .

ex:minister a cg:Post ;
    rdfs:label "Minister of Culture"@en ;
    cg:postIn ex:ministry ;
    prov:wasDerivedFrom src:expert-meeting-2007 ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:expert-meeting-2007 ; cg:locator "1.3" ] .

ex:person a cg:Person ;
    rdfs:label "Juan Luis Mejía"@en ;
    cg:formerlyHeldPost ex:minister ;
    prov:wasDerivedFrom src:expert-meeting-2007 ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:expert-meeting-2007 ; cg:locator "1.3" ] .

ex:city a cg:Place ;
    rdfs:label "Bogota"@en ;
    cg:inCountry party:colombia ;
    prov:wasDerivedFrom src:colombia-bilateral-cooperation ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:colombia-bilateral-cooperation ; cg:locator "Canada and UK" ] .

ex:programme a cg:Programme ;
    rdfs:label "Film programme"@en ;
    rdfs:label "Programa de cine"@es ;
    cg:hasParticipant party:colombia , ex:ministry ;
    cg:hasParticipation [ a cg:Participation ; cg:agent ex:ministry ; cg:role role:implementing ] ;
    cg:startDate "2012"^^xsd:gYear ;
    cg:endDate "2015"^^xsd:gYear ;
    cg:modality modality:regional ;
    cg:culturalSector culture:audiovisual ;
    cg:fieldOfAction field:distribution-flow-systems ;
    cg:relatesToArticle article:12-e ;
    cg:location ex:city ;
    cg:aim "Encourage co-production"@en ;
    cg:evaluation "Evaluated every year"@en ;
    cg:evaluationConclusion "Strengthen the programme"@en ;
    cg:eligiblePartnerSector sector:foundation ;
    cg:hasOutcome ex:result ;
    prov:wasDerivedFrom src:mexico-iberoamerican-programmes ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:mexico-iberoamerican-programmes ; cg:locator "Results expected" ; cg:quote "From 2012 to 2015" ] .

ex:commission a cg:JointCommission ;
    rdfs:label "Joint commission"@en ;
    cg:hasParty party:colombia , party:peru ;
    cg:date "2019"^^xsd:gYear ;
    prov:wasDerivedFrom src:colombia-bilateral-cooperation ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:colombia-bilateral-cooperation ; cg:locator "Joint Commissions" ; cg:quote "In 2019" ] .

ex:meeting a cg:Meeting ;
    rdfs:label "Expert meeting"@en ;
    cg:organisedBy ex:ministry ;
    cg:hasParticipant ex:person ;
    cg:hasParticipation [ a cg:Participation ; cg:agent ex:person ; cg:role role:chair ; cg:inCapacityOf ex:minister ] ;
    prov:wasDerivedFrom src:expert-meeting-2007 ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:expert-meeting-2007 ; cg:locator "1.3" ] .

ex:fund a cg:Fund ;
    rdfs:label "A fund"@en ;
    cg:fundedBy party:mexico ;
    prov:wasDerivedFrom src:expert-meeting-2007 ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:expert-meeting-2007 ; cg:locator "1" ] .

ex:contribution a cg:FundingContribution ;
    rdfs:label "A contribution"@en ;
    cg:contributor party:mexico ;
    cg:recipient ex:programme ;
    cg:amount 1600000.00 ;
    cg:currency "USD" ;
    cg:approximate false ;
    cg:startDate "2012"^^xsd:gYear ;
    cg:endDate "2015"^^xsd:gYear ;
    cg:contributionKind kind:allocation ;
    cg:annualAmount ex:fee ;
    prov:wasDerivedFrom src:mexico-iberoamerican-programmes ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:mexico-iberoamerican-programmes ; cg:locator "Financial resources" ; cg:quote "an amount of $1,600,000 USD was allocated" ] .

ex:fee a schema:MonetaryAmount ;
    rdfs:label "An annual fee"@en ;
    schema:value 400000.00 ;
    schema:currency "USD" ;
    prov:wasDerivedFrom src:mexico-iberoamerican-programmes ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:mexico-iberoamerican-programmes ; cg:locator "Footnote" ; cg:quote "Annual fee of 400,000 dollars" ] .

article:12 cg:coversModality modality:bilateral .

ex:result a cg:Result ;
    rdfs:label "25 projects supported"@en ;
    cg:quantity 25 ;
    cg:unit "projects" ;
    cg:indicator ex:indicator ;
    prov:wasDerivedFrom src:mexico-iberoamerican-programmes ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:mexico-iberoamerican-programmes ; cg:locator "Evaluation" ; cg:quote "25 Mexican projects were supported" ] .

ex:indicator a cg:Indicator ;
    rdfs:label "Number of beneficiary projects"@en ;
    prov:wasDerivedFrom src:mexico-iberoamerican-programmes ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:mexico-iberoamerican-programmes ; cg:locator "Indicators" ] .

ex:judgement a cg:CuratorJudgement ;
    rdfs:label "Film programme relates to Article 12 (e)"@en ;
    rdf:subject ex:programme ;
    rdf:predicate cg:relatesToArticle ;
    rdf:object article:12-e ;
    cg:basis basis:curator-judgement ;
    skos:note "Co-production is what Article 12 (e) encourages."@en ;
    prov:wasDerivedFrom src:mexico-iberoamerican-programmes ;
    prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:mexico-iberoamerican-programmes ; cg:locator "Results expected" ] .
"""

SETTINGS = Settings(in_memory=True)


def run(tmp_path: Path, text: str, lang: str = "en") -> ValidationReport:
    path = tmp_path / "example.ttl"
    path.write_text(text, "utf-8")
    return validate([path], SETTINGS, lang=lang)


def test_valid_example_conforms_without_warnings(tmp_path: Path) -> None:
    report = run(tmp_path, VALID)
    assert report.conforms, report.to_text()
    assert [r for r in report.results if r.severity != "Info"] == []


# (case id, line of VALID to replace, replacement, shape, constraint component, focus, en, es)
CASES = [
    (
        "label-missing",
        'rdfs:label "A fund"@en ;',
        'rdfs:label "Un fondo"@es ;',
        "FundShape",
        "QualifiedMinCountConstraintComponent",
        "ex:fund",
        "Every node needs an English label",
        "Todo nodo necesita una etiqueta en inglés",
    ),
    (
        "label-two-english",
        'rdfs:label "A fund"@en ;',
        'rdfs:label "A fund"@en , "The fund"@en ;',
        "FundShape",
        "UniqueLangConstraintComponent",
        "ex:fund",
        "at most one rdfs:label per language",
        "como máximo una rdfs:label por idioma",
    ),
    (
        "label-plain-string",
        'rdfs:label "Number of beneficiary projects"@en ;',
        'rdfs:label "Number of beneficiary projects"@en , "x" ;',
        "IndicatorShape",
        "DatatypeConstraintComponent",
        "ex:indicator",
        "A label is a language-tagged string",
        "Una etiqueta es una cadena con etiqueta de idioma",
    ),
    (
        "provenance-missing",
        "cg:formerlyHeldPost ex:minister ;\n    prov:wasDerivedFrom src:expert-meeting-2007 ;",
        "cg:formerlyHeldPost ex:minister ;",
        "AgentShape",
        "MinCountConstraintComponent",
        "ex:person",
        "must cite the source document",
        "debe citar el documento fuente",
    ),
    (
        "locator-missing",
        'prov:entity src:expert-meeting-2007 ; cg:locator "1" ]',
        "prov:entity src:expert-meeting-2007 ]",
        "DerivationShape",
        "MinCountConstraintComponent",
        None,
        "says where in the document",
        "indica en qué parte del documento",
    ),
    (
        "derivation-source-missing",
        'prov:qualifiedDerivation [ a prov:Derivation ; prov:entity src:expert-meeting-2007 ; cg:locator "1" ]',
        'prov:qualifiedDerivation [ a prov:Derivation ; cg:locator "1" ]',
        "DerivationShape",
        "MinCountConstraintComponent",
        None,
        "names exactly one source document",
        "nombra exactamente un documento fuente",
    ),
    (
        "contribution-currency-pattern",
        'cg:currency "USD" ;',
        'cg:currency "usd" ;',
        "FundingContributionShape",
        "PatternConstraintComponent",
        "ex:contribution",
        "ISO 4217 code",
        "código ISO 4217",
    ),
    (
        "contribution-currency-missing",
        'cg:currency "USD" ;',
        "",
        "FundingContributionShape",
        "MinCountConstraintComponent",
        "ex:contribution",
        "exactly one currency",
        "exactamente una moneda",
    ),
    (
        "contribution-negative",
        "cg:amount 1600000.00 ;",
        "cg:amount -5.0 ;",
        "FundingContributionShape",
        "MinInclusiveConstraintComponent",
        "ex:contribution",
        "non-negative xsd:decimal",
        "xsd:decimal no negativo",
    ),
    (
        "contribution-amount-integer",
        "cg:amount 1600000.00 ;",
        'cg:amount "1600000"^^xsd:integer ;',
        "FundingContributionShape",
        "DatatypeConstraintComponent",
        "ex:contribution",
        "non-negative xsd:decimal",
        "xsd:decimal no negativo",
    ),
    (
        "contribution-two-contributors",
        "cg:contributor party:mexico ;",
        "cg:contributor party:mexico , party:spain ;",
        "FundingContributionShape",
        "MaxCountConstraintComponent",
        "ex:contribution",
        "exactly one contributor",
        "exactamente un contribuyente",
    ),
    (
        "contribution-no-quote",
        'cg:locator "Financial resources" ; cg:quote "an amount of $1,600,000 USD was allocated" ]',
        'cg:locator "Financial resources" ]',
        "FundingContributionShape",
        "QualifiedMinCountConstraintComponent",
        "ex:contribution",
        "needs a supporting quote",
        "necesita una cita de apoyo",
    ),
    (
        "contribution-kind-outside-scheme",
        "cg:contributionKind kind:allocation ;",
        "cg:contributionKind culture:music ;",
        "FundingContributionShape",
        "NodeConstraintComponent",
        "ex:contribution",
        "contribution-kind scheme",
        "tipos de contribución",
    ),
    (
        "result-no-quote",
        'cg:locator "Evaluation" ; cg:quote "25 Mexican projects were supported" ]',
        'cg:locator "Evaluation" ]',
        "ResultShape",
        "QualifiedMinCountConstraintComponent",
        "ex:result",
        "A result needs a supporting quote",
        "Un resultado necesita una cita de apoyo",
    ),
    (
        "result-negative",
        "cg:quantity 25 ;",
        "cg:quantity -1 ;",
        "ResultShape",
        "MinInclusiveConstraintComponent",
        "ex:result",
        "non-negative",
        "no negativo",
    ),
    (
        "period-start-after-end",
        'cg:startDate "2012"^^xsd:gYear ;\n    cg:endDate "2015"^^xsd:gYear ;\n    cg:modality',
        'cg:startDate "2016"^^xsd:gYear ;\n    cg:endDate "2015"^^xsd:gYear ;\n    cg:modality',
        "PeriodOrderShape",
        "SPARQLConstraintComponent",
        "ex:programme",
        "The start date 2016 comes after the end date 2015",
        "La fecha de inicio 2016 es posterior a la fecha de fin 2015",
    ),
    (
        "date-not-a-date",
        'cg:date "2019"^^xsd:gYear ;',
        'cg:date "in 2019" ;',
        "ActivityShape",
        "OrConstraintComponent",
        "ex:commission",
        "A date is an xsd:gYear",
        "Una fecha es un xsd:gYear",
    ),
    (
        "partnership-one-party",
        "cg:hasParty party:colombia , party:peru ;",
        "cg:hasParty party:colombia ;",
        "PartnershipShape",
        "SPARQLConstraintComponent",
        "ex:commission",
        "at least two participants",
        "al menos dos participantes",
    ),
    (
        "participant-not-agent",
        "cg:hasParticipant party:colombia , ex:ministry ;",
        "cg:hasParticipant party:colombia , ex:ministry , ex:fund ;",
        "ParticipantIsAgentShape",
        "SPARQLConstraintComponent",
        "ex:programme",
        "is not an agent",
        "no es un agente",
    ),
    (
        "participation-without-participant",
        "cg:hasParticipant ex:person ;\n",
        "",
        "ParticipationConsistencyShape",
        "SPARQLConstraintComponent",
        "ex:meeting",
        "is not among its participants",
        "no figura entre sus participantes",
    ),
    (
        "participation-role-missing",
        "cg:agent ex:ministry ; cg:role role:implementing ]",
        "cg:agent ex:ministry ]",
        "ParticipationShape",
        "MinCountConstraintComponent",
        None,
        "at least one role",
        "al menos un rol",
    ),
    (
        "participation-role-outside-scheme",
        "cg:role role:implementing ]",
        "cg:role culture:music ]",
        "ParticipationShape",
        "NodeConstraintComponent",
        None,
        "at least one role",
        "al menos un rol",
    ),
    (
        "article-link-not-provision",
        "cg:relatesToArticle article:12-e ;",
        "cg:relatesToArticle party:peru ;",
        "ActivityShape",
        "ClassConstraintComponent",
        "ex:programme",
        "must point to a provision of the Convention",
        "debe apuntar a una disposición de la Convención",
    ),
    (
        "sector-outside-scheme",
        "cg:culturalSector culture:audiovisual ;",
        "cg:culturalSector sector:public-sector ;",
        "ActivityShape",
        "NodeConstraintComponent",
        "ex:programme",
        "cultural-sector scheme",
        "sectores culturales",
    ),
    (
        "modality-outside-scheme",
        "cg:modality modality:regional ;",
        "cg:modality culture:music ;",
        "ActivityShape",
        "NodeConstraintComponent",
        "ex:programme",
        "modality scheme",
        "esquema de modalidades",
    ),
    (
        "field-outside-scheme",
        "cg:fieldOfAction field:distribution-flow-systems ;",
        "cg:fieldOfAction modality:regional ;",
        "ActivityShape",
        "NodeConstraintComponent",
        "ex:programme",
        "field-of-action scheme",
        "ámbitos de acción",
    ),
    (
        "location-not-place",
        "cg:location ex:city ;",
        "cg:location ex:fund ;",
        "ActivityShape",
        "OrConstraintComponent",
        "ex:programme",
        "A location is a place or a country",
        "Un lugar es un cg:Place o un país",
    ),
    (
        "outcome-not-result",
        "cg:hasOutcome ex:result ;",
        "cg:hasOutcome ex:fund ;",
        "ActivityShape",
        "ClassConstraintComponent",
        "ex:programme",
        "An outcome is a cg:Result",
        "Un resultado es un cg:Result",
    ),
    (
        "aim-plain-string",
        'cg:aim "Encourage co-production"@en ;',
        'cg:aim "Encourage co-production" ;',
        "ActivityShape",
        "DatatypeConstraintComponent",
        "ex:programme",
        "An aim is a language-tagged string",
        "Un objetivo es una cadena con etiqueta de idioma",
    ),
    (
        "organisation-sector-outside-scheme",
        "    cg:sector sector:government-ministry ;\n    cg:stakeholderCategory",
        "    cg:sector culture:music ;\n    cg:stakeholderCategory",
        "OrganisationShape",
        "NodeConstraintComponent",
        "ex:ministry",
        "organisation-sector scheme",
        "sectores de organización",
    ),
    (
        "organisation-two-countries",
        "cg:country party:colombia ;",
        "cg:country party:colombia , party:peru ;",
        "OrganisationShape",
        "MaxCountConstraintComponent",
        "ex:ministry",
        "The country of an organisation is a cg:Country",
        "El país de una organización es un cg:Country",
    ),
    (
        "stakeholder-outside-scheme",
        "cg:stakeholderCategory stakeholder:ministerial-departments ;",
        "cg:stakeholderCategory sector:public-sector ;",
        "AgentShape",
        "NodeConstraintComponent",
        "ex:ministry",
        "stakeholder-category scheme",
        "categorías de actores",
    ),
    (
        "unit-without-parent",
        "    cg:subOrganizationOf ex:ministry ;\n",
        "",
        "OrganisationalUnitShape",
        "MinCountConstraintComponent",
        "ex:unit",
        "must name the organisation it belongs to",
        "debe nombrar la organización a la que pertenece",
    ),
    (
        "post-without-organisation",
        "cg:postIn ex:ministry ;",
        "",
        "PostShape",
        "MinCountConstraintComponent",
        "ex:minister",
        "exists in exactly one organisation or country",
        "existe en exactamente una organización o país",
    ),
    (
        "person-post-not-post",
        "cg:formerlyHeldPost ex:minister ;",
        "cg:formerlyHeldPost ex:ministry ;",
        "PersonShape",
        "ClassConstraintComponent",
        "ex:person",
        "A former post is a cg:Post",
        "Un cargo anterior es un cg:Post",
    ),
    (
        "judgement-without-reason",
        'skos:note "Co-production is what Article 12 (e) encourages."@en ;',
        "",
        "CuratorJudgementShape",
        "MinCountConstraintComponent",
        "ex:judgement",
        "says why",
        "explica por qué",
    ),
    (
        "judgement-basis-outside-scheme",
        "cg:basis basis:curator-judgement ;",
        "cg:basis culture:music ;",
        "CuratorJudgementShape",
        "NodeConstraintComponent",
        "ex:judgement",
        "assertion-basis scheme",
        "fundamentos de aserción",
    ),
    (
        "eligible-partner-sector-outside-scheme",
        "cg:eligiblePartnerSector sector:foundation ;",
        "cg:eligiblePartnerSector culture:music ;",
        "ActivityShape",
        "NodeConstraintComponent",
        "ex:programme",
        "An eligible partner sector is a concept of the organisation-sector scheme",
        "Un sector de socio admisible es un concepto del esquema de sectores de organización",
    ),
    (
        "evaluation-plain-string",
        'cg:evaluation "Evaluated every year"@en ;',
        'cg:evaluation "Evaluated every year" ;',
        "ActivityShape",
        "DatatypeConstraintComponent",
        "ex:programme",
        "An evaluation is a language-tagged string",
        "Una evaluación es una cadena con etiqueta de idioma",
    ),
    (
        "evaluation-conclusion-plain-string",
        'cg:evaluationConclusion "Strengthen the programme"@en ;',
        'cg:evaluationConclusion "Strengthen the programme" ;',
        "ActivityShape",
        "DatatypeConstraintComponent",
        "ex:programme",
        "An evaluation conclusion is a language-tagged string",
        "Una conclusión de la evaluación es una cadena con etiqueta de idioma",
    ),
    (
        "fund-donor-not-agent",
        "cg:fundedBy party:mexico ;",
        "cg:fundedBy ex:indicator ;",
        "FundShape",
        "ClassConstraintComponent",
        "ex:fund",
        "The donor of a fund (cg:fundedBy) is an agent",
        "El donante de un fondo (cg:fundedBy) es un agente",
    ),
    (
        "annual-amount-not-an-amount",
        "ex:fee a schema:MonetaryAmount ;",
        "ex:fee a cg:Indicator ;",
        "FundingContributionShape",
        "ClassConstraintComponent",
        "ex:contribution",
        "at most one annual amount, a schema:MonetaryAmount",
        "como máximo un monto anual, un schema:MonetaryAmount",
    ),
    (
        "amount-without-currency",
        'schema:currency "USD" ;',
        "",
        "MonetaryAmountShape",
        "MinCountConstraintComponent",
        "ex:fee",
        "A monetary amount has exactly one currency",
        "Un monto tiene exactamente una moneda",
    ),
    (
        "amount-value-negative",
        "schema:value 400000.00 ;",
        "schema:value -400000.00 ;",
        "MonetaryAmountShape",
        "MinInclusiveConstraintComponent",
        "ex:fee",
        "A monetary amount has exactly one value, a non-negative xsd:decimal",
        "Un monto tiene exactamente un valor, un xsd:decimal no negativo",
    ),
    (
        "amount-without-quote",
        ' ; cg:locator "Footnote" ; cg:quote "Annual fee of 400,000 dollars" ] .',
        ' ; cg:locator "Footnote" ] .',
        "MonetaryAmountShape",
        "QualifiedMinCountConstraintComponent",
        "ex:fee",
        "An amount needs a supporting quote",
        "Un monto necesita una cita de apoyo",
    ),
    (
        "provision-modality-outside-scheme",
        "article:12 cg:coversModality modality:bilateral .",
        "article:12 cg:coversModality culture:music .",
        "ProvisionShape",
        "NodeConstraintComponent",
        None,
        "A modality a provision covers is a concept of the modality scheme",
        "Una modalidad que abarca una disposición es un concepto del esquema de modalidades",
    ),
    (
        "party-without-cited-source",
        "ex:indicator a cg:Indicator ;",
        "party:mexico a cg:Party .\n\nex:indicator a cg:Indicator ;",
        "NoPartyWithoutSourceShape",
        "QualifiedMinCountConstraintComponent",
        "party:mexico",
        "Party status to the Convention needs a cited source",
        "La condición de Parte en la Convención necesita una fuente citada",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("lang", ["en", "es"])
def test_violating_example(tmp_path: Path, case: tuple[str, ...], lang: str) -> None:
    case_id, old, new, shape, component, focus, message_en, message_es = case
    assert old in VALID, f"{case_id}: the line to change is not in the valid example"
    report = run(tmp_path, VALID.replace(old, new, 1), lang=lang)
    violations = [r for r in report.results if r.severity == "Violation"]
    assert not report.conforms
    fired = {(r.source_shape, r.constraint) for r in violations}
    # Shapes declared inside another shape (property shapes) report the enclosing node shape
    # as blank; match on the component and the message instead of the shape name there.
    matching = [
        r
        for r in violations
        if r.constraint == component and (message_en if lang == "en" else message_es) in r.message
    ]
    assert matching, f"{case_id}: expected {component} from {shape}, got {fired}\n{report.to_text()}"
    # a failed sh:node also reports the inner shape's own result (the concept outside its
    # scheme): that is the same failure seen from the value's side
    own = {
        r.constraint for r in violations if not (r.source_shape or "").split(" / ")[0].endswith("Concept>")
    }
    assert own == {component}, f"{case_id}: more than one constraint fired: {fired}"
    if focus is not None:
        expected_iri = focus.replace("ex:", "https://w3id.org/coopgraph/id/test/").replace(
            "party:", "https://w3id.org/coopgraph/id/party/"
        )
        assert any(expected_iri in r.focus_node for r in matching), [r.focus_node for r in matching]
    if shape.endswith("Shape") and "SPARQL" in component:
        assert any(r.source_shape and shape in r.source_shape for r in matching)
    assert all(r.file == str(tmp_path / "example.ttl") and r.line for r in matching)


def test_place_without_country_is_a_warning(tmp_path: Path) -> None:
    report = run(tmp_path, VALID.replace("cg:inCountry party:colombia ;", "", 1))
    assert report.conforms
    warnings = [r for r in report.results if r.severity == "Warning"]
    assert [r.constraint for r in warnings] == ["MinCountConstraintComponent"]
    assert "should say which country" in warnings[0].message


def test_organisation_without_sector_is_a_warning(tmp_path: Path) -> None:
    text = VALID.replace(
        "    cg:sector sector:government-ministry ;\n    cg:stakeholderCategory",
        "    cg:stakeholderCategory",
        1,
    )
    report = run(tmp_path, text)
    assert report.conforms
    assert [r.message for r in report.results if r.severity == "Warning"] == [
        "An organisation should have a sector."
    ]


def test_english_only_programme_gets_a_label_warning(tmp_path: Path) -> None:
    report = run(tmp_path, VALID.replace('rdfs:label "Programa de cine"@es ;', "", 1), lang="es")
    assert report.conforms
    assert [r.message for r in report.results if r.severity == "Warning"] == [
        "Considere añadir una etiqueta en español o francés."
    ]
