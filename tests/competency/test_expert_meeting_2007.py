"""Competency questions over the report of the first Expert Meeting on International Cooperation (2007).

Each test runs one named query of ``queries/`` and checks the exact answer the report gives
(source: src:expert-meeting-2007, seed 000_4b7a529cae47ab6a.txt).
"""

from __future__ import annotations

from pyoxigraph import NamedNode

from coopgraph.store import iter_rows

ID = "https://w3id.org/coopgraph/id/"
MEETING = ID + "event/expert-meeting-international-cooperation-2007"
SOURCE = ID + "source/expert-meeting-2007"
ROLE = ID + "role/"
FIELD = ID + "field-of-action/"


def test_working_group_roles(run_query):
    # 1.3: "The working meeting of one group was chaired by Mr Juan Luis Mejia, former Minister of
    # Culture of Colombia. Mr Mate Kovacs, Director of the Observatory of African Cultural Policies,
    # was the Rapporteur." / "The meeting of the second group was chaired by Mr German Rey, Adviser
    # for the Economy and Culture project under the Andrés Bello Agreement (Colombia). Ms Yarri
    # Kamarra, consultant with Initiatives Conseil International, was the Rapporteur."
    rows = run_query("expert-meeting-working-group-roles", meeting=MEETING)
    got = {(r["group"].rsplit("-", 1)[-1], r["role"].removeprefix(ROLE), r["personLabel"]) for r in rows}
    assert got == {
        ("1", "chair", "Juan Luis Mejía"),
        ("1", "rapporteur", "Máté Kovács"),
        ("2", "chair", "Germán Rey"),
        ("2", "rapporteur", "Yarri Kamarra"),
    }
    posts = {r["personLabel"]: r.get("postLabel") for r in rows}
    assert posts["Máté Kovács"] == "Director of the Observatory of African Cultural Policies"
    assert (
        posts["Germán Rey"] == "Adviser for the Economy and Culture project under the Andrés Bello Agreement"
    )
    assert posts["Yarri Kamarra"] == "Consultant with Initiatives Conseil International"
    # Mejía took part as a "former" minister: no current post, but the former one is returned.
    mejia = [r for r in rows if r["personLabel"] == "Juan Luis Mejía"]
    assert "postLabel" not in mejia[0]
    assert mejia[0]["formerPostLabel"] == "Minister of Culture of Colombia"
    mandates = {r["group"].rsplit("-", 1)[-1]: r["mandate"] for r in rows}
    assert mandates["1"].startswith(
        "The mandate of the group was to analyse and clarify Articles 12, 13, 15 and 16"
    )
    assert "in accordance with Article 14 of the Convention" in mandates["2"]


def test_working_group_articles(run_query):
    # 1.3: group 1 "to analyse and clarify Articles 12, 13, 15 and 16"; group 2 "to discuss priority
    # fields and lines of action for cooperation for development in accordance with Article 14".
    rows = run_query("expert-meeting-working-group-articles", meeting=MEETING)
    got = {(r["group"].rsplit("-", 1)[-1], int(r["number"])) for r in rows}
    assert got == {("1", 12), ("1", 13), ("1", 15), ("1", 16), ("2", 14)}


def test_focus_articles(run_query):
    # 1: "In the interests of efficiency, the work of the experts focused on the following articles:
    # Article 12 ...; Article 13 ...; Article 14 ...; Article 15 ...; Article 16 ..."
    rows = run_query("expert-meeting-focus-articles", meeting=MEETING)
    assert [int(r["number"]) for r in rows] == [12, 13, 14, 15, 16]
    assert {r["title"] for r in rows} == {
        "Promotion of international cooperation",
        "Integration of culture in sustainable development",
        "Cooperation for development",
        "Collaborative arrangements",
        "Preferential treatment for developing countries",
    }


