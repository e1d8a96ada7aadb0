"""What ``/match`` and ``/match/requests/{slug}`` show: pickers, the profile, the matches, as data and
HTML, in English, Spanish or French.

The pickers offer the graph's own vocabularies (cultural sectors, Convention articles,
modalities, countries) with their labels in the reader's language; the form is a plain ``GET``
form, so the page works without JavaScript and its address is the profile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from coopgraph.errors import ParameterError
from coopgraph.explore.common import KINDS, LANGUAGES
from coopgraph.linkeddata.labels import local_url
from coopgraph.matching.index import MatchIndex
from coopgraph.matching.profile import ProfileBody, read_body
from coopgraph.network.filters import ACTOR_KINDS
from coopgraph.templating import TEMPLATES

FORM_FIELDS: dict[str, str] = {
    "kind": "kind",
    "country": "country",
    "sector": "sectors",
    "article": "articles",
    "modality": "modalities",
    "offers": "offers",
    "seeks": "seeks",
    "exclude": "exclude",
    "top": "top",
}
"""Query parameters of the ``/match`` form and the profile field each fills."""
_REPEATED = {"sector", "article", "modality", "exclude"}

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Match partners",
        "offers_for": "Offers for: {label}",
        "asks": "{agent} asks: “{label}”. The offers of the graph are ranked for it with the same scoring as the partners of a profile.",
        "lead": "Describe who you are and what you work on; the graph proposes partners among the actors it knows, with the reasons and the activities each proposal rests on. Every choice below comes from the graph's own vocabularies.",
        "you_are": "You are",
        "any_kind": "any kind of actor",
        "country": "Country",
        "not_given": "not given",
        "sectors": "Cultural sectors",
        "articles": "Articles of the Convention",
        "modalities": "Modalities",
        "offers": "What you offer",
        "seeks": "What you look for",
        "hint": "Hold Ctrl (⌘ on a Mac) to choose several values in a list.",
        "submit": "Find partners",
        "matches": "matches",
        "offers_found": "offers",
        "by": "by",
        "score": "score",
        "evidence": "Evidence",
        "nothing": "Nothing in the graph matches this profile yet. Try fewer or broader choices.",
        "requests": "Requests in the graph",
        "requests_lead": "Requests of cooperation the source documents state, each matched to the offers of the graph:",
    },
    "es": {
        "title": "Buscar socios",
        "offers_for": "Ofertas para: {label}",
        "asks": "{agent} pide: “{label}”. Las ofertas del grafo se ordenan para esta demanda con la misma puntuación que los socios de un perfil.",
        "lead": "Describa quién es y en qué trabaja; el grafo propone socios entre los actores que conoce, con las razones y las actividades en que se basa cada propuesta. Cada opción viene de los vocabularios del propio grafo.",
        "you_are": "Usted es",
        "any_kind": "cualquier tipo de actor",
        "country": "País",
        "not_given": "sin indicar",
        "sectors": "Sectores culturales",
        "articles": "Artículos de la Convención",
        "modalities": "Modalidades",
        "offers": "Qué ofrece",
        "seeks": "Qué busca",
        "hint": "Mantenga Ctrl (⌘ en un Mac) para elegir varios valores de una lista.",
        "submit": "Buscar socios",
        "matches": "socios propuestos",
        "offers_found": "ofertas",
        "by": "de",
        "score": "puntuación",
        "evidence": "Pruebas",
        "nothing": "Nada en el grafo corresponde todavía a este perfil. Pruebe con menos opciones o más amplias.",
        "requests": "Demandas en el grafo",
        "requests_lead": "Demandas de cooperación que recogen los documentos fuente, cada una con las ofertas del grafo que le corresponden:",
    },
    "fr": {
        "title": "Trouver des partenaires",
        "offers_for": "Offres pour : {label}",
        "asks": "{agent} demande : « {label} ». Les offres du graphe sont classées pour cette demande avec le même score que les partenaires d'un profil.",
        "lead": "Décrivez qui vous êtes et sur quoi vous travaillez ; le graphe propose des partenaires parmi les acteurs qu'il connaît, avec les raisons et les activités sur lesquelles repose chaque proposition. Chaque choix vient des vocabulaires du graphe.",
        "you_are": "Vous êtes",
        "any_kind": "tout type d'acteur",
        "country": "Pays",
        "not_given": "non précisé",
        "sectors": "Secteurs culturels",
        "articles": "Articles de la Convention",
        "modalities": "Modalités",
        "offers": "Ce que vous offrez",
        "seeks": "Ce que vous cherchez",
        "hint": "Maintenez Ctrl (⌘ sur un Mac) pour choisir plusieurs valeurs dans une liste.",
        "submit": "Trouver des partenaires",
        "matches": "partenaires proposés",
        "offers_found": "offres",
        "by": "par",
        "score": "score",
        "evidence": "Preuves",
        "nothing": "Rien dans le graphe ne correspond encore à ce profil. Essayez des choix moins nombreux ou plus larges.",
        "requests": "Demandes dans le graphe",
        "requests_lead": "Demandes de coopération que mentionnent les documents sources, chacune avec les offres du graphe qui y répondent :",
    },
}
"""The words of the page in each language."""


def page_language(languages: Sequence[str]) -> str:
    """The first of ``languages`` the page is written in (else English).

    >>> page_language(["de", "es"])
    'es'
    """
    return next((lang for lang in languages if lang in LANGUAGES), "en")


_NUMBER = re.compile(r"(\d+)")


def body_from_form(params: Mapping[str, Sequence[str]]) -> ProfileBody | None:
    """The profile a ``GET /match`` form asks for, or ``None`` when it asks nothing.

    Examples
    --------
    >>> body_from_form({"sector": ["https://w3id.org/coopgraph/id/cultural-sector/music"]}).sectors
    ['https://w3id.org/coopgraph/id/cultural-sector/music']
    >>> body_from_form({}) is None
    True
    """
    data: dict[str, Any] = {}
    for name, values in params.items():
        if name not in FORM_FIELDS:
            continue
        kept = [v for v in values if v.strip()]
        if not kept:
            continue
        if name not in _REPEATED and len(kept) > 1:
            raise ParameterError(name, "given more than once")
        if name == "top":
            if not kept[0].isdigit() or len(kept[0]) > 4:
                raise ParameterError("top", "an integer from 1 to 100")
            data["top"] = int(kept[0])
        else:
            data[FORM_FIELDS[name]] = kept if name in _REPEATED else kept[0]
    if not any(k != "top" for k in data):
        return None
    return read_body(data)


def _article_order(iri: str, label: str) -> tuple[int, str]:
    found = _NUMBER.search(iri.rsplit("/", 1)[-1])
    return (int(found.group(1)) if found else 10_000, label)


def pickers(index: MatchIndex, languages: Sequence[str]) -> dict[str, list[dict[str, str]]]:
    """The choices of each picker: ``iri`` and ``label`` in the first language the graph has."""

    def label(labels: Mapping[str, str], iri: str) -> str:
        for lang in [*languages, "en", ""]:
            if lang in labels:
                return labels[lang]
        return next(iter(labels.values()), iri.rsplit("/", 1)[-1])

    out: dict[str, list[dict[str, str]]] = {}
    for name, values in index.vocabularies.items():
        items = [{"iri": iri, "label": label(labels, iri)} for iri, labels in values.items()]
        if name == "articles":
            items.sort(key=lambda i: _article_order(i["iri"], i["label"]))
        else:
            items.sort(key=lambda i: (i["label"].casefold(), i["iri"]))
        out[name] = items
    out["kinds"] = [{"iri": k, "label": KINDS[k].title(languages)} for k in ACTOR_KINDS]
    return out


def requests_list(index: MatchIndex, base: str, languages: Sequence[str] = ("en",)) -> list[dict[str, str]]:
    """The requests of the graph, each with the address of its matches."""
    return [
        {
            "iri": p.iri,
            "label": index.label(p.iri, languages),
            "url": f"{base}match/requests/{p.iri.rstrip('/').rsplit('/', 1)[-1]}",
        }
        for p in sorted(index.proposals.values(), key=lambda p: p.label)
        if p.kind == "request"
    ]


def with_urls(
    matches: list[dict[str, Any]], base: str, languages: Sequence[str] = ("en",)
) -> list[dict[str, Any]]:
    """Matches with the local page of each match and of each piece of evidence, and the name of
    each match's kind in the reader's language."""
    for m in matches:
        m["url"] = local_url(m["iri"], base)
        kind = KINDS.get(m["kind"])
        m["kind_label"] = kind.title(languages) if kind else m["kind"]
        for item in m["evidence"]:
            item["url"] = local_url(item["iri"], base)
    return matches


def match_page(data: Mapping[str, Any], base: str, languages: Sequence[str], links: Mapping[str, str]) -> str:
    """The HTML of ``/match`` (and of the matches of a request) in the first of ``languages`` it is
    written in."""
    lang = page_language(languages)
    texts = TEXTS[lang]
    request = data.get("request")
    title = texts["offers_for"].format(label=request["label"]) if request else texts["title"]
    return TEMPLATES.get_template("match.html").render(
        base=base, title=title, lang=lang, lang_links=links, data=data, t=texts
    )
