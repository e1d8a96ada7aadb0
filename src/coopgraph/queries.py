"""The catalogue of named SPARQL queries kept as ``.rq`` files under ``queries/``.

The folder follows grlc's conventions, so grlc serves it as it is and means the same by it
(``tests/test_grlc.py`` checks this with grlc itself). A file's header is the YAML made of its
lines that start with ``#+`` (``#+`` removed), with grlc's decorators:

=====================  =====================================================================
decorator              meaning
=====================  =====================================================================
``summary``            one line: the question the query answers
``description``        what the rows are and where they come from
``tags``               a list of words grouping the queries
``defaults``           a list of ``{parameter: value}``: the example value of each parameter
``enumerate``          a list of ``{parameter: [value, ...]}``: the only values allowed
``pagination``         rows a page; the ``page`` parameter (1, 2, ...) chooses one
``endpoint_in_url``    ``false``: grlc's API documentation offers no ``endpoint`` parameter
=====================  =====================================================================

Any other key is an error naming the file and line: grlc's ``endpoint``, ``mime``, ``method``
and ``transform`` would make grlc do what coopgraph does not (coopgraph runs every query on its
own store and answers GET). A variable of the query is a parameter when its name follows grlc's
(BASIL's) convention, read by grlc's own pattern over the whole file:

=====================  =====================================================================
variable               parameter
=====================  =====================================================================
``?_name``             required, a plain literal (also ``?_name_literal``)
``?__name``            optional (two underscores), unbound when not given
``?_name_iri``         an IRI
``?_name_number``      a number, written as SPARQL writes one (``12``, ``1.5``, ``1e3``)
``?_name_integer``     an ``xsd:integer`` literal
``?_name_xsd_gYear``   a literal of datatype ``xsd:gYear`` (``prefix_datatype``)
``?_name_en``          a literal with language tag ``en``: any other single suffix is a tag,
                       so ``?_n_int`` is a literal tagged ``int``, as grlc reads it
=====================  =====================================================================

What each side adds: grlc pastes a value into the query text, coopgraph binds it as an RDF term
(a ``VALUES`` block serialised by pyoxigraph, see :func:`coopgraph.sparqltext.with_values`), so
user text never becomes SPARQL, and it checks the value against its type first. grlc answers an
error when a required parameter is missing and shows ``defaults`` only in its API documentation;
coopgraph runs the query with the default instead. For both to mean the same, a parameter is
never projected, assigned (``AS ?_name``) or tested with ``BOUND``: a query binds it to another
variable (``BIND(?__from_xsd_gYear AS ?fromYear)``) and uses that. Public queries live at the top
of ``queries/``; the ones the code uses live in ``queries/internal/``, which grlc does not serve.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import NoReturn

import pyoxigraph as ox
import yaml

from coopgraph.errors import InputError, NotFound, ParameterError
from coopgraph.namespaces import PREFIXES
from coopgraph.sparqltext import query_form

_XSD = "http://www.w3.org/2001/XMLSchema#"
DECORATOR = "#+"
"""The start of a header line, as grlc reads it (first column only)."""

DECORATORS = ("summary", "description", "tags", "defaults", "enumerate", "pagination", "endpoint_in_url")
"""The header keys coopgraph reads, each with grlc's meaning."""