def test_organisers_and_funders(run_query):
    # 1: "The meeting was organized by the UNESCO Section for the Diversity of Cultural Expressions
    # (Division of Cultural Expressions and Creative Industries), the Spanish Agency for International
    # Cooperation (AECI) and the Inter-University Institute for Cultural Communication." ... "it was
    # financed by the Spain/UNESCO Funds-in-Trust 514 GLO4001."
    rows = run_query("expert-meeting-organisers-and-funders", meeting=MEETING)
    organisers = {r["agentLabel"] for r in rows if r["relation"] == "organiser"}
    assert organisers == {
        "UNESCO Section for the Diversity of Cultural Expressions",
        "Spanish Agency for International Cooperation",
        "Inter-University Institute for Cultural Communication",
    }
    parents = {r["agentLabel"]: r.get("parentLabel") for r in rows if r["relation"] == "organiser"}
    assert parents["UNESCO Section for the Diversity of Cultural Expressions"] == (
        "UNESCO Division of Cultural Expressions and Creative Industries"
    )
    funders = {(r["agentLabel"], r.get("identifier")) for r in rows if r["relation"] == "funder"}
    assert funders == {("Spain/UNESCO Funds-in-Trust", "514 GLO4001")}


def test_opening_speakers(run_query):
    # 2: "Ms Leire Pajin, Spanish Secretary of State for International Cooperation, welcomed the
    # participants ... Mr Juan A. Gimeno, Rector of the National University for Distance Education
    # (UNED), then commended the organizers ... Lastly, Ms Galia Saouma-Forero, Chief of the UNESCO
    # Section for the Diversity of Cultural Expressions, thanked the Spanish authorities ..."
    rows = run_query(
        "expert-meeting-session-speakers",
        session=MEETING + "-opening-session",
    )
    got = {(r["personLabel"], r["role"].removeprefix(ROLE), r.get("postLabel")) for r in rows}
    assert got == {
        ("Leire Pajín", "opening-speaker", "Spanish Secretary of State for International Cooperation"),
        ("Juan A. Gimeno", "speaker", "Rector of the National University for Distance Education (UNED)"),
        (
            "Galia Saouma-Forero",
            "speaker",
            "Chief of the UNESCO Section for the Diversity of Cultural Expressions",
        ),
    }
    post_in = {r["personLabel"]: r["postInLabel"] for r in rows}
    assert post_in["Leire Pajín"] == "Spain"
    assert post_in["Juan A. Gimeno"] == "National University for Distance Education"


def test_closing_speakers(run_query):
    # 4: "The closing session was chaired by Mr Carlos Alberdi, Director-General of International
    # Cultural Cooperation in the Spanish Ministry of Culture. Ms Milagros del Corral, moderator of the
    # meeting, summed up the proceedings. On behalf of the participants, Mr Jesus Prieto thanked the
    # organizers ... Mr Fernando Vicario, Adviser on Culture and Development to AECI, expressed
    # satisfaction ... Ms Galia Saouma-Forero ... expressed thanks ... The meeting was closed by
    # Mr Carlos Alberdi"
    rows = run_query(
        "expert-meeting-session-speakers",
        session=MEETING + "-closing-session",
    )
    people = {r["personLabel"] for r in rows}
    assert people == {
        "Carlos Alberdi",
        "Milagros del Corral",
        "Jesús Prieto",
        "Fernando Vicario",
        "Galia Saouma-Forero",
    }
    alberdi_roles = {r["role"].removeprefix(ROLE) for r in rows if r["personLabel"] == "Carlos Alberdi"}
    assert alberdi_roles == {"chair", "closing-speaker"}
    capacity = {r["personLabel"]: r.get("postLabel") for r in rows}
    assert capacity["Carlos Alberdi"] == (
        "Director-General of International Cultural Cooperation in the Spanish Ministry of Culture"
    )
    assert capacity["Fernando Vicario"] == "Adviser on Culture and Development to AECI"
    assert capacity["Jesús Prieto"] is None  # he spoke "on behalf of the participants"


def test_first_plenary_speakers(run_query):
    # 1.3: the two half-day plenary sessions were "moderated by Ms Milagros del Corral"; 2: the first
    # plenary "also included statements by Professor Jesus Prieto, Director of the Inter-University
    # Institute for Cultural Communication, and Mr Alfons Martinell, AECI Director-General for Cultural
    # and Scientific Relations".
    rows = run_query(
        "expert-meeting-session-speakers",
        session=MEETING + "-first-plenary",
    )
    got = {(r["personLabel"], r["role"].removeprefix(ROLE), r.get("postLabel")) for r in rows}
    assert got == {
        ("Milagros del Corral", "moderator", None),
        ("Jesús Prieto", "speaker", "Director of the Inter-University Institute for Cultural Communication"),
        ("Alfons Martinell", "speaker", "AECI Director-General for Cultural and Scientific Relations"),
    }


