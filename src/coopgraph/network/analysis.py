"""The network analyses the API routes and the CLI commands offer, from raw parameters.

Each function validates its raw (string) parameters, raising
:class:`~coopgraph.errors.ParameterError` naming the parameter before anything is computed,
then builds (or takes from the cache) the projection and returns plain data. The filters come
as :data:`~coopgraph.network.filters.RawFilters`, keyed as :data:`~coopgraph.network.filters.FILTER_FIELDS`
names them.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coopgraph.errors import ParameterError
from coopgraph.network import export as export_mod
from coopgraph.network import plot as plot_mod
from coopgraph.network.centrality import DEFAULT_SEED, Sample
from coopgraph.network.communities import modularity, summarise
from coopgraph.network.export import EXPORT_MEDIA_TYPES
from coopgraph.network.facts import fetch_facts
from coopgraph.network.filters import RawFilters, filters_for
from coopgraph.network.measures import MEASURES, TWO_MODE, ranking, sample, scores
from coopgraph.network.plot import IMAGE_MEDIA_TYPES
from coopgraph.network.projections import check_projection, project
from coopgraph.network.suggestions import suggest_partners
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Store

CSV_COLUMNS = ["rank", "iri", "label", "kind", "value"]
SAMPLE_HEADER = "X-Coopgraph-Sample"
"""The HTTP header of an answer whose values are estimated from a sample (see :class:`Sample`)."""


@dataclass(frozen=True)
class Ranked:
    """Ranked rows of one measure, and the sample they are estimated from (``None``: exact)."""

    rows: list[dict[str, Any]]
    sample: Sample | None


def parse_int(name: str, raw: str | int | None, default: int, low: int = 1, high: int = 10_000) -> int:
    """An integer parameter in ``[low, high]``.

    >>> parse_int("top", "5", 10)
    5
    >>> parse_int("top", "x", 10)
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'top': 'x' is not an integer
    """
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParameterError(name, f"{raw!r} is not an integer") from None
    if not low <= value <= high:
        raise ParameterError(name, f"{value} is not between {low} and {high}")
    return value


def parse_bool(name: str, raw: str | bool | None, default: bool = False) -> bool:
    """A boolean parameter (``true``/``false``/``1``/``0``/``yes``/``no``)."""
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    text = raw.strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no"):
        return False
    raise ParameterError(name, f"{raw!r} is not true or false")


def centrality(
    store: Store,
    catalogue: QueryCatalogue,
    projection: str,
    measure_name: str,
    raw_filters: RawFilters,
    top: str | int | None = None,
    weighted: str | bool | None = None,
) -> list[dict[str, Any]]:
    """Ranked rows (``rank, iri, label, kind, value``) of one measure on one projection.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> cat = QueryCatalogue(Settings().queries_dir)
    >>> centrality(EmbeddedStore(None), cat, "co-participation", "degree", {})
    []
    >>> centrality(EmbeddedStore(None), cat, "co-participation", "fame", {})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'measure': 'fame' is not one of degree, strength, ...
    """
    return centrality_ranked(store, catalogue, projection, measure_name, raw_filters, top, weighted).rows


def centrality_ranked(
    store: Store,
    catalogue: QueryCatalogue,
    projection: str,
    measure_name: str,
    raw_filters: RawFilters,
    top: str | int | None = None,
    weighted: str | bool | None = None,
) -> Ranked:
    """:func:`centrality` with the sample the values are estimated from (``None`` when exact).

    Betweenness above 2,000 nodes and closeness and harmonic closeness above 10,000 are
    estimates (see :mod:`coopgraph.network.centrality`); an answer built on one says so with
    the sample's size and seed.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> cat = QueryCatalogue(Settings().queries_dir)
    >>> centrality_ranked(EmbeddedStore(None), cat, "co-participation", "betweenness", {})
    Ranked(rows=[], sample=None)
    """
    check_projection(projection)
    n_top = parse_int("top", top, 20)
    is_weighted = parse_bool("weighted", weighted)
    filters = filters_for(projection, raw_filters)
    table = TWO_MODE if projection == "bipartite" else MEASURES
    if measure_name not in table:
        raise ParameterError("measure", f"{measure_name!r} is not one of {', '.join(table)}")
    g = project(store, projection, catalogue, filters)
    return Ranked(ranking(g, measure_name, is_weighted, n_top), sample(g, measure_name))


def rows_to_csv(rows: list[dict[str, Any]], columns: Sequence[str] = CSV_COLUMNS) -> str:
    """Rows as CSV text with a header.

    >>> rows_to_csv([{"rank": 1, "iri": "x", "label": "X", "kind": "country", "value": 2}])
    'rank,iri,label,kind,value\\r\\n1,x,X,country,2\\r\\n'
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def communities(
    store: Store,
    catalogue: QueryCatalogue,
    projection: str,
    raw_filters: RawFilters,
    top: str | int | None = None,
) -> dict[str, Any]:
    """Louvain communities (fixed seed) with modularity and each one's ``top`` members by degree."""
    check_projection(projection)
    n_top = parse_int("top", top, 5)
    if projection == "bipartite":
        raise ParameterError("projection", "communities are computed on co-participation or funding")
    g = project(store, projection, catalogue, filters_for(projection, raw_filters))
    membership = scores(g, "community", weighted=True)
    groups = summarise(g, {v: int(c) for v, c in membership.items()}, top=n_top)
    return {
        "projection": projection,
        "filters": g.graph["filters"],
        "seed": DEFAULT_SEED,
        "modularity": modularity(g, {v: int(c) for v, c in membership.items()}),
        "communities": [
            {
                "community": c.number,
                "size": c.size,
                "top": [
                    {"iri": v, "label": g.nodes[v].get("label", v), "degree": g.degree(v)} for v in c.top
                ],
                "members": c.members,
            }
            for c in groups
        ],
    }


