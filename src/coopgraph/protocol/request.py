"""A SPARQL 1.1 Protocol request read from its raw parts, and its answer as plain data.

The ASGI fast path and the documented ``/sparql`` route of :mod:`coopgraph.api` both read a
request with :func:`read_body` and answer it with :func:`answer_raw_request` (the result cache
first, by the request's raw bytes; then :func:`read_request` and :func:`answer_request`), so they
share every check and limit. Nothing here knows the web
framework: a bad request raises a library error (:mod:`coopgraph.errors`) and
``coopgraph.api.errors`` gives it its status.
"""

from __future__ import annotations

import asyncio
import codecs
import functools
from collections.abc import AsyncIterable
from dataclasses import dataclass, field
from urllib.parse import unquote_to_bytes

from coopgraph.config import Settings
from coopgraph.errors import (
    NotAcceptable,
    NotUtf8,
    ParameterError,
    QueryRefused,
    RequestTooLarge,
    UnsupportedContentType,
)
from coopgraph.negotiation import GRAPH_TYPES, RESULTS_TYPES, MediaType, choose
from coopgraph.protocol import (
    MAX_ROWS_HEADER,
    QUERY_BASE,
    READ_ONLY_MESSAGE,
    TRUNCATED_HEADER,
    Answer,
    Job,
    QueryRunner,
    check_query,
)
from coopgraph.protocol.cache import CACHE_CONTROL, CACHE_HEADER, Key, request_key
from coopgraph.protocol.runner import Served

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
QUERY = "query"
DEFAULT_GRAPH_URI = "default-graph-uri"
NAMED_GRAPH_URI = "named-graph-uri"
LARGE_QUERY = 65_536
"""Characters past which a query is checked in a thread, so the event loop goes on meanwhile."""


@dataclass
class Reply:
    """An answer as plain data: status, body, content type and extra headers."""

    status: int
    body: bytes
    content_type: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ProtocolRequest:
    """A query and the RDF dataset the protocol request names for it."""

    query: str
    default_graph: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()


def _unquote(data: bytes) -> str:
    # percent-escapes rewritten as the \xHH escapes of Python's C `unicode_escape` codec: five
    # times faster than urllib's per-escape loop on a query, the largest thing a client sends
    escaped = data.replace(b"\\", b"\\\\").replace(b"+", b" ").replace(b"%", b"\\x")
    return codecs.decode(escaped, "unicode_escape").encode("latin-1").decode("utf-8")


def _strict_pairs(data: bytes) -> list[tuple[str, str]]:
    """The pairs as ``parse_qsl`` reads them (a malformed escape kept as it is), but UTF-8 only."""
    pairs = []
    for pair in data.split(b"&"):
        if not pair:
            continue
        raw_name, _, raw_value = pair.partition(b"=")
        name_bytes = unquote_to_bytes(raw_name.replace(b"+", b" "))
        try:
            name = name_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            shown = name_bytes.decode("utf-8", "replace")
            raise NotUtf8(shown, exc.start, "the parameter's name") from None
        value_bytes = unquote_to_bytes(raw_value.replace(b"+", b" "))
        try:
            pairs.append((name, value_bytes.decode("utf-8")))
        except UnicodeDecodeError as exc:
            raise NotUtf8(name, exc.start) from None
    return pairs


def parse_form(data: bytes) -> list[tuple[str, str]]:
    """The ``name=value`` pairs of a query string or form body, in order, repeats kept.

    The same pairs as ``urllib.parse.parse_qsl(data.decode(), keep_blank_values=True)``, which
    reads what the fast decoder cannot (a malformed escape), except that text that is not UTF-8
    is refused rather than read with replacement characters.

    Parameters
    ----------
    data
        A URL query string or an ``application/x-www-form-urlencoded`` body.

    Returns
    -------
    list of (str, str)
        The decoded pairs.

    Raises
    ------
    NotUtf8
        A name or value is not UTF-8 once percent-decoded (the parameter and byte offset named).

    Examples
    --------
    >>> parse_form(b"query=SELECT+%3Fs+%7B%7D&default-graph-uri=&x")
    [('query', 'SELECT ?s {}'), ('default-graph-uri', ''), ('x', '')]
    >>> parse_form(b"query=ASK%7B%FF%7D")
    Traceback (most recent call last):
    ...
    coopgraph.errors.NotUtf8: parameter 'query': its value is not UTF-8 text: the byte at offset 4 starts no character
    """
    try:
        return [
            (_unquote(name), _unquote(value))
            for name, _, value in (pair.partition(b"=") for pair in data.split(b"&") if pair)
        ]
    except UnicodeError:
        return _strict_pairs(data)