def test_macro_programmes(run_query):
    # 3.4: "the experts outlined by way of example two far-reaching programmes": "Supporting the
    # establishment and networking of multi-purpose resource centres" and "Supporting mapping
    # exercises to foster the formulation of enlightened policies and strategies".
    rows = run_query("expert-meeting-macro-programmes", meeting=MEETING)
    labels = {r["programmeLabel"] for r in rows}
    assert labels == {
        "Supporting the establishment and networking of multi-purpose resource centres",
        "Supporting mapping exercises to foster the formulation of enlightened policies and strategies",
    }
    # Both are proposals, not established programmes.
    assert all("Proposed macro-programme" in r["status"] for r in rows)
    fields: dict[str, set[str]] = {}
    for r in rows:
        fields.setdefault(r["programme"].rsplit("/", 1)[-1], set()).add(r["field"].removeprefix(FIELD))
    assert fields["mapping-exercises"] == {"research-information-mapping", "mapping"}
    assert fields["multi-purpose-resource-centres"] == {
        "facilities",
        "distribution-flow-systems",
        "public-distribution-networks",
        "training-capacity-building",
        "awareness-raising",
    }


def test_central_actor_organisations(run_query):
    # 3.7: "(ii) multilateral organizations ... for example the World Intellectual Property
    # Organization (WIPO), the United Nations Conference on Trade and Development (UNCTAD) and the
    # United Nations Development Programme (UNDP), and regional organizations such as the Organization
    # of Ibero-American States (OEI), the Arab Organization for Education, Culture and Science (ALECSO)
    # and the African Union"
    rows = run_query("expert-meeting-central-actor-organisations", source=SOURCE)
    got = {(r["organisationLabel"], r["categoryLabel"]) for r in rows}
    assert got == {
        ("World Intellectual Property Organization", "Multilateral organisations"),
        ("United Nations Conference on Trade and Development", "Multilateral organisations"),
        ("United Nations Development Programme", "Multilateral organisations"),
        ("Organization of Ibero-American States", "Regional organisations"),
        ("Arab Organization for Education, Culture and Science", "Regional organisations"),
        ("African Union", "Regional organisations"),
    }
    acronyms = {r["acronym"] for r in rows if "acronym" in r}
    assert acronyms == {"WIPO", "UNCTAD", "UNDP", "OEI", "ALECSO"}


def test_priority_fields_and_lines(run_query):
    # 3.4: "Five priority fields of action were identified", each with its lines of action.
    rows = run_query("expert-meeting-priority-fields", meeting=MEETING)
    fields = {r["fieldLabel"] for r in rows}
    assert fields == {
        "Infrastructure, cultural institutionalization and funding systems",
        "Creation of distribution and flow systems",
        "Action-oriented training and capacity-building",
        "Research, compilation and dissemination of information and mapping for the cultural sector",
        "Awareness-raising",
    }
    lines: dict[str, set[str]] = {}
    for r in rows:
        lines.setdefault(r["field"].removeprefix(FIELD), set()).add(r["line"].removeprefix(FIELD))
    assert lines == {
        "infrastructure-institutionalisation-funding": {
            "policies-frameworks",
            "public-institution-capacity",
            "facilities",
            "new-funding-arrangements",
            "best-practices",
        },
        "distribution-flow-systems": {
            "operator-contact-points",
            "public-distribution-networks",
            "innovative-distribution",
            "flow-studies",
            "accessible-technologies",
        },
        "training-capacity-building": {
            "handbooks",
            "vocational-training",
            "governmental-modems",
            "case-studies",
        },
        "research-information-mapping": {
            "mapping",
            "indicators",
            "world-flow-studies",
            "comparative-analyses",
        },
        "awareness-raising": {
            "consultative-communication",
            "world-day",
            "public-authority-awareness",
            "diversity-education",
            "corporate-social-responsibility",
        },
    }


