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


class QueryRefused(CoopgraphError):
    """A query asks for something the service does not allow (an update, SERVICE)."""


class ParameterError(CoopgraphError):
    """A parameter of a named query or an API call is missing or malformed."""

    def __init__(self, name: str, message: str) -> None:
        self.name = name
        super().__init__(f"parameter {name!r}: {message}")


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
