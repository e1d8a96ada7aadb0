"""rdflib's SPARQL processor, with each query text parsed once.

pySHACL runs a SPARQL-based constraint (``sh:sparql``) once per focus node with the same text
and ``$this`` bound, and rdflib parses the text every time (80 ms a parse, with pyparsing): on a
7,000-triple upload, 60% of the validation time. :func:`install` registers a processor that
keeps the last :data:`CACHED` parsed and translated queries by text, base and namespaces
(parsing is deterministic, and rdflib evaluates a prepared query as often as asked); results do
not change: ``tests/gate`` compares reports with and without it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import rdflib.plugin
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.processor import SPARQLProcessor
from rdflib.query import Processor

CACHED = 256
"""Parsed queries kept (the shapes hold a few dozen SPARQL constraints)."""


@lru_cache(maxsize=CACHED)
def prepared(text: str, base: str | None, namespaces: tuple[tuple[str, Any], ...]) -> Any:
    """The translated query of ``text`` (parsed once per text, base and namespaces)."""
    return translateQuery(parseQuery(text), base, dict(namespaces))


class PreparedProcessor(SPARQLProcessor):
    """rdflib's SPARQL processor, parsing each query text once (see :func:`prepared`)."""

    def query(  # type: ignore[override]
        self,
        strOrQuery: Any,  # noqa: N803 - rdflib's name
        initBindings: Mapping[str, Any] | None = None,  # noqa: N803
        initNs: Mapping[str, Any] | None = None,  # noqa: N803
        base: str | None = None,
        DEBUG: bool = False,  # noqa: N803
    ) -> Any:
        query = strOrQuery
        if isinstance(query, str):
            query = prepared(query, base, tuple(sorted((initNs or {}).items())))
        return super().query(query, initBindings or {}, initNs or {}, base, DEBUG)


def install() -> None:
    """Make :class:`PreparedProcessor` rdflib's ``sparql`` processor (idempotent)."""
    rdflib.plugin.register("sparql", Processor, __name__, "PreparedProcessor")
