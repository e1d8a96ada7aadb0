"""Requests matched to offers with the scoring of :mod:`coopgraph.matching.scoring`.

A request becomes a profile: the kind and country of the agent that makes it, its sectors,
articles and modalities, and its words as what it seeks. Each offer of another agent is then
scored with the same parts and hand-set weights (offers of the requester's own country are left
out): the shared and complementary values and the words are
those of the offer itself; geography, network position and kind are those of the agent that
makes it, as :func:`~coopgraph.matching.scoring.match` computes them for the profile.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from coopgraph.errors import NotFound
from coopgraph.matching.explain import Explanation, language_of
from coopgraph.matching.index import FACETS, MatchIndex, Proposal
from coopgraph.matching.profile import Profile
from coopgraph.matching.scoring import CONTENT_PARTS, match
from coopgraph.matching.text import bag
from coopgraph.matching.weights import HAND_SET


def request_profile(index: MatchIndex, request: Proposal) -> Profile:
    """The profile of a request: its agent's kind and country, its values and its words."""
    feats = index.features.get(request.agent or "")
    countries = sorted(feats.countries) if feats else []
    return Profile(
        kind=feats.kind if feats and feats.kind != "agent" else None,
        country=countries[0] if countries else None,
        sectors=request.values["sectors"],
        articles=request.values["articles"],
        modalities=request.values["modalities"],
        seeks=request.text,
        exclude=frozenset({request.agent}) if request.agent else frozenset(),
    )


def proposal_dict(
    index: MatchIndex, proposal: Proposal, languages: Sequence[str] = ("en",)
) -> dict[str, Any]:
    """An offer or request as JSON, with the labels of what it names."""
    return {
        "iri": proposal.iri,
        "label": index.label(proposal.iri, languages),
        "kind": proposal.kind,
        "agent": proposal.agent,
        "agent_label": index.label(proposal.agent, languages) if proposal.agent else None,
        "addressed_to": sorted(proposal.addressed),
        **{name: sorted(proposal.values[name]) for name in FACETS},
        "activities": sorted(proposal.activities),
    }


def match_request(
    index: MatchIndex, request_iri: str, top: int = 10, languages: Sequence[str] = ("en",)
) -> dict[str, Any]:
    """The offers that best answer the request ``request_iri``, best first, explained in the first
    of ``languages`` that is English, Spanish or French.

    Raises
    ------
    NotFound
        When ``request_iri`` is not a request of the graph.
    """
    request = index.proposals.get(request_iri)
    if request is None or request.kind != "request":
        raise NotFound(f"no request {request_iri!r}")
    profile = request_profile(index, request)
    # an agent's own country's offers do not answer its request
    home = set(index.features[request.agent].countries) if request.agent in index.features else set()
    home.add(request.agent or "")
    offers = [
        p
        for p in index.proposals.values()
        if p.kind == "offer"
        and p.agent
        and p.agent not in home
        and not (index.features[p.agent].countries & home)
    ]
    offerers = sorted({p.agent for p in offers if p.agent})
    weights = HAND_SET
    by_agent = {
        m.iri: m
        for m in match(
            index,
            profile,
            top=len(index.features),
            candidates=offerers,
            explain=False,
            weights=weights.values,
        )
    }
    words = index.offer_words.query(bag([profile.seeks])) if profile.seeks else {}
    rows: list[dict[str, Any]] = []
    for offer in offers:
        agent_match = by_agent.get(offer.agent or "")
        parts = {
            k: v for k, v in (agent_match.parts if agent_match else {}).items() if k not in CONTENT_PARTS
        }
        for name in ("worked-with-country", "same-country", "same-region"):
            if agent_match and name in agent_match.parts:
                parts[name] = agent_match.parts[name]
        note = Explanation(lambda iri: index.label(iri, languages), language_of(languages))
        for facet in FACETS:
            wanted = profile.values(facet)
            shared = wanted & offer.values[facet]
            if shared:
                total = sum(index.idf(facet, v) for v in wanted)
                parts[facet] = round(sum(index.idf(facet, v) for v in shared) / total, 6)
                note.say("offers", values=note.list(note.cite(shared, "concept", facet)))
        if words.get(offer.iri):
            parts["words"] = round(words[offer.iri], 6)
            shared_words = index.offer_words.shared_words(bag([profile.seeks]), offer.words)
            if shared_words:
                note.say("offer-words", words=note.list([f"'{w}'" for w in shared_words], 4))
        score = sum(weights.values.get(name, 0.0) * value for name, value in parts.items())
        if not any(name in parts for name in (*FACETS, "words")):
            continue
        note.cite([offer.iri], "offer", "offer")
        note.cite(offer.activities, "activity", "taken-up-in")
        if agent_match and agent_match.parts.get("worked-with-country") and profile.country:
            note.say("offer-agent", agent=note.label(offer.agent or ""), country=note.label(profile.country))
        rows.append(
            {
                "iri": offer.iri,
                "label": note.label(offer.iri),
                "kind": "offer",
                "agent": offer.agent,
                "agent_label": note.label(offer.agent or ""),
                "score": round(score, 6),
                "explanation": note.text(),
                "evidence": note.evidence,
                "parts": parts,
            }
        )
    rows.sort(key=lambda r: (-r["score"], r["label"], r["iri"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    return {
        "request": proposal_dict(index, request, languages),
        "profile": profile.as_dict(),
        "matches": rows[:top],
        "weights": weights.to_dict(),
    }
