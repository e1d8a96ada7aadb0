"""What search and browse share: kinds, languages, labels, and values built once per store version."""

from __future__ import annotations

import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib.namespace import OWL, SKOS

from coopgraph.errors import ParameterError
from coopgraph.linkeddata.labels import parse_accept_language, pick_label
from coopgraph.namespaces import CG
from coopgraph.queries import QueryCatalogue
from coopgraph.store import Row, Store

T = TypeVar("T")

LANGUAGES = ("en", "es", "fr")
"""The languages of the interface's switch; labels in any other language are still found."""


@dataclass(frozen=True)
class Kind:
    """A kind of resource: its name in URLs and its names in each language (singular, plural)."""

    name: str
    group: str
    titles: dict[str, tuple[str, str]]

    def title(self, languages: Sequence[str], plural: bool = False) -> str:
        """The kind's name in the first of ``languages`` the interface speaks (else English)."""
        lang = next((lang for lang in languages if lang in self.titles), "en")
        return self.titles[lang][1 if plural else 0]


def _kind(name: str, group: str, en: str, es: str, fr: str) -> Kind:
    def split(text: str) -> tuple[str, str]:
        one, _, many = text.partition("|")
        return one, many

    return Kind(name, group, {"en": split(en), "es": split(es), "fr": split(fr)})


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        _kind("country", "actor", "country|countries", "país|países", "pays|pays"),
        _kind(
            "organisation",
            "actor",
            "organisation|organisations",
            "organización|organizaciones",
            "organisation|organisations",
        ),
        _kind("person", "actor", "person|people", "persona|personas", "personne|personnes"),
        _kind("programme", "activity", "programme|programmes", "programa|programas", "programme|programmes"),
        _kind("project", "activity", "project|projects", "proyecto|proyectos", "projet|projets"),
        _kind("agreement", "activity", "agreement|agreements", "acuerdo|acuerdos", "accord|accords"),
        _kind(
            "partnership",
            "activity",
            "partnership|partnerships",
            "alianza|alianzas",
            "partenariat|partenariats",
        ),
        _kind("event", "activity", "event|events", "evento|eventos", "événement|événements"),
        _kind(
            "contribution",
            "activity",
            "contribution|contributions",
            "contribución|contribuciones",
            "contribution|contributions",
        ),
        _kind(
            "offer",
            "proposal",
            "cooperation offer|cooperation offers",
            "oferta de cooperación|ofertas de cooperación",
            "offre de coopération|offres de coopération",
        ),
        _kind(
            "request",
            "proposal",
            "cooperation request|cooperation requests",
            "demanda de cooperación|demandas de cooperación",
            "demande de coopération|demandes de coopération",
        ),
        _kind("fund", "other", "fund|funds", "fondo|fondos", "fonds|fonds"),
        _kind("result", "other", "result|results", "resultado|resultados", "résultat|résultats"),
        _kind(
            "indicator", "other", "indicator|indicators", "indicador|indicadores", "indicateur|indicateurs"
        ),
        _kind("post", "other", "post|posts", "cargo|cargos", "poste|postes"),
        _kind("place", "other", "place|places", "lugar|lugares", "lieu|lieux"),
        _kind(
            "provision",
            "other",
            "Convention provision|Convention provisions",
            "disposición de la Convención|disposiciones de la Convención",
            "disposition de la Convention|dispositions de la Convention",
        ),
        _kind(
            "source",
            "other",
            "source document|source documents",
            "documento fuente|documentos fuente",
            "document source|documents sources",
        ),
        _kind("document", "other", "document|documents", "documento|documentos", "document|documents"),
        _kind("judgement", "other", "judgement|judgements", "juicio|juicios", "jugement|jugements"),
        _kind("concept", "other", "concept|concepts", "concepto|conceptos", "concept|concepts"),
        _kind(
            "scheme",
            "other",
            "concept scheme|concept schemes",
            "esquema de conceptos|esquemas de conceptos",
            "schéma de concepts|schémas de concepts",
        ),
        _kind("class", "other", "class|classes", "clase|clases", "classe|classes"),
        _kind("property", "other", "property|properties", "propiedad|propiedades", "propriété|propriétés"),
        _kind("other", "other", "other|others", "otro|otros", "autre|autres"),
    )
}
"""Every kind, in the order results are grouped; the first ones are the actors and activities, then
the offers and requests of cooperation (the ``proposal`` group)."""

_KIND_OF_CLASS: dict[str, str] = {
    str(CG.Country): "country",
    str(CG.Organisation): "organisation",
    str(CG.Person): "person",
    str(CG.Programme): "programme",
    str(CG.Project): "project",
    str(CG.Agreement): "agreement",
    str(CG.Partnership): "partnership",
    str(CG.Event): "event",
    str(CG.FundingContribution): "contribution",
    str(CG.Offer): "offer",
    str(CG.Request): "request",
    str(CG.Fund): "fund",
    str(CG.Result): "result",
    str(CG.Indicator): "indicator",
    str(CG.Post): "post",
    str(CG.Place): "place",
    str(CG.Convention): "provision",
    str(CG.ConventionProvision): "provision",
    str(CG.SourceDocument): "source",
    str(CG.Document): "document",
    str(CG.CuratorJudgement): "judgement",
    str(SKOS.Concept): "concept",
    str(SKOS.ConceptScheme): "scheme",
    str(OWL.Class): "class",
    str(OWL.ObjectProperty): "property",
    str(OWL.DatatypeProperty): "property",
    str(OWL.AnnotationProperty): "property",
}
_KIND_ORDER = {name: rank for rank, name in enumerate(KINDS)}