def test_person_posts(run_query):
    # Posts as the report gives them (sections 1.3, 2 and 4); "former" for Mejía and del Corral.
    rows = run_query("expert-meeting-person-posts", source=SOURCE)
    got = {(r["personLabel"], r.get("tense"), r.get("postLabel"), r.get("postInLabel")) for r in rows}
    assert got == {
        (
            "Milagros del Corral",
            "former",
            "Director of the UNESCO Division of Arts and Cultural Enterprise",
            "UNESCO Division of Arts and Cultural Enterprise",
        ),
        ("Juan Luis Mejía", "former", "Minister of Culture of Colombia", "Ministry of Culture of Colombia"),
        (
            "Máté Kovács",
            "current",
            "Director of the Observatory of African Cultural Policies",
            "Observatory of African Cultural Policies",
        ),
        (
            "Germán Rey",
            "current",
            "Adviser for the Economy and Culture project under the Andrés Bello Agreement",
            "Andrés Bello Agreement",
        ),
        (
            "Yarri Kamarra",
            "current",
            "Consultant with Initiatives Conseil International",
            "Initiatives Conseil International",
        ),
        ("Leire Pajín", "current", "Spanish Secretary of State for International Cooperation", "Spain"),
        (
            "Juan A. Gimeno",
            "current",
            "Rector of the National University for Distance Education (UNED)",
            "National University for Distance Education",
        ),
        (
            "Galia Saouma-Forero",
            "current",
            "Chief of the UNESCO Section for the Diversity of Cultural Expressions",
            "UNESCO Section for the Diversity of Cultural Expressions",
        ),
        (
            "Jesús Prieto",
            "current",
            "Director of the Inter-University Institute for Cultural Communication",
            "Inter-University Institute for Cultural Communication",
        ),
        (
            "Alfons Martinell",
            "current",
            "AECI Director-General for Cultural and Scientific Relations",
            "Spanish Agency for International Cooperation",
        ),
        (
            "Carlos Alberdi",
            "current",
            "Director-General of International Cultural Cooperation in the Spanish Ministry of Culture",
            "Ministry of Culture of Spain",
        ),
        (
            "Fernando Vicario",
            "current",
            "Adviser on Culture and Development to AECI",
            "Spanish Agency for International Cooperation",
        ),
        # "an article written by Professor Sabine von Schorlemer": no post or organisation given.
        ("Sabine von Schorlemer", None, None, None),
    }


def test_normative_wording(run_query):
    # 3.6: "the more imperative wording of Article 16 (“developed countries shall facilitate”) as
    # compared with other provisions of the Convention, according to which “Parties shall endeavour
    # to” (Articles 12, 13 and 14) or “Parties shall encourage” (Article 15)."
    rows = run_query("expert-meeting-normative-wording", meeting=MEETING)
    assert {(int(r["number"]), r["wording"]) for r in rows} == {
        (12, "Parties shall endeavour to"),
        (13, "Parties shall endeavour to"),
        (14, "Parties shall endeavour to"),
        (15, "Parties shall encourage"),
        (16, "developed countries shall facilitate"),
    }


def test_participant_counts(run_query):
    # 1.2: "17 independent experts from 13 UNESCO Member States and 11 Spanish experts invited as
    # observers participated in the meeting."
    rows = run_query("expert-meeting-participant-counts", meeting=MEETING)
    assert {(float(r["quantity"]), r["unit"]) for r in rows} == {
        (17.0, "independent experts"),
        (13.0, "UNESCO Member States"),
        (11.0, "Spanish experts invited as observers"),
    }


def test_article_16_conclusions(run_query):
    # 3.6 and 5: what the experts said about Article 16 (wording, right of developing countries,
    # recommendations incl. "a working group should be set up to analyse Article 16"), and the
    # conclusion on "Articles 12 to 16".
    rows = run_query("expert-meeting-article-conclusions", meeting=MEETING, article=ID + "article/16")
    got = {r["outcome"].rsplit("/", 1)[-1] for r in rows}
    assert got == {
        "expert-meeting-2007-wording-article-16",
        "expert-meeting-2007-article-16-right-of-developing-countries",
        "expert-meeting-2007-article-16-recommendations",
        "expert-meeting-2007-conclusion",
    }
    recs = next(r for r in rows if r["outcome"].endswith("article-16-recommendations"))
    assert "working group to analyse Article 16" in recs["description"]


def test_article_12_subparagraph_conclusions(run_query):
    # 3.2: "Subparagraph (d). ... Reference was made to the experience of the Mexican Film Fund in
    # regard to low-cost satellite distribution centres."
    rows = run_query("expert-meeting-article-conclusions", meeting=MEETING, article=ID + "article/12-d")
    assert {r["outcome"].rsplit("/", 1)[-1] for r in rows} == {"expert-meeting-2007-article-12-d-goals"}
    assert "Mexican Film Fund" in rows[0]["description"]


