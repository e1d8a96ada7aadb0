"""The directory of cooperation sources: every fund, funding programme and funding organisation.

What a source is and what its facets are computed from is one query,
``queries/internal/directory-sources.rq``, read once per store version (like /explore, see
:func:`coopgraph.explore.common.per_version`); a request is then set intersections and counts in
Python. Within the ``kind`` facet the chosen kinds are alternatives; any other chosen value
narrows the list further (a source must have every chosen value). Facet parameters take the
short keys /explore uses (``colombia``, ``14``, ``USD``), a path under ``/id/`` or an IRI.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from coopgraph.errors import ParameterError
from coopgraph.explore.common import KINDS, Labels
from coopgraph.explore.facets import (
    Facet,
    given_values,
    key_tables,
    read_facts,
    short_keys,
    toggle,
    value_of_key,
)
from coopgraph.linkeddata.labels import local_url
from coopgraph.namespaces import ID_BASE
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Row, Store

DIRECTORY_FACETS: tuple[Facet, ...] = (
    Facet("kind", {"en": "Kind of source", "es": "Tipo de fuente", "fr": "Type de source"}),
    Facet("finances", {"en": "What it finances", "es": "Qué financia", "fr": "Ce qu'elle finance"}),
    Facet("article", {"en": "Convention article", "es": "Artículo de la Convención", "fr": "Article"}),
    Facet(
        "region",
        {"en": "Region (countries)", "es": "Región (países)", "fr": "Région (pays)"},
    ),
    Facet("currency", {"en": "Currency", "es": "Moneda", "fr": "Devise"}),
)
"""The facets of /sources, in the order the page shows them. The graph records no regions above
countries, so ``region`` lists the countries a source is in or reaches."""
FACET_NAMES = tuple(f.name for f in DIRECTORY_FACETS)
SOURCE_KINDS = ("fund", "programme", "organisation", "country", "person", "other")
"""The kinds of source, in list order: funds first, then programmes, then the agents that fund."""
CSV_COLUMNS = ("iri", "label", "kind", "financed", *FACET_NAMES[1:])
"""The columns of the CSV download; a facet column lists its values, ``|`` between them."""


@dataclass
class Source:
    """A cooperation source: its kind, its facet values (IRIs or currency codes), what it finances."""

    iri: str
    kind: str
    values: dict[str, set[str]] = field(default_factory=dict)
    financed: set[str] = field(default_factory=set)


@dataclass
class DirectoryFacts:
    """The sources and their facet values with the inverted index, for one store version.

    Attributes
    ----------
    sources
        Sources by IRI.
    index
        Facet name, then value, then the IRIs of the sources that have it.
    keys
        Facet name, then value, then the short key URLs use.
    labels
        Labels and kinds of everything.
    """

    sources: dict[str, Source]
    index: dict[str, dict[str, set[str]]]
    keys: dict[str, dict[str, str]]
    labels: Labels

    def value_for_key(self, facet: str, key: str) -> str | None:
        """The value a URL key names in ``facet`` (its key, its path under ``/id/``, or itself)."""
        return value_of_key(key_tables({facet: self.keys.get(facet, {})})[facet], key)

    def ordered(self, languages: Sequence[str]) -> list[str]:
        """Every source IRI in list order: by kind, then label in the reader's language."""
        order = {k: i for i, k in enumerate(SOURCE_KINDS)}
        return sorted(
            self.sources,
            key=lambda iri: (
                order.get(self.sources[iri].kind, len(order)),
                self.labels.label(iri, languages).casefold(),
                iri,
            ),
        )