def kind_of(classes: Iterable[str]) -> str:
    """The most specific kind among the classes of a resource (``explore-kinds`` rows).

    Examples
    --------
    >>> kind_of([str(CG.Partnership), str(CG.Agreement)])
    'agreement'
    >>> kind_of(["urn:x"])
    'other'
    """
    kinds = {_KIND_OF_CLASS.get(c, "other") for c in classes}
    return min(kinds, key=_KIND_ORDER.__getitem__, default="other")


def choose_languages(
    lang: str | None, cookie: str | None, accept_language: str | None, *, strict: bool = True
) -> list[str]:
    """The languages labels are shown in, best first: ``?lang=``, then the cookie, then the header.

    Parameters
    ----------
    lang
        The ``lang`` query parameter (one of :data:`LANGUAGES`).
    cookie
        The ``lang`` cookie the switch set; an unknown value is ignored.
    accept_language
        The ``Accept-Language`` header.
    strict
        Raise on an unknown ``lang`` (``False``: ignore it).

    Returns
    -------
    list of str
        Language tags, best first.

    Raises
    ------
    ParameterError
        When ``lang`` is not one of :data:`LANGUAGES` and ``strict``.

    Examples
    --------
    >>> choose_languages(None, "fr", "es,en;q=0.5")
    ['fr', 'es', 'en']
    >>> choose_languages("es", None, None)
    ['es']
    """
    chosen: list[str] = []
    if lang is not None:
        if lang in LANGUAGES:
            chosen.append(lang)
        elif strict:
            raise ParameterError("lang", f"one of {', '.join(LANGUAGES)}")
    if not chosen and cookie in LANGUAGES:
        chosen.append(str(cookie))
    for tag in parse_accept_language(accept_language):
        if tag not in chosen:
            chosen.append(tag)
    return chosen


@dataclass
class Labels:
    """Every label of every named resource, by IRI then language, and each resource's kind."""

    preferred: dict[str, dict[str, str]]
    """The label to show per language (``rdfs:label``, else ``skos:prefLabel``, else a name)."""
    every: dict[str, list[tuple[str, str, str]]]
    """Every ``(label, language, property)`` of a resource."""
    kinds: dict[str, str]

    def label(self, iri: str, languages: Sequence[str]) -> str:
        """The label of ``iri`` in the first of ``languages`` that has one, else its last segment."""
        return pick_label(self.preferred.get(iri, {}), languages) or iri.rstrip("/#").rsplit("/", 1)[-1]

    def kind(self, iri: str) -> str:
        """The kind of ``iri`` (``other`` when it has none of the known classes)."""
        return self.kinds.get(iri, "other")


_PROPERTY_RANK = {"label": 0, "prefLabel": 1, "name": 2, "altLabel": 3, "hiddenLabel": 4}


def property_name(iri: str) -> str:
    """The local name of a label property (``label``, ``prefLabel``, ``altLabel``...).

    >>> property_name("http://www.w3.org/2004/02/skos/core#altLabel")
    'altLabel'
    """
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def labels_from_rows(label_rows: Sequence[Row], kind_rows: Sequence[Row]) -> Labels:
    """Assemble :class:`Labels` from the rows of ``explore-labels`` and ``explore-kinds``."""
    shown: dict[str, dict[str, tuple[int, str]]] = defaultdict(dict)
    every: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for row in label_rows:
        label = row["label"]
        if not isinstance(label, ox.Literal):
            continue
        iri, prop = row["resource"].value, property_name(row["property"].value)
        lang = (label.language or "").lower()
        every[iri].append((label.value, lang, prop))
        rank = _PROPERTY_RANK.get(prop, 5)
        if rank < 3:
            current = shown[iri].get(lang)
            if current is None or (rank, label.value) < current:
                shown[iri][lang] = (rank, label.value)
    classes: dict[str, set[str]] = defaultdict(set)
    for row in kind_rows:
        classes[row["resource"].value].add(row["class"].value)
    preferred = {iri: {lang: value for lang, (_, value) in by.items()} for iri, by in shown.items()}
    for iri, found in every.items():
        if iri not in preferred:  # only alternative labels: show one of them
            preferred[iri] = {lang: value for value, lang, _ in sorted(found)}
    return Labels(preferred, dict(every), {iri: kind_of(cls) for iri, cls in classes.items()})


def fetch_labels(store: Store, catalogue: QueryCatalogue) -> Labels:
    """Every label and kind in the store, read once per store version."""

    def build() -> Labels:
        return labels_from_rows(
            store.select(catalogue.internal("explore-labels").text),
            store.select(catalogue.internal("explore-kinds").text),
        )

    return per_version(store, ("labels",), build)


_lock = threading.RLock()  # re-entrant: one value may be built from another
_cache: OrderedDict[tuple[Hashable, ...], Any] = OrderedDict()
_CACHE_SIZE = 16


def per_version(store: Store, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
    """The value ``build()`` made for this store at its current version, made on first use.

    Parameters
    ----------
    store
        The store the value is computed from.
    key
        What the value is (``("labels",)``, ``("search",)``...).
    build
        Computes the value; called at most once per store version and key, even when several
        threads ask at once.

    Returns
    -------
    The value.

    Examples
    --------
    >>> from coopgraph.store import EmbeddedStore
    >>> store = EmbeddedStore(None)
    >>> per_version(store, ("doc",), lambda: 1), per_version(store, ("doc",), lambda: 2)
    (1, 1)
    """
    full = (id(store), store.version(), *key)
    with _lock:
        if full in _cache:
            _cache.move_to_end(full)
            return _cache[full]
        # built under the lock: a second request waits for the first build instead of repeating it
        value = build()
        _cache[full] = value
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
        return value
