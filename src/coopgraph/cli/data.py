"""The data commands: ``validate``, ``stats``, ``load``, ``query`` and ``export``.

Each command is a thin layer over the library: it builds the settings, calls one function and
prints what it returns.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from coopgraph.cli.common import TableFormat, fail, open_loaded_store, print_rows, settings_from_env
from coopgraph.errors import CoopgraphError, InputError, NotFound, ParameterError, QueryError

if TYPE_CHECKING:  # validation loads rdflib and pySHACL; commands import it when they run
    from coopgraph.validation import ValidationReport


class ReportFormat(StrEnum):
    """How ``validate`` prints its report."""

    text = "text"
    json = "json"
    turtle = "turtle"


class Lang(StrEnum):
    """The languages of the validation messages."""

    en = "en"
    es = "es"


class ExportFormat(StrEnum):
    """The RDF formats of ``export``."""

    nq = "nq"
    ttl = "ttl"
    jsonld = "jsonld"
    rdfxml = "rdfxml"


LIST_WARNINGS_COMMAND = "coopgraph validate --warnings"
"""The command that lists the warnings the text report only counts."""


def report_text(report: ValidationReport, list_warnings: bool = False) -> str:
    """The text report: every violation and info in full, the warnings listed or counted.

    Parameters
    ----------
    report
        What :func:`coopgraph.validation.validate` returned.
    list_warnings
        List every warning too, as :meth:`~coopgraph.validation.ValidationReport.to_text` does.

    Returns
    -------
    str
        Without ``list_warnings``, the warnings are one line at the end: how many, and the
        command that lists them.
    """
    if list_warnings or not report.warnings:
        return report.to_text()
    shown = dataclasses.replace(report, results=[r for r in report.results if r.severity != "Warning"])
    # to_text ends with the summary line, whose counts must include the warnings left out
    lines = shown.to_text().splitlines()[:-1]
    lines.append(report.summary())
    lines.append(f"{report.warnings} warning(s) not listed: `{LIST_WARNINGS_COMMAND}` lists them")
    return "\n".join(lines)


def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="RDF files or folders (default: data/).")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", "-l", help="Language of the messages.")] = Lang.en,
    list_warnings: Annotated[
        bool, typer.Option("--warnings", help="List every warning (the text report counts them).")
    ] = False,
) -> None:
    """Validate data against the SHACL shapes.

    Exit status: 0 when the data conforms (warnings allowed), 1 on violations, 2 when an input
    cannot be read.
    """
    from coopgraph.validation import validate as validate_files

    try:
        report = validate_files(paths or None, settings_from_env(), lang=lang.value)
    except InputError as exc:
        raise fail(exc, 2) from exc
    if fmt is ReportFormat.json:
        typer.echo(report.to_json())
    elif fmt is ReportFormat.turtle:
        typer.echo(report.report_graph.serialize(format="turtle"))
    else:
        typer.echo(report_text(report, list_warnings))
    raise typer.Exit(0 if report.conforms else 1)


def stats(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
) -> None:
    """Summarise the graph: triples per named graph, instances per class, organisations per sector, contributions per currency."""
    from coopgraph.queries import catalogue_for
    from coopgraph.store import iter_rows

    settings = settings_from_env()
    try:
        store = open_loaded_store(settings)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    catalogue = catalogue_for(settings.queries_dir)
    sections = [
        ("Triples per named graph", "graph-sizes", ["graph", "triples"]),
        ("Instances per class", "class-counts", ["class", "label", "instances"]),
        ("Organisations per sector", "actors-per-sector", ["sector", "label", "organisations"]),
        (
            "Contributions per currency",
            "all-contribution-totals-per-currency",
            ["currency", "contributions", "total", "approximate"],
        ),
    ]
    collected: dict[str, list[dict[str, str]]] = {}
    for title, name, columns in sections:
        rows = list(iter_rows(store.select_named(catalogue.internal(name))))
        collected[name] = rows
        if fmt is TableFormat.table:
            typer.echo(f"\n{title}")
            print_rows(rows, columns, fmt)
    if fmt is TableFormat.json:
        typer.echo(json.dumps(collected, ensure_ascii=False, indent=2))
    store.close()


class LoadProgress:
    r"""The progress of a load on stderr: triples loaded and their rate, about once a second.

    Parameters
    ----------
    label
        What is loading (the file name).
    stream
        Where the lines go (stderr). On a terminal each line overwrites the last one; otherwise
        (``--progress`` into a file or a pipe) each is a line of its own.
    every
        Seconds between two lines.
    clock
        The clock (tests give their own).

    Examples
    --------
    >>> import io
    >>> ticks = iter([0.0, 2.0, 2.5, 4.0])
    >>> out = io.StringIO()
    >>> progress = LoadProgress("big.nt", out, clock=lambda: next(ticks))
    >>> progress(500_000)
    >>> progress(100_000)
    >>> progress.done()
    >>> out.getvalue()
    'big.nt: 500,000 triples, 250,000 triples/s\nbig.nt: 600,000 triples, 150,000 triples/s\n'
    """

    def __init__(
        self, label: str, stream: TextIO, every: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.label = label
        self.stream = stream
        self.every = every
        self.clock = clock
        self.start = clock()
        self.last = self.start
        self.triples = 0
        self.overwrite = stream.isatty()

    def __call__(self, added: int) -> None:
        """Count ``added`` more triples; write a line when ``every`` seconds have gone by."""
        self.triples += added
        now = self.clock()
        if now - self.last >= self.every:
            self.last = now
            self._write(now)

    def _write(self, now: float) -> None:
        rate = self.triples / max(now - self.start, 1e-9)
        line = f"{self.label}: {self.triples:,} triples, {rate:,.0f} triples/s"
        self.stream.write(f"\r{line}\x1b[K" if self.overwrite else line + "\n")
        self.stream.flush()

    def done(self) -> None:
        """Write the final count and rate, ending the line a terminal shows."""
        self._write(self.clock())
        if self.overwrite:
            self.stream.write("\n")
            self.stream.flush()


def load(
    paths: Annotated[list[Path], typer.Argument(help="RDF files to load.")],
    graph: Annotated[str | None, typer.Option(help="Named graph IRI (default: graph/{file name}).")] = None,
    force: Annotated[
        bool, typer.Option(help="Load even when the data does not conform to the shapes.")
    ] = False,
    no_validate: Annotated[
        bool,
        typer.Option(
            "--no-validate",
            help="Load without SHACL validation (for files too large to validate; they are still "
            "checked and parsed, and refused with file and line when they do not parse).",
        ),
    ] = False,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Show triples loaded and the rate on stderr (default: when stderr is a terminal).",
        ),
    ] = None,
) -> None:
    """Validate files with the shapes, then load what conforms into the store, one named graph each.

    Each file streams into the store, in memory that does not grow with it; a file that fails
    leaves its graph as it was, and so does a load killed part way. Exit status: 0 when loaded, 1
    when the data does not conform, 2 when an input cannot be read or the store cannot be opened.
    """
    from coopgraph.namespaces import GRAPH_BASE
    from coopgraph.store import open_store

    settings = settings_from_env()
    if not no_validate:
        from coopgraph.validation import validate as validate_files

        try:
            report = validate_files(paths, settings)
        except InputError as exc:
            raise fail(exc, 2) from exc
        if not report.conforms and not force:
            typer.echo(report.to_text(), err=True)
            typer.echo("error: not loaded: the data does not conform (use --force to load anyway)", err=True)
            raise typer.Exit(1)
    show = sys.stderr.isatty() if progress is None else progress
    try:
        store = open_store(settings)  # an embedded store removes what a crashed load left
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    try:
        for path in paths:
            target = graph or GRAPH_BASE + path.stem
            shown = LoadProgress(str(path), sys.stderr) if show else None
            try:
                size = store.replace_graph(target, [path], progress=shown)
            except CoopgraphError as exc:
                raise fail(exc, 2) from exc
            finally:
                if shown:
                    shown.done()
            typer.echo(f"{path}: {size} triples in <{target}>", err=True)
    finally:
        store.close()


def query(
    name_or_file: Annotated[str, typer.Argument(help="A named query of queries/ or a .rq file.")],
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A parameter as name=value (repeatable).")
    ] = None,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
) -> None:
    """Run a named query (or a .rq file) with parameters bound as RDF terms."""
    from coopgraph.queries import catalogue_for, parse_query_text
    from coopgraph.store import iter_rows

    settings = settings_from_env()
    values: dict[str, str] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep:
            raise fail(ParameterError(key, "expected name=value"), 2)
        values[key] = value
    try:
        path = Path(name_or_file)
        if path.suffix == ".rq" and path.exists():
            named = parse_query_text(path.stem, path.read_text("utf-8"), path)
        else:
            named = catalogue_for(settings.queries_dir).get(name_or_file)
        store = open_loaded_store(settings)
        rows = list(iter_rows(store.select_named(named, values)))
    except (NotFound, ParameterError) as exc:
        raise fail(exc, 2) from exc
    except QueryError as exc:
        raise fail(exc, 1) from exc
    except CoopgraphError as exc:  # the store cannot be opened
        raise fail(exc, 2) from exc
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    print_rows(rows, columns, fmt)


def export(
    out: Annotated[str, typer.Argument(help="Output file ('-' for stdout; a .gz name is compressed).")],
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", help="nq and jsonld keep the named graphs; ttl and rdfxml write their union."
        ),
    ] = ExportFormat.nq,
) -> None:
    """Export the whole graph (ontology, shapes, data) in one RDF file."""
    from coopgraph.linkeddata.dataset import export as write_export

    settings = settings_from_env()
    try:
        store = open_loaded_store(settings)
        size = write_export(store, fmt.value, out)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    if out != "-":
        typer.echo(f"{out}: {size} bytes ({fmt.value})", err=True)
    store.close()
