"""The remote store's one HTTP client: what it sends, what it returns, and how it fails."""

from __future__ import annotations

import socket
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest

from coopgraph.errors import QueryError, QueryTimeout
from coopgraph.store import RemoteStore


@dataclass
class Endpoint:
    """A stand-in endpoint on a loopback port: records each request, gives a set answer."""

    url: str
    status: int = 200
    body: bytes = b'{"head":{},"boolean":true}'
    content_type: str = "application/sparql-results+json"
    seen: list[tuple[dict[str, str], dict[str, list[str]]]] = field(default_factory=list)


@pytest.fixture
def endpoint() -> Iterator[Endpoint]:
    state = Endpoint("")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", 0))
            fields = urllib.parse.parse_qs(self.rfile.read(length).decode())
            state.seen.append((dict(self.headers.items()), fields))
            self.send_response(state.status)
            self.send_header("Content-Type", state.content_type)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}/sparql"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def test_request_posts_the_protocol_fields_with_credentials(endpoint: Endpoint) -> None:
    store = RemoteStore(endpoint.url, user="reader", password="secret")
    body, content_type = store.request(
        "ASK { ?_s_iri ?p ?o }",
        "application/sparql-results+json",
        default_graph_uris=["http://e/g1"],
        named_graph_uris=["http://e/g2", "http://e/g3"],
        bindings={"_s_iri": ox.NamedNode("http://e/s")},
    )
    assert (body, content_type) == (endpoint.body, endpoint.content_type)
    headers, fields = endpoint.seen[0]
    assert headers["Authorization"] == "Basic cmVhZGVyOnNlY3JldA=="  # reader:secret
    assert headers["Accept"] == "application/sparql-results+json"
    assert fields["default-graph-uri"] == ["http://e/g1"]
    assert fields["named-graph-uri"] == ["http://e/g2", "http://e/g3"]
    assert "VALUES (?_s_iri) { (<http://e/s>) }" in fields["query"][0]


def test_store_reads_and_writes_go_through_the_same_client(endpoint: Endpoint) -> None:
    store = RemoteStore(endpoint.url, endpoint.url, user="reader", password="secret")
    assert store.ask("ASK {}") is True
    store.drop_graph("http://e/g")
    (ask_headers, ask), (drop_headers, drop) = endpoint.seen
    assert ask["query"] == ["ASK {}"] and drop["update"] == ["DROP SILENT GRAPH <http://e/g>"]
    assert ask_headers["Authorization"] == drop_headers["Authorization"]


def test_refused_query_is_a_query_error_with_the_endpoint_message(endpoint: Endpoint) -> None:
    endpoint.status, endpoint.content_type = 400, "text/plain"
    endpoint.body = b"error at 1:8: expected WHERE"
    with pytest.raises(QueryError, match="expected WHERE") as info:
        RemoteStore(endpoint.url).select("SELECT ?x {")
    assert (info.value.line, info.value.column) == (1, 8)


def test_failing_endpoint_is_a_query_error_with_its_status(endpoint: Endpoint) -> None:
    endpoint.status, endpoint.content_type, endpoint.body = 500, "text/plain", b"disk full"
    with pytest.raises(QueryError, match=r"answered 500: disk full"):
        RemoteStore(endpoint.url).ask("ASK {}")


def test_write_without_an_update_endpoint_is_refused_before_any_request(endpoint: Endpoint) -> None:
    with pytest.raises(QueryError, match="COOPGRAPH_SPARQL_UPDATE_ENDPOINT"):
        RemoteStore(endpoint.url).put_graph("http://e/g", [])
    assert endpoint.seen == []


def test_unreachable_endpoint_is_a_clear_query_error() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, not listening: connections are refused
        with pytest.raises(QueryError, match=f"cannot reach the SPARQL endpoint http://127.0.0.1:{port}/q"):
            RemoteStore(f"http://127.0.0.1:{port}/q").ask("ASK {}")


def test_silent_endpoint_times_out_after_the_timeout() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()  # connections are accepted by the kernel, and never answered
        url = f"http://127.0.0.1:{s.getsockname()[1]}/q"
        with pytest.raises(QueryTimeout):
            RemoteStore(url, timeout=0.3).ask("ASK {}")
        with pytest.raises(QueryTimeout):  # a request's own timeout wins over the store's
            RemoteStore(url, timeout=60).request("ASK {}", "*/*", timeout=0.3)


def test_request_returns_what_a_real_endpoint_answers(remote_store: RemoteStore) -> None:
    body, content_type = remote_store.request("SELECT (1 AS ?one) {}", "text/csv")
    assert content_type.startswith("text/csv")
    assert body.decode().splitlines() == ["one", "1"]
    with pytest.raises(QueryError) as info:
        remote_store.request("SELECT ?x {", "text/csv")
    assert info.value.line is not None
