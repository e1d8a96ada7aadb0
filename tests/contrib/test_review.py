"""Review: approve (choices applied, gated, committed with PROV), reject, withdraw, one review at a time."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.audit import AuditLog
from coopgraph.auth.tokens import Role, TokenInfo
from coopgraph.config import Settings
from coopgraph.contrib import review
from coopgraph.contrib.submissions import Submissions, submit
from coopgraph.errors import Conflict, ParameterError, ValidationFailed
from coopgraph.gate.change import Change, check_change
from coopgraph.gate.service import WriteSide
from coopgraph.queries import QueryCatalogue
from coopgraph.store import EmbeddedStore, load_project
from support.submissions import FOUNDATION, UNESCO, UNESCO_COPY, contribution_triples
from support.writing import fingerprint

CURATOR = TokenInfo("carmen", Role.curator, "")
PROV = "http://www.w3.org/ns/prov#"


class Desk:
    """A writable store, its submissions folder and its writer."""

    def __init__(self, folder: Path) -> None:
        self.settings = Settings(in_memory=True, store_dir=folder, publish_analysis=False)
        self.store = EmbeddedStore(None)
        load_project(self.store, self.settings)
        self.writes = WriteSide(self.store, self.settings, None, writable=True)
        self.submissions = Submissions(self.settings)
        self.catalogue = QueryCatalogue(self.settings.queries_dir)

    def send(self) -> str:
        triples = contribution_triples()
        return submit(self.store, self.submissions, self.settings, triples, {}, "ana", "rdf (text/turtle)").id

    def approve(self, id: str, choices: dict[str, str]) -> object:
        return asyncio.run(
            review.approve(self.writes, self.submissions, self.catalogue, id, choices, CURATOR)
        )


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    return Desk(tmp_path)


def triples_of(store: EmbeddedStore, graph: str) -> set[tuple[str, str, str]]:
    return {(str(q.subject), str(q.predicate), str(q.object)) for q in store.quads(graph)}


def test_a_submission_stays_out_of_the_store_until_approved(desk: Desk) -> None:
    before = fingerprint(desk.store)
    id = desk.send()
    assert fingerprint(desk.store) == before
    assert desk.submissions.get(id).graph not in desk.store.named_graphs()


def test_approve_rewrites_same_as_nodes_and_adds_prov_in_the_graph(desk: Desk) -> None:
    id = desk.send()
    version = desk.store.version()
    approved, done = desk.approve(id, {UNESCO_COPY: UNESCO, FOUNDATION: "new"})  # type: ignore[misc]
    graph = approved.graph
    assert approved.status == "approved" and approved.reviewer == "carmen"
    assert desk.store.version() != version and graph in done.graphs
    content = triples_of(desk.store, graph)
    everywhere = {str(q.subject) for q in desk.store.quads()} | {str(q.object) for q in desk.store.quads()}
    assert f"<{UNESCO_COPY}>" not in everywhere  # one node per thing
    assert (f"<{FOUNDATION}>", "<https://w3id.org/coopgraph/def#subOrganizationOf>", f"<{UNESCO}>") in content
    g = f"<{graph}>"
    assert (g, f"<{PROV}wasAttributedTo>", "<https://w3id.org/coopgraph/id/contributor/ana>") in content
    assert (g, f"<{PROV}qualifiedAttribution>", f"<{graph}#approval>") in content
    assert (
        f"<{graph}#approval>",
        f"<{PROV}agent>",
        "<https://w3id.org/coopgraph/id/contributor/carmen>",
    ) in content
    assert (
        f"<{graph}#origin>",
        "<http://www.w3.org/2000/01/rdf-schema#label>",
        '"rdf (text/turtle)"',
    ) in content
    entries = [e for e in AuditLog(desk.writes.audit.path).entries() if e["operation"] == "APPROVE"]
    assert entries and entries[-1]["result"] == "committed" and entries[-1]["graphs"] == [graph]


def test_choices_are_checked(desk: Desk) -> None:
    id = desk.send()
    with pytest.raises(ParameterError, match="mints no such node"):
        desk.approve(id, {UNESCO: "new"})
    with pytest.raises(ParameterError, match="has no node"):
        desk.approve(id, {UNESCO_COPY: "https://w3id.org/coopgraph/id/organisation/nowhere"})
    with pytest.raises(ParameterError, match="neither"):
        desk.approve(id, {UNESCO_COPY: "not an iri"})
    assert desk.submissions.get(id).status == "pending"


def test_an_approval_the_gate_refuses_changes_nothing(desk: Desk) -> None:
    id = desk.send()
    before = fingerprint(desk.store)
    # the foundation merged into UNESCO would give UNESCO two English labels
    with pytest.raises(ValidationFailed):
        desk.approve(id, {FOUNDATION: UNESCO})
    assert fingerprint(desk.store) == before
    assert desk.submissions.get(id).status == "pending"


def test_reject_needs_a_reason_and_leaves_the_store_unchanged(desk: Desk) -> None:
    id = desk.send()
    before = fingerprint(desk.store)
    with pytest.raises(ParameterError, match="reason"):
        asyncio.run(review.reject(desk.writes, desk.submissions, id, "  ", CURATOR))
    rejected = asyncio.run(
        review.reject(desk.writes, desk.submissions, id, "no source for UNESCO's role", CURATOR)
    )
    assert rejected.status == "rejected" and rejected.reason == "no source for UNESCO's role"
    assert fingerprint(desk.store) == before
    with pytest.raises(Conflict):
        desk.approve(id, {})
    assert fingerprint(desk.store) == before


def test_withdraw_leaves_no_trace(desk: Desk) -> None:
    before = fingerprint(desk.store)
    id = desk.send()
    desk.approve(id, {UNESCO_COPY: UNESCO})
    assert fingerprint(desk.store) != before
    withdrawn, _ = asyncio.run(review.withdraw(desk.writes, desk.submissions, id, CURATOR, "sent twice"))
    assert withdrawn.status == "withdrawn" and withdrawn.reason == "sent twice"
    assert fingerprint(desk.store) == before
    with pytest.raises(Conflict):
        asyncio.run(review.withdraw(desk.writes, desk.submissions, id, CURATOR))


def test_two_approvals_at_once_commit_exactly_once(desk: Desk) -> None:
    id = desk.send()

    async def both() -> list[object]:
        one = review.approve(
            desk.writes, desk.submissions, desk.catalogue, id, {UNESCO_COPY: UNESCO}, CURATOR
        )
        two = review.approve(desk.writes, desk.submissions, desk.catalogue, id, {}, CURATOR)
        return await asyncio.gather(one, two, return_exceptions=True)

    outcomes = asyncio.run(both())
    assert sum(isinstance(o, tuple) for o in outcomes) == 1
    assert sum(isinstance(o, Conflict) for o in outcomes) == 1
    # the first choices won: UNESCO was merged
    assert f"<{UNESCO_COPY}>" not in {str(q.object) for q in desk.store.quads()}
    results = [
        e["result"]
        for e in AuditLog(desk.writes.audit.path).entries()
        if e["operation"].startswith("APPROVE")
    ]
    assert sorted(results) == ["committed", "refused"]


def test_an_approval_needs_its_curator_and_time(desk: Desk) -> None:
    approval = ox.NamedNode("https://w3id.org/coopgraph/graph/submission/x#approval")
    triples = [
        ox.Triple(
            approval,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("https://w3id.org/coopgraph/def#Approval"),
        ),
    ]
    report = check_change(
        desk.store, Change("TEST", {"https://w3id.org/coopgraph/graph/t": triples}), desk.settings
    )
    assert not report.conforms
    assert {r.path for r in report.results} >= {"prov:agent", "prov:atTime"}
