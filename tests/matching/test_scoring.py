"""Matching on hand-built graphs (each part of the score) and on the project data (hand-checked answers)."""

from __future__ import annotations

import itertools

import pytest

from coopgraph.matching import MatchIndex, Profile, match, match_index, profile_of
from coopgraph.matching.proposals import match_request
from coopgraph.matching.scoring import WEIGHTS
from coopgraph.matching.text import TextIndex, bag, tokens
from coopgraph.namespaces import resource_iri
from coopgraph.network.facts import Activity, Actor, Facts
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore

FILM, MUSIC, MUSEUMS = "s:film", "s:music", "s:museums"
REGIONAL = str(resource_iri("modality", "regional"))


def small_index() -> MatchIndex:
    """x and y make films together (a two-party project); z shows films at a big festival with
    w, v and u, where music is also played; t runs museums with y."""
    acts = {
        "a1": Activity("a1", "Film project", sectors={FILM}),
        "a2": Activity("a2", "Festival", sectors={FILM, MUSIC}),
        "a3": Activity("a3", "Museum exchange", sectors={MUSEUMS}),
    }
    parts = [("a1", "x", "g"), ("a1", "y", "g"), ("a2", "z", "g"), ("a2", "w", "g"), ("a2", "v", "g")]
    parts += [("a2", "u", "g"), ("a3", "t", "g"), ("a3", "y", "g")]
    actors = {i: Actor(i, i.upper(), "organisation") for i in "xyzwvut"}
    return MatchIndex(Facts(parts, acts, actors, [], {FILM: "Film", MUSIC: "Music", MUSEUMS: "Museums"}))


def test_shared_sector_of_a_small_activity_counts_more() -> None:
    found = {m.iri: m for m in match(small_index(), Profile(sectors=frozenset({FILM})), top=10)}
    # film through a two-party project says more than film through a four-party festival
    assert found["x"].parts["sectors"] == pytest.approx(2**-0.5)
    assert found["z"].parts["sectors"] == pytest.approx(0.5)
    assert "sectors-complementary" not in found["z"].parts  # music is not counted on top of film
    assert "t" in found  # t works with y, a likely partner: network part only
    assert "sectors" not in found["t"].parts and found["t"].parts["neighbours"] > 0


def test_complementary_sector_found_through_co_occurrence() -> None:
    found = {m.iri: m for m in match(small_index(), Profile(sectors=frozenset({MUSIC})), top=10)}
    # music goes with film on the festival, so the film makers x and y are complementary
    assert found["x"].parts["sectors-complementary"] > 0
    assert "sectors" not in found["x"].parts
    assert "go with yours" in found["x"].explanation


def test_excluded_and_own_actor_never_proposed() -> None:
    index = small_index()
    found = match(index, Profile(sectors=frozenset({FILM}), exclude=frozenset({"x", "y"})), top=10)
    assert not {"x", "y"} & {m.iri for m in found}


def test_ranking_is_deterministic_and_ties_go_by_label() -> None:
    index = small_index()
    runs = [
        [(m.iri, m.score) for m in match(index, Profile(sectors=frozenset({FILM})), top=10)] for _ in range(3)
    ]
    assert runs[0] == runs[1] == runs[2]
    found = match(index, Profile(sectors=frozenset({FILM})), top=10)
    for a, b in itertools.pairwise(found):
        assert (-a.score, a.label) <= (-b.score, b.label)


def test_score_is_the_weighted_sum_of_its_parts() -> None:
    for m in match(small_index(), Profile(kind="organisation", sectors=frozenset({FILM, MUSIC})), top=10):
        assert m.score == pytest.approx(sum(WEIGHTS[k] * v for k, v in m.parts.items()), abs=1e-5)


def test_hiding_an_actor_removes_its_partnerships_only() -> None:
    index = small_index()
    view = index.hide(actor="x")
    assert view.features["x"].partners == frozenset()
    assert "x" not in view.features["y"].partners
    assert view.features["y"].facet("sectors")[FILM] == 1.0  # a1 now has y alone
    assert index.features["y"].facet("sectors")[FILM] == pytest.approx(2**-0.5)  # the index is untouched
    strict = index.hide(["a2"])
    assert "a2" not in strict.members
    assert not strict.holders["sectors"][MUSIC]  # only the festival carried music
    assert strict.features["z"].partners == frozenset() and set(strict.holders["sectors"][FILM]) == {"x", "y"}


