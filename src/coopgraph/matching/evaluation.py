"""Leave-one-out evaluation of matching against two baselines and a random ranking.

For every actor with at least ``min_partners`` partners: its profile is built from its own
attributes only (kind, country, the sectors and articles of its activities; see
:func:`~coopgraph.matching.scoring.profile_of`), its partnerships are hidden (its participations
removed, or with ``hide="activities"`` its activities removed altogether; see
:meth:`~coopgraph.matching.index.MatchIndex.hide`), every other actor is ranked for the profile,
and the ranks of its real partners are read. Per method:

``hit@k``
    The share of actors with at least one real partner in the first ``k``.
``recall@k``
    The mean share of an actor's real partners in the first ``k``.
``MRR``
    The mean reciprocal rank of the best-ranked real partner (0 when none is ranked).

The methods: ``matching`` (:func:`~coopgraph.matching.scoring.match` with the hand-set weights
it ranks with, :data:`~coopgraph.matching.parts.WEIGHTS`; actors it gives no score ranked after,
by label), ``matching-fitted`` (the same scoring with weights fitted on the graph,
:func:`~coopgraph.matching.weights.fit_weights`: the comparison that keeps the hand-set weights
the default), ``most-connected`` (most partners first, in the graph without the hidden
activities), ``same-country`` (actors of the profile's country first, each group by most
partners) and ``random`` (a seeded shuffle).

Fitted weights must not have seen the partnerships they are asked to find: the actors held out
are split into ``folds`` folds (a seeded shuffle), and for each fold the weights are fitted once
on the graph with every one of its actors' partnerships hidden (with ``hide="activities"``,
their activities); each of its actors is then ranked with those weights. Every method sees the
same folds, so the figures of all of them are over the same actors.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from coopgraph.matching.index import MatchIndex
from coopgraph.matching.profile import Profile
from coopgraph.matching.scoring import match, profile_of
from coopgraph.matching.weights import Weights, fit_weights

METHODS: tuple[str, ...] = ("matching", "matching-fitted", "most-connected", "same-country", "random")
FOLDS = 5
"""How many folds the actors held out are split into, the weights of ``matching-fitted`` fitted
once per fold."""


@dataclass
class Score:
    """The figures of one method."""

    method: str
    actors: int
    hit: float
    recall: float
    mrr: float


Ranker = Callable[[MatchIndex, Profile, list[str]], list[str]]


def _by_reach(view: MatchIndex, pool: Iterable[str]) -> list[str]:
    feats = view.features
    return sorted(pool, key=lambda v: (-len(feats[v].partners), feats[v].label, v))


def rank_matching(
    view: MatchIndex, profile: Profile, pool: list[str], weights: Mapping[str, float] | None = None
) -> list[str]:
    """Every actor of ``pool``, as matching ranks them for ``profile`` (with ``weights``, by
    default the hand-set ones)."""
    found = match(view, profile, top=len(pool), candidates=pool, explain=False, weights=weights)
    scored = [m.iri for m in found]
    seen = set(scored)
    rest = sorted((v for v in pool if v not in seen), key=lambda v: (view.features[v].label, v))
    return scored + rest


def rank_most_connected(view: MatchIndex, profile: Profile, pool: list[str]) -> list[str]:
    """Every actor of ``pool``, most partners first."""
    return _by_reach(view, pool)


def rank_same_country(view: MatchIndex, profile: Profile, pool: list[str]) -> list[str]:
    """Actors of the profile's country first, then the others, each by most partners."""
    home = view.in_country.get(profile.country or "", set())
    ranked = _by_reach(view, pool)
    return [v for v in ranked if v in home] + [v for v in ranked if v not in home]


def split(held: list[str], folds: int, seed: int) -> list[list[str]]:
    """``held`` in ``folds`` folds of (nearly) the same size, by a seeded shuffle, each sorted.

    >>> split(["a", "b", "c", "d", "e"], 2, 1)
    [['a', 'd', 'e'], ['b', 'c']]
    """
    order = sorted(held)
    random.Random(f"{seed}:folds").shuffle(order)
    count = max(1, min(folds, len(order)))
    return [sorted(order[i::count]) for i in range(count)] if order else []


def evaluate(
    index: MatchIndex,
    k: int = 10,
    min_partners: int = 3,
    sample: int | None = None,
    seed: int = 2005,
    methods: Iterable[str] = METHODS,
    hide: str = "partnerships",
    folds: int = FOLDS,
    fit: Callable[[MatchIndex], Weights] = fit_weights,
    fits: list[Weights] | None = None,
) -> dict[str, Score]:
    """The leave-one-out figures of each method on ``index`` (see the module documentation).

    Parameters
    ----------
    index
        The match index of the whole graph.
    k
        The cut-off of ``hit@k`` and ``recall@k``.
    min_partners
        Only actors with at least this many partners are held out.
    sample
        Hold out at most this many actors (a seeded sample), or all.
    seed
        Seed of the sample, of the folds and of the random ranking.
    methods
        Which of :data:`METHODS` to run.
    hide
        ``partnerships``: the actor's participations are removed, its activities stay with
        their other participants; ``activities``: its activities are removed altogether
        (stricter: what they say about its partners goes too).
    folds
        How many folds the actors held out are split into; the weights of ``matching-fitted``
        are fitted once per fold, on the graph with the fold's actors hidden.
    fit
        How ``matching-fitted`` fits its weights on a graph
        (:func:`~coopgraph.matching.weights.fit_weights`).
    fits
        When given, the weights fitted for each fold are appended to it.
    """
    if hide not in ("partnerships", "activities"):
        raise ValueError(f"hide is partnerships or activities, not {hide!r}")
    rng = random.Random(seed)
    held = sorted(v for v, f in index.features.items() if len(f.partners) >= min_partners)
    if sample is not None and len(held) > sample:
        held = sorted(rng.sample(held, sample))
    rankers: dict[str, Ranker] = {
        "most-connected": rank_most_connected,
        "same-country": rank_same_country,
    }
    totals = {m: [0.0, 0.0, 0.0] for m in methods}
    for fold in split(held, folds, seed):
        weights: Weights | None = None
        if "matching-fitted" in totals:
            if hide == "activities":
                gone = set().union(*(index.features[a].activities for a in fold))
                weights = fit(index.hide(gone))
            else:
                weights = fit(index.hide(actors=fold))
            if fits is not None:
                fits.append(weights)
        for actor in fold:
            truth = set(index.features[actor].partners)
            profile = profile_of(index, actor)
            if hide == "activities":
                view = index.hide(index.features[actor].activities)
            else:
                view = index.hide(actor=actor)
            pool = [v for v in view.features if v != actor]
            for method in totals:
                if method == "random":
                    ranked = sorted(pool)
                    random.Random(f"{seed}:{actor}").shuffle(ranked)
                elif method == "matching":
                    ranked = rank_matching(view, profile, pool)
                elif method == "matching-fitted":
                    ranked = rank_matching(view, profile, pool, weights.values if weights else None)
                else:
                    ranked = rankers[method](view, profile, pool)
                first = next((i for i, v in enumerate(ranked, start=1) if v in truth), None)
                top = set(ranked[:k])
                totals[method][0] += 1.0 if top & truth else 0.0
                totals[method][1] += len(top & truth) / len(truth)
                totals[method][2] += 1.0 / first if first else 0.0
    n = max(len(held), 1)
    return {
        m: Score(m, len(held), round(t[0] / n, 4), round(t[1] / n, 4), round(t[2] / n, 4))
        for m, t in totals.items()
    }
