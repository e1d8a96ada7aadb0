"""What the endpoint refuses before a query runs: updates, unallowed ``SERVICE``, unreadable text,
nesting deeper than the engine can take.

The text is read once, here (:func:`~coopgraph.sparqltext.inspect_query`); its form travels
with the query to whatever runs it.
"""

from __future__ import annotations

from coopgraph.config import Settings
from coopgraph.errors import QueryError, QueryRefused
from coopgraph.namespaces import CANONICAL_BASE
from coopgraph.sparqltext import (
    OPENING,
    QueryInfo,
    inspect_query,
    line_and_column,
    too_deep,
    unescape_codepoints,
)

READ_ONLY_MESSAGE = (
    "this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP...) are refused"
)

QUERY_BASE = CANONICAL_BASE
"""The base IRI of user queries (SPARQL 1.1 Protocol §2.3): the canonical base the service maps
its own URL onto, so ``<id/party/mexico>`` names the same resource on every host."""


def check_nesting(text: str, limit: int, chain_limit: int | None = None) -> None:
    """Refuse text nested deeper than ``limit`` (``{``, ``(``, ``[``) or chaining more than
    ``chain_limit`` operators in one group (see :func:`~coopgraph.sparqltext.too_deep`).

    The text is read as Oxigraph reads it and, when it holds codepoint escapes, as SPARQL 1.1
    reads it after replacing them (an engine that does so would see the brackets they hide).

    Raises
    ------
    QueryError
        At the line and column of the bracket that goes too deep.

    Examples
    --------
    >>> check_nesting("ASK {" + "{" * 5 + "}" * 6, 4)
    Traceback (most recent call last):
    ...
    coopgraph.errors.QueryError: line 1, column 9: nested more than 4 levels deep ...
    """
    for source, processed in ((text, False), (unescape_codepoints(text), True)):
        if processed and source is text:
            break
        token = too_deep(source, limit, chain_limit=chain_limit, codepoints_processed=processed)
        if token is not None:
            line, column = line_and_column(source, token.start)
            where = " once codepoint escapes are replaced" if processed else ""
            if token.text in OPENING:
                message = (
                    f"nested more than {limit} levels deep{where} (groups, brackets and parentheses "
                    "counted together); COOPGRAPH_MAX_QUERY_DEPTH sets the limit"
                )
            else:
                message = (
                    f"more than {chain_limit} operators chained in one group{where} (the engine "
                    f"nests them: {token.text!r} is one too many); COOPGRAPH_MAX_QUERY_CHAIN sets "
                    "the limit"
                )
            raise QueryError(message, line=line, column=column)


def check_query(text: str, settings: Settings) -> QueryInfo:
    """Refuse what the service does not allow (nesting too deep, updates, ``SERVICE`` not allowed).

    ``SERVICE`` endpoints are resolved against :data:`QUERY_BASE`, as the query will be.

    Raises
    ------
    QueryRefused
        For an update, or a ``SERVICE`` to an endpoint that is not allowed.
    QueryError
        For text nested deeper than ``max_query_depth``, or that names ``SERVICE`` but holds a
        character that starts no SPARQL token: what an engine would make of it cannot be told.

    Examples
    --------
    >>> check_query("SELECT * { ?s ?p ?o }", Settings(in_memory=True)).form
    'SELECT'
    >>> check_query("DROP ALL", Settings(in_memory=True))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopgraph.errors.QueryRefused: this endpoint is read-only: ...
    """
    check_nesting(text, settings.max_query_depth, settings.max_query_chain)
    info = inspect_query(text, QUERY_BASE)
    if info.form == "UPDATE":
        raise QueryRefused(READ_ONLY_MESSAGE)
    if info.error is not None:
        raise QueryError(info.error.message, line=info.error.line, column=info.error.column)
    for endpoint in info.services:
        if not settings.allow_service:
            raise QueryRefused(
                f"SERVICE <{endpoint}> refused: federated queries (SERVICE) are switched off on "
                "this endpoint (COOPGRAPH_ALLOW_SERVICE)"
            )
        if endpoint not in settings.service_allowlist:
            raise QueryRefused(
                f"SERVICE <{endpoint}> refused: the endpoint is not on the allowlist "
                f"(COOPGRAPH_SERVICE_ALLOWLIST: {', '.join(settings.service_allowlist) or 'empty'})"
            )
    return info
