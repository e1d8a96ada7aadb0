"""A curator's review of a submission: approve, reject, withdraw.

**Approve** applies the curator's choice for each node the submission mints (:mod:`reconcile`):
``same as`` an existing node rewrites the minted IRI to the existing one throughout the content,
so the graph keeps one node per real-world thing; ``new`` keeps it. The result, with its
provenance, is checked again by the gate against the store as it is then and committed as the
named graph ``graph/submission/{id}`` through the :class:`~coopgraph.gate.service.WriteSide`
(one writer, workers renewed, store version bumped, an audit line). The provenance lives in that
same graph:

.. code-block:: turtle

    <graph/submission/ID> a prov:Entity ;
        prov:wasAttributedTo <id/contributor/ana> ;
        prov:wasGeneratedBy <graph/submission/ID#contribution> ;
        prov:generatedAtTime "2026-12-06T10:00:00Z"^^xsd:dateTime ;
        prov:hadPrimarySource <graph/submission/ID#origin> ;
        prov:qualifiedAttribution <graph/submission/ID#approval> .
    <graph/submission/ID#contribution> a prov:Activity ; prov:wasAssociatedWith <id/contributor/ana> ;
        prov:startedAtTime "2026-12-06T10:00:00Z"^^xsd:dateTime .
    <graph/submission/ID#origin> a prov:Entity ; rdfs:label "form periodic-report" .
    <graph/submission/ID#approval> a cg:Approval ; prov:agent <id/contributor/carmen> ;
        prov:atTime "2026-12-06T11:00:00Z"^^xsd:dateTime .
    <id/contributor/ana> a prov:Agent ; rdfs:label "ana" .

**Reject** records the decision and its (required) reason; nothing is written to the store.
**Withdraw** (of an approved submission) drops its graph, and with it every trace of it.
Every decision takes the write lock, so two reviews of one submission never both happen: the
second finds it decided and gets :class:`~coopgraph.errors.Conflict`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Mapping, Sequence

import pyoxigraph as ox
from rdflib.namespace import PROV, RDF, RDFS, XSD

from coopgraph.auth.tokens import TokenInfo
from coopgraph.contrib.reconcile import minted_nodes
from coopgraph.contrib.submissions import Submission, Submissions, now
from coopgraph.errors import Conflict, ParameterError
from coopgraph.gate.change import Change, check_graph_name, delete_change
from coopgraph.gate.service import Committed, WriteSide
from coopgraph.namespaces import CG, ID_BASE
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

NEW = "new"
"""The choice that keeps a minted node as a new node."""
AGENT_BASE = ID_BASE + "contributor/"
"""Contributors and curators are PROV agents named after their token: ``id/contributor/{name}``."""
MAX_REASON_CHARS = 2000


def _iri(term: object) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def agent(name: str) -> ox.NamedNode:
    """The PROV agent of a token holder.

    >>> agent("carmen").value
    'https://w3id.org/coopgraph/id/contributor/carmen'
    """
    return ox.NamedNode(AGENT_BASE + name)


def rewrite(triples: Sequence[ox.Triple], same_as: Mapping[str, str]) -> list[ox.Triple]:
    """The triples with every node of ``same_as`` (as subject or object) replaced by its target.

    >>> s, p = ox.NamedNode("http://e/new"), ox.NamedNode("http://e/p")
    >>> rewrite([ox.Triple(s, p, s)], {"http://e/new": "http://e/old"})[0].subject.value
    'http://e/old'
    """
    targets = {node: ox.NamedNode(target) for node, target in same_as.items()}
    rewritten = []
    for t in triples:
        subject, obj = t.subject, t.object
        if isinstance(subject, ox.NamedNode) and subject.value in targets:
            subject = targets[subject.value]
        if isinstance(obj, ox.NamedNode) and obj.value in targets:
            obj = targets[obj.value]
        rewritten.append(ox.Triple(subject, t.predicate, obj))
    return list(dict.fromkeys(rewritten))


def provenance(submission: Submission, reviewer: str, reviewed: str) -> list[ox.Triple]:
    """The PROV of an approved submission, all in (and about) its own graph.

    Parameters
    ----------
    submission
        The submission.
    reviewer
        The name of the curator's token.
    reviewed
        When it was approved (``xsd:dateTime``).
    """
    graph = ox.NamedNode(submission.graph)
    activity = ox.NamedNode(submission.graph + "#contribution")
    origin = ox.NamedNode(submission.graph + "#origin")
    approval = ox.NamedNode(submission.graph + "#approval")
    submitter, curator = agent(submission.submitter), agent(reviewer)
    created = ox.Literal(submission.created, datatype=_iri(XSD.dateTime))
    at = ox.Literal(reviewed, datatype=_iri(XSD.dateTime))
    triples = [
        ox.Triple(graph, _iri(RDF.type), _iri(PROV.Entity)),
        ox.Triple(graph, _iri(PROV.wasAttributedTo), submitter),
        ox.Triple(graph, _iri(PROV.wasGeneratedBy), activity),
        ox.Triple(graph, _iri(PROV.generatedAtTime), created),
        ox.Triple(graph, _iri(PROV.hadPrimarySource), origin),
        ox.Triple(graph, _iri(PROV.qualifiedAttribution), approval),
        ox.Triple(activity, _iri(RDF.type), _iri(PROV.Activity)),
        ox.Triple(activity, _iri(PROV.wasAssociatedWith), submitter),
        ox.Triple(activity, _iri(PROV.startedAtTime), created),
        ox.Triple(origin, _iri(RDF.type), _iri(PROV.Entity)),
        ox.Triple(origin, _iri(RDFS.label), ox.Literal(submission.origin)),
        ox.Triple(approval, _iri(RDF.type), _iri(CG.Approval)),
        ox.Triple(approval, _iri(PROV.agent), curator),
        ox.Triple(approval, _iri(PROV.atTime), at),
    ]
    for name, node in {submission.submitter: submitter, reviewer: curator}.items():
        triples += [
            ox.Triple(node, _iri(RDF.type), _iri(PROV.Agent)),
            ox.Triple(node, _iri(RDFS.label), ox.Literal(name)),
        ]
    return triples


def check_choices(
    store: Store, catalogue: QueryCatalogue, content: Sequence[ox.Triple], choices: Mapping[str, str]
) -> dict[str, str]:
    """The ``same as`` part of a curator's choices, checked against the submission and the store.

    Parameters
    ----------
    choices
        Per minted node IRI, ``"new"`` or the IRI of the existing node it is. Nodes not named
        stay new.

    Raises
    ------
    ParameterError
        A choice names a node the submission does not mint, or a target that is not an IRI the
        store has (``choice <node>``).
    """
    minted = set(minted_nodes(store, catalogue, content))
    exists = catalogue.internal("resource-exists").text
    same_as: dict[str, str] = {}
    for node, target in sorted(choices.items()):
        name = f"choice {node[:200]}"
        if node not in minted:
            raise ParameterError(name, "the submission mints no such node (only new nodes are reconciled)")
        if target == NEW:
            continue
        try:
            target_node = ox.NamedNode(target)
        except ValueError:
            raise ParameterError(name, f"{target[:200]!r} is neither 'new' nor an IRI") from None
        if target in minted or not store.ask(exists, {"_resource_iri": target_node}):
            raise ParameterError(name, f"the store has no node {target[:200]}")
        same_as[node] = target
    return same_as


async def approve(
    writes: WriteSide,
    submissions: Submissions,
    catalogue: QueryCatalogue,
    id: str,
    choices: Mapping[str, str],
    who: TokenInfo,
    lang: str = "en",
) -> tuple[Submission, Committed]:
    """Apply the choices, gate the result and commit it with its PROV as the submission's graph.

    Raises
    ------
    NotFound
        No such submission.
    Conflict
        It is not pending (another review came first).
    ParameterError
        A choice is not valid.
    ValidationFailed
        The result does not conform (the report in the error); nothing was written.
    """
    submissions.get(id)
    body = json.dumps({"approve": id, "choices": dict(sorted(choices.items()))}, sort_keys=True).encode()
    decided: list[Submission] = []

    async def read() -> bytes:
        return body

    def prepare(_: bytes) -> Change:
        submission = submissions.get(id)
        if submission.status != "pending":
            raise Conflict(
                f"submission {id} is {submission.status}"
                + (f" (by {submission.reviewer})" if submission.reviewer else "")
                + "; only a pending submission can be approved"
            )
        content = submissions.content(id)
        same_as = check_choices(writes.store, catalogue, content, choices)
        triples = rewrite(content, same_as) + provenance(submission, who.name, now())
        graph = check_graph_name(submission.graph)
        return Change("APPROVE", {graph: triples}, added=len(triples))

    def record(_: Change) -> None:
        decided.append(submissions.decide(id, "approved", who.name))

    done = await writes.write(who, f"APPROVE {id}", read, prepare, lang, after=record)
    return decided[0], done


async def withdraw(
    writes: WriteSide, submissions: Submissions, id: str, who: TokenInfo, reason: str | None = None
) -> tuple[Submission, Committed]:
    """Take an approved submission out of the store: its graph (data and PROV) is dropped.

    Raises
    ------
    NotFound
        No such submission.
    Conflict
        It is not approved.
    """
    submissions.get(id)
    decided: list[Submission] = []

    async def read() -> bytes:
        return (reason or "").encode()

    def prepare(_: bytes) -> Change:
        submission = submissions.get(id)
        if submission.status != "approved":
            raise Conflict(
                f"submission {id} is {submission.status}; only an approved submission can be withdrawn"
            )
        change = delete_change(writes.store, submission.graph)
        change.operation = "WITHDRAW"
        return change

    def record(_: Change) -> None:
        decided.append(submissions.decide(id, "withdrawn", who.name, reason, expected="approved"))

    done = await writes.write(who, f"WITHDRAW {id}", read, prepare, after=record)
    return decided[0], done


async def reject(
    writes: WriteSide, submissions: Submissions, id: str, reason: str, who: TokenInfo
) -> Submission:
    """Refuse a pending submission, saying why; the store is not touched.

    Raises
    ------
    ParameterError
        No reason, or one longer than 2,000 characters (``reason``).
    NotFound, Conflict
        As :meth:`Submissions.decide`.
    """
    reason = (reason or "").strip()
    if not reason or len(reason) > MAX_REASON_CHARS:
        raise ParameterError(
            "reason", f"say why the submission is rejected (1 to {MAX_REASON_CHARS} characters)"
        )
    entry: dict[str, object] = {"who": who.name, "role": who.role.value, "operation": f"REJECT {id}"}
    try:
        async with writes.lock:  # not while an approval of it is under way
            decided = await asyncio.to_thread(submissions.decide, id, "rejected", who.name, reason)
    except Exception as exc:
        await asyncio.to_thread(
            writes.audit.append, **entry, result="refused", error=type(exc).__name__, reason=str(exc)[:500]
        )
        raise
    await asyncio.to_thread(writes.audit.append, **entry, result="rejected", reason=reason[:500])
    return decided