def facts_from_rows(rows: Sequence[Row], labels: Labels) -> DirectoryFacts:
    """Assemble :class:`DirectoryFacts` from the rows of ``directory-sources`` and the labels.

    Examples
    --------
    >>> from coopgraph.explore.common import Labels
    >>> import pyoxigraph as ox
    >>> row = {"source": ox.NamedNode("urn:f"), "facet": ox.Literal("currency"), "value": ox.Literal("USD")}
    >>> facts = facts_from_rows([row], Labels({}, {}, {"urn:f": "fund"}))
    >>> facts.sources["urn:f"].values["currency"], facts.index["kind"]["fund"]
    ({'USD'}, {'urn:f'})
    """
    sources: dict[str, Source] = {}
    for row in rows:
        iri = row["source"].value
        kind = labels.kind(iri)
        source = sources.get(iri)
        if source is None:
            source = Source(iri, kind if kind in SOURCE_KINDS else "other")
            source.values = {name: set() for name in FACET_NAMES[1:]}
            sources[iri] = source
        facet, value = row["facet"].value, row["value"].value
        if facet == "financed":
            source.financed.add(value)
        elif facet in source.values:
            source.values[facet].add(value)
    index: dict[str, dict[str, set[str]]] = {name: defaultdict(set) for name in FACET_NAMES}
    for source in sources.values():
        index["kind"][source.kind].add(source.iri)
        for name in FACET_NAMES[1:]:
            for value in source.values[name]:
                index[name][value].add(source.iri)
    keys = {name: short_keys(set(index[name])) for name in FACET_NAMES[1:]}
    keys["kind"] = {k: k for k in index["kind"]}
    return DirectoryFacts(sources, {n: dict(v) for n, v in index.items()}, keys, labels)


def directory_facts(store: Store, catalogue: QueryCatalogue) -> DirectoryFacts:
    """The sources of the store and their facets, read once per store version.

    Examples
    --------
    >>> from coopgraph.config import Settings
    >>> from coopgraph.store import EmbeddedStore
    >>> directory_facts(EmbeddedStore(None), QueryCatalogue(Settings().queries_dir)).sources
    {}
    """
    return read_facts(store, catalogue, "directory-sources", facts_from_rows)


@dataclass(frozen=True)
class DirectorySelection:
    """What the URL of /sources asks for: facet values (kind names for ``kind``)."""

    values: tuple[tuple[str, tuple[str, ...]], ...] = ()

    def chosen(self, facet: str) -> tuple[str, ...]:
        """The values chosen in ``facet``."""
        return dict(self.values).get(facet, ())

    def params(self, facts: DirectoryFacts) -> list[tuple[str, str]]:
        """The URL parameters of this selection."""
        return [(f, facts.keys[f].get(v, v)) for f, values in self.values for v in values]

    def toggled(self, facet: str, value: str) -> DirectorySelection:
        """This selection with ``value`` added to ``facet``, or removed when chosen."""
        return DirectorySelection(toggle(self.values, facet, value, FACET_NAMES))


def parse_selection(params: Mapping[str, Sequence[str]], facts: DirectoryFacts) -> DirectorySelection:
    """Read and check the facet parameters of /sources.

    Parameters
    ----------
    params
        Each facet parameter's values; other parameters are ignored.
    facts
        The directory, to check the values against.

    Returns
    -------
    DirectorySelection

    Raises
    ------
    ParameterError
        Naming the first parameter with too many values, a value too long, or a value no source has.
    """
    values: list[tuple[str, tuple[str, ...]]] = []
    for facet in FACET_NAMES:
        chosen: list[str] = []
        for text in given_values(params, facet):
            if facet == "kind":
                if text not in SOURCE_KINDS:
                    raise ParameterError("kind", f"one of {', '.join(SOURCE_KINDS)}, not {text[:40]!r}")
                value: str | None = text
            else:
                value = facts.value_for_key(facet, text)
            if value is None:
                raise ParameterError(facet, f"no source has the value {text[:60]!r}")
            if value not in chosen:
                chosen.append(value)
        if chosen:
            values.append((facet, tuple(chosen)))
    return DirectorySelection(tuple(values))


def select_sources(facts: DirectoryFacts, selection: DirectorySelection) -> set[str]:
    """The IRIs of the sources the selection keeps."""
    kinds = selection.chosen("kind")
    if kinds:
        chosen: set[str] = set().union(*(facts.index["kind"].get(k, set()) for k in kinds))
    else:
        chosen = set(facts.sources)
    for facet, values in selection.values:
        if facet == "kind":
            continue
        for value in values:
            chosen &= facts.index[facet].get(value, set())
    return chosen


def _value_label(facts: DirectoryFacts, facet: str, value: str, languages: Sequence[str]) -> str:
    if facet == "kind":
        title = KINDS[value].title(languages, plural=True) if value in KINDS else value
        return title[:1].upper() + title[1:]
    if facet == "currency":
        return value
    return facts.labels.label(value, languages)


