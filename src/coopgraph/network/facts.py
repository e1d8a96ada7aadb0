"""What the network projections are built from: the facts of the store, fetched once per version.

The facts are fetched from the store with the ``queries/internal/network-*.rq`` queries once
per store version, without parameters; the filters (:mod:`coopgraph.network.filters`) are then
applied in Python over those facts, so no user value ever reaches query text.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from coopgraph.namespaces import CG
from coopgraph.network.filters import ACTOR_KINDS
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Row, Store

_KIND_OF_CLASS: dict[str, str] = {
    str(CG.Country): "country",
    str(CG.Organisation): "organisation",
    str(CG.Person): "person",
    str(CG.Fund): "fund",
    str(CG.CooperationActivity): "activity",
}
_YEAR = re.compile(r"^(-?\d{4})")


def _year(value: str) -> int | None:
    match = _YEAR.match(value.strip())
    return int(match.group(1)) if match else None


@dataclass
class Activity:
    """What the store says about one activity."""

    iri: str
    label: str
    years: tuple[int | None, int | None] | None = None
    modalities: set[str] = field(default_factory=set)
    sectors: set[str] = field(default_factory=set)
    articles: set[str] = field(default_factory=set)


@dataclass
class Actor:
    """What the store says about one actor."""

    iri: str
    label: str
    kind: str
    sectors: set[str] = field(default_factory=set)


@dataclass
class Contribution:
    """One funding contribution."""

    iri: str
    contributor: str
    recipient: str
    graph: str
    amount: Decimal | None
    currency: str | None
    years: tuple[int | None, int | None] | None
    contributor_kind: str | None
    recipient_kind: str | None


@dataclass
class Facts:
    """Everything the projections are built from, fetched once per store version.

    Attributes
    ----------
    participations
        ``(activity, actor, named graph)`` triples.
    activities, actors
        Activities and actors by IRI.
    contributions
        Funding contributions.
    labels
        English (else any) labels of articles, concepts and funds by IRI.
    """

    participations: list[tuple[str, str, str]]
    activities: dict[str, Activity]
    actors: dict[str, Actor]
    contributions: list[Contribution]
    labels: dict[str, str]

    def label(self, iri: str) -> str:
        """The label of any resource the facts know, else the last segment of its IRI."""
        if iri in self.actors:
            return self.actors[iri].label
        if iri in self.activities:
            return self.activities[iri].label
        return self.labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]


def _pick_label(labels: Iterable[ox.Literal]) -> str | None:
    best: tuple[int, str] | None = None
    for lit in labels:
        lang = (lit.language or "").lower()
        rank = 0 if lang.startswith("en") else 1 if lang == "" else 2
        if best is None or (rank, lit.value) < best:
            best = (rank, lit.value)
    return best[1] if best else None


def _span(
    starts: Iterable[int], ends: Iterable[int], dates: Iterable[int]
) -> tuple[int | None, int | None] | None:
    starts, ends, dates = list(starts), list(ends), list(dates)
    if not (starts or ends or dates):
        return None
    low = min(starts + dates) if starts or dates else None
    high = max(ends + dates) if ends or dates else None
    if starts and not ends and not dates:
        high = None  # started, no end stated: still running
    return (low, high)


def facts_from_rows(
    participations: list[Row],
    activities: list[Row],
    actors: list[Row],
    funding: list[Row],
    labels: list[Row],
) -> Facts:
    """Assemble :class:`Facts` from the rows of the ``network-*`` queries."""
    act_labels: dict[str, list[ox.Literal]] = defaultdict(list)
    act_dates: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    acts: dict[str, Activity] = {}
    for row in activities:
        iri, facet, value = row["activity"].value, row["facet"].value, row["value"]
        act = acts.setdefault(iri, Activity(iri, ""))
        if facet == "label" and isinstance(value, ox.Literal):
            act_labels[iri].append(value)
        elif facet in ("start", "end", "date"):
            year = _year(value.value)
            if year is not None:
                act_dates[iri][facet].append(year)
        elif facet == "modality":
            act.modalities.add(value.value)
        elif facet == "sector":
            act.sectors.add(value.value)
        elif facet == "article":
            act.articles.add(value.value)
    for iri, act in acts.items():
        act.label = _pick_label(act_labels[iri]) or iri.rsplit("/", 1)[-1]
        dates = act_dates.get(iri, {})
        act.years = _span(dates.get("start", []), dates.get("end", []), dates.get("date", []))

    actor_labels: dict[str, list[ox.Literal]] = defaultdict(list)
    actor_kinds: dict[str, set[str]] = defaultdict(set)
    actor_sectors: dict[str, set[str]] = defaultdict(set)
    for row in actors:
        iri, facet, value = row["actor"].value, row["facet"].value, row["value"]
        if facet == "label" and isinstance(value, ox.Literal):
            actor_labels[iri].append(value)
        elif facet == "kind":
            actor_kinds[iri].add(_KIND_OF_CLASS.get(value.value, "agent"))
        elif facet == "actor-sector":
            actor_sectors[iri].add(value.value)
    agents: dict[str, Actor] = {}
    for iri in set(actor_labels) | set(actor_kinds) | set(actor_sectors):
        kinds = actor_kinds.get(iri, set())
        # a country is also an org:FormalOrganization; say the most specific kind
        kind = next((k for k in ACTOR_KINDS if k in kinds), "agent")
        agents[iri] = Actor(
            iri, _pick_label(actor_labels[iri]) or iri.rsplit("/", 1)[-1], kind, actor_sectors[iri]
        )

    label_lits: dict[str, list[ox.Literal]] = defaultdict(list)
    for row in labels:
        if isinstance(row.get("label"), ox.Literal):
            label_lits[row["resource"].value].append(row["label"])  # type: ignore[arg-type]
    resource_labels = {iri: lbl for iri, lits in label_lits.items() if (lbl := _pick_label(lits))}

    contributions: dict[str, Contribution] = {}
    for row in funding:
        iri = row["contribution"].value
        if iri in contributions:
            end_terms = (row.get("contributorKind"), row.get("recipientKind"))
            c = contributions[iri]
            # several kinds through subclasses: prefer the agent kinds
            for attr, term in zip(("contributor_kind", "recipient_kind"), end_terms, strict=True):
                end_kind = _KIND_OF_CLASS.get(term.value) if term is not None else None
                if end_kind in ACTOR_KINDS and getattr(c, attr) not in ACTOR_KINDS:
                    setattr(c, attr, end_kind)
            continue
        amount: Decimal | None = None
        if "amount" in row:
            try:
                amount = Decimal(row["amount"].value)
            except InvalidOperation:
                amount = None
        years = _span(
            [y for y in [_year(row["start"].value)] if y is not None] if "start" in row else [],
            [y for y in [_year(row["end"].value)] if y is not None] if "end" in row else [],
            [y for y in [_year(row["date"].value)] if y is not None] if "date" in row else [],
        )
        ck, rk = row.get("contributorKind"), row.get("recipientKind")
        contributions[iri] = Contribution(
            iri=iri,
            contributor=row["contributor"].value,
            recipient=row["recipient"].value,
            graph=row["g"].value,
            amount=amount,
            currency=row["currency"].value if "currency" in row else None,
            years=years,
            contributor_kind=_KIND_OF_CLASS.get(ck.value) if ck is not None else None,
            recipient_kind=_KIND_OF_CLASS.get(rk.value) if rk is not None else None,
        )
        if "label" in row:
            resource_labels.setdefault(iri, row["label"].value)

    parts = sorted({(r["activity"].value, r["actor"].value, r["g"].value) for r in participations})
    for activity, _, _ in parts:
        acts.setdefault(activity, Activity(activity, activity.rsplit("/", 1)[-1]))
    return Facts(parts, acts, agents, sorted(contributions.values(), key=lambda c: c.iri), resource_labels)


_lock = threading.Lock()
_facts_cache: OrderedDict[tuple[int, str], Facts] = OrderedDict()
_FACTS_CACHE_SIZE = 8


def fetch_facts(store: Store, catalogue: QueryCatalogue) -> Facts:
    """The facts of the store, from the ``network-*`` queries, cached against ``store.version()``.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> facts = fetch_facts(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir))
    >>> facts.participations
    []
    """
    key = (id(store), store.version())
    with _lock:
        if key in _facts_cache:
            _facts_cache.move_to_end(key)
            return _facts_cache[key]
    facts = facts_from_rows(
        store.select_named(catalogue.internal("network-participations")),
        store.select_named(catalogue.internal("network-activities")),
        store.select_named(catalogue.internal("network-actors")),
        store.select_named(catalogue.internal("network-funding")),
        store.select_named(catalogue.internal("network-labels")),
    )
    with _lock:
        _facts_cache[key] = facts
        while len(_facts_cache) > _FACTS_CACHE_SIZE:
            _facts_cache.popitem(last=False)
    return facts