# grlc's own pattern (grlc/gquery.py, get_parameters), so both read the same parameters
_PARAMETER = re.compile(
    r"\?(?P<required>[_]{1,2})(?P<name>[a-zA-Z0-9]+)"
    r"([_](?P<type>(iri)|(number)|(literal)|(integer)))?"
    r"([_](?P<prefix>[a-zA-Z0-9]+)[_](?P<userdefined>[a-zA-Z0-9]+))?"
    r"([_](?P<lang>[a-zA-Z0-9]+))?"
)
_INTEGER_TYPES = {
    "integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger",
    "negativeInteger", "nonPositiveInteger", "unsignedLong", "unsignedInt", "unsignedShort",
    "unsignedByte",
}  # fmt: skip
_LEXICAL = {
    "gYear": r"-?\d{4}",
    "date": r"-?\d{4}-\d{2}-\d{2}",
    "gYearMonth": r"-?\d{4}-\d{2}",
    "boolean": r"true|false|1|0",
    **dict.fromkeys(_INTEGER_TYPES, r"[+-]?\d+"),
}
_NUMBER = {
    _XSD + "integer": r"[+-]?\d+",
    _XSD + "decimal": r"[+-]?\d*\.\d+",
    _XSD + "double": r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+",
}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a named query.

    Attributes
    ----------
    name
        The public name (``contributor``), used in URLs and ``--param``.
    variable
        The SPARQL variable it binds, without ``?`` (``_contributor_iri``).
    kind
        ``iri``, ``literal`` (plain), ``lang`` (language-tagged), ``number`` or ``typed``.
    required
        Whether the query needs it.
    datatype
        The datatype IRI of a ``typed`` parameter.
    language
        The language tag of a ``lang`` parameter.
    default
        The example value from the ``#+ defaults:`` header, if any.
    enumerate
        Allowed values from the ``#+ enumerate:`` header (empty: any value).
    """

    name: str
    variable: str
    kind: str
    required: bool
    datatype: str | None = None
    language: str | None = None
    default: str | None = None
    enumerate: tuple[str, ...] = ()

    @property
    def type_label(self) -> str:
        """A short human label of the parameter's type (``IRI``, ``xsd:gYear``, ``literal@en``)."""
        if self.kind == "iri":
            return "IRI"
        if self.kind == "lang":
            return f"literal@{self.language}"
        if self.kind == "number":
            return "number"
        if self.datatype:
            for prefix, namespace in PREFIXES.items():
                if self.datatype.startswith(namespace):
                    return f"{prefix}:{self.datatype.removeprefix(namespace)}"
            return f"<{self.datatype}>"
        return "literal"

    def to_term(self, value: str) -> ox.NamedNode | ox.Literal:
        """Turn a raw string value into the RDF term this parameter binds.

        Raises
        ------
        ParameterError
            When the value is not a valid value of the parameter's type.

        Examples
        --------
        >>> Parameter("year", "_year_xsd_gYear", "typed", True, datatype=_XSD + "gYear").to_term("2019")
        <Literal value=2019 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#gYear>>
        >>> Parameter("n", "_n_number", "number", True).to_term("1.5")
        <Literal value=1.5 datatype=<NamedNode value=http://www.w3.org/2001/XMLSchema#decimal>>
        """
        if self.enumerate and value not in self.enumerate:
            raise ParameterError(self.name, f"{value!r} is not one of {', '.join(self.enumerate)}")
        if self.kind == "iri":
            if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", value):
                raise ParameterError(self.name, f"{value!r} is not an absolute IRI")
            try:
                return ox.NamedNode(value)
            except ValueError as exc:
                raise ParameterError(self.name, f"{value!r} is not a valid IRI: {exc}") from exc
        if self.kind == "lang":
            return ox.Literal(value, language=self.language)
        if self.kind == "number":
            for datatype, pattern in _NUMBER.items():
                if re.fullmatch(pattern, value.strip(), re.ASCII):
                    if datatype == _XSD + "integer":
                        _check_integer_range(self, value.strip())
                    return ox.Literal(value.strip(), datatype=ox.NamedNode(datatype))
            raise ParameterError(self.name, f"{value!r} is not a number")
        if self.kind == "typed" and self.datatype:
            local = self.datatype.removeprefix(_XSD)
            if local in _INTEGER_TYPES and re.fullmatch(_LEXICAL[local], value.strip(), re.ASCII):
                value = str(_check_integer_range(self, value.strip()))
            _check_lexical(self, value)
            return ox.Literal(value, datatype=ox.NamedNode(self.datatype))
        return ox.Literal(value)


INTEGER_RANGE = (-(2**63), 2**63 - 1)
"""The integers a parameter may take: 64 bits, what Oxigraph (and most engines) compute with."""


def _check_integer_range(param: Parameter, value: str) -> int:
    """The integer ``value`` (ASCII digits, a sign), refused beyond :data:`INTEGER_RANGE`."""
    sign = "-" if value.startswith("-") else ""
    digits = value.lstrip("+-").lstrip("0") or "0"
    low, high = INTEGER_RANGE
    # the length first: int() refuses text past 4,300 digits
    if len(digits) > len(str(high)) or not low <= int(sign + digits) <= high:
        shown = f"{value[:30]!r}{'...' if len(value) > 30 else ''}"
        raise ParameterError(param.name, f"{shown} is beyond the 64-bit integers ({low} to {high})")
    return int(sign + digits)


def _check_lexical(param: Parameter, value: str) -> None:
    if not (param.datatype or "").startswith(_XSD):
        return
    local = (param.datatype or "").removeprefix(_XSD)
    if local in _LEXICAL and not re.fullmatch(_LEXICAL[local], value, re.ASCII):
        raise ParameterError(param.name, f"{value!r} is not a valid xsd:{local}")
    if local in {"decimal", "double", "float"}:
        try:
            Decimal(value)
        except InvalidOperation as exc:
            raise ParameterError(param.name, f"{value!r} is not a valid xsd:{local}") from exc