def source_row(facts: DirectoryFacts, iri: str, languages: Sequence[str], base: str) -> dict[str, Any]:
    """One source as the list shows it: label, kind, links, facet values and what it finances."""
    source = facts.sources[iri]
    row: dict[str, Any] = {
        "iri": iri,
        "label": facts.labels.label(iri, languages),
        "kind": source.kind,
        "kind_label": KINDS[source.kind].title(languages) if source.kind in KINDS else source.kind,
        "url": local_url(iri, base),
        "profile": profile_url(iri, base),
        "financed": sorted(
            (
                {"iri": a, "url": local_url(a, base), "label": facts.labels.label(a, languages)}
                for a in source.financed
            ),
            key=lambda v: (v["label"].casefold(), v["iri"]),
        ),
    }
    for name in FACET_NAMES[1:]:
        row[name] = sorted(
            (
                {
                    "value": facts.keys[name].get(v, v),
                    "iri": None if name == "currency" else v,
                    "label": _value_label(facts, name, v, languages),
                }
                for v in source.values[name]
            ),
            key=lambda v: (v["label"].casefold(), v["value"]),
        )
    return row


def profile_url(iri: str, base: str) -> str:
    """The address of a source's directory profile: ``/sources/`` and its path under ``/id/``.

    >>> profile_url("https://w3id.org/coopgraph/id/fund/ifcd", "http://h/")
    'http://h/sources/fund/ifcd'
    """
    return f"{base}sources/{iri.removeprefix(ID_BASE)}"


def directory(
    facts: DirectoryFacts, selection: DirectorySelection, languages: Sequence[str], base: str
) -> dict[str, Any]:
    """The list of sources the selection keeps, with the counts of every facet value, as data.

    Parameters
    ----------
    facts
        The directory (see :func:`directory_facts`).
    selection
        What the URL asks for (see :func:`parse_selection`).
    languages
        The languages labels are shown in, best first.
    base
        The service's base URL, ending with ``/``.

    Returns
    -------
    dict
        ``total``, ``sources`` (see :func:`source_row`), ``facets`` (each value with its
        ``count`` in the current list and the link that toggles it), ``chosen`` and ``links``.
    """
    kept = select_sources(facts, selection)
    ordered = [iri for iri in facts.ordered(languages) if iri in kept]

    def link(sel: DirectorySelection, **extra: str) -> str:
        params = [*sel.params(facts), *extra.items()]
        return f"{base}sources" + (f"?{urlencode(params)}" if params else "")

    facets: list[dict[str, Any]] = []
    chosen_list: list[dict[str, Any]] = []
    for facet in DIRECTORY_FACETS:
        chosen = selection.chosen(facet.name)
        values: list[dict[str, Any]] = []
        for value, holders in facts.index[facet.name].items():
            count = len(holders & kept)
            if not count and value not in chosen:
                continue
            values.append(
                {
                    "value": facts.keys[facet.name].get(value, value),
                    "iri": None if facet.name in ("kind", "currency") else value,
                    "label": _value_label(facts, facet.name, value, languages),
                    "count": count,
                    "selected": value in chosen,
                    "toggle": link(selection.toggled(facet.name, value)),
                }
            )
        values.sort(key=lambda v: (not v["selected"], -v["count"], v["label"].casefold()))
        facets.append({"name": facet.name, "title": facet.title(languages), "values": values})
        for value in chosen:
            chosen_list.append(
                {
                    "facet": facet.name,
                    "facet_title": facet.title(languages),
                    "value": facts.keys[facet.name].get(value, value),
                    "label": _value_label(facts, facet.name, value, languages),
                    "remove": link(selection.toggled(facet.name, value)),
                }
            )
    here = selection.params(facts)
    return {
        "total": len(ordered),
        "chosen": chosen_list,
        "sources": [source_row(facts, iri, languages, base) for iri in ordered],
        "facets": facets,
        "links": {
            "self": link(selection),
            "csv": f"{base}sources?{urlencode([*here, ('_format', 'csv')])}",
            "json": f"{base}sources?{urlencode([*here, ('_format', 'json')])}",
            "clear": f"{base}sources",
        },
    }


def csv_rows(data: Mapping[str, Any]) -> list[list[str]]:
    """The rows of the CSV download of :func:`directory`'s answer, header first."""
    rows: list[list[str]] = [list(CSV_COLUMNS)]
    for source in data["sources"]:
        row: list[str] = []
        for column in CSV_COLUMNS:
            value = source[column]
            if isinstance(value, list):
                row.append(" | ".join(v["label"] for v in value))
            else:
                row.append(str(value))
        rows.append(row)
    return rows
