"""The directory of cooperation sources (``/sources``): funds, funding programmes and funding organisations.

The sources and their facets are read with ``queries/internal/directory-sources.rq`` once per
store version and answered in Python (like /explore, whose facet helpers they share); a
source's profile runs the ``directory-profile``, ``directory-contributions`` and
``directory-quotes`` queries with the source bound as an RDF term. Sources are read from every
graph: a source submitted later is listed as soon as it is in the store.
"""

from __future__ import annotations

from coopgraph.directory.profile import source_iri, source_profile
from coopgraph.directory.sources import (
    DIRECTORY_FACETS,
    DirectoryFacts,
    DirectorySelection,
    csv_rows,
    directory,
    directory_facts,
    parse_selection,
    profile_url,
)

__all__ = [
    "DIRECTORY_FACETS",
    "DirectoryFacts",
    "DirectorySelection",
    "csv_rows",
    "directory",
    "directory_facts",
    "parse_selection",
    "profile_url",
    "source_iri",
    "source_profile",
]
