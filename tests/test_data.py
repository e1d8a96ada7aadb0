"""Whole-graph checks of the curated data: coverage of every source, one node per thing."""

from __future__ import annotations

import unicodedata
from collections import defaultdict

import pytest

from coopgraph.queries import parse_query_text
from coopgraph.store import EmbeddedStore

SOURCES = [
    "expert-meeting-2007",
    "global-alliance-2002",
    "colombia-bilateral-cooperation",
    "sela-workshop-2011",
    "mexico-iberoamerican-programmes",
]


def normalise(label: str) -> str:
    """Lower case, no accents, no punctuation, single spaces."""
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return " ".join("".join(c if c.isalnum() else " " for c in text).split())


def test_normalise() -> None:
    assert normalise("IBERMÚSICAS") == normalise("Ibermusicas") == "ibermusicas"
    assert normalise("Ministry of Culture (Colombia)") == "ministry of culture colombia"


ENTITIES_PER_GRAPH = parse_query_text(
    "entities-per-graph",
    """#+ summary: typed entities described in one graph
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {
  GRAPH ?_graph_iri { ?s a ?class ; <http://www.w3.org/ns/prov#wasDerivedFrom> ?src }
} GROUP BY ?class""",
)


@pytest.mark.parametrize("source", SOURCES)
def test_every_source_document_contributes_entities(project_store: EmbeddedStore, source: str) -> None:
    rows = project_store.select_named(
        ENTITIES_PER_GRAPH, {"graph": f"https://w3id.org/coopgraph/graph/{source}"}
    )
    counts = {r["class"].value.rsplit("#", 1)[-1]: int(r["n"].value) for r in rows}
    assert sum(counts.values()) >= 10, counts
    assert counts.keys() & {
        "Organisation",
        "OrganisationalUnit",
        "Person",
        "Programme",
        "Event",
        "Meeting",
        "Workshop",
    }


LABELS = parse_query_text(
    "instance-labels",
    """#+ summary: primary labels of the instance data, with documented distinctions
SELECT DISTINCT ?s ?label ?other WHERE {
  GRAPH ?g { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?label }
  FILTER(STRSTARTS(STR(?s), "https://w3id.org/coopgraph/id/"))
  FILTER(?g != <https://w3id.org/coopgraph/graph/ontology> && ?g != <https://w3id.org/coopgraph/graph/shapes>)
  OPTIONAL { { ?s <http://www.w3.org/2002/07/owl#differentFrom> ?other } UNION { ?other <http://www.w3.org/2002/07/owl#differentFrom> ?s } }
}""",
)


def test_no_two_nodes_share_a_normalised_label(project_store: EmbeddedStore) -> None:
    """Two nodes with the same label are the same thing unless documented with owl:differentFrom."""
    by_label: dict[str, set[str]] = defaultdict(set)
    distinct: set[frozenset[str]] = set()
    for row in project_store.select_named(LABELS):
        by_label[normalise(row["label"].value)].add(row["s"].value)
        if "other" in row:
            distinct.add(frozenset({row["s"].value, row["other"].value}))
    clashes = {}
    for label, nodes in by_label.items():
        undocumented = [
            (a, b)
            for a in sorted(nodes)
            for b in sorted(nodes)
            if a < b and frozenset({a, b}) not in distinct
        ]
        if undocumented:
            clashes[label] = undocumented
    assert clashes == {}


SPELLINGS = parse_query_text(
    "spelling-variants",
    """#+ summary: nodes carrying a label, alt label or hidden label
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?s WHERE {
  { ?s <http://www.w3.org/2000/01/rdf-schema#label> ?_text } UNION { ?s skos:altLabel ?_text } UNION { ?s skos:hiddenLabel ?_text }
}""",
)


@pytest.mark.parametrize(
    ("variant", "correct"),
    [
        ("IBERMUSICAS", "IBERMÚSICAS"),
        ("IBERARTESANIAS", "IBERARTESANÍAS"),
        ("Alfons Matinell", "Alfons Martinell"),
        ("Smithsonian Institute", "Smithsonian Institution"),
        (
            "Bureu of Educational and Cultural Affairs of the United States Department of State",
            "Bureau of Educational and Cultural Affairs of the United States Department of State",
        ),
    ],
)
def test_spelling_variants_are_one_node(project_store: EmbeddedStore, variant: str, correct: str) -> None:
    """The documents' variant spellings lead to the node labelled with the correct spelling."""
    import pyoxigraph as ox

    def nodes(text: str) -> set[str]:
        found: set[str] = set()
        for lang in (None, "en", "es"):
            literal = ox.Literal(text) if lang is None else ox.Literal(text, language=lang)
            found |= {r["s"].value for r in project_store.select(SPELLINGS.text, {"_text": literal})}
        return found

    assert nodes(variant) and nodes(variant) == nodes(correct)
