"""The parts of the score of every actor for a profile (what :mod:`coopgraph.matching.scoring`
weighs with :data:`WEIGHTS`).

For a :class:`~coopgraph.matching.profile.Profile` and every actor ``v`` of the
:class:`~coopgraph.matching.index.MatchIndex`, each part is a number between 0 and 1:

``sectors``, ``articles``, ``modalities``
    Shared values: the profile's values ``v``'s activities also carry, each counted by its
    rarity among actors (``log(1 + n / holders)``) times its strength for ``v`` (``1 /
    sqrt(participants)`` of the smallest activity of ``v`` that carries it), over the
    profile's total.
``sectors-complementary`` (and for articles, modalities)
    For an actor that shares none of the profile's values: values ``v`` works on that go with
    them on the same activities of the graph (Audiovisual with Music on a festival), counted
    the same way.
``worked-with-country``, ``same-country``, ``same-region``
    ``v`` has worked with the profile's country or one of its actors (``1 / sqrt(participants)``
    of the smallest activity they share); ``v`` is in that
    country; ``v`` is in a country that takes part with it in regional activities (the graph's
    regions: see :mod:`coopgraph.matching.index`).
``neighbours``, ``brokerage``, ``reach``
    Network position among the newcomer's likely neighbours (the :data:`LIKELY` actors best
    matched on the content parts, weighed with :data:`WEIGHTS`): how many of them ``v`` has
    worked with, how many pairs of them ``v`` links that have not worked together (``v`` as a
    broker between them), and ``v``'s number of partners relative to the best connected (log
    scale: its popularity).
``kind``
    How often actors of the profile's kind work with actors of ``v``'s kind in the graph.
``words``
    TF-IDF cosine of the profile's ``seeks`` with the words of ``v``'s activities and offers,
    and of its ``offers`` with the words of ``v``'s requests (where both exist).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from coopgraph.matching.index import FACETS, MatchIndex
from coopgraph.matching.profile import Profile
from coopgraph.matching.text import bag

WEIGHTS: dict[str, float] = {
    "sectors": 1.0,
    "articles": 1.0,
    "modalities": 0.5,
    "sectors-complementary": 0.3,
    "articles-complementary": 0.3,
    "modalities-complementary": 0.15,
    "worked-with-country": 0.6,
    "same-country": 0.4,
    "same-region": 0.3,
    "neighbours": 0.4,
    "brokerage": 0.4,
    "reach": 0.4,
    "kind": 0.3,
    "words": 1.0,
}
"""The weight of each part of the score, set by hand: what matching ranks with (the leave-one-out
measures them better than weights fitted on the graph, :mod:`coopgraph.matching.weights`) and
what chooses the likely neighbours."""

CONTENT_PARTS = (
    *FACETS,
    *(f"{f}-complementary" for f in FACETS),
    "worked-with-country",
    "same-country",
    "same-region",
    "words",
)
"""The parts that say what a candidate does and where; the likely neighbours are chosen on them."""

LIKELY = 20
"""How many best-matched actors count as the newcomer's likely neighbours."""


Parts = dict[str, np.ndarray]
"""Each part of the score for every actor, by position (:attr:`MatchIndex.order`)."""


def _dense(index: MatchIndex, values: Mapping[str, float]) -> np.ndarray:
    out = np.zeros(len(index.order))
    position = index.position
    for actor, value in values.items():
        if actor in position:
            out[position[actor]] = value
    return out


def _facet_parts(index: MatchIndex, profile: Profile, parts: Parts) -> None:
    n = len(index.order)
    for facet in FACETS:
        wanted = profile.values(facet)
        if not wanted:
            continue
        total = sum(index.idf(facet, v) for v in wanted)
        shared = np.zeros(n)
        for value in wanted:
            ids, strengths = index.holder_array(facet, value)
            shared[ids] += index.idf(facet, value) / total * strengths
        parts[facet] = shared
        complements: set[str] = set()
        for value in wanted:
            complements |= index.complements[facet].get(value, set())
        complements -= wanted
        if complements:
            comp_total = sum(index.idf(facet, v) for v in complements)
            comp = np.zeros(n)
            for value in complements:
                ids, strengths = index.holder_array(facet, value)
                comp[ids] += index.idf(facet, value) / comp_total * strengths
            # only for actors that share none of the values themselves
            parts[f"{facet}-complementary"] = np.where(shared > 0, 0.0, np.minimum(comp, 1.0))


