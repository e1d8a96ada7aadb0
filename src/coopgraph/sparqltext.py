"""SPARQL query text: one tokenizer, and what is read from it without running the query.

Every piece of code that reads SPARQL text as text does it here, through :func:`tokens`, which
follows the terminals of the SPARQL 1.1 grammar (§19.8): comments end at ``\\n`` or ``\\r``;
strings in their four quote forms with their escapes; ``IRIREF``; prefixed names with their
``%HH`` and ``\\`` escapes; variables; blank node labels; numbers; keywords case-insensitive.
What matches no terminal is an ``error`` token of one character.

The tokenizer reads any text in linear time: where a string, or the prefix of a prefixed name,
is scanned to its end and found unclosed (no closing quote, no ``:``), no later attempt of the
same kind inside the scanned span can succeed, and none is made (``"\\"\\"\\"...`` or
``a.a.a...`` would otherwise be scanned again from each quote or letter: quadratic).

SPARQL 1.1 replaces ``\\uXXXX`` and ``\\UXXXXXXXX`` codepoint escapes before parsing (§19.2);
Oxigraph, the embedded engine, reads them only inside strings and IRIs. A query is therefore
read both ways (:func:`inspect_query`), and what either reading finds counts: a ``SERVICE`` or
an update hidden from one reading is seen by the other.

The parameters of a query are bound as RDF terms (:func:`with_values`), never pasted as text.
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import NamedTuple

import pyoxigraph as ox

Bindings = Mapping[str, ox.NamedNode | ox.Literal]
"""Parameter values by variable name (without ``?``), as RDF terms."""

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
GRAPH_FORMS = ("CONSTRUCT", "DESCRIBE")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

# -- the grammar's terminals (SPARQL 1.1 Query, §19.8) ------------------------------------
_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + r"\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_VARNAME = f"[{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_EXPONENT = r"[eE][+-]?[0-9]+"


# The string forms, by their opening quotes: the content each may hold before its closing quotes
def _string_bodies(echar: str) -> dict[str, str]:
    return {
        '"""': rf'(?:(?:"|"")?(?:[^"\\]|{echar}))*',
        "'''": rf"(?:(?:'|'')?(?:[^'\\]|{echar}))*",
        '"': rf'(?:[^"\\\r\n]|{echar})*',
        "'": rf"(?:[^'\\\r\n]|{echar})*",
    }


class _Reading:
    """The token pattern of one reading of a query, and its variants without some alternatives."""

    def __init__(self, echar: str, iri_char: str) -> None:
        self.echar = echar
        self.iri_char = iri_char
        bodies = _string_bodies(echar)
        # where an unclosed string of each form stops being readable: the end of its scan
        self.unclosed = {quotes: re.compile(re.escape(quotes) + body) for quotes, body in bodies.items()}
        self.full = self.pattern(frozenset())

    @functools.cache  # noqa: B019 - two readings, each kept for the life of the process
    def pattern(self, skip: frozenset[str]) -> re.Pattern[str]:
        """The token pattern without the alternatives in ``skip``.

        Those are the alternatives that scan far before they can fail: ``pname`` (a prefix, up
        to its ``:``) and the string forms, named by their opening quotes.
        """
        strings = "|".join(
            f"{re.escape(quotes)}{body}{re.escape(quotes)}"
            for quotes, body in _string_bodies(self.echar).items()
            if quotes not in skip
        )
        pname = "" if "pname" in skip else rf"| (?P<pname>(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?)"
        return re.compile(
            rf"""
              (?P<ws>[\x20\t\r\n]+)
            | (?P<comment>\#[^\r\n]*)
            | (?P<string>{strings or "(?!)"})
            | (?P<iri><(?:{self.iri_char})*>)
            | (?P<var>[?$]{_VARNAME})
            | (?P<bnode>_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?)
            {pname}
            | (?P<number>[0-9]+\.[0-9]*{_EXPONENT}|\.[0-9]+(?:{_EXPONENT})?|[0-9]+(?:\.[0-9]+)?(?:{_EXPONENT})?)
            | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
            | (?P<word>[A-Za-z][A-Za-z0-9_]*)
            | (?P<punct>&&|\|\||\^\^|<=|>=|!=|[{{}}()\[\];,.=!<>|+\-*/^?])
            | (?P<error>.)
            """,
            re.VERBOSE | re.DOTALL,
        )


