"""Partner suggestions: link prediction on the co-participation network, with reasons.

For an actor ``u``, every actor ``v`` that is not ``u`` and not already a partner of ``u`` (a
neighbour in the co-participation network) is a candidate when the two share at least one
partner, cultural sector or Convention article. Its score is

``adamic_adar + resource_allocation + jaccard + 0.5 * sector_overlap + 0.5 * article_overlap``

where the first three are NetworkX's link-prediction indices on the co-participation network
(shared partners, the rarer the better) and the overlaps are the Jaccard similarity of the
cultural sectors (``cg:culturalSector``) and of the articles (``cg:relatesToArticle``,
``cg:implementsArticle``, sub-paragraphs counted for their article too) of the activities each
takes part in. Candidates come best first (ties by label), each with every component and an
explanation built from the shared partners, activities, sectors and articles and their labels.

The sector and article profiles of actors, the overlap and the wording of the explanations are
those of :mod:`coopgraph.matching`, which ranks partners for newcomers (profiles of someone not
in the graph) with the same vocabulary.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx

from coopgraph.errors import ParameterError
from coopgraph.matching.explain import names
from coopgraph.matching.index import activity_values, actor_activities
from coopgraph.matching.scoring import jaccard
from coopgraph.network.facts import Facts

SECTOR_WEIGHT = 0.5
ARTICLE_WEIGHT = 0.5


@dataclass
class Suggestion:
    """One suggested partner, its score, the parts of the score and why it fits."""

    iri: str
    label: str
    kind: str
    score: float
    rank: int
    adamic_adar: float
    resource_allocation: float
    jaccard: float
    shared_partners: list[str] = field(default_factory=list)
    shared_sectors: list[str] = field(default_factory=list)
    shared_articles: list[str] = field(default_factory=list)
    explanation: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _profiles(facts: Facts) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The cultural sectors and the articles of the activities of each actor."""
    values = activity_values(facts)
    sectors: dict[str, set[str]] = {}
    articles: dict[str, set[str]] = {}
    for actor, activities in actor_activities(facts).items():
        sectors[actor] = set().union(*(values[a]["sectors"] for a in activities))
        articles[actor] = set().union(*(values[a]["articles"] for a in activities))
    return sectors, articles


def suggest_partners(g: nx.Graph, actor: str, facts: Facts, top: int = 10) -> list[Suggestion]:
    """Ranked partner suggestions for ``actor`` on the co-participation network ``g``.

    Parameters
    ----------
    g
        A co-participation network (see :mod:`coopgraph.network.projections`).
    actor
        The IRI of an actor of ``g``.
    facts
        The facts ``g`` was built from (labels, sectors and articles of activities).
    top
        Largest number of suggestions.

    Raises
    ------
    ParameterError
        On ``actor`` when it is not a node of ``g``.

    Examples
    --------
    ``x`` and ``z`` both work with ``y`` but not with each other:

    >>> from coopgraph.network.facts import Activity, Actor
    >>> from coopgraph.network.projections import co_participation
    >>> facts = Facts([("a1", "x", "g"), ("a1", "y", "g"), ("a2", "y", "g"), ("a2", "z", "g")],
    ...               {"a1": Activity("a1", "One"), "a2": Activity("a2", "Two")},
    ...               {i: Actor(i, i.upper(), "country") for i in "xyz"}, [], {})
    >>> [(s.iri, s.explanation) for s in suggest_partners(co_participation(facts), "x", facts)]
    [('z', 'both work with Y (X in One; Z in Two)')]
    """
    if actor not in g:
        raise ParameterError("actor", f"{actor!r} is not an actor of the co-participation network")
    sectors, articles = _profiles(facts)
    partners = set(g[actor])
    candidates: set[str] = set()
    for w in partners:
        candidates.update(g[w])
    my_sectors, my_articles = sectors.get(actor, set()), articles.get(actor, set())
    for v in g:
        if sectors.get(v, set()) & my_sectors or articles.get(v, set()) & my_articles:
            candidates.add(v)
    candidates -= partners | {actor}
    if not candidates:
        return []
    pairs = [(actor, v) for v in sorted(candidates)]
    aa = {v: s for _, v, s in nx.adamic_adar_index(g, pairs)}
    ra = {v: s for _, v, s in nx.resource_allocation_index(g, pairs)}
    jc = {v: s for _, v, s in nx.jaccard_coefficient(g, pairs)}
    label = facts.label
    out: list[Suggestion] = []
    for v in sorted(candidates):
        shared_sectors = sorted(my_sectors & sectors.get(v, set()), key=label)
        shared_articles = sorted(my_articles & articles.get(v, set()), key=label)
        score = (
            aa[v]
            + ra[v]
            + jc[v]
            + SECTOR_WEIGHT * jaccard(my_sectors, sectors.get(v, set()))
            + ARTICLE_WEIGHT * jaccard(my_articles, articles.get(v, set()))
        )
        shared = sorted(partners & set(g[v]), key=lambda w: (-g.degree(w), label(w)))
        reasons: list[str] = []
        for w in shared[:2]:
            mine = sorted({label(a) for a in g.edges[actor, w]["activities"]})
            theirs = sorted({label(a) for a in g.edges[v, w]["activities"]})
            reasons.append(
                f"both work with {label(w)} ({label(actor)} in {names(mine, 1)}; "
                f"{label(v)} in {names(theirs, 1)})"
            )
        if len(shared) > 2:
            more = len(shared) - 2
            reasons.append(f"{more} more shared partner{'s' if more > 1 else ''}")
        if shared_sectors:
            reasons.append("both take part in activities on " + names([label(s) for s in shared_sectors]))
        if shared_articles:
            reasons.append("both under " + names([label(a) for a in shared_articles]))
        node = g.nodes[v]
        out.append(
            Suggestion(
                iri=v,
                label=label(v),
                kind=node.get("kind", ""),
                score=float(score),
                rank=0,
                adamic_adar=float(aa[v]),
                resource_allocation=float(ra[v]),
                jaccard=float(jc[v]),
                shared_partners=shared,
                shared_sectors=shared_sectors,
                shared_articles=shared_articles,
                explanation="; ".join(reasons),
            )
        )
    out.sort(key=lambda s: (-s.score, s.label, s.iri))
    for rank, s in enumerate(out, start=1):
        s.rank = rank
    return out[:top]
