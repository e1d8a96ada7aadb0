"""Faceted browse: actors, activities, offers and requests narrowed by facets, with counts per value.

What the facets are computed from is read once per store version (``explore-facts``,
``explore-labels``, ``explore-kinds``) and kept as an inverted index, facet value to items;
a request is then set intersections and counts in Python, like Datasette's facets over a
table. Within the ``kind`` facet the chosen kinds are alternatives (an item has one kind); any
other chosen value narrows the selection further (an item must have every chosen value). The
counts are those of the current selection, so following a value's link lists exactly that many
items. The period (``from``, ``to``: years) keeps the items whose dates meet the range.

An activity takes the countries, organisation sectors and stakeholder categories of its
participants, and an offer or a request those of the agents that make it and it is addressed to;
an actor takes the Convention articles, modalities, cultural sectors and years of
the activities it takes part in. A Convention article also stands for its sub-paragraphs
(``article=12`` finds activities about Article 12 (e)).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar
from urllib.parse import urlencode

from coopgraph.errors import ParameterError
from coopgraph.explore.common import KINDS, Labels, fetch_labels, per_version
from coopgraph.linkeddata.labels import local_url
from coopgraph.namespaces import ID_BASE
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Row, Store

T = TypeVar("T")

_YEAR = re.compile(r"^\s*(-?\d{4})")
MAX_VALUES = 20
"""The most values one facet parameter may be given."""
MAX_VALUE_LENGTH = 300
"""The longest facet value accepted, in characters."""
MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 50
MAX_PAGE = 1_000_000


@dataclass(frozen=True)
class Facet:
    """A facet: its URL parameter and its title in each language."""

    name: str
    titles: dict[str, str]

    def title(self, languages: Sequence[str]) -> str:
        """The facet's title in the first of ``languages`` the interface speaks (else English)."""
        return next((self.titles[lang] for lang in languages if lang in self.titles), self.titles["en"])


FACETS: tuple[Facet, ...] = (
    Facet("kind", {"en": "Kind", "es": "Tipo", "fr": "Type"}),
    Facet("country", {"en": "Country", "es": "País", "fr": "Pays"}),
    Facet("sector", {"en": "Organisation sector", "es": "Sector de la organización", "fr": "Secteur"}),
    Facet(
        "stakeholder",
        {"en": "Stakeholder category", "es": "Categoría de actor", "fr": "Catégorie d'acteur"},
    ),
    Facet("article", {"en": "Convention article", "es": "Artículo de la Convención", "fr": "Article"}),
    Facet("modality", {"en": "Cooperation modality", "es": "Modalidad", "fr": "Modalité"}),
    Facet("cultural", {"en": "Cultural sector", "es": "Sector cultural", "fr": "Secteur culturel"}),
    Facet("source", {"en": "Source document", "es": "Documento fuente", "fr": "Document source"}),
)
"""The facets, in the order the page shows them; ``from`` and ``to`` (years) make the period."""
FACET_NAMES = tuple(f.name for f in FACETS)
PERIOD_TITLES = {"en": "Period", "es": "Periodo", "fr": "Période"}
GROUPS = ("actor", "activity", "proposal")
ITEM_KINDS = tuple(k for k, kind in KINDS.items() if kind.group in GROUPS)
"""The kinds /explore lists: actors (countries, organisations, people), activities, and offers and
requests of cooperation."""
"""Kind values that stand for every kind of their group."""

_INHERITED_BY_ACTIVITY = ("country", "sector", "stakeholder")
_INHERITED_BY_ACTOR = ("article", "modality", "cultural")

Span = tuple[int, int | None]
"""Years ``(first, last)``; ``last`` is ``None`` when the dates say no end (still running)."""


@dataclass
class Item:
    """An actor or an activity and its facet values (IRIs; the kind's name for ``kind``)."""

    iri: str
    kind: str
    values: dict[str, set[str]] = field(default_factory=dict)
    spans: list[Span] = field(default_factory=list)


def _year(text: str) -> int | None:
    match = _YEAR.match(text)
    return int(match.group(1)) if match else None


def _span(dates: Mapping[str, set[str]]) -> Span | None:
    def years(name: str) -> list[int]:
        return [y for y in (_year(v) for v in dates.get(name, ())) if y is not None]

    starts, ends, on = years("start"), years("end"), years("date")
    if not (starts or ends or on):
        return None
    first = min(starts + on) if starts or on else min(ends)
    last: int | None = max(ends + on) if ends or on else None
    return (first, last)


