"""The weights of the parts: the hand-set ones matching ranks with, and those learned from the
graph for the leave-one-out comparison (fitted on partnerships against pairs that never worked
together, deterministic, the prior weights on a graph too small to learn from)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from coopgraph.matching import HAND_SET, WEIGHTS, MatchIndex, Profile, fit_weights, match
from coopgraph.matching.weights import MIN_POSITIVES, PART_NAMES, logistic, training_pairs
from coopgraph.network.facts import Activity, Actor, Facts


def clustered(shuffle: int | None = None) -> Facts:
    """Ten groups of six organisations, each group with its own sector; each of its eight
    two- or three-party activities draws from the group, one in five from anyone. With
    ``shuffle``, the same facts in another order."""
    rng = random.Random(5)
    actors = {
        f"g{g}-{i}": Actor(f"g{g}-{i}", f"Actor {g}-{i}", "organisation") for g in range(10) for i in range(6)
    }
    everyone = sorted(actors)
    acts: dict[str, Activity] = {}
    parts: list[tuple[str, str, str]] = []
    for g in range(10):
        group = [f"g{g}-{i}" for i in range(6)]
        for j in range(8):
            iri = f"act-{g}-{j}"
            acts[iri] = Activity(iri, f"Activity {g}-{j}", sectors={f"sector-{g}"})
            members = rng.sample(group, rng.choice([2, 3]))
            if rng.random() < 0.2:
                members[-1] = rng.choice(everyone)
            parts += [(iri, m, "g") for m in set(members)]
    parts = sorted(set(parts))
    if shuffle is not None:
        random.Random(shuffle).shuffle(parts)
        acts = dict(sorted(acts.items(), reverse=True))
        actors = dict(sorted(actors.items(), reverse=True))
    return Facts(parts, acts, actors, [], {})


def tiny() -> MatchIndex:
    """Two film makers and a musician: two partnerships, far too few to learn from."""
    acts = {
        "a1": Activity("a1", "Film", sectors={"s:film"}),
        "a2": Activity("a2", "Song", sectors={"s:music"}),
    }
    parts = [("a1", "x", "g"), ("a1", "y", "g"), ("a2", "z", "g")]
    return MatchIndex(Facts(parts, acts, {i: Actor(i, i.upper(), "organisation") for i in "xyz"}, [], {}))


def test_pairs_show_partnerships_and_strangers() -> None:
    index = MatchIndex(clustered())
    x, y, anchors = training_pairs(index)
    # the data: one row of parts per pair, partners (1) and pairs that never worked together (0)
    assert x.shape == (len(y), len(PART_NAMES)) and anchors == len(index.features)
    assert set(y.tolist()) == {0.0, 1.0}
    sectors = PART_NAMES.index("sectors")
    # partners share their group's sector far more often than strangers do
    assert x[y == 1, sectors].mean() > 2 * x[y == 0, sectors].mean()


def test_fitted_weights_are_learned_and_deterministic() -> None:
    first = fit_weights(MatchIndex(clustered()))
    assert first.source == "fitted" and first.positives >= MIN_POSITIVES
    assert first.negatives == 5 * first.positives  # five strangers per partner
    assert set(first.values) == set(WEIGHTS) and all(v >= 0 for v in first.values.values())
    assert first.values != WEIGHTS
    assert first.values["sectors"] > 0  # the one thing the groups share
    # the same graph, read in another order, gives the same weights to the last digit
    again = fit_weights(MatchIndex(clustered(shuffle=3)))
    assert again.values == first.values and again.positives == first.positives
    assert fit_weights(MatchIndex(clustered())) == first


def test_parts_no_pair_shows_keep_their_prior_share() -> None:
    found = fit_weights(MatchIndex(clustered()))
    # profiles made from an actor's attributes carry no words and no modalities
    assert "words" not in found.learned and "modalities" not in found.learned
    scale = sum(found.values[n] for n in found.learned) / sum(WEIGHTS[n] for n in found.learned)
    assert found.values["words"] == pytest.approx(WEIGHTS["words"] * scale, abs=1e-5)


def test_tiny_graph_falls_back_to_the_prior_weights_and_says_so() -> None:
    found = fit_weights(tiny())
    assert found.source == "prior" and found.values == WEIGHTS
    assert found.positives == 2 and "too few partnerships" in found.note
    assert found.to_dict()["source"] == "prior"


def test_matching_ranks_with_the_hand_set_weights_even_where_a_fit_would_learn() -> None:
    index = MatchIndex(clustered())
    assert fit_weights(index).values != WEIGHTS  # a fit would change them on this graph...
    found = match(index, Profile(sectors=frozenset({"sector-3"})), top=5)
    assert found
    for m in found:  # ...but the score is the hand-set weighted sum of the parts
        assert m.score == pytest.approx(sum(WEIGHTS[k] * v for k, v in m.parts.items()), abs=1e-5)
    assert HAND_SET.values == WEIGHTS and HAND_SET.source == "prior"
    # what an answer says about them: where they come from, why, and the values, no pairs counted
    shown = HAND_SET.to_dict()
    assert shown == {"source": "prior", "note": HAND_SET.note, "values": WEIGHTS}
    assert "set by hand" in shown["note"] and "fitted" in shown["note"]


def test_fitted_weights_say_what_they_were_learned_from() -> None:
    shown = fit_weights(MatchIndex(clustered())).to_dict()
    assert shown["source"] == "fitted" and shown["positives"] >= MIN_POSITIVES
    assert shown["negatives"] == 5 * shown["positives"] and "sectors" in shown["learned"]


def test_logistic_regression_finds_the_predictive_column() -> None:
    rng = random.Random(1)
    rows = [[rng.random(), rng.random()] for _ in range(400)]
    x = np.array(rows)
    y = (x[:, 0] + 0.1 * x[:, 1] > 0.6).astype(float)
    coef, intercept, loss = logistic(x, y)
    assert coef[0] > 5 * max(coef[1], 0.01) and intercept < 0 and loss < 0.5