_ECHAR = r"""\\[tbnrf"'\\]"""
_IRI_CHAR = r"""[^<>"{}|^`\\\x00-\x20]"""
# the text after §19.2: the grammar exactly
_SPEC = _Reading(_ECHAR, _IRI_CHAR)
# the text as Oxigraph reads it: codepoint escapes count only inside strings and IRIs
_ENGINE = _Reading(f"{_ECHAR}|{_UCHAR}", f"{_IRI_CHAR}|{_UCHAR}")
# a letter that may start a prefix, and the run of characters a prefix may span
_PREFIX_START = re.compile(f"[{_PN_CHARS_BASE}]")
_PREFIX_RUN = re.compile(f"[{_PN_CHARS}.]*")
_CODEPOINT = re.compile(_UCHAR)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")
_ABSOLUTE_IRI = rf"<[A-Za-z][A-Za-z0-9+.\-]*:(?:{_IRI_CHAR})*>"
# The usual query: comments and PREFIX/BASE declarations with absolute IRIs, then the form keyword
# (a word, not the start of a prefixed name). Matched in C, it spares the tokenizer (about 0.1 ms
# on a named query) when the rest of the text holds no SERVICE, relative IRI or codepoint escape;
# it then reads what the tokenizer would.
_PLAIN_QUERY = re.compile(
    rf"""(?:[\x20\t\r\n]|\#[^\r\n]*(?:[\r\n]|$)
          |PREFIX[\x20\t\r\n]+(?:{_PN_PREFIX})?:[\x20\t\r\n]*{_ABSOLUTE_IRI}
          |BASE[\x20\t\r\n]*{_ABSOLUTE_IRI})*+
        (SELECT|CONSTRUCT|DESCRIBE|ASK)(?![A-Za-z0-9_]|(?:[{_PN_CHARS}.]*[{_PN_CHARS}])?:)""",
    re.IGNORECASE | re.VERBOSE,
)
_RELATIVE_IRI = re.compile(rf"<(?![A-Za-z][A-Za-z0-9+.\-]*:)(?:{_IRI_CHAR})*>")


class Token(NamedTuple):
    """One terminal of a query: its kind (the group name of the token pattern), text and offset."""

    kind: str
    text: str
    start: int


def unescape_codepoints(text: str) -> str:
    """Replace ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes by their characters (SPARQL 1.1 §19.2).

    An escape of a value beyond Unicode is left as it is (the parser then refuses it).

    >>> unescape_codepoints(r"\\u0053ERVICE <x:\\U0001F600>")
    'SERVICE <x:😀>'
    """
    if "\\u" not in text and "\\U" not in text:
        return text

    def char(match: re.Match[str]) -> str:
        value = int(match.group()[2:], 16)
        return chr(value) if value <= 0x10FFFF else match.group()

    return _CODEPOINT.sub(char, text)


def tokens(text: str, *, codepoints_processed: bool = False) -> Iterator[Token]:
    """The terminals of ``text``, whitespace and comments left out.

    Parameters
    ----------
    text
        SPARQL text.
    codepoints_processed
        ``True`` when ``text`` went through :func:`unescape_codepoints` (SPARQL 1.1 §19.2):
        the grammar exactly. ``False`` reads the text as Oxigraph does, with codepoint escapes
        inside strings and IRIs.

    Examples
    --------
    >>> [(t.kind, t.text) for t in tokens("select ?x { #c\\r?x a:b 'v' }")]
    [('word', 'select'), ('var', '?x'), ('punct', '{'), ('var', '?x'), ('pname', 'a:b'), ('string', "'v'"), ('punct', '}')]
    """
    reading = _SPEC if codepoints_processed else _ENGINE
    for match in reading.full.finditer(text):
        kind = match.lastgroup or "error"
        if kind == "ws" or kind == "comment":
            continue
        found = match.group()
        # the one pass goes on unless a far scan failed here: an unclosed string (an error, or
        # "" where a triple quote opens), or a prefix scan past the end of a word
        if (
            kind == "error"
            or (kind == "string" and (found == '""' or found == "''"))
            or (kind == "word" and _run_goes_on(text, match.end()))
        ):
            failing = _failed_scans(text, match.start(), found, kind, reading, {})
            if failing:
                yield Token(kind, found, match.start())
                for rest in _guarded_matches(text, match.end(), reading, failing):
                    if rest.lastgroup != "ws" and rest.lastgroup != "comment":
                        yield Token(rest.lastgroup or "error", rest.group(), rest.start())
                return
        yield Token(kind, found, match.start())


def _run_goes_on(text: str, end: int) -> bool:
    """Whether the character at ``end``, after a word, may go on a prefix (``.``, ``-``, not ASCII)."""
    following = text[end : end + 1]
    return following == "." or following == "-" or following > "\x7f"


