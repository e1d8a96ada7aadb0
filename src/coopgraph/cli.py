"""The ``coopgraph`` command line.

Each command is a thin layer over the library: it builds the settings, calls one function and
prints what it returns.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from coopgraph.config import Settings
from coopgraph.errors import CoopgraphError, InputError, NotFound, ParameterError, QueryError, StoreBusy

if TYPE_CHECKING:  # the store module loads pyoxigraph; commands import it when they run
    from coopgraph.store import Store

app = typer.Typer(
    name="coopgraph",
    help="The knowledge graph of international cultural cooperation (UNESCO 2005 Convention, Articles 12-16).",
    no_args_is_help=True,
    add_completion=False,
)


def settings_from_env() -> Settings:
    """The settings of this run, from the ``COOPGRAPH_*`` environment variables."""
    return Settings()


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"


class Lang(StrEnum):
    en = "en"
    es = "es"


class TableFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


def _fail(exc: CoopgraphError, code: int) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(code)


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="RDF files or folders (default: data/).")] = None,
    fmt: Annotated[ReportFormat, typer.Option("--format", "-f", help="Report format.")] = ReportFormat.text,
    lang: Annotated[Lang, typer.Option("--lang", "-l", help="Language of the messages.")] = Lang.en,
) -> None:
    """Validate data against the SHACL shapes.

    Exit status: 0 when the data conforms (warnings allowed), 1 on violations, 2 when an input
    cannot be read.
    """
    from coopgraph.validation import validate as run_validation

    try:
        report = run_validation(paths or None, settings_from_env(), lang=lang.value)
    except InputError as exc:
        raise _fail(exc, 2) from exc
    if fmt is ReportFormat.json:
        typer.echo(report.to_json())
    elif fmt is ReportFormat.turtle:
        typer.echo(report.report_graph.serialize(format="turtle"))
    else:
        typer.echo(report.to_text())
    raise typer.Exit(0 if report.conforms else 1)


def _print_rows(rows: list[dict[str, str]], columns: list[str], fmt: TableFormat) -> None:
    if fmt is TableFormat.json:
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if fmt is TableFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
        return
    widths = {c: max([len(c), *(len(r.get(c, "")) for r in rows)]) for c in columns}
    typer.echo("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    typer.echo("  ".join("-" * widths[c] for c in columns))
    for row in rows:
        typer.echo("  ".join(row.get(c, "").ljust(widths[c]) for c in columns).rstrip())


def _open_loaded_store(settings: Settings, write: bool = False) -> Store:
    """The store, loaded with the knowledge folders; beside a running service, read-only.

    The service holds the store while it runs, and only reads it: a command that only reads
    opens it read-only and answers from what the service serves, without reloading.
    """
    from coopgraph.store import load_project, open_store

    try:
        store = open_store(settings)
    except StoreBusy as exc:
        if write or not exc.readable:
            raise
        typer.echo(
            "note: a running service holds the store; answering from what it serves "
            "(changes to the knowledge folders since it started are not loaded)",
            err=True,
        )
        return open_store(settings, read_only=True)
    load_project(store, settings)
    return store


@app.command()
def stats(
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
) -> None:
    """Summarise the graph: triples per named graph, instances per class, organisations per sector, contributions per currency."""
    from coopgraph.queries import catalogue_for
    from coopgraph.store import iter_rows

    settings = settings_from_env()
    try:
        store = _open_loaded_store(settings)
    except CoopgraphError as exc:
        raise _fail(exc, 2) from exc
    catalogue = catalogue_for(settings.queries_dir)
    sections = [
        ("Triples per named graph", "graph-sizes", ["graph", "triples"]),
        ("Instances per class", "class-counts", ["class", "label", "instances"]),
        ("Organisations per sector", "actors-per-sector", ["sector", "label", "organisations"]),
        (
            "Contributions per currency",
            "contributions-per-currency",
            ["currency", "contributions", "total", "approximate"],
        ),
    ]
    collected: dict[str, list[dict[str, str]]] = {}
    for title, name, columns in sections:
        rows = list(iter_rows(store.run(catalogue.internal(name))))
        collected[name] = rows
        if fmt is TableFormat.table:
            typer.echo(f"\n{title}")
            _print_rows(rows, columns, fmt)
    if fmt is TableFormat.json:
        typer.echo(json.dumps(collected, ensure_ascii=False, indent=2))
    store.close()


@app.command()
def load(
    paths: Annotated[list[Path], typer.Argument(help="RDF files to load.")],
    graph: Annotated[str | None, typer.Option(help="Named graph IRI (default: graph/{file name}).")] = None,
    force: Annotated[
        bool, typer.Option(help="Load even when the data does not conform to the shapes.")
    ] = False,
) -> None:
    """Validate files with the shapes, then load what conforms into the store, one named graph each."""
    from coopgraph.namespaces import GRAPH_BASE
    from coopgraph.store import open_store
    from coopgraph.validation import validate as run_validation

    settings = settings_from_env()
    try:
        report = run_validation(paths, settings)
    except InputError as exc:
        raise _fail(exc, 2) from exc
    if not report.conforms and not force:
        typer.echo(report.to_text(), err=True)
        typer.echo("error: not loaded: the data does not conform (use --force to load anyway)", err=True)
        raise typer.Exit(1)
    try:
        store = open_store(settings)
    except CoopgraphError as exc:
        raise _fail(exc, 2) from exc
    total = sum(p.stat().st_size for p in paths)
    with typer.progressbar(length=total, label="loading", file=sys.stderr) as bar:
        for path in paths:
            target = graph or GRAPH_BASE + path.stem
            try:
                size = store.replace_graph(target, [path], progress=bar.update)
            except CoopgraphError as exc:
                raise _fail(exc, 2) from exc
            typer.echo(f"\n{path}: {size} triples in <{target}>", err=True)
    store.close()


@app.command()
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
            raise _fail(ParameterError(key, "expected name=value"), 2)
        values[key] = value
    try:
        path = Path(name_or_file)
        if path.suffix == ".rq" and path.exists():
            named = parse_query_text(path.stem, path.read_text("utf-8"), path)
        else:
            named = catalogue_for(settings.queries_dir).get(name_or_file)
        store = _open_loaded_store(settings)
        rows = list(iter_rows(store.run(named, values)))
    except (NotFound, ParameterError) as exc:
        raise _fail(exc, 2) from exc
    except QueryError as exc:
        raise _fail(exc, 1) from exc
    except CoopgraphError as exc:  # the store cannot be opened
        raise _fail(exc, 2) from exc
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    _print_rows(rows, columns, fmt)


class ExportFormat(StrEnum):
    nq = "nq"
    ttl = "ttl"
    jsonld = "jsonld"
    rdfxml = "rdfxml"


@app.command()
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
    from coopgraph.linkeddata import export as write_export

    settings = settings_from_env()
    try:
        store = _open_loaded_store(settings)
        size = write_export(store, fmt.value, out)
    except CoopgraphError as exc:
        raise _fail(exc, 2) from exc
    if out != "-":
        typer.echo(f"{out}: {size} bytes ({fmt.value})", err=True)
    store.close()


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Address to listen on (default: COOPGRAPH_HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: COOPGRAPH_PORT).")] = None,
    reload_data: Annotated[
        bool, typer.Option("--reload-data", help="Reload every graph even when its files did not change.")
    ] = False,
) -> None:
    """Load the data and serve the SPARQL endpoint, named queries and linked data over HTTP."""
    import uvicorn

    from coopgraph.api.app import create_app

    settings = settings_from_env()
    if reload_data:
        settings = settings.model_copy(update={"reload_data": True})
    uvicorn.run(
        create_app(settings),
        host=host or settings.host,
        port=port or settings.port,
        log_level="warning",
        access_log=False,
    )


from coopgraph.network.cli import network_app  # noqa: E402 - a sub-command group

app.add_typer(network_app, name="network")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
