"""The weights of the parts of the score: the hand-set ones matching ranks with, and weights
learned from the graph, which the leave-one-out measures against them.

Matching ranks with the hand-set weights (:data:`~coopgraph.matching.parts.WEIGHTS`, described
by :data:`HAND_SET`): measured by leave-one-out (:mod:`coopgraph.matching.evaluation`,
``bench/RESULTS-matching.md``) they find more real partners than weights fitted on the graph,
and they cost nothing to obtain. The fit stays as the comparison the benchmark measures
(``matching-fitted``).

How much does each part of :mod:`coopgraph.matching.parts` say about whether two actors work
together? :func:`fit_weights` asks the graph: a logistic regression on pairs of actors, the
partnerships of the graph as positives and pairs that never worked together as negatives, whose
features are the parts of the score. For each of up to :data:`ANCHORS` actors with a partner (a
seeded sample, taken from the sorted actors):

* its profile is built from its own attributes (:func:`~coopgraph.matching.profile.profile_of`:
  kind, country, the sectors and articles of its activities) and its partnerships are hidden
  (:meth:`~coopgraph.matching.index.MatchIndex.hide`), as for a newcomer;
* the parts of the score of every other actor are computed on that view;
* up to :data:`POSITIVES` of its partners are positives, :data:`NEGATIVES` times as many actors
  drawn among those it never worked with are negatives.

The fit minimises the mean logistic loss with a small L2 penalty (:data:`PENALTY`), each weight
kept at zero or above (a part adds to the score or counts for nothing: the explanation names
the parts a match has, never one that counts against it). The popularity of the candidate is
the part ``reach`` (its number of partners on a log scale). Parts that no pair shows (words and
modalities: profiles made from an actor's attributes carry neither) keep their prior weight
(:data:`~coopgraph.matching.parts.WEIGHTS`) scaled as much as the learned parts are on the whole.

Below :data:`MIN_POSITIVES` positive pairs the graph is too small to learn from: the prior
weights are returned and :attr:`Weights.note` says so. Everything is deterministic: sorted
inputs, a fixed seed, and the same optimiser steps.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import minimize

from coopgraph.matching.index import MatchIndex
from coopgraph.matching.parts import WEIGHTS, score_parts
from coopgraph.matching.profile import profile_of

PART_NAMES: tuple[str, ...] = tuple(WEIGHTS)
"""The parts, in the order of the columns of the training pairs."""
ANCHORS = 200
"""The most actors whose partnerships the pairs are drawn from."""
POSITIVES = 40
"""The most partners of one actor taken as positives (a hub does not outweigh the others)."""
NEGATIVES = 5
"""Negative pairs per positive pair of an actor."""
MIN_POSITIVES = 100
"""Below this many positive pairs the prior weights are used."""
PENALTY = 1e-3
"""The L2 penalty of the logistic regression."""
SEED = 2005
"""The seed of the sample of actors and of negative pairs."""


@dataclass(frozen=True)
class Weights:
    """The weight of each part of the score, and where they come from."""

    values: dict[str, float]
    source: str
    """``prior`` (set by hand: :data:`~coopgraph.matching.parts.WEIGHTS`) or ``fitted`` (learned
    from the graph by :func:`fit_weights`)."""
    positives: int = 0
    negatives: int = 0
    anchors: int = 0
    learned: tuple[str, ...] = ()
    """The parts whose weight the pairs taught (the others are scaled prior weights)."""
    note: str = ""
    intercept: float = 0.0
    loss: float = field(default=0.0, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The weights and where they come from, as JSON (the ``weights`` of a match answer); the
        pairs they were learned from when they were fitted.

        >>> sorted(HAND_SET.to_dict())
        ['note', 'source', 'values']
        """
        out: dict[str, Any] = {"source": self.source, "note": self.note}
        if self.source == "fitted":
            out |= {
                "positives": self.positives,
                "negatives": self.negatives,
                "actors": self.anchors,
                "learned": list(self.learned),
            }
        out["values"] = dict(self.values)
        return out


def prior_weights(note: str, positives: int = 0, negatives: int = 0, anchors: int = 0) -> Weights:
    """The hand-set weights (:data:`~coopgraph.matching.parts.WEIGHTS`), with why they are used.

    >>> prior_weights("no graph").values == WEIGHTS
    True
    """
    return Weights(dict(WEIGHTS), "prior", positives, negatives, anchors, (), note)


HAND_SET = prior_weights(
    "set by hand (matching.parts.WEIGHTS): in the leave-one-out they find more real partners "
    "than weights fitted on the graph"
)
"""The weights matching ranks with, and the note every match answer gives about them."""


