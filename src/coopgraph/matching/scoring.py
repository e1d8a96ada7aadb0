"""Partners for a profile: the score, its parts, and the ranking.

For a :class:`~coopgraph.matching.profile.Profile` and every actor ``v`` of the
:class:`~coopgraph.matching.index.MatchIndex` (except those excluded), the score is a weighted
sum of parts, each between 0 and 1 (the weights are :data:`WEIGHTS`):

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
    matched on the parts above): how many of them ``v`` has worked with, how many pairs of them
    ``v`` links that have not worked together (``v`` as a broker between them), and ``v``'s
    number of partners relative to the best connected (log scale).
``kind``
    How often actors of the profile's kind work with actors of ``v``'s kind in the graph.
``words``
    TF-IDF cosine of the profile's ``seeks`` with the words of ``v``'s activities and offers,
    and of its ``offers`` with the words of ``v``'s requests (where both exist).

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
"""The weight of each part of the score."""

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


def profile_of(index: MatchIndex, actor: str) -> Profile:
    """The profile of an actor of the graph from its own attributes: kind, country, and the
    sectors and articles of its activities (what the leave-one-out evaluation uses).

    Examples
    --------
    >>> from coopgraph.network.facts import Facts
    >>> profile_of(MatchIndex(Facts([], {}, {}, [], {})), "x")
    Profile(kind=None, country=None, sectors=frozenset(), articles=frozenset(), modalities=frozenset(), offers='', seeks='', exclude=frozenset({'x'}))
    """
    feats = index.features.get(actor)
    if feats is None:
        return Profile(exclude=frozenset({actor}))
    countries = sorted(feats.countries - {actor})
    return Profile(
        kind=feats.kind if feats.kind != "agent" else None,
        country=countries[0] if countries else (actor if feats.kind == "country" else None),
        sectors=frozenset(feats.facet("sectors")),
        articles=frozenset(feats.facet("articles")),
        exclude=frozenset({actor}),
    )


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


def _best(
    index: MatchIndex, values: np.ndarray, allowed: np.ndarray, count: int, by_label: bool
) -> list[str]:
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
    likely = _best(index, content, allowed, LIKELY, by_label=False)
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


def match(
    index: MatchIndex,
    profile: Profile,
    top: int = 10,
    candidates: Iterable[str] | None = None,
    explain: bool = True,
    languages: Sequence[str] = ("en",),
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
    parts: Parts = {}
    _facet_parts(index, profile, parts)
    ties = index.neighbours_in_country(profile.country) if profile.country else {}
    _geography_parts(index, profile, ties, parts)
    _word_parts(index, profile, parts)
    likely = _network_parts(index, profile, allowed, parts)
    scores = np.zeros(len(index.order))
    for name, values in parts.items():
        scores += WEIGHTS[name] * values
    features = index.features
    out: list[Match] = []
    for rank, v in enumerate(_best(index, scores, allowed, top, by_label=True), start=1):
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
