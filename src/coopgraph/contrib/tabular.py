"""CSV templates: rows checked cell by cell, mapped to RDF by their RML mapping, then gated.

A template is a section of ``mappings/README.md`` (its table of columns: name, required,
datatype) and a mapping ``mappings/<template>.rml.ttl`` run by morph-kgc over the rows held in
memory (:func:`map_rows`); the column-to-RDF logic is the mapping's, none of it is here. What
this module does is generic, by datatype:

1. :func:`read_csv`: the bytes are UTF-8 (with or without a byte-order mark), under the size and
   row limits, and the header names every required column and no unknown one;
2. :func:`check_cells`: each cell against its column's datatype (slug, date, decimal, currency,
   IRI...), errors as :class:`CellError` (row, column, message) and nothing mapped while any;
3. :func:`map_rows`: the mapping, and for each subject it makes, the row it came from;
4. :func:`check_mapped`: the write gate (:func:`coopgraph.gate.change.check_change`), its
   results reported on the row of their focus node and the column that feeds their property.

Row numbers are those a spreadsheet shows: the header is row 1, the first data row row 2.
:func:`ingest` runs the four steps; the CLI (``coopgraph ingest``), ``POST /contribute/csv`` and
the forms of :mod:`coopgraph.contrib.forms` all go through it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import BNode, Graph, Namespace, Node, URIRef
from rdflib.namespace import RDF, XSD

from coopgraph.config import Settings
from coopgraph.errors import CoopgraphError, NotFound, RequestTooLarge
from coopgraph.namespaces import CANONICAL_BASE, ID_BASE
from coopgraph.store import Store

RML = Namespace("http://w3id.org/rml/")
DEF_BASE = CANONICAL_BASE + "def#"
LIST_SEPARATOR = "|"
"""Items of a list cell are separated by this."""
HEADER_ROW = 1
"""Row numbers as a spreadsheet shows them: the header is row 1."""
MAX_CELL_CHARS = 10_000
"""The longest cell accepted (a description of a few pages)."""
SUBMISSION_GRAPH = "urn:coopgraph:submission"
"""The graph name a candidate is checked under (it never reaches the store from here)."""

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_YEAR = re.compile(r"-?\d{4}")
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DECIMAL = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_LANGUAGE = re.compile(r"[a-z]{2,3}")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+")
_RELATIVE = re.compile(r"[a-z0-9-]+/[A-Za-z0-9._~%-]+(?:/[A-Za-z0-9._~%-]+)*")
_BASE_DATATYPES = ("slug", "text", "iri", "date", "decimal", "boolean", "currency", "language", "class")


class CsvTooLarge(RequestTooLarge):
    """A CSV file is larger than ``COOPGRAPH_MAX_CSV_BYTES``."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        CoopgraphError.__init__(
            self, f"the CSV file is larger than {limit:,} bytes (COOPGRAPH_MAX_CSV_BYTES)"
        )


class TemplateError(CoopgraphError):
    """The files of a template (``mappings/``) cannot be read: a mistake of the project, not of the user."""


@dataclass(frozen=True)
class Column:
    """One column of a template, as ``mappings/README.md`` documents it."""

    name: str
    meaning: str
    required: bool
    datatype: str
    example: str
    default: str = ""
    """The value an empty cell is read as (``no, default `en``` in the README)."""

    @property
    def is_list(self) -> bool:
        """Whether a cell holds several items separated by :data:`LIST_SEPARATOR`."""
        return self.datatype.endswith(" list")

    @property
    def base(self) -> str:
        """The datatype of one item (``one of`` for a closed list)."""
        kind = self.datatype.removesuffix(" list")
        return "one of" if kind.startswith("one of:") else kind

    @property
    def choices(self) -> tuple[str, ...]:
        """The values a ``one of: a, b`` column allows."""
        if not self.datatype.startswith("one of:"):
            return ()
        return tuple(v.strip() for v in self.datatype.removeprefix("one of:").split(","))


