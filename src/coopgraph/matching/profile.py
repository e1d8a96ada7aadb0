"""The profile of someone looking for partners, checked against the graph's own vocabularies.

:class:`ProfileBody` is the JSON body of ``POST /match`` (strict: unknown fields, wrong types
and oversized values are refused); :func:`check_profile` turns it into a :class:`Profile` after
checking that every IRI it names is a value of its vocabulary in the graph (a sector of the
cultural-sector scheme, an article of the Convention, a modality, a country, an actor to
exclude). Each refusal is a :class:`~coopgraph.errors.ParameterError` naming the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coopgraph.errors import ParameterError
from coopgraph.matching.index import MatchIndex
from coopgraph.network.filters import ACTOR_KINDS

MAX_VALUES = 50
"""The most IRIs a list field may hold."""
MAX_TEXT = 4000
"""The most characters of ``offers`` and ``seeks``."""
MAX_IRI = 500
"""The longest IRI accepted."""
MAX_TOP = 100
"""The most matches one request may ask for."""


class ProfileBody(BaseModel):
    """The body of ``POST /match``: who is looking for partners (they need not be in the graph)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["country", "organisation", "person"] | None = Field(
        None, description="What the newcomer is: country, organisation or person."
    )
    country: str | None = Field(None, max_length=MAX_IRI, description="The IRI of its country.")
    sectors: list[str] = Field(
        default_factory=list, max_length=MAX_VALUES, description="IRIs of cultural sectors."
    )
    articles: list[str] = Field(
        default_factory=list, max_length=MAX_VALUES, description="IRIs of Convention articles."
    )
    modalities: list[str] = Field(
        default_factory=list, max_length=MAX_VALUES, description="IRIs of cooperation modalities."
    )
    offers: str = Field("", max_length=MAX_TEXT, description="What it can offer, in words.")
    seeks: str = Field("", max_length=MAX_TEXT, description="What it looks for, in words.")
    exclude: list[str] = Field(
        default_factory=list, max_length=MAX_VALUES, description="IRIs of actors not to propose."
    )
    top: int = Field(10, ge=1, le=MAX_TOP, description=f"How many matches, 1 to {MAX_TOP}.")


@dataclass(frozen=True)
class Profile:
    """A checked profile: the values the scoring compares."""

    kind: str | None = None
    country: str | None = None
    sectors: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    modalities: frozenset[str] = frozenset()
    offers: str = ""
    seeks: str = ""
    exclude: frozenset[str] = frozenset()

    def values(self, facet: str) -> frozenset[str]:
        """The profile's values of ``facet`` (``sectors``, ``articles`` or ``modalities``)."""
        found: frozenset[str] = getattr(self, facet)
        return found

    def as_dict(self) -> dict[str, Any]:
        """The profile as JSON (lists sorted)."""
        return {
            "kind": self.kind,
            "country": self.country,
            "sectors": sorted(self.sectors),
            "articles": sorted(self.articles),
            "modalities": sorted(self.modalities),
            "offers": self.offers,
            "seeks": self.seeks,
            "exclude": sorted(self.exclude),
        }


def read_body(data: Any) -> ProfileBody:
    """A :class:`ProfileBody` from parsed JSON, or a :class:`ParameterError` naming the field.

    Examples
    --------
    >>> read_body({"kind": "organisation"}).top
    10
    >>> read_body({"colour": "red"})
    Traceback (most recent call last):
    ...
    coopgraph.errors.ParameterError: parameter 'colour': not a field of the profile
    """
    if not isinstance(data, dict):
        raise ParameterError("body", "a JSON object is expected")
    try:
        return ProfileBody.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "body"
        if error["type"] == "extra_forbidden":
            raise ParameterError(name, "not a field of the profile") from None
        raise ParameterError(name, error["msg"]) from None


def _check_values(name: str, values: Sequence[str], known: Mapping[str, object]) -> frozenset[str]:
    for value in values:
        if value not in known:
            raise ParameterError(name, f"{value[:MAX_IRI]!r} is not one of the graph's {name}")
    return frozenset(values)


def check_profile(body: ProfileBody, index: MatchIndex) -> Profile:
    """The :class:`Profile` of ``body``, every IRI checked against the graph.

    Raises
    ------
    ParameterError
        Naming the field whose value the graph does not know.
    """
    vocab = index.vocabularies
    if body.kind is not None and body.kind not in ACTOR_KINDS:
        raise ParameterError("kind", f"one of {', '.join(ACTOR_KINDS)}")
    country = None
    if body.country:
        country = next(iter(_check_values("country", [body.country], vocab.get("country", {}))))
    exclude = frozenset(body.exclude)
    for value in exclude:
        if value not in index.features:
            raise ParameterError("exclude", f"{value[:MAX_IRI]!r} is not an actor of the graph")
    if "\x00" in body.offers or "\x00" in body.seeks:
        raise ParameterError("offers" if "\x00" in body.offers else "seeks", "no NUL character")
    return Profile(
        kind=body.kind,
        country=country,
        sectors=_check_values("sectors", body.sectors, vocab.get("sectors", {})),
        articles=_check_values("articles", body.articles, vocab.get("articles", {})),
        modalities=_check_values("modalities", body.modalities, vocab.get("modalities", {})),
        offers=body.offers,
        seeks=body.seeks,
        exclude=exclude,
    )


def profile_of(index: MatchIndex, actor: str) -> Profile:
    """The profile of an actor of the graph from its own attributes: kind, country, and the
    sectors and articles of its activities (what the leave-one-out evaluation uses).

    Examples
    --------
    >>> from coopgraph.network.facts import Facts
    >>> profile_of(MatchIndex(Facts([], {}, {}, [], {})), "x")
    Profile(kind=None, country=None, sectors=frozenset(), articles=frozenset(), modalities=frozenset(), offers='', seeks='', exclude=frozenset({'x'}))
    """
    feats = index.features.get(actor)
    if feats is None:
        return Profile(exclude=frozenset({actor}))
    countries = sorted(feats.countries - {actor})
    return Profile(
        kind=feats.kind if feats.kind != "agent" else None,
        country=countries[0] if countries else (actor if feats.kind == "country" else None),
        sectors=frozenset(feats.facet("sectors")),
        articles=frozenset(feats.facet("articles")),
        exclude=frozenset({actor}),
    )
