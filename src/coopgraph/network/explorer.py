"""The network explorer page (``/network`` in a browser) and the JSON it is built from.

Without JavaScript the page is a form (projection, measure, colouring, the filters of
:data:`~coopgraph.network.filters.FILTER_FIELDS`), the table of the top actors by the chosen
measure, and links to the downloads (GraphML, GEXF, node-link JSON, PNG) with the same filters.
``static/network.js`` then draws the network from :func:`coopgraph.network.layout.view` with
sigma.js and graphology (positions come from the server, so nothing is laid out in the browser).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode

from coopgraph.linkeddata.labels import local_url
from coopgraph.linkeddata.pages import render
from coopgraph.network.analysis import parse_int
from coopgraph.network.filters import ACTOR_KINDS, FILTER_FIELDS, FUNDING_KINDS, RawFilters, filters_for
from coopgraph.network.layout import COLOUR_BY, checked_projection, measures_of, view
from coopgraph.network.measures import ranking
from coopgraph.network.projections import PROJECTIONS, project
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

DOWNLOADS: tuple[tuple[str, str], ...] = (
    ("graphml", "GraphML"),
    ("gexf", "GEXF (Gephi)"),
    ("json", "Node-link JSON"),
    ("png", "PNG image"),
)
"""The export formats of ``/network/{projection}.{ext}`` the page links to."""


def _query(pairs: Sequence[tuple[str, str]]) -> str:
    text = urlencode([(k, v) for k, v in pairs if v])
    return "?" + text if text else ""


def explorer_data(
    store: Store,
    catalogue: QueryCatalogue,
    projection: str | None,
    raw_filters: RawFilters,
    size_by: str | None,
    colour_by: str | None,
    top: str | None,
    base: str,
) -> dict[str, Any]:
    """What the explorer page shows: the chosen options, the top actors, the download links.

    Parameters
    ----------
    store, catalogue
        Where the projection comes from.
    projection
        The projection (default ``co-participation``).
    raw_filters
        The filters, keyed by their parameter names.
    size_by, colour_by
        The measure nodes are sized (and the table ranked) by, and the colouring.
    top
        How many rows the table has (1-500, default 25).
    base
        The service's base URL.

    Returns
    -------
    dict
        ``projection``, ``size``, ``colour``, ``filters`` (the raw values, for the form),
        ``query`` (the canonical filters), ``nodes``, ``edges`` (counts), ``top`` (rows
        ``rank, iri, href, label, kind, value``), ``downloads`` and ``view`` (URLs).

    Raises
    ------
    ParameterError
        Naming the parameter that is malformed.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> cat = QueryCatalogue(Settings().queries_dir)
    >>> d = explorer_data(EmbeddedStore(None), cat, None, {"from": "2012"}, None, None, None, "http://h/")
    >>> d["projection"], d["size"], d["colour"], d["downloads"][0]["href"]
    ('co-participation', 'degree', 'community', 'http://h/network/co-participation.graphml?from=2012')
    """
    name = checked_projection(projection or "co-participation")
    n_top = parse_int("top", top, 25, high=500)
    size_name = size_by or "degree"
    colour_name = colour_by or ("kind" if name == "bipartite" else "community")
    filters = filters_for(name, raw_filters)
    # view() checks size and colour (a 400 naming them) and caches layout and scores
    drawn = view(store, catalogue, name, raw_filters, size_name, colour_name)
    g = project(store, name, catalogue, filters)
    rows = ranking(g, size_name, top=n_top)
    for row in rows:
        row["href"] = local_url(row["iri"], base)
    filter_pairs = parse_qsl(filters.query_string())
    given = dict(filter_pairs)
    options = [("size", size_name), ("colour", colour_name)]
    return {
        "projection": name,
        "projections": list(PROJECTIONS),
        "measures": measures_of(name),
        "colourings": [c for c in COLOUR_BY if not (name == "bipartite" and c == "community")],
        "kinds": list(FUNDING_KINDS if name == "funding" else ACTOR_KINDS),
        "size": size_name,
        "colour": colour_name,
        "fields": [{"name": f.parameter, "help": f.help, "repeatable": f.repeatable} for f in FILTER_FIELDS],
        "filters": {
            f.parameter: list(filters.kinds) if f.parameter == "kind" else given.get(f.parameter)
            for f in FILTER_FIELDS
        },
        "query": filters.query_string(),
        "nodes": len(drawn["nodes"]),
        "edges": len(drawn["edges"]),
        "legend": drawn["legend"],
        "top": rows,
        "downloads": [
            {
                "format": ext,
                "label": label,
                "href": f"{base}network/{name}.{ext}"
                + _query(filter_pairs + (options if ext == "png" else [])),
            }
            for ext, label in DOWNLOADS
        ],
        "view": f"{base}network/{name}/view" + _query(filter_pairs + options),
    }


def explorer_page(data: dict[str, Any], base: str, languages: Sequence[str]) -> str:
    """The HTML page of the explorer from :func:`explorer_data`."""
    lang = next((lang for lang in languages if lang in ("en", "es", "fr")), "en")
    return render("network.html", base, title="Network explorer", net=data, lang=lang)
