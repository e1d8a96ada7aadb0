"""Reconciliation: the existing nodes a minted node probably is, by label, alias and acronym."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from coopgraph.contrib.reconcile import LabelIndex, acronym_of, initials, label_key, reconcile, suggest
from coopgraph.explore.common import Labels
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore
from support.submissions import FOUNDATION, UNESCO, UNESCO_COPY, contribution_triples

EXISTING = Labels(
    preferred={
        "urn:aecid": {"es": "Agencia Española de Cooperación Internacional para el Desarrollo"},
        "urn:culture-fr": {"fr": "Ministère de la Culture"},
        "urn:apc": {"en": "Presidential Agency for International Cooperation"},
        "urn:concept-culture": {"fr": "Ministère de la Culture"},
    },
    every={
        "urn:aecid": [("Agencia Española de Cooperación Internacional para el Desarrollo", "es", "label")],
        "urn:culture-fr": [("Ministère de la Culture", "fr", "label")],
        "urn:apc": [
            ("Presidential Agency for International Cooperation", "en", "label"),
            ("APC", "en", "altLabel"),
        ],
        "urn:concept-culture": [("Ministère de la Culture", "fr", "prefLabel")],
    },
    kinds={
        "urn:aecid": "organisation",
        "urn:culture-fr": "organisation",
        "urn:apc": "organisation",
        "urn:concept-culture": "concept",
    },
)
INDEX = LabelIndex(EXISTING, {})


def test_keys_set_case_accents_punctuation_and_articles_aside() -> None:
    assert (
        label_key("LE MINISTERE de la culture!")
        == label_key("Ministère de la Culture")
        == "ministere de culture"
    )
    assert label_key("The Smithsonian") == "smithsonian"
    assert acronym_of("A.E.C.I.D.") is None  # dotted initials are words, not one acronym
    assert acronym_of("aecid") == "aecid" and acronym_of("G-77") == "g77"
    assert "aecid" in initials("Agencia Española de Cooperación Internacional para el Desarrollo")


@pytest.mark.parametrize(
    ("given", "prop", "expected", "basis"),
    [
        ("ministere de la culture", "label", "urn:culture-fr", "label"),
        ("AECID", "label", "urn:aecid", "acronym"),
        ("APC", "label", "urn:apc", "alias"),
        ("Presidential Agency for International Cooperation", "altLabel", "urn:apc", "alias"),
    ],
)
def test_each_basis_finds_its_node(given: str, prop: str, expected: str, basis: str) -> None:
    found = suggest(INDEX, [(given, "en", prop)], "organisation", ["en"])
    assert found[0].iri == expected and found[0].basis == basis
    assert found[0].same_kind is True and "kind organisation" in found[0].reason


def test_the_reverse_acronym_is_found() -> None:
    existing = Labels(
        {"urn:x": {"en": "UNHCR"}}, {"urn:x": [("UNHCR", "en", "label")]}, {"urn:x": "organisation"}
    )
    found = suggest(
        LabelIndex(existing, {}),
        [("United Nations High Commissioner for Refugees", "en", "label")],
        "organisation",
        ["en"],
    )
    assert [(s.iri, s.basis) for s in found] == [("urn:x", "acronym")]


def test_the_same_kind_ranks_higher_and_ties_break_by_iri() -> None:
    found = suggest(INDEX, [("Ministère de la Culture", "fr", "label")], "organisation", ["fr"])
    assert [s.iri for s in found] == ["urn:culture-fr", "urn:concept-culture"]
    assert found[0].score > found[1].score and found[1].same_kind is False
    assert "another kind" in found[1].reason
    assert suggest(INDEX, [("Ministère de la Culture", "fr", "label")], "organisation", ["fr"]) == found


def test_nothing_alike_gives_no_suggestion() -> None:
    assert suggest(INDEX, [("Fondation Inconnue", "fr", "label")], "organisation", ["fr"]) == []


def test_reconcile_over_the_project_finds_unesco(
    project_store: EmbeddedStore, catalogue: QueryCatalogue
) -> None:
    minted = reconcile(project_store, catalogue, contribution_triples(), ["en"])
    assert [m.iri for m in minted] == [FOUNDATION, UNESCO_COPY]
    copy = minted[1]
    assert copy.kind == "organisation" and copy.label == "UNESCO"
    assert copy.suggestions[0].iri == UNESCO and copy.suggestions[0].score == 1.0
    assert copy.suggestions[0].basis == "label"
    # the existing stakeholder category "UNESCO" is a concept: suggested, lower
    assert all(s.score < 1.0 for s in copy.suggestions[1:])
    assert minted[0].suggestions == ()


def test_existing_nodes_are_not_minted(project_store: EmbeddedStore, catalogue: QueryCatalogue) -> None:
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    triples = [ox.Triple(ox.NamedNode(UNESCO), label, ox.Literal("UNESCO", language="fr"))]
    assert reconcile(project_store, catalogue, triples) == []
