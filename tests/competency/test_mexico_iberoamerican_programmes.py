"""Competency questions over Mexico's periodic-report entry on the Ibero-American regional programmes.

Each test runs one named query of ``queries/`` and checks the exact answer the entry gives
(source: src:mexico-iberoamerican-programmes, seed 004_d450f23a22e02418.txt).
"""

from __future__ import annotations

from decimal import Decimal

from pyoxigraph import NamedNode

from coopgraph.store import iter_rows

ID = "https://w3id.org/coopgraph/id/"
SOURCE = ID + "source/mexico-iberoamerican-programmes"
MEXICO = ID + "party/mexico"
MEASURE = ID + "programme/mexico-iberoamerican-regional-programmes"
PROGRAMME = ID + "programme/"


def test_mexico_programme_contributions(run_query):
    # Financial resources: "IBERMÚSICAS: ... Mexico contributed to the program with a grand total of
    # $480,000 USD, by means of yearly fees" / "IBERMUSEOS: Approximately, $240,000[1] USD were
    # earmarked." / "IBERMEDIA: In the period, an amount of $1,600,000 USD was allocated to the
    # program." / "IBERARTESANÍAS: ... a total of $115,000 USD, in annual installments." /
    # "IBERBIBLIOTECAS: ... approximately $330,000 USD in annual fees." / "IBERESCENA: ... Mexico
    # contributed with $600,000 USD for annual fee"
    rows = run_query("mexico-programme-contributions", contributor=MEXICO)
    got = {(r["programmeLabel"], Decimal(r["amount"]), r["currency"], r["kindLabel"]) for r in rows}
    assert got == {
        ("IBERMÚSICAS", Decimal("480000"), "USD", "Fee"),
        ("IBERMUSEOS", Decimal("240000"), "USD", "Earmarked funds"),
        ("IBERMEDIA", Decimal("1600000"), "USD", "Allocation"),
        ("IBERARTESANÍAS", Decimal("115000"), "USD", "Annual installment"),
        ("IBERBIBLIOTECAS", Decimal("330000"), "USD", "Fee"),
        ("IBERESCENA", Decimal("600000"), "USD", "Fee"),
    }
    assert len(rows) == 6
    assert all((r["start"], r["end"]) == ("2012", "2015") for r in rows)
    approximate = {r["programmeLabel"] for r in rows if r.get("approximate") == "true"}
    assert approximate == {"IBERMUSEOS", "IBERBIBLIOTECAS"}


def test_programme_contributions_received(run_query):
    # "IBERMÚSICAS: ... and received $560,229.00 USD as donations through calls and tenders" and
    # "IBERESCENA: ... obtained support for projects with an amount of approximately €500,000 euros."
    # (the IBERESCENA support is stated twice in the entry: one flow)
    rows = run_query("programme-contributions-received", recipient=MEXICO)
    got = {
        (r["programmeLabel"], Decimal(r["amount"]), r["currency"], r["kindLabel"], r.get("approximate"))
        for r in rows
    }
    assert got == {
        ("IBERMÚSICAS", Decimal("560229"), "USD", "Donation", None),
        ("IBERESCENA", Decimal("500000"), "EUR", "Grant", "true"),
    }
    assert len(rows) == 2


def test_contribution_totals_by_currency(run_query):
    # Paid: 480,000 + 240,000 + 1,600,000 + 115,000 + 330,000 + 600,000 USD (two amounts approximate);
    # received: 560,229.00 USD and approximately EUR 500,000, never added to the USD.
    rows = run_query("party-contribution-totals-per-currency", party=MEXICO)
    got = {
        (r["direction"], r["currency"]): (Decimal(r["total"]), int(r["flows"]), int(r["approximateFlows"]))
        for r in rows
    }
    assert got == {
        ("paid", "USD"): (Decimal("3365000"), 6, 2),
        ("received", "USD"): (Decimal("560229"), 1, 0),
        ("received", "EUR"): (Decimal("500000"), 1, 1),
    }


def test_approximate_contributions(run_query):
    # "Approximately, $240,000[1] USD were earmarked." / "approximately $330,000 USD in annual fees" /
    # "approximately €500,000 euros"
    rows = run_query("approximate-contributions", source=SOURCE)
    got = {
        (r["contributorLabel"], r["recipientLabel"], Decimal(r["amount"]), r["currency"], r["qualifier"])
        for r in rows
    }
    assert got == {
        ("Mexico", "IBERMUSEOS", Decimal("240000"), "USD", "approximately"),
        ("Mexico", "IBERBIBLIOTECAS", Decimal("330000"), "USD", "approximately"),
        ("IBERESCENA", "Mexico", Decimal("500000"), "EUR", "approximately"),
    }


