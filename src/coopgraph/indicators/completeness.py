"""Completeness: which fields of the periodic-report form the graph fills, for every actor and entry.

The form's fields: partners with their type, financial resources, results, evaluation,
indicators, period and Convention articles. Each is ``filled``, ``partial`` or ``missing``; the
score is the share of the seven fields filled, a partial field counting half. What a curator
should ask for next is the list of missing and partial fields.

For a periodic-report entry (the measure it reports, see ``indicators-entries.rq``) the fields
are read over the measure and every activity part of it; for an actor, over the activities it
takes part in and the contributions it pays or receives. A partner has a type when it is a
country or has an organisation sector (``cg:sector``, the form's "type of entity"; a stakeholder
category is a curator's reading, not the form's field). Rankings are per country: an
entry belongs to its country (``cg:country``, else the country most of its participants belong
to), an actor to its countries as /explore gives them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coopgraph.errors import ParameterError
from coopgraph.indicators.facts import IndicatorFacts
from coopgraph.indicators.figures import SLUG, kind_title
from coopgraph.linkeddata.labels import local_url
from coopgraph.namespaces import resource_iri


@dataclass(frozen=True)
class FormField:
    """A field of the periodic-report form, with its title in each language."""

    name: str
    titles: dict[str, str]

    def title(self, languages: Sequence[str]) -> str:
        """The title in the first of ``languages`` that has one, else English."""
        return next((self.titles[lang] for lang in languages if lang in self.titles), self.titles["en"])


FIELDS: tuple[FormField, ...] = (
    FormField(
        "partners", {"en": "Partners with type", "es": "Socios con su tipo", "fr": "Partenaires et type"}
    ),
    FormField(
        "financial",
        {"en": "Financial resources", "es": "Recursos financieros", "fr": "Ressources financières"},
    ),
    FormField("results", {"en": "Results", "es": "Resultados", "fr": "Résultats"}),
    FormField("evaluation", {"en": "Evaluation", "es": "Evaluación", "fr": "Évaluation"}),
    FormField("indicators", {"en": "Indicators", "es": "Indicadores", "fr": "Indicateurs"}),
    FormField("period", {"en": "Period", "es": "Periodo", "fr": "Période"}),
    FormField(
        "articles", {"en": "Convention articles", "es": "Artículos de la Convención", "fr": "Articles"}
    ),
)
"""The fields of the periodic-report form the score counts, in the form's order."""
FIELD_NAMES = tuple(f.name for f in FIELDS)
NO_COUNTRY = "none"
"""The key of the list of actors and entries no country is recorded for."""


def _state(done: int, total: int) -> str:
    """``filled`` when every one of ``total`` is done, ``partial`` when some, else ``missing``.

    >>> _state(3, 3), _state(1, 3), _state(0, 3), _state(0, 0)
    ('filled', 'partial', 'missing', 'missing')
    """
    if total and done == total:
        return "filled"
    return "partial" if done else "missing"


def _typed(facts: IndicatorFacts, iri: str) -> bool:
    if facts.labels.kind(iri) == "country":
        return True
    item = facts.explore.items.get(iri)
    return item is not None and bool(item.values.get("sector"))