def training_pairs(
    index: MatchIndex,
    anchors: int = ANCHORS,
    positives: int = POSITIVES,
    negatives: int = NEGATIVES,
    seed: int = SEED,
) -> tuple[np.ndarray, np.ndarray, int]:
    """The pairs the weights are fitted on: a row of parts (columns :data:`PART_NAMES`) per pair,
    1 for a partnership and 0 for a pair that never worked together, and how many actors they
    come from (see the module documentation)."""
    rng = random.Random(seed)
    connected = sorted(v for v, f in index.features.items() if f.partners)
    chosen = sorted(rng.sample(connected, anchors)) if len(connected) > anchors else connected
    n = len(index.order)
    rows: list[np.ndarray] = []
    labels: list[np.ndarray] = []
    for actor in chosen:
        partners = sorted(index.features[actor].partners & index.position.keys())
        if len(partners) > positives:
            partners = sorted(rng.sample(partners, positives))
        known = {index.position[v] for v in index.features[actor].partners if v in index.position}
        known.add(index.position[actor])
        wanted = min(negatives * len(partners), n - len(known))
        others: set[int] = set()
        while len(others) < wanted:
            drawn = rng.randrange(n)
            if drawn not in known:
                others.add(drawn)
        picked = [index.position[v] for v in partners] + sorted(others)
        view = index.hide(actor=actor)
        allowed = np.ones(n, dtype=bool)
        allowed[index.position[actor]] = False
        parts = score_parts(view, profile_of(index, actor), allowed).parts
        block = np.zeros((len(picked), len(PART_NAMES)))
        for j, name in enumerate(PART_NAMES):
            if name in parts:
                block[:, j] = parts[name][picked]
        rows.append(block)
        labels.append(np.r_[np.ones(len(partners)), np.zeros(len(others))])
    if not rows:
        return np.zeros((0, len(PART_NAMES))), np.zeros(0), 0
    return np.vstack(rows), np.concatenate(labels), len(chosen)


def logistic(x: np.ndarray, y: np.ndarray, penalty: float = PENALTY) -> tuple[np.ndarray, float, float]:
    """The coefficients (each at least 0), the intercept and the mean loss of a logistic
    regression of ``y`` (0 or 1) on the columns of ``x``, with an L2 penalty on the coefficients.

    Examples
    --------
    >>> x = np.array([[0.0], [0.2], [0.8], [1.0]] * 5)
    >>> y = np.array([0, 0, 1, 1] * 5)
    >>> coef, intercept, loss = logistic(x, y)
    >>> bool(coef[0] > 1 and intercept < 0)
    True
    """
    n, k = x.shape
    sign = 2 * y - 1

    def loss_and_gradient(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:k], theta[k]
        margin = sign * (x @ w + b)
        loss = np.logaddexp(0.0, -margin).mean() + penalty / 2 * float(w @ w)
        # d loss / d margin = -sigmoid(-margin), written to stay finite for large margins
        slope = -np.exp(-np.logaddexp(0.0, margin)) * sign / n
        return float(loss), np.r_[x.T @ slope + penalty * w, slope.sum()]

    found = minimize(
        loss_and_gradient,
        np.zeros(k + 1),
        jac=True,
        method="L-BFGS-B",
        bounds=[(0.0, None)] * k + [(None, None)],
        options={"maxiter": 500},
    )
    theta = found.x
    return theta[:k], float(theta[k]), float(found.fun)


def fit_weights(
    index: MatchIndex,
    anchors: int = ANCHORS,
    positives: int = POSITIVES,
    negatives: int = NEGATIVES,
    min_positives: int = MIN_POSITIVES,
    seed: int = SEED,
) -> Weights:
    """The weights of the parts learned from ``index`` (see the module documentation), or the
    prior weights when it holds fewer than ``min_positives`` positive pairs.

    Examples
    --------
    Two actors that worked together are far too few to learn from:

    >>> from coopgraph.network.facts import Activity, Actor, Facts
    >>> facts = Facts([("a1", "y", "g"), ("a1", "z", "g")], {"a1": Activity("a1", "Film")},
    ...               {i: Actor(i, i.upper(), "organisation") for i in "yz"}, [], {})
    >>> found = fit_weights(MatchIndex(facts))
    >>> found.source, found.positives, found.note
    ('prior', 2, 'too few partnerships to learn from (2 positive pairs, fewer than 100): the prior weights')
    """
    x, y, used = training_pairs(index, anchors, positives, negatives, seed)
    count, others = int(y.sum()), int(len(y) - y.sum())
    if count < min_positives:
        return prior_weights(
            f"too few partnerships to learn from ({count} positive pairs, fewer than {min_positives}): "
            "the prior weights",
            count,
            others,
            used,
        )
    shown = [j for j in range(x.shape[1]) if np.any(x[:, j])]
    coef, intercept, loss = logistic(x[:, shown], y)
    learned = {PART_NAMES[j]: float(c) for j, c in zip(shown, coef, strict=True)}
    prior_total = sum(WEIGHTS[name] for name in learned)
    scale = sum(learned.values()) / prior_total if prior_total else 0.0
    if scale <= 0:
        return prior_weights(
            "no part tells partners from other actors: the prior weights", count, others, used
        )
    values = {
        name: round(learned[name] if name in learned else WEIGHTS[name] * scale, 6) for name in PART_NAMES
    }
    return Weights(
        values,
        "fitted",
        count,
        others,
        used,
        tuple(name for name in PART_NAMES if name in learned),
        f"learned from {count} partnerships and {others} pairs that never worked together, "
        f"among the partners of {used} actors",
        round(intercept, 6),
        round(loss, 6),
    )
