"""Competency questions over Colombia's periodic-report entry on bilateral cultural cooperation.

Each test runs one named query of ``queries/`` and checks the exact answer the report gives
(source: src:colombia-bilateral-cooperation, seed 002_4246f50e6ab02e68.txt, "Creation,
strengthening and Promotion of Alliances: Bilateral Cooperation").
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from pyoxigraph import Literal, NamedNode

from coopgraph.explore import search_index
from coopgraph.store import iter_rows

ID = "https://w3id.org/coopgraph/id/"
MEASURE = ID + "programme/colombia-bilateral-cultural-cooperation"
SOURCE = ID + "source/colombia-bilateral-cooperation"
ORG = ID + "organisation/"
SECTOR = ID + "organisation-sector/"


def test_public_sector_partners(run_query):
    # Partenaires engagés dans la mise en œuvre de la politique/mesure: seven partners carry the
    # "Type d'entité" "Secteur public": "Presidency of the Republic de Colombia / Secteur public",
    # "Ministry of Foreign Affairs of Colombia / Secteur public", "Ministry of Culture of Colombia /
    # Secteur public", "Embassy of the United States in Colombia / Secteur public", "Bureu of
    # Educational and Cultural Affairs of the United States Department of State. / Secteur public",
    # "Canadian Embassy / Secteur public", "British Council / Secteur public".
    rows = run_query("colombia-public-sector-partners", measure=MEASURE)
    got = {r["partnerLabel"]: r["sector"].removeprefix(SECTOR) for r in rows}
    assert got == {
        "Presidency of the Republic of Colombia": "government-ministry",
        "Ministry of Foreign Affairs of Colombia": "government-ministry",
        "Ministry of Culture of Colombia": "government-ministry",
        "Embassy of the United States in Colombia": "diplomatic-mission",
        "Bureau of Educational and Cultural Affairs of the United States Department of State": "government-ministry",
        "Canadian Embassy": "diplomatic-mission",
        "British Council": "public-body",
    }
    countries = {r["partnerLabel"]: r.get("countryLabel") for r in rows}
    assert countries["British Council"] == "United Kingdom"
    assert countries["Canadian Embassy"] == "Canada"
    assert countries["Embassy of the United States in Colombia"] == "United States"


def test_partners_without_entity_type(run_query):
    # Partner list: "Presidential Agency for International Cooperation (APC) / Ministry of Culture of
    # Ecuador / Ministry of Culture of Peru" are listed with no "Type d'entité" line.
    rows = run_query("colombia-untyped-partners", measure=MEASURE)
    got = {r["partner"].removeprefix(ORG): r["partnerLabel"] for r in rows}
    assert got == {
        "apc": "Presidential Agency for International Cooperation",
        "ministry-of-culture-ecuador": "Ministry of Culture of Ecuador",
        "ministry-of-culture-peru": "Ministry of Culture of Peru",
    }
    acronyms = {r["partnerLabel"]: r.get("acronym") for r in rows}
    assert acronyms["Presidential Agency for International Cooperation"] == "APC"
    assert all("entity type" in r["note"].lower() for r in rows)


def test_joint_commissions(run_query):
    # "Dominican Republic: Culture satellite account ... 2017"; "Chile: A commitment was made to
    # strengthen the exchange of cultural agents ... 2018"; "Panama: Development of a pilot plan on food
    # and traditional cuisine ... Likewise, of a project that strengthens the cultural diplomacy ...
    # 2018-2019"; "Mexico: Approval of a knowledge exchange in the framework of traditional kitchens ...
    # 2018"; "Paraguay: Technical assistance and knowledge exchange for the Training of Paraguayan Public
    # Officials in Archival Technical assistance will be provided to the Ministry of Culture of Paraguay
    # in the promotion of the visual, performing and musical arts. 2018"; "Guatemala: ... 2019";
    # "Honduras: A project to provide a digital document management tool ... 2019"; Russia: "In 2019, a
    # Mixed Commission approved the creation of a Creative Industries Table ... and also implemented an
    # interactive platform"; Turkey: "the Joint Commission held between Turkey and Colombia in April 2019,
    # a Memorandum of Understanding with the General Archive of the Nation was approved".
    rows = run_query("colombia-joint-commissions", measure=MEASURE)
    when = {r["counterpartLabel"]: r.get("date") or f"{r['start']}-{r['end']}" for r in rows}
    assert when == {
        "Dominican Republic": "2017",
        "Chile": "2018",
        "Panama": "2018-2019",
        "Mexico": "2018",
        "Paraguay": "2018",
        "Guatemala": "2019",
        "Honduras": "2019",
        "Russia": "2019",
        "Turkey": "2019-04",
    }
    items = {}
    for r in rows:
        items.setdefault(r["counterpartLabel"], set()).add(r["item"].removeprefix(ID))
    assert items["Panama"] == {
        "project/colombia-panama-traditional-cuisine-pilot-plan",
        "project/colombia-panama-cultural-diplomacy",
    }
    assert items["Paraguay"] == {
        "project/colombia-paraguay-archival-training",
        "project/colombia-paraguay-arts-promotion-technical-assistance",
    }
    assert items["Russia"] == {
        "partnership/colombia-russia-creative-industries-table",
        "project/colombia-russia-interactive-platform",
    }
    assert items["Turkey"] == {"agreement/colombia-turkey-mou-archives-2019"}
    topics = {r["counterpartLabel"]: r.get("topics", "") for r in rows if r["counterpartLabel"] != "Paraguay"}
    assert "Cultural statistics and satellite accounts" in topics["Dominican Republic"]
    assert "Intangible cultural heritage" in topics["Mexico"]
    assert set(topics["Guatemala"].split(" | ")) == {"Visual arts", "Performing arts", "Music"}
    assert "Archives" in topics["Turkey"]


def test_binational_cabinets(run_query):
    # "Colombia has carried out two Binational Cabinets with Ecuador and Peru ... the Ministry of Culture
    # participates in both Binational Cabinets with the following actions:" The first block names "the
    # Colombia Ecuador Binational Fund", the second "the Peruvian Ruraq Maki fair held in mid-2020";
    # the other actions are attached by layout, as curator judgements.
    rows = run_query("colombia-binational-cabinet-actions", measure=MEASURE)
    got = {(r["counterpartLabel"], r["action"].removeprefix(ID), r["basis"]) for r in rows}
    assert got == {
        ("Ecuador", "project/colombia-ecuador-border-decentralisation-roadmap", "stated"),
        ("Ecuador", "project/colombia-ecuador-binational-fund-preliminary-project", "stated"),
        ("Ecuador", "project/colombia-ecuador-protected-archaeological-areas-advice", "stated"),
        ("Ecuador", "project/binational-cabinet-heritage-management-accompaniment", "curator-judgement"),
        ("Ecuador", "project/binational-cabinet-orange-economy-policy-exchange", "curator-judgement"),
        ("Ecuador", "project/binational-cabinet-books-reading-archaeology-exchange", "curator-judgement"),
        ("Peru", "project/binational-cabinet-afro-descendant-policies-exchange", "curator-judgement"),
        ("Peru", "project/binational-cabinet-audiovisual-policies-exchange", "curator-judgement"),
        ("Peru", "project/binational-cabinet-trafficked-cultural-assets-booklet", "curator-judgement"),
        ("Peru", "agreement/colombia-peru-film-co-production-agreement", "curator-judgement"),
        ("Peru", "project/colombian-artisans-mobility-ruraq-maki", "stated"),
    }
    related = {r["action"].removeprefix(ID): r.get("relatedLabel") for r in rows}
    # "the formulation of a preliminary project that can be financed through the Colombia Ecuador Binational Fund"
    assert (
        related["project/colombia-ecuador-binational-fund-preliminary-project"]
        == "Colombia Ecuador Binational Fund"
    )
    assert related["project/colombian-artisans-mobility-ruraq-maki"] == "Ruraq Maki fair (mid-2020)"
    status = {r["action"].removeprefix(ID): r.get("status", "") for r in rows}
    # "Commitment to sign a film co-production agreement": not signed.
    assert "commitment to sign" in status["agreement/colombia-peru-film-co-production-agreement"]


def test_agreements(run_query):
    # "In 2017, a Cooperation Agreement was signed between the Ministry of Culture and the British
    # Council"; Panama: "This cooperation initiative was formalized through the signing of a Memorandum of
    # Understanding" (no date given); Turkey: "in April 2019, a Memorandum of Understanding with the
    # General Archive of the Nation was approved"; Binational Cabinet: "Commitment to sign a film
    # co-production agreement".
    rows = run_query("colombia-agreements", source=SOURCE)
    got = {
        r["agreement"].removeprefix(ID + "agreement/"): (r["kind"], r.get("date"), r["parties"]) for r in rows
    }
    assert {k: (v[0], v[1]) for k, v in got.items()} == {
        "colombia-british-council-cooperation-agreement-2017": ("CooperationAgreement", "2017"),
        "colombia-panama-mou-culture-2019": ("MemorandumOfUnderstanding", None),
        "colombia-turkey-mou-archives-2019": ("MemorandumOfUnderstanding", "2019-04"),
        "colombia-peru-film-co-production-agreement": ("CoProductionAgreement", None),
    }
    parties = {k: set(v[2].split(" | ")) for k, v in got.items()}
    assert parties["colombia-british-council-cooperation-agreement-2017"] == {
        "Ministry of Culture of Colombia",
        "British Council",
    }
    assert parties["colombia-panama-mou-culture-2019"] == {
        "Ministry of Culture of Colombia",
        "Ministry of Culture of Panama",
    }
    assert parties["colombia-turkey-mou-archives-2019"] == {"General Archive of the Nation", "Turkey"}
    assert parties["colombia-peru-film-co-production-agreement"] == {"Colombia", "Peru"}
    status = {r["agreement"].rsplit("/", 1)[-1]: r["status"] for r in rows}
    assert status["colombia-british-council-cooperation-agreement-2017"].startswith("Status: signed")
    assert status["colombia-panama-mou-culture-2019"].startswith("Status: signed")
    assert status["colombia-turkey-mou-archives-2019"].startswith("Status: approved")
    assert status["colombia-peru-film-co-production-agreement"].startswith("Status: planned")


def test_events_in_2019(run_query):
    # 2019 in the report: Canadian mission "on February 2019" and UK mission "on June"; "Colombia
    # participated as guest country in the CHEC Market - Chile Creative Economy - on October 2019"; the
    # President's visit to Panama "in September 2019"; "In 2019 the Vice-Minister of the Orange Economy
    # made an official visit to Panama ... to participate in the Global Entrepreneurship Week"; "the 2019
    # HLD"; "the Vina del Mar Festival 2019"; "On September 30, 2019, a Japanese delegation"; the Beijing
    # course "Between the months of August and September 2019"; joint commissions with Guatemala (2019),
    # Honduras (2019), Panama (2018-2019), Russia ("In 2019, a Mixed Commission") and Turkey ("April 2019").
    rows = run_query("colombia-events-in-year", year="2019")
    got = {r["activity"].removeprefix(ID): (r["kind"], r.get("date") or r.get("start")) for r in rows}
    assert got == {
        "event/canadian-mission-cultural-creative-industries-colombia-2019": ("Mission", "2019-02"),
        "event/uk-mission-cultural-creative-industries-colombia-2019": ("Mission", "2019-06"),
        "event/chec-market-2019": ("Fair", "2019-10"),
        "event/president-of-colombia-visit-panama-2019": ("Visit", "2019-09"),
        "event/vice-minister-orange-economy-visit-panama-2019": ("Visit", "2019"),
        "event/global-entrepreneurship-week-panama-2019": ("Event", "2019"),
        "event/colombia-united-states-hld-2019": ("Meeting", "2019"),
        "event/vina-del-mar-festival-2019": ("Fair", "2019"),
        "event/japanese-cultural-affairs-agency-visit-ministry-of-culture-2019": ("Visit", "2019-09-30"),
        "event/beijing-training-course-cultural-officials-2019": ("Workshop", "2019-08"),
        "partnership/colombia-guatemala-joint-commission": ("JointCommission", "2019"),
        "partnership/colombia-honduras-joint-commission": ("JointCommission", "2019"),
        "partnership/colombia-panama-joint-commission": ("JointCommission", "2018"),
        "partnership/colombia-russia-joint-commission": ("JointCommission", "2019"),
        "partnership/colombia-turkey-joint-commission": ("JointCommission", "2019-04"),
    }
    places = {r["activity"].rsplit("/", 1)[-1]: set(r.get("places", "").split(" | ")) for r in rows}
    assert places["canadian-mission-cultural-creative-industries-colombia-2019"] == {
        "Colombia",
        "Bogota",
        "Bronx Creative District",
    }
    assert places["chec-market-2019"] == {"Chile"}
    assert places["president-of-colombia-visit-panama-2019"] == {"Panama"}
    assert places["beijing-training-course-cultural-officials-2019"] == {"Beijing"}
    assert places["vina-del-mar-festival-2019"] == {"Viña del Mar"}


def test_events_in_2018(run_query):
    # 2018: "During 2018, Japan and Colombia celebrated 110 years of diplomatic relations"; "For HLD 2018";
    # the exhibition "The Young Master. Botero, Early Work (1948-1963)" "between August 2 and October 28,
    # 2018"; "The same year [2018], the Mayor of Vina del Mar visited the country"; joint commissions with
    # Chile, Mexico, Paraguay (2018) and Panama (2018-2019).
    rows = run_query("colombia-events-in-year", year="2018")
    got = {r["activity"].rsplit("/", 1)[-1] for r in rows}
    assert got == {
        "japan-colombia-110-years-diplomatic-relations-2018",
        "colombia-united-states-hld-2018",
        "young-master-botero-early-work-exhibition-2018",
        "mayor-of-vina-del-mar-visit-colombia-2018",
        "colombia-chile-joint-commission",
        "colombia-mexico-joint-commission",
        "colombia-paraguay-joint-commission",
        "colombia-panama-joint-commission",
    }
    botero = next(r for r in rows if r["activity"].endswith("young-master-botero-early-work-exhibition-2018"))
    assert (botero["start"], botero["end"]) == ("2018-08-02", "2018-10-28")


def test_united_states_cooperation(run_query):
    # United States section: Participaz ("USAID resources operated by ACDI/VOCA within the framework of the
    # Partnerships for Reconciliation Programme (PAR)"), the Ministry of Culture and Fulbright Colombia
    # scholarships, the High Level Dialogues (HLD 2018, 2019) and the HLD Education, Culture and Sports
    # Roundtable, the Skill-building Project (ICANH, Smithsonian), the Botero exhibition, the 2019 HLD
    # proposals (Afro-Colombian Museum, IVLP on the Orange Economy, AWE); partners "Embassy of the United
    # States in Colombia" and "Bureu of Educational and Cultural Affairs of the United States Department of State."
    rows = run_query("colombia-country-cooperation", measure=MEASURE, country=ID + "party/united-states")
    items = {r["item"].removeprefix(ID) for r in rows}
    assert items == {
        "partnership/colombia-united-states-cultural-cooperation",
        "project/participaz",
        "programme/ministry-of-culture-fulbright-colombia-scholarships",
        "partnership/colombia-united-states-high-level-dialogue",
        "partnership/colombia-united-states-hld-education-culture-sports-roundtable",
        "event/colombia-united-states-hld-2018",
        "event/colombia-united-states-hld-2019",
        "partnership/ministry-of-culture-colombia-smithsonian-alliance",
        "project/skill-building-project-protection-of-cultural-heritage",
        "event/young-master-botero-early-work-exhibition-2018",
        "project/afro-colombian-museum-good-practices-transfer",
        "project/colombia-united-states-orange-economy-knowledge-transfers",
        "programme/ivlp-orange-economy",
        "programme/academy-for-women-entrepreneurs",
        "organisation/embassy-of-the-united-states-colombia",
        "organisation/bureau-of-educational-and-cultural-affairs-united-states",
    }
    skill = {
        r.get("agentLabel")
        for r in rows
        if r["item"].endswith("skill-building-project-protection-of-cultural-heritage")
    }
    assert skill == {"ICANH", "Ministry of Culture of Colombia", "Smithsonian Institution"}


def test_participaz_actors(run_query):
    # "Development and implementation of the Participaz project ... The Ministry of Culture had USAID
    # resources operated by ACDI/VOCA within the framework of the Partnerships for Reconciliation Programme (PAR)."
    rows = run_query("colombia-project-actors", project=ID + "project/participaz")
    roles = {(r["agentLabel"], r.get("roleName")) for r in rows if "agentLabel" in r}
    assert roles == {
        ("Ministry of Culture of Colombia", "implementing"),
        ("Ministry of Culture of Colombia", "recipient"),
        ("USAID", "funding"),
        ("ACDI/VOCA", "extending"),
    }
    assert {r["funderLabel"] for r in rows if "funderLabel" in r} == {"USAID"}
    assert {r["frameworkLabel"] for r in rows if "frameworkLabel" in r} == {
        "Partnerships for Reconciliation Programme",
        "Cultural cooperation between Colombia and the United States",
    }


def test_quantified_results(run_query):
    # "In 2017, two artists ... were benefited"; "40 pre-Columbian pieces were seized in the United States";
    # "more than 20 Canadian companies and 12 experts in the case of UK"; "three officials from the
    # Government's Cultural Affairs Agency"; "selected 11 officials and experts from the Ministry of Culture".
    rows = run_query("colombia-quantified-results", measure=MEASURE)
    got = {(Decimal(r["quantity"]), r["unit"], r.get("qualifier")) for r in rows}
    assert got == {
        (Decimal(2), "artists", None),
        (Decimal(40), "pre-Columbian pieces", None),
        (Decimal(20), "Canadian companies", "more than"),
        (Decimal(12), "experts", None),
        (Decimal(3), "officials", None),
        (Decimal(11), "officials and experts", None),
    }
    canada = next(r for r in rows if r["unit"] == "Canadian companies")
    assert canada["approximate"] == "true"
    assert "more than 20 Canadian companies" in canada["quote"]
    artists = next(r for r in rows if r["unit"] == "artists")
    assert artists["when"] == "2017"


EVALUATION = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?evaluation ?conclusion ?locator ?quote WHERE {
  GRAPH <https://w3id.org/coopgraph/graph/colombia-bilateral-cooperation> {
    ?measure cg:evaluation ?evaluation ; cg:evaluationConclusion ?conclusion ;
        prov:qualifiedDerivation [ cg:locator ?locator ; cg:quote ?quote ] .
    FILTER(CONTAINS(?locator, "conclusions/recommandations"))
  }
}"""