def _geography_parts(
    index: MatchIndex,
    profile: Profile,
    ties: Mapping[str, tuple[float, set[str], str]],
    parts: Parts,
) -> None:
    country = profile.country
    if not country:
        return
    parts["worked-with-country"] = _dense(index, {v: tie for v, (tie, _, _) in ties.items()})
    parts["same-country"] = _dense(
        index, {v: 1.0 for v in index.in_country.get(country, set()) if v != country}
    )
    region = index.regional.get(country, set())
    if region:
        parts["same-region"] = _dense(
            index,
            {
                v: 1.0
                for c in region
                for v in index.in_country.get(c, set())
                if country not in index.features[v].countries
            },
        )


def _word_parts(index: MatchIndex, profile: Profile, parts: Parts) -> None:
    scores: dict[str, float] = {}
    if profile.seeks.strip():
        scores.update(index.words.query(bag([profile.seeks])))
    if profile.offers.strip():
        for actor, value in index.requests.query(bag([profile.offers])).items():
            scores[actor] = max(scores.get(actor, 0.0), value)
    if scores:
        parts["words"] = _dense(index, scores)


def best(index: MatchIndex, values: np.ndarray, allowed: np.ndarray, count: int, by_label: bool) -> list[str]:
    """The ``count`` allowed actors of highest value (above 0), ties by label (or IRI) then IRI."""
    found = np.flatnonzero(allowed & (values > 0))
    if len(found) > count:
        # everything tied with the count-th value is kept, the ties are ordered below
        threshold = np.partition(values[found], len(found) - count)[len(found) - count]
        found = found[values[found] >= threshold - 1e-9]
    order, features = index.order, index.features
    rounded = {int(i): round(float(values[i]), 9) for i in found}

    def key(i: int) -> tuple[float, str, str]:
        iri = order[i]
        return (-rounded[i], features[iri].label if by_label else "", iri)

    return [order[i] for i in sorted(rounded, key=key)[:count]]


def _network_parts(index: MatchIndex, profile: Profile, allowed: np.ndarray, parts: Parts) -> list[str]:
    content = np.zeros(len(index.order))
    for name in CONTENT_PARTS:
        if name in parts:
            content += WEIGHTS[name] * parts[name]
    features = index.features
    likely = best(index, content, allowed, LIKELY, by_label=False)
    linked: dict[str, set[str]] = {}
    for w in likely:
        for v in features[w].partners:
            linked.setdefault(v, set()).add(w)
    if linked:
        parts["neighbours"] = _dense(index, {v: len(ws) / len(likely) for v, ws in linked.items()})
        likely_set = set(likely)
        among = {a: features[a].partners & likely_set for a in likely}
        open_pairs: dict[str, int] = {}
        for v, ws in linked.items():
            if len(ws) > 1:
                closed = sum(len(among[a] & ws) for a in ws) // 2
                open_pairs[v] = len(ws) * (len(ws) - 1) // 2 - closed
        most = max(open_pairs.values(), default=0)
        if most:
            parts["brokerage"] = _dense(index, {v: n / most for v, n in open_pairs.items() if n})
    if index.max_degree:
        parts["reach"] = index.reach()
    if profile.kind:
        parts["kind"] = index.kind_scores(profile.kind)
    return likely


@dataclass
class ScoreParts:
    """The parts of the score of every actor for one profile."""

    parts: Parts
    """Each part, by position (:attr:`MatchIndex.order`); a part no actor has is left out."""
    likely: list[str]
    """The likely neighbours the network parts were read from."""
    ties: dict[str, tuple[float, set[str], str]]
    """Actors that have worked with the profile's country: how closely, with whom, and where."""


def score_parts(index: MatchIndex, profile: Profile, allowed: np.ndarray) -> ScoreParts:
    """Every part of the score of every actor of ``index`` for ``profile``.

    Parameters
    ----------
    index
        The match index.
    profile
        Who is looking for partners.
    allowed
        By position, the actors that may be proposed (the likely neighbours are chosen among them).

    Examples
    --------
    >>> from coopgraph.network.facts import Activity, Actor, Facts
    >>> facts = Facts([("a1", "y", "g"), ("a1", "z", "g")], {"a1": Activity("a1", "Film", sectors={"s:film"})},
    ...               {i: Actor(i, i.upper(), "organisation") for i in "yz"}, [], {})
    >>> index = MatchIndex(facts)
    >>> found = score_parts(index, Profile(sectors=frozenset({"s:film"})), np.ones(2, dtype=bool))
    >>> sorted(found.parts), found.likely
    (['neighbours', 'reach', 'sectors'], ['y', 'z'])
    """
    parts: Parts = {}
    _facet_parts(index, profile, parts)
    ties = index.neighbours_in_country(profile.country) if profile.country else {}
    _geography_parts(index, profile, ties, parts)
    _word_parts(index, profile, parts)
    likely = _network_parts(index, profile, allowed, parts)
    return ScoreParts(parts, likely, ties)