async def read_body(chunks: AsyncIterable[bytes], length: int | None, limit: int) -> bytes:
    """The body of a request, refused past ``limit`` bytes.

    A declared ``Content-Length`` over the limit is refused before anything is read; a chunked
    body is counted as it comes.

    Parameters
    ----------
    chunks
        The body as it arrives.
    length
        The declared ``Content-Length``, if any.
    limit
        The largest body accepted (``COOPGRAPH_MAX_REQUEST_BYTES``).

    Returns
    -------
    bytes
        The whole body.

    Raises
    ------
    RequestTooLarge
        The body is larger than ``limit``.

    Examples
    --------
    >>> import asyncio
    >>> async def arriving():
    ...     yield b"ASK "
    ...     yield b"{}"
    >>> asyncio.run(read_body(arriving(), None, 100))
    b'ASK {}'
    >>> asyncio.run(read_body(arriving(), None, 5))
    Traceback (most recent call last):
    ...
    coopgraph.errors.RequestTooLarge: the request body is larger than 5 bytes (COOPGRAPH_MAX_REQUEST_BYTES)
    """
    if length is not None and length > limit:
        raise RequestTooLarge(limit)
    parts = []
    size = 0
    async for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise RequestTooLarge(limit)
        parts.append(chunk)
    return b"".join(parts)


def protocol_params(
    method: str, query_string: bytes, content_type: str, body: bytes
) -> list[tuple[str, str]]:
    """The protocol parameters of a GET or POST request, in order, repeats kept.

    Parameters
    ----------
    method
        ``GET`` or ``POST``.
    query_string
        The raw URL query string.
    content_type
        The ``Content-Type`` header of a POST (empty when absent).
    body
        The body of a POST.

    Returns
    -------
    list of (str, str)
        The parameters of the URL, then those of the body.

    Raises
    ------
    QueryRefused
        The body is a SPARQL update.
    UnsupportedContentType
        A POST body is neither a form nor a SPARQL query.
    ParameterError
        The query is given both as the body and as a ``query`` parameter, or a parameter or the
        body is not UTF-8 (:class:`~coopgraph.errors.NotUtf8`).

    Examples
    --------
    >>> protocol_params("POST", b"named-graph-uri=g", "application/sparql-query", b"ASK {}")
    [('named-graph-uri', 'g'), ('query', 'ASK {}')]
    """
    params = parse_form(query_string)
    if method != "POST":  # GET, and HEAD, answered as GET without the body
        return params
    content_type = content_type.split(";")[0].strip().lower()
    if content_type == FORM:
        return params + parse_form(body)
    if content_type == SPARQL_QUERY:
        if any(k == QUERY for k, _ in params):
            raise ParameterError(QUERY, "the query is given both in the body and as a `query` parameter")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise NotUtf8(QUERY, exc.start, "the request body") from None
        return [*params, (QUERY, text)]
    if content_type == SPARQL_UPDATE:
        raise QueryRefused(READ_ONLY_MESSAGE)
    raise UnsupportedContentType(
        f"unsupported Content-Type {content_type or '(none)'!r} for POST: use {FORM} or {SPARQL_QUERY}"
    )