def test_colombia_entry_has_an_evaluation_and_its_conclusion(project_store):
    # "La mise en œuvre de la politique/mesure a-t-elle été évaluée ?: [blank] / Si oui, quelles sont
    # les principales conclusions/recommandations ?: Joint Commissions are under constant evaluation
    # and receive feedback from the parties involved. As a main challenge, Colombia has taken on the
    # task of strengthening them as cooperation conducts whose main objective is to propose concrete,
    # feasible and measurable initiatives involving culture framed within the 2030 Agenda."
    rows = list(iter_rows(project_store.select(EVALUATION, {"measure": NamedNode(MEASURE)})))
    assert {r["evaluation"] for r in rows} == {
        "Joint Commissions are under constant evaluation and receive feedback from the parties involved."
    }
    assert {r["conclusion"] for r in rows} == {
        "As a main challenge, Colombia has taken on the task of strengthening them as cooperation conducts"
        " whose main objective is to propose concrete, feasible and measurable initiatives involving culture"
        " framed within the 2030 Agenda."
    }
    # each of the two sentences is cited from the conclusions field
    assert {r["quote"] for r in rows} == {rows[0]["evaluation"], rows[0]["conclusion"]}
    notes = project_store.select(
        "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?note WHERE { ?measure skos:editorialNote ?note }",
        {"measure": NamedNode(MEASURE)},
    )
    assert notes and not any("gives no evaluation" in n["note"].value for n in notes)


