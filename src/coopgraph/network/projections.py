"""Network projections of the graph: co-participation, bipartite and funding networks.

What a node and an edge mean
----------------------------
``co-participation`` (undirected, weighted)
    A node is an actor: an instance of ``cg:Agent`` (a country, an organisation, a person).
    Two actors are linked when they take part in the same activity (a partnership, agreement,
    programme, project or event). Taking part is ``cg:hasParticipant`` or any of its
    sub-properties (``cg:hasParty``, ``cg:organisedBy``, ``cg:coordinatedBy``, read from the
    ontology), a qualified ``cg:hasParticipation``/``cg:agent``, or ``cg:participatesIn``. The
    edge's ``weight`` is the number of activities the two share, ``activities`` lists their IRIs
    and ``activity_labels`` their labels; ``distance`` is ``1 / weight`` (used by the weighted
    path-based measures: more shared activities means closer).
``bipartite`` (undirected, two-mode)
    A node is an actor (``bipartite=0``) or an activity (``bipartite=1``, ``kind="activity"``);
    an edge links an actor to an activity it takes part in (``weight`` 1).
``funding`` (directed)
    A node is a contributor or recipient of a ``cg:FundingContribution``: an agent, a fund or an
    activity (a programme receiving fees). An edge goes from contributor to recipient;
    ``weight`` is the number of contributions, and ``weight_USD``, ``weight_EUR``, ... the sums
    of their amounts in each currency (never added across currencies); ``contributions`` lists
    their IRIs.

Filters
-------
The facts are fetched from the store with the ``queries/internal/network-*.rq`` queries once
per store version, without parameters; the filters are then applied in Python over those facts,
so no user value ever reaches query text. Every projection takes the same :class:`Filters`:

``start``/``end`` (years)
    Keep activities (contributions, in the funding network) whose years overlap the period.
    The years are those of ``cg:startDate``, ``cg:endDate`` and ``cg:date``; a start without an
    end is open-ended (still running), an end without a start is open towards the past. Items
    with no date at all are left out when a period is given.
``source``
    Keep the participations (contributions) stated in this named graph (a source document).
``modality``
    Keep activities with this ``cg:modality``.
``sector``
    Keep activities with this ``cg:culturalSector`` (the sector of the *activity*).
``actor_sector``
    Keep actors with this ``cg:sector`` (the organisation sector of the *actor*).
``article``
    Keep activities that relate to or implement this provision (``cg:relatesToArticle``,
    ``cg:implementsArticle``); an article also matches activities about its sub-paragraphs.
``kinds``
    Keep actors of these kinds (``country``, ``organisation``, ``person``; in the funding
    network also ``fund`` and ``activity``).

In the funding network ``modality``, ``sector`` and ``article`` apply to the recipient when it
is an activity; a contribution to anything else is left out when one of them is given.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import combinations
from typing import Any
from urllib.parse import urlencode

import networkx as nx
import pyoxigraph as ox

from coopgraph.errors import ParameterError
from coopgraph.namespaces import CG, GRAPH_BASE, ID_BASE, resource_iri
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Row, Store

PROJECTIONS: tuple[str, ...] = ("co-participation", "bipartite", "funding")
"""The projections, by public name."""

ACTOR_KINDS: tuple[str, ...] = ("country", "organisation", "person")
FUNDING_KINDS: tuple[str, ...] = (*ACTOR_KINDS, "fund", "activity")

_KIND_OF_CLASS: dict[str, str] = {
    str(CG.Country): "country",
    str(CG.Organisation): "organisation",
    str(CG.Person): "person",
    str(CG.Fund): "fund",
    str(CG.CooperationActivity): "activity",
}
_YEAR = re.compile(r"^(-?\d{4})")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# where a short name (slug) of each IRI filter lives
_SLUG_KINDS: dict[str, str] = {
    "modality": "modality",
    "sector": "cultural-sector",
    "actor_sector": "organisation-sector",
    "article": "article",
}


def _year(value: str) -> int | None:
    match = _YEAR.match(value.strip())
    return int(match.group(1)) if match else None


def _iri_value(name: str, value: str) -> str:
    """An absolute IRI, or a short name resolved under its kind (``south-south``)."""
    value = value.strip()
    if _SLUG.match(value):
        if name == "source":
            return GRAPH_BASE + value
        return str(resource_iri(_SLUG_KINDS[name], value))
    if not _IRI.match(value):
        raise ParameterError(name, f"{value!r} is neither an absolute IRI nor a short name")
    return value


@dataclass(frozen=True)
class Filters:
    """Filters of a projection (see the module documentation for what each keeps).

    Examples
    --------
    >>> f = Filters.parse({"from": "2012", "to": "2015", "modality": "south-south"})
    >>> f.start, f.end, f.modality
    (2012, 2015, 'https://w3id.org/coopgraph/id/modality/south-south')
    >>> f.query_string()
    'from=2012&to=2015&modality=https%3A%2F%2Fw3id.org%2Fcoopgraph%2Fid%2Fmodality%2Fsouth-south'
    >>> Filters.parse({"from": "2015", "to": "2012"})
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'to': 2012 is before from=2015
    """

    start: int | None = None
    end: int | None = None
    source: str | None = None
    modality: str | None = None
    sector: str | None = None
    actor_sector: str | None = None
    article: str | None = None
    kinds: tuple[str, ...] = ()

    PARAMETERS = ("from", "to", "source", "modality", "sector", "actor_sector", "article", "kind")

    @classmethod
    def parse(
        cls, values: Mapping[str, str | Sequence[str] | None], allowed_kinds: Sequence[str] = FUNDING_KINDS
    ) -> Filters:
        """Filters from raw parameter values (API query or CLI options).

        Parameters
        ----------
        values
            ``from``, ``to`` (years), ``source`` (a named graph IRI or a data file's name),
            ``modality``, ``sector``, ``actor_sector``, ``article`` (IRIs or short names) and
            ``kind`` (one kind, a comma-separated list or a list). Empty values are ignored.
        allowed_kinds
            The kinds the ``kind`` parameter may name.

        Raises
        ------
        ParameterError
            Naming the parameter whose value is malformed.
        """

        def one(name: str) -> str | None:
            raw = values.get(name)
            if raw is None:
                return None
            if not isinstance(raw, str):
                raw = raw[-1] if raw else None
            return raw.strip() if raw and raw.strip() else None

        years: dict[str, int | None] = {}
        for name in ("from", "to"):
            raw = one(name)
            if raw is None:
                years[name] = None
            elif re.fullmatch(r"-?\d{1,4}", raw):
                years[name] = int(raw)
            else:
                raise ParameterError(name, f"{raw!r} is not a year (e.g. 2012)")
        if years["from"] is not None and years["to"] is not None and years["to"] < years["from"]:
            raise ParameterError("to", f"{years['to']} is before from={years['from']}")
        iris = {n: (_iri_value(n, v) if (v := one(n)) else None) for n in (*_SLUG_KINDS, "source")}
        raw_kinds = values.get("kind")
        items: list[str] = []
        if isinstance(raw_kinds, str):
            items = raw_kinds.split(",")
        elif raw_kinds:
            for item in raw_kinds:
                items.extend(item.split(","))
        kinds = tuple(sorted({k.strip() for k in items if k.strip()}))
        for kind in kinds:
            if kind not in allowed_kinds:
                raise ParameterError("kind", f"{kind!r} is not one of {', '.join(allowed_kinds)}")
        return cls(
            start=years["from"],
            end=years["to"],
            source=iris["source"],
            modality=iris["modality"],
            sector=iris["sector"],
            actor_sector=iris["actor_sector"],
            article=iris["article"],
            kinds=kinds,
        )

    def query_string(self) -> str:
        """The filters as a canonical query string (empty when none), as ``cg:filters`` records."""
        pairs: list[tuple[str, str]] = []
        for name, value in (
            ("from", self.start),
            ("to", self.end),
            ("source", self.source),
            ("modality", self.modality),
            ("sector", self.sector),
            ("actor_sector", self.actor_sector),
            ("article", self.article),
        ):
            if value is not None:
                pairs.append((name, str(value)))
        if self.kinds:
            pairs.append(("kind", ",".join(self.kinds)))
        return urlencode(pairs)

    @property
    def has_period(self) -> bool:
        return self.start is not None or self.end is not None


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


def _overlaps(years: tuple[int | None, int | None] | None, filters: Filters) -> bool:
    if not filters.has_period:
        return True
    if years is None:
        return False
    low, high = years
    if filters.end is not None and low is not None and low > filters.end:
        return False
    return not (filters.start is not None and high is not None and high < filters.start)


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
_graph_cache: OrderedDict[tuple[int, str, str, Filters], nx.Graph] = OrderedDict()
_CACHE_SIZE = 64


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
        store.run(catalogue.internal("network-participations")),
        store.run(catalogue.internal("network-activities")),
        store.run(catalogue.internal("network-actors")),
        store.run(catalogue.internal("network-funding")),
        store.run(catalogue.internal("network-labels")),
    )
    with _lock:
        _facts_cache[key] = facts
        while len(_facts_cache) > 8:
            _facts_cache.popitem(last=False)
    return facts


def _activity_passes(act: Activity, filters: Filters) -> bool:
    if filters.modality and filters.modality not in act.modalities:
        return False
    if filters.sector and filters.sector not in act.sectors:
        return False
    if filters.article and filters.article not in act.articles:
        return False
    return _overlaps(act.years, filters)


def _actor_passes(actor: Actor | None, filters: Filters) -> bool:
    if actor is None:
        return False
    if filters.kinds and actor.kind not in filters.kinds:
        return False
    return not (filters.actor_sector and filters.actor_sector not in actor.sectors)


def _selected_participations(facts: Facts, filters: Filters) -> dict[str, set[str]]:
    """Actors of each activity that pass the filters."""
    members: dict[str, set[str]] = defaultdict(set)
    for activity, actor, graph in facts.participations:
        if filters.source and graph != filters.source:
            continue
        if not _activity_passes(facts.activities[activity], filters):
            continue
        if not _actor_passes(facts.actors.get(actor), filters):
            continue
        members[activity].add(actor)
    return members


def _add_actor(g: nx.Graph, facts: Facts, iri: str) -> None:
    actor = facts.actors[iri]
    g.add_node(iri, label=actor.label, kind=actor.kind, sector=sorted(actor.sectors), bipartite=0)


def co_participation(facts: Facts, filters: Filters | None = None) -> nx.Graph:
    """The co-participation network of ``facts`` (see the module documentation).

    Every actor that takes part in a selected activity is a node, also when it shares no
    activity with another (an isolate).

    Examples
    --------
    >>> facts = Facts([("a1", "x", "g"), ("a1", "y", "g"), ("a2", "x", "g"), ("a2", "y", "g")],
    ...               {"a1": Activity("a1", "One"), "a2": Activity("a2", "Two")},
    ...               {"x": Actor("x", "X", "country"), "y": Actor("y", "Y", "person")}, [], {})
    >>> g = co_participation(facts)
    >>> g.edges["x", "y"]["weight"], g.edges["x", "y"]["activity_labels"]
    (2, ['One', 'Two'])
    """
    filters = filters or Filters()
    g = nx.Graph(projection="co-participation", filters=filters.query_string())
    members = _selected_participations(facts, filters)
    for activity in sorted(members):
        actors = sorted(members[activity])
        for iri in actors:
            if iri not in g:
                _add_actor(g, facts, iri)
        label = facts.activities[activity].label
        for u, v in combinations(actors, 2):
            if g.has_edge(u, v):
                data = g.edges[u, v]
                data["weight"] += 1
                data["activities"].append(activity)
                data["activity_labels"].append(label)
            else:
                g.add_edge(u, v, weight=1, activities=[activity], activity_labels=[label])
    for _, _, data in g.edges(data=True):
        data["distance"] = 1.0 / data["weight"]
    return g


def bipartite(facts: Facts, filters: Filters | None = None) -> nx.Graph:
    """The two-mode actor-activity network of ``facts`` (see the module documentation).

    Examples
    --------
    >>> facts = Facts([("a1", "x", "g"), ("a1", "y", "g")], {"a1": Activity("a1", "One")},
    ...               {"x": Actor("x", "X", "country"), "y": Actor("y", "Y", "person")}, [], {})
    >>> g = bipartite(facts)
    >>> sorted(g.nodes(data="bipartite"))
    [('a1', 1), ('x', 0), ('y', 0)]
    """
    filters = filters or Filters()
    g = nx.Graph(projection="bipartite", filters=filters.query_string())
    members = _selected_participations(facts, filters)
    for activity in sorted(members):
        act = facts.activities[activity]
        g.add_node(activity, label=act.label, kind="activity", sector=sorted(act.sectors), bipartite=1)
        for iri in sorted(members[activity]):
            if iri not in g:
                _add_actor(g, facts, iri)
            g.add_edge(iri, activity, weight=1, distance=1.0)
    return g


def funding(facts: Facts, filters: Filters | None = None) -> nx.DiGraph:
    """The directed funding network of ``facts`` (see the module documentation).

    Examples
    --------
    >>> from decimal import Decimal
    >>> c = [Contribution("c1", "x", "p", "g", Decimal("10"), "USD", None, "country", "activity"),
    ...      Contribution("c2", "x", "p", "g", Decimal("5"), "EUR", None, "country", "activity")]
    >>> g = funding(Facts([], {}, {}, c, {}))
    >>> e = g.edges["x", "p"]
    >>> e["weight"], e["weight_USD"], e["weight_EUR"]
    (2, 10.0, 5.0)
    """
    filters = filters or Filters()
    g = nx.DiGraph(projection="funding", filters=filters.query_string())
    needs_activity = bool(filters.modality or filters.sector or filters.article)
    for c in facts.contributions:
        if filters.source and c.graph != filters.source:
            continue
        if not _overlaps(c.years, filters):
            continue
        if needs_activity:
            act = facts.activities.get(c.recipient)
            if act is None or not _activity_passes(
                act, Filters(modality=filters.modality, sector=filters.sector, article=filters.article)
            ):
                continue
        ends = ((c.contributor, c.contributor_kind), (c.recipient, c.recipient_kind))
        kinds = [facts.actors[i].kind if i in facts.actors else (k or "other") for i, k in ends]
        if filters.kinds and not all(k in filters.kinds for k in kinds):
            continue
        if filters.actor_sector and not any(
            i in facts.actors and filters.actor_sector in facts.actors[i].sectors for i, _ in ends
        ):
            continue
        for (iri, _), kind in zip(ends, kinds, strict=True):
            if iri not in g:
                sectors = facts.actors[iri].sectors if iri in facts.actors else set()
                g.add_node(iri, label=facts.label(iri), kind=kind, sector=sorted(sectors))
        if g.has_edge(c.contributor, c.recipient):
            data = g.edges[c.contributor, c.recipient]
            data["weight"] += 1
            data["contributions"].append(c.iri)
        else:
            g.add_edge(c.contributor, c.recipient, weight=1, contributions=[c.iri])
            data = g.edges[c.contributor, c.recipient]
        if c.amount is not None and c.currency:
            key = f"weight_{c.currency}"
            data[key] = data.get(key, 0.0) + float(c.amount)
    return g


_BUILDERS: dict[str, Any] = {"co-participation": co_participation, "bipartite": bipartite, "funding": funding}


def check_projection(name: str) -> str:
    """``name`` if it is a projection, else :class:`ParameterError` on ``projection``."""
    if name not in PROJECTIONS:
        raise ParameterError("projection", f"{name!r} is not one of {', '.join(PROJECTIONS)}")
    return name


def project(
    store: Store, projection: str, catalogue: QueryCatalogue, filters: Filters | None = None
) -> nx.Graph:
    """The network ``projection`` of the store's graph with ``filters``, cached.

    The graph is built once per store version, projection and filters; later calls return the
    same object (treat it as read-only). Scores computed on it are cached on it too (see
    :mod:`coopgraph.network.measures`).

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> store, catalogue = EmbeddedStore(None), QueryCatalogue(Settings().queries_dir)
    >>> g = project(store, "co-participation", catalogue)
    >>> g.number_of_nodes(), g is project(store, "co-participation", catalogue)
    (0, True)
    """
    check_projection(projection)
    filters = filters or Filters()
    version = store.version()
    key = (id(store), version, projection, filters)
    with _lock:
        if key in _graph_cache:
            _graph_cache.move_to_end(key)
            return _graph_cache[key]
    g = _BUILDERS[projection](fetch_facts(store, catalogue), filters)
    g.graph["version"] = version
    with _lock:
        _graph_cache[key] = g
        while len(_graph_cache) > _CACHE_SIZE:
            _graph_cache.popitem(last=False)
    return g


def clear_cache() -> None:
    """Forget every cached projection and fact set."""
    with _lock:
        _graph_cache.clear()
        _facts_cache.clear()


def is_resource(iri: str) -> bool:
    """Whether ``iri`` is one of the graph's own resources."""
    return iri.startswith(ID_BASE)
