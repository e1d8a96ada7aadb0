"""The catalogue of named SPARQL queries kept as ``.rq`` files under ``queries/``.

Each file carries a grlc-style header of ``#+`` comments (``summary``, ``description``,
``tags``, ``defaults``, ``enumerate``, ``pagination``) and names its parameters after the
BASIL/grlc conventions:

=====================  =====================================================
variable               parameter
=====================  =====================================================
``?_name``             required plain literal
``?__name``            optional (two underscores)
``?_name_iri``         an IRI
``?_name_en``          a literal with language tag ``en`` (any tag)
``?_name_integer``     an ``xsd:integer`` literal
``?_name_xsd_gYear``   a literal of datatype ``xsd:gYear`` (``prefix_datatype``)
=====================  =====================================================

Values are bound as RDF terms (a ``VALUES`` clause of terms serialised by pyoxigraph, see
:func:`coopgraph.sparqltext.with_values`): user text is never pasted into a query. Public queries
live at the top of ``queries/``; the ones the code uses live in ``queries/internal/``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path

import pyoxigraph as ox

from coopgraph.errors import NotFound, ParameterError
from coopgraph.namespaces import PREFIXES
from coopgraph.sparqltext import query_form

_XSD = "http://www.w3.org/2001/XMLSchema#"
_PARAM_RE = re.compile(r"\?(__?)([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z0-9]+))?(?:_([A-Za-z0-9]+))?\b")
_LANG_RE = re.compile(r"^[a-z]{2,3}$")
_INTEGER_TYPES = {"integer", "int", "long", "nonNegativeInteger", "positiveInteger"}


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
        ``iri``, ``literal``, ``lang`` (language-tagged), ``integer`` or ``typed``.
    required
        Whether the query needs it.
    datatype
        The datatype IRI of a ``typed`` or ``integer`` parameter.
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
        if self.datatype:
            return "xsd:" + self.datatype.removeprefix(_XSD)
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
        if self.kind == "integer":
            if not re.fullmatch(r"[+-]?\d+", value.strip()):
                raise ParameterError(self.name, f"{value!r} is not an integer")
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD + "integer"))
        if self.kind == "typed" and self.datatype:
            _check_lexical(self, value)
            return ox.Literal(value, datatype=ox.NamedNode(self.datatype))
        return ox.Literal(value)


def _check_lexical(param: Parameter, value: str) -> None:
    local = (param.datatype or "").removeprefix(_XSD)
    patterns = {
        "gYear": r"-?\d{4}",
        "date": r"-?\d{4}-\d{2}-\d{2}",
        "gYearMonth": r"-?\d{4}-\d{2}",
        "boolean": r"true|false|1|0",
    }
    if local in patterns and not re.fullmatch(patterns[local], value):
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
    extra: dict[str, str] = field(default_factory=dict)

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise ParameterError(name, f"query {self.name!r} has no such parameter")

    def bind(self, values: Mapping[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Map raw parameter values to RDF terms keyed by SPARQL variable name.

        A required parameter that is not given takes its ``#+ defaults:`` value, as in grlc;
        unknown parameters, malformed values and required ones with no value and no default
        raise :class:`ParameterError`, before any query runs.

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
                raw = p.default  # grlc: a required parameter's default is its value when omitted
            if raw is None or raw == "":
                if p.required:
                    raise ParameterError(p.name, f"required by query {self.name!r} and it has no default")
                continue
            bound[p.variable] = p.to_term(raw)
        return bound


def _parse_header(text: str) -> dict[str, object]:
    """Read the ``#+ key: value`` decorators (values, or ``- item`` lists) of a query."""
    header: dict[str, object] = {}
    current: str | None = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped.startswith("#+"):
            if stripped and not stripped.startswith("#"):
                break
            continue
        body = stripped[2:].strip()
        if body.startswith("- ") or body == "-":
            if current is not None:
                items = header.setdefault(current, [])
                if isinstance(items, list):
                    items.append(body[1:].strip())
            continue
        key, _, value = body.partition(":")
        current = key.strip()
        header[current] = value.strip() if value.strip() else []
    return header


def parse_query_text(name: str, text: str, path: Path | None = None, internal: bool = False) -> NamedQuery:
    """Parse the text of an ``.rq`` file into a :class:`NamedQuery`.

    Examples
    --------
    >>> q = parse_query_text("partners", '''#+ summary: Partners of an actor
    ... #+ defaults:
    ... #+   - actor: https://w3id.org/coopgraph/id/party/colombia
    ... SELECT ?p WHERE { ?a ?x ?_actor_iri ; ?y ?p . FILTER(?p != ?__limit_integer) }''')
    >>> [(p.name, p.kind, p.required, p.default) for p in q.parameters]
    [('actor', 'iri', True, 'https://w3id.org/coopgraph/id/party/colombia'), ('limit', 'integer', False, None)]
    """
    header = _parse_header(text)
    defaults: dict[str, str] = {}
    for item in _as_list(header.get("defaults")):
        key, _, value = item.partition(":")
        defaults[key.strip()] = value.strip()
    enumerations: dict[str, tuple[str, ...]] = {}
    raw_enum = header.get("enumerate")
    for item in _as_list(raw_enum):
        key, _, value = item.partition(":")
        if value.strip():
            enumerations[key.strip()] = tuple(v.strip() for v in value.split(",") if v.strip())
    code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    params: dict[str, Parameter] = {}
    for match in _PARAM_RE.finditer(code):
        underscores, pname, first, second = match.groups()
        variable = match.group(0)[1:]
        if pname in params:
            continue
        kind, datatype, language = "literal", None, None
        if first == "iri" and second is None:
            kind = "iri"
        elif first in _INTEGER_TYPES and second is None:
            kind, datatype = "integer", _XSD + "integer"
        elif first is not None and second is not None:
            if first != "xsd":
                continue  # only the xsd prefix is known without the query's own prologue
            kind, datatype = (
                ("integer", _XSD + "integer") if second in _INTEGER_TYPES else ("typed", _XSD + second)
            )
        elif first is not None and _LANG_RE.match(first):
            kind, language = "lang", first
        elif first is not None:
            continue
        params[pname] = Parameter(
            name=pname,
            variable=variable,
            kind=kind,
            required=underscores == "_",
            datatype=datatype,
            language=language,
            default=defaults.get(pname),
            enumerate=enumerations.get(pname, ()),
        )
    pagination = header.get("pagination")
    summary = header.get("summary")
    description = header.get("description")
    return NamedQuery(
        name=name,
        path=path or Path(name + ".rq"),
        text=text,
        summary=summary if isinstance(summary, str) and summary else name,
        description=description if isinstance(description, str) else "",
        tags=tuple(_as_list(header.get("tags"))),
        parameters=tuple(params.values()),
        pagination=int(pagination) if isinstance(pagination, str) and pagination.isdigit() else None,
        internal=internal,
        form=query_form(text),
    )


def _as_list(value: object) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    if isinstance(value, str) and value:
        return [v.strip() for v in value.split(",")]
    return []


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
