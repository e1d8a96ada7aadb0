"""SPARQL query text: its form, and parameters bound as RDF terms.

Every piece of code that reads SPARQL text as text does it here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import pyoxigraph as ox

Bindings = Mapping[str, ox.NamedNode | ox.Literal]
"""Parameter values by variable name (without ``?``), as RDF terms."""


def query_form(text: str) -> str:
    """The form of a query (``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``).

    >>> query_form("PREFIX x: <http://e/> construct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    body = re.sub(r"(?is)^\s*((PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*", "", body)
    match = re.match(r"(?i)\s*(SELECT|CONSTRUCT|DESCRIBE|ASK)\b", body)
    return match.group(1).upper() if match else "SELECT"


_TOKEN = re.compile(
    r"""(?P<skip>\#[^\n]*|<[^<>"{}|^`\\\s]*>|'''[\s\S]*?'''|\"\"\"[\s\S]*?\"\"\"|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")"""
    r"|(?P<where>\bWHERE\b)|(?P<brace>\{)",
    re.IGNORECASE,
)


def _where_group_start(query: str) -> int | None:
    """Offset just after the ``{`` that opens the query's WHERE group, if it can be found.

    Comments, IRIs and string literals are skipped; the group is the first ``{`` after the
    ``WHERE`` keyword, or the first ``{`` at all when the query has no ``WHERE`` and is not a
    CONSTRUCT (whose first brace opens its template).
    """
    seen_where = False
    construct = re.search(
        r"(?i)\bCONSTRUCT\b", _TOKEN.sub(lambda m: " " if m.group("skip") else m.group(0), query)
    )
    for match in _TOKEN.finditer(query):
        if match.group("where"):
            seen_where = True
        elif match.group("brace") and (seen_where or not construct):
            return match.end()
    return None


def with_values(query: str, bindings: Bindings | None) -> str:
    """Bind parameters with a ``VALUES`` block of RDF terms at the start of the WHERE group.

    The terms are written in their N-Triples form by pyoxigraph (IRIs checked, literals
    escaped), so a value can never change the query's structure. At the head of the WHERE
    group the bindings are in scope for the group's patterns and filters (as with SPARQL
    substitution), parameters need not be projected, and the embedded store and a remote
    endpoint evaluate the same text. A query whose WHERE group cannot be found gets a trailing
    ``VALUES`` clause instead.

    >>> with_values("SELECT ?x WHERE { ?x ?p ?o FILTER(?o != ?_o_iri) }", {"_o_iri": ox.NamedNode("http://e/a")})
    'SELECT ?x WHERE { VALUES (?_o_iri) { (<http://e/a>) }  ?x ?p ?o FILTER(?o != ?_o_iri) }'
    >>> with_values('CONSTRUCT { ?s ?p "{" } WHERE { ?s ?p ?_o }', {"_o": ox.Literal("x")})
    'CONSTRUCT { ?s ?p "{" } WHERE { VALUES (?_o) { ("x") }  ?s ?p ?_o }'
    """
    if not bindings:
        return query
    names = " ".join(f"?{k}" for k in bindings)
    terms = " ".join(str(v) for v in bindings.values())
    block = f"VALUES ({names}) {{ ({terms}) }} "
    start = _where_group_start(query)
    if start is None:
        return f"{query}\n{block}"
    return f"{query[:start]} {block}{query[start:]}"