@dataclass(frozen=True)
class Template:
    """A CSV template: its columns, its RML mapping and its header-only CSV file."""

    name: str
    description: str
    columns: tuple[Column, ...]
    mapping: Path
    csv_file: Path

    def column(self, name: str) -> Column | None:
        """The column called ``name``, if the template has one."""
        return next((c for c in self.columns if c.name == name), None)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)


@dataclass(frozen=True)
class CellError:
    """A problem with one cell (or a row, or the header: ``column`` is then empty).

    >>> str(CellError(3, "amount", "not a decimal"))
    '3:amount: not a decimal'
    """

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.row}:{self.column}: {self.message}"

    def located(self, file: str) -> str:
        """The error as ``FILE:ROW:COLUMN: message``."""
        return f"{file}:{self}"


@dataclass
class Mapped:
    """What :func:`ingest` made of a CSV file.

    Attributes
    ----------
    template
        The template's name.
    rows
        The data rows read.
    triples
        The RDF the mapping made (empty when a check failed before mapping).
    errors
        Every problem found, by row and column; the rows are not to be kept while there is any.
    warnings
        Results of the gate of severity Warning, by row and column (they do not stop a submission).
    """

    template: str
    rows: list[dict[str, str]] = field(default_factory=list)
    triples: list[ox.Triple] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    warnings: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.triples)


# ---------------------------------------------------------------------------------------------
# The templates, read from mappings/
# ---------------------------------------------------------------------------------------------


def mappings_dir(settings: Settings) -> Path:
    """The folder of the CSV templates and their mappings."""
    return settings.project_dir / "mappings"


def templates(settings: Settings) -> dict[str, Template]:
    """The templates of ``mappings/``, by name, read from its README once per content.

    Examples
    --------
    >>> names = templates(Settings())
    >>> [n for n in ("actors", "activities", "participations", "contributions") if n in names]
    ['actors', 'activities', 'participations', 'contributions']
    >>> templates(Settings())["contributions"].column("currency").datatype
    'currency'
    """
    readme = mappings_dir(settings) / "README.md"
    try:
        stamp = readme.stat().st_mtime_ns
    except OSError as exc:
        raise TemplateError(f"the templates' description {readme.name} is missing from mappings/") from exc
    return _read_templates(str(readme), stamp)


@lru_cache(maxsize=4)
def _read_templates(readme: str, stamp: int) -> dict[str, Template]:
    folder = Path(readme).parent
    found: dict[str, Template] = {}
    for section in re.split(r"^## ", Path(readme).read_text("utf-8"), flags=re.M)[1:]:
        title, _, body = section.partition("\n")
        name = title.strip()
        lines = [line for line in body.splitlines() if line.startswith("|")]
        if not lines or [c.strip() for c in lines[0].strip("|").split("|")][:2] != ["column", "meaning"]:
            continue
        columns = []
        for line in lines[2:]:
            cells = [c.strip() for c in re.split(r"(?<!\\)\|", line.strip().strip("|"))]
            column_name, meaning, required, datatype, example = (cells + [""] * 5)[:5]
            if datatype.removesuffix(" list") not in _BASE_DATATYPES and not datatype.startswith("one of:"):
                raise TemplateError(f"mappings/README.md, {name}: column {column_name} has no known datatype")
            default = re.search(r"default `([^`]*)`", required)
            columns.append(
                Column(
                    column_name,
                    meaning,
                    required == "yes",
                    datatype,
                    example.strip("`"),
                    default.group(1) if default else "",
                )
            )
        description = next((line for line in body.splitlines() if line and not line.startswith("|")), "")
        mapping, csv_file = folder / f"{name}.rml.ttl", folder / f"{name}.csv"
        if not mapping.exists() or not csv_file.exists():
            raise TemplateError(f"the template {name} needs mappings/{name}.rml.ttl and mappings/{name}.csv")
        found[name] = Template(name, description, tuple(columns), mapping, csv_file)
    return found