@dataclass(frozen=True)
class NamedQuery:
    """A query of the catalogue: its text, header and parameters."""

    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    pagination: int | None = None
    internal: bool = False
    form: str = "SELECT"
    endpoint_in_url: bool = True

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(name, f"query {self.name!r} has no such parameter")

    def bind(self, values: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Map raw parameter values to RDF terms keyed by SPARQL variable name.

        A required parameter that is not given takes its ``#+ defaults:`` value (grlc instead
        answers an error); unknown parameters, malformed values and required ones with no value
        and no default raise :class:`ParameterError`, before any query runs.

        Examples
        --------
        >>> q = parse_query_text("q", "#+ summary: x\\nSELECT * WHERE { ?s ?p ?_o_iri }")
        >>> q.bind({"o": "https://w3id.org/coopgraph/id/party/colombia"})
        {'_o_iri': <NamedNode value=https://w3id.org/coopgraph/id/party/colombia>}
        """
        known = {p.name for p in self.parameters}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ParameterError(
                unknown[0],
                f"query {self.name!r} takes {', '.join(sorted(known)) or 'no parameters'}",
            )
        bound: dict[str, ox.NamedNode | ox.Literal] = {}
        for p in self.parameters:
            raw = values.get(p.name)
            if (raw is None or raw == "") and p.required:
                raw = p.default
            if raw is None or raw == "":
                if p.required:
                    raise ParameterError(p.name, f"required by query {self.name!r} and it has no default")
                continue
            bound[p.variable] = p.to_term(raw)
        return bound


class _Header:
    """The decorators of one query file, with the file line of each header line for errors."""

    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        self.rows = {n: row for n, row in enumerate(text.split("\n"), start=1) if row.startswith(DECORATOR)}
        self.lines = list(self.rows)
        rows = [row.lstrip(DECORATOR) for row in self.rows.values()]
        try:
            loaded = yaml.safe_load("\n".join(rows))
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = self.lines[min(mark.line, len(self.lines) - 1)] if mark and self.lines else None
            raise InputError(f"the #+ header is not YAML: {exc.problem}", path, line) from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise InputError("the #+ header is not a mapping of decorators", path, self.lines[0])
        self.values: dict[str, object] = loaded or {}
        for key in self.values:
            if key not in DECORATORS:
                self.fail(key, f"unknown decorator {key!r}; coopgraph reads {', '.join(DECORATORS)}")

    def fail(self, key: str, message: str) -> NoReturn:
        """Raise an :class:`InputError` at the line of decorator ``key`` (else the first line)."""
        pattern = re.compile(rf"^#\+\s*{re.escape(str(key))}\s*:")
        line = next((n for n, row in self.rows.items() if pattern.match(row)), None)
        raise InputError(message, self.path, line or (self.lines[0] if self.lines else None))

    def text(self, key: str) -> str | None:
        value = self.values.get(key)
        if value is None:
            return None
        if not isinstance(value, str):
            self.fail(key, f"{key} must be a string")
        return str(value)

    def strings(self, key: str) -> tuple[str, ...]:
        value = self.values.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(key, f"{key} must be a list of strings")
        return tuple(value)

    def per_parameter(self, key: str) -> dict[str, object]:
        """A list of ``{parameter: value}`` maps (``defaults``, ``enumerate``) as one dict."""
        value = self.values.get(key, [])
        merged: dict[str, object] = {}
        if not isinstance(value, list):
            self.fail(key, f"{key} must be a list of {{parameter: value}}")
        for item in value:
            if not isinstance(item, dict) or len(item) != 1:
                self.fail(key, f"{key}: {item!r} is not one {{parameter: value}}")
            merged.update(item)
        return merged

    def scalar(self, key: str, value: object) -> str:
        """A YAML scalar as the text a user would type (``2019``, ``true``, ``2019-05-01``)."""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, str | int | float | datetime.date):
            return value.isoformat() if isinstance(value, datetime.date) else str(value)
        self.fail(key, f"{key}: {value!r} is not a single value")


def _parameters(text: str, header: _Header) -> tuple[Parameter, ...]:
    defaults = header.per_parameter("defaults")
    enumerations = header.per_parameter("enumerate")
    params: dict[str, Parameter] = {}
    for match in _PARAMETER.finditer(text):
        name, variable = match.group("name"), match.group(0)[1:]
        line = text.count("\n", 0, match.start()) + 1
        if name in params:
            if params[name].variable != variable:
                message = f"parameter {name!r} is written both ?{params[name].variable} and ?{variable}"
                raise InputError(message, header.path, line)
            continue
        kind, datatype, language = "literal", None, None
        if match.group("type") == "iri":
            kind = "iri"
        elif match.group("type") == "number":
            kind = "number"
        elif match.group("type") == "integer":
            kind, datatype = "typed", _XSD + "integer"
        elif match.group("prefix"):
            namespace = PREFIXES.get(match.group("prefix"))
            if namespace is None:
                raise InputError(f"?{variable}: unknown prefix {match.group('prefix')!r}", header.path, line)
            kind, datatype = "typed", f"{namespace}{match.group('userdefined')}"
        if match.group("lang"):
            kind, language = "lang", match.group("lang")
        allowed = enumerations.get(name, [])
        if not isinstance(allowed, list):
            header.fail("enumerate", f"enumerate: {name} must list its values ([a, b])")
        params[name] = Parameter(
            name=name,
            variable=variable,
            kind=kind,
            required=len(match.group("required")) == 1,
            datatype=datatype,
            language=language,
            default=header.scalar("defaults", defaults[name]) if name in defaults else None,
            enumerate=tuple(header.scalar("enumerate", v) for v in allowed),
        )
    for key, given in (("defaults", defaults), ("enumerate", enumerations)):
        for name in given:
            if name not in params:
                header.fail(key, f"{key}: the query has no parameter {name!r}")
    return tuple(params.values())


def parse_query_text(name: str, text: str, path: Path | None = None, internal: bool = False) -> NamedQuery:
    """Parse the text of an ``.rq`` file into a :class:`NamedQuery`.

    Raises
    ------
    InputError
        When the header is not YAML or a decorator is unknown or malformed (with file and line).

    Examples
    --------
    >>> q = parse_query_text("partners", '''#+ summary: Partners of an actor
    ... #+ defaults:
    ... #+   - actor: https://w3id.org/coopgraph/id/party/colombia
    ... SELECT ?p WHERE { ?a ?x ?_actor_iri ; ?y ?p . FILTER(?p != ?__limit_integer) }''')
    >>> [(p.name, p.kind, p.required, p.default) for p in q.parameters]
    [('actor', 'iri', True, 'https://w3id.org/coopgraph/id/party/colombia'), ('limit', 'typed', False, None)]
    >>> parse_query_text("bad", "#+ summary: a: b\\nSELECT * {}")
    Traceback (most recent call last):
    ...
    coopgraph.errors.InputError: bad.rq:1: the #+ header is not YAML: mapping values are not allowed here
    """
    path = path or Path(name + ".rq")
    header = _Header(text, path)
    pagination = header.values.get("pagination")
    if pagination is not None and (
        not isinstance(pagination, int) or isinstance(pagination, bool) or pagination < 1
    ):
        header.fail("pagination", "pagination must be a positive number of rows")
    endpoint_in_url = header.values.get("endpoint_in_url", True)
    if not isinstance(endpoint_in_url, bool):
        header.fail("endpoint_in_url", "endpoint_in_url must be true or false")
    return NamedQuery(
        name=name,
        path=path,
        text=text,
        summary=header.text("summary") or name,
        description=header.text("description") or "",
        tags=header.strings("tags"),
        parameters=_parameters(text, header),
        pagination=pagination,
        internal=internal,
        form=query_form(text),
        endpoint_in_url=bool(endpoint_in_url),
    )


class QueryCatalogue:
    """All named queries of a ``queries/`` folder, public and internal.

    Parameters
    ----------
    directory
        The ``queries/`` folder. Public queries are its ``*.rq`` files; internal ones are
        under ``internal/``.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> catalogue = QueryCatalogue(Settings().queries_dir)
    >>> "graph-sizes" in catalogue.internal_names()
    True
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._public: dict[str, NamedQuery] = {}
        self._internal: dict[str, NamedQuery] = {}
        for path in sorted(directory.glob("*.rq")):
            self._public[path.stem] = parse_query_text(path.stem, path.read_text("utf-8"), path)
        for path in sorted((directory / "internal").glob("*.rq")):
            self._internal[path.stem] = parse_query_text(
                path.stem, path.read_text("utf-8"), path, internal=True
            )

    def public(self) -> list[NamedQuery]:
        """The public queries, sorted by name."""
        return list(self._public.values())

    def names(self) -> list[str]:
        return list(self._public)

    def internal_names(self) -> list[str]:
        return list(self._internal)

    def get(self, name: str) -> NamedQuery:
        """A public query by name."""
        try:
            return self._public[name]
        except KeyError:
            raise NotFound(
                f"no named query {name!r}; the catalogue has {len(self._public)} queries"
            ) from None

    def internal(self, name: str) -> NamedQuery:
        """An internal query by name (its text is what code runs)."""
        try:
            return self._internal[name]
        except KeyError:
            raise NotFound(f"no internal query {name!r} under {self.directory / 'internal'}") from None


@cache
def catalogue_for(directory: Path) -> QueryCatalogue:
    """The catalogue of ``directory``, read once per process."""
    return QueryCatalogue(directory)


def prologue() -> str:
    """PREFIX declarations for the project's prefixes, for query editors and examples."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())