ABBREVIATION = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?country ?quote WHERE {
  GRAPH <https://w3id.org/coopgraph/graph/colombia-bilateral-cooperation> {
    ?country skos:altLabel ?abbreviation ; prov:qualifiedDerivation [ cg:quote ?quote ] .
  }
  ?country a cg:Country .
}"""


@pytest.mark.parametrize(
    ("abbreviation", "country"),
    [
        ("UAE", "united-arab-emirates"),
        ("US", "united-states"),
        ("U.S.", "united-states"),
        ("UK", "united-kingdom"),
    ],
)
def test_country_abbreviations_resolve_to_their_country(project_store, catalogue, abbreviation, country):
    # "the UAE Finanace Minister"; "preparation for travel to the US"; "designed by the U.S. for the
    # support of the cultural and creative industries"; "12 experts in the case of UK".
    rows = project_store.select(ABBREVIATION, {"abbreviation": Literal(abbreviation, language="en")})
    assert {r["country"].value for r in rows} == {ID + "party/" + country}
    as_a_word = re.compile(rf"(?<![A-Za-z.]){re.escape(abbreviation)}(?![A-Za-z])")
    assert any(as_a_word.search(r["quote"].value) for r in rows)  # cited where the report uses it
    hits = search_index(project_store, catalogue).search(abbreviation, ["en"])
    assert hits[0].iri == ID + "party/" + country
    # "U.S." and "US" normalise alike, so either may be the label matched
    undotted = abbreviation.replace(".", "")
    assert hits[0].matched_property == "altLabel" and hits[0].matched.replace(".", "") == undotted
