"""The search index: normalisation, matching, ranking, grouping, and its cache per store version."""

from __future__ import annotations

import time

import pyoxigraph as ox
import pytest

from coopgraph.config import Settings
from coopgraph.explore import SearchIndex, normalise, search_index
from coopgraph.explore.search import group_by_kind
from coopgraph.namespaces import resource_iri
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore

SAMPLE = """
@prefix cg: <https://w3id.org/coopgraph/def#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
<https://w3id.org/coopgraph/id/place/bogota> a cg:Place ; rdfs:label "Bogota"@en , "Bogotá"@es .
<https://w3id.org/coopgraph/id/programme/ibermusicas> a cg:Programme ; rdfs:label "IBERMÚSICAS"@es ; skos:altLabel "IBERMUSICAS"@en .
<https://w3id.org/coopgraph/id/organisation/aeci> a cg:Organisation ; rdfs:label "Spanish Agency for International Cooperation"@en ,
    "Agencia Española de Cooperación Internacional"@es ; skos:altLabel "AECI"@en .
<https://w3id.org/coopgraph/id/organisation/g77> a cg:Organisation ; rdfs:label "Group of 77"@en ; skos:altLabel "G-77"@en .
<https://w3id.org/coopgraph/id/person/mejia> a cg:Person ; foaf:name "Juan Luis Mejía" ; skos:hiddenLabel "Juan Luis Mejia"@en .
<https://w3id.org/coopgraph/id/post/aeci-adviser> a cg:Post ; rdfs:label "Adviser on Culture and Development to AECI"@en .
<https://w3id.org/coopgraph/id/party/colombia> a cg:Country ; rdfs:label "Colombia"@en , "Colombie"@fr .
<https://w3id.org/coopgraph/id/project/colombian-film> a cg:Project ; rdfs:label "Colombian film week"@en .
"""
GRAPH = "https://w3id.org/coopgraph/graph/sample"


@pytest.fixture()
def store() -> EmbeddedStore:
    store = EmbeddedStore(None)
    store.put_graph(GRAPH, (q.triple for q in ox.parse(SAMPLE, ox.RdfFormat.TURTLE)))
    return store


@pytest.fixture()
def index(store: EmbeddedStore, catalogue: QueryCatalogue) -> SearchIndex:
    return search_index(store, catalogue)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bogotá", "bogota"),
        ("IBERMÚSICAS", "ibermusicas"),
        ("Ministère  de la Culture (France)", "ministere de la culture france"),
        ("G-77", "g 77"),
        ("Straße", "strasse"),
        ("ﬁlm", "film"),  # a compatibility ligature
        ("  ", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


def iris(hits: list) -> list[str]:
    return [h.iri for h in hits]


def test_bogota_finds_the_spanish_label_with_its_accent(index: SearchIndex) -> None:
    hits = index.search("bogota", ["es"])
    assert iris(hits)[0] == str(resource_iri("place", "bogota"))
    assert hits[0].matched == "Bogotá" and hits[0].matched_language == "es"
    assert hits[0].label == "Bogotá"  # the label in the language asked for
    assert index.search("bogota", ["en"])[0].label == "Bogota"


def test_accents_and_case_do_not_matter_either_way(index: SearchIndex) -> None:
    for typed in ("ibermusicas", "IBERMÚSICAS", "Ibermús", "iber"):
        assert iris(index.search(typed, ["en"]))[0] == str(resource_iri("programme", "ibermusicas")), typed


def test_an_acronym_finds_its_organisation_first(index: SearchIndex) -> None:
    hits = index.search("AECI", ["en"])
    assert hits[0].iri == str(resource_iri("organisation", "aeci"))
    assert hits[0].matched == "AECI" and hits[0].matched_property == "altLabel"
    assert hits[0].label == "Spanish Agency for International Cooperation"
    assert str(resource_iri("post", "aeci-adviser")) in iris(hits)  # a word of a longer label


def test_punctuation_and_spaces(index: SearchIndex) -> None:
    g77 = str(resource_iri("organisation", "g77"))
    assert iris(index.search("g77", ["en"]))[0] == g77
    assert iris(index.search("g-77", ["en"]))[0] == g77
    assert iris(index.search("G 77", ["en"]))[0] == g77


def test_every_word_must_begin_a_word_of_the_label(index: SearchIndex) -> None:
    assert iris(index.search("agencia coop", ["en"])) == [str(resource_iri("organisation", "aeci"))]
    assert index.search("agencia film", ["en"]) == []


def test_names_and_hidden_labels_are_searched(index: SearchIndex) -> None:
    mejia = str(resource_iri("person", "mejia"))
    assert iris(index.search("mejia", ["en"])) == [mejia]
    assert index.search("juan luis", ["en"])[0].label == "Juan Luis Mejía"


def test_the_whole_label_ranks_before_a_longer_one(index: SearchIndex) -> None:
    hits = index.search("colombia", ["en"])
    assert iris(hits)[:2] == [
        str(resource_iri("party", "colombia")),
        str(resource_iri("project", "colombian-film")),
    ]
    assert [h.score for h in hits[:2]] == [0, 1]


def test_kinds_limit_and_groups(index: SearchIndex) -> None:
    assert {h.kind for h in index.search("aeci", ["en"], kinds={"post"})} == {"post"}
    assert len(index.search("o", ["en"], limit=2)) == 2
    groups = group_by_kind(index.search("c", ["en"], limit=50))
    kinds = [kind for kind, _ in groups]
    assert kinds.index("country") < kinds.index("organisation") < kinds.index("post")


def test_nothing_typed_finds_nothing(index: SearchIndex) -> None:
    assert index.search("", ["en"]) == []
    assert index.search("¿?!", ["en"]) == []
    assert index.search("zzzz", ["en"]) == []


def test_built_once_per_store_version(store: EmbeddedStore, catalogue: QueryCatalogue) -> None:
    first = search_index(store, catalogue)
    assert search_index(store, catalogue) is first
    store.put_graph(
        GRAPH + "2",
        [
            ox.Triple(
                ox.NamedNode(str(resource_iri("place", "quito"))),
                ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                ox.Literal("Quito", language="es"),
            )
        ],
    )
    rebuilt = search_index(store, catalogue)
    assert rebuilt is not first
    assert rebuilt.search("quito", ["en"])[0].label == "Quito"


def test_project_data(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> None:
    index = search_index(project_store, catalogue)
    assert index.search("bogota", ["en"])[0].iri == str(resource_iri("place", "bogota"))
    assert index.search("ibermusicas", ["en"])[0].iri == str(resource_iri("programme", "ibermusicas"))
    aeci = index.search("AECI", ["en"])[0]
    assert (aeci.iri, aeci.kind) == (str(resource_iri("organisation", "aeci")), "organisation")
    assert index.search("g77", ["en"])[0].iri == str(resource_iri("organisation", "group-of-77"))


def test_a_keystroke_is_fast_on_the_project_data(
    project_store: EmbeddedStore, catalogue: QueryCatalogue
) -> None:
    # a sanity bound only (the timings are measured by bench/explorer.py): far from a scan
    index = search_index(project_store, catalogue)
    start = time.perf_counter()
    for prefix in ("b", "bo", "bog", "boga", "bogot", "bogota", "m", "mi", "min cul"):
        index.search(prefix, ["en"])
    assert time.perf_counter() - start < 1.0


def test_catalogue_of_an_empty_store() -> None:
    catalogue = QueryCatalogue(Settings().queries_dir)
    assert len(search_index(EmbeddedStore(None), catalogue)) == 0
