"""Names people read: ``Accept-Language``, the label to show, prefixed names, local links."""

from __future__ import annotations

import re
from collections.abc import Sequence

from coopgraph.namespaces import CANONICAL_BASE, GRAPH_BASE, PREFIXES

_LOCAL_NAME = re.compile(r"[A-Za-z0-9_.\-/]+")


def parse_accept_language(header: str | None) -> list[str]:
    """Language tags of an ``Accept-Language`` header, best first (primary subtags, lower-case).

    Parameters
    ----------
    header
        The header's value, or ``None`` when the request has none.

    Returns
    -------
    list of str
        Distinct primary subtags with a non-zero weight, highest weight first; ``*`` is dropped.

    Examples
    --------
    >>> parse_accept_language("es-CO,es;q=0.9,en;q=0.8,*;q=0.1")
    ['es', 'en']
    """
    if not header:
        return []
    weighted: list[tuple[float, int, str]] = []
    for index, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        tag = fields[0].lower().split("-")[0]
        if not tag or tag == "*":
            continue
        q = 1.0
        for param in fields[1:]:
            key, _, value = param.partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0:
            weighted.append((-q, index, tag))
    seen: list[str] = []
    for _, _, tag in sorted(weighted):
        if tag not in seen:
            seen.append(tag)
    return seen


def pick_label(labels: dict[str, str], languages: Sequence[str]) -> str | None:
    """The label in the first language asked for that has one, else English, else any.

    Parameters
    ----------
    labels
        Label by language tag (``""`` for a label without one).
    languages
        Language tags, best first.

    Examples
    --------
    >>> pick_label({"en": "Colombia", "fr": "Colombie"}, ["fr", "en"])
    'Colombie'
    >>> pick_label({"en": "Colombia"}, ["de"])
    'Colombia'
    """
    for lang in (*languages, "en", ""):
        if lang in labels:
            return labels[lang]
    return next(iter(labels.values()), None)


def qname(iri: str) -> str:
    """A prefixed name for ``iri`` from the project's prefixes, or the IRI itself.

    Examples
    --------
    >>> qname("https://w3id.org/coopgraph/def#Country")
    'cg:Country'
    >>> qname("urn:x")
    'urn:x'
    """
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            best = prefix
    if best:
        local = iri[len(PREFIXES[best]) :]
        if local and _LOCAL_NAME.fullmatch(local):
            return f"{best}:{local}"
    return iri


def local_url(iri: str, base: str) -> str:
    """Map a canonical IRI onto this service (``base``); other IRIs are returned unchanged.

    Examples
    --------
    >>> local_url("https://w3id.org/coopgraph/id/party/colombia", "http://127.0.0.1:8000/")
    'http://127.0.0.1:8000/id/party/colombia'
    >>> local_url("http://www.wikidata.org/entity/Q739", "http://127.0.0.1:8000/")
    'http://www.wikidata.org/entity/Q739'
    """
    if iri.startswith(CANONICAL_BASE):
        return base + iri[len(CANONICAL_BASE) :]
    return iri


def graph_name(iri: str) -> str:
    """The short name of a named graph.

    Examples
    --------
    >>> graph_name("https://w3id.org/coopgraph/graph/expert-meeting-2007")
    'expert-meeting-2007'
    """
    return iri.removeprefix(GRAPH_BASE)