def template(settings: Settings, name: str) -> Template:
    """The template called ``name``.

    Raises
    ------
    NotFound
        With the names of the templates there are.
    """
    known = templates(settings)
    if name not in known:
        raise NotFound(f"there is no CSV template {name[:60]!r}; the templates are: {', '.join(known)}")
    return known[name]


# ---------------------------------------------------------------------------------------------
# Reading and checking
# ---------------------------------------------------------------------------------------------


def read_csv(
    data: bytes, spec: Template, max_bytes: int, max_rows: int
) -> tuple[list[dict[str, str]], list[CellError]]:
    """The data rows of a CSV file, each a dict of the template's columns (missing cells empty).

    Parameters
    ----------
    data
        The file's bytes: UTF-8, comma-separated, with a header row.
    spec
        The template it follows.
    max_bytes, max_rows
        The largest file and number of data rows accepted.

    Returns
    -------
    tuple
        The rows and the errors (of the file, the header, or rows of the wrong width).

    Examples
    --------
    >>> spec = Template("t", "", (Column("slug", "", True, "slug", ""),), Path("t"), Path("t"))
    >>> read_csv(b"slug\\nabc\\n", spec, 100, 10)
    ([{'slug': 'abc', 'row': '2'}], [])
    >>> read_csv(b"name\\nabc\\n", spec, 100, 10)[1][0].message
    "unknown column 'name' (the columns of t are: slug)"
    """
    if len(data) > max_bytes:
        return [], [CellError(0, "", f"the file is larger than {max_bytes:,} bytes")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [
            CellError(
                line,
                "",
                f"the file is not UTF-8 text: the byte at offset {exc.start} starts no character; "
                "save it as CSV UTF-8",
            )
        ]
    if "\x00" in text:
        return [], [CellError(text[: text.index("\x00")].count("\n") + 1, "", "the file holds a NUL byte")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    errors: list[CellError] = []
    try:
        header = next(reader, None)
    except csv.Error as exc:
        return [], [CellError(HEADER_ROW, "", f"the header cannot be read: {exc}")]
    if not header or not any(h.strip() for h in header):
        return [], [CellError(HEADER_ROW, "", "the file has no header row")]
    names = [h.strip() for h in header]
    known = [c.name for c in spec.columns]
    for name in names:
        if name not in known:
            errors.append(
                CellError(
                    HEADER_ROW,
                    name[:80],
                    f"unknown column {name[:80]!r} (the columns of {spec.name} are: {', '.join(known)})",
                )
            )
    for name in sorted({n for n in names if names.count(n) > 1}):
        errors.append(CellError(HEADER_ROW, name, f"the column {name} appears more than once"))
    for name in spec.required:
        if name not in names:
            errors.append(CellError(HEADER_ROW, name, f"the required column {name} is missing"))
    if errors:
        return [], errors
    rows: list[dict[str, str]] = []
    try:
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= max_rows:
                return [], [
                    CellError(number, "", f"the file has more than {max_rows:,} data rows; send it in parts")
                ]
            if len(cells) != len(names):
                errors.append(
                    CellError(number, "", f"the row has {len(cells)} cells where the header has {len(names)}")
                )
                continue
            row = dict.fromkeys(known, "")
            row.update({name: cell.strip() for name, cell in zip(names, cells, strict=True)})
            row["row"] = str(number)
            rows.append(row)
    except csv.Error as exc:
        errors.append(CellError(reader.line_num, "", f"the row cannot be read: {exc}"))
    if not rows and not errors:
        errors.append(CellError(HEADER_ROW + 1, "", "the file has no data row"))
    return rows, errors


def check_value(column: Column, value: str, classes: frozenset[str]) -> str | None:
    """Why ``value`` (one item) does not fit ``column``'s datatype, or ``None`` if it does.

    Examples
    --------
    >>> check_value(Column("currency", "", True, "currency", ""), "usd", frozenset())
    "'usd' is not an ISO 4217 currency code (three capital letters, like USD or EUR)"
    >>> check_value(Column("start", "", False, "date", ""), "2023-02-29", frozenset()) is not None
    True
    """
    kind = column.base
    shown = repr(value[:80])
    if len(value) > MAX_CELL_CHARS:
        return f"the cell is longer than {MAX_CELL_CHARS:,} characters"
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        return "the cell holds a control character"
    if kind == "slug" and not (_SLUG.fullmatch(value) and len(value) <= 100):
        return f"{shown} is not a slug (lower-case letters, digits and single hyphens, like ministry-of-culture-peru)"
    if kind == "one of" and value not in column.choices:
        return f"{shown} is not one of: {', '.join(column.choices)}"
    if kind == "class" and value not in classes:
        return f"{shown} is not a class of the ontology (like Organisation, Programme, Project)"
    if kind == "date" and date_datatype(value) is None:
        return f"{shown} is not a year, a year and month or a date (2019, 2019-05, 2019-05-17)"
    if kind == "decimal" and not _DECIMAL.fullmatch(value):
        return f"{shown} is not a non-negative decimal number (digits, . as decimal point, no thousands separator)"
    if kind == "boolean" and value not in ("true", "false"):
        return f"{shown} is not true or false"
    if kind == "currency" and not _CURRENCY.fullmatch(value):
        return f"{shown} is not an ISO 4217 currency code (three capital letters, like USD or EUR)"
    if kind == "language" and not _LANGUAGE.fullmatch(value):
        return f"{shown} is not a language code (like en, es, fr)"
    if kind == "iri" and absolute_iri(value) is None:
        return f"{shown} is not an IRI (https://...) or a path under {ID_BASE} (like party/colombia)"
    return None


def date_datatype(value: str) -> str | None:
    """The XSD datatype of a year, year-month or date, or ``None`` for anything else.

    >>> date_datatype("2019"), date_datatype("2019-05"), date_datatype("2019-02-30")
    ('http://www.w3.org/2001/XMLSchema#gYear', 'http://www.w3.org/2001/XMLSchema#gYearMonth', None)
    """
    if _YEAR.fullmatch(value):
        return str(XSD.gYear)
    match = _YEAR_MONTH.fullmatch(value)
    if match:
        return str(XSD.gYearMonth) if 1 <= int(match.group(2)) <= 12 else None
    try:
        date.fromisoformat(value)
    except ValueError:
        return None
    return str(XSD.date) if len(value) == 10 else None


def absolute_iri(value: str) -> str | None:
    """``value`` as an absolute IRI: itself, or a path resolved under the resource base.

    >>> absolute_iri("party/colombia")
    'https://w3id.org/coopgraph/id/party/colombia'
    >>> absolute_iri("not an iri") is None
    True
    """
    candidate = value if ":" in value.split("/", 1)[0] else ID_BASE + value
    if not value or (candidate != value and not _RELATIVE.fullmatch(value)) or not _IRI.fullmatch(candidate):
        return None
    try:
        ox.NamedNode(candidate)
    except ValueError:
        return None
    return candidate


def check_cells(rows: Sequence[dict[str, str]], spec: Template, classes: frozenset[str]) -> list[CellError]:
    """Every cell of ``rows`` against its column: required cells filled, each item of its datatype.

    Parameters
    ----------
    rows
        Rows from :func:`read_csv` (each with its ``row`` number).
    spec
        The template.
    classes
        The local names of the ontology's classes (for ``class`` columns).
    """
    errors: list[CellError] = []
    for row in rows:
        number = int(row["row"])
        for column in spec.columns:
            value = row.get(column.name, "")
            if not value:
                if column.required:
                    errors.append(CellError(number, column.name, f"the {column.name} is required"))
                continue
            items = split_list(value) if column.is_list else [value]
            for item in items:
                problem = "an empty item between two |" if not item else check_value(column, item, classes)
                if problem:
                    errors.append(CellError(number, column.name, problem))
                    break
    return errors


def split_list(value: str) -> list[str]:
    """The items of a list cell.

    >>> split_list("music | audiovisual")
    ['music', 'audiovisual']
    """
    return [item.strip() for item in value.split(LIST_SEPARATOR)]


def ontology_classes(settings: Settings) -> frozenset[str]:
    """The local names of the classes the ontology declares in its own namespace."""
    from coopgraph.gate.terms import ontology_vocabulary

    vocabulary = ontology_vocabulary(settings.ontology_dir)
    return frozenset(str(t)[len(DEF_BASE) :] for t in vocabulary.declared if str(t).startswith(DEF_BASE))


# ---------------------------------------------------------------------------------------------
# Mapping
# ---------------------------------------------------------------------------------------------


def sources(rows: Sequence[dict[str, str]], spec: Template) -> dict[str, list[dict[str, str]]]:
    """The in-memory sources the mapping reads: ``{template}`` and ``{template:column}`` per list column.

    Cells are prepared by datatype only: an empty cell takes its column's default, an IRI cell is
    made absolute, a date cell gets its XSD datatype as ``column_datatype``, a list cell gives one
    row per item (``column_n``, its position).

    >>> spec = Template("t", "", (Column("slug", "", True, "slug", ""), Column("tags", "", False, "slug list", "")), Path("t"), Path("t"))
    >>> sorted(sources([{"slug": "a", "tags": "x|y", "row": "2"}], spec)["t:tags"][1].items())
    [('row', '2'), ('slug', 'a'), ('tags', 'y'), ('tags_n', '2')]
    """
    main: list[dict[str, str]] = []
    lists: dict[str, list[dict[str, str]]] = {f"{spec.name}:{c.name}": [] for c in spec.columns if c.is_list}
    for raw in rows:
        row = dict(raw)
        for column in spec.columns:
            if column.default and not row.get(column.name):
                row[column.name] = column.default
            value = row.get(column.name, "")
            if column.base == "iri" and value and not column.is_list:
                row[column.name] = absolute_iri(value) or value
            if column.base == "date":
                row[f"{column.name}_datatype"] = (date_datatype(value) or "") if value else ""
        scalars = {k: v for k, v in row.items() if not (spec.column(k) and spec.column(k).is_list)}  # type: ignore[union-attr]
        main.append(scalars)
        for column in spec.columns:
            if column.is_list and row.get(column.name):
                for index, item in enumerate(split_list(row[column.name]), start=1):
                    value = absolute_iri(item) or item if column.base == "iri" else item
                    lists[f"{spec.name}:{column.name}"].append(
                        {**scalars, column.name: value, f"{column.name}_n": str(index)}
                    )
    return {spec.name: main, **lists}


def _config(mapping: Path) -> str:
    return (
        "[CONFIGURATION]\n"
        "number_of_processes: 1\n"
        "logging_level: ERROR\n"
        # only an empty cell is a missing value (morph-kgc also takes "nan" for one by default)
        "na_values: \n"
        "[template]\n"
        f"mappings: {mapping}\n"
    )


@dataclass(frozen=True)
class _ParsedMapping:
    config: Any
    rules: Any
    functions: Any
    groups: tuple[Any, ...]


@lru_cache(maxsize=32)
def _parsed_mapping(mapping: Path, stamp: int) -> _ParsedMapping:
    """The mapping's rules as morph-kgc parses them, kept per file version (``stamp``, its mtime).

    ``morph_kgc.materialize_set`` parses the mapping file on every call (about 2-4 s here, most
    of a form's answer time); the rules are the same for every call, so they are parsed once
    and the materialisation steps of ``materialize_set`` are run over them (morph-kgc 2.10).
    """
    from morph_kgc.args_parser import load_config_from_argument
    from morph_kgc.constants import RML_TRIPLES_MAP_CLASS
    from morph_kgc.mapping.mapping_parser import retrieve_mappings

    config = load_config_from_argument(_config(mapping))
    rules, functions, http_api = retrieve_mappings(config)
    config.set("CONFIGURATION", "http_api_df", http_api.to_csv())
    asserted = rules.loc[rules["triples_map_type"] == RML_TRIPLES_MAP_CLASS]
    groups = tuple(group for _, group in asserted.groupby(by="mapping_partition"))
    return _ParsedMapping(config, rules, functions, groups)


def _materialize(mapping: Path, python_source: dict[str, list[dict[str, str]]]) -> set[str]:
    """The N-Triples lines (without their final dot) the mapping makes of ``python_source``."""
    from morph_kgc.materializer import _materialize_mapping_group_to_set

    parsed = _parsed_mapping(mapping, mapping.stat().st_mtime_ns)
    made: set[str] = set()
    for group in parsed.groups:
        made.update(
            _materialize_mapping_group_to_set(
                group, parsed.rules, parsed.functions, parsed.config, python_source
            )
        )
    return made


def map_rows(rows: Sequence[dict[str, str]], spec: Template) -> tuple[list[ox.Triple], dict[Node, int]]:
    """Run the template's RML mapping over ``rows`` (checked): the triples, and each subject's row.

    Blank nodes get fresh identifiers, so two submissions never share one.

    Returns
    -------
    tuple
        The triples, and for each subject (rdflib node) the row that made it.
    """
    if not rows:
        return [], {}
    try:
        made = _materialize(spec.mapping, sources(rows, spec))
    except Exception as exc:  # morph-kgc raises plain exceptions for mapping mistakes
        raise TemplateError(f"the mapping of {spec.name} failed: {exc}") from exc
    text = "".join(f"{line} .\n" for line in made)
    fresh: dict[str, ox.BlankNode] = {}

    def renamed(term: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.NamedNode | ox.BlankNode | ox.Literal:
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term.value, ox.BlankNode())
        return term

    triples: list[ox.Triple] = []
    for quad in ox.parse(text.encode("utf-8"), format=ox.RdfFormat.N_TRIPLES):
        subject = renamed(quad.subject)
        triples.append(ox.Triple(subject, quad.predicate, renamed(quad.object)))  # type: ignore[arg-type]
    return triples, _subject_rows(rows, spec, fresh)


def _subject_rows(
    rows: Sequence[dict[str, str]], spec: Template, fresh: Mapping[str, ox.BlankNode]
) -> dict[Node, int]:
    """Each subject the mapping makes, and its row: the mapping's subject templates filled with the row."""
    templates_used = subject_templates(spec)
    found: dict[Node, int] = {}
    for source, prepared in sources(rows, spec).items():
        for row in prepared:
            number = int(row["row"])
            for template_text, blank, encoded in templates_used.get(source, ()):
                filled = fill(template_text, row, encode=encoded and not blank)
                if filled is None:
                    continue
                if blank:
                    node = fresh.get(filled)
                    if node is not None:
                        found.setdefault(BNode(node.value), number)
                else:
                    found.setdefault(URIRef(filled), number)
    return found


def fill(template_text: str, row: Mapping[str, str], encode: bool = True) -> str | None:
    """An RML template filled with a row's cells (``None`` when a cell it needs is empty).

    >>> fill("https://w3id.org/coopgraph/id/{kind}/{slug}", {"kind": "fund", "slug": "a b"})
    'https://w3id.org/coopgraph/id/fund/a%20b'
    """
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        cell = row.get(match.group(1), "")
        missing = missing or not cell
        return quote(cell, safe="") if encode else cell

    filled = re.sub(r"(?<!\\)\{([^{}]+)\}", value, template_text)
    return None if missing else filled


@lru_cache(maxsize=32)
def _mapping_graph(path: str, stamp: int) -> Graph:
    graph = Graph()
    graph.parse(path, format="turtle")
    return graph


def mapping_graph(spec: Template) -> Graph:
    """The template's RML mapping as an rdflib graph, parsed once per content."""
    return _mapping_graph(str(spec.mapping), spec.mapping.stat().st_mtime_ns)


def subject_templates(spec: Template) -> dict[str, list[tuple[str, bool, bool]]]:
    """Per in-memory source, the subject templates (or references) of its triples maps, whether
    each makes a blank node, and whether its cells are percent-encoded (a template's are)."""
    graph = mapping_graph(spec)
    found: dict[str, list[tuple[str, bool, bool]]] = {}
    for triples_map in graph.subjects(RML.logicalSource, None):
        source = graph.value(graph.value(triples_map, RML.logicalSource), RML.source)
        subject_map = graph.value(triples_map, RML.subjectMap)
        if source is None or subject_map is None:
            continue
        text = graph.value(subject_map, RML.template)
        reference = graph.value(subject_map, RML.reference)
        blank = graph.value(subject_map, RML.termType) == RML.BlankNode
        if text is not None:
            found.setdefault(str(source).strip("{}"), []).append((str(text), blank, True))
        elif reference is not None:
            # a reference is the cell itself, already an IRI: not percent-encoded
            found.setdefault(str(source).strip("{}"), []).append(("{" + str(reference) + "}", blank, False))
    return found


def predicate_columns(spec: Template) -> dict[str, str]:
    """For each predicate the mapping writes, the first column of the template that feeds it.

    >>> predicate_columns(templates(Settings())["contributions"])["https://w3id.org/coopgraph/def#amount"]
    'amount'
    """
    graph = mapping_graph(spec)
    names = [c.name for c in spec.columns]
    found: dict[str, str] = {}
    for pom in graph.objects(None, RML.predicateObjectMap):
        predicate = graph.value(pom, RML.predicate)
        object_map = graph.value(pom, RML.objectMap)
        if predicate is None or object_map is None:
            continue
        referenced = [
            str(v)
            for key in (RML.reference, RML.template)
            for v in [graph.value(object_map, key)]
            if v is not None
        ]
        for text in referenced:
            used = re.findall(r"\{([^{}]+)\}", text) or [text]
            column = next((n for n in used if n in names), None)
            if column and str(predicate) not in found:
                found[str(predicate)] = column
    found.setdefault(str(RDF.type), next((n for n in ("type", "kind") if n in names), ""))
    return found


# ---------------------------------------------------------------------------------------------
# The gate
# ---------------------------------------------------------------------------------------------


def check_mapped(
    store: Store,
    triples: list[ox.Triple],
    subject_rows: Mapping[Node, int],
    spec: Template,
    settings: Settings,
    lang: str = "en",
) -> tuple[list[CellError], list[CellError]]:
    """The write gate's results on the mapped triples, by row and column: (violations, warnings).

    Parameters
    ----------
    store
        The store the triples would join (read only): links to its nodes are checked.
    triples
        What :func:`map_rows` made.
    subject_rows
        The row of each subject.
    spec
        The template (its mapping says which column feeds which property).
    settings
        Where the ontology and shapes are.
    lang
        Language of the messages.
    """
    from coopgraph.gate.change import Change, check_change

    lines = {node: ("csv", row) for node, row in subject_rows.items()}
    change = Change("CSV", {SUBMISSION_GRAPH: triples}, lines)
    report = check_change(store, change, settings, lang)
    columns = predicate_columns(spec)
    by_local = {re.split(r"[#/]", iri)[-1]: column for iri, column in columns.items()}
    violations: list[CellError] = []
    warnings: list[CellError] = []
    for result in report.results:
        column = ""
        if result.path:
            path = result.path.strip("<>")
            column = columns.get(path) or by_local.get(re.split(r"[#/:]", path)[-1], "")
        row = result.line or 0
        value = (
            f" (value: {result.value[:80]})" if result.value and result.value not in result.message else ""
        )
        error = CellError(row, column, result.message + value)
        (violations if result.severity == "Violation" else warnings).append(error)
    key: Callable[[CellError], tuple[int, str, str]] = lambda e: (e.row, e.column, e.message)  # noqa: E731
    return sorted(set(violations), key=key), sorted(set(warnings), key=key)


# ---------------------------------------------------------------------------------------------
# All of it
# ---------------------------------------------------------------------------------------------


def ingest(
    data: bytes,
    template_name: str,
    settings: Settings,
    store: Store | None,
    lang: str = "en",
    progress: Callable[[str], None] | None = None,
) -> Mapped:
    """Read, check, map and gate a CSV file of a template.

    Parameters
    ----------
    data
        The file's bytes.
    template_name
        The template it follows (``actors``...).
    settings
        Limits (``max_csv_bytes``, ``max_csv_rows``) and knowledge folders.
    store
        The store to check links against; ``None`` skips the gate (cells and mapping only).
    lang
        Language of the gate's messages.
    progress
        Called with the name of each step as it starts (``read``, ``check``, ``map``, ``gate``).

    Returns
    -------
    Mapped
        The rows, the triples and every error by row and column.

    Raises
    ------
    NotFound
        There is no such template.
    """
    spec = template(settings, template_name)
    step = progress or (lambda name: None)
    step("read")
    rows, errors = read_csv(data, spec, settings.max_csv_bytes, settings.max_csv_rows)
    result = Mapped(spec.name, rows, [], errors)
    if errors:
        return result
    return map_checked(rows, spec, settings, store, lang, step)


def map_checked(
    rows: list[dict[str, str]],
    spec: Template,
    settings: Settings,
    store: Store | None,
    lang: str = "en",
    step: Callable[[str], None] | None = None,
) -> Mapped:
    """Check the cells of ``rows`` (as :func:`read_csv` gives them), map them, and gate the triples."""
    step = step or (lambda name: None)
    result = Mapped(spec.name, list(rows))
    step("check")
    result.errors = check_cells(rows, spec, ontology_classes(settings))
    if result.errors:
        return result
    step("map")
    triples, subject_rows = map_rows(rows, spec)
    result.triples = triples
    if store is not None and triples:
        step("gate")
        result.errors, result.warnings = check_mapped(store, triples, subject_rows, spec, settings, lang)
    return result


def gate_rows(
    store: Store,
    parts: Iterable[tuple[Template, list[dict[str, str]]]],
    settings: Settings,
    lang: str = "en",
) -> dict[str, Mapped]:
    """Several templates' rows that belong together (a form's): each checked and mapped, then gated as one.

    Returns, per template name, what was made of its rows; a gate result is reported under the
    template whose rows made its focus node.
    """
    results: dict[str, Mapped] = {}
    subject_rows: dict[str, dict[Node, int]] = {}
    for spec, rows in parts:
        if not rows:
            continue
        mapped = Mapped(spec.name, list(rows))
        mapped.errors = check_cells(rows, spec, ontology_classes(settings))
        if not mapped.errors:
            mapped.triples, subject_rows[spec.name] = map_rows(rows, spec)
        results[spec.name] = mapped
    if any(m.errors for m in results.values()):
        return results
    everything = [t for m in results.values() for t in m.triples]
    specs = {name: template(settings, name) for name in results}
    from coopgraph.gate.change import Change, check_change

    owners = {node: name for name, nodes in subject_rows.items() for node in nodes}
    lines = {node: (owners[node], row) for name, nodes in subject_rows.items() for node, row in nodes.items()}
    report = check_change(store, Change("FORM", {SUBMISSION_GRAPH: everything}, lines), settings, lang)
    for result in report.results:
        name = result.file if result.file in results else next(iter(results))
        columns = predicate_columns(specs[name])
        by_local = {re.split(r"[#/]", iri)[-1]: column for iri, column in columns.items()}
        column = ""
        if result.path:
            path = result.path.strip("<>")
            column = columns.get(path) or by_local.get(re.split(r"[#/:]", path)[-1], "")
        error = CellError(result.line or 0, column, result.message)
        if result.severity == "Violation":
            results[name].errors.append(error)
        else:
            results[name].warnings.append(error)
    return results