def test_regions_come_from_regional_activities_of_countries() -> None:
    acts = {"r": Activity("r", "Regional programme", modalities={REGIONAL}), "b": Activity("b", "Bilateral")}
    parts = [("r", "c1", "g"), ("r", "c2", "g"), ("r", "agency", "g"), ("b", "c1", "g"), ("b", "c3", "g")]
    actors = {c: Actor(c, c.upper(), "country") for c in ("c1", "c2", "c3")}
    actors["agency"] = Actor("agency", "Agency", "organisation")
    index = MatchIndex(Facts(parts, acts, actors, [], {}))
    index.countries_of.update({"c1": {"c1"}, "c2": {"c2"}, "c3": {"c3"}})
    assert index._regions(index.members) == {"c1": {"c2"}, "c2": {"c1"}}


def test_words() -> None:
    assert tokens("Las Cuentas Satélite de Cultura") == ["cuenta", "satelite", "cultura"]
    index = TextIndex({"a": bag(["culture satellite account"]), "b": bag(["film festival"])})
    found = index.query(bag(["satellite accounts"]))
    assert set(found) == {"a"} and 0 < found["a"] <= 1


# -- the project data ------------------------------------------------------------------------

IBERMEDIA_PARTICIPANTS = """
PREFIX cg: <https://w3id.org/coopgraph/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?actor WHERE {
  { <https://w3id.org/coopgraph/id/programme/ibermedia> ?p ?actor . ?p rdfs:subPropertyOf* cg:hasParticipant }
  UNION { <https://w3id.org/coopgraph/id/programme/ibermedia> cg:hasParticipation/cg:agent ?actor }
  ?actor a/rdfs:subClassOf* cg:Agent .
}
"""


def test_audiovisual_and_article_14_newcomer_meets_ibermedia_participants(
    project_store: EmbeddedStore, catalogue: QueryCatalogue
) -> None:
    expected = {row["actor"].value for row in project_store.select(IBERMEDIA_PARTICIPANTS)}
    assert expected  # the data holds IBERMEDIA's participants
    index = match_index(project_store, catalogue)
    profile = Profile(
        kind="organisation",
        sectors=frozenset({str(resource_iri("cultural-sector", "audiovisual"))}),
        articles=frozenset({str(resource_iri("article", "14"))}),
    )
    found = {m.iri: m for m in match(index, profile, top=10)}
    assert expected <= set(found)
    for iri in expected:
        m = found[iri]
        assert "Audiovisual and film (IBERMEDIA" in m.explanation
        assert str(resource_iri("programme", "ibermedia")) in {e["iri"] for e in m.evidence}


def test_japan_request_is_answered_by_the_satellite_account_offer(
    project_store: EmbeddedStore, catalogue: QueryCatalogue
) -> None:
    index = match_index(project_store, catalogue)
    result = match_request(index, str(resource_iri("request", "japan-satellite-account-orange-economy")))
    first = result["matches"][0]
    assert first["iri"] == str(resource_iri("offer", "colombia-dominican-republic-culture-satellite-account"))
    assert first["parts"]["sectors"] > 0 and first["parts"]["words"] > 0
    requester_country = str(resource_iri("party", "japan"))
    assert all(requester_country != m["agent"] for m in result["matches"])


def test_profile_of_an_actor_uses_its_own_attributes(
    project_store: EmbeddedStore, catalogue: QueryCatalogue
) -> None:
    index = match_index(project_store, catalogue)
    mexico = str(resource_iri("party", "mexico"))
    profile = profile_of(index, mexico)
    assert profile.kind == "country" and profile.country == mexico
    assert str(resource_iri("cultural-sector", "audiovisual")) in profile.sectors
    assert profile.exclude == frozenset({mexico})
