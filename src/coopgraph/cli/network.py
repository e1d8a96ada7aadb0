"""``coopgraph network ...``: the network analysis from the command line.

The commands take the same filters as the ``/network`` API routes (both are built from
:data:`~coopgraph.network.filters.FILTER_FIELDS`) and print what
:mod:`coopgraph.network.analysis` returns.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from coopgraph.cli.common import TableFormat, fail, open_loaded_store, print_rows, settings_from_env
from coopgraph.errors import CoopgraphError
from coopgraph.namespaces import ANALYSIS_GRAPH
from coopgraph.network.filters import FILTER_FIELDS, RawFilters

if TYPE_CHECKING:  # the store and the analysis load pyoxigraph and NetworkX; commands import them
    from coopgraph.queries import QueryCatalogue
    from coopgraph.store import Store

network_app = typer.Typer(
    name="network",
    help="Network analysis: centrality, communities, brokers, partner suggestions, exports, plots.",
    no_args_is_help=True,
)

Projection = Annotated[str, typer.Argument(help="co-participation, bipartite or funding.")]
Top = Annotated[int | None, typer.Option(help="How many rows.")]
Weighted = Annotated[bool, typer.Option(help="Weighted variant.")]
Fmt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]
MEASURE_HELP = (
    "degree, strength, betweenness, closeness, harmonic, eigenvector, pagerank, core-number, "
    "constraint, effective-size, community (bipartite: degree, betweenness, closeness)."
)


def _filter_option(field_name: str, help_text: str, option: str, repeatable: bool) -> inspect.Parameter:
    value_type = list[str] | None if repeatable else str | None
    return inspect.Parameter(
        field_name,
        inspect.Parameter.KEYWORD_ONLY,
        default=None,
        annotation=Annotated[value_type, typer.Option(option, help=help_text)],
    )


_FILTER_OPTIONS = [_filter_option(f.name, f.help, f.option, f.repeatable) for f in FILTER_FIELDS]


def with_filter_options(command: Callable[..., None]) -> Callable[..., None]:
    """``command`` with one option per network filter; it receives their values as ``filters``.

    Parameters
    ----------
    command
        A command function with a keyword parameter ``filters`` (:data:`RawFilters`).

    Returns
    -------
    Callable
        The command Typer registers: its own options, then the filter options of
        :data:`~coopgraph.network.filters.FILTER_FIELDS`.
    """
    signature = inspect.signature(command, eval_str=True)
    own = [p for p in signature.parameters.values() if p.name != "filters"]

    @functools.wraps(command)
    def with_filters(**values: Any) -> None:
        filters = {f.parameter: values.pop(f.name) for f in FILTER_FIELDS}
        command(**values, filters=filters)

    # Typer reads the options from the signature: the command's own, then the filters
    with_filters.__signature__ = signature.replace(parameters=[*own, *_FILTER_OPTIONS])  # type: ignore[attr-defined]
    return with_filters


def _context(write: bool = False) -> tuple[Store, QueryCatalogue]:
    from coopgraph.queries import catalogue_for

    settings = settings_from_env()
    try:
        return open_loaded_store(settings, write), catalogue_for(settings.queries_dir)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc


def _print(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> None:
    if fmt not in ("table", "json", "csv"):
        raise fail(CoopgraphError(f"--format: {fmt!r} is not table, json or csv"), 2)
    text_rows = [
        {
            c: "" if r.get(c) is None else (f"{r[c]:.6g}" if isinstance(r[c], float) else str(r[c]))
            for c in columns
        }
        for r in rows
    ]
    if fmt == "json":
        typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    else:
        print_rows(text_rows, columns, TableFormat(fmt))


@network_app.command()
@with_filter_options
def centrality(
    projection: Projection,
    measure: Annotated[str, typer.Option("--measure", "-m", help=MEASURE_HELP)] = "degree",
    top: Top = 20,
    weighted: Weighted = False,
    fmt: Fmt = "table",
    *,
    filters: RawFilters,
) -> None:
    """Actors ranked by a centrality measure."""
    from coopgraph.network import analysis

    store, catalogue = _context()
    try:
        ranked = analysis.centrality_ranked(store, catalogue, projection, measure, filters, top, weighted)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    if ranked.sample is not None:
        # on stderr, so that JSON and CSV output stay machine-readable
        typer.echo(f"{measure} {ranked.sample.describe()}", err=True)
    _print(ranked.rows, analysis.CSV_COLUMNS, fmt)


@network_app.command()
@with_filter_options
def communities(projection: Projection, top: Top = 5, fmt: Fmt = "table", *, filters: RawFilters) -> None:
    """Louvain communities (fixed seed), modularity and each community's most central members."""
    from coopgraph.network import analysis

    store, catalogue = _context()
    try:
        report = analysis.communities(store, catalogue, projection, filters, top)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    if fmt == "json":
        typer.echo(json.dumps(report, ensure_ascii=False, indent=2))
        return
    rows = [
        {
            "community": c["community"],
            "size": c["size"],
            "top members": "; ".join(t["label"] for t in c["top"]),
        }
        for c in report["communities"]
    ]
    typer.echo(f"modularity {report['modularity']:.4f}, {len(rows)} communities")
    _print(rows, ["community", "size", "top members"], fmt)


