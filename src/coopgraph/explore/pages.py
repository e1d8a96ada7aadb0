"""The HTML of ``/search`` and ``/explore``, and the JSON of search-as-you-type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlencode

from coopgraph.explore.common import KINDS, LANGUAGES
from coopgraph.explore.facets import Browse
from coopgraph.explore.search import Hit, group_by_kind
from coopgraph.linkeddata.labels import local_url
from coopgraph.templating import TEMPLATES


def language_links(base: str, path: str, params: Sequence[tuple[str, str]]) -> dict[str, str]:
    """The links of the language switch: this page with ``lang`` set, each language.

    Examples
    --------
    >>> language_links("http://h/", "search", [("q", "x"), ("lang", "fr")])["es"]
    'http://h/search?q=x&lang=es'
    """
    kept = [(k, v) for k, v in params if k != "lang"]
    return {code: f"{base}{path}?{urlencode([*kept, ('lang', code)])}" for code in LANGUAGES}


def hit_dict(hit: Hit, base: str, languages: Sequence[str]) -> dict[str, Any]:
    """A search hit as JSON: its IRI, its page, its label, its kind and the label that matched."""
    return {
        "iri": hit.iri,
        "url": local_url(hit.iri, base),
        "label": hit.label,
        "kind": hit.kind,
        "kind_label": KINDS[hit.kind].title(languages),
        "matched": hit.matched,
        "matched_language": hit.matched_language,
        "matched_property": hit.matched_property,
    }


def search_data(
    query: str, hits: Sequence[Hit], base: str, languages: Sequence[str], kind: str | None
) -> dict[str, Any]:
    """What ``/search`` shows, as JSON: the query and its hits grouped by kind."""
    return {
        "query": query,
        "kind": kind,
        "total": len(hits),
        "groups": [
            {
                "kind": name,
                "title": KINDS[name].title(languages, plural=True),
                "hits": [hit_dict(h, base, languages) for h in group],
            }
            for name, group in group_by_kind(hits)
        ],
    }


def search_page(
    data: Mapping[str, Any], base: str, languages: Sequence[str], links: Mapping[str, str], limit: int
) -> str:
    """The HTML of ``/search``."""
    query = data["query"]
    return TEMPLATES.get_template("search.html").render(
        base=base,
        title=f"Search: {query}" if query else "Search",
        lang=languages[0] if languages and languages[0] in LANGUAGES else "en",
        lang_links=links,
        data=data,
        limit=limit,
        kinds=[(name, KINDS[name].title(languages, plural=True)) for name in KINDS],
    )


def explore_page(page: Browse, base: str, languages: Sequence[str], links: Mapping[str, str]) -> str:
    """The HTML of ``/explore``."""
    return TEMPLATES.get_template("explore.html").render(
        base=base,
        title="Explore",
        lang=languages[0] if languages and languages[0] in LANGUAGES else "en",
        lang_links=links,
        data=page.as_dict(),
        local=lambda iri: local_url(iri, base),
    )
