"""Partners for a profile: the score and the ranking.

For a :class:`~coopgraph.matching.profile.Profile` and every actor ``v`` of the
:class:`~coopgraph.matching.index.MatchIndex` (except those excluded), the score is a weighted
sum of the parts of :mod:`coopgraph.matching.parts` (shared and complementary sectors, articles
and modalities, geography, network position and popularity, kinds, words). The weights are
the hand-set ones (:data:`~coopgraph.matching.parts.WEIGHTS`): the leave-one-out measures them
better than weights fitted on the graph (:mod:`coopgraph.matching.weights`). The weights decide
the order; the explanation says in words which parts a match has.

Matches come best first, ties by label then IRI (deterministic), each with its parts, an
explanation in words (English, Spanish or French: :mod:`coopgraph.matching.explain`) and the
evidence it rests on.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from coopgraph.matching.explain import Explanation, language_of
from coopgraph.matching.index import FACETS, Features, MatchIndex
from coopgraph.matching.parts import CONTENT_PARTS, WEIGHTS, best, score_parts
from coopgraph.matching.profile import Profile, profile_of
from coopgraph.matching.text import bag

__all__ = ["CONTENT_PARTS", "WEIGHTS", "Match", "jaccard", "match", "profile_of"]


@dataclass
class Match:
    """One proposed partner."""

    iri: str
    label: str
    kind: str
    score: float
    rank: int
    explanation: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    parts: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The match as JSON."""
        return asdict(self)


def jaccard(a: set[str] | frozenset[str], b: set[str] | frozenset[str]) -> float:
    """``|a & b| / |a | b|`` (0 for two empty sets).

    >>> jaccard({"x", "y"}, {"y", "z"})
    0.3333333333333333
    """
    return len(a & b) / len(a | b) if a | b else 0.0


def match(
    index: MatchIndex,
    profile: Profile,
    top: int = 10,
    candidates: Iterable[str] | None = None,
    explain: bool = True,
    languages: Sequence[str] = ("en",),
    weights: Mapping[str, float] | None = None,
) -> list[Match]:
    """The best partners for ``profile`` among the actors of ``index``, best first.

    Parameters
    ----------
    index
        The match index (see :func:`coopgraph.matching.index.match_index`).
    profile
        Who is looking for partners.
    top
        The most matches returned.
    candidates
        Only these actors (default: every actor of the index).
    explain
        Build explanations and evidence (the evaluation turns them off).
    languages
        The languages of the labels and of the explanations, best first (English, Spanish or
        French; English when none of them).
    weights
        The weight of each part (default: the hand-set :data:`~coopgraph.matching.parts.WEIGHTS`).

    Examples
    --------
    ``y`` and ``z`` work on film, ``w`` on music; ``z`` is also a partner of ``y``:

    >>> from coopgraph.network.facts import Activity, Actor, Facts
    >>> facts = Facts(
    ...     [("a1", "y", "g"), ("a1", "z", "g"), ("a2", "w", "g"), ("a2", "x", "g")],
    ...     {"a1": Activity("a1", "Film One", sectors={"s:film"}),
    ...      "a2": Activity("a2", "Song Two", sectors={"s:music"})},
    ...     {i: Actor(i, i.upper(), "organisation") for i in "wxyz"}, [], {"s:film": "Film"})
    >>> found = match(MatchIndex(facts), Profile(sectors=frozenset({"s:film"})), top=2)
    >>> [(m.iri, m.rank) for m in found]
    [('y', 1), ('z', 2)]
    >>> found[0].explanation
    'works on Film (Film One); has worked with 1 of the likely partners (Z)'
    >>> match(MatchIndex(facts), Profile(sectors=frozenset({"s:film"})), top=1, languages=["es"])[0].explanation
    'trabaja en Film (Film One); ha trabajado con 1 de los socios probables (Z)'
    """
    position = index.position
    if candidates is None:
        allowed = np.ones(len(index.order), dtype=bool)
    else:
        allowed = np.zeros(len(index.order), dtype=bool)
        allowed[[position[v] for v in candidates if v in position]] = True
    allowed[[position[v] for v in profile.exclude if v in position]] = False
    if weights is None:
        weights = WEIGHTS
    found = score_parts(index, profile, allowed)
    parts, likely, ties = found.parts, found.likely, found.ties
    scores = np.zeros(len(index.order))
    for name, values in parts.items():
        scores += weights.get(name, 0.0) * values
    features = index.features
    out: list[Match] = []
    for rank, v in enumerate(best(index, scores, allowed, top, by_label=True), start=1):
        i = position[v]
        own = {name: round(float(values[i]), 6) for name, values in parts.items() if values[i]}
        feats = features[v]
        label = index.label(v, languages)
        match_ = Match(v, label, feats.kind, round(float(scores[i]), 6), rank, "", [], own)
        if explain:
            _explain(index, profile, feats, own, likely, ties, match_, languages)
        out.append(match_)
    return out