def _guarded_matches(
    text: str, pos: int, reading: _Reading, failing: dict[str, int]
) -> Iterator[re.Match[str]]:
    """The matches from ``pos`` on, given the alternatives that fail before the offsets in ``failing``."""
    pattern = reading.pattern(frozenset(failing))
    end = len(text)
    expires = min(failing.values())
    while pos < end:
        if pos >= expires:
            failing = {name: until for name, until in failing.items() if until > pos}
            pattern = reading.pattern(frozenset(failing))
            expires = min(failing.values(), default=end)
        match = pattern.match(text, pos)
        assert match is not None, "the error alternative matches any character"
        kind = match.lastgroup
        if kind == "word" or kind == "error" or kind == "string":
            found = _failed_scans(text, pos, match.group(), kind, reading, failing)
            if found:
                failing.update(found)
                pattern = reading.pattern(frozenset(failing))
                expires = min(failing.values())
        yield match
        pos = match.end()


def _failed_scans(
    text: str, pos: int, found: str, kind: str, reading: _Reading, failing: Mapping[str, int]
) -> dict[str, int]:
    """The far-scanning alternatives that failed at ``pos``, each with the end of its span.

    ``found`` is what was read at ``pos``, a token of ``kind``. No later attempt inside such a
    span can succeed: an opening quote inside an unclosed string is an escaped one (the string
    would close on it otherwise), so a string read from it ends unclosed where this one does; a
    prefix read from inside a run of name characters ends where the run ends, with no ``:``.
    """
    spans: dict[str, int] = {}
    char = text[pos]
    if char == '"' or char == "'":
        triple = char * 3
        failed = []
        if triple not in failing and text.startswith(triple, pos) and found[:3] != triple:
            failed.append(triple)
        if kind == "error" and char not in failing:
            failed.append(char)
        for quotes in failed:
            spans[quotes] = reading.unclosed[quotes].match(text, pos).end()  # type: ignore[union-attr]
    elif kind != "string" and "pname" not in failing and _PREFIX_START.match(text, pos):
        run_end = _PREFIX_RUN.match(text, pos).end()  # type: ignore[union-attr]
        if run_end > pos + len(found):
            spans["pname"] = run_end
    return spans


OPENING = frozenset("{([")
CLOSING = frozenset("})]")


CHAIN_OPERATORS = frozenset({"||", "&&", "!", "+", "-", "*", "/", "|", "^"})
"""Operators the engine nests: boolean, arithmetic and property-path operators."""
CHAIN_KEYWORDS = frozenset({"UNION", "OPTIONAL", "MINUS"})
"""Graph-pattern operators the engine nests."""


def chain_bound(text: str) -> int:
    """At most how many operators one group of ``text`` can chain: every character an operator is
    made of and every keyword (:data:`CHAIN_OPERATORS`, :data:`CHAIN_KEYWORDS`), wherever it is.

    Counting characters costs microseconds where reading the tokens costs a fraction of a
    millisecond; a text under the limit this way needs no reading at all.

    >>> chain_bound("SELECT * { ?s <a:b>/<a:c> ?o } # union")  # '*', '/' and UNION
    3
    """
    upper = text.upper()
    return sum(text.count(char) for char in _CHAIN_CHARS) + sum(upper.count(word) for word in CHAIN_KEYWORDS)


_CHAIN_CHARS = frozenset("".join(CHAIN_OPERATORS))


