"""The HTTP protocol of ``coopgraph serve``: a response's head leaves with its body.

The transport below records what uvicorn's cycle would send; the real server is probed in
``tests/security/test_http.py`` (interim answers, pipelining, HEAD, closing).
"""

from __future__ import annotations

import asyncio

from coopgraph.cli.serve import HeadWithBody


class Recording(asyncio.Transport):
    """A transport that records each send: one entry per write, the parts of a vectored one."""

    def __init__(self) -> None:
        super().__init__()
        self.sends: list[list[bytes]] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.sends.append([bytes(data)])

    def writelines(self, list_of_data: object) -> None:
        self.sends.append([bytes(part) for part in list_of_data])  # type: ignore[attr-defined]

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


HEAD = b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n"


def test_the_head_leaves_with_the_first_body_bytes_in_one_send() -> None:
    inner = Recording()
    transport = HeadWithBody(inner)
    transport.write(HEAD)
    assert inner.sends == []
    transport.write(b"{}")
    transport.write(b"more")
    assert inner.sends == [[HEAD, b"{}"], [b"more"]]


def test_an_interim_answer_leaves_at_once() -> None:
    inner = Recording()
    transport = HeadWithBody(inner)
    transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    assert inner.sends == [[b"HTTP/1.1 100 Continue\r\n\r\n"]]


def test_a_held_head_leaves_before_the_connection_closes_or_is_asked_about() -> None:
    inner = Recording()
    transport = HeadWithBody(inner)
    transport.write(HEAD)
    transport.close()
    assert inner.sends == [[HEAD]] and inner.closed
    other = Recording()
    transport = HeadWithBody(other)
    transport.write(HEAD)
    assert transport.is_closing() is False
    assert other.sends == [[HEAD]]
