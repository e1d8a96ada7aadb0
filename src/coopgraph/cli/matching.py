"""``coopgraph match``: partners for a profile from the shell, as ``POST /match`` answers them.

Values may be IRIs or short keys: a sector's slug (``audiovisual``), an article's number
(``14``), a modality's slug (``south-south``), a country's slug (``mexico``).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from coopgraph.cli.common import TableFormat, fail, open_loaded_store, print_rows, settings_from_env
from coopgraph.errors import CoopgraphError

_KINDS = {"sectors": "cultural-sector", "articles": "article", "modalities": "modality", "country": "party"}

Values = Annotated[list[str] | None, typer.Option(help="Repeatable.")]


def _iri(field: str, value: str) -> str:
    from coopgraph.namespaces import resource_iri

    return value if "://" in value or value.startswith("urn:") else str(resource_iri(_KINDS[field], value))


def match(
    sector: Annotated[
        list[str] | None, typer.Option(help="Cultural sector (slug or IRI); repeatable.")
    ] = None,
    article: Annotated[
        list[str] | None, typer.Option(help="Convention article (number or IRI); repeatable.")
    ] = None,
    modality: Annotated[list[str] | None, typer.Option(help="Modality (slug or IRI); repeatable.")] = None,
    country: Annotated[str | None, typer.Option(help="The newcomer's country (slug or IRI).")] = None,
    kind: Annotated[str | None, typer.Option(help="country, organisation or person.")] = None,
    offers: Annotated[str, typer.Option(help="What the newcomer offers, in words.")] = "",
    seeks: Annotated[str, typer.Option(help="What the newcomer looks for, in words.")] = "",
    exclude: Annotated[
        list[str] | None, typer.Option(help="IRI of an actor not to propose; repeatable.")
    ] = None,
    top: Annotated[int, typer.Option(help="How many matches, 1 to 100.")] = 10,
    fmt: Annotated[
        TableFormat, typer.Option("--format", "-f", help="table, json or csv.")
    ] = TableFormat.table,
) -> None:
    """Partners for a newcomer's profile, best first, with the reasons each fits."""
    from coopgraph.matching import check_profile, match_index, read_body
    from coopgraph.matching import match as rank
    from coopgraph.queries import catalogue_for

    settings = settings_from_env()
    try:
        store = open_loaded_store(settings)
        catalogue = catalogue_for(settings.queries_dir)
        body = read_body(
            {
                "kind": kind,
                "country": _iri("country", country) if country else None,
                "sectors": [_iri("sectors", v) for v in sector or []],
                "articles": [_iri("articles", v) for v in article or []],
                "modalities": [_iri("modalities", v) for v in modality or []],
                "offers": offers,
                "seeks": seeks,
                "exclude": exclude or [],
                "top": top,
            }
        )
        index = match_index(store, catalogue)
        found = rank(index, check_profile(body, index), body.top)
    except CoopgraphError as exc:
        raise fail(exc, 2) from exc
    if fmt is TableFormat.json:
        typer.echo(json.dumps([m.to_dict() for m in found], ensure_ascii=False, indent=2))
        return
    rows = [
        {
            "rank": str(m.rank),
            "label": m.label,
            "kind": m.kind,
            "score": f"{m.score:.3f}",
            "explanation": m.explanation,
        }
        for m in found
    ]
    print_rows(rows, ["rank", "label", "kind", "score", "explanation"], fmt)