def read_request(method: str, query_string: bytes, content_type: str, body: bytes) -> ProtocolRequest | None:
    """The query of a protocol request and its dataset; ``None`` for a GET without a query.

    Parameters
    ----------
    method, query_string, content_type, body
        The request, as :func:`protocol_params` reads it.

    Returns
    -------
    ProtocolRequest or None
        ``None`` when a GET carries no query (it asks for the service description).

    Raises
    ------
    ParameterError
        ``query`` is missing (POST), repeated or empty.
    QueryRefused
        The request is an update.
    UnsupportedContentType
        A POST body is neither a form nor a SPARQL query.

    Examples
    --------
    >>> read_request("GET", b"query=ASK+%7B%7D&default-graph-uri=g", "", b"")
    ProtocolRequest(query='ASK {}', default_graph=('g',), named_graphs=())
    >>> read_request("GET", b"", "", b"") is None
    True
    """
    params = protocol_params(method, query_string, content_type, body)
    if any(k == "update" for k, _ in params):
        raise QueryRefused(READ_ONLY_MESSAGE)
    queries = [v for k, v in params if k == QUERY]
    if len(queries) > 1:
        raise ParameterError(QUERY, f"given {len(queries)} times; give exactly one query")
    if not queries:
        if method == "POST":
            raise ParameterError(QUERY, "missing: give a SPARQL query in the `query` parameter")
        return None
    if not queries[0].strip():
        raise ParameterError(QUERY, "the query is empty")
    return ProtocolRequest(
        queries[0],
        default_graph=tuple(v for k, v in params if k == DEFAULT_GRAPH_URI),
        named_graphs=tuple(v for k, v in params if k == NAMED_GRAPH_URI),
    )


@functools.lru_cache(maxsize=256)
def _choose_media(accept: str | None, graph_answer: bool) -> MediaType | None:
    # clients send the same few Accept headers
    return choose(accept, GRAPH_TYPES if graph_answer else RESULTS_TYPES)


def answer_media(accept: str | None, graph_answer: bool) -> MediaType:
    """The format of a query answer for this ``Accept`` header.

    Parameters
    ----------
    accept
        The ``Accept`` header, if any.
    graph_answer
        The answer is an RDF graph (CONSTRUCT, DESCRIBE) rather than results (SELECT, ASK).

    Returns
    -------
    MediaType
        The offered format the client prefers.

    Raises
    ------
    NotAcceptable
        The client accepts none of the offered formats.

    Examples
    --------
    >>> answer_media("text/csv", graph_answer=False).media_type
    'text/csv'
    >>> answer_media("text/csv", graph_answer=True)
    Traceback (most recent call last):
    ...
    coopgraph.errors.NotAcceptable: none of the media types in Accept can be served; supported: text/turtle, application/ld+json, application/rdf+xml, application/n-triples
    """
    media = _choose_media(accept, graph_answer)
    if media is None:
        raise NotAcceptable([m.media_type for m in (GRAPH_TYPES if graph_answer else RESULTS_TYPES)])
    return media


def answer_reply(answer: Answer, settings: Settings) -> Reply:
    """The reply of a serialised answer, saying when rows were cut.

    Parameters
    ----------
    answer
        The serialised answer of a query.
    settings
        The settings (``max_rows`` is reported when rows were cut).

    Returns
    -------
    Reply
        A 200 reply that varies on ``Accept``.

    Examples
    --------
    >>> reply = answer_reply(Answer(b"{}", "application/json", truncated=True), Settings(max_rows=5))
    >>> reply.status, reply.headers["X-Coopgraph-Max-Rows"]
    (200, '5')
    """
    headers = {"Vary": "Accept"}
    if answer.truncated:
        headers[TRUNCATED_HEADER] = "true"
        headers[MAX_ROWS_HEADER] = str(settings.max_rows)
    return Reply(200, answer.body, answer.content_type, headers)


