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
    # XIX and XXII name one Panama meeting (one number is a typo): one node, XIX a hidden label.
    rows = run_query("cooperation-directors-meetings", source=SOURCE)
    by_label = {r["meetingLabel"]: r for r in rows}
    assert set(by_label) == {
        "XXII Meeting of International Cooperation Directors for Latin America and the Caribbean",
        "Forum of International Cooperation Directors of LAC",
    }
    assert len(rows) == 2
    panama = by_label[
        "XXII Meeting of International Cooperation Directors for Latin America and the Caribbean"
    ]
    assert panama["meeting"] == ID + "event/xxii-meeting-international-cooperation-directors-lac-2011"
    assert panama["otherNames"] == (
        "XIX Meeting of International Cooperation Directors for Latin America and the Caribbean"
    )
    assert (panama["start"], panama["end"], panama["placeLabel"]) == (
        "2011-09-29",
        "2011-09-30",
        "Panama City",
    )
    assert (
        panama["topic"]
        == "Integration, Cooperation and Convergence for Health in Latin America and the Caribbean"
    )
    assert set(panama["auspices"].split("; ")) == {
        "Permanent Secretariat of SELA",
        "Panama",
        "Ministry of Finance of Panama",
        "Ministry of Health of Panama",
        "Perez-Guerrero Trust Fund",
    }
    # The numbering inconsistency (XIX vs XXII) is explained on the one node.
    assert panama["editorialNote"].startswith("Inconsistency in the source")
    assert "XIX" in panama["editorialNote"] and "XXII" in panama["editorialNote"]
    assert "typo" in panama["editorialNote"]
    assert by_label["Forum of International Cooperation Directors of LAC"].get("otherNames", "") == ""


def test_panama_meeting_is_one_node_found_by_either_number(project_store):
    # Statements that named the XIX meeting (the base document to be submitted there, Conclusion 2)
    # now point at the one node; searching the XIX name finds it.
    removed = f"<{ID}event/xix-meeting-international-cooperation-directors-lac>"
    assert project_store.ask(f"ASK {{ {{ ?s ?p {removed} }} UNION {{ {removed} ?p ?o }} }}") is False
    rows = project_store.select(
        """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        SELECT DISTINCT ?meeting ?document WHERE {
          ?meeting rdfs:label|skos:hiddenLabel ?name .
          FILTER(STRSTARTS(STR(?name), "XIX Meeting of International Cooperation Directors"))
          OPTIONAL { ?document dcterms:relation ?meeting }
        }"""
    )
    assert {(r["meeting"].value, r["document"].value) for r in rows} == {
        (
            ID + "event/xxii-meeting-international-cooperation-directors-lac-2011",
            ID + "document/sela-base-document-financing-south-south-cooperation-2011",
        )
    }


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