def assess(
    facts: IndicatorFacts, activities: set[str], contributions: set[str], own: str, whole: bool
) -> dict[str, dict[str, Any]]:
    """The state of each form field over ``activities`` and ``contributions``.

    Parameters
    ----------
    facts
        The facts.
    activities
        The activities the fields are read over.
    contributions
        The contributions paid or received.
    own
        The actor or entry assessed (not its own partner).
    whole
        ``True`` for an entry: a field about its activities is filled when any of them fills it
        (the form has one such field for the measure); ``False`` for an actor: filled when all do.

    Returns
    -------
    dict
        Field name, then ``state`` and ``detail`` (what is there or what is missing, in words).
    """
    acts = [facts.activities[a] for a in sorted(activities) if a in facts.activities]
    fields: dict[str, dict[str, Any]] = {}
    partners = {p for a in acts for p in a.values["participant"] if p != own and facts.is_actor(p)}
    typed = sum(1 for p in partners if _typed(facts, p))
    fields["partners"] = {
        "state": _state(typed, len(partners)) if partners else "missing",
        "detail": f"{typed} of {len(partners)} partners have a type" if partners else "no partner recorded",
    }
    flows = [facts.contributions[c] for c in sorted(contributions)]
    stated = sum(1 for c in flows if c.amount is not None and c.currency)
    funded = any(facts.labels.kind(p) == "fund" for a in acts for p in a.values["participant"])
    if flows:
        state = _state(stated, len(flows))
        detail = f"{stated} of {len(flows)} contributions with an amount and currency"
    elif funded:
        state, detail = "partial", "financed by a fund, no amount recorded"
    else:
        state, detail = "missing", "no contribution recorded"
    fields["financial"] = {"state": state, "detail": detail}

    def over(test: Any, what: str) -> dict[str, Any]:
        done = sum(1 for a in acts if test(a))
        if not acts:
            return {"state": "missing", "detail": "no activity recorded"}
        state = ("filled" if done else "missing") if whole else _state(done, len(acts))
        return {"state": state, "detail": f"{done} of {len(acts)} activities {what}"}

    fields["results"] = over(lambda a: a.values["outcome"], "with results")
    fields["evaluation"] = over(lambda a: a.values["evaluation"], "with a reported evaluation")
    fields["indicators"] = over(
        lambda a: (
            a.values["indicator"]
            or any(facts.results[r].indicator for r in a.values["outcome"] if r in facts.results)
        ),
        "with indicators",
    )
    fields["period"] = over(lambda a: a.years(), "dated")
    fields["articles"] = over(lambda a: a.values["article"], "related to an article")
    return fields


def score(fields: Mapping[str, Mapping[str, Any]]) -> float:
    """The share of the fields filled, a partial field counting half.

    >>> score({"a": {"state": "filled"}, "b": {"state": "partial"}, "c": {"state": "missing"}, "d": {"state": "filled"}})
    0.625
    """
    points = sum(
        1.0 if f["state"] == "filled" else 0.5 if f["state"] == "partial" else 0.0 for f in fields.values()
    )
    return round(points / len(fields), 4) if fields else 0.0


def _row(
    facts: IndicatorFacts,
    iri: str,
    kind: str,
    fields: dict[str, dict[str, Any]],
    activities: int,
    languages: Sequence[str],
    base: str,
) -> dict[str, Any]:
    labels = facts.labels
    return {
        "iri": iri,
        "url": local_url(iri, base),
        "label": labels.label(iri, languages),
        "assessed": kind,
        "kind": labels.kind(iri),
        "kind_label": kind_title(labels.kind(iri), languages),
        "activities": activities,
        "score": score(fields),
        "fields": {name: fields[name] for name in FIELD_NAMES},
        "filled": [n for n in FIELD_NAMES if fields[n]["state"] == "filled"],
        "partial": [n for n in FIELD_NAMES if fields[n]["state"] == "partial"],
        "missing": [n for n in FIELD_NAMES if fields[n]["state"] == "missing"],
    }


def entry_country(facts: IndicatorFacts, entry: str) -> str | None:
    """The country of a periodic-report entry: its own, else the one most of its participants belong to."""
    activity = facts.activities.get(entry)
    if activity is None:
        return None
    if activity.values["country"]:
        return min(activity.values["country"])
    counts: Counter[str] = Counter()
    for participant in activity.values["participant"]:
        counts.update(facts.countries_of(participant))
    if not counts:
        return None
    return min(counts, key=lambda c: (-counts[c], c))