def too_deep(
    text: str, limit: int, *, chain_limit: int | None = None, codepoints_processed: bool = False
) -> Token | None:
    """The first token that nests the query too deep, if any.

    That is a ``{``, ``(`` or ``[`` that opens a group nested more than ``limit`` deep, or the
    operator that chains more than ``chain_limit`` operators in one group: the engine builds
    ``a || b || c``, ``!!x``, ``1 + 2 + 3``, property paths and ``UNION``/``OPTIONAL``/``MINUS``
    sequences as nested trees too, and parses them recursively.

    Groups are counted in the token stream, so brackets in strings, IRIs and comments do not
    count; a closing bracket with nothing open is ignored (the count never goes below zero).
    Reading stops at the offending token, and a text too short to hold that many brackets or
    operators is not read at all.

    Parameters
    ----------
    text
        SPARQL text.
    limit
        The deepest nesting allowed.
    chain_limit
        The most operators allowed in one group (``None``: not counted).
    codepoints_processed
        As for :func:`tokens`.

    Returns
    -------
    Token or None
        The bracket that goes too deep.

    Examples
    --------
    >>> too_deep("SELECT * { { ?s ?p '{{{' } }", 2) is None
    True
    >>> too_deep("ASK { FILTER((1)) }", 2)
    Token(kind='punct', text='(', start=13)
    >>> too_deep("ASK { FILTER(1 + 2 + 3 + 4) }", 9, chain_limit=2)
    Token(kind='punct', text='+', start=23)
    """
    brackets = text.count("{") + text.count("(") + text.count("[")
    chains = chain_limit is not None and chain_bound(text) > chain_limit
    if brackets <= limit and not chains:
        return None
    depth = 0
    chained = [0]  # operators seen in each open group, innermost last
    for token in tokens(text, codepoints_processed=codepoints_processed):
        if token.kind == "punct" and token.text in OPENING:
            depth += 1
            if depth > limit:
                return token
            chained.append(0)
        elif token.kind == "punct" and token.text in CLOSING:
            if depth:
                depth -= 1
                chained.pop()
        elif chains and (
            (token.kind == "punct" and token.text in CHAIN_OPERATORS)
            or (token.kind == "word" and token.text.upper() in CHAIN_KEYWORDS)
        ):
            chained[-1] += 1
            if chain_limit is not None and chained[-1] > chain_limit:
                return token
    return None


