"""What the endpoint refuses before a query runs: updates, unallowed ``SERVICE``, unreadable text.

The text is read once, here (:func:`~coopgraph.sparqltext.inspect_query`); its form travels
with the query to whatever runs it.
"""

from __future__ import annotations

from coopgraph.config import Settings
from coopgraph.errors import QueryError, QueryRefused
from coopgraph.namespaces import CANONICAL_BASE
from coopgraph.sparqltext import QueryInfo, inspect_query

READ_ONLY_MESSAGE = (
    "this endpoint is read-only: SPARQL updates (INSERT, DELETE, LOAD, CLEAR, DROP...) are refused"
)

QUERY_BASE = CANONICAL_BASE
"""The base IRI of user queries (SPARQL 1.1 Protocol §2.3): the canonical base the service maps
its own URL onto, so ``<id/party/mexico>`` names the same resource on every host."""


def check_query(text: str, settings: Settings) -> QueryInfo:
    """Refuse what the service does not allow (updates, ``SERVICE`` not on the allowlist).

    ``SERVICE`` endpoints are resolved against :data:`QUERY_BASE`, as the query will be.

    Raises
    ------
    QueryRefused
        For an update, or a ``SERVICE`` to an endpoint that is not allowed.
    QueryError
        For text that names ``SERVICE`` but holds a character that starts no SPARQL token: what
        an engine would make of it cannot be told.

    Examples
    --------
    >>> check_query("SELECT * { ?s ?p ?o }", Settings(in_memory=True)).form
    'SELECT'
    >>> check_query("DROP ALL", Settings(in_memory=True))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopgraph.errors.QueryRefused: this endpoint is read-only: ...
    """
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
