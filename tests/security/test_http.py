"""HTTP limits cost the service nothing: slow bodies, huge heads, odd methods, odd parameters.

The service runs with a short ``COOPGRAPH_BODY_TIMEOUT`` so the probes stay quick. Slow clients
are closed with 408 within the timeout; a head past ``COOPGRAPH_MAX_HEAD_BYTES`` is refused with
431 before the rest of it is read; HEAD is answered as GET; unknown parameters are ignored;
malformed parameters and text that is not UTF-8 get 400 naming the parameter.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator

import httpx
import pytest
from rdflib import Graph

from coopgraph.config import Settings
from coopgraph.namespaces import SD
from support.services import Running, serve, service_env

BODY_TIMEOUT = 2.0
HEAD_LIMIT = 16_384
SLOW_CLIENTS = 50


def rss_kib(pid: int) -> int:
    """The resident memory of process ``pid``, in KiB."""
    with open(f"/proc/{pid}/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))


def address(service: Running) -> tuple[str, int]:
    host, port = service.url.removeprefix("http://").split(":")
    return host, int(port)


def read_until_closed(sock: socket.socket, deadline: float) -> bytes:
    """What the server sends until it closes the connection (or ``deadline``, then ``TimeoutError``)."""
    received = b""
    while True:
        sock.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            return received
        except TimeoutError:
            raise TimeoutError(f"still open; received {received[:80]!r}") from None
        if not chunk:
            return received
        received += chunk


@pytest.fixture(scope="module")
def service(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    env = service_env(
        settings.project_dir,
        in_memory="true",
        publish_analysis="false",
        query_workers="2",
        body_timeout=str(BODY_TIMEOUT),
        max_head_bytes=str(HEAD_LIMIT),
    )
    with serve(env, tmp_path_factory.mktemp("log") / "serve.log") as running:
        yield running


def test_slow_bodies_get_408_and_are_closed_within_the_timeout(service: Running) -> None:
    start = time.monotonic()
    clients = []
    try:
        for _ in range(SLOW_CLIENTS):
            sock = socket.create_connection(address(service), timeout=5)
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n"
                b"Content-Length: 1000\r\n\r\nSELEC"
            )
            clients.append(sock)
        deadline = start + BODY_TIMEOUT + 2.0
        answers = [read_until_closed(sock, deadline) for sock in clients]
    finally:
        for sock in clients:
            sock.close()
    assert all(a.startswith(b"HTTP/1.1 408 ") for a in answers), {a[:40] for a in answers}
    assert all(b"connection: close" in a.lower() for a in answers)
    assert time.monotonic() - start < BODY_TIMEOUT + 2.0
    assert httpx.get(service.sparql, params={"query": "ASK {}"}).status_code == 200


def test_a_slow_head_and_an_idle_connection_are_closed_too(service: Running) -> None:
    start = time.monotonic()
    with (
        socket.create_connection(address(service)) as idle,
        socket.create_connection(address(service)) as slow,
    ):
        slow.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: te")
        deadline = start + BODY_TIMEOUT + 2.0
        assert read_until_closed(idle, deadline) == b""
        assert read_until_closed(slow, deadline).startswith(b"HTTP/1.1 408 ")


def test_the_deadline_is_per_request_not_per_connection(service: Running) -> None:
    # three requests over one connection span more than the timeout; each arrives in time
    with httpx.Client() as client:
        for _ in range(3):
            assert client.get(service.sparql, params={"query": "ASK {}"}).status_code == 200
            time.sleep(BODY_TIMEOUT * 0.6)
        # a body sent in two parts, within the timeout, is read whole
        with socket.create_connection(address(service)) as sock:
            body = b"ASK { FILTER(1 = 1) }"
            sock.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n"
                b"Connection: close\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body[:5]
            )
            time.sleep(BODY_TIMEOUT / 4)
            sock.sendall(body[5:])
            answer = read_until_closed(sock, time.monotonic() + 10)
        assert answer.startswith(b"HTTP/1.1 200 ") and answer.endswith(b'"boolean":true}')


def test_a_head_past_the_limit_gets_431(service: Running) -> None:
    with socket.create_connection(address(service), timeout=5) as sock:
        sock.sendall(
            b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: test\r\nX-Big: " + b"a" * HEAD_LIMIT + b"\r\n"
        )
        answer = read_until_closed(sock, time.monotonic() + 5)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert b"COOPGRAPH_MAX_HEAD_BYTES" in answer
    # a query just inside the limit by GET still runs
    query = "ASK { FILTER('" + "x" * (HEAD_LIMIT // 2) + "' != '') }"
    assert httpx.get(service.sparql, params={"query": query}).json()["boolean"] is True


def test_a_50_mb_header_is_cut_off_early_and_costs_no_memory(service: Running) -> None:
    pid = service.process.pid
    before = rss_kib(pid)
    sent = 0
    chunk = b"a" * 65_536
    with socket.create_connection(address(service), timeout=5) as sock:
        sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: test\r\nX-Big: ")
        try:
            while sent < 50 * 1_048_576:
                sock.sendall(chunk)
                sent += len(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass
        else:
            pytest.fail("the server read a 50 MB header to its end")
    # what the server took before closing: the limit, plus what the socket buffers held
    assert sent < 16 * 1_048_576
    assert rss_kib(pid) - before < 10_240
    assert httpx.get(service.sparql, params={"query": "ASK {}"}).status_code == 200


def test_head_is_answered_as_get(service: Running) -> None:
    response = httpx.head(service.sparql, params={"query": "ASK {}"})
    assert response.status_code == 200
    assert response.content == b""
    assert response.headers["content-type"].startswith("application/sparql-results+json")
    described = httpx.head(service.sparql, headers={"Accept": "text/turtle"})
    assert described.status_code == 200 and described.content == b""


def test_an_unknown_parameter_is_ignored(service: Running) -> None:
    response = httpx.get(service.sparql, params={"xquery": "ASK {}"}, headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    assert (None, SD.endpoint, None) in Graph().parse(data=response.text, format="turtle")


@pytest.mark.parametrize("page", ["9" * 25, "9" * 5000, "-1", "1e3", "²"])
def test_a_page_that_is_no_page_number_is_a_parameter_error(service: Running, page: str) -> None:
    response = httpx.get(service.url + "/queries/contributions", params={"page": page})
    assert response.status_code == 400
    assert response.json()["error"] == "ParameterError" and response.json()["name"] == "page"


@pytest.mark.parametrize(
    ("url", "content", "content_type"),
    [
        ("/sparql?query=ASK%7B%FF%7D", None, None),
        ("/sparql", b"ASK { FILTER('\xff') }", "application/sparql-query"),
        ("/sparql", b"query=ASK%7B%FF%7D", "application/x-www-form-urlencoded"),
        ("/queries/partners-of-actor?actor=%FF", None, None),
    ],
    ids=["get", "sparql-query-body", "form-body", "named-query"],
)
def test_text_that_is_not_utf8_is_refused(
    service: Running, url: str, content: bytes | None, content_type: str | None
) -> None:
    if content is None:
        response = httpx.get(service.url + url)
    else:
        response = httpx.post(service.url + url, content=content, headers={"Content-Type": str(content_type)})
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "NotUtf8" and isinstance(body["offset"], int) and body["name"]


def read_response(sock: socket.socket) -> tuple[bytes, bytes]:
    """One response with a ``Content-Length`` from ``sock``: its head and its body."""
    received = b""
    while b"\r\n\r\n" not in received:
        received += sock.recv(65536)
    head, _, body = received.partition(b"\r\n\r\n")
    length = next(
        int(line.split(b":", 1)[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    while len(body) < length:
        body += sock.recv(65536)
    return head, body


def test_expect_100_continue_is_answered_before_the_body_is_sent(service: Running) -> None:
    # the interim answer goes out at once: a held one would leave both sides waiting
    body = b"ASK { FILTER(1 = 1) }"
    with socket.create_connection(address(service), timeout=5) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: test\r\nContent-Type: application/sparql-query\r\n"
            b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n"
        )
        interim = b""
        while b"\r\n\r\n" not in interim:
            interim += sock.recv(64)
        assert interim.startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        sock.sendall(body)
        head, answer = read_response(sock)
    assert head.startswith(b"HTTP/1.1 200 ") and b'"boolean":true' in answer


def test_pipelined_requests_are_answered_in_order_each_whole(service: Running) -> None:
    queries = [b"ASK%7B%7D", b"SELECT%20(1%20AS%20%3Fx)%20%7B%7D", b"ASK%7BFILTER(false)%7D"]
    with socket.create_connection(address(service), timeout=5) as sock:
        sock.sendall(
            b"".join(b"GET /sparql?query=" + q + b" HTTP/1.1\r\nHost: test\r\n\r\n" for q in queries)
        )
        answers = [read_response(sock) for _ in queries]
        sock.sendall(b"HEAD /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
        last = read_until_closed(sock, time.monotonic() + 5)
    assert [head.split(b"\r\n", 1)[0] for head, _ in answers] == [b"HTTP/1.1 200 OK"] * 3
    assert (
        b'"boolean":true' in answers[0][1] and b'"1"' in answers[1][1] and b'"boolean":false' in answers[2][1]
    )
    assert last.startswith(b"HTTP/1.1 200 OK") and last.endswith(b"\r\n\r\n")  # a head, and no body