def _activities_with(feats: Features, facet: str, values: Iterable[str], limit: int = 2) -> list[str]:
    """The smallest activities of ``feats`` that carry one of ``values`` (the most telling evidence)."""
    found = {a for v in values for a in feats.sources.get(facet, {}).get(v, ())}
    return sorted(found)[:limit]


def _explain(
    index: MatchIndex,
    profile: Profile,
    feats: Features,
    parts: Mapping[str, float],
    likely: list[str],
    ties: Mapping[str, tuple[float, set[str], str]],
    out: Match,
    languages: Sequence[str],
) -> None:
    note = Explanation(lambda iri: index.label(iri, languages), language_of(languages))
    for facet in FACETS:
        have = set(feats.facet(facet))
        shared = profile.values(facet) & have
        if shared:
            labels = note.cite(shared, "concept", facet)
            acts = note.cite(_activities_with(feats, facet, shared), "activity", facet, limit=2)
            note.say(facet, values=note.list(labels), evidence=note.list(acts, 2))
        if parts.get(f"{facet}-complementary"):
            comp = set()
            for value in profile.values(facet):
                comp |= index.complements[facet].get(value, set())
            comp = (comp & have) - profile.values(facet)
            labels = note.cite(comp, "concept", f"{facet}-complementary")
            if labels and not shared:
                note.say(f"{facet}-complementary", values=note.list(labels))
    country = profile.country
    home = note.label(country) if country else ""
    if country and parts.get("worked-with-country"):
        _, via, shared_activity = ties.get(feats.iri, (0.0, set(), ""))
        labels = note.cite([shared_activity] if shared_activity else [], "activity", "worked-with-country")
        note.cite(via, "actor", "worked-with-country")
        if labels:
            note.say("worked-with-country", country=home, evidence=note.list(labels, 2))
        else:
            note.say("worked-with-country-alone", country=home)
    if country and parts.get("same-country"):
        note.say("same-country", country=home)
    if country and parts.get("same-region"):
        theirs = sorted(feats.countries & index.regional.get(country, set()))
        note.cite(theirs, "actor", "same-region")
        note.say("same-region", countries=note.list([note.label(c) for c in theirs]), country=home)
    neighbours = sorted(feats.partners & set(likely))
    if neighbours:
        labels = note.cite(neighbours, "actor", "neighbours")
        text = note.phrase("neighbours", count=len(neighbours), names=note.list(labels))
        if parts.get("brokerage"):
            note.say("brokerage", text=text)
        else:
            note.reasons.append(text)
    if parts.get("words"):
        query = bag([profile.seeks])
        words = index.words.shared_words(query, index.actor_words.get(feats.iri, Counter()))
        if not words and profile.offers:
            words = index.requests.shared_words(
                bag([profile.offers]), index.request_words.get(feats.iri, Counter())
            )
        if words:
            note.say("words", words=note.list([f"'{w}'" for w in words], 4))
        for p in index.proposals.values():
            if p.agent == feats.iri and set(p.words) & set(words):
                note.cite([p.iri], p.kind, "words")
    if not note.reasons and parts.get("reach"):
        note.say("reach", count=len(feats.partners))
    out.explanation = note.text()
    out.evidence = note.evidence
