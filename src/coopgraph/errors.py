"""Errors raised by the coopgraph library.

Every error carries the context a user needs to act on it (file and line, query name and
position, parameter). The library never raises HTTP errors: ``coopgraph.api`` is the one place
where these become HTTP statuses.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class CoopgraphError(Exception):
    """Base class of every error coopgraph raises on purpose."""


class InputError(CoopgraphError):
    """An input file cannot be read or parsed.

    Parameters
    ----------
    message
        The parser's message.
    path
        The file that failed.
    line, column
        Where in the file, 1-based, when the parser says.
    """

    def __init__(
        self,
        message: str,
        path: Path | str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.path = Path(path) if path is not None else None
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path) if self.path is not None else "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class StoreBusy(CoopgraphError):
    """The on-disk store is held by another coopgraph process that may write to it.

    ``readable`` says the holder only reads it (a running service), so a reader may open it
    read-only beside it.
    """

    def __init__(self, message: str, readable: bool = False) -> None:
        self.readable = readable
        super().__init__(message)


class ValidationFailed(CoopgraphError):
    """Data did not conform to the shapes and was not loaded."""

    def __init__(self, message: str, report: object | None = None) -> None:
        self.report = report
        super().__init__(message)


class QueryError(CoopgraphError):
    """A SPARQL query is malformed or cannot be run.

    Parameters
    ----------
    message
        The engine's or parser's message (it includes the position where the engine gives one).
    query_name
        The named query, when the query came from the catalogue.
    line, column
        Position in the query text, 1-based, when known.
    """

    def __init__(
        self,
        message: str,
        query_name: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.query_name = query_name
        self.line = line
        self.column = column
        super().__init__(str(self))

    def __str__(self) -> str:
        prefix = f"query {self.query_name!r}: " if self.query_name else ""
        if self.line is not None:
            prefix += f"line {self.line}"
            prefix += f", column {self.column}: " if self.column is not None else ": "
        return prefix + self.message


class QueryTimeout(CoopgraphError):
    """A query ran longer than the configured time limit and was stopped."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        super().__init__(
            f"the query ran longer than the {seconds:g} s time limit and was stopped; "
            "narrow it (add triple patterns, LIMIT) or ask the operator to raise "
            "COOPGRAPH_QUERY_TIMEOUT"
        )


class QueueTimeout(QueryTimeout):
    """No query worker became free within ``COOPGRAPH_QUERY_QUEUE_WAIT``; the query did not run."""

    def __init__(self, seconds: float, retry_after: int = 1) -> None:
        self.seconds = seconds
        self.retry_after = retry_after
        CoopgraphError.__init__(
            self,
            f"every query worker is busy and none became free within {seconds:g} s, so the query "
            f"did not run; try again in {retry_after} s",
        )


class ClientBusy(CoopgraphError):
    """A client already runs as many queries as it may at once (``COOPGRAPH_QUERIES_PER_CLIENT``)."""

    def __init__(self, running: int, limit: int, retry_after: int = 1) -> None:
        self.running = running
        self.limit = limit
        self.retry_after = retry_after
        if running < limit:
            reason = (
                f"this client already has {running} query running and the last free query worker "
                "is kept for other clients"
            )
        else:
            reason = f"this client already has {running} queries running, the most one client may have"
        super().__init__(f"{reason} (COOPGRAPH_QUERIES_PER_CLIENT={limit}); wait for an answer, then retry")


class QueryAborted(CoopgraphError):
    """The worker running a query died before answering (an engine crash); it was replaced.

    ``signal`` names the signal that ended the worker, when one did.
    """

    def __init__(self, message: str, signal: str | None = None) -> None:
        self.message = message
        self.signal = signal
        super().__init__(message)


class QueryMemoryExceeded(QueryAborted):
    """A query needed more memory than a worker may add (``COOPGRAPH_QUERY_MEMORY``); the worker was replaced."""

    def __init__(self, limit: int, signal: str | None = None) -> None:
        self.limit = limit
        self.retry_after = 1
        super().__init__(
            f"the query needed more than the {limit / 2**30:g} GiB of memory a query may use "
            "(COOPGRAPH_QUERY_MEMORY) and was stopped; narrow it (add triple patterns, LIMIT, "
            "fewer ORDER BY or GROUP BY rows)",
            signal,
        )


class QueryRefused(CoopgraphError):
    """A query asks for something the service does not allow (an update, SERVICE)."""


class ParameterError(CoopgraphError):
    """A parameter of a named query or an API call is missing or malformed."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"parameter {name!r}: {message}")


class NotUtf8(ParameterError):
    """A parameter or request body is not UTF-8 text; ``offset`` is the first bad byte's.

    The offset counts bytes of the value after percent-decoding (of the body, for a query sent
    as the body).
    """

    def __init__(self, name: str, offset: int, where: str = "its value") -> None:
        self.offset = offset
        super().__init__(name, f"{where} is not UTF-8 text: the byte at offset {offset} starts no character")


class NotFound(CoopgraphError):
    """A named query, resource or graph does not exist."""


class NotAcceptable(CoopgraphError):
    """None of the media types a client accepts is offered.

    Parameters
    ----------
    supported
        The media types that are offered, the default first.
    """

    def __init__(self, supported: Sequence[str]) -> None:
        self.supported = list(supported)
        super().__init__(
            "none of the media types in Accept can be served; supported: " + ", ".join(self.supported)
        )


class RequestTooLarge(CoopgraphError):
    """A request body is larger than the configured limit of ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        super().__init__(f"the request body is larger than {limit:,} bytes (COOPGRAPH_MAX_REQUEST_BYTES)")


class UnsupportedContentType(CoopgraphError):
    """A request body comes in a media type the service does not read."""


class Unauthorized(CoopgraphError):
    """A request that needs a bearer token came without one, or with one that is not valid."""


class Forbidden(CoopgraphError):
    """The caller may not do this: its role does not allow it, or the service does not write."""


class NotSupported(CoopgraphError):
    """The store the service has cannot do what was asked (e.g. an atomic write of several graphs)."""


class WriteTooLarge(RequestTooLarge):
    """A write's body is larger than ``COOPGRAPH_MAX_WRITE_BYTES``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        CoopgraphError.__init__(
            self, f"the request body is larger than {limit:,} bytes (COOPGRAPH_MAX_WRITE_BYTES)"
        )


class Conflict(CoopgraphError):
    """What was asked no longer applies to the thing's current state (a submission already reviewed)."""


class LoginRequired(Unauthorized):
    """A browser asked for a page that needs a token without one; ``location`` is where it logs in."""

    def __init__(self, message: str, location: str) -> None:
        self.location = location
        super().__init__(message)
