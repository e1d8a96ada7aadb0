"""The contribution forms: typed fields become template rows, then triples through the same
mapping and gate as a CSV file; errors come back on the field that gave the value."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
import pytest

from coopgraph.config import Settings
from coopgraph.contrib import forms
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore, Store, load_project

CG = "https://w3id.org/coopgraph/def#"
ID = "https://w3id.org/coopgraph/id/"
SCHEMA = "http://schema.org/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
TODAY = "2024-03-01"

PERIODIC_REPORT = [
    ("country", "Peru"),
    ("title", "Peru-Colombia film co-production"),
    ("description", "Joint development of two feature films"),
    ("start", "2019"),
    ("end", "2021-06"),
    ("articles", "12"),
    ("sectors", "audiovisual"),
    ("modalities", "bilateral"),
    ("places-0-name", "Colombia"),
    ("partners-0-name", "ministry of culture of colombia"),  # an existing node, case aside
    ("partners-0-type", "government-ministry"),
    ("partners-1-name", "Casa de la Literatura Peruana"),  # a new one
    ("partners-1-type", "cultural-institution"),
    ("amounts-0-amount", "100000"),
    ("amounts-0-currency", "USD"),
    ("results", "Two films co-produced\nA screenwriting workshop"),
    ("evaluation", "Reviewed every year by both ministries"),
    ("conclusions", "The exchange should continue"),
    ("indicators", "Films released"),
]
SOURCE_PROFILE = [
    ("name", "Andean Fund for Film"),
    ("kind", "fund"),
    ("description", "Grants for film co-productions in the Andean countries"),
    ("country", "Peru"),
    ("finances", "audiovisual"),
    ("modalities", "south-south"),
    ("countries-0-name", "Chile"),
    ("countries-1-name", "Ecuador"),
    ("amounts-0-amount", "20000"),
    ("amounts-0-currency", "USD"),
    ("amounts-1-amount", "50000"),
    ("amounts-1-currency", "EUR"),
    ("email", "grants@andean-film.example"),
    ("homepage", "https://andean-film.example/grants"),
]
PROPOSAL = [
    ("name", "Casa de la Literatura Peruana"),
    ("type", "cultural-institution"),
    ("country", "Peru"),
    ("sectors", "publishing"),
    ("modalities", "bilateral"),
    ("offers-0-title", "Training in heritage conservation"),
    ("offers-0-description", "Two-week courses in Cusco"),
    ("requests-0-title", "Co-financing for documentary films"),
]


@pytest.fixture(scope="module")
def project() -> Iterator[tuple[Store, QueryCatalogue, Settings]]:
    settings = Settings(in_memory=True)
    store = EmbeddedStore(None)
    load_project(store, settings)
    yield store, QueryCatalogue(settings.queries_dir), settings


def run(
    project: tuple[Store, QueryCatalogue, Settings], name: str, pairs: list[tuple[str, str]], lang: str = "en"
) -> forms.Outcome:
    store, catalogue, settings = project
    values, _ = forms.read_values(forms.FORMS[name], pairs)
    return forms.submit(forms.FORMS[name], values, store, catalogue, settings, lang, today=TODAY)


def objects(triples: list[ox.Triple], subject: str, predicate: str) -> set[str]:
    return {
        t.object.value
        for t in triples
        if isinstance(t.subject, ox.NamedNode)
        and t.subject.value == subject
        and t.predicate.value == predicate
    }


def test_periodic_report_rows_and_triples(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    outcome = run(project, "periodic-report", PERIODIC_REPORT)
    assert outcome.errors == [], outcome.errors
    activity = ID + "programme/peru-colombia-film-co-production"
    rows = outcome.rows
    assert [r["agent"] for r in rows["participations"]] == [
        "party/peru",
        "organisation/ministry-of-culture-colombia",
        "organisation/casa-de-la-literatura-peruana",
    ]
    assert [r["slug"] for r in rows["actors"]] == ["casa-de-la-literatura-peruana"]
    assert rows["contributions"][0]["quote"] == "100000 USD"
    triples = outcome.triples
    assert objects(triples, activity, CG + "evaluation") == {"Reviewed every year by both ministries"}
    assert objects(triples, activity, CG + "evaluationConclusion") == {"The exchange should continue"}
    assert objects(triples, activity, CG + "relatesToArticle") == {ID + "article/12"}
    assert objects(triples, activity, CG + "location") == {ID + "party/colombia"}
    assert objects(triples, activity, CG + "hasParticipant") == {
        ID + "party/peru",
        ID + "organisation/ministry-of-culture-colombia",
        ID + "organisation/casa-de-la-literatura-peruana",
    }
    assert len(objects(triples, activity, CG + "hasOutcome")) == 2
    contribution = ID + "contribution/peru-colombia-film-co-production-1"
    assert objects(triples, contribution, CG + "amount") == {"100000"}
    assert objects(triples, contribution, CG + "contributor") == {ID + "party/peru"}
    # the existing ministry is linked, not described again
    assert not objects(
        triples,
        ID + "organisation/ministry-of-culture-colombia",
        "http://www.w3.org/2000/01/rdf-schema#label",
    )


def test_source_profile_is_a_directory_source(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    outcome = run(project, "source-profile", SOURCE_PROFILE)
    assert outcome.errors == [], outcome.errors
    fund = ID + "fund/andean-fund-for-film"
    triples = outcome.triples
    assert objects(triples, fund, CG + "financesSector") == {ID + "cultural-sector/audiovisual"}
    assert objects(triples, fund, CG + "financesModality") == {ID + "modality/south-south"}
    assert objects(triples, fund, CG + "eligibleCountry") == {ID + "party/chile", ID + "party/ecuador"}
    assert objects(triples, fund, SCHEMA + "email") == {"grants@andean-film.example"}
    amounts = objects(triples, fund, CG + "typicalAmount")
    assert amounts == {
        ID + "amount/andean-fund-for-film-typical-1",
        ID + "amount/andean-fund-for-film-typical-2",
    }
    second = ID + "amount/andean-fund-for-film-typical-2"
    assert objects(triples, second, SCHEMA + "value") == {"50000"}
    assert objects(triples, second, SCHEMA + "currency") == {"EUR"}


def test_source_profile_appears_in_the_directory_once_stored(
    project: tuple[Store, QueryCatalogue, Settings],
) -> None:
    from coopgraph.directory.sources import directory_facts

    _, catalogue, settings = project
    outcome = run(project, "source-profile", SOURCE_PROFILE)
    scratch = EmbeddedStore(None)
    load_project(scratch, settings)
    scratch.put_graphs({"https://w3id.org/coopgraph/graph/submission/test": outcome.triples})
    facts = directory_facts(scratch, catalogue)
    source = facts.sources[ID + "fund/andean-fund-for-film"]
    assert source.kind == "fund"
    assert source.values["finances"] == {ID + "cultural-sector/audiovisual"}
    assert source.values["currency"] == {"USD", "EUR"}
    assert {ID + "party/chile", ID + "party/ecuador", ID + "party/peru"} <= source.values["region"]


def test_partnership_proposal_makes_offers_and_requests(
    project: tuple[Store, QueryCatalogue, Settings],
) -> None:
    outcome = run(project, "partnership-proposal", PROPOSAL)
    assert outcome.errors == [], outcome.errors
    agent = ID + "organisation/casa-de-la-literatura-peruana"
    offer = ID + "offer/casa-de-la-literatura-peruana-training-in-heritage-conservation"
    request = ID + "request/casa-de-la-literatura-peruana-co-financing-for-documentary-films"
    assert objects(outcome.triples, offer, CG + "offeredBy") == {agent}
    assert objects(outcome.triples, offer, CG + "proposedSector") == {ID + "cultural-sector/publishing"}
    assert objects(outcome.triples, request, CG + "requestedBy") == {agent}
    assert objects(outcome.triples, agent, CG + "country") == {ID + "party/peru"}


def test_a_proposal_needs_an_offer_or_a_request(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    outcome = run(project, "partnership-proposal", PROPOSAL[:5])
    assert [e.field for e in outcome.errors] == ["offers-0-title"]
    assert outcome.triples == []


def test_errors_come_back_on_their_fields(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    bad = dict(PERIODIC_REPORT)
    bad.update(
        {
            "title": "",
            "start": "sometime in 2019",
            "amounts-0-amount": "100,000",
            "amounts-0-currency": "usd",
            "places-0-name": "Atlantis",
            "articles": "99",
            "description": "line\x00break",
        }
    )
    outcome = run(project, "periodic-report", list(bad.items()))
    by_field = outcome.by_field()
    assert set(by_field) == {
        "title",
        "start",
        "amounts-0-amount",
        "amounts-0-currency",
        "places-0-name",
        "articles",
        "description",
    }
    assert by_field["title"] == ["Title is required."]
    assert "not a year" in by_field["start"][0]
    assert "Atlantis" in by_field["places-0-name"][0]
    assert "control character" in by_field["description"][0]
    assert outcome.triples == []


def test_a_type_of_entity_not_in_the_list(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    bad = [*PERIODIC_REPORT]
    bad[bad.index(("partners-1-type", "cultural-institution"))] = ("partners-1-type", "not-a-sector")
    outcome = run(project, "periodic-report", bad)
    assert [e.field for e in outcome.errors] == ["partners-1-type"]
    assert "not one of the choices" in outcome.errors[0].message


def test_gate_errors_come_back_on_their_fields(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    # "Ministry of Culture, Colombia" is no label of the graph, so it is minted; its slug is that
    # of the existing ministry, which then has two English labels: the shapes refuse it, and the
    # error is on the partner's name
    bad = [*PERIODIC_REPORT]
    bad[bad.index(("partners-0-name", "ministry of culture of colombia"))] = (
        "partners-0-name",
        "Ministry of Culture, Colombia",
    )
    outcome = run(project, "periodic-report", bad)
    assert {e.field for e in outcome.errors} == {"partners-0-name"}, outcome.errors
    assert "label" in outcome.errors[0].message
    assert outcome.triples == []


def test_required_error_in_spanish(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    outcome = run(project, "source-profile", [("kind", "fund")], lang="es")
    assert outcome.by_field()["name"] == ["Nombre: este campo es obligatorio."]


def test_too_long_and_pipes(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    bad = dict(PERIODIC_REPORT)
    bad.update({"description": "x" * 10_001, "results": "one | two"})
    outcome = run(project, "periodic-report", list(bad.items()))
    by_field = outcome.by_field()
    assert "longer than 10,000" in by_field["description"][0]
    assert by_field["results"] == ["An item cannot hold the character |."]


def test_add_keeps_values_and_adds_a_row() -> None:
    values, added = forms.read_values(
        forms.FORMS["periodic-report"],
        [("title", "T"), ("partners-0-name", "A"), ("partners-0-type", "ngo"), ("add", "partners")],
    )
    assert added == "partners"
    assert values.rows["partners"] == [{"name": "A", "type": "ngo"}, {"name": "", "type": ""}]
    assert values.text("title") == "T"


def test_hostile_field_names_are_ignored() -> None:
    values, added = forms.read_values(
        forms.FORMS["periodic-report"],
        [("partners-999999-name", "x"), ("partners--name", "y"), ("__class__", "z"), ("add", "nonsense")],
    )
    assert added is None
    assert values.rows["partners"] == [{"name": "", "type": ""}]


def test_labels_in_three_languages(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    store, catalogue, settings = project
    from coopgraph.explore.common import fetch_labels

    labels = fetch_labels(store, catalogue).preferred
    evaluation = forms.Field("start", "activities.start", "date")
    table = forms.Field("title", "activities.label_en")
    assert [forms.field_label(evaluation, lang, settings, labels) for lang in ("en", "es", "fr")] == [
        "Start date",
        "Fecha de inicio",
        "Date de début",
    ]
    assert [forms.field_label(table, lang, settings, labels) for lang in ("en", "es", "fr")] == [
        "Title",
        "Título",
        "Titre",
    ]


def test_slugs_are_deterministic() -> None:
    assert forms.slugify("Ministère de la Culture du Pérou") == forms.slugify(
        "MINISTERE DE LA CULTURE DU PEROU"
    )
    assert len(forms.slugify("word " * 100)) <= forms.MAX_SLUG_CHARS


def literals(triples: list[ox.Triple], subject: str, predicate: str) -> set[tuple[str, str | None]]:
    return {
        (t.object.value, t.object.language)
        for t in triples
        if isinstance(t.subject, ox.NamedNode)
        and t.subject.value == subject
        and t.predicate.value == predicate
        and isinstance(t.object, ox.Literal)
    }


def test_text_typed_in_spanish_is_tagged_es(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    typed = dict(PERIODIC_REPORT)
    typed.update(
        {
            "title": "Coproducción cinematográfica Perú-Colombia",
            "description": "Desarrollo conjunto de dos largometrajes",
            "results": "Dos películas coproducidas",
            "evaluation": "Revisada cada año por ambos ministerios",
            "conclusions": "El intercambio debe continuar",
            "indicators": "Películas estrenadas",
        }
    )
    outcome = run(project, "periodic-report", list(typed.items()), lang="es")
    assert outcome.errors == [], outcome.errors
    triples = outcome.triples
    activity = ID + "programme/coproduccion-cinematografica-peru-colombia"
    assert literals(triples, activity, "http://purl.org/dc/terms/description") == {
        ("Desarrollo conjunto de dos largometrajes", "es")
    }
    assert literals(triples, activity, CG + "evaluation") == {
        ("Revisada cada año por ambos ministerios", "es")
    }
    assert literals(triples, activity, CG + "evaluationConclusion") == {
        ("El intercambio debe continuar", "es")
    }
    result = ID + "result/coproduccion-cinematografica-peru-colombia-1"
    assert literals(triples, result, "http://purl.org/dc/terms/description") == {
        ("Dos películas coproducidas", "es")
    }
    # the title is the Spanish name, and the English one the shapes ask for until it is translated
    assert literals(triples, activity, RDFS_LABEL) == {
        ("Coproducción cinematográfica Perú-Colombia", "es"),
        ("Coproducción cinematográfica Perú-Colombia", "en"),
    }
    partner = ID + "organisation/casa-de-la-literatura-peruana"
    assert ("Casa de la Literatura Peruana", "es") in literals(triples, partner, RDFS_LABEL)


def test_text_typed_in_french_is_tagged_fr(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    typed = dict(SOURCE_PROFILE)
    typed["description"] = "Subventions pour les coproductions de films dans les pays andins"
    outcome = run(project, "source-profile", list(typed.items()), lang="fr")
    assert outcome.errors == [], outcome.errors
    fund = ID + "fund/andean-fund-for-film"
    assert literals(outcome.triples, fund, "http://purl.org/dc/terms/description") == {
        ("Subventions pour les coproductions de films dans les pays andins", "fr")
    }


def test_an_existing_partner_keeps_its_type_of_entity_on_the_participation(
    project: tuple[Store, QueryCatalogue, Settings],
) -> None:
    outcome = run(project, "periodic-report", PERIODIC_REPORT)
    assert outcome.errors == [], outcome.errors
    ministry = ID + "organisation/ministry-of-culture-colombia"
    participation = next(
        t.subject for t in outcome.triples if t.predicate.value == CG + "agent" and t.object.value == ministry
    )
    about = {t.predicate.value: t.object for t in outcome.triples if t.subject == participation}
    assert about[SKOS + "scopeNote"].value == "Type of entity in the source: government-ministry"
    derivation = about[PROV + "qualifiedDerivation"]
    said = {t.predicate.value: t.object.value for t in outcome.triples if t.subject == derivation}
    store, catalogue, _ = project
    shown = next(
        c for c in forms.choices(store, catalogue)["organisation-sector"] if c.key == "government-ministry"
    )
    assert said[CG + "quote"] == "ministry of culture of colombia\n" + shown.label("en")
    assert said[CG + "locator"] == "Partners: name of the partner / type of entity"
    assert said[PROV + "entity"] == ID + "source/peru-colombia-film-co-production-periodic-report"
    # the node the graph has is not retyped; the new partner gets its type as its own sector
    assert not objects(outcome.triples, ministry, CG + "sector")
    assert objects(outcome.triples, ID + "organisation/casa-de-la-literatura-peruana", CG + "sector") == {
        ID + "organisation-sector/cultural-institution"
    }
    # without a type, nothing is said about it
    untyped = [p for p in PERIODIC_REPORT if p[0] != "partners-0-type"]
    plain = run(project, "periodic-report", untyped)
    assert plain.errors == [] and not [t for t in plain.triples if t.predicate.value == SKOS + "scopeNote"]


def test_a_funding_programme_profile(project: tuple[Store, QueryCatalogue, Settings]) -> None:
    from coopgraph.directory.sources import directory_facts

    _, catalogue, settings = project
    typed = dict(SOURCE_PROFILE)
    typed.update({"name": "Andean Film Programme", "kind": "programme"})
    outcome = run(project, "source-profile", list(typed.items()))
    assert outcome.errors == [], outcome.errors
    programme = ID + "programme/andean-film-programme"
    assert objects(outcome.triples, programme, RDF_TYPE) == {CG + "Programme"}
    scratch = EmbeddedStore(None)
    load_project(scratch, settings)
    scratch.put_graphs({"https://w3id.org/coopgraph/graph/submission/test": outcome.triples})
    assert directory_facts(scratch, catalogue).sources[programme].kind == "programme"
    assert "programme" in {c.key for c in forms.choices(scratch, catalogue)["source-kind"]}
