"""The HTML of ``/sources`` and of a source's profile, in English, Spanish or French."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coopgraph.explore.common import LANGUAGES
from coopgraph.templating import TEMPLATES

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Directory of cooperation sources",
        "lead": "Every fund, funding programme and funding organisation in the graph: what it finances, where, in which currencies. Choose values in the facets to narrow the list; every choice is a link.",
        "sources": "sources",
        "name": "Name",
        "kind": "Kind",
        "finances": "Finances",
        "region": "Countries",
        "currency": "Currencies",
        "download": "Download",
        "clear": "Clear all",
        "none": "No source has every value chosen. Remove one above.",
        "profile": "Source profile",
        "page": "Resource page",
        "what": "What it funds",
        "money": "Amounts per currency and period",
        "money_note": "Totals are never added across currencies; ≈ marks a total that includes an approximate amount.",
        "contributors": "Who contributes to it",
        "recipients": "Who receives from it",
        "participants": "Who takes part in it",
        "contact": "How to reach it",
        "no_contact": "The documents give no address for this source.",
        "quotes": "Quotes",
        "about": "What the documents say",
        "nothing": "Nothing recorded.",
        "direction_in": "received",
        "direction_out": "paid",
        "period": "Period",
        "total": "Total",
        "flows": "Flows",
        "profile_sectors": "Cultural sectors it finances",
        "modalities": "Modalities it finances",
        "eligible": "Who may apply (eligible countries)",
        "typical": "Typical amounts per currency",
        "typical_note": "What it typically gives one project or applicant, as its profile states it; amounts in different currencies are never added up.",
    },
    "es": {
        "title": "Directorio de fuentes de cooperación",
        "lead": "Todos los fondos, programas de financiación y organizaciones que financian en el grafo: qué financian, dónde y en qué monedas. Elija valores en las facetas para acotar la lista; cada elección es un enlace.",
        "sources": "fuentes",
        "name": "Nombre",
        "kind": "Tipo",
        "finances": "Financia",
        "region": "Países",
        "currency": "Monedas",
        "download": "Descargar",
        "clear": "Quitar todo",
        "none": "Ninguna fuente tiene todos los valores elegidos. Quite uno.",
        "profile": "Perfil de la fuente",
        "page": "Página del recurso",
        "what": "Qué financia",
        "money": "Montos por moneda y periodo",
        "money_note": "Los totales nunca se suman entre monedas; ≈ marca un total que incluye un monto aproximado.",
        "contributors": "Quién contribuye",
        "recipients": "Quién recibe",
        "participants": "Quién participa",
        "contact": "Cómo contactarla",
        "no_contact": "Los documentos no dan ninguna dirección para esta fuente.",
        "quotes": "Citas",
        "about": "Lo que dicen los documentos",
        "nothing": "Nada registrado.",
        "direction_in": "recibido",
        "direction_out": "pagado",
        "period": "Periodo",
        "total": "Total",
        "flows": "Flujos",
        "profile_sectors": "Sectores culturales que financia",
        "modalities": "Modalidades que financia",
        "eligible": "Quién puede solicitar (países admisibles)",
        "typical": "Montos habituales por moneda",
        "typical_note": "Lo que suele dar a un proyecto o solicitante, según su perfil; los montos en monedas distintas nunca se suman.",
    },
    "fr": {
        "title": "Répertoire des sources de coopération",
        "lead": "Tous les fonds, programmes de financement et organisations qui financent dans le graphe : ce qu'ils financent, où, en quelles devises. Choisissez des valeurs dans les facettes pour affiner la liste ; chaque choix est un lien.",
        "sources": "sources",
        "name": "Nom",
        "kind": "Type",
        "finances": "Finance",
        "region": "Pays",
        "currency": "Devises",
        "download": "Télécharger",
        "clear": "Tout retirer",
        "none": "Aucune source n'a toutes les valeurs choisies. Retirez-en une.",
        "profile": "Profil de la source",
        "page": "Page de la ressource",
        "what": "Ce qu'elle finance",
        "money": "Montants par devise et période",
        "money_note": "Les totaux ne sont jamais additionnés entre devises ; ≈ signale un total qui comprend un montant approximatif.",
        "contributors": "Qui y contribue",
        "recipients": "Qui en reçoit",
        "participants": "Qui y participe",
        "contact": "Comment la joindre",
        "no_contact": "Les documents ne donnent aucune adresse pour cette source.",
        "quotes": "Citations",
        "about": "Ce que disent les documents",
        "nothing": "Rien d'enregistré.",
        "direction_in": "reçu",
        "direction_out": "versé",
        "period": "Période",
        "total": "Total",
        "flows": "Flux",
        "profile_sectors": "Secteurs culturels qu'elle finance",
        "modalities": "Modalités qu'elle finance",
        "eligible": "Qui peut postuler (pays admissibles)",
        "typical": "Montants habituels par devise",
        "typical_note": "Ce qu'elle donne d'habitude à un projet ou à un candidat, selon son profil ; des montants en devises différentes ne sont jamais additionnés.",
    },
}
"""The words of the pages in each language of the interface."""


def page_language(languages: Sequence[str]) -> str:
    """The interface language of a page: the first of ``languages`` it speaks, else English.

    >>> page_language(["de", "fr"]), page_language([])
    ('fr', 'en')
    """
    return next((lang for lang in languages if lang in LANGUAGES), "en")


def sources_page(
    data: Mapping[str, Any], base: str, languages: Sequence[str], links: Mapping[str, str]
) -> str:
    """The HTML of ``/sources``."""
    lang = page_language(languages)
    return TEMPLATES.get_template("sources.html").render(
        base=base, title=TEXTS[lang]["title"], lang=lang, lang_links=links, data=data, t=TEXTS[lang]
    )


def source_page(
    profile: Mapping[str, Any], base: str, languages: Sequence[str], links: Mapping[str, str]
) -> str:
    """The HTML of a source's profile (``/sources/{kind}/{slug}``)."""
    lang = page_language(languages)
    return TEMPLATES.get_template("source.html").render(
        base=base,
        title=profile["source"]["label"],
        lang=lang,
        lang_links=links,
        p=profile,
        t=TEXTS[lang],
    )
