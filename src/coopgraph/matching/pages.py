"""What ``/match`` and ``/match/requests/{slug}`` show: pickers, the profile, the matches, as data and HTML.

The pickers offer the graph's own vocabularies (cultural sectors, Convention articles,
modalities, countries) with their labels in the reader's language; the form is a plain ``GET``
form, so the page works without JavaScript and its address is the profile.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from coopgraph.errors import ParameterError
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
    out["kinds"] = [{"iri": k, "label": k} for k in ACTOR_KINDS]
    return out


def requests_list(index: MatchIndex, base: str) -> list[dict[str, str]]:
    """The requests of the graph, each with the address of its matches."""
    return [
        {
            "iri": p.iri,
            "label": p.label,
            "url": f"{base}match/requests/{p.iri.rstrip('/').rsplit('/', 1)[-1]}",
        }
        for p in sorted(index.proposals.values(), key=lambda p: p.label)
        if p.kind == "request"
    ]


def with_urls(matches: list[dict[str, Any]], base: str) -> list[dict[str, Any]]:
    """Matches with the local page of each match and of each piece of evidence."""
    for m in matches:
        m["url"] = local_url(m["iri"], base)
        for item in m["evidence"]:
            item["url"] = local_url(item["iri"], base)
    return matches


def match_page(data: Mapping[str, Any], base: str, lang: str, links: Mapping[str, str]) -> str:
    """The HTML of ``/match`` (and of the matches of a request)."""
    return TEMPLATES.get_template("match.html").render(
        base=base, title=data.get("title", "Match partners"), lang=lang, lang_links=links, data=data
    )
