"""``coopgraph network ...``: the network analysis from the command line.

The commands take the same options as the ``/network`` API routes and print what
:mod:`coopgraph.network.service` returns.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from coopgraph.errors import CoopgraphError
from coopgraph.namespaces import ANALYSIS_GRAPH

network_app = typer.Typer(
    name="network",
    help="Network analysis: centrality, communities, brokers, partner suggestions, exports, plots.",
    no_args_is_help=True,
)

Projection = Annotated[str, typer.Argument(help="co-participation, bipartite or funding.")]
FromYear = Annotated[str | None, typer.Option("--from", help="First year of the period (overlap).")]
ToYear = Annotated[str | None, typer.Option("--to", help="Last year of the period (overlap).")]
Source = Annotated[str | None, typer.Option(help="Named graph (source document) IRI or data file name.")]
Modality = Annotated[str | None, typer.Option(help="Activity modality (IRI or short name).")]
Sector = Annotated[str | None, typer.Option(help="Activity cultural sector (IRI or short name).")]
ActorSector = Annotated[str | None, typer.Option("--actor-sector", help="Actor organisation sector.")]
Article = Annotated[str | None, typer.Option(help="Convention article or sub-paragraph (e.g. 12, 12-e).")]
Kind = Annotated[list[str] | None, typer.Option(help="Actor kind to keep (repeatable).")]
Top = Annotated[int | None, typer.Option(help="How many rows.")]
MEASURE_HELP = (
    "degree, strength, betweenness, closeness, harmonic, eigenvector, pagerank, core-number, "
    "constraint, effective-size, community (bipartite: degree, betweenness, closeness)."
)
Fmt = Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")]


def _context(write: bool = False) -> tuple[Any, Any]:
    from coopgraph.cli import _open_loaded_store, settings_from_env
    from coopgraph.queries import catalogue_for

    settings = settings_from_env()
    try:
        return _open_loaded_store(settings, write), catalogue_for(settings.queries_dir)
    except CoopgraphError as exc:
        raise _fail(exc) from exc


def _fail(exc: CoopgraphError) -> typer.Exit:
    typer.echo(f"error: {exc}", err=True)
    return typer.Exit(2)


def _print(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> None:
    from coopgraph.cli import TableFormat, _print_rows

    if fmt not in ("table", "json", "csv"):
        raise _fail(CoopgraphError(f"--format: {fmt!r} is not table, json or csv"))
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
        _print_rows(text_rows, columns, TableFormat(fmt))


@network_app.command()
def centrality(
    projection: Projection,
    measure: Annotated[
        str,
        typer.Option(
            "--measure",
            "-m",
            help=MEASURE_HELP,
        ),
    ] = "degree",
    top: Top = 20,
    weighted: Annotated[bool, typer.Option(help="Weighted variant.")] = False,
    fmt: Fmt = "table",
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> None:
    """Actors ranked by a centrality measure."""
    from coopgraph.network import service

    store, catalogue = _context()
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    try:
        rows = service.centrality(store, catalogue, projection, measure, raw, top, weighted)
    except CoopgraphError as exc:
        raise _fail(exc) from exc
    _print(rows, service.CSV_COLUMNS, fmt)


@network_app.command()
def communities(
    projection: Projection,
    top: Top = 5,
    fmt: Fmt = "table",
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> None:
    """Louvain communities (fixed seed), modularity and each community's most central members."""
    from coopgraph.network import service

    store, catalogue = _context()
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    try:
        report = service.communities(store, catalogue, projection, raw, top)
    except CoopgraphError as exc:
        raise _fail(exc) from exc
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
def brokers(
    projection: Projection,
    top: Top = 20,
    weighted: Annotated[bool, typer.Option()] = False,
    fmt: Fmt = "table",
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> None:
    """Brokers: lowest Burt's constraint first, with effective size and degree."""
    from coopgraph.network import service

    store, catalogue = _context()
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    try:
        rows = service.brokers(store, catalogue, projection, raw, top, weighted)
    except CoopgraphError as exc:
        raise _fail(exc) from exc
    _print(rows, ["rank", "label", "kind", "constraint", "effective_size", "degree", "iri"], fmt)


@network_app.command()
def suggest(
    actor: Annotated[str, typer.Argument(help="IRI of the actor.")],
    top: Top = 10,
    fmt: Fmt = "table",
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> None:
    """Suggested partners of an actor, with the reasons each fits."""
    from coopgraph.network import service

    store, catalogue = _context()
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    try:
        rows = service.suggestions(store, catalogue, actor, raw, top)
    except CoopgraphError as exc:
        raise _fail(exc) from exc
    _print(rows, ["rank", "label", "score", "explanation"], fmt)


@network_app.command()
def export(
    projection: Projection,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write: .graphml, .gexf or .json.")],
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> None:
    """Write the projection as GraphML, GEXF or node-link JSON (by the output's extension)."""
    from coopgraph.network import service

    store, catalogue = _context()
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    try:
        body = service.export(store, catalogue, projection, output.suffix.lstrip(".").lower(), raw)
    except CoopgraphError as exc:
        raise _fail(exc) from exc
    output.write_bytes(body)
    typer.echo(f"{output}: {len(body)} bytes", err=True)


@network_app.command()
def plot(
    projection: Projection,
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write: .png or .svg.")],
    size: Annotated[str, typer.Option(help="Measure that sizes the nodes.")] = "degree",
    colour: Annotated[str | None, typer.Option(help="community, sector or kind.")] = None,
    top: Annotated[int, typer.Option(help="How many nodes get a label.")] = 10,
    start: FromYear = None,
    end: ToYear = None,
    source: Source = None,
    modality: Modality = None,
    sector: Sector = None,
    actor_sector: ActorSector = None,
    article: Article = None,
    kind: Kind = None,
) -> None:
    """Draw the projection as PNG or SVG (by the output's extension)."""
    from coopgraph.network import service

    store, catalogue = _context()
    raw = service.raw_filters(start, end, source, modality, sector, actor_sector, article, kind)
    try:
        body = service.plot(
            store, catalogue, projection, output.suffix.lstrip(".").lower(), raw, size, colour, top
        )
    except CoopgraphError as exc:
        raise _fail(exc) from exc
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(body)
    typer.echo(f"{output}: {len(body)} bytes", err=True)


@network_app.command()
def publish() -> None:
    """Compute the measures of every projection and replace graph/analysis with them."""
    from coopgraph.network.analysis_graph import publish as run_publish

    store, catalogue = _context(write=True)
    try:
        size = run_publish(store, catalogue)
    except CoopgraphError as exc:
        raise _fail(exc) from exc
    if hasattr(store, "flush"):
        store.flush()
    typer.echo(f"{size} triples in <{ANALYSIS_GRAPH}>", err=True)
