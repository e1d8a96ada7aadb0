"""What matching reads from the graph, gathered once per store version: the match index.

For every actor (an agent that takes part in at least one activity, or makes an offer or request)
the index holds its :class:`Features`: kind, countries, activities, partners, and how many of
its activities carry each cultural sector, Convention article and modality. Beside them it holds
what the scoring needs about the whole graph:

* how many actors hold each value (for the rarer-counts-more weights), and how strongly: a
  value carried by a two-party project says more about its parties than one carried by a
  programme with thirty participants;
* which values go together most often on the same activities (complementary sectors, articles,
  modalities: the :data:`COMPANIONS` most frequent companions of each value);
* which countries take part together in regional or sub-regional activities (the regions the
  graph itself shows; the reference data has no regions);
* how often actors of each kind work with actors of each kind;
* the words of each actor's activities, offers and requests (:mod:`coopgraph.matching.text`);
* the offers and requests themselves (:class:`Proposal`);
* the labels of everything in every language (:func:`coopgraph.explore.common.fetch_labels`), for
  the explanations in the reader's language.

Everything comes from the network facts (:func:`coopgraph.network.facts.fetch_facts`) and the
``queries/internal/match-*.rq`` queries, run without parameters.
"""

from __future__ import annotations

import copy
import math
import threading
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pyoxigraph as ox

from coopgraph.explore.common import fetch_labels
from coopgraph.linkeddata.labels import pick_label
from coopgraph.matching.text import TextIndex, bag
from coopgraph.namespaces import CG, resource_iri
from coopgraph.network.facts import Facts, fetch_facts
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Row, Store

FACETS: tuple[str, ...] = ("sectors", "articles", "modalities")
"""The vocabularies a profile and an actor are compared on."""

COMPANIONS = 3
"""How many values, the most frequent companions of a value, count as complementary to it."""

REGIONAL_MODALITIES: frozenset[str] = frozenset(
    str(resource_iri("modality", slug)) for slug in ("regional", "sub-regional")
)
"""Modalities whose activities tie their countries into one region."""


@dataclass
class Features:
    """What the index knows about one actor."""

    iri: str
    label: str
    kind: str
    countries: frozenset[str] = frozenset()
    activities: frozenset[str] = frozenset()
    partners: frozenset[str] = frozenset()
    values: dict[str, dict[str, float]] = field(default_factory=dict)
    sources: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    """By facet and value, the (up to two) smallest activities that carry it: the evidence."""

    def facet(self, name: str) -> dict[str, float]:
        """The values of ``name`` (``sectors``, ``articles`` or ``modalities``) the actor's
        activities carry, each with its strength: ``1 / sqrt(participants)`` of the smallest
        activity that carries it."""
        return self.values.get(name) or {}


@dataclass
class Proposal:
    """An offer or a request of cooperation."""

    iri: str
    label: str
    kind: str
    agent: str | None
    addressed: frozenset[str]
    values: dict[str, frozenset[str]]
    activities: frozenset[str]
    text: str
    words: Counter[str]


def activity_values(facts: Facts) -> dict[str, dict[str, set[str]]]:
    """The sectors, articles and modalities of each activity, by facet name.

    Examples
    --------
    >>> from coopgraph.network.facts import Activity
    >>> facts = Facts([], {"a": Activity("a", "A", sectors={"s"})}, {}, [], {})
    >>> activity_values(facts)["a"]["sectors"]
    {'s'}
    """
    return {
        iri: {"sectors": act.sectors, "articles": act.articles, "modalities": act.modalities}
        for iri, act in facts.activities.items()
    }


def actor_activities(facts: Facts) -> dict[str, set[str]]:
    """The activities each actor takes part in."""
    out: dict[str, set[str]] = defaultdict(set)
    for activity, actor, _ in facts.participations:
        out[actor].add(activity)
    return out


def _pick(labels: Iterable[ox.Literal]) -> str | None:
    best: tuple[int, str] | None = None
    for lit in labels:
        lang = (lit.language or "").lower()
        rank = 0 if lang.startswith("en") else 1 if lang == "" else 2
        if best is None or (rank, lit.value) < best:
            best = (rank, lit.value)
    return best[1] if best else None


