"""Submissions: kept outside the store, one file each, written atomically, looked up by strict id."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pyoxigraph as ox
import pytest

from coopgraph.config import Settings
from coopgraph.contrib.submissions import ID_PATTERN, Submissions, submission_graph, submissions_path
from coopgraph.errors import Conflict, NotFound, ParameterError, WriteTooLarge

FOUNDATION = ox.NamedNode("https://w3id.org/coopgraph/id/organisation/test-foundation")
LABEL = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
TRIPLES = [
    ox.Triple(FOUNDATION, LABEL, ox.Literal("Test Foundation", language="en")),
    ox.Triple(FOUNDATION, LABEL, ox.Literal("Fundación de prueba", language="es")),
    ox.Triple(FOUNDATION, ox.NamedNode("http://e/blank"), ox.BlankNode("b0")),
]


@pytest.fixture
def folder(tmp_path: Path) -> Submissions:
    return Submissions(Settings(store_dir=tmp_path / "store", in_memory=True))


def test_the_folder_is_in_the_store_folder_unless_set(tmp_path: Path) -> None:
    assert submissions_path(Settings(store_dir=tmp_path)) == tmp_path / "submissions"
    assert submissions_path(Settings(store_dir=tmp_path, submissions_dir=tmp_path / "elsewhere")) == (
        tmp_path / "elsewhere"
    )


def test_create_keeps_the_content_and_a_pending_record(folder: Submissions) -> None:
    sent = folder.create(TRIPLES, "ana", "rdf (text/turtle)")
    assert ID_PATTERN.fullmatch(sent.id)
    assert sent.status == "pending" and sent.submitter == "ana" and sent.triples == 3
    assert sent.graph == f"https://w3id.org/coopgraph/graph/submission/{sent.id}" == submission_graph(sent.id)
    assert sent.created.endswith("Z") and sent.reviewer is None
    content = folder.content(sent.id)
    assert set(content[:2]) == set(TRIPLES[:2])
    assert any(isinstance(t.object, ox.BlankNode) for t in content)
    record = json.loads((folder.folder / f"{sent.id}.json").read_text())
    assert record["status"] == "pending" and record["origin"] == "rdf (text/turtle)"
    assert stat.S_IMODE(os.stat(folder.folder / f"{sent.id}.nt").st_mode) == 0o600
    assert folder.get(sent.id) == sent
    # no temporary file is left behind
    assert sorted(p.suffix for p in folder.folder.iterdir() if not p.name.startswith(".lock")) == [
        ".json",
        ".nt",
    ]


def test_empty_and_oversized_content_is_refused(tmp_path: Path) -> None:
    small = Submissions(Settings(store_dir=tmp_path, in_memory=True, max_write_bytes=200))
    with pytest.raises(ParameterError, match="no triple"):
        small.create([], "ana", "rdf (text/turtle)")
    many = [ox.Triple(FOUNDATION, LABEL, ox.Literal(f"name {i}")) for i in range(10)]
    with pytest.raises(WriteTooLarge):
        small.create(many, "ana", "rdf (text/turtle)")
    with pytest.raises(ParameterError, match="origin"):
        small.create(TRIPLES[:1], "ana", "  ")
    assert small.list() == []


@pytest.mark.parametrize(
    "hostile",
    [
        "../tokens",
        "..%2Ftokens",
        "/etc/passwd",
        "abcdefghijk",
        "ABCDEFGHIJKM",
        "abcdefghijkm.json",
        "",
        "a" * 400,
    ],
)
def test_ids_outside_the_pattern_are_not_found(folder: Submissions, hostile: str) -> None:
    folder.create(TRIPLES, "ana", "rdf (text/turtle)")
    with pytest.raises(NotFound):
        folder.get(hostile)
    with pytest.raises(NotFound):
        folder.content(hostile)


def test_list_filters_by_status_and_decide_moves_once(folder: Submissions) -> None:
    first = folder.create(TRIPLES, "ana", "form periodic-report")
    second = folder.create(TRIPLES[:1], "bo", "csv actors (actors.csv)")
    assert {s.id for s in folder.list()} == {first.id, second.id}
    rejected = folder.decide(second.id, "rejected", "carmen", "no source document is cited")
    assert rejected.status == "rejected" and rejected.reviewer == "carmen" and rejected.reviewed
    assert [s.id for s in folder.list("pending")] == [first.id]
    assert [s.id for s in folder.list("rejected")] == [second.id]
    with pytest.raises(Conflict, match="rejected"):
        folder.decide(second.id, "approved", "dan")
    with pytest.raises(ParameterError):
        folder.list("lost")
    assert folder.get(second.id).reason == "no source document is cited"