def line_and_column(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of ``offset`` (a line ends at ``\\n``, ``\\r`` or ``\\r\\n``).

    >>> line_and_column("ASK\\r\\n{ ]", 7)
    (2, 3)
    """
    lines = text[:offset].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return len(lines), len(lines[-1]) + 1


@dataclass(frozen=True)
class LexicalError:
    """A character that starts no SPARQL terminal, where it is."""

    character: str
    line: int
    column: int

    @property
    def message(self) -> str:
        """What is wrong, in words."""
        return f"{self.character!r} starts no SPARQL token (an unclosed string or IRI, or a stray character)"


@dataclass(frozen=True)
class QueryInfo:
    """What :func:`inspect_query` reads in a query's text.

    Attributes
    ----------
    form
        ``SELECT``, ``CONSTRUCT``, ``DESCRIBE``, ``ASK``, ``UPDATE`` or ``None`` when the text
        does not say (the parser will then report the error).
    services
        The endpoints the ``SERVICE`` clauses name: IRIs, or ``?var`` for a variable.
    relative_iris
        Whether the text holds a relative IRI, resolved against a base the service gives.
    error
        The first character that starts no token, kept only when the word ``service`` follows
        the form keyword: there a ``SERVICE`` clause could hide behind the error, so the text is
        refused unread; elsewhere the engine's parser reports the error with its own message.
    """

    form: str | None
    services: tuple[str, ...] = ()
    relative_iris: bool = False
    error: LexicalError | None = None

    @property
    def is_graph(self) -> bool:
        """Whether the answer is an RDF graph (CONSTRUCT, DESCRIBE)."""
        return self.form in GRAPH_FORMS


def _iri_value(token: Token) -> str:
    return unescape_codepoints(token.text[1:-1])


def _pname_value(token: Token, prefixes: Mapping[str, str]) -> str:
    prefix, _, local = token.text.partition(":")
    return prefixes.get(prefix, prefix + ":") + local.replace("\\", "")


def _read(text: str, base: str, codepoints_processed: bool) -> QueryInfo:
    """One reading of ``text``: form, ``SERVICE`` endpoints, relative IRIs and the first error."""
    found = list(tokens(text, codepoints_processed=codepoints_processed))
    prefixes: dict[str, str] = {}
    form: str | None = None
    form_start = 0
    services: list[str] = []
    relative = False
    error: LexicalError | None = None
    for index, token in enumerate(found):
        kind = token.kind
        if kind == "iri":
            relative = relative or not _SCHEME.match(_iri_value(token))
        elif kind == "error" and error is None:
            error = LexicalError(token.text, *line_and_column(text, token.start))
        if kind != "word":
            continue
        keyword = token.text.upper()
        following = found[index + 1 : index + 3]
        if keyword == "BASE" and following and following[0].kind == "iri":
            base = urllib.parse.urljoin(base, _iri_value(following[0]))
        elif keyword == "PREFIX" and len(following) == 2 and following[1].kind == "iri":
            prefixes[following[0].text[:-1]] = urllib.parse.urljoin(base, _iri_value(following[1]))
        elif keyword == "SERVICE":
            if following and following[0].kind == "word" and following[0].text.upper() == "SILENT":
                following = following[1:]
            if following:
                endpoint = following[0]
                if endpoint.kind == "iri":
                    services.append(urllib.parse.urljoin(base, _iri_value(endpoint)))
                elif endpoint.kind == "pname":
                    services.append(_pname_value(endpoint, prefixes))
                else:
                    services.append(endpoint.text)
        elif form is None and (keyword in QUERY_FORMS or keyword in UPDATE_KEYWORDS):
            form = keyword if keyword in QUERY_FORMS else "UPDATE"
            form_start = token.start
    if error is not None and "service" not in text[form_start:].lower():
        # the engine's parser reports the error itself; only where a SERVICE clause could hide
        # behind it is the text refused without running
        error = None
    return QueryInfo(form, tuple(services), relative, error)


def inspect_query(text: str, base: str = "") -> QueryInfo:
    """Read the form of a query and the endpoints its ``SERVICE`` clauses call, without running it.

    Strings, IRIs and comments are skipped, so a keyword inside them does not count. The text is
    read as Oxigraph reads it and, when it holds codepoint escapes, as SPARQL 1.1 reads it after
    replacing them (§19.2); the endpoints and updates of both readings count.

    Parameters
    ----------
    text
        The query.
    base
        The IRI relative IRIs resolve against before any ``BASE`` of the query (the endpoints
        of ``SERVICE`` clauses are reported resolved).

    Examples
    --------
    >>> inspect_query("PREFIX ex: <http://e/> SELECT * { SERVICE ex:s { ?s ?p ?o } }")
    QueryInfo(form='SELECT', services=('http://e/s',), relative_iris=False, error=None)
    >>> inspect_query("# SELECT\\nINSERT DATA { <a:b> <a:c> 'SELECT' }").form
    'UPDATE'
    >>> inspect_query("SELECT * { #\\rSERVICE <http://e/s> {} }").services
    ('http://e/s',)
    >>> inspect_query("SELECT * { \\\\u0053ERVICE <s> {} }", "http://e/").services
    ('http://e/s',)
    """
    plain = _PLAIN_QUERY.match(text)
    if plain and "\\u" not in text and "\\U" not in text:
        rest = text[plain.end() :]
        if "service" not in rest.lower() and not _RELATIVE_IRI.search(rest):
            return QueryInfo(plain.group(1).upper())
    engine = _read(text, base, codepoints_processed=False)
    processed = unescape_codepoints(text)
    if processed is text:
        return engine
    spec = _read(processed, base, codepoints_processed=True)
    form = "UPDATE" if "UPDATE" in (engine.form, spec.form) else engine.form or spec.form
    return QueryInfo(
        form,
        tuple(dict.fromkeys(engine.services + spec.services)),
        engine.relative_iris or spec.relative_iris,
        engine.error or spec.error,
    )


def query_form(text: str) -> str:
    """The form of a query (``SELECT``, ``CONSTRUCT``, ``DESCRIBE`` or ``ASK``; ``SELECT`` when unsaid).

    >>> query_form("PREFIX x: <http://e/> construct { ?s ?p ?o } WHERE { ?s ?p ?o }")
    'CONSTRUCT'
    """
    form = inspect_query(text).form
    return form if form in QUERY_FORMS else "SELECT"


def with_base(query: str, base: str) -> str:
    """The query with ``base`` declared first: its relative IRIs resolve against it.

    A ``BASE`` of the query itself still applies after it (an absolute one replaces it).

    >>> with_base("SELECT * { <x> ?p ?o }", "https://w3id.org/coopgraph/")
    'BASE <https://w3id.org/coopgraph/> SELECT * { <x> ?p ?o }'
    """
    return f"{base_declaration(base)}{query}"


def base_declaration(base: str) -> str:
    """The ``BASE`` declaration :func:`with_base` puts before a query (its length shifts columns)."""
    return f"BASE {ox.NamedNode(base)} "


def _where_group_start(query: str) -> int | None:
    """Offset just after the ``{`` that opens the query's WHERE group, if it can be found.

    The group is the first ``{`` after the ``WHERE`` keyword, or the first ``{`` at all when
    the query has no ``WHERE`` and is not a CONSTRUCT (whose first brace opens its template).
    """
    found = list(tokens(query))
    construct = any(t.kind == "word" and t.text.upper() == "CONSTRUCT" for t in found)
    seen_where = False
    for token in found:
        if token.kind == "word" and token.text.upper() == "WHERE":
            seen_where = True
        elif token.text == "{" and (seen_where or not construct):
            return token.start + 1
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