@dataclass
class ExploreFacts:
    """The items of /explore and their facet values, with the inverted index, for one store version.

    Attributes
    ----------
    items
        Actors and activities by IRI.
    index
        Facet name, then value, then the IRIs of the items that have it.
    keys
        Facet name, then value IRI, then the short key URLs use (``colombia``, ``14``).
    labels
        Labels and kinds of everything (facet values included).
    last_year
        The latest year any item's dates name (where open spans end).
    """

    items: dict[str, Item]
    index: dict[str, dict[str, set[str]]]
    keys: dict[str, dict[str, str]]
    labels: Labels
    last_year: int | None
    years: dict[int, set[str]] = field(default_factory=dict)
    """Year, then the IRIs of the items whose dates cover it (an open span runs to ``last_year``)."""

    def ordered(self, languages: Sequence[str]) -> list[str]:
        """Every item IRI in list order (actors, then activities, by kind, then label), per language."""
        key = tuple(languages[:3])
        cache: dict[tuple[str, ...], list[str]] = self.__dict__.setdefault("_ordered_cache", {})
        if key not in cache:
            order = {k: i for i, k in enumerate(ITEM_KINDS)}
            cache[key] = sorted(
                self.items,
                key=lambda iri: (
                    order[self.items[iri].kind],
                    self.labels.label(iri, languages).casefold(),
                    iri,
                ),
            )
        return cache[key]

    def value_for_key(self, facet: str, key: str) -> str | None:
        """The value IRI a URL key names in ``facet`` (its key, its path under ``/id/``, or its IRI)."""
        tables: dict[str, dict[str, str]] | None = getattr(self, "_key_tables", None)
        if tables is None:
            tables = self._key_tables = key_tables(self.keys)
        return value_of_key(tables.get(facet, {}), key)


def short_keys(values: set[str]) -> dict[str, str]:
    """The short key of each facet value in URLs: its last segment when no other value shares it,
    else its path under ``/id/``, else the IRI itself.

    >>> short_keys({"https://w3id.org/coopgraph/id/party/colombia"})
    {'https://w3id.org/coopgraph/id/party/colombia': 'colombia'}
    """
    last = Counter(v.rstrip("/").rsplit("/", 1)[-1] for v in values)
    keys: dict[str, str] = {}
    for value in values:
        segment = value.rstrip("/").rsplit("/", 1)[-1]
        if last[segment] == 1 and segment:
            keys[value] = segment
        elif value.startswith(ID_BASE):
            keys[value] = value[len(ID_BASE) :]
        else:
            keys[value] = value
    return keys