def test_mentioned_events(run_query):
    # 2: "a conference organized by the German National Commission in Essen (Germany) from 26 to 28
    # April 2007"; "the results of the first Conference of the Parties"; "the Intergovernmental
    # Committee at its first ordinary session". Only the Essen conference has a date and place; the
    # Expert Meeting itself has none.
    rows = run_query("expert-meeting-mentioned-events", meeting=MEETING, source=SOURCE)
    by_event = {r["event"].rsplit("/", 1)[-1]: r for r in rows}
    assert set(by_event) == {
        "essen-conference-2007",
        "conference-of-parties-first-session",
        "intergovernmental-committee-first-ordinary-session",
    }
    essen = by_event["essen-conference-2007"]
    assert (essen["organiserLabel"], essen["start"], essen["end"], essen["locationLabel"]) == (
        "German National Commission",
        "2007-04-26",
        "2007-04-28",
        "Essen",
    )
    assert "start" not in by_event["conference-of-parties-first-session"]
    assert "start" not in by_event["intergovernmental-committee-first-ordinary-session"]


WORKING_DOCUMENT = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?document ?author ?note WHERE {
  ?document a cg:Document ; prov:wasAttributedTo ?author ; skos:editorialNote ?note ;
      prov:qualifiedDerivation/cg:quote ?quote .
  FILTER(CONTAINS(?quote, "who had prepared the working document"))
}"""


def test_working_document_is_attributed_only_to_what_is_certain(project_store):
    # "statements by Professor Jesus Prieto, Director of the Inter-University Institute for Cultural
    # Communication, and Mr Alfons Martinell, AECI Director-General for Cultural and Scientific
    # Relations, who had prepared the working document proposed by the Spanish organizers." The
    # clause may cover both speakers or Martinell alone: only Martinell is certain.
    rows = list(iter_rows(project_store.select(WORKING_DOCUMENT)))
    assert {(r["document"], r["author"]) for r in rows} == {
        (ID + "document/expert-meeting-2007-working-document", ID + "person/alfons-martinell")
    }
    assert "Martinell alone" in rows[0]["note"]
    prieto = project_store.select(
        """PREFIX dcterms: <http://purl.org/dc/terms/> PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?description ?document WHERE {
          ?prieto dcterms:description ?description .
          OPTIONAL { ?document prov:wasAttributedTo ?prieto }
        }""",
        {"prieto": NamedNode(ID + "person/jesus-prieto")},
    )
    assert [r.get("document") for r in prieto] == [None]
    assert "working document" not in prieto[0]["description"].value


SPAIN_FUNDS = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?fund ?donor ?meeting ?basis WHERE {
  ?meeting cg:fundedBy ?fund .
  ?fund a cg:Fund ; cg:fundedBy ?donor .
  ?donor a cg:Country .
  OPTIONAL {
    ?judgement a cg:CuratorJudgement ; rdf:subject ?fund ; rdf:predicate cg:fundedBy ; rdf:object ?donor ;
        cg:basis ?basis .
  }
}"""


def test_spain_funds_the_funds_in_trust(project_store):
    # "it was financed by the Spain/UNESCO Funds-in-Trust 514 GLO4001": Spain is the donor, a reading
    # of the fund's name recorded as a curator judgement.
    rows = list(iter_rows(project_store.select(SPAIN_FUNDS)))
    assert rows == [
        {
            "fund": ID + "fund/spain-unesco-funds-in-trust",
            "donor": ID + "party/spain",
            "meeting": MEETING,
            "basis": ID + "assertion-basis/curator-judgement",
        }
    ]


ARTICLE_MODALITIES = """PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?modality WHERE {
  GRAPH <https://w3id.org/coopgraph/graph/expert-meeting-2007> { ?article cg:coversModality ?modality }
  ?modality skos:inScheme <https://w3id.org/coopgraph/id/scheme/modality> .
}"""


def test_article_12_forms_of_cooperation_are_modalities(project_store):
    # 3.2: "Article 12 sets out the general framework for international cooperation in all its forms
    # (bilateral, regional and multilateral) and proposes some concrete measures."
    rows = project_store.select(ARTICLE_MODALITIES, {"article": NamedNode(ID + "article/12")})
    assert {r["modality"].value.removeprefix(ID + "modality/") for r in rows} == {
        "bilateral",
        "regional",
        "multilateral",
    }