def completeness(
    facts: IndicatorFacts, languages: Sequence[str], base: str, country: str | None = None
) -> dict[str, Any]:
    """Completeness scores of every periodic-report entry and actor, ranked per country.

    Parameters
    ----------
    facts
        The facts (see :func:`coopgraph.indicators.facts.indicator_facts`).
    languages
        The languages labels are shown in, best first.
    base
        The service's base URL, ending with ``/``.
    country
        Only this country's list (a slug such as ``colombia``); every country when ``None``.

    Returns
    -------
    dict
        ``fields`` (name and title), ``entries`` (every periodic-report entry, ranked) and
        ``countries``: per country its ``ranking`` of entries and actors, best score first
        (the list of actors without a country last, under the key ``none``).

    Raises
    ------
    ParameterError
        When ``country`` is malformed or names no country of the graph.
    """
    chosen: str | None = None
    if country is not None:
        if not SLUG.fullmatch(country):
            raise ParameterError("country", "a slug of lower-case letters, digits and '-'")
        chosen = str(resource_iri("party", country))
        if facts.labels.kind(chosen) != "country":
            raise ParameterError("country", f"no country {country!r} in the graph")
    by_country: dict[str, list[dict[str, Any]]] = {}
    entries = []
    for entry in sorted(facts.entries):
        activities = facts.within(entry)
        contributions = {
            c.iri
            for c in facts.contributions.values()
            if c.contributor in activities or c.recipient in activities
        }
        fields = assess(facts, activities, contributions, entry, whole=True)
        row = _row(facts, entry, "entry", fields, len(activities), languages, base)
        row["document"] = {
            "iri": facts.entries[entry],
            "url": local_url(facts.entries[entry], base),
            "label": facts.labels.label(facts.entries[entry], languages),
        }
        entries.append(row)
        by_country.setdefault(entry_country(facts, entry) or NO_COUNTRY, []).append(row)
    for iri, item in facts.explore.items.items():
        if not facts.is_actor(iri):
            continue
        activities = set(facts.activities_of.get(iri, ()))
        contributions = {c.iri for c in facts.contributions.values() if iri in (c.contributor, c.recipient)}
        fields = assess(facts, activities, contributions, iri, whole=False)
        row = _row(facts, iri, "actor", fields, len(activities), languages, base)
        for key in sorted(item.values.get("country", ())) or [NO_COUNTRY]:
            by_country.setdefault(key, []).append(row)

    def ranked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ordered = sorted(rows, key=lambda r: (-r["score"], r["assessed"] != "entry", r["label"].casefold()))
        return [{**r, "rank": i} for i, r in enumerate(ordered, start=1)]

    countries = []
    for key, rows in by_country.items():
        if chosen is not None and key != chosen:
            continue
        countries.append(
            {
                "iri": None if key == NO_COUNTRY else key,
                "key": NO_COUNTRY if key == NO_COUNTRY else key.rstrip("/").rsplit("/", 1)[-1],
                "label": "No country recorded" if key == NO_COUNTRY else facts.labels.label(key, languages),
                "url": None if key == NO_COUNTRY else local_url(key, base),
                "mean_score": round(sum(r["score"] for r in rows) / len(rows), 4),
                "ranking": ranked(rows),
            }
        )
    countries.sort(key=lambda c: (c["iri"] is None, c["label"].casefold()))
    return {
        "fields": [{"name": f.name, "title": f.title(languages)} for f in FIELDS],
        "country": chosen,
        "entries": ranked(entries),
        "countries": countries,
    }


CSV_COLUMNS = ("country", "rank", "iri", "label", "assessed", "kind", "score", *FIELD_NAMES, "missing")
"""The columns of the completeness CSV: one row per (country, actor or entry)."""


def csv_rows(data: Mapping[str, Any]) -> list[list[str]]:
    """The rankings of :func:`completeness` as CSV rows, header first."""
    rows: list[list[str]] = [list(CSV_COLUMNS)]
    for country in data["countries"]:
        for row in country["ranking"]:
            rows.append(
                [
                    country["label"],
                    str(row["rank"]),
                    row["iri"],
                    row["label"],
                    row["assessed"],
                    row["kind"],
                    str(row["score"]),
                    *(row["fields"][name]["state"] for name in FIELD_NAMES),
                    " | ".join(row["missing"]),
                ]
            )
    return rows