@network_app.command()
@with_filter_options
def brokers(
    projection: Projection,
    top: Top = 20,
    weighted: Weighted = False,
    fmt: Fmt = "table",
    *,
    filters: RawFilters,
) -> None:
    """Brokers: lowest Burt's constraint first, with effective size and degree."""
    from coopgraph.network import analysis

    store, catalogue = _context()
    try:
        rows = analysis.brokers(store, catalogue, projection, filters, top, weighted)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    _print(rows, ["rank", "label", "kind", "constraint", "effective_size", "degree", "iri"], fmt)


@network_app.command()
@with_filter_options
def suggest(
    actor: Annotated[str, typer.Argument(help="IRI of the actor.")],
    top: Top = 10,
    fmt: Fmt = "table",
    *,
    filters: RawFilters,
) -> None:
    """Suggested partners of an actor, with the reasons each fits."""
    from coopgraph.network import analysis

    store, catalogue = _context()
    try:
        rows = analysis.suggestions(store, catalogue, actor, filters, top)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    _print(rows, ["rank", "label", "score", "explanation"], fmt)


@network_app.command()
@with_filter_options
def export(
    projection: Projection,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write: .graphml, .gexf or .json.")],
    *,
    filters: RawFilters,
) -> None:
    """Write the projection as GraphML, GEXF or node-link JSON (by the output's extension)."""
    from coopgraph.network import analysis

    store, catalogue = _context()
    try:
        body = analysis.export(store, catalogue, projection, output.suffix.lstrip(".").lower(), filters)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    output.write_bytes(body)
    typer.echo(f"{output}: {len(body)} bytes", err=True)


@network_app.command()
@with_filter_options
def plot(
    projection: Projection,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write: .png or .svg.")],
    size: Annotated[str, typer.Option(help="Measure that sizes the nodes.")] = "degree",
    colour: Annotated[str | None, typer.Option(help="community, sector or kind.")] = None,
    top: Annotated[int, typer.Option(help="How many nodes get a label.")] = 10,
    *,
    filters: RawFilters,
) -> None:
    """Draw the projection as PNG or SVG (by the output's extension)."""
    from coopgraph.network import analysis

    store, catalogue = _context()
    try:
        body = analysis.plot(
            store, catalogue, projection, output.suffix.lstrip(".").lower(), filters, size, colour, top
        )
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(body)
    typer.echo(f"{output}: {len(body)} bytes", err=True)


@network_app.command()
def publish() -> None:
    """Compute the measures of every projection and replace graph/analysis with them."""
    from coopgraph.network.analysis_graph import publish as publish_measurements

    store, catalogue = _context(write=True)
    try:
        size = publish_measurements(store, catalogue)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    if hasattr(store, "flush"):
        store.flush()
    typer.echo(f"{size} triples in <{ANALYSIS_GRAPH}>", err=True)