def test_programme_results(run_query):
    # Main conclusions of the evaluation: IBERMUSICAS "48 Mexican projects were developed ... also 35
    # Ibero-American artists ... were benefited"; IBERMEDIA "2012 to 2013, 25 Mexican projects were
    # supported ... In 2014 and 2015 ... 8 projects and 5 co-productions were benefited";
    # IBERARTESANIAS "four international meetings ... 14 formal alliances ... the process for the
    # creation of the Ibero-American Observatory of Crafts has begun"; IBERBIBLIOTECAS "Mexico profited
    # from 7 projects"; IBERESCENA "More than 40 projects were benefited."
    rows = run_query("programme-results", measure=MEASURE)
    counted = {
        (r["programmeLabel"], Decimal(r["quantity"]), r["unit"], r.get("qualifier"), r["start"], r["end"])
        for r in rows
        if "quantity" in r
    }
    assert counted == {
        ("IBERMÚSICAS", Decimal(48), "projects", None, "2012", "2015"),
        ("IBERMÚSICAS", Decimal(35), "artists", None, "2012", "2015"),
        ("IBERMEDIA", Decimal(25), "projects", None, "2012", "2013"),
        ("IBERMEDIA", Decimal(8), "projects", None, "2014", "2015"),
        ("IBERMEDIA", Decimal(5), "co-productions", None, "2014", "2015"),
        ("IBERARTESANÍAS", Decimal(4), "international meetings", None, "2012", "2015"),
        ("IBERARTESANÍAS", Decimal(14), "formal alliances", None, "2012", "2015"),
        ("IBERBIBLIOTECAS", Decimal(7), "projects", None, "2012", "2015"),
        ("IBERESCENA", Decimal(40), "projects", "more than", "2012", "2015"),
    }
    uncounted = {r["result"].removeprefix(ID + "result/") for r in rows if "quantity" not in r}
    assert uncounted == {
        "ibermuseos-international-dialogue-2012-2015",
        "ibermuseos-regulatory-tool-momentum-2012-2015",
        "iberartesanias-discussions-2012-2015",
        "iberartesanias-observatory-of-crafts",
    }
    # Every one of the six programmes reports at least one result.
    assert {r["programmeLabel"] for r in rows} == {
        "IBERMÚSICAS",
        "IBERMUSEOS",
        "IBERMEDIA",
        "IBERARTESANÍAS",
        "IBERBIBLIOTECAS",
        "IBERESCENA",
    }


def test_iberescena_participating_countries(run_query):
    # "In the reference period, was participated Argentina, Brazil, Colombia, Chile, Costa Rica,
    # Ecuador, Panama, Paraguay, Peru and Uruguay." (Mexico contributed and obtained support.)
    rows = run_query("programme-participating-countries", programme=PROGRAMME + "iberescena")
    got = {r["countryLabel"]: set(r.get("roles", "").split(", ")) for r in rows}
    assert set(got) == {
        "Argentina",
        "Brazil",
        "Colombia",
        "Chile",
        "Costa Rica",
        "Ecuador",
        "Panama",
        "Paraguay",
        "Peru",
        "Uruguay",
        "Mexico",
    }
    assert got["Mexico"] == {"funding", "recipient"}
    assert all(got[c] == {"participant"} for c in got if c != "Mexico")


def test_ibermuseos_dialogue_partners(run_query):
    # "the strengthening of international dialogue was strengthened with the major networks and
    # international organizations in the area of museums, such as UNESCO, the International Council of
    # Museums (ICOM), the International Movement for a New Museology (MINOM), the International Council
    # of African Museums (AFRICOM), the American Alliance of Museums (AAM), Network of European Museum
    # Organizations (NEMO)"
    rows = run_query("programme-partner-organisations", programme=PROGRAMME + "ibermuseos")
    got = {(r["organisationLabel"], r.get("acronym")) for r in rows}
    assert got == {
        ("UNESCO", None),
        ("International Council of Museums", "ICOM"),
        ("International Movement for a New Museology", "MINOM"),
        ("International Council of African Museums", "AFRICOM"),
        ("American Alliance of Museums", "AAM"),
        ("Network of European Museum Organizations", "NEMO"),
    }
    assert {r["roleName"] for r in rows} == {"partner"}


