"""The indicators of cooperation, for the whole graph, one country or one programme.

Counted over the cooperation activities of the scope:

- activities per year (an activity counts in every year from its first to its last date; one
  without an end only in its first year), per Convention article (a sub-paragraph counts as its
  article), per modality and per cultural sector;
- partners per year: the distinct actors taking part in the activities of each year;
- contributions per currency and period: never summed across currencies, never split into
  years the documents do not give, approximate amounts counted apart;
- the South-South, North-South and triangular shares (``cg:modality``);
- the indicators and results the documents report, with their values and units.

A country's scope is the activities it takes part in, that take place in it, or one of whose
participants belongs to it; a programme's scope is the programme and every activity part of it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from coopgraph.errors import NotFound, ParameterError
from coopgraph.explore.common import KINDS
from coopgraph.indicators.facts import IndicatorFacts, year_of
from coopgraph.linkeddata.labels import local_url
from coopgraph.linkeddata.profile import period
from coopgraph.namespaces import resource_iri

SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,120}")
SCOPE_KINDS = {"country": "party", "programme": "programme"}
"""Scope kind, then the path segment under ``/id/`` its resources are published at."""
SHARE_MODALITIES = ("south-south", "north-south", "triangular")
"""The modalities whose shares are given (concepts of the modality scheme)."""


@dataclass(frozen=True)
class Scope:
    """What the indicators are computed over: the whole graph, one country or one programme."""

    kind: str = "graph"
    iri: str | None = None


def scope_for(facts: IndicatorFacts, kind: str, slug: str) -> Scope:
    """The scope ``/indicators/{kind}/{slug}`` names.

    Raises
    ------
    ParameterError
        When the slug is malformed (the parameter is named after the kind).
    NotFound
        When no country (or programme) of the graph has that slug.

    Examples
    --------
    >>> from coopgraph.indicators.facts import facts_from_rows
    >>> from coopgraph.explore.facets import facts_from_rows as explore_rows
    >>> from coopgraph.explore.common import Labels
    >>> empty = facts_from_rows([], [], [], [], explore_rows([], Labels({}, {}, {})))
    >>> scope_for(empty, "country", "Bad Slug!")
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'country': a slug of lower-case letters, digits and '-'
    """
    if kind not in SCOPE_KINDS:
        raise ParameterError("scope", f"one of {', '.join(SCOPE_KINDS)}")
    if not SLUG.fullmatch(slug):
        raise ParameterError(kind, "a slug of lower-case letters, digits and '-'")
    iri = str(resource_iri(SCOPE_KINDS[kind], slug))
    if facts.labels.kind(iri) != kind:
        raise NotFound(f"no {kind} {slug!r} in the graph")
    return Scope(kind, iri)


def activities_in(facts: IndicatorFacts, scope: Scope) -> set[str]:
    """The IRIs of the activities the scope counts."""
    if scope.kind == "graph" or scope.iri is None:
        return set(facts.activities)
    if scope.kind == "programme":
        return {a for a in facts.within(scope.iri) if a in facts.activities}
    country = scope.iri
    found: set[str] = set()
    for activity in facts.activities.values():
        if country in activity.values["country"] or any(
            p == country or country in facts.countries_of(p) for p in activity.values["participant"]
        ):
            found.add(activity.iri)
    return found


def contributions_in(facts: IndicatorFacts, scope: Scope, activities: set[str]) -> list[str]:
    """The contributions the scope counts: paid or received by the country (or one of its actors),
    or by an activity of the scope."""
    if scope.kind == "graph" or scope.iri is None:
        return sorted(facts.contributions)
    found = []
    for c in facts.contributions.values():
        parties = [p for p in (c.contributor, c.recipient) if p is not None]
        if any(p in activities for p in parties) or (
            scope.kind == "country"
            and any(p == scope.iri or scope.iri in facts.countries_of(p) for p in parties)
        ):
            found.append(c.iri)
    return sorted(found)


def _decimal_text(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _counts(
    facts: IndicatorFacts, counter: Counter[str], languages: Sequence[str], base: str
) -> list[dict[str, Any]]:
    rows = [
        {
            "iri": iri,
            "url": local_url(iri, base),
            "label": facts.labels.label(iri, languages),
            "count": count,
        }
        for iri, count in counter.items()
    ]
    return sorted(rows, key=lambda r: (-r["count"], r["label"].casefold()))


def _per(facts: IndicatorFacts, activities: Iterable[str], facet: str) -> Counter[str]:
    counter: Counter[str] = Counter()
    for iri in activities:
        counter.update(facts.activities[iri].values[facet])
    return counter


def figures(facts: IndicatorFacts, scope: Scope, languages: Sequence[str], base: str) -> dict[str, Any]:
    """Every indicator of the scope, as JSON-ready data.

    Parameters
    ----------
    facts
        The facts (see :func:`coopgraph.indicators.facts.indicator_facts`).
    scope
        The whole graph, a country or a programme (see :func:`scope_for`).
    languages
        The languages labels are shown in, best first.
    base
        The service's base URL, ending with ``/``.

    Returns
    -------
    dict
        ``scope``, ``totals``, ``activities_per_year``, ``activities_per_article``,
        ``activities_per_modality``, ``activities_per_sector``, ``partners_per_year``,
        ``contributions`` (per currency and period), ``shares`` and ``reported`` (indicators
        and results with values and units).
    """
    labels = facts.labels
    chosen = activities_in(facts, scope)
    per_year: Counter[int] = Counter()
    partners_by_year: dict[int, set[str]] = defaultdict(set)
    undated = 0
    partners: set[str] = set()
    for iri in chosen:
        activity = facts.activities[iri]
        years = activity.years()
        actors = {p for p in activity.values["participant"] if facts.is_actor(p)}
        partners |= actors
        if not years:
            undated += 1
        for year in years:
            per_year[year] += 1
            partners_by_year[year] |= actors
    money: dict[tuple[str, str], dict[str, Any]] = {}
    unstated = 0
    contribution_iris = contributions_in(facts, scope, chosen)
    for iri in contribution_iris:
        c = facts.contributions[iri]
        if c.amount is None or not c.currency:
            unstated += 1
            continue
        when = period(c.start, c.end) or c.date or "undated"
        cell = money.setdefault(
            (c.currency, when),
            {
                "currency": c.currency,
                "period": when,
                "first_year": year_of(c.start) or year_of(c.date),
                "last_year": year_of(c.end) or year_of(c.date) or year_of(c.start),
                "total": Decimal(0),
                "exact": Decimal(0),
                "approximate_total": Decimal(0),
                "flows": 0,
                "approximate": 0,
            },
        )
        cell["total"] += c.amount
        cell["flows"] += 1
        if c.approximate:
            cell["approximate"] += 1
            cell["approximate_total"] += c.amount
        else:
            cell["exact"] += c.amount
    with_modality = _per(facts, chosen, "modality")
    share_iris = {name: str(resource_iri("modality", name)) for name in SHARE_MODALITIES}
    classified = {
        iri for iri in chosen if facts.activities[iri].values["modality"] & set(share_iris.values())
    }
    shares = []
    for name, iri in share_iris.items():
        count = with_modality.get(iri, 0)
        shares.append(
            {
                "modality": name,
                "iri": iri,
                "url": local_url(iri, base),
                "label": labels.label(iri, languages),
                "count": count,
                "share_of_classified": round(count / len(classified), 4) if classified else None,
                "share_of_all": round(count / len(chosen), 4) if chosen else None,
            }
        )
    scope_label = labels.label(scope.iri, languages) if scope.iri else None
    return {
        "scope": {
            "kind": scope.kind,
            "iri": scope.iri,
            "label": scope_label,
            "url": local_url(scope.iri, base) if scope.iri else None,
        },
        "totals": {
            "activities": len(chosen),
            "undated_activities": undated,
            "partners": len(partners),
            "contributions": len(contribution_iris),
            "contributions_without_amount": unstated,
            "classified_by_direction": len(classified),
        },
        "activities_per_year": [{"year": y, "count": n} for y, n in sorted(per_year.items())],
        "activities_per_article": _counts(facts, _per(facts, chosen, "article"), languages, base),
        "activities_per_modality": _counts(facts, with_modality, languages, base),
        "activities_per_sector": _counts(facts, _per(facts, chosen, "cultural"), languages, base),
        "partners_per_year": [
            {"year": y, "count": len(actors)} for y, actors in sorted(partners_by_year.items())
        ],
        "contributions": [
            {
                **cell,
                "total": _decimal_text(cell["total"]),
                "exact": _decimal_text(cell["exact"]),
                "approximate_total": _decimal_text(cell["approximate_total"]),
            }
            for _, cell in sorted(money.items(), key=lambda kv: (kv[0][0], kv[1]["first_year"] or 0))
        ],
        "shares": shares,
        "reported": reported(facts, chosen, scope, languages, base),
    }


def reported(
    facts: IndicatorFacts, activities: set[str], scope: Scope, languages: Sequence[str], base: str
) -> dict[str, Any]:
    """The indicators and results the documents report for the scope, with values and units."""
    labels = facts.labels

    def link(iri: str) -> dict[str, str]:
        return {"iri": iri, "url": local_url(iri, base), "label": labels.label(iri, languages)}

    results: list[dict[str, Any]] = []
    for result in facts.results.values():
        in_scope = bool(result.activities & activities) or (
            scope.kind == "country" and scope.iri in result.beneficiaries
        )
        if scope.kind == "graph" or in_scope:
            results.append(
                {
                    **link(result.iri),
                    "value": _decimal_text(result.quantity) if result.quantity is not None else None,
                    "unit": result.unit,
                    "qualifier": result.qualifier,
                    "approximate": result.approximate,
                    "period": period(result.start, result.end),
                    "indicator": link(result.indicator) if result.indicator else None,
                    "activities": sorted((link(a) for a in result.activities), key=lambda v: v["label"]),
                    "beneficiaries": sorted(
                        (link(b) for b in result.beneficiaries), key=lambda v: v["label"]
                    ),
                }
            )
    results.sort(key=lambda r: (r["value"] is None, r["period"] or "~", r["label"].casefold()))
    indicators: list[dict[str, Any]] = []
    for iri, users in facts.indicators.items():
        values = [r for r in results if r["indicator"] and r["indicator"]["iri"] == iri]
        if scope.kind != "graph" and not values and not users & activities:
            continue
        per_unit: dict[str, Decimal] = defaultdict(Decimal)
        for r in values:
            if r["value"] is not None and r["unit"]:
                per_unit[r["unit"]] += Decimal(r["value"])
        indicators.append(
            {
                **link(iri),
                "used_by": sorted((link(a) for a in users), key=lambda v: v["label"]),
                "values": len(values),
                "approximate_values": sum(1 for r in values if r["approximate"]),
                # summed only within one unit; a period overlap is shown, not removed
                "sum_per_unit": [{"unit": u, "sum": _decimal_text(s)} for u, s in sorted(per_unit.items())],
            }
        )
    indicators.sort(key=lambda i: i["label"].casefold())
    return {"indicators": indicators, "results": results}


CSV_COLUMNS = ("indicator", "key", "label", "value", "unit", "note")
"""The columns of the CSV download of /indicators: one row per figure."""


def csv_rows(data: Mapping[str, Any]) -> list[list[str]]:
    """The figures of :func:`figures` as CSV rows, one per figure, header first."""
    rows: list[list[str]] = [list(CSV_COLUMNS)]
    for name, row in data["totals"].items():
        rows.append(["totals", name, name.replace("_", " "), str(row), "", ""])
    for section in ("activities_per_year", "partners_per_year"):
        for row in data[section]:
            rows.append([section, str(row["year"]), str(row["year"]), str(row["count"]), "", ""])
    for section in ("activities_per_article", "activities_per_modality", "activities_per_sector"):
        for row in data[section]:
            rows.append([section, row["iri"], row["label"], str(row["count"]), "activities", ""])
    for row in data["contributions"]:
        note = f"{row['approximate']} of {row['flows']} flows approximate" if row["approximate"] else ""
        rows.append(
            [
                "contributions",
                f"{row['currency']} {row['period']}",
                row["period"],
                row["total"],
                row["currency"],
                note,
            ]
        )
    for row in data["shares"]:
        share = "" if row["share_of_all"] is None else str(row["share_of_all"])
        rows.append(
            ["shares", row["iri"], row["label"], share, "share of activities", f"{row['count']} activities"]
        )
    for row in data["reported"]["results"]:
        note = " ".join(x for x in (row["qualifier"] or "", row["period"] or "") if x)
        rows.append(["results", row["iri"], row["label"], row["value"] or "", row["unit"] or "", note])
    return rows


def kind_title(kind: str, languages: Sequence[str]) -> str:
    """The name of a kind in the reader's language (``country`` → ``país`` in Spanish)."""
    return KINDS[kind].title(languages) if kind in KINDS else kind
