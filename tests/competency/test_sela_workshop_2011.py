"""Competency questions over SELA's Conclusions and Proposals of the 2011 regional workshop.

Each test runs one named query of ``queries/`` and checks the exact answer the document gives
(source: src:sela-workshop-2011, seed 003_a8faacb331889bb2.txt, SP/TR-FIFPCSS-ALC/CR-11).
"""

from __future__ import annotations

ID = "https://w3id.org/coopgraph/id/"
SOURCE = ID + "source/sela-workshop-2011"
WORKSHOP = ID + "event/sela-regional-workshop-south-south-financing-2011"


def test_sela_workshop_contributors(run_query):
    # Conclusion 4: "Participants underscored the importance of the contributions made by the regional
    # and international organizations: the Japan International Cooperation Agency (JICA), the German
    # Agency for International Cooperation (GIZ), the Caribbean Community (CARICOM), the Economic
    # Commission for Latin America and the Caribbean (ECLAC), the Perez-Guerrero Trust Fund (PGTF) of
    # the Group of 77, the Common Market of the South (MERCOSUR), the Andean Community (CAN), the Pan
    # American Health Organization (PAHO), the United Nations Food and Agriculture Organization (FAO),
    # the Ibero-American Programme for Strengthening South-South Cooperation, and the UNDP Special Unit
    # for South-South. Participants also thanked for the presentations made by the government
    # representatives of the cooperation agencies of Ecuador, Uruguay, Cuba, Dominican Republic,
    # Argentina, Mexico, El Salvador and Belize."
    rows = run_query("sela-workshop-contributors", event=WORKSHOP)
    got = {(r["kind"], r["contributorLabel"], r.get("acronym")) for r in rows}
    assert got == {
        ("organisation", "Japan International Cooperation Agency", "JICA"),
        ("organisation", "German Agency for International Cooperation", "GIZ"),
        ("organisation", "Caribbean Community", "CARICOM"),
        ("organisation", "Economic Commission for Latin America and the Caribbean", "ECLAC"),
        ("organisation", "Perez-Guerrero Trust Fund", "PGTF"),
        ("organisation", "Common Market of the South", "MERCOSUR"),
        ("organisation", "Andean Community", "CAN"),
        ("organisation", "Pan American Health Organization", "PAHO"),
        ("organisation", "United Nations Food and Agriculture Organization", "FAO"),
        ("organisation", "UNDP Special Unit for South-South Cooperation", None),
        ("programme", "Ibero-American Programme for Strengthening South-South Cooperation", None),
        ("country", "Ecuador", None),
        ("country", "Uruguay", None),
        ("country", "Cuba", None),
        ("country", "Dominican Republic", None),
        ("country", "Argentina", None),
        ("country", "Mexico", None),
        ("country", "El Salvador", None),
        ("country", "Belize", None),
    }
    assert len(rows) == 19


def test_sela_workshop_organisers_place_date(run_query):
    # Conclusion 1: "The “Regional Workshop on funds and instruments for financing South-South
    # Cooperation projects in Latin America and the Caribbean”, organized by the Permanent Secretariat
    # of the Latin American and Caribbean Economic System (SELA) and the Secretariat of Foreign Affairs
    # of Mexico, took place on 28 and 29 July 2011 in Mexico City, the headquarters of the Mexican
    # Secretariat of Foreign Affairs."
    rows = run_query("event-organisers-place-date", event=WORKSHOP)
    assert {(r["organiserLabel"], r["parentLabel"]) for r in rows} == {
        ("Permanent Secretariat of SELA", "Latin American and Caribbean Economic System"),
        ("Secretariat of Foreign Affairs of Mexico", "Mexico"),
    }
    assert {(r["placeLabel"], r["countryLabel"]) for r in rows} == {
        ("Mexico City", "Mexico"),
        ("Headquarters of the Mexican Secretariat of Foreign Affairs", "Mexico"),
    }
    assert {(r["start"], r["end"]) for r in rows} == {("2011-07-28", "2011-07-29")}


def test_cooperation_directors_meetings(run_query):
    # Conclusion 2: "... the XIX Meeting of International Cooperation Directors for Latin America and
    # the Caribbean in Panama." Conclusion 11: "... the “XXII Meeting of International Cooperation
    # Directors for Latin America and the Caribbean,” scheduled to be held in Panama City on 29 and 30
    # September 2011, under the auspices of the Permanent Secretariat of SELA, the Government of Panama,
    # through the Ministry of Finance and the Ministry of Health, and the Perez-Guerrero Trust Fund
    # (PGTF) of the Group of 77 (G-77), whose central topic will be “Integration, Cooperation and
    # Convergence for Health in Latin America and the Caribbean.”" Proposal 5: "... the Forum of
    # International Cooperation Directors of LAC."
    rows = run_query("cooperation-directors-meetings", source=SOURCE)
    by_label = {r["meetingLabel"]: r for r in rows}
    assert set(by_label) == {
        "XIX Meeting of International Cooperation Directors for Latin America and the Caribbean",
        "XXII Meeting of International Cooperation Directors for Latin America and the Caribbean",
        "Forum of International Cooperation Directors of LAC",
    }
    xix = by_label["XIX Meeting of International Cooperation Directors for Latin America and the Caribbean"]
    xxii = by_label["XXII Meeting of International Cooperation Directors for Latin America and the Caribbean"]
    assert xix["placeLabel"] == "Panama"
    assert "start" not in xix
    assert (xxii["start"], xxii["end"], xxii["placeLabel"]) == ("2011-09-29", "2011-09-30", "Panama City")
    assert (
        xxii["topic"]
        == "Integration, Cooperation and Convergence for Health in Latin America and the Caribbean"
    )
    assert set(xxii["auspices"].split("; ")) == {
        "Permanent Secretariat of SELA",
        "Panama",
        "Ministry of Finance of Panama",
        "Ministry of Health of Panama",
        "Perez-Guerrero Trust Fund",
    }
    # The numbering inconsistency (XIX vs XXII) is flagged on both nodes.
    for meeting in (xix, xxii):
        assert meeting["editorialNote"].startswith("Inconsistency in the source")
        assert "XIX" in meeting["editorialNote"] and "XXII" in meeting["editorialNote"]


def test_sela_modalities(run_query):
    # Conclusion 5 (a): "SSC is a cooperation modality that does not exclude North-South Cooperation
    # (NSC)"; 5 (c) "decentralized cooperation"; 5 (e) "both refundable and non-refundable cooperation
    # ... technical assistance, training, the exchange of knowledge and experiences"; Conclusion 7
    # "through multilateral organizations and regional and subregional integration and cooperation
    # mechanisms"; Proposals 3-4 on South-South and Triangular Cooperation.
    rows = run_query("document-modalities", source=SOURCE)
    got = {r["modality"].removeprefix(ID + "modality/") for r in rows}
    assert got == {
        "south-south",
        "triangular",
        "north-south",
        "financial-cooperation",
        "technical-cooperation",
        "knowledge-exchange",
        "decentralised",
        "regional",
        "sub-regional",
        "multilateral",
    }


def test_sela_has_no_article_links(run_query):
    # The document does not mention the 2005 Convention: no article link is recorded from it.
    assert run_query("document-article-judgements", source=SOURCE) == []
