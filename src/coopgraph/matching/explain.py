"""Why a match was proposed: the reasons in words (English, Spanish or French) and the evidence
(nodes, activities) behind them.

Each reason is a phrase of :data:`PHRASES` in the reader's language with the labels of what it
names filled in; the same match always reads the same in one language (the labels are sorted).
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Sequence
from typing import Any

PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "sectors": "works on {values} ({evidence})",
        "articles": "under {values} ({evidence})",
        "modalities": "in {values} ({evidence})",
        "sectors-complementary": "works on {values}, which go with yours in the graph's activities",
        "articles-complementary": "under {values}, which go with yours in the graph's activities",
        "modalities-complementary": "in {values}, which go with yours in the graph's activities",
        "worked-with-country": "has worked with {country} ({evidence})",
        "worked-with-country-alone": "has worked with {country}",
        "same-country": "is in {country}",
        "same-region": "is in {countries}, which takes part with {country} in regional activities",
        "neighbours": "has worked with {count} of the likely partners ({names})",
        "brokerage": "{text}, some of whom have not worked together",
        "words": "its activities and offers speak of {words}",
        "reach": "works with {count} partners in the graph",
        "offers": "offers {values}",
        "offer-words": "speaks of {words}",
        "offer-agent": "{agent} has worked with {country}",
        "and": " and ",
        "more": " and {count} more",
    },
    "es": {
        "sectors": "trabaja en {values} ({evidence})",
        "articles": "en el marco de {values} ({evidence})",
        "modalities": "mediante {values} ({evidence})",
        "sectors-complementary": "trabaja en {values}, que acompañan a los suyos en las actividades del grafo",
        "articles-complementary": "en el marco de {values}, que acompañan a los suyos en las actividades del grafo",
        "modalities-complementary": "mediante {values}, que acompañan a las suyas en las actividades del grafo",
        "worked-with-country": "ha trabajado con {country} ({evidence})",
        "worked-with-country-alone": "ha trabajado con {country}",
        "same-country": "es del mismo país: {country}",
        "same-region": "es de {countries}, que participa con {country} en actividades regionales",
        "neighbours": "ha trabajado con {count} de los socios probables ({names})",
        "brokerage": "{text}, algunos de los cuales no han trabajado juntos",
        "words": "sus actividades y ofertas hablan de {words}",
        "reach": "trabaja con {count} socios en el grafo",
        "offers": "ofrece {values}",
        "offer-words": "habla de {words}",
        "offer-agent": "{agent} ha trabajado con {country}",
        "and": " y ",
        "more": " y {count} más",
    },
    "fr": {
        "sectors": "travaille dans {values} ({evidence})",
        "articles": "au titre de {values} ({evidence})",
        "modalities": "sous forme de {values} ({evidence})",
        "sectors-complementary": "travaille dans {values}, qui vont avec les vôtres dans les activités du graphe",
        "articles-complementary": "au titre de {values}, qui vont avec les vôtres dans les activités du graphe",
        "modalities-complementary": "sous forme de {values}, qui vont avec les vôtres dans les activités du graphe",
        "worked-with-country": "a travaillé avec {country} ({evidence})",
        "worked-with-country-alone": "a travaillé avec {country}",
        "same-country": "est du même pays : {country}",
        "same-region": "relève de {countries}, qui participe avec {country} à des activités régionales",
        "neighbours": "a travaillé avec {count} des partenaires probables ({names})",
        "brokerage": "{text}, dont certains n'ont pas travaillé ensemble",
        "words": "ses activités et offres parlent de {words}",
        "reach": "travaille avec {count} partenaires dans le graphe",
        "offers": "offre {values}",
        "offer-words": "parle de {words}",
        "offer-agent": "{agent} a travaillé avec {country}",
        "and": " et ",
        "more": " et {count} autres",
    },
}
"""The phrases of the reasons, by language then reason; ``{...}`` are filled with labels."""


def language_of(languages: Sequence[str]) -> str:
    """The first of ``languages`` the reasons are written in (else English).

    >>> language_of(["de", "fr", "en"])
    'fr'
    """
    return next((lang for lang in languages if lang in PHRASES), "en")


def names(items: Sequence[str], limit: int = 3, language: str = "en") -> str:
    """Items joined for a sentence: ``A, B and C``, ``A, B, C and 2 more``.

    Examples
    --------
    >>> names(["A"])
    'A'
    >>> names(["A", "B", "C", "D", "E"])
    'A, B and C and 2 more'
    >>> names(["A", "B"], language="es")
    'A y B'
    """
    phrases = PHRASES[language]
    shown = list(items[:limit])
    text = ", ".join(shown[:-1]) + (phrases["and"] if len(shown) > 1 else "") + shown[-1]
    return text + (phrases["more"].format(count=len(items) - limit) if len(items) > limit else "")


def evidence_item(iri: str, label: str, kind: str, reason: str) -> dict[str, Any]:
    """One piece of evidence: a node of the graph and the reason it is cited for.

    >>> evidence_item("x", "X", "activity", "sector")
    {'iri': 'x', 'label': 'X', 'type': 'activity', 'reason': 'sector'}
    """
    return {"iri": iri, "label": label, "type": kind, "reason": reason}


class Explanation:
    """Reasons and evidence of one match, collected as the score is explained.

    Parameters
    ----------
    label
        The label of a node in the reader's language.
    language
        The language of the reasons (a key of :data:`PHRASES`).

    Examples
    --------
    >>> note = Explanation(str.upper, "fr")
    >>> note.say("sectors", values=note.list(note.cite(["film"], "concept", "sectors")), evidence="A")
    >>> note.text(), note.evidence[0]["label"]
    ('travaille dans FILM (A)', 'FILM')
    """

    def __init__(self, label: Callable[[str], str], language: str = "en") -> None:
        self.label = label
        self.language = language if language in PHRASES else "en"
        self.reasons: list[str] = []
        self.evidence: list[dict[str, Any]] = []
        self._seen: set[tuple[str, str]] = set()

    def cite(self, iris: Iterable[str], kind: str, reason: str, limit: int = 3) -> list[str]:
        """Add up to ``limit`` nodes as evidence; their labels, sorted."""
        chosen = heapq.nsmallest(limit, set(iris), key=lambda i: (self.label(i), i))
        for iri in chosen:
            if (iri, reason) not in self._seen:
                self._seen.add((iri, reason))
                self.evidence.append(evidence_item(iri, self.label(iri), kind, reason))
        return [self.label(i) for i in chosen]

    def list(self, items: Sequence[str], limit: int = 3) -> str:
        """Items joined for a sentence in the reasons' language (see :func:`names`)."""
        return names(items, limit, self.language)

    def phrase(self, reason: str, **fields: object) -> str:
        """The phrase of ``reason`` in the reasons' language, filled in."""
        return PHRASES[self.language][reason].format(**fields)

    def say(self, reason: str, **fields: object) -> None:
        """Add the phrase of ``reason`` (a key of :data:`PHRASES`), filled in, as a reason."""
        self.reasons.append(self.phrase(reason, **fields))

    def text(self) -> str:
        """The reasons, joined."""
        return "; ".join(self.reasons)