def brokers(
    store: Store,
    catalogue: QueryCatalogue,
    projection: str,
    raw_filters: RawFilters,
    top: str | int | None = None,
    weighted: str | bool | None = None,
) -> list[dict[str, Any]]:
    """Actors ranked as brokers: lowest Burt's constraint first, with effective size and degree."""
    check_projection(projection)
    n_top = parse_int("top", top, 20)
    is_weighted = parse_bool("weighted", weighted)
    if projection == "bipartite":
        raise ParameterError("projection", "brokerage is computed on co-participation or funding")
    g = project(store, projection, catalogue, filters_for(projection, raw_filters))
    size = scores(g, "effective-size", is_weighted)
    degree = scores(g, "degree")
    rows = ranking(g, "constraint", is_weighted, n_top)
    for row in rows:
        row["constraint"] = row.pop("value")
        row["effective_size"] = size.get(row["iri"])
        row["degree"] = degree.get(row["iri"])
    return rows


def suggestions(
    store: Store,
    catalogue: QueryCatalogue,
    actor: str | None,
    raw_filters: RawFilters,
    top: str | int | None = None,
) -> list[dict[str, Any]]:
    """Partner suggestions for ``actor`` on the co-participation network."""
    if not actor:
        raise ParameterError("actor", "required: the IRI of an actor")
    n_top = parse_int("top", top, 10)
    g = project(store, "co-participation", catalogue, filters_for("co-participation", raw_filters))
    facts = fetch_facts(store, catalogue)
    return [s.to_dict() for s in suggest_partners(g, actor, facts, n_top)]


def export(
    store: Store, catalogue: QueryCatalogue, projection: str, fmt: str, raw_filters: RawFilters
) -> bytes:
    """The projection as GraphML, GEXF or node-link JSON, with degree and community per node."""
    check_projection(projection)
    if fmt not in EXPORT_MEDIA_TYPES:
        raise ParameterError("format", f"{fmt!r} is not one of {', '.join(EXPORT_MEDIA_TYPES)}")
    g = project(store, projection, catalogue, filters_for(projection, raw_filters))
    extra = {"degree": scores(g, "degree")}
    if projection != "bipartite":
        extra["community"] = scores(g, "community", weighted=True)
    return export_mod.export(g, fmt, extra)


def plot(
    store: Store,
    catalogue: QueryCatalogue,
    projection: str,
    fmt: str,
    raw_filters: RawFilters,
    size_by: str | None = None,
    colour_by: str | None = None,
    top: str | int | None = None,
) -> bytes:
    """The projection drawn as PNG or SVG: nodes sized by a measure, coloured by a grouping."""
    check_projection(projection)
    if fmt not in IMAGE_MEDIA_TYPES:
        raise ParameterError("format", f"{fmt!r} is not one of {', '.join(IMAGE_MEDIA_TYPES)}")
    n_top = parse_int("top", top, 10, low=0)
    colour_by = colour_by or ("kind" if projection == "bipartite" else "community")
    if colour_by not in plot_mod.COLOUR_BY or (projection == "bipartite" and colour_by == "community"):
        raise ParameterError("colour", f"{colour_by!r} is not one of {', '.join(plot_mod.COLOUR_BY)}")
    size_name = size_by or "degree"
    numeric = [m for m in (TWO_MODE if projection == "bipartite" else MEASURES) if m != "community"]
    if size_name not in numeric:
        raise ParameterError("size", f"{size_name!r} is not one of {', '.join(numeric)}")
    g = project(store, projection, catalogue, filters_for(projection, raw_filters))
    size = scores(g, size_name)
    facts = fetch_facts(store, catalogue)
    if colour_by == "community":
        colour = {v: f"community {c}" for v, c in scores(g, "community", weighted=True).items()}
    elif colour_by == "sector":
        colour = {
            v: "; ".join(facts.label(s) for s in data.get("sector", [])) or "no sector"
            for v, data in g.nodes(data=True)
        }
    else:
        colour = {v: str(data.get("kind", "other")) for v, data in g.nodes(data=True)}
    title = f"{projection} network: size by {size_name}, colour by {colour_by}"
    if g.graph.get("filters"):
        title += f" ({g.graph['filters']})"
    drawn_from = sample(g, size_name)
    if drawn_from is not None:
        title += f"\n{size_name} {drawn_from.describe()}"
    return plot_mod.draw(g, size, colour, fmt=fmt, top=n_top, title=title)
