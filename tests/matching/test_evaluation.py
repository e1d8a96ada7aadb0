"""The leave-one-out evaluation runs and its figures are consistent; on a graph with planted
structure (partners share country and sector), matching beats a random ranking and both baselines."""

from __future__ import annotations

import random

import pytest

from coopgraph.matching import MatchIndex
from coopgraph.matching.evaluation import METHODS, evaluate, split
from coopgraph.matching.weights import Weights, fit_weights
from coopgraph.network.facts import Activity, Actor, Facts


def planted(
    groups: int = 8, size: int = 6, activities: int = 5, noise: float = 0.1, seed: int = 7
) -> MatchIndex:
    """``groups`` groups of actors; each group has its country and sector, and its activities
    draw their 2-3 participants within the group (with probability ``1 - noise``)."""
    rng = random.Random(seed)
    actors = {
        f"g{g}-{i}": Actor(f"g{g}-{i}", f"Actor {g}-{i}", "organisation")
        for g in range(groups)
        for i in range(size)
    }
    everyone = sorted(actors)
    acts: dict[str, Activity] = {}
    parts: list[tuple[str, str, str]] = []
    for g in range(groups):
        group = [f"g{g}-{i}" for i in range(size)]
        for j in range(activities):
            iri = f"act-{g}-{j}"
            acts[iri] = Activity(
                iri, f"Activity {g}-{j}", sectors={f"sector-{g}"}, articles={f"article-{g % 3}"}
            )
            members = rng.sample(group, rng.choice([2, 3]))
            if rng.random() < noise:
                members[-1] = rng.choice(everyone)
            parts += [(iri, m, "g") for m in set(members)]
    # a few hubs that take part in everything's periphery, so "most connected" is a real baseline
    for h in range(3):
        hub = f"hub-{h}"
        actors[hub] = Actor(hub, f"Hub {h}", "organisation")
        for g in range(groups):
            iri = f"hub-act-{h}-{g}"
            acts[iri] = Activity(iri, f"Hub activity {h}-{g}", sectors={"sector-hub"})
            parts += [
                (iri, hub, "g"),
                (iri, rng.choice(sorted(a for a in actors if a.startswith(f"g{g}-"))), "g"),
            ]
    index = MatchIndex(Facts(sorted(set(parts)), acts, actors, [], {}))
    # countries by group (what the country facet of match-actors would give)
    for iri in actors:
        if iri.startswith("g"):
            index.countries_of[iri] = {f"country-{iri.split('-')[0]}"}
    return _with_countries(index)


def _with_countries(index: MatchIndex) -> MatchIndex:
    from dataclasses import replace

    for iri, feats in index.features.items():
        countries = frozenset(index.countries_of.get(iri, set()))
        index.features[iri] = replace(feats, countries=countries)
        for c in countries:
            index.in_country[c].add(iri)
    return index


def test_figures_are_consistent_on_a_planted_graph() -> None:
    scores = evaluate(planted())
    assert set(scores) == set(METHODS)
    n = scores["matching"].actors
    assert n > 0 and all(s.actors == n for s in scores.values())
    for s in scores.values():
        assert 0.0 <= s.recall <= s.hit <= 1.0
        assert 0.0 <= s.mrr <= 1.0
        assert s.mrr <= s.hit or s.mrr > 0  # an actor with a hit in the top 10 has reciprocal rank >= 0.1
    for method in ("matching", "matching-fitted"):
        assert scores[method].hit > scores["random"].hit
        assert scores[method].mrr > scores["random"].mrr
        assert scores[method].hit >= scores["most-connected"].hit


def test_hand_set_matching_fits_nothing() -> None:
    def no_fit(view: MatchIndex) -> Weights:
        raise AssertionError("matching with the hand-set weights fitted weights")

    scores = evaluate(planted(), methods=("matching", "most-connected"), fit=no_fit)
    assert set(scores) == {"matching", "most-connected"} and scores["matching"].actors > 0


def test_evaluation_is_deterministic_and_samples() -> None:
    index = planted()
    assert evaluate(index) == evaluate(index)
    sampled = evaluate(index, sample=5)
    assert sampled["matching"].actors == 5


def test_hide_modes() -> None:
    index = planted()
    strict = evaluate(index, hide="activities")
    assert strict["matching"].actors == evaluate(index)["matching"].actors
    with pytest.raises(ValueError, match="hide"):
        evaluate(index, hide="nothing")


def test_weights_are_fitted_without_the_held_out_partnerships() -> None:
    index = planted(groups=12, activities=8)
    held = sorted(v for v, f in index.features.items() if len(f.partners) >= 3)
    folds = split(held, 4, 2005)
    seen: list[MatchIndex] = []

    def recording_fit(view: MatchIndex) -> Weights:
        seen.append(view)
        return fit_weights(view)

    fits: list[Weights] = []
    evaluate(index, folds=4, fit=recording_fit, fits=fits)
    assert len(seen) == len(fits) == 4 and sorted(a for fold in folds for a in fold) == held
    assert all(w.source == "fitted" for w in fits)
    for fold, view in zip(folds, seen, strict=True):
        for actor in fold:
            assert index.features[actor].partners  # in the whole graph it has partners to find...
            # ...which the weights ranking it were fitted without, either way round
            assert not view.features[actor].partners
            assert not any(actor in f.partners for f in view.features.values())
        # the other actors keep their partnerships for the weights to learn from
        kept = [
            a
            for a in index.features
            if a not in fold and all(p not in fold for p in index.features[a].partners)
        ]
        assert all(view.features[a].partners == index.features[a].partners for a in kept)
