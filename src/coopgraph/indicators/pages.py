"""The HTML of ``/indicators`` (whole graph, country, programme) and ``/indicators/completeness``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coopgraph.explore.common import LANGUAGES
from coopgraph.templating import TEMPLATES

TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Indicators of cooperation",
        "lead": "What the graph records, counted: activities, partners and money over time, by article, modality and sector, and the indicators and results the documents report. Each chart has its table beside it; the tables are the figures.",
        "for": "for",
        "activities_per_year": "Activities per year",
        "activities_per_article": "Activities per Convention article",
        "activities_per_modality": "Activities per modality",
        "activities_per_sector": "Activities per cultural sector",
        "partners_per_year": "Partners per year",
        "contributions": "Contributions per currency and period",
        "contributions_note": "Never added across currencies; a period's amount is not split into years the documents do not give; ≈ marks totals that include approximate amounts.",
        "shares": "South-South, North-South and triangular shares",
        "shares_note": "Share of the activities whose modality is one of the three, and of all activities; an activity may have several.",
        "reported": "Indicators and results the documents report",
        "year": "Year",
        "count": "Activities",
        "partners": "Partners",
        "value": "Value",
        "unit": "Unit",
        "period": "Period",
        "currency": "Currency",
        "total": "Total",
        "flows": "Flows",
        "share_classified": "Share of classified",
        "share_all": "Share of all",
        "indicator": "Indicator",
        "result": "Result",
        "used_by": "Used by",
        "undated": "activities have no date and are not in the yearly counts.",
        "download": "Download",
        "completeness": "Completeness of the periodic-report fields",
        "completeness_lead": "For every periodic-report entry and every actor, which fields of the periodic-report form the graph fills: the score is the share filled (a partial field counts half); the missing fields are what to ask for next.",
        "entries": "Periodic-report entries",
        "rank": "Rank",
        "name": "Name",
        "score": "Score",
        "missing": "Missing",
        "partial": "Partial",
        "by_country": "Ranked per country",
        "nothing": "Nothing recorded.",
        "scopes": "Also for",
    },
    "es": {
        "title": "Indicadores de cooperación",
        "lead": "Lo que registra el grafo, contado: actividades, socios y dinero en el tiempo, por artículo, modalidad y sector, y los indicadores y resultados que informan los documentos. Cada gráfico tiene su tabla al lado; las tablas son las cifras.",
        "for": "de",
        "activities_per_year": "Actividades por año",
        "activities_per_article": "Actividades por artículo de la Convención",
        "activities_per_modality": "Actividades por modalidad",
        "activities_per_sector": "Actividades por sector cultural",
        "partners_per_year": "Socios por año",
        "contributions": "Contribuciones por moneda y periodo",
        "contributions_note": "Nunca se suman entre monedas; el monto de un periodo no se reparte en años que los documentos no dan; ≈ marca totales con montos aproximados.",
        "shares": "Proporciones Sur-Sur, Norte-Sur y triangular",
        "shares_note": "Proporción de las actividades cuya modalidad es una de las tres, y de todas las actividades; una actividad puede tener varias.",
        "reported": "Indicadores y resultados que informan los documentos",
        "year": "Año",
        "count": "Actividades",
        "partners": "Socios",
        "value": "Valor",
        "unit": "Unidad",
        "period": "Periodo",
        "currency": "Moneda",
        "total": "Total",
        "flows": "Flujos",
        "share_classified": "Proporción de las clasificadas",
        "share_all": "Proporción de todas",
        "indicator": "Indicador",
        "result": "Resultado",
        "used_by": "Usado por",
        "undated": "actividades no tienen fecha y no están en los conteos por año.",
        "download": "Descargar",
        "completeness": "Completitud de los campos del informe periódico",
        "completeness_lead": "Para cada entrada de informe periódico y cada actor, qué campos del formulario llena el grafo: la puntuación es la proporción llenada (un campo parcial cuenta la mitad); los campos que faltan son lo que hay que pedir.",
        "entries": "Entradas de informes periódicos",
        "rank": "Puesto",
        "name": "Nombre",
        "score": "Puntuación",
        "missing": "Faltan",
        "partial": "Parciales",
        "by_country": "Clasificación por país",
        "nothing": "Nada registrado.",
        "scopes": "También para",
    },
    "fr": {
        "title": "Indicateurs de coopération",
        "lead": "Ce que le graphe enregistre, compté : activités, partenaires et argent dans le temps, par article, modalité et secteur, et les indicateurs et résultats que rapportent les documents. Chaque graphique a son tableau à côté ; les tableaux sont les chiffres.",
        "for": "pour",
        "activities_per_year": "Activités par année",
        "activities_per_article": "Activités par article de la Convention",
        "activities_per_modality": "Activités par modalité",
        "activities_per_sector": "Activités par secteur culturel",
        "partners_per_year": "Partenaires par année",
        "contributions": "Contributions par devise et période",
        "contributions_note": "Jamais additionnées entre devises ; le montant d'une période n'est pas réparti en années que les documents ne donnent pas ; ≈ signale des totaux avec des montants approximatifs.",
        "shares": "Parts Sud-Sud, Nord-Sud et triangulaire",
        "shares_note": "Part des activités dont la modalité est l'une des trois, et de toutes les activités ; une activité peut en avoir plusieurs.",
        "reported": "Indicateurs et résultats que rapportent les documents",
        "year": "Année",
        "count": "Activités",
        "partners": "Partenaires",
        "value": "Valeur",
        "unit": "Unité",
        "period": "Période",
        "currency": "Devise",
        "total": "Total",
        "flows": "Flux",
        "share_classified": "Part des classées",
        "share_all": "Part de toutes",
        "indicator": "Indicateur",
        "result": "Résultat",
        "used_by": "Utilisé par",
        "undated": "activités n'ont pas de date et ne sont pas dans les comptes annuels.",
        "download": "Télécharger",
        "completeness": "Complétude des champs du rapport périodique",
        "completeness_lead": "Pour chaque entrée de rapport périodique et chaque acteur, les champs du formulaire que le graphe remplit : le score est la part remplie (un champ partiel compte pour moitié) ; les champs manquants sont ce qu'il faut demander.",
        "entries": "Entrées de rapports périodiques",
        "rank": "Rang",
        "name": "Nom",
        "score": "Score",
        "missing": "Manquants",
        "partial": "Partiels",
        "by_country": "Classement par pays",
        "nothing": "Rien d'enregistré.",
        "scopes": "Aussi pour",
    },
}
"""The words of the pages in each language of the interface."""


def _lang(languages: Sequence[str]) -> str:
    return next((lang for lang in languages if lang in LANGUAGES), "en")


def indicators_page(
    data: Mapping[str, Any],
    base: str,
    languages: Sequence[str],
    links: Mapping[str, str],
    downloads: Mapping[str, str],
    scopes: Sequence[Mapping[str, str]],
) -> str:
    """The HTML of ``/indicators`` and of a country's or programme's indicators."""
    lang = _lang(languages)
    words = TEXTS[lang]
    label = data["scope"]["label"]
    return TEMPLATES.get_template("indicators.html").render(
        base=base,
        title=f"{words['title']} {words['for']} {label}" if label else words["title"],
        lang=lang,
        lang_links=links,
        data=data,
        t=words,
        downloads=downloads,
        scopes=scopes,
    )


def completeness_page(
    data: Mapping[str, Any],
    base: str,
    languages: Sequence[str],
    links: Mapping[str, str],
    downloads: Mapping[str, str],
) -> str:
    """The HTML of ``/indicators/completeness``."""
    lang = _lang(languages)
    return TEMPLATES.get_template("completeness.html").render(
        base=base,
        title=TEXTS[lang]["completeness"],
        lang=lang,
        lang_links=links,
        data=data,
        t=TEXTS[lang],
        downloads=downloads,
        titles={f["name"]: f["title"] for f in data["fields"]},
    )
