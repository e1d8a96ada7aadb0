"""Competency questions over the Culturelink article on the Global Alliance for Cultural Diversity (2002).

Each test runs one named query of ``queries/`` and checks the exact answer the article gives
(source: src:global-alliance-2002, seed 001_6473ed73d2ee3ec6.txt).
"""

from __future__ import annotations

from pyoxigraph import NamedNode

ID = "https://w3id.org/coopgraph/id/"
SOURCE = ID + "source/global-alliance-2002"
ALLIANCE = ID + "programme/global-alliance-for-cultural-diversity"


def test_global_alliance_pillars_fund_coordinator(run_query):
    # "a UNESCO partnership initiative (2002-2007)" / "The Global Alliance will build on two strategic
    # pillars: the development of local cultural industries and the prevention of piracy. Activities in
    # these areas will be supported through newly established partnerships and UNESCO's special
    # extra-budgetary fund."
    rows = run_query("programme-pillars-fund-coordinator", programme=ALLIANCE)
    assert {(r["coordinatorLabel"], r["fund"], r["start"], r["end"]) for r in rows} == {
        ("UNESCO", ID + "fund/global-alliance-special-fund", "2002", "2007"),
    }
    assert {(r["pillarLabel"], r["pillarSectors"]) for r in rows} == {
        (
            "Global Alliance for Cultural Diversity: development of local cultural industries",
            "Creative economy and cultural industries",
        ),
        (
            "Global Alliance for Cultural Diversity: prevention of piracy",
            "Copyright and prevention of piracy",
        ),
    }


def test_global_alliance_modalities(run_query):
    # "The Global Alliance will promote bilateral and multilateral North/South partnerships amongst
    # businesses, governments, civil society organizations and intergovernmental bodies" /
    # "Providing technical expertise, resources and training"
    rows = run_query("document-modalities", source=SOURCE)
    got = {r["modality"].removeprefix(ID + "modality/") for r in rows}
    assert got == {"north-south", "bilateral", "multilateral", "public-private", "technical-cooperation"}


def test_global_alliance_article_judgements(run_query):
    # The 2002 article predates the 2005 Convention: every article link is a curator judgement.
    rows = run_query("document-article-judgements", source=SOURCE)
    got = {
        (r["subject"].removeprefix(ID), r["article"].removeprefix(ID + "article/"), r["basis"]) for r in rows
    }
    assert got == {
        ("programme/global-alliance-for-cultural-diversity", "15", "curator-judgement"),
        ("programme/global-alliance-local-cultural-industries", "14-a", "curator-judgement"),
        ("fund/global-alliance-special-fund", "18", "curator-judgement"),
    }
    assert all("predates the 2005 Convention" in r["note"] for r in rows)


def test_global_alliance_coordinator_unit(run_query):
    # "please contact: The Global Alliance for Cultural Diversity, UNESCO Division of Arts and Cultural
    # Enterprise, 1, rue Miollis, 75732 Paris Cedex 15, France"
    rows = run_query("organisation-units-and-seats", organisation=ID + "organisation/unesco")
    division = [r for r in rows if r["unitLabel"] == "UNESCO Division of Arts and Cultural Enterprise"]
    assert len(division) == 1
    assert (division[0]["placeLabel"], division[0]["countryLabel"]) == ("Paris", "France")
    # "e-mail: globalalliance@unesco.org; http://www.unesco.org/culture/alliance"
    assert set(division[0]["contacts"].split()) == {
        "mailto:globalalliance@unesco.org",
        "http://www.unesco.org/culture/alliance",
    }


def test_global_alliance_partnership_terms(run_query):
    # "Whether you represent a government or intergovernmental body, a corporation, a small- or
    # medium-size cultural enterprise, a foundation, an NGO, or a non-profit organization, you may
    # participate in the Global Alliance in different ways." / "Send UNESCO your proposal for a
    # partnership" / "Become a sponsor" / "UNESCO will connect you with current partnerships or match
    # you with potential new partners with similar interests."
    notes = [r["note"] for r in run_query("programme-partnership-terms", programme=ALLIANCE)]
    assert len(notes) == 3
    who = next(n for n in notes if n.startswith("Who may become a partner"))
    for kind in (
        "government or intergovernmental body",
        "a corporation",
        "small- or medium-size cultural enterprise",
        "a foundation",
        "an NGO",
        "a non-profit organization",
    ):
        assert kind in who
    ways = next(n for n in notes if n.startswith("Ways to become a partner"))
    assert "send UNESCO a proposal for a partnership" in ways and "become a sponsor" in ways
    matching = next(n for n in notes if n.startswith("Partner-matching service"))
    assert "match the proposer with potential new partners with similar interests" in matching


ELIGIBLE_SECTORS = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?sector ?broader WHERE {
  ?programme cg:eligiblePartnerSector ?sector .
  ?sector skos:inScheme <https://w3id.org/coopgraph/id/scheme/organisation-sector> .
  OPTIONAL { ?sector skos:broader ?broader }
}"""


def test_global_alliance_potential_partner_sectors(project_store):
    # "Whether you represent a government or intergovernmental body, a corporation, a small- or
    # medium-size cultural enterprise, a foundation, an NGO, or a non-profit organization, you may
    # participate in the Global Alliance in different ways."
    rows = project_store.select(ELIGIBLE_SECTORS, {"programme": NamedNode(ALLIANCE)})
    sector = ID + "organisation-sector/"
    got = {r["sector"].value.removeprefix(sector): r.get("broader") for r in rows}
    assert set(got) == {
        "public-sector",
        "intergovernmental",
        "private-sector",
        "small-medium-enterprise",
        "foundation",
        "civil-society",
        "non-profit",
    }
    # the two concepts added for this list sit under the sectors they specialise
    assert got["small-medium-enterprise"].value == sector + "private-sector"
    assert got["non-profit"].value == sector + "civil-society"