def test_mexico_article_judgements(run_query):
    # The entry names no article of the Convention: every link is a curator judgement
    # (IBERMEDIA "seeks to encourage the co-production of fiction feature films and documentaries";
    # IBERESCENA "encourages the co-productions of shows"; the programmes "strengthen the dialogue on
    # cultural policies" through regional cooperation).
    rows = run_query("document-article-judgements", source=SOURCE)
    got = {
        (r["subject"].removeprefix(PROGRAMME), r["article"].removeprefix(ID + "article/"), r["basis"])
        for r in rows
    }
    assert got == {
        ("ibermedia", "12-e", "curator-judgement"),
        ("iberescena", "12-e", "curator-judgement"),
        ("mexico-iberoamerican-regional-programmes", "12", "curator-judgement"),
        ("mexico-iberoamerican-regional-programmes", "12-a", "curator-judgement"),
    }
    assert all(r["note"].startswith("The document names no article.") for r in rows)


def test_mexico_modalities(run_query):
    # IBERMÚSICAS: "a multilateral program with technical and financial cooperation"; IBERMEDIA and
    # IBERESCENA encourage co-production; all six are regional programmes; IBERMUSEOS works "through
    # courses, workshops, mobility of technicians".
    rows = run_query("document-modalities", source=SOURCE)
    got = {r["modality"].removeprefix(ID + "modality/"): int(r["activities"]) for r in rows}
    assert got == {
        "regional": 7,
        "multilateral": 1,
        "technical-cooperation": 2,
        "financial-cooperation": 1,
        "co-production": 2,
    }


MAIN_FEATURE = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?locator ?quote WHERE {
  ?measure prov:qualifiedDerivation [ cg:locator ?locator ; cg:quote ?quote ] .
  FILTER(CONTAINS(?quote, "the most important regional programs were"))
}"""


def test_main_feature_names_the_six_programmes(project_store):
    # "Main feature of the measure: [blank line] From 2012 to 2015, the most important regional
    # programs were: IBERMÚSICAS, IBERMUSEOS, IBERMEDIA, IBERARTESANÍAS, IBERBIBLIOTECAS and
    # IBERESCENA." The sentence answers that field, not "Results expected ...".
    rows = list(iter_rows(project_store.select(MAIN_FEATURE, {"measure": NamedNode(MEASURE)})))
    assert [r["locator"] for r in rows] == ["Main feature of the measure"]
    description = project_store.select(
        "PREFIX dcterms: <http://purl.org/dc/terms/> SELECT ?d WHERE { ?measure dcterms:description ?d }",
        {"measure": NamedNode(MEASURE)},
    )[0]["d"].value
    assert "'Main feature of the measure' are empty" not in description
    assert "the field 'Main feature of the measure' names the six programmes" in description


SEGIB_MEMBERSHIP = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?basis ?note ?quote WHERE {
  ?mexico cg:memberOf ?segib .
  ?judgement a cg:CuratorJudgement ; rdf:subject ?mexico ; rdf:predicate cg:memberOf ; rdf:object ?segib ;
      cg:basis ?basis ; skos:note ?note ; prov:qualifiedDerivation/cg:quote ?quote .
}"""


def test_segib_membership_is_a_judgement_on_mexicos_participation(project_store):
    # "Everything guided by Mexico’s participation in the Ibero-American General Secretariat." The
    # document never says "member": the membership is inferred from that participation.
    rows = list(
        iter_rows(
            project_store.select(
                SEGIB_MEMBERSHIP,
                {
                    "mexico": NamedNode(MEXICO),
                    "segib": NamedNode(ID + "organisation/ibero-american-general-secretariat"),
                },
            )
        )
    )
    assert len(rows) == 1
    assert rows[0]["basis"] == ID + "assertion-basis/curator-judgement"
    assert (
        rows[0]["quote"]
        == "Everything guided by Mexico’s participation in the Ibero-American General Secretariat."
    )
    assert "inferred" in rows[0]["note"]
    # no quote of the Mexico graph about Mexico cites a money sentence for this membership any more
    quotes = project_store.select(
        """PREFIX cg: <https://w3id.org/coopgraph/def#> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?quote WHERE { GRAPH <https://w3id.org/coopgraph/graph/mexico-iberoamerican-programmes> {
          ?mexico prov:qualifiedDerivation/cg:quote ?quote } }""",
        {"mexico": NamedNode(MEXICO)},
    )
    assert not any("$480,000" in q["quote"].value for q in quotes)