class MatchIndex:
    """The match index of one state of the graph (see the module documentation).

    Parameters
    ----------
    facts
        The network facts.
    actor_rows
        Rows of ``match-actors`` (``resource``, ``facet``, ``value``).
    proposal_rows
        Rows of ``match-proposals`` (``proposal``, ``facet``, ``value``).
    vocabulary_rows
        Rows of ``match-vocabularies`` (``vocabulary``, ``value``, ``label``).
    """

    def __init__(
        self,
        facts: Facts,
        actor_rows: Iterable[Row] = (),
        proposal_rows: Iterable[Row] = (),
        vocabulary_rows: Iterable[Row] = (),
    ) -> None:
        self.facts = facts
        self.names: dict[str, dict[str, str]] = {}
        """Labels by IRI then language (see :func:`match_index`); labels come from the facts without them."""
        self.countries_of: dict[str, set[str]] = defaultdict(set)
        texts: dict[str, list[str]] = defaultdict(list)
        for row in actor_rows:
            iri, facet, value = row["resource"].value, row["facet"].value, row["value"]
            if facet == "country":
                self.countries_of[iri].add(value.value)
            elif facet == "text" and isinstance(value, ox.Literal):
                texts[iri].append(value.value)
        self.vocabularies: dict[str, dict[str, dict[str, str]]] = defaultdict(dict)
        for row in vocabulary_rows:
            labels = self.vocabularies[row["vocabulary"].value].setdefault(row["value"].value, {})
            label = row.get("label")
            if isinstance(label, ox.Literal):
                labels.setdefault((label.language or "").lower(), label.value)
        self.proposals = _proposals(proposal_rows)
        self.activity_values = activity_values(facts)
        self.members: dict[str, set[str]] = defaultdict(set)
        for activity, actor, _ in facts.participations:
            self.members[activity].add(actor)
        acts_of = actor_activities(facts)
        agents = set(acts_of) | {p.agent for p in self.proposals.values() if p.agent}
        self.features: dict[str, Features] = {
            iri: self._features(iri, acts_of.get(iri, set())) for iri in sorted(agents)
        }
        # by facet and value, the actors that hold it and how strongly
        self.holders: dict[str, dict[str, dict[str, float]]] = {name: defaultdict(dict) for name in FACETS}
        for iri, feats in self.features.items():
            for name in FACETS:
                for held, strength in feats.facet(name).items():
                    self.holders[name][held][iri] = strength
        self.in_country: dict[str, set[str]] = defaultdict(set)
        for iri, feats in self.features.items():
            for country in feats.countries:
                self.in_country[country].add(iri)
        self.complements = {name: _cooccurring(self.activity_values, name) for name in FACETS}
        self.regional = self._regions(self.members)
        self.kind_pairs = self._kind_pairs()
        self.kind_affinity = _affinity(self.kind_pairs)
        # the words of what each actor does (its activities), offers and requests
        actor_words: dict[str, Counter[str]] = {}
        for iri, feats in self.features.items():
            parts = list(texts.get(iri, []))
            for activity in feats.activities:
                parts.extend(texts.get(activity, []))
            words = bag(parts)
            for p in self.proposals.values():
                if p.agent == iri and p.kind == "offer":
                    words.update(p.words)
            actor_words[iri] = words
        self.actor_words = actor_words
        self.words = TextIndex(actor_words)
        request_words: dict[str, Counter[str]] = defaultdict(Counter)
        for p in self.proposals.values():
            if p.agent and p.kind == "request":
                request_words[p.agent].update(p.words)
        self.request_words = dict(request_words)
        self.requests = TextIndex(self.request_words)
        self.offer_words = TextIndex({p.iri: p.words for p in self.proposals.values() if p.kind == "offer"})
        self.max_degree = max((len(f.partners) for f in self.features.values()), default=0)
        self.order: list[str] = list(self.features)
        """The actors in a fixed order: the positions of the score arrays."""
        self.position: dict[str, int] = {iri: i for i, iri in enumerate(self.order)}
        self.degrees = np.array([len(self.features[v].partners) for v in self.order], dtype=float)
        """Each actor's number of partners, by position."""
        kinds = sorted({f.kind for f in self.features.values()})
        self.kind_names: list[str] = kinds
        self.kind_codes = np.array([kinds.index(self.features[v].kind) for v in self.order], dtype=np.int64)
        """Each actor's kind, by position, as its place in :attr:`kind_names`."""
        self._reset_arrays()

    # -- building ---------------------------------------------------------------------------
    def _features(self, iri: str, kept: set[str]) -> Features:
        facts = self.facts
        actor = facts.actors.get(iri)
        values: dict[str, dict[str, float]] = {name: {} for name in FACETS}
        sources: dict[str, dict[str, tuple[str, ...]]] = {name: {} for name in FACETS}
        partners: set[str] = set()
        for activity in sorted(kept, key=lambda a: (len(self.members.get(a, ())), a)):
            members = self.members.get(activity, set())
            # a value of a small activity says more about its participants than one of a
            # many-party umbrella programme (the smallest comes first: its strength is kept)
            strength = 1 / math.sqrt(max(len(members), 1))
            for name, found in self.activity_values.get(activity, {}).items():
                held, seen = values[name], sources[name]
                for value in found:
                    held.setdefault(value, strength)
                    if len(seen.get(value, ())) < 2:
                        seen[value] = (*seen.get(value, ()), activity)
            partners |= members
        partners.discard(iri)
        return Features(
            iri=iri,
            label=actor.label if actor else facts.label(iri),
            kind=actor.kind if actor else "agent",
            countries=frozenset(self.countries_of.get(iri, set())),
            activities=frozenset(kept),
            partners=frozenset(partners),
            values=values,
            sources=sources,
        )

    def _regions(self, members: Mapping[str, set[str]]) -> dict[str, set[str]]:
        """Countries that take part together in a regional or sub-regional activity, by country."""
        regions: dict[str, set[str]] = defaultdict(set)
        for activity, values in self.activity_values.items():
            if not values["modalities"] & REGIONAL_MODALITIES:
                continue
            # countries taking part themselves: an agency of a distant donor at a regional
            # workshop does not bring its country into the region
            actors = self.facts.actors
            countries = {
                a for a in members.get(activity, set()) if a in actors and actors[a].kind == "country"
            }
            for a, b in combinations(sorted(countries), 2):
                regions[a].add(b)
                regions[b].add(a)
        return regions

    def _kind_pairs(self) -> Counter[tuple[str, str]]:
        """How many times an actor of one kind has an actor of another as a partner."""
        pairs: Counter[tuple[str, str]] = Counter()
        for feats in self.features.values():
            for partner in feats.partners:
                other = self.features.get(partner)
                if other is not None:
                    pairs[(feats.kind, other.kind)] += 1
        return pairs

    # -- reading ----------------------------------------------------------------------------
    def label(self, iri: str, languages: Sequence[str] = ("en",)) -> str:
        """The label of any resource the index knows, in the first of ``languages`` it has."""
        named = self.names.get(iri)
        if named:
            return pick_label(named, languages) or iri
        if iri in self.features:
            return self.features[iri].label
        if iri in self.facts.activities:
            return self.facts.activities[iri].label
        for labels in self.vocabularies.values():
            if iri in labels:
                for lang in [*languages, "en", ""]:
                    if lang in labels[iri]:
                        return labels[iri][lang]
        if iri in self.proposals:
            return self.proposals[iri].label
        return self.facts.label(iri)

    def _reset_arrays(self) -> None:
        self._reach: np.ndarray | None = None
        self._kinds: dict[str, np.ndarray] = {}
        self._holder_arrays: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

    def reach(self) -> np.ndarray:
        """Each actor's number of partners on a log scale, 1 for the best connected (computed once)."""
        if self._reach is None:
            top = math.log1p(self.max_degree) if self.max_degree else 1.0
            self._reach = np.log1p(self.degrees) / top
        return self._reach

    def kind_scores(self, kind: str) -> np.ndarray:
        """For every actor, how often actors of ``kind`` work with actors of its kind (computed once)."""
        if kind not in self._kinds:
            table = np.array([self.kind_affinity.get((kind, other), 0.0) for other in self.kind_names])
            self._kinds[kind] = table[self.kind_codes] if len(table) else np.zeros(len(self.order))
        return self._kinds[kind]

    def holder_array(self, facet: str, value: str) -> tuple[np.ndarray, np.ndarray]:
        """The positions of the actors that hold ``value`` and their strengths (computed once)."""
        key = (facet, value)
        if key not in self._holder_arrays:
            held = self.holders[facet].get(value, {})
            self._holder_arrays[key] = (
                np.fromiter((self.position[a] for a in held), dtype=np.int64, count=len(held)),
                np.fromiter(held.values(), dtype=float, count=len(held)),
            )
        return self._holder_arrays[key]

    def idf(self, facet: str, value: str) -> float:
        """How rare a value is among the actors: ``log(1 + n / holders)`` (1 for an unknown one)."""
        n = max(len(self.features), 1)
        holders = len(self.holders[facet].get(value, ()))
        return math.log(1 + n / holders) if holders else math.log(1 + n)

    def neighbours_in_country(self, country: str) -> dict[str, tuple[float, set[str], str]]:
        """Actors that have worked with ``country`` or one of its actors: for each, how closely
        (``1 / sqrt(participants)`` of the smallest shared activity), with whom, and that
        activity."""
        out: dict[str, tuple[float, set[str], str]] = {}
        home = self.in_country.get(country, set()) | ({country} if country in self.features else set())
        for member in sorted(home):
            for activity in self.features[member].activities:
                together = self.members.get(activity, set())
                strength = 1 / math.sqrt(max(len(together), 1))
                for partner in together:
                    if partner == member:
                        continue
                    best, via, shared = out.get(partner, (0.0, set(), ""))
                    via.add(member)
                    if strength > best or (strength == best and (not shared or activity < shared)):
                        best, shared = strength, activity
                    out[partner] = (best, via, shared)
        return out

    def hide(
        self, activities: Iterable[str] = (), actor: str | None = None, actors: Iterable[str] = ()
    ) -> MatchIndex:
        """The index as if ``activities`` were not in the graph, or as if ``actor`` (and each of
        ``actors``) took part in none of its activities (leave-one-out evaluation).

        Hiding an actor removes its participations (its partnerships) and keeps the activities
        with their other participants; hiding activities removes them for everyone. Only what
        changes is rebuilt: the features and value holders of the participants concerned, the
        regions when a regional activity changes. The words and the kind and value
        co-occurrences stay those of the whole graph (evaluation profiles carry no words).
        """
        hidden = frozenset(activities)
        view = copy.copy(self)
        touched = set(hidden)
        members = dict(self.members)
        for activity in hidden:
            members.pop(activity, None)
        gone = {a for a in [*actors, *([actor] if actor is not None else [])] if a in self.features}
        for absent in sorted(gone):
            for activity in self.features[absent].activities - hidden:
                touched.add(activity)
                members[activity] = self.members[activity] - gone
        view.members = members
        affected: set[str] = set()
        for activity in touched:
            affected |= self.members.get(activity, set())
        view.features = dict(self.features)
        view.holders = {name: dict(held) for name, held in self.holders.items()}
        copied: set[tuple[str, str]] = set()
        lost: Counter[tuple[str, str]] = Counter()
        view.degrees = self.degrees.copy()
        for iri in sorted(affected):
            old = self.features[iri]
            kept = set(old.activities) - hidden
            if iri in gone:
                kept = set()
            new = view._features(iri, kept)
            view.features[iri] = new
            view.degrees[self.position[iri]] = len(new.partners)
            for partner in old.partners - new.partners:
                other = self.features.get(partner)
                if other is not None:
                    lost[(old.kind, other.kind)] += 1
            for name in FACETS:
                before, after = old.facet(name), new.facet(name)
                for value in set(before) | set(after):
                    if before.get(value) == after.get(value):
                        continue
                    if (name, value) not in copied:  # copy a value's holders once, on first change
                        copied.add((name, value))
                        view.holders[name][value] = dict(view.holders[name].get(value, {}))
                    if value in after:
                        view.holders[name][value][iri] = after[value]
                    else:
                        view.holders[name][value].pop(iri, None)
        if any(
            self.activity_values.get(a, {}).get("modalities", set()) & REGIONAL_MODALITIES for a in touched
        ):
            view.regional = view._regions(view.members)
        if lost:  # the kinds of partners hidden no longer count for how kinds work together
            view.kind_pairs = self.kind_pairs - lost
            view.kind_affinity = _affinity(view.kind_pairs)
        view.max_degree = int(view.degrees.max()) if len(view.degrees) else 0
        view._reset_arrays()
        return view


