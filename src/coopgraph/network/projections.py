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

The graphs are built from :class:`~coopgraph.network.facts.Facts` with
:class:`~coopgraph.network.filters.Filters` (see there what each filter keeps).
"""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

from coopgraph.errors import ParameterError
from coopgraph.network.facts import Activity, Actor, Facts, fetch_facts
from coopgraph.network.filters import Filters
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

PROJECTIONS: tuple[str, ...] = ("co-participation", "bipartite", "funding")
"""The projections, by public name."""

_lock = threading.Lock()
_graph_cache: OrderedDict[tuple[int, str, str, Filters], nx.Graph] = OrderedDict()
_GRAPH_CACHE_SIZE = 64


def _overlaps(years: tuple[int | None, int | None] | None, filters: Filters) -> bool:
    if not filters.has_period:
        return True
    if years is None:
        return False
    low, high = years
    if filters.end is not None and low is not None and low > filters.end:
        return False
    return not (filters.start is not None and high is not None and high < filters.start)


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
    >>> from coopgraph.network.facts import Contribution
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
        while len(_graph_cache) > _GRAPH_CACHE_SIZE:
            _graph_cache.popitem(last=False)
    return g