def served_reply(served: Served, settings: Settings) -> Reply:
    """The reply of a served job: 304 when the client's copy is current, else the answer.

    Either way it says whether the answer came from the cache (``X-Coopgraph-Cache``) and, when
    the answer has an entity tag, gives it with a ``Cache-Control`` that has a browser or proxy
    revalidate before use.

    Parameters
    ----------
    served
        What :meth:`QueryRunner.serve` gave.
    settings
        The settings (``max_rows`` is reported when rows were cut).

    Returns
    -------
    Reply
        A 200 or 304 reply that varies on ``Accept``.

    Examples
    --------
    >>> reply = served_reply(Served(None, hit=True, etag='W/"1"', not_modified=True), Settings())
    >>> reply.status, reply.body, reply.headers["ETag"], reply.headers["X-Coopgraph-Cache"]
    (304, b'', 'W/"1"', 'hit')
    """
    if served.not_modified or served.answer is None:
        reply = Reply(304, b"", "", {"Vary": "Accept"})
    else:
        reply = answer_reply(served.answer, settings)
    reply.headers[CACHE_HEADER] = "hit" if served.hit else "miss"
    if served.etag is not None:
        reply.headers["ETag"] = served.etag
        reply.headers["Cache-Control"] = CACHE_CONTROL
    else:
        reply.headers["Cache-Control"] = "no-store"
    return reply


async def answer_request(
    request: ProtocolRequest,
    accept: str | None,
    settings: Settings,
    runner: QueryRunner,
    client: str | None = None,
    if_none_match: str | None = None,
    raw: Key | None = None,
) -> Reply:
    """Check the query, negotiate the format and run the query under the time limit.

    Parameters
    ----------
    request
        The query and its dataset.
    accept
        The ``Accept`` header, if any.
    settings
        The limits (rows, SERVICE policy).
    runner
        The worker pool that runs queries.
    client
        Who asks (its remote address), so one client cannot hold every worker.
    if_none_match
        The ``If-None-Match`` header: when it names the answer's entity tag, the reply is a 304
        and nothing runs.
    raw
        The request as it arrived (:func:`~coopgraph.protocol.cache.request_key`), so that
        once its answer is kept the same bytes find it before they are read.

    Returns
    -------
    Reply
        The serialised answer (from the result cache when it holds it), or a 304.

    Raises
    ------
    CoopgraphError
        The query is malformed, refused, not answerable in an accepted format, or ran too long.
    """
    if len(request.query) > LARGE_QUERY:
        # reading a large text token by token takes milliseconds: off the event loop
        info = await asyncio.to_thread(check_query, request.query, settings)
    else:
        info = check_query(request.query, settings)
    media = answer_media(accept, info.is_graph)
    job = Job(
        request.query,
        info.form,
        media,
        settings.max_rows,
        default_graph=request.default_graph,
        named_graphs=request.named_graphs,
        base_iri=QUERY_BASE if info.relative_iris else None,
    )
    return served_reply(await runner.serve(job, client, if_none_match, raw), settings)


async def answer_raw_request(
    method: str,
    query_string: bytes,
    content_type: str,
    body: bytes,
    accept: str | None,
    settings: Settings,
    runner: QueryRunner,
    client: str | None = None,
    if_none_match: str | None = None,
) -> Reply | None:
    """Answer a protocol request from its raw parts: from the cache by its bytes, else read it.

    The same bytes answered before are found in the result cache before anything is decoded,
    checked or negotiated (:meth:`QueryRunner.kept`): only a request that was read, checked and
    answered has its bytes kept, with the answer. Anything else is read (:func:`read_request`)
    and answered (:func:`answer_request`).

    Parameters
    ----------
    method, query_string, content_type, body
        The request, as :func:`protocol_params` reads it.
    accept, settings, runner, client, if_none_match
        As :func:`answer_request`.

    Returns
    -------
    Reply or None
        The reply; ``None`` for a GET that carries no query (it asks for the service description).

    Raises
    ------
    CoopgraphError
        As :func:`read_request` and :func:`answer_request`.
    """
    raw = request_key(method, query_string, content_type, body, accept)
    served = runner.kept(raw, if_none_match)
    if served is not None:
        return served_reply(served, settings)
    request = read_request(method, query_string, content_type, body)
    if request is None:
        return None
    return await answer_request(request, accept, settings, runner, client, if_none_match, raw)