def _affinity(pairs: Counter[tuple[str, str]]) -> dict[tuple[str, str], float]:
    """How often an actor of one kind works with one of another, relative to the most frequent
    pair of kinds.

    >>> _affinity(Counter({("country", "country"): 4, ("country", "person"): 1}))
    {('country', 'country'): 1.0, ('country', 'person'): 0.25}
    """
    top = max(pairs.values(), default=0)
    return {pair: count / top for pair, count in pairs.items()} if top else {}


def _cooccurring(
    activity_values: Mapping[str, Mapping[str, set[str]]], facet: str, keep: int = COMPANIONS
) -> dict[str, set[str]]:
    """For each value, the ``keep`` values found most often with it on the same activities."""
    together: dict[str, Counter[str]] = defaultdict(Counter)
    for values in activity_values.values():
        found = values[facet]
        for value in found:
            together[value].update(found - {value})
    return {
        value: {v for v, _ in sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:keep]}
        for value, counts in together.items()
    }


def _proposals(rows: Iterable[Row]) -> dict[str, Proposal]:
    raw: dict[str, dict[str, list[ox.NamedNode | ox.Literal | ox.BlankNode]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for row in rows:
        raw[row["proposal"].value][row["facet"].value].append(row["value"])
    out: dict[str, Proposal] = {}
    for iri, facets in sorted(raw.items()):
        classes = {v.value for v in facets["class"]}
        labels = [v for v in facets["label"] if isinstance(v, ox.Literal)]
        texts = labels + [v for v in facets["text"] if isinstance(v, ox.Literal)]
        agents = sorted(v.value for v in facets["agent"])
        out[iri] = Proposal(
            iri=iri,
            label=_pick(labels) or iri.rsplit("/", 1)[-1],
            kind="offer" if str(CG.Offer) in classes else "request",
            agent=agents[0] if agents else None,
            addressed=frozenset(v.value for v in facets["addressed"]),
            values={name: frozenset(v.value for v in facets[key]) for name, key in _PROPOSAL_FACETS},
            activities=frozenset(v.value for v in facets["activity"]),
            text=" ".join(sorted(t.value for t in texts)),
            words=bag(t.value for t in texts),
        )
    return out


_PROPOSAL_FACETS = (("sectors", "sector"), ("articles", "article"), ("modalities", "modality"))

_lock = threading.Lock()
_cache: OrderedDict[tuple[int, str], MatchIndex] = OrderedDict()
_CACHE_SIZE = 4


def match_index(store: Store, catalogue: QueryCatalogue) -> MatchIndex:
    """The match index of the store, built once per ``store.version()``.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> match_index(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir)).features
    {}
    """
    key = (id(store), store.version())
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    index = MatchIndex(
        fetch_facts(store, catalogue),
        store.select_named(catalogue.internal("match-actors")),
        store.select_named(catalogue.internal("match-proposals")),
        store.select_named(catalogue.internal("match-vocabularies")),
    )
    index.names = fetch_labels(store, catalogue).preferred
    with _lock:
        _cache[key] = index
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return index
