"""Tests of coopgraph.linkeddata.describe: what is said about a resource, and unknown ones."""

from __future__ import annotations

import difflib
import time

import pyoxigraph as ox
import pytest
from rdflib.namespace import PROV, RDF, RDFS

from coopgraph.linkeddata import LinkedData
from coopgraph.linkeddata.describe import (
    ResourceNotFound,
    SuggestionIndex,
    describe,
    fold,
    resource_iri_for_path,
    suggest,
)
from coopgraph.namespaces import CG, ID
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore
from support.linkeddata_samples import ATLANTIS, GRAPH_A, GRAPH_B


def test_description_has_outgoing_blank_nodes_incoming_and_graphs(
    small_store: EmbeddedStore, catalogue: QueryCatalogue
) -> None:
    d = describe(small_store, catalogue, ATLANTIS)
    own = {
        (q.predicate.value, q.object.value, q.graph_name.value) for q in d.statements if q.subject == ATLANTIS
    }
    assert (str(CG.iso3166Alpha2), "AT", GRAPH_A) in own
    derivation = next(q.object for q in d.statements if q.predicate.value == str(PROV.qualifiedDerivation))
    assert isinstance(derivation, ox.BlankNode)
    held = {(q.predicate.value, q.object.value) for q in d.statements if q.subject == derivation}
    assert (str(CG.locator), "Section 2") in held
    assert (str(CG.quote), "Atlantis takes part.") in held
    incoming = {
        (q.subject.value, q.predicate.value, q.graph_name.value) for q in d.incoming if q.object == ATLANTIS
    }
    assert (str(ID["programme/sea-fund"]), str(CG.hasParticipant), GRAPH_B) in incoming
    # the participation blank node is kept with the programme that holds it
    participation = [q for q in d.incoming if q.predicate.value == str(CG.agent)]
    assert len(participation) == 1
    holder = [q for q in d.incoming if q.object == participation[0].subject]
    assert holder[0].subject.value == str(ID["programme/sea-fund"])
    # labels and types of the nodes it mentions, from the graph that states them
    context = {(q.subject.value, q.predicate.value, q.graph_name.value) for q in d.context}
    assert (str(ID["programme/sea-fund"]), str(RDFS.label), GRAPH_B) in context
    assert (str(ID["programme/sea-fund"]), str(RDF.type), GRAPH_B) in context


def test_unknown_resource_is_empty_and_raises_with_suggestions(small_ld: LinkedData) -> None:
    assert not describe(small_ld.store, small_ld.catalogue, ox.NamedNode(str(ID["party/nowhere"]))).quads()
    with pytest.raises(ResourceNotFound) as info:
        small_ld.describe("party/atlantiss")
    assert info.value.suggestions[0][0] == str(ID["party/atlantis"])
    with pytest.raises(ResourceNotFound):
        small_ld.describe("party/<script>")


def test_suggestions_prefer_the_same_kind_then_any() -> None:
    labels = {
        str(ID["party/lemuria"]): ["Lemuria"],
        str(ID["programme/lemuria-fund"]): ["Lemuria fund"],
        str(ID["programme/sea-fund"]): ["Sea fund"],
    }
    assert [i for i, _ in suggest(str(ID["programme/lemuria"]), labels)] == [
        str(ID["programme/lemuria-fund"])
    ]
    # no event is close: resources of other kinds are considered
    assert suggest(str(ID["event/lemuria"]), labels)[0] == (str(ID["party/lemuria"]), "Lemuria")
    assert suggest(str(ID["party/zzzz"]), labels) == []


@pytest.mark.parametrize("path", ["colombia", "party/", "Party/colombia", "party/<x>", "party/a b"])
def test_paths_that_cannot_be_resources_are_not_found(path: str) -> None:
    with pytest.raises(ResourceNotFound) as info:
        resource_iri_for_path(path)
    assert info.value.suggestions == []


def test_an_agent_is_told_apart_by_its_type(small_ld: LinkedData) -> None:
    assert small_ld.describe("party/atlantis").is_agent()
    assert not small_ld.describe("programme/sea-fund").is_agent()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("party/colombiia", "party/colombia"),  # a letter too many
        ("party/colmbia", "party/colombia"),  # one missing
        ("party/colobmia", "party/colombia"),  # two swapped
        ("partyy/colombia", "party/colombia"),  # a typo in the kind folder
        ("parties/colombia", "party/colombia"),
        ("party/Colombia", "party/colombia"),  # case
        ("party/COLOMBIA", "party/colombia"),
        ("party/colómbia", "party/colombia"),  # an accent the slug does not have
        ("party/costa_rica", "party/costa-rica"),
    ],
)
def test_real_typos_get_their_resource_first(project_ld: LinkedData, path: str, expected: str) -> None:
    with pytest.raises(ResourceNotFound) as info:
        project_ld.describe(path)
    assert info.value.suggestions[0][0] == str(ID[expected])


def test_labels_match_without_their_accents_and_case(small_ld: LinkedData) -> None:
    # "Atlántida" is a label of party/atlantis; the slug says neither the accent nor the case
    assert small_ld.suggestions(str(ID["party/ATLANTIDA"]))[0][0] == str(ID["party/atlantis"])
    assert small_ld.suggestions(str(ID["party/atlántida"]))[0][0] == str(ID["party/atlantis"])


def test_fold_drops_accents_case_and_hyphens() -> None:
    assert fold("  Côte-d'Ivoire ") == "cote d'ivoire"
    assert fold("ÅLAND_Islands") == "aland islands"


def test_a_path_longer_than_the_limit_gets_no_suggestions() -> None:
    index = SuggestionIndex({str(ID["party/colombia"]): ["Colombia"]}, max_chars=20)
    assert index.suggest(str(ID["party/colombiia"])) != []
    assert index.suggest(str(ID["party/colombia" + "a" * 20])) == []


def test_a_lookup_scores_a_shortlist_not_every_label(monkeypatch: pytest.MonkeyPatch) -> None:
    labels = {str(ID[f"organisation/org-{n}"]): [f"Organisation number {n}"] for n in range(20_000)}
    labels[str(ID["party/colombia"])] = ["Colombia"]
    index = SuggestionIndex(labels, shortlist=30)
    scored: list[str] = []
    real = difflib.SequenceMatcher

    def counting(junk: None, a: str, b: str) -> difflib.SequenceMatcher[str]:
        scored.append(b)
        return real(junk, a, b)

    monkeypatch.setattr(difflib, "SequenceMatcher", counting)
    assert index.suggest(str(ID["party/colombiia"]))[0][0] == str(ID["party/colombia"])
    assert index.suggest(str(ID["organisation/org-1234"]))[0][0] == str(ID["organisation/org-1234"])
    assert 0 < len(scored) <= 2 * 2 * 30  # two lookups, each at most two shortlists


@pytest.mark.parametrize("size", [101, 5_000, 20_000])
def test_hostile_lengths_cost_nothing(project_ld: LinkedData, size: int) -> None:
    slug = ("colombia-" * size)[:size]
    for path in (f"party/{slug}", f"party/{slug}!"):
        started = time.process_time()
        with pytest.raises(ResourceNotFound) as info:
            project_ld.describe(path)
        assert info.value.suggestions == []
        assert time.process_time() - started < 1.0