ANNUAL_FEE = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX schema: <http://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?contribution ?total ?fee ?value ?currency ?quote WHERE {
  ?contribution cg:recipient ?programme ; cg:amount ?total ; cg:annualAmount ?fee .
  ?fee a schema:MonetaryAmount ; schema:value ?value ; schema:currency ?currency ;
      prov:qualifiedDerivation/cg:quote ?quote .
  FILTER(CONTAINS(?quote, "Annual fee"))
}"""


def test_ibermuseos_annual_fee_is_an_amount_of_its_own(project_store):
    # Financial resources: "IBERMUSEOS: Approximately, $240,000[1] USD were earmarked." Footnote:
    # "[1] Annual fee of 60,000 dollars".
    rows = list(
        iter_rows(project_store.select(ANNUAL_FEE, {"programme": NamedNode(PROGRAMME + "ibermuseos")}))
    )
    assert [(Decimal(r["total"]), Decimal(r["value"]), r["currency"], r["quote"]) for r in rows] == [
        (Decimal("240000"), Decimal("60000"), "USD", "[1] Annual fee of 60,000 dollars")
    ]
    assert rows[0]["contribution"] == ID + "contribution/mexico-ibermuseos-2012-2015"
    assert rows[0]["fee"] == ID + "amount/mexico-ibermuseos-annual-fee"


def test_annual_fee_is_not_a_further_flow(run_query):
    # The annual fee is part of the USD 240,000, so Mexico's paid total and its number of flows stay
    # what the six "Financial resources" lines give (test_contribution_totals_by_currency).
    rows = run_query("party-contribution-totals-per-currency", party=MEXICO)
    paid = next(r for r in rows if (r["direction"], r["currency"]) == ("paid", "USD"))
    assert (Decimal(paid["total"]), int(paid["flows"])) == (Decimal("3365000"), 6)
    fee_rows = run_query("contributions", contributor=MEXICO, recipient=PROGRAMME + "ibermuseos")
    assert [Decimal(r["amount"]) for r in fee_rows] == [Decimal("240000")]


EVALUATION = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?conclusion ?locator WHERE {
  GRAPH <https://w3id.org/coopgraph/graph/mexico-iberoamerican-programmes> {
    ?measure cg:evaluationConclusion ?conclusion ;
        prov:qualifiedDerivation [ prov:entity ?source ; cg:locator ?locator ; cg:quote ?quote ] .
    FILTER(STR(?conclusion) = ?quote)
  }
}"""


def test_mexico_entry_has_its_evaluation_conclusions(project_store):
    # "Main conclusions of the evaluation of the measure:" is answered with one paragraph per
    # programme, e.g. "IBERBIBLIOTECAS: In the period in question, Mexico profited from 7 projects."
    # Each paragraph is a conclusion of the measure, cited word for word (the quote is the
    # conclusion's text) under its programme.
    rows = list(
        iter_rows(
            project_store.select(EVALUATION, {"measure": NamedNode(MEASURE), "source": NamedNode(SOURCE)})
        )
    )
    by_programme = {r["conclusion"].split(":", 1)[0]: r for r in rows}
    assert set(by_programme) == {
        "IBERMUSICAS",
        "IBERMUSEOS",
        "IBERMEDIA",
        "IBERARTESANIAS",
        "IBERBIBLIOTECAS",
        "IBERESCENA",
    }
    assert len(rows) == 6
    for name, row in by_programme.items():
        assert row["locator"] == f"Main conclusions of the evaluation of the measure: {name}"
    assert (
        by_programme["IBERBIBLIOTECAS"]["conclusion"]
        == "IBERBIBLIOTECAS: In the period in question, Mexico profited from 7 projects."
    )
    assert by_programme["IBERMUSICAS"]["conclusion"] == (
        "IBERMUSICAS: In this period, 48 Mexican projects were developed within the Ibero-American region,"
        " also 35 Ibero-American artists that developed their projects in Mexico were benefited."
    )
    assert by_programme["IBERESCENA"]["conclusion"].endswith("More than 40 projects were benefited.")
    # the form asks for no account of how the measure was evaluated, and the entry gives none
    evaluations = project_store.select(
        "PREFIX cg: <https://w3id.org/coopgraph/def#> SELECT ?e WHERE { ?measure cg:evaluation ?e }",
        {"measure": NamedNode(MEASURE)},
    )
    assert evaluations == []
    # the results the paragraphs count stay on the programmes
    outcomes = project_store.select(
        """PREFIX cg: <https://w3id.org/coopgraph/def#>
        SELECT (COUNT(DISTINCT ?result) AS ?n) WHERE { ?programme cg:partOf ?measure ; cg:hasOutcome ?result }""",
        {"measure": NamedNode(MEASURE)},
    )
    assert int(outcomes[0]["n"].value) == 13
