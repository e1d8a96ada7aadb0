"""CSV templates: each template's small CSV gives the expected triples; bad files, headers and
cells are reported by row and column and map nothing; gate results come back on their row."""

from __future__ import annotations

import csv
import io
import os
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from coopgraph.config import Settings
from coopgraph.contrib.tabular import Mapped, ingest, template, templates
from coopgraph.store import EmbeddedStore, Store, load_project

ID = "https://w3id.org/coopgraph/id/"
CG = "https://w3id.org/coopgraph/def#"
SOURCE = "source/colombia-bilateral-cooperation"


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(in_memory=True)


@pytest.fixture(scope="module")
def store(settings: Settings) -> Store:
    store = EmbeddedStore(None)
    load_project(store, settings)
    return store


def as_graph(mapped: Mapped) -> Graph:
    graph = Graph()
    graph.parse(data=ox.serialize(mapped.triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    return graph


def ask(graph: Graph, where: str) -> bool:
    return bool(graph.query(f"PREFIX cg: <{CG}> PREFIX id: <{ID}> ASK {{ {where} }}").askAnswer)


def run(text: str, name: str, settings: Settings, store: Store | None) -> Mapped:
    return ingest(text.encode("utf-8"), name, settings, store)


def test_every_template_has_its_files_and_a_header_matching_its_columns(settings: Settings) -> None:
    found = templates(settings)
    assert {"actors", "activities", "participations", "contributions"} <= set(found)
    for spec in found.values():
        header = next(csv.reader(io.StringIO(spec.csv_file.read_text("utf-8"))))
        assert header == [c.name for c in spec.columns], spec.name
        assert spec.mapping.exists()


def test_actors(settings: Settings, store: Store) -> None:
    mapped = run(
        "slug,kind,type,label_en,label_es,sector,country,source,locator,quote\n"
        "ministry-of-culture-peru,organisation,Organisation,Ministry of Culture of Peru,"
        f"Ministerio de Cultura del Perú,government-ministry,party/peru,{SOURCE},Partners,\n",
        "actors",
        settings,
        store,
    )
    assert mapped.errors == [] and mapped.ok
    graph = as_graph(mapped)
    assert ask(
        graph,
        """<https://w3id.org/coopgraph/id/organisation/ministry-of-culture-peru> a cg:Organisation ;
             <http://www.w3.org/2000/01/rdf-schema#label> "Ministry of Culture of Peru"@en, "Ministerio de Cultura del Perú"@es ;
             cg:sector <https://w3id.org/coopgraph/id/organisation-sector/government-ministry> ;
             cg:country <https://w3id.org/coopgraph/id/party/peru> ;
             <http://www.w3.org/ns/prov#wasDerivedFrom> <https://w3id.org/coopgraph/id/source/colombia-bilateral-cooperation> ;
             <http://www.w3.org/ns/prov#qualifiedDerivation> [ cg:locator "Partners" ]""",
    )
    # the empty quote cell makes no triple
    assert not ask(graph, "?d cg:quote ?q")


def test_activities_with_lists_dates_results_and_indicators(settings: Settings, store: Store) -> None:
    mapped = run(
        "slug,kind,type,label_en,start,end,modalities,sectors,articles,locations,results,indicators,source,locator\n"
        "peru-colombia-film-coproduction,project,Project,Peru-Colombia film co-production,2019,2021-06,"
        "bilateral|co-production,audiovisual,12|12-e,party/peru|party/colombia,Two films|A festival,"
        f"Films released,{SOURCE},Title\n",
        "activities",
        settings,
        store,
    )
    assert mapped.errors == [], mapped.errors
    graph = as_graph(mapped)
    project = URIRef(ID + "project/peru-colombia-film-coproduction")
    assert (project, URIRef(CG + "startDate"), Literal("2019", datatype=XSD.gYear)) in graph
    assert (project, URIRef(CG + "endDate"), Literal("2021-06", datatype=XSD.gYearMonth)) in graph
    assert set(graph.objects(project, URIRef(CG + "modality"))) == {
        URIRef(ID + "modality/bilateral"),
        URIRef(ID + "modality/co-production"),
    }
    assert set(graph.objects(project, URIRef(CG + "relatesToArticle"))) == {
        URIRef(ID + "article/12"),
        URIRef(ID + "article/12-e"),
    }
    assert len(set(graph.objects(project, URIRef(CG + "location")))) == 2
    outcomes = set(graph.objects(project, URIRef(CG + "hasOutcome")))
    assert outcomes == {
        URIRef(ID + "result/peru-colombia-film-coproduction-1"),
        URIRef(ID + "result/peru-colombia-film-coproduction-2"),
    }
    assert ask(
        graph,
        '<https://w3id.org/coopgraph/id/indicator/peru-colombia-film-coproduction-1> a cg:Indicator ; ?p "Films released"@en',
    )


def test_participations(settings: Settings, store: Store) -> None:
    mapped = run(
        "activity,agent,role\nprogramme/ibermedia,party/peru,funding\n", "participations", settings, store
    )
    assert mapped.errors == [], mapped.errors
    graph = as_graph(mapped)
    assert ask(
        graph,
        """<https://w3id.org/coopgraph/id/programme/ibermedia> cg:hasParticipant <https://w3id.org/coopgraph/id/party/peru> ;
             cg:hasParticipation [ a cg:Participation ; cg:agent <https://w3id.org/coopgraph/id/party/peru> ; cg:role <https://w3id.org/coopgraph/id/role/funding> ]""",
    )


def test_contributions(settings: Settings, store: Store) -> None:
    mapped = run(
        "slug,label_en,contributor,recipient,amount,currency,approximate,kind,start,source,locator,quote\n"
        "peru-ibermedia-2019,Peru's contribution to IBERMEDIA 2019,party/peru,programme/ibermedia,"
        f'100000.50,USD,false,allocation,2019,{SOURCE},Financial resources,"USD 100,000.50 was allocated"\n',
        "contributions",
        settings,
        store,
    )
    assert mapped.errors == [], mapped.errors
    graph = as_graph(mapped)
    contribution = URIRef(ID + "contribution/peru-ibermedia-2019")
    assert (contribution, URIRef(CG + "amount"), Literal("100000.50", datatype=XSD.decimal)) in graph
    assert (contribution, URIRef(CG + "currency"), Literal("USD")) in graph
    assert (contribution, URIRef(CG + "approximate"), Literal("false", datatype=XSD.boolean)) in graph


def test_bad_header_names_unknown_and_missing_columns(settings: Settings) -> None:
    mapped = run("slug,nmae\nabc,x\n", "actors", settings, None)
    messages = [str(e) for e in mapped.errors]
    assert any(m.startswith("1:nmae: unknown column 'nmae'") for m in messages)
    assert "1:label_en: the required column label_en is missing" in messages
    assert mapped.triples == []


def test_bad_cells_are_reported_by_row_and_column_and_nothing_is_mapped(settings: Settings) -> None:
    mapped = run(
        "slug,label_en,contributor,recipient,amount,currency,start,source,locator,quote\n"
        f"ok-row,Fine,party/peru,programme/ibermedia,1,USD,2019,{SOURCE},x,quote\n"
        f'Bad Slug,Fine,party/peru,programme/ibermedia,"1,000",usd,2023-02-29,{SOURCE},x,quote\n'
        f"other,,not an iri,programme/ibermedia,-5,EURO,sometime,{SOURCE},x,quote\n",
        "contributions",
        settings,
        None,
    )
    where = {(e.row, e.column) for e in mapped.errors}
    assert {(3, "slug"), (3, "amount"), (3, "currency"), (3, "start")} <= where
    assert {(4, "label_en"), (4, "contributor"), (4, "amount"), (4, "currency"), (4, "start")} <= where
    assert (2, "amount") not in where
    assert mapped.triples == []


def test_a_file_that_is_not_utf8_is_refused_with_the_offset(settings: Settings) -> None:
    mapped = ingest("slug,label_en\ncafé,x\n".encode("latin-1"), "actors", settings, None)
    assert len(mapped.errors) == 1
    assert "not UTF-8" in mapped.errors[0].message and mapped.errors[0].row == 2


def test_a_huge_file_is_refused_before_reading(settings: Settings) -> None:
    small = settings.model_copy(update={"max_csv_bytes": 1000})
    mapped = ingest(b"slug,label_en\n" + b"a,b\n" * 1000, "actors", small, None)
    assert [e.message for e in mapped.errors] == ["the file is larger than 1,000 bytes"]


def test_too_many_rows_are_refused(settings: Settings) -> None:
    few = settings.model_copy(update={"max_csv_rows": 3})
    mapped = ingest(b"activity,agent,role\n" + b"x/a,x/b,partner\n" * 4, "participations", few, None)
    assert "more than 3 data rows" in mapped.errors[0].message


def test_formula_like_cells_are_kept_as_literal_text(settings: Settings, store: Store) -> None:
    hostile = ['=HYPERLINK("http://evil.example/","x")', "+1+1", "-2", "@SUM(A1)", 'say "hi"\nnext line']
    rows = "".join(
        f'a{n},organisation,Organisation,"{text.replace(chr(34), chr(34) * 2)}",{SOURCE},x\n'
        for n, text in enumerate(hostile)
    )
    mapped = run("slug,kind,type,label_en,source,locator\n" + rows, "actors", settings, store)
    assert mapped.errors == [], mapped.errors
    labels = {
        str(o) for o in as_graph(mapped).objects(None, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))
    }
    assert labels == set(hostile)


def test_injection_in_slugs_and_iris_is_refused(settings: Settings) -> None:
    mapped = run(
        "slug,kind,type,label_en,homepage,source,locator\n"
        f"x> <http://e/p> <http://e/o,organisation,Organisation,X,http://e/a b,{SOURCE},x\n"
        f"y,organisation,../../etc,Y,javascript:alert(1)>,{SOURCE},x\n",
        "actors",
        settings,
        None,
    )
    where = {(e.row, e.column) for e in mapped.errors}
    assert {(2, "slug"), (2, "homepage"), (3, "type"), (3, "homepage")} <= where


def test_gate_results_come_back_on_their_row_and_column(settings: Settings, store: Store) -> None:
    mapped = run(
        "slug,kind,type,label_en,sector,source,locator\n"
        f"good,organisation,Organisation,Good,government-ministry,{SOURCE},x\n"
        f"bad,organisation,Organisation,Bad,not-a-sector,{SOURCE},x\n",
        "actors",
        settings,
        store,
    )
    assert [(e.row, e.column) for e in mapped.errors] == [(3, "sector")]
    assert "organisation-sector" in mapped.errors[0].message


def test_an_unknown_template_names_the_known_ones(settings: Settings) -> None:
    from coopgraph.errors import NotFound

    with pytest.raises(NotFound, match="actors"):
        template(settings, "nope")


def test_text_columns_take_the_language_of_their_row(settings: Settings, store: Store) -> None:
    # row 2 is in Spanish, row 3 says nothing (English); the names keep their own columns
    mapped = run(
        "slug,kind,type,label_en,label_es,description,aim,results,evaluation,conclusions,indicators,language,source,locator\n"
        "cine-andino,project,Project,Andean cinema,Cine andino,Dos coproducciones,Fortalecer el cine,"
        f"Dos películas,Revisado cada año,Debe continuar,Películas estrenadas,es,{SOURCE},Title\n"
        f"andean-music,project,Project,Andean music,,Two tours,,,,,,,{SOURCE},Title\n",
        "activities",
        settings,
        store,
    )
    assert mapped.errors == [], mapped.errors
    graph = as_graph(mapped)
    spanish = URIRef(ID + "project/cine-andino")
    for predicate in (
        "http://purl.org/dc/terms/description",
        CG + "aim",
        CG + "evaluation",
        CG + "evaluationConclusion",
    ):
        assert {o.language for o in graph.objects(spanish, URIRef(predicate))} == {"es"}, predicate
    assert {
        o.language
        for o in graph.objects(
            URIRef(ID + "result/cine-andino-1"), URIRef("http://purl.org/dc/terms/description")
        )
    } == {"es"}
    # an indicator is named in its row's language, and in English, which the shapes ask of every node
    indicator_labels = set(
        graph.objects(
            URIRef(ID + "indicator/cine-andino-1"), URIRef("http://www.w3.org/2000/01/rdf-schema#label")
        )
    )
    assert indicator_labels == {
        Literal("Películas estrenadas", lang="es"),
        Literal("Películas estrenadas", lang="en"),
    }
    assert set(graph.objects(spanish, URIRef("http://www.w3.org/2000/01/rdf-schema#label"))) == {
        Literal("Andean cinema", lang="en"),
        Literal("Cine andino", lang="es"),
    }
    english = URIRef(ID + "project/andean-music")
    assert list(graph.objects(english, URIRef("http://purl.org/dc/terms/description"))) == [
        Literal("Two tours", lang="en")
    ]


def test_an_unknown_language_is_an_error_at_its_row_and_column(settings: Settings) -> None:
    mapped = run(
        "slug,kind,type,label_en,description,language,source,locator\n"
        f"a-fund,fund,Fund,A fund,Ein Fonds,de,{SOURCE},x\n"
        f"b-fund,fund,Fund,B fund,Un fonds,fr,{SOURCE},x\n",
        "actors",
        settings,
        None,
    )
    assert [(e.row, e.column) for e in mapped.errors] == [(2, "language")]
    assert "'de' is not one of: en, es, fr" in mapped.errors[0].message
    assert mapped.triples == []


def test_a_participation_keeps_the_type_of_entity_its_source_gives(settings: Settings, store: Store) -> None:
    mapped = run(
        "activity,agent,role,agent_sector,source,locator,quote\n"
        "programme/ibermedia,organisation/ministry-of-culture-colombia,partner,government-ministry,"
        f'{SOURCE},Partners: name / type of entity,"Ministry of Culture of Colombia\nSecteur public"\n',
        "participations",
        settings,
        store,
    )
    assert mapped.errors == [], mapped.errors
    graph = as_graph(mapped)
    assert ask(
        graph,
        """<https://w3id.org/coopgraph/id/programme/ibermedia> cg:hasParticipation ?p .
           ?p cg:agent <https://w3id.org/coopgraph/id/organisation/ministry-of-culture-colombia> ;
              <http://www.w3.org/2004/02/skos/core#scopeNote> "Type of entity in the source: government-ministry"@en ;
              <http://www.w3.org/ns/prov#qualifiedDerivation> [ cg:quote "Ministry of Culture of Colombia\\nSecteur public" ;
                  <http://www.w3.org/ns/prov#entity> <https://w3id.org/coopgraph/id/source/colombia-bilateral-cooperation> ]""",
    )
    # the ministry itself is not retyped
    assert not list(graph.triples((None, URIRef(CG + "sector"), None)))


def test_an_edited_mapping_is_read_again_and_a_repeated_one_is_not(tmp_path: Path) -> None:
    """The parsed rules are kept per file version: an edit of a mapping takes effect at once."""
    project = Settings(in_memory=True).project_dir
    shutil.copytree(project / "mappings", tmp_path / "mappings")
    for folder in ("ontology", "shapes"):
        (tmp_path / folder).symlink_to(project / folder)
    settings = Settings(in_memory=True, project_dir=tmp_path)
    row = "slug,kind,type,label_en,source,locator\nexample-org,organisation,Organisation,Example,{SOURCE},p. 1\n"
    row = row.replace("{SOURCE}", SOURCE)
    first = as_graph(run(row, "actors", settings, None))
    again = as_graph(run(row, "actors", settings, None))
    assert len(first) == len(again) > 0
    assert ask(first, "?org <http://www.w3.org/2000/01/rdf-schema#label> 'Example'@en")
    mapping = tmp_path / "mappings" / "actors.rml.ttl"
    edited = mapping.read_text("utf-8").replace(
        'rml:predicate rdfs:label ; rml:objectMap [ rml:reference "label_en"',
        'rml:predicate skos:prefLabel ; rml:objectMap [ rml:reference "label_en"',
    )
    assert edited != mapping.read_text("utf-8")
    mapping.write_text(edited, "utf-8")
    os.utime(mapping, ns=(mapping.stat().st_atime_ns, mapping.stat().st_mtime_ns + 1_000_000_000))
    after = as_graph(run(row, "actors", settings, None))
    assert ask(after, "?org <http://www.w3.org/2004/02/skos/core#prefLabel> 'Example'@en")
    assert not ask(after, "?org <http://www.w3.org/2000/01/rdf-schema#label> 'Example'@en")
