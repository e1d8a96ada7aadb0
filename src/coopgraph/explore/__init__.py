"""Search everywhere and faceted browse: what ``/search`` and ``/explore`` are built from.

Both read the store with ``queries/internal/explore-*.rq`` once per store version (see
:func:`coopgraph.explore.common.per_version`) and answer every request in Python over what
they read, so no user text ever reaches query text and a keystroke is a dictionary lookup.
"""

from __future__ import annotations

from coopgraph.explore.common import LANGUAGES, choose_languages, kind_of, per_version
from coopgraph.explore.facets import (
    FACETS,
    Browse,
    ExploreFacts,
    Selection,
    browse,
    explore_facts,
    parse_selection,
)
from coopgraph.explore.search import Hit, SearchIndex, normalise, search_index

__all__ = [
    "FACETS",
    "LANGUAGES",
    "Browse",
    "ExploreFacts",
    "Hit",
    "SearchIndex",
    "Selection",
    "browse",
    "choose_languages",
    "explore_facts",
    "kind_of",
    "normalise",
    "parse_selection",
    "per_version",
    "search_index",
]
