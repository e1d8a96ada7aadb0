"""What the indicators and the completeness scores are computed from, read once per store version.

Four ``queries/internal/indicators-*.rq`` queries: every cooperation activity with its dates,
articles, modalities, cultural sectors, participants, parent activity, country, results,
indicators and reported evaluation; every funding contribution; every result and indicator; and
the periodic-report entries. The actors (countries, organisations, people), their countries and
their types come from the facts of /explore (:func:`coopgraph.explore.facets.explore_facts`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from coopgraph.explore.common import KINDS, Labels, per_version
from coopgraph.explore.facets import ExploreFacts, explore_facts
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Row, Store

_YEAR = re.compile(r"^\s*(-?\d{4})")
ACTOR_KINDS = tuple(k for k, kind in KINDS.items() if kind.group == "actor")
"""The kinds of actor: countries, organisations, people."""
ACTIVITY_FACETS = (
    "start",
    "end",
    "date",
    "article",
    "modality",
    "cultural",
    "participant",
    "partOf",
    "country",
    "outcome",
    "indicator",
    "evaluation",
)
"""The facets of ``indicators-activities``, each a set of values per activity."""


def year_of(text: str | None) -> int | None:
    """The year a date starts with.

    >>> year_of("2012-05-01"), year_of("2015"), year_of("about then"), year_of(None)
    (2012, 2015, None, None)
    """
    if not text:
        return None
    match = _YEAR.match(text)
    return int(match.group(1)) if match else None


@dataclass
class Activity:
    """A cooperation activity and its values per facet (IRIs, dates or texts)."""

    iri: str
    kind: str
    values: dict[str, set[str]] = field(default_factory=dict)

    def years(self) -> list[int]:
        """The years the activity covers: its first to its last dated year; without an end, its
        first year only (no running period is invented).

        >>> Activity("urn:a", "project", {"start": {"2012"}, "end": {"2015"}}).years()
        [2012, 2013, 2014, 2015]
        >>> Activity("urn:a", "project", {"start": {"2019"}}).years()
        [2019]
        """
        found = [
            y
            for name in ("start", "end", "date")
            for y in (year_of(v) for v in self.values.get(name, ()))
            if y is not None
        ]
        if not found:
            return []
        return list(range(min(found), max(found) + 1))


@dataclass
class Contribution:
    """One funding contribution: who pays whom, how much in which currency, over which period."""

    iri: str
    contributor: str | None
    recipient: str | None
    amount: Decimal | None
    currency: str | None
    approximate: bool
    start: str | None
    end: str | None
    date: str | None


@dataclass
class Result:
    """A result an activity achieved, with its figure and the indicator it is a value of."""

    iri: str
    activities: set[str] = field(default_factory=set)
    indicator: str | None = None
    quantity: Decimal | None = None
    unit: str | None = None
    qualifier: str | None = None
    approximate: bool = False
    start: str | None = None
    end: str | None = None
    beneficiaries: set[str] = field(default_factory=set)


@dataclass
class IndicatorFacts:
    """Activities, contributions, results, indicators and periodic-report entries of one store version.

    Attributes
    ----------
    activities
        Cooperation activities by IRI.
    contributions
        Funding contributions by IRI.
    results
        Results by IRI.
    indicators
        Indicator IRI, then the activities that use it.
    entries
        Periodic-report entry (the measure it reports), then its source document.
    explore
        The facts of /explore: actors with their countries, sectors and stakeholder categories.
    """

    activities: dict[str, Activity]
    contributions: dict[str, Contribution]
    results: dict[str, Result]
    indicators: dict[str, set[str]]
    entries: dict[str, str]
    explore: ExploreFacts
    activities_of: dict[str, set[str]] = field(default_factory=dict)
    """Actor (or other participant) IRI, then the activities it takes part in."""
    parts: dict[str, set[str]] = field(default_factory=dict)
    """Activity IRI, then the activities directly part of it."""

    @property
    def labels(self) -> Labels:
        """Labels and kinds of everything."""
        return self.explore.labels

    def within(self, iri: str) -> set[str]:
        """``iri`` and every activity part of it, at any depth."""
        found = {iri}
        todo = [iri]
        while todo:
            for part in self.parts.get(todo.pop(), ()):
                if part not in found:
                    found.add(part)
                    todo.append(part)
        return found

    def countries_of(self, iri: str) -> set[str]:
        """The countries of an actor (a country is its own), as /explore gives them."""
        item = self.explore.items.get(iri)
        return set(item.values.get("country", ())) if item is not None else set()

    def is_actor(self, iri: str) -> bool:
        """Whether ``iri`` is a country, an organisation or a person."""
        return self.labels.kind(iri) in ACTOR_KINDS


def _decimal(row: Row, name: str) -> Decimal | None:
    if name not in row:
        return None
    try:
        return Decimal(row[name].value)
    except InvalidOperation:
        return None


def _text(row: Row, name: str) -> str | None:
    return row[name].value if name in row else None


def facts_from_rows(
    activity_rows: Sequence[Row],
    contribution_rows: Sequence[Row],
    result_rows: Sequence[Row],
    entry_rows: Sequence[Row],
    explore: ExploreFacts,
) -> IndicatorFacts:
    """Assemble :class:`IndicatorFacts` from the rows of the four ``indicators-*`` queries."""
    labels = explore.labels
    activities: dict[str, Activity] = {}
    for row in activity_rows:
        iri = row["activity"].value
        activity = activities.get(iri)
        if activity is None:
            activity = activities[iri] = Activity(iri, labels.kind(iri), {n: set() for n in ACTIVITY_FACETS})
        activity.values[row["facet"].value].add(row["value"].value)
    activities_of: dict[str, set[str]] = defaultdict(set)
    parts: dict[str, set[str]] = defaultdict(set)
    for activity in activities.values():
        for participant in activity.values["participant"]:
            if participant != activity.iri:
                activities_of[participant].add(activity.iri)
        for parent in activity.values["partOf"]:
            if parent != activity.iri:
                parts[parent].add(activity.iri)
    contributions = {
        row["contribution"].value: Contribution(
            row["contribution"].value,
            _text(row, "contributor"),
            _text(row, "recipient"),
            _decimal(row, "amount"),
            _text(row, "currency"),
            _text(row, "approximate") in ("true", "1"),
            _text(row, "start"),
            _text(row, "end"),
            _text(row, "date"),
        )
        for row in contribution_rows
    }
    results: dict[str, Result] = {}
    indicators: dict[str, set[str]] = defaultdict(set)
    for row in result_rows:
        if "result" not in row:
            indicator = row["indicator"].value
            indicators[indicator]
            if "activity" in row:
                indicators[indicator].add(row["activity"].value)
            continue
        iri = row["result"].value
        result = results.get(iri)
        if result is None:
            result = results[iri] = Result(
                iri,
                indicator=_text(row, "indicator"),
                quantity=_decimal(row, "quantity"),
                unit=_text(row, "unit"),
                qualifier=_text(row, "qualifier"),
                approximate=_text(row, "approximate") in ("true", "1"),
                start=_text(row, "start"),
                end=_text(row, "end"),
            )
        if "activity" in row:
            result.activities.add(row["activity"].value)
        if "beneficiary" in row:
            result.beneficiaries.add(row["beneficiary"].value)
        if result.indicator is not None:
            indicators[result.indicator]
    entries = {row["entry"].value: row["document"].value for row in entry_rows}
    return IndicatorFacts(
        activities,
        contributions,
        results,
        dict(indicators),
        entries,
        explore,
        dict(activities_of),
        dict(parts),
    )


def indicator_facts(store: Store, catalogue: QueryCatalogue) -> IndicatorFacts:
    """The facts of the indicators for the store, read once per store version.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> indicator_facts(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir)).activities
    {}
    """

    def build() -> IndicatorFacts:
        def rows(name: str) -> list[Row]:
            return store.select(catalogue.internal(name).text)

        return facts_from_rows(
            rows("indicators-activities"),
            rows("indicators-contributions"),
            rows("indicators-results"),
            rows("indicators-entries"),
            explore_facts(store, catalogue),
        )

    return per_version(store, ("indicators",), build)