def key_tables(keys: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """By facet, what each URL key names: a value's short key and the value itself (NUL-prefixed)."""
    tables: dict[str, dict[str, str]] = {}
    for facet, by_value in keys.items():
        table: dict[str, str] = {}
        for value, key in by_value.items():
            table.setdefault(key, value)
            table.setdefault("\x00" + value, value)
        tables[facet] = table
    return tables


def value_of_key(table: Mapping[str, str], key: str) -> str | None:
    """The value a URL key names in one facet's :func:`key_tables` table: its short key, its path
    under ``/id/`` or the value itself.

    >>> table = key_tables({"country": {ID_BASE + "party/peru": "peru"}})["country"]
    >>> value_of_key(table, "peru") == value_of_key(table, "party/peru") == ID_BASE + "party/peru"
    True
    """
    return table.get(key) or table.get("\x00" + ID_BASE + key) or table.get("\x00" + key)


def given_values(params: Mapping[str, Sequence[str]], facet: str) -> list[str]:
    """The non-blank values a URL gives ``facet``, checked for number, length and NUL characters.

    Raises
    ------
    ParameterError
        Naming ``facet`` when it has more than :data:`MAX_VALUES` values or a value is too long.
    """
    given = [v.strip() for v in params.get(facet, ()) if v.strip()]
    if len(given) > MAX_VALUES:
        raise ParameterError(facet, f"at most {MAX_VALUES} values")
    for text in given:
        if len(text) > MAX_VALUE_LENGTH or "\x00" in text:
            raise ParameterError(facet, f"a value of at most {MAX_VALUE_LENGTH} characters, no NUL")
    return given


def toggle(
    values: tuple[tuple[str, tuple[str, ...]], ...], facet: str, value: str, order: Sequence[str]
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Chosen facet values with ``value`` added to ``facet``, or removed when chosen, facets in ``order``.

    >>> toggle((("a", ("x",)),), "a", "y", ["a"])
    (('a', ('x', 'y')),)
    >>> toggle((("a", ("x",)),), "a", "x", ["a"])
    ()
    """
    current = dict(values)
    chosen = current.get(facet, ())
    current[facet] = tuple(v for v in chosen if v != value) if value in chosen else (*chosen, value)
    return tuple((f, current[f]) for f in order if current.get(f))


def read_facts(
    store: Store,
    catalogue: QueryCatalogue,
    query: str,
    assemble: Callable[[Sequence[Row], Labels], T],
) -> T:
    """What ``assemble`` makes of the rows of the internal query ``query`` and the labels, once
    per store version (the facts of /explore, of /sources)."""

    def build() -> T:
        rows = store.select(catalogue.internal(query).text)
        return assemble(rows, fetch_labels(store, catalogue))

    return per_version(store, (query,), build)


def facts_from_rows(rows: Sequence[Mapping[str, Any]], labels: Labels) -> ExploreFacts:
    """Assemble :class:`ExploreFacts` from the ``explore-facts`` rows and the labels and kinds."""
    raw: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        raw[row["item"].value][row["facet"].value].add(row["value"].value)
    items: dict[str, Item] = {}
    for iri, kind in labels.kinds.items():
        if kind in ITEM_KINDS:
            facts = raw.get(iri, {})
            item = Item(iri, kind)
            for name in FACET_NAMES[1:]:
                item.values[name] = set(facts.get(name, ()))
            if kind == "country":
                item.values["country"].add(iri)
            span = _span(facts)
            if span is not None:
                item.spans.append(span)
            items[iri] = item
    activities_of: dict[str, list[Item]] = defaultdict(list)
    for item in items.values():
        group = KINDS[item.kind].group
        if group not in ("activity", "proposal"):
            continue
        for participant in raw.get(item.iri, {}).get("participant", ()):
            if participant == item.iri:
                continue
            if group == "activity":  # an actor's proposals say what it wants, not what it did
                activities_of[participant].append(item)
            other = items.get(participant)
            if other is not None and KINDS[other.kind].group == "actor":
                for name in _INHERITED_BY_ACTIVITY:
                    item.values[name] |= {v for v in other.values[name] if v != item.iri}
    for iri, activities in activities_of.items():
        actor = items.get(iri)
        if actor is None or KINDS[actor.kind].group != "actor":
            continue
        for activity in activities:
            for name in _INHERITED_BY_ACTOR:
                actor.values[name] |= raw.get(activity.iri, {}).get(name, set())
            actor.spans.extend(activity.spans)
    index: dict[str, dict[str, set[str]]] = {name: defaultdict(set) for name in FACET_NAMES}
    for item in items.values():
        index["kind"][item.kind].add(item.iri)
        for name in FACET_NAMES[1:]:
            for value in item.values[name]:
                index[name][value].add(item.iri)
    years = [
        y for item in items.values() for first, last in item.spans for y in (first, last) if y is not None
    ]
    last_year = max(years) if years else None
    by_year: dict[int, set[str]] = defaultdict(set)
    for item in items.values():
        for year in _years(item.spans, last_year or 0):
            by_year[year].add(item.iri)
    keys = {name: short_keys(set(index[name])) for name in FACET_NAMES[1:]}
    keys["kind"] = {k: k for k in ITEM_KINDS}
    return ExploreFacts(
        items,
        {name: dict(values) for name, values in index.items()},
        keys,
        labels,
        last_year,
        dict(by_year),
    )


def explore_facts(store: Store, catalogue: QueryCatalogue) -> ExploreFacts:
    """The facts of /explore for the store, read once per store version.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> explore_facts(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir)).items
    {}
    """
    return read_facts(store, catalogue, "explore-facts", facts_from_rows)


@dataclass(frozen=True)
class Selection:
    """What the URL asks for: kinds, facet values (IRIs), a period, a page."""

    kinds: tuple[str, ...] = ()
    values: tuple[tuple[str, tuple[str, ...]], ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    page: int = 1
    size: int = DEFAULT_PAGE_SIZE

    def chosen(self, facet: str) -> tuple[str, ...]:
        """The values chosen in ``facet`` (kind names for ``kind``, IRIs otherwise)."""
        if facet == "kind":
            return self.kinds
        return dict(self.values).get(facet, ())

    def params(self, facts: ExploreFacts) -> list[tuple[str, str]]:
        """The URL parameters of this selection (the first page, the page size if not the default)."""
        params: list[tuple[str, str]] = [("kind", k) for k in self.kinds]
        for facet, values in self.values:
            params.extend((facet, facts.keys[facet].get(v, v)) for v in values)
        if self.year_from is not None:
            params.append(("from", str(self.year_from)))
        if self.year_to is not None:
            params.append(("to", str(self.year_to)))
        if self.size != DEFAULT_PAGE_SIZE:
            params.append(("size", str(self.size)))
        return params

    def toggled(self, facet: str, value: str) -> Selection:
        """This selection with ``value`` added to ``facet``, or removed when chosen; first page."""
        if facet == "kind":
            kinds = tuple(k for k in self.kinds if k != value)
            return Selection(
                kinds if value in self.kinds else (*self.kinds, value),
                self.values,
                self.year_from,
                self.year_to,
                1,
                self.size,
            )
        values = toggle(self.values, facet, value, FACET_NAMES)
        return Selection(self.kinds, values, self.year_from, self.year_to, 1, self.size)

    def with_period(self, year_from: int | None, year_to: int | None) -> Selection:
        """This selection over another period; first page."""
        return Selection(self.kinds, self.values, year_from, year_to, 1, self.size)


def integer_parameter(name: str, text: str, low: int, high: int) -> int:
    """The integer a URL parameter gives, from ``low`` to ``high``; else a :class:`ParameterError` naming it."""
    if len(text) > 12 or not re.fullmatch(r"-?\d+", text.strip()):
        raise ParameterError(name, f"an integer from {low} to {high}, not {text[:40]!r}")
    value = int(text)
    if not low <= value <= high:
        raise ParameterError(name, f"an integer from {low} to {high}, not {value}")
    return value


def single_parameter(params: Mapping[str, Sequence[str]], name: str) -> str | None:
    """The one value of a URL parameter (``None`` when absent); a :class:`ParameterError` when repeated."""
    values = params.get(name, ())
    if len(values) > 1:
        raise ParameterError(name, "given more than once")
    return values[0] if values else None


def parse_selection(params: Mapping[str, Sequence[str]], facts: ExploreFacts) -> Selection:
    """Read and check the URL parameters of /explore.

    Parameters
    ----------
    params
        Each parameter's values (``kind``, the facets, ``from``, ``to``, ``page``, ``size``);
        others are ignored.
    facts
        The facts, to check the values against.

    Returns
    -------
    Selection

    Raises
    ------
    ParameterError
        Naming the first parameter that is malformed, repeated when it may not be, too long, or
        names a value no item has.
    """
    kinds: list[str] = []
    values: list[tuple[str, tuple[str, ...]]] = []
    for facet in FACET_NAMES:
        chosen: list[str] = []
        for text in given_values(params, facet):
            if facet == "kind":
                names = [k for k in ITEM_KINDS if KINDS[k].group == text] if text in GROUPS else [text]
                if not all(n in ITEM_KINDS for n in names):
                    raise ParameterError(
                        "kind", f"one of {', '.join((*GROUPS, *ITEM_KINDS))}, not {text[:40]!r}"
                    )
                chosen.extend(n for n in names if n not in chosen)
                continue
            value = facts.value_for_key(facet, text)
            if value is None:
                raise ParameterError(facet, f"no item has the value {text[:60]!r}")
            if value not in chosen:
                chosen.append(value)
        if facet == "kind":
            kinds = chosen
        elif chosen:
            values.append((facet, tuple(chosen)))
    year_from = single_parameter(params, "from")
    year_to = single_parameter(params, "to")
    page = single_parameter(params, "page")
    size = single_parameter(params, "size")
    first = integer_parameter("from", year_from, -9999, 9999) if year_from else None
    last = integer_parameter("to", year_to, -9999, 9999) if year_to else None
    if first is not None and last is not None and first > last:
        raise ParameterError("to", f"a year from {first} on (the value of from)")
    return Selection(
        tuple(kinds),
        tuple(values),
        first,
        last,
        integer_parameter("page", page, 1, MAX_PAGE) if page else 1,
        integer_parameter("size", size, 1, MAX_PAGE_SIZE) if size else DEFAULT_PAGE_SIZE,
    )


def select_items(facts: ExploreFacts, selection: Selection) -> set[str]:
    """The IRIs of the items the selection keeps."""
    if selection.kinds:
        chosen: set[str] = set().union(*(facts.index["kind"].get(k, set()) for k in selection.kinds))
    else:
        chosen = set(facts.items)
    for facet, values in selection.values:
        for value in values:
            chosen &= facts.index[facet].get(value, set())
    if selection.year_from is not None or selection.year_to is not None:
        low = -10_000 if selection.year_from is None else selection.year_from
        high = 10_000 if selection.year_to is None else selection.year_to
        # the items whose dates meet the period: those covering one of its years
        meeting: set[str] = set().union(*(held for year, held in facts.years.items() if low <= year <= high))
        chosen &= meeting
    return chosen


def _years(spans: Sequence[Span], open_end: int) -> set[int]:
    years: set[int] = set()
    for low, high in spans:
        top = open_end if high is None else high
        years.update(range(low, max(low, top) + 1))
    return years


@dataclass
class Browse:
    """One page of /explore: the selection, its items and the facets' counts, as data.

    :meth:`as_dict` is the JSON the page is built from.
    """

    selection: Selection
    total: int
    items: list[dict[str, Any]]
    facets: list[dict[str, Any]]
    period: dict[str, Any]
    chosen: list[dict[str, Any]]
    links: dict[str, str | None]
    languages: list[str]

    def as_dict(self) -> dict[str, Any]:
        """The page as JSON-ready data."""
        return {
            "total": self.total,
            "page": self.selection.page,
            "size": self.selection.size,
            "chosen": self.chosen,
            "items": self.items,
            "facets": self.facets,
            "period": self.period,
            "links": self.links,
        }


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _item_row(facts: ExploreFacts, item: Item, languages: Sequence[str], base: str) -> dict[str, Any]:
    labels = facts.labels
    row: dict[str, Any] = {
        "iri": item.iri,
        "url": local_url(item.iri, base),
        "label": labels.label(item.iri, languages),
        "kind": item.kind,
        "kind_label": KINDS[item.kind].title(languages),
    }
    spans = item.spans
    row["first_year"] = min((s[0] for s in spans), default=None)
    row["last_year"] = (
        None
        if not spans or any(s[1] is None for s in spans)
        else max(s[1] for s in spans if s[1] is not None)
    )
    for name in FACET_NAMES[1:]:
        row[name] = sorted(
            ({"iri": v, "label": labels.label(v, languages)} for v in item.values[name]),
            key=lambda v: (v["label"].casefold(), v["iri"]),
        )
    return row


def browse(
    facts: ExploreFacts,
    selection: Selection,
    languages: Sequence[str],
    base: str,
    *,
    every_item: bool = False,
) -> Browse:
    """One page of the selection with the counts of every facet value.

    Parameters
    ----------
    facts
        The facts (see :func:`explore_facts`).
    selection
        What the URL asks for (see :func:`parse_selection`).
    languages
        The languages labels are shown in, best first.
    base
        The service's base URL, ending with ``/`` (for the links).
    every_item
        List every item of the selection, not one page (the CSV download).

    Returns
    -------
    Browse
    """
    chosen_items = select_items(facts, selection)
    everything = len(chosen_items) == len(facts.items)
    ordered = [iri for iri in facts.ordered(languages) if iri in chosen_items]
    if every_item:
        shown = ordered
    else:
        start = (selection.page - 1) * selection.size
        shown = ordered[start : start + selection.size]
    labels = facts.labels

    def count(holders: set[str]) -> int:
        # set intersection runs in C over the smaller set: a few hundred of them per request
        return len(holders) if everything else len(holders & chosen_items)

    counts: dict[str, dict[str, int]] = {
        name: {v: n for v, holders in facts.index[name].items() if (n := count(holders))}
        for name in FACET_NAMES
    }
    year_counts = {year: n for year, holders in facts.years.items() if (n := count(holders))}

    def link(sel: Selection, **extra: str) -> str:
        params = sel.params(facts)
        params.extend(extra.items())
        return f"{base}explore" + (f"?{urlencode(params)}" if params else "")

    facets: list[dict[str, Any]] = []
    for facet in FACETS:
        chosen = selection.chosen(facet.name)
        values: list[dict[str, Any]] = []
        names = set(counts[facet.name]) | set(chosen)
        for value in names:
            is_kind = facet.name == "kind"
            values.append(
                {
                    "value": facts.keys[facet.name].get(value, value),
                    "iri": None if is_kind else value,
                    "url": None if is_kind else local_url(value, base),
                    "label": _capital(KINDS[value].title(languages, plural=True))
                    if is_kind
                    else labels.label(value, languages),
                    "count": counts[facet.name].get(value, 0),
                    "selected": value in chosen,
                    "toggle": link(selection.toggled(facet.name, value)),
                }
            )
        if facet.name == "kind":
            order = {k: i for i, k in enumerate(ITEM_KINDS)}
            values.sort(key=lambda v: order[v["value"]])
        else:
            values.sort(key=lambda v: (not v["selected"], -v["count"], v["label"].casefold()))
        facets.append({"name": facet.name, "title": facet.title(languages), "values": values})
    period = {
        "title": next(
            (PERIOD_TITLES[lang] for lang in languages if lang in PERIOD_TITLES), PERIOD_TITLES["en"]
        ),
        "from": selection.year_from,
        "to": selection.year_to,
        "years": [
            {"year": year, "count": count, "toggle": link(selection.with_period(year, year))}
            for year, count in sorted(year_counts.items())
        ],
        "clear": link(selection.with_period(None, None)),
    }
    chosen_list: list[dict[str, Any]] = []
    for facet in FACETS:
        for value in selection.chosen(facet.name):
            chosen_list.append(
                {
                    "facet": facet.name,
                    "facet_title": facet.title(languages),
                    "value": facts.keys[facet.name].get(value, value),
                    "label": _capital(KINDS[value].title(languages, plural=True))
                    if facet.name == "kind"
                    else labels.label(value, languages),
                    "remove": link(selection.toggled(facet.name, value)),
                }
            )
    if selection.year_from is not None or selection.year_to is not None:
        chosen_list.append(
            {
                "facet": "period",
                "facet_title": period["title"],
                "value": f"{selection.year_from or ''}-{selection.year_to or ''}",
                "label": f"{selection.year_from or '…'}–{selection.year_to or '…'}",
                "remove": period["clear"],
            }
        )
    pages = max(1, -(-len(ordered) // selection.size))
    here = selection.params(facts)

    def page_link(number: int) -> str | None:
        if not 1 <= number <= pages:
            return None
        extra = [("page", str(number))] if number > 1 else []
        return f"{base}explore" + (f"?{urlencode(here + extra)}" if here or extra else "")

    links = {
        "self": page_link(selection.page) or link(selection, page=str(selection.page)),
        "first": page_link(1),
        "previous": page_link(selection.page - 1),
        "next": page_link(selection.page + 1),
        "last": page_link(pages),
        "csv": f"{base}explore?{urlencode([*here, ('_format', 'csv')])}",
        "json": f"{base}explore?{urlencode([*here, *([('page', str(selection.page))] if selection.page > 1 else []), ('_format', 'json')])}",
        "clear": f"{base}explore",
    }
    return Browse(
        selection,
        len(ordered),
        [_item_row(facts, facts.items[iri], languages, base) for iri in shown],
        facets,
        period,
        chosen_list,
        links,
        list(languages),
    )


CSV_COLUMNS = ("iri", "label", "kind", "first_year", "last_year", *FACET_NAMES[1:])
"""The columns of the CSV download; a facet column lists its values' labels, ``|`` between them."""


def csv_rows(page: Browse) -> list[list[str]]:
    """The rows of the CSV download of a :class:`Browse` made with ``every_item=True``, header first."""
    rows: list[list[str]] = [list(CSV_COLUMNS)]
    for item in page.items:
        row: list[str] = []
        for column in CSV_COLUMNS:
            value = item[column]
            if isinstance(value, list):
                row.append(" | ".join(v["label"] for v in value))
            else:
                row.append("" if value is None else str(value))
        rows.append(row)
    return rows
