"""Partner suggestions on the small graph of ``conftest.py`` and on hand-built networks."""

from __future__ import annotations

import math

import networkx as nx
import pytest

from coopgraph.errors import ParameterError
from coopgraph.network.facts import Activity, Actor, Facts, fetch_facts
from coopgraph.network.projections import co_participation, project
from coopgraph.network.suggestions import suggest_partners
from support.network_graphs import A, B, C, D, E


def test_suggestions_never_propose_a_partner_or_the_actor(small_store, small_catalogue) -> None:
    g = project(small_store, "co-participation", small_catalogue)
    facts = fetch_facts(small_store, small_catalogue)
    for actor in g:
        found = [s.iri for s in suggest_partners(g, actor, facts, top=100)]
        assert actor not in found
        assert not set(found) & set(g[actor])


def test_suggestion_for_c_names_the_shared_partners_and_activities(small_store, small_catalogue) -> None:
    g = project(small_store, "co-participation", small_catalogue)
    facts = fetch_facts(small_store, small_catalogue)
    found = suggest_partners(g, C, facts)
    # C works with A and B (Programme One); D works with A (Event One) and B (Project Two)
    assert [s.iri for s in found][:1] == [D]
    d = found[0]
    assert set(d.shared_partners) == {A, B}
    assert "both work with" in d.explanation and "Programme One" in d.explanation
    assert "Event One" in d.explanation or "Project Two" in d.explanation
    assert d.adamic_adar == pytest.approx(sum(1 / math.log(g.degree(w)) for w in (A, B)))
    assert E in [s.iri for s in found]


def test_shared_sector_and_article_alone_make_a_candidate() -> None:
    act = {
        "a1": Activity("a1", "Film One", sectors={"s:film"}, articles={"art:12"}),
        "a2": Activity("a2", "Film Two", sectors={"s:film"}, articles={"art:12"}),
    }
    facts = Facts(
        [("a1", "x", "g"), ("a1", "y", "g"), ("a2", "z", "g"), ("a2", "w", "g")],
        act,
        {i: Actor(i, i.upper(), "country") for i in "xyzw"},
        [],
        {"s:film": "Audiovisual", "art:12": "Article 12"},
    )
    found = suggest_partners(co_participation(facts), "x", facts)
    assert {s.iri for s in found} == {"z", "w"}
    assert found[0].explanation == "both take part in activities on Audiovisual; both under Article 12"
    assert found[0].adamic_adar == 0.0


def test_unknown_actor_is_a_parameter_error() -> None:
    with pytest.raises(ParameterError) as info:
        suggest_partners(nx.Graph(), "nobody", Facts([], {}, {}, [], {}))
    assert info.value.name == "actor"
