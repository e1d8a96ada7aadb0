"""Attacks on the write side: every refusal is a 4xx naming the problem and leaves the store
byte-for-byte as it was; concurrent writes lose nothing; a crash mid-write leaves a graph whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from coopgraph.auth import Role, TokenStore
from coopgraph.store import EmbeddedStore
from support.writing import GOOD_TURTLE, SUBMISSION, Writable, fingerprint, served, writable_service

TURTLE = {"Content-Type": "text/turtle"}
GRAPH = f"/graph-store?graph={SUBMISSION}"


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Writable]:
    with writable_service(tmp_path_factory.mktemp("writes"), max_write_bytes=64 * 1024) as writable:
        writable.client.put(GRAPH, content=GOOD_TURTLE, headers={**TURTLE, **writable.auth("curator")})
        yield writable


def refused(service: Writable, method: str, url: str, status: int, **kwargs: object) -> dict[str, object]:
    """Send a hostile request; assert its status and that no graph changed by a byte."""
    before = fingerprint(service.store)
    response = service.client.request(method, url, **kwargs)  # type: ignore[arg-type]
    assert response.status_code == status, response.text
    assert fingerprint(service.store) == before
    body = response.json()
    assert body["message"]
    return body


@pytest.mark.parametrize("method", ["PUT", "POST", "DELETE"])
def test_no_token_is_401_with_a_challenge(service: Writable, method: str) -> None:
    before = fingerprint(service.store)
    response = service.client.request(method, GRAPH, content=GOOD_TURTLE, headers=TURTLE)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert fingerprint(service.store) == before


@pytest.mark.parametrize(
    "header", ["Bearer nonsense", "Bearer test-curator.wrong", "Basic dXNlcjpwYXNz", "Bearer "]
)
def test_bad_credentials_are_401(service: Writable, header: str) -> None:
    refused(service, "PUT", GRAPH, 401, content=GOOD_TURTLE, headers={**TURTLE, "Authorization": header})


def test_a_contributor_may_not_write_a_graph_or_update(service: Writable) -> None:
    body = refused(
        service, "PUT", GRAPH, 403, content=GOOD_TURTLE, headers={**TURTLE, **service.auth("contributor")}
    )
    assert "contributor" in str(body["message"])
    refused(
        service,
        "POST",
        "/update",
        403,
        content=b"CLEAR ALL",
        headers={"Content-Type": "application/sparql-update", **service.auth("contributor")},
    )


def test_over_the_size_limit_is_413_declared_or_chunked(service: Writable) -> None:
    big = GOOD_TURTLE + b"#" + b"x" * (64 * 1024) + b"\n"
    body = refused(service, "PUT", GRAPH, 413, content=big, headers={**TURTLE, **service.auth("curator")})
    assert "COOPGRAPH_MAX_WRITE_BYTES" in str(body["message"])

    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b"#" + b"y" * 1023 + b"\n"

    refused(service, "PUT", GRAPH, 413, content=chunks(), headers={**TURTLE, **service.auth("curator")})


@pytest.mark.parametrize("content_type", ["application/pdf", "", "application/n-quads", "text/turtle-ish"])
def test_unsupported_media_types_are_415(service: Writable, content_type: str) -> None:
    refused(
        service,
        "PUT",
        GRAPH,
        415,
        content=GOOD_TURTLE,
        headers={"Content-Type": content_type, **service.auth("curator")},
    )


@pytest.mark.parametrize(
    ("body", "content_type", "says"),
    [
        (
            b'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>',
            "application/rdf+xml",
            "entities",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><r/>',
            "application/rdf+xml",
            "DTD",
        ),
        (
            b'{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "http://e/s"}',
            "application/ld+json",
            "fetched",
        ),
        (
            b'{"@context": {"@import": "http://127.0.0.1:9/c"}, "@id": "http://e/s"}',
            "application/ld+json",
            "@import",
        ),
        (b'<http://e/s> <http://e/p> "unterminated .', "text/turtle", "line"),
        (b"\xff\xfe<\x00", "text/turtle", ""),
    ],
)
def test_hostile_rdf_is_400_before_any_parse_fetches_or_expands(
    service: Writable, body: bytes, content_type: str, says: str
) -> None:
    answer = refused(
        service,
        "PUT",
        GRAPH,
        400,
        content=body,
        headers={"Content-Type": content_type, **service.auth("curator")},
    )
    assert says in str(answer["message"])


def test_non_conforming_data_is_422_with_the_report(service: Writable) -> None:
    body = GOOD_TURTLE.replace(b'rdfs:label "Test Foundation"@en ;', b"")
    answer = refused(service, "PUT", GRAPH, 422, content=body, headers={**TURTLE, **service.auth("curator")})
    report = answer["report"]
    assert isinstance(report, dict) and report["conforms"] is False and report["nodes"]


@pytest.mark.parametrize(
    "graph",
    [
        "http://e/g> } ; DROP ALL ; #",
        "relative/graph",
        "x" * 3000,
        "https://w3id.org/coopgraph/graph/ontology",
        "https://w3id.org/coopgraph/graph/analysis",
    ],
)
def test_hostile_graph_names_are_refused(service: Writable, graph: str) -> None:
    before = fingerprint(service.store)
    response = service.client.put(
        "/graph-store",
        params={"graph": graph},
        content=GOOD_TURTLE,
        headers={**TURTLE, **service.auth("curator")},
    )
    assert response.status_code in (400, 403, 422), response.text
    assert fingerprint(service.store) == before


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"\xff\xfeINSERT", "application/sparql-update", 400),
        (b"update=a&update=b", "application/x-www-form-urlencoded", 400),
        (b"", "application/sparql-update", 400),
        (b"CLEAR ALL", "text/plain", 415),
        (b"DROP GRAPH <https://w3id.org/coopgraph/graph/shapes>", "application/sparql-update", 403),
        (
            b"INSERT DATA { GRAPH <http://e/g> { <http://e/s> <http://e/p> " + b"[" * 5000 + b"] } }",
            "application/sparql-update",
            400,
        ),
    ],
)
def test_hostile_updates_are_refused(service: Writable, body: bytes, content_type: str, status: int) -> None:
    refused(
        service,
        "POST",
        "/update",
        status,
        content=body,
        headers={"Content-Type": content_type, **service.auth("curator")},
    )


def test_writes_are_off_without_tokens(tmp_path: Path) -> None:
    with writable_service(tmp_path, with_tokens=False) as readonly:
        before = fingerprint(readonly.store)
        for method, url in (("PUT", GRAPH), ("POST", GRAPH), ("DELETE", GRAPH), ("POST", "/update")):
            response = readonly.client.request(method, url, content=GOOD_TURTLE, headers=TURTLE)
            assert response.status_code == 403 and "writes are off" in response.json()["message"]
        assert (
            readonly.client.get(
                "/graph-store", params={"graph": "https://w3id.org/coopgraph/graph/global-alliance-2002"}
            ).status_code
            == 200
        )
        assert fingerprint(readonly.store) == before


def test_a_token_created_after_start_cannot_write_until_restart(tmp_path: Path) -> None:
    with writable_service(tmp_path, with_tokens=False) as readonly:
        token = TokenStore(tmp_path / "tokens.json").create("late", Role.curator)
        response = readonly.client.put(
            GRAPH, content=GOOD_TURTLE, headers={**TURTLE, "Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 403 and "restart" in response.json()["message"]


def test_concurrent_posts_to_one_graph_lose_nothing(tmp_path: Path) -> None:
    with served(tmp_path) as (base, store, tokens):
        headers = {**TURTLE, "Authorization": f"Bearer {tokens['curator']}"}
        assert (
            httpx.put(
                f"{base}graph-store",
                params={"graph": SUBMISSION},
                content=GOOD_TURTLE,
                headers=headers,
                timeout=60,
            ).status_code
            == 201
        )
        statuses: list[int] = []

        def post(n: int) -> None:
            triple = f'<https://w3id.org/coopgraph/id/organisation/test-foundation> <http://www.w3.org/2004/02/skos/core#altLabel> "alias {n}"@en .'
            reply = httpx.post(
                f"{base}graph-store",
                params={"graph": SUBMISSION},
                content=triple.encode(),
                headers=headers,
                timeout=120,
            )
            statuses.append(reply.status_code)

        threads = [threading.Thread(target=post, args=(n,)) for n in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert statuses == [200] * 6
        aliases = {q.object.value for q in store.quads(SUBMISSION) if q.predicate.value.endswith("altLabel")}
        assert aliases == {f"alias {n}" for n in range(6)}


CRASHING_WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    import pyoxigraph as ox
    from coopgraph.store import EmbeddedStore
    store = EmbeddedStore(Path(sys.argv[1]))
    s = ox.NamedNode("http://e/s")
    triples = [ox.Triple(s, ox.NamedNode(f"http://e/p{i}"), ox.Literal("new")) for i in range(int(sys.argv[2]))]
    print("ready", flush=True)
    while True:
        store.put_graphs({"http://e/a": triples, "http://e/b": triples})
        triples = [ox.Triple(t.subject, t.predicate, ox.Literal("old" if t.object.value == "new" else "new")) for t in triples]
    """
)


@pytest.mark.parametrize("delay", [0.3, 0.8, 1.5])
def test_kill_9_mid_write_leaves_each_graph_whole(tmp_path: Path, delay: float) -> None:
    size = 50_000
    folder = tmp_path / "store"
    process = subprocess.Popen(
        [sys.executable, "-c", CRASHING_WRITER, str(folder), str(size)], stdout=subprocess.PIPE
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == b"ready"
        time.sleep(delay)
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    store = EmbeddedStore(folder)  # reopened for writing: recovery runs
    try:
        for graph in store.named_graphs():
            values = {q.object.value for q in store.quads(graph)}
            assert len(values) == 1 and store.graph_size(graph) == size, (graph, values)
        contents = {graph: {q.object.value for q in store.quads(graph)} for graph in store.named_graphs()}
        assert len({frozenset(v) for v in contents.values()}) <= 1  # both graphs of one write, or neither
        assert not [g for g in store.named_graphs() if "staging" in g]
    finally:
        store.close()
