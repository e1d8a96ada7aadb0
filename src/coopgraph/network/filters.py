"""The filters of a network projection, declared once for the API routes and the CLI commands.

:data:`FILTER_FIELDS` is the one table of the filters: the ``/network`` routes build their
query parameters from it and the ``coopgraph network`` commands their options, so both take
the same filters with the same names and help. :meth:`Filters.parse` turns the raw values
(keyed by :attr:`FilterField.parameter`) into checked :class:`Filters`.

What each filter keeps
----------------------
``from``/``to`` (years)
    Keep activities (contributions, in the funding network) whose years overlap the period.
    The years are those of ``cg:startDate``, ``cg:endDate`` and ``cg:date``; a start without an
    end is open-ended (still running), an end without a start is open towards the past. Items
    with no date at all are left out when a period is given.
``source``
    Keep the participations (contributions) stated in this named graph (a source document).
``modality``
    Keep activities with this ``cg:modality``.
``sector``
    Keep activities with this ``cg:culturalSector`` (the sector of the *activity*).
``actor_sector``
    Keep actors with this ``cg:sector`` (the organisation sector of the *actor*).
``article``
    Keep activities that relate to or implement this provision (``cg:relatesToArticle``,
    ``cg:implementsArticle``); an article also matches activities about its sub-paragraphs.
``kind``
    Keep actors of these kinds (``country``, ``organisation``, ``person``; in the funding
    network also ``fund`` and ``activity``).

In the funding network ``modality``, ``sector`` and ``article`` apply to the recipient when it
is an activity; a contribution to anything else is left out when one of them is given.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from coopgraph.errors import ParameterError
from coopgraph.namespaces import GRAPH_BASE, resource_iri

ACTOR_KINDS: tuple[str, ...] = ("country", "organisation", "person")
"""The kinds of actor, most specific first."""

FUNDING_KINDS: tuple[str, ...] = (*ACTOR_KINDS, "fund", "activity")
"""The kinds of node of the funding network."""

RawFilters = Mapping[str, str | Sequence[str] | None]
"""Filter values as the API and the CLI receive them, keyed by :attr:`FilterField.parameter`."""


@dataclass(frozen=True)
class FilterField:
    """One filter as the API and the CLI offer it.

    Attributes
    ----------
    name
        The Python name of the value (a keyword argument of a route or command).
    parameter
        The public name: the query parameter, and the key of :data:`RawFilters`.
    help
        What the filter keeps, shown in the OpenAPI description and the command help.
    repeatable
        Whether the filter takes several values.
    """

    name: str
    parameter: str
    help: str
    repeatable: bool = False

    @property
    def option(self) -> str:
        """The command-line option.

        >>> FILTER_FIELDS[0].option, FILTER_FIELDS[5].option
        ('--from', '--actor-sector')
        """
        return "--" + self.parameter.replace("_", "-")


FILTER_FIELDS: tuple[FilterField, ...] = (
    FilterField("start", "from", "First year of the period (overlap)."),
    FilterField("end", "to", "Last year of the period (overlap)."),
    FilterField("source", "source", "Named graph (source document) IRI or data file name."),
    FilterField("modality", "modality", "Activity modality (IRI or short name)."),
    FilterField("sector", "sector", "Activity cultural sector (IRI or short name)."),
    FilterField("actor_sector", "actor_sector", "Actor organisation sector (IRI or short name)."),
    FilterField("article", "article", "Convention article or sub-paragraph (IRI or e.g. 12, 12-e)."),
    FilterField("kind", "kind", "Actor kinds to keep (repeatable or comma-separated).", repeatable=True),
)
"""Every network filter, in the order the API and the CLI list them."""

_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")

# where a short name (slug) of each IRI filter lives
_SLUG_KINDS: dict[str, str] = {
    "modality": "modality",
    "sector": "cultural-sector",
    "actor_sector": "organisation-sector",
    "article": "article",
}


def _iri_value(name: str, value: str) -> str:
    """An absolute IRI, or a short name resolved under its kind (``south-south``)."""
    value = value.strip()
    if _SLUG.match(value):
        if name == "source":
            return GRAPH_BASE + value
        return str(resource_iri(_SLUG_KINDS[name], value))
    if not _IRI.match(value):
        raise ParameterError(name, f"{value!r} is neither an absolute IRI nor a short name")
    return value


@dataclass(frozen=True)
class Filters:
    """Filters of a projection (see the module documentation for what each keeps).

    Examples
    --------
    >>> f = Filters.parse({"from": "2012", "to": "2015", "modality": "south-south"})
    >>> f.start, f.end, f.modality
    (2012, 2015, 'https://w3id.org/coopgraph/id/modality/south-south')
    >>> f.query_string()
    'from=2012&to=2015&modality=https%3A%2F%2Fw3id.org%2Fcoopgraph%2Fid%2Fmodality%2Fsouth-south'
    >>> Filters.parse({"from": "2015", "to": "2012"})
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'to': 2012 is before from=2015
    """

    start: int | None = None
    end: int | None = None
    source: str | None = None
    modality: str | None = None
    sector: str | None = None
    actor_sector: str | None = None
    article: str | None = None
    kinds: tuple[str, ...] = ()

    @classmethod
    def parse(cls, values: RawFilters, allowed_kinds: Sequence[str] = FUNDING_KINDS) -> Filters:
        """Filters from raw parameter values (API query or CLI options).

        Parameters
        ----------
        values
            ``from``, ``to`` (years), ``source`` (a named graph IRI or a data file's name),
            ``modality``, ``sector``, ``actor_sector``, ``article`` (IRIs or short names) and
            ``kind`` (one kind, a comma-separated list or a list). Empty values are ignored.
        allowed_kinds
            The kinds the ``kind`` parameter may name.

        Returns
        -------
        Filters
            The checked filters, IRIs resolved and kinds sorted.

        Raises
        ------
        ParameterError
            Naming the parameter whose value is malformed.

        Examples
        --------
        >>> Filters.parse({"kind": ["person", "country,person"]}).kinds
        ('country', 'person')
        """

        def one(name: str) -> str | None:
            raw = values.get(name)
            if raw is None:
                return None
            if not isinstance(raw, str):
                raw = raw[-1] if raw else None
            return raw.strip() if raw and raw.strip() else None

        years: dict[str, int | None] = {}
        for name in ("from", "to"):
            raw = one(name)
            if raw is None:
                years[name] = None
            elif re.fullmatch(r"-?\d{1,4}", raw):
                years[name] = int(raw)
            else:
                raise ParameterError(name, f"{raw!r} is not a year (e.g. 2012)")
        if years["from"] is not None and years["to"] is not None and years["to"] < years["from"]:
            raise ParameterError("to", f"{years['to']} is before from={years['from']}")
        iris = {n: (_iri_value(n, v) if (v := one(n)) else None) for n in (*_SLUG_KINDS, "source")}
        raw_kinds = values.get("kind")
        items: list[str] = []
        if isinstance(raw_kinds, str):
            items = raw_kinds.split(",")
        elif raw_kinds:
            for item in raw_kinds:
                items.extend(item.split(","))
        kinds = tuple(sorted({k.strip() for k in items if k.strip()}))
        for kind in kinds:
            if kind not in allowed_kinds:
                raise ParameterError("kind", f"{kind!r} is not one of {', '.join(allowed_kinds)}")
        return cls(
            start=years["from"],
            end=years["to"],
            source=iris["source"],
            modality=iris["modality"],
            sector=iris["sector"],
            actor_sector=iris["actor_sector"],
            article=iris["article"],
            kinds=kinds,
        )

    def query_string(self) -> str:
        """The filters as a canonical query string (empty when none), as ``cg:filters`` records.

        >>> Filters(end=2015, kinds=("country", "person")).query_string()
        'to=2015&kind=country%2Cperson'
        """
        pairs: list[tuple[str, str]] = []
        for name, value in (
            ("from", self.start),
            ("to", self.end),
            ("source", self.source),
            ("modality", self.modality),
            ("sector", self.sector),
            ("actor_sector", self.actor_sector),
            ("article", self.article),
        ):
            if value is not None:
                pairs.append((name, str(value)))
        if self.kinds:
            pairs.append(("kind", ",".join(self.kinds)))
        return urlencode(pairs)

    @property
    def has_period(self) -> bool:
        """Whether a year bounds the period."""
        return self.start is not None or self.end is not None


def filters_for(projection: str, raw: RawFilters) -> Filters:
    """The filters of ``projection`` from raw values (the kinds allowed depend on the projection).

    Examples
    --------
    >>> filters_for("funding", {"kind": "fund"}).kinds
    ('fund',)
    >>> filters_for("co-participation", {"kind": "fund"})
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'kind': 'fund' is not one of country, organisation, person
    """
    return Filters.parse(raw, FUNDING_KINDS if projection == "funding" else ACTOR_KINDS)
